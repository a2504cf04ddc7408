"""Targets: the images installs happen in, what each stands for, and the recipe each is built from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Distro:
    """A Debian or Ubuntu release with the distribution's own python3, pip and venv (debootstrap)."""

    distro: str  # "debian" or "ubuntu": decides which debootstrap builds it
    suite: str
    components: tuple[str, ...] = ("main",)
    packages: tuple[str, ...] = ("python3", "python3-pip", "python3-venv")


#: Every kind of recipe; each has a builder in conformance/backend/ (images.py maps them).
Recipe = Distro


@dataclass(frozen=True)
class Target:
    """Where installs happen: built locally from its recipe, standing for an image users start from."""

    name: str
    registry_image: str  # what a user with a registry would start from
    description: str  # what the image really is, in a reader's words
    recipe: Recipe

    @property
    def suite(self) -> str:
        """The distribution release underneath."""
        return self.recipe.suite


TARGETS: dict[str, Target] = {
    t.name: t
    for t in (
        Target(
            "debian-bookworm", "debian:bookworm", "Debian 12 with its python3", Distro("debian", "bookworm")
        ),
        Target("debian-trixie", "debian:trixie", "Debian 13 with its python3", Distro("debian", "trixie")),
        # python3-pip is in universe on Ubuntu.
        Target(
            "ubuntu-jammy",
            "ubuntu:22.04",
            "Ubuntu 22.04 with its python3",
            Distro("ubuntu", "jammy", components=("main", "universe")),
        ),
        Target(
            "ubuntu-noble",
            "ubuntu:24.04",
            "Ubuntu 24.04 with its python3",
            Distro("ubuntu", "noble", components=("main", "universe")),
        ),
    )
}

#: The Debian suite whose debootstrap and ubuntu-keyring build the Ubuntu targets.
UBUNTU_BUILDER_BASE = "debian-trixie"
