"""The musl target's recipes: Alpine's packages and adduser on the registry image, Alpine's files here."""

from __future__ import annotations

from pathlib import Path

import docker

from conformance.backend.build import BuildContext
from conformance.backend.musl import EXTERNALLY_MANAGED, PROFILE, adduser_lines, dockerfile, finish_script
from conformance.catalogue.accounts import ACCOUNTS
from conformance.catalogue.targets import TARGETS

TARGET = TARGETS["musl-cpython3.13"]


def _context() -> BuildContext:
    client = docker.DockerClient.__new__(docker.DockerClient)
    return BuildContext(client, "conformance/musl-cpython3.13:registry-1", Path("log"), str)


def test_the_registry_recipe_is_alpines_python_and_adduser() -> None:
    user = ACCOUNTS["user"]
    text = dockerfile(TARGET, _context())
    assert text.startswith("FROM alpine:3.22\n")
    assert "apk add --no-cache python3 py3-pip" in text
    assert f"adduser -D -u {user.uid} {user.name}" in text
    assert f"su {user.name} -s /bin/sh -c 'python3 -m venv {user.venv}'" in text
    assert f"python3 -m venv {ACCOUNTS['root'].venv}" in text
    assert 'io.conformance.target="musl-cpython3.13"' in text


def test_accounts_are_written_as_busybox_adduser_writes_them() -> None:
    user = ACCOUNTS["user"]
    passwd, group, shadow = adduser_lines(20000)
    assert passwd == f"{user.name}:x:{user.uid}:{user.gid}:Linux User,,,:{user.home}:/bin/sh\n"
    assert group == f"{user.name}:x:{user.gid}:\n"
    assert shadow == f"{user.name}:!:20000:0:99999:7:::\n"


def test_the_image_gets_alpines_marker_setgid_homes_and_venvs_made_by_their_accounts() -> None:
    user = ACCOUNTS["user"]
    script = finish_script("3.13")
    assert "> /usr/lib/python3.13/EXTERNALLY-MANAGED" in script
    assert "by using the system package manager (apk)." in EXTERNALLY_MANAGED
    assert script.index("ensurepip") < script.index("EXTERNALLY-MANAGED")
    assert f"chmod 2755 {user.home}" in script
    assert f"su {user.name} -s /bin/sh -c 'python3 -m venv {user.venv}'" in script


def test_alpines_profile_puts_no_user_directory_on_path() -> None:
    assert "/usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin" in PROFILE
    assert ".local" not in PROFILE and "HOME" not in PROFILE
