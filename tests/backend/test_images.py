"""Image recipes: hashed names, the host's own Debian archive, and images that hold what cells need."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import docker
import pytest

from conformance.backend.build import LABEL_TARGET
from conformance.backend.debootstrap import dockerfile, host_debian_mirror
from conformance.backend.images import image_tag
from conformance.catalogue.accounts import ACCOUNTS
from conformance.catalogue.targets import TARGETS


def test_the_tag_changes_with_the_recipe() -> None:
    target = TARGETS["debian-bookworm"]
    assert image_tag(target, "local") == image_tag(target, "local")
    assert image_tag(target, "local") != image_tag(
        replace(target, recipe=replace(target.recipe, packages=("python3",))), "local"
    )
    assert image_tag(target, "local") != image_tag(target, "registry")


def test_the_registry_recipe_installs_the_same_packages_and_accounts() -> None:
    from conformance.backend.build import BuildContext

    target = TARGETS["ubuntu-noble"]
    context = BuildContext(
        docker.DockerClient.__new__(docker.DockerClient), "conformance/x:registry-1", Path("log"), str
    )
    text = dockerfile(target, context)
    assert text.startswith("FROM ubuntu:24.04\n")
    assert "python3 python3-pip python3-venv" in text
    assert f"useradd --create-home --uid {ACCOUNTS['user'].uid}" in text
    assert f"-m venv {ACCOUNTS['user'].venv}" in text


def _apt(tmp_path: Path, sources: str, name: str = "debian.sources") -> tuple[Path, Path]:
    (tmp_path / "apt" / "sources.list.d").mkdir(parents=True)
    (tmp_path / "apt" / "sources.list.d" / name).write_text(sources)
    (tmp_path / "os-release").write_text('ID=debian\nVERSION_CODENAME="bookworm"\n')
    return tmp_path / "apt", tmp_path / "os-release"


def test_the_mirror_comes_from_deb822_sources(tmp_path: Path) -> None:
    sources = (
        "Types: deb\nURIs: http://archive.invalid/debian-security\nSuites: bookworm-security\n\n"
        "Types: deb\nURIs: http://archive.invalid/debian\nSuites: bookworm bookworm-updates\n"
    )
    assert host_debian_mirror(*_apt(tmp_path, sources)) == "http://archive.invalid/debian"


def test_the_mirror_comes_from_one_line_sources(tmp_path: Path) -> None:
    apt, release = _apt(tmp_path, "deb [arch=amd64] http://archive.invalid/debian bookworm main\n", "x.list")
    assert host_debian_mirror(apt, release) == "http://archive.invalid/debian"


def test_no_configured_archive_leaves_the_choice_to_debootstrap(tmp_path: Path) -> None:
    assert (
        host_debian_mirror(*_apt(tmp_path, "Types: deb\nURIs: http://archive.invalid/x\nSuites: sid\n"))
        is None
    )


@pytest.mark.docker
@pytest.mark.parametrize("target", sorted(TARGETS))
def test_images_hold_python_pip_venv_and_the_accounts(
    target: str, target_images: Callable[[str], str], docker_client: docker.DockerClient
) -> None:
    tag = target_images(target)
    user = ACCOUNTS["user"]
    script = (
        f"id -u {user.name} && python3 -m pip --version && test -x {user.venv}/bin/python"
        f" && test $(stat -c %u {user.venv}) = {user.uid} && echo ok"
    )
    output = docker_client.containers.run(
        tag, ["sh", "-c", script], network_mode="none", remove=True
    ).decode()
    lines = output.split()
    assert lines[0] == str(user.uid)
    assert lines[-1] == "ok"
    assert docker_client.images.get(tag).labels[LABEL_TARGET] == target
