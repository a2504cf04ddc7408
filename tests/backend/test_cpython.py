"""The /usr/local CPython targets: honest names, the registry recipe, images laid out as the official one."""

from __future__ import annotations

import typing
from collections.abc import Callable
from pathlib import Path

import docker
import pytest

from conformance.backend.build import BuildContext
from conformance.backend.cpython import dockerfile
from conformance.backend.images import BUILDERS
from conformance.catalogue.accounts import ACCOUNTS
from conformance.catalogue.targets import TARGETS, CPythonSource, Recipe

CPYTHON_TARGETS = sorted(name for name, t in TARGETS.items() if isinstance(t.recipe, CPythonSource))


def test_every_kind_of_recipe_has_a_builder() -> None:
    assert set(typing.get_args(Recipe)) <= set(BUILDERS)


@pytest.mark.parametrize("name", CPYTHON_TARGETS)
def test_the_target_says_what_it_is(name: str) -> None:
    target = TARGETS[name]
    assert isinstance(target.recipe, CPythonSource)
    version = target.recipe.version
    assert target.registry_image == f"python:{version}-slim-{target.recipe.suite}"
    assert target.description.startswith(f"CPython {version} built here from ")
    assert target.description.endswith("not the registry image")


def test_the_newest_two_pythons_are_built() -> None:
    recipes = [TARGETS[name].recipe for name in CPYTHON_TARGETS]
    assert {"3.13", "3.12"} <= {r.version for r in recipes if isinstance(r, CPythonSource)}


@pytest.mark.parametrize("name", CPYTHON_TARGETS)
def test_the_registry_recipe_is_the_python_image_with_the_accounts(name: str) -> None:
    target = TARGETS[name]
    context = BuildContext(
        docker.DockerClient.__new__(docker.DockerClient), "conformance/x:registry-1", Path("log"), str
    )
    lines = dockerfile(target, context).splitlines()
    assert lines[0] == f"FROM {target.registry_image}"
    # The image's own Python is used as it is: nothing installed over it.
    assert "apt-get" not in lines[1] and "pip" not in lines[1]
    assert f"useradd --create-home --uid {ACCOUNTS['user'].uid}" in lines[1]
    assert f"-m venv {ACCOUNTS['user'].venv}" in lines[1]
    assert lines[2] == context.labels(target)


#: The prefix, purelib, version; purelib's owner; whether the stdlib carries a PEP 668 marker.
_FACTS = """
import os, pwd, sys, sysconfig
purelib = sysconfig.get_path("purelib")
print(sys.prefix, purelib, sys.version_info[:2])
print(pwd.getpwuid(os.stat(purelib).st_uid).pw_name)
print(os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")))
"""


@pytest.mark.docker
@pytest.mark.parametrize("name", CPYTHON_TARGETS)
def test_the_image_is_laid_out_like_the_official_one(
    name: str, target_images: Callable[[str], str], docker_client: docker.DockerClient
) -> None:
    """/usr/local python, pip and their symlinks, root's site-packages, no marker, no bytecode (the official
    image deletes it), no Debian python3 or build tools left behind."""
    recipe = TARGETS[name].recipe
    assert isinstance(recipe, CPythonSource)
    script = (
        'set -e; for c in python3 python pip pip3; do command -v $c; done; python3 -B -c "$FACTS";'
        " find /usr/local -name '*.pyc' | wc -l;"
        " command -v gcc make || echo no-build-tools;"
        " dpkg-query -W python3 2>/dev/null || echo no-debian-python"
    )
    output = docker_client.containers.run(
        target_images(name),
        ["sh", "-c", script],
        environment={"FACTS": _FACTS},
        network_mode="none",
        remove=True,
    ).decode()
    lines = output.splitlines()
    assert lines[:4] == [f"/usr/local/bin/{command}" for command in ("python3", "python", "pip", "pip3")]
    prefix, purelib, version = lines[4].split(" ", 2)
    assert prefix == "/usr/local"
    assert purelib.startswith(prefix + "/") and purelib.endswith("/site-packages")
    assert version == str(tuple(int(part) for part in recipe.version.split(".")))
    assert lines[5:] == [
        "root",
        "False",
        "0",
        "no-build-tools",
        "no-debian-python",
    ]
