"""Targets: the container images installs happen in, and the recipe each is built from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """A Linux distribution release with its own python3, pip and venv, built locally."""

    name: str
    distro: str  # "debian" or "ubuntu": decides which debootstrap builds it
    suite: str
    registry_image: str  # what a user with a registry would start from
    components: tuple[str, ...] = ("main",)
    packages: tuple[str, ...] = ("python3", "python3-pip", "python3-venv")


TARGETS: dict[str, Target] = {
    t.name: t
    for t in (
        Target("debian-bookworm", "debian", "bookworm", "debian:bookworm"),
        Target("debian-trixie", "debian", "trixie", "debian:trixie"),
        # python3-pip is in universe on Ubuntu.
        Target("ubuntu-jammy", "ubuntu", "jammy", "ubuntu:22.04", components=("main", "universe")),
        Target("ubuntu-noble", "ubuntu", "noble", "ubuntu:24.04", components=("main", "universe")),
    )
}

#: The Debian suite whose debootstrap and ubuntu-keyring build the Ubuntu targets.
UBUNTU_BUILDER_BASE = "debian-trixie"
