"""The /usr/local CPython builder: the official python image's steps, from a distribution's source package."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from filelock import FileLock

from conformance.backend.build import (
    CPYTHON_OPT,
    BuildContext,
    ImageBuildError,
    accounts_script,
    build_step,
)
from conformance.backend.debootstrap import POCKETS, bootstrap, host_debian_mirror
from conformance.catalogue.targets import TARGETS, CPythonSource, Distro, Target
from conformance.paths import cache_dir

#: The official image's build dependencies, less what only changes speed (clang/llvm for the JIT, PGO's
#: python3) or what its slim image cannot use anyway (tk-dev: libtk is not kept), and the downloaders.
BUILD_PACKAGES = (
    "dpkg-dev gcc libbluetooth-dev libbz2-dev libc6-dev libdb-dev libffi-dev libgdbm-dev liblzma-dev "
    "libncursesw5-dev libreadline-dev libsqlite3-dev libssl-dev make uuid-dev xz-utils zlib1g-dev"
)

# The official Dockerfile's configure and make, without --enable-optimizations (PGO), --with-lto, the JIT,
# frame pointers and debug info (stripped anyway), at -O1 (CPYTHON_OPT): they change speed, not layout. The
# image deletes the installed test packages; --disable-test-modules never builds, installs or byte-compiles
# them. /src holds the orig tarball; /out receives /usr/local and the Debian packages of the libraries it
# links (found with ldd, as the official image keeps them).
_BUILD = f"""
set -eux
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends {BUILD_PACKAGES}
mkdir -p /usr/src/python
tar --extract --directory /usr/src/python --strip-components=1 --file /src/*.orig.tar.xz
cd /usr/src/python
gnuArch="$(dpkg-architecture --query DEB_BUILD_GNU_TYPE)"
OPT="{CPYTHON_OPT}" ./configure --build="$gnuArch" --prefix=/usr/local --enable-loadable-sqlite-extensions \\
    --enable-option-checking=fatal --enable-shared --with-ensurepip --disable-test-modules
EXTRA_CFLAGS="$(DEB_CFLAGS_MAINT_STRIP='-g -O2' dpkg-buildflags --get CFLAGS)"
LDFLAGS="$(dpkg-buildflags --get LDFLAGS),--strip-all"
make -j2 "EXTRA_CFLAGS=$EXTRA_CFLAGS" "LDFLAGS=$LDFLAGS"
# As the official image: relink the interpreter so it finds its own libpython first.
rm python
make -j2 "EXTRA_CFLAGS=$EXTRA_CFLAGS" "LDFLAGS=$LDFLAGS,-rpath='\\$\\$ORIGIN/../lib'" python
make install
cd /
find /usr/local -depth \\( \\( -type d -a \\( -name test -o -name tests -o -name idle_test \\) \\) \\
    -o \\( -type f -a \\( -name '*.pyc' -o -name '*.pyo' -o -name 'libpython*.a' \\) \\) \\) \\
    -exec rm -rf '{{}}' +
ldconfig
for src in idle3 pip3 pydoc3 python3 python3-config; do
    dst="$(echo "$src" | tr -d 3)"
    [ -s "/usr/local/bin/$src" ]
    [ ! -e "/usr/local/bin/$dst" ]
    ln -svT "$src" "/usr/local/bin/$dst"
done
find /usr/local -type f -executable -not -name '*tkinter*' -exec ldd '{{}}' ';' \\
    | awk '/=>/ {{ so = $(NF-1); if (index(so, "/usr/local/") == 1) {{ next }}; gsub("^/(usr/)?", "", so); \\
        printf "*%s\\n", so }}' \\
    | sort -u | xargs -r dpkg-query --search | awk 'sub(":$", "", $1) {{ print $1 }}' | sort -u \\
    > /out/runtime-packages
tar --numeric-owner -C / -cf /out/usr-local.tar usr/local
"""


def _recipe(target: Target) -> CPythonSource:
    assert isinstance(target.recipe, CPythonSource), target
    return target.recipe


def source_tarball(recipe: CPythonSource, context: BuildContext) -> Path:
    """The pristine upstream tarball of ``python<version>`` from the source target's archive, fetched once."""
    directory = cache_dir() / "sources" / f"{recipe.source_target}-python{recipe.version}"
    directory.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(directory) + ".lock"):
        found = sorted(directory.glob("*.orig.tar.xz"))
        if found:
            return found[-1]
        image = context.image_of(TARGETS[recipe.source_target])
        with tempfile.TemporaryDirectory(dir=directory.parent) as scratch:
            # The source target's own archive, as its apt is configured, with deb-src lines added. Only the
            # upstream tarball (checked against the Sources index): a pool can lack the newest .dsc and
            # .debian.tar its index names, which fails a whole `apt-get source` (exit 100).
            script = (
                "sed -n 's/^deb /deb-src /p' /etc/apt/sources.list > /etc/apt/sources.list.d/src.list"
                " && apt-get update -qq && cd /out"
                f" && apt-get source --download-only --tar-only -qq python{recipe.version}"
            )
            with build_step(
                context.client,
                image,
                ["/bin/sh", "-c", script],
                context.log_path,
                f"Fetching python{recipe.version}'s source package",
                volumes={scratch: {"bind": "/out", "mode": "rw"}},
            ):
                pass  # the files are in the bind-mounted directory
            origs = sorted(Path(scratch).glob(f"python{recipe.version}_*.orig.tar.xz"))
            if len(origs) != 1:
                raise ImageBuildError(f"Expected one upstream tarball, found {[p.name for p in origs]}")
            directory.mkdir(exist_ok=True)
            return Path(shutil.move(origs[0], directory / origs[0].name))


def build(target: Target, context: BuildContext) -> None:
    """Build CPython on a minbase of the suite, then copy /usr/local onto a fresh one with its libraries."""
    recipe = _recipe(target)
    tarball = source_tarball(recipe, context)
    base = f"{context.tag}-base"
    bootstrap(target, Distro("debian", recipe.suite, packages=recipe.packages), context, base)
    security = {"SECURITY": host_debian_mirror(pocket="-security") or ""}
    try:
        with tempfile.TemporaryDirectory(dir=cache_dir()) as out:
            with build_step(
                context.client,
                base,
                ["/bin/sh", "-c", POCKETS + _BUILD],
                context.log_path,
                f"Building CPython {recipe.version}",
                environment=security,
                volumes={
                    str(tarball.parent): {"bind": "/src", "mode": "ro"},
                    out: {"bind": "/out", "mode": "rw"},
                },
            ):
                pass  # /usr/local and its runtime packages are in the bind-mounted directory
            # Like the official image: the checks and the accounts' venvs leave no bytecode in /usr/local.
            finish = (
                f"{POCKETS} export PYTHONDONTWRITEBYTECODE=1"
                " && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends"
                " $(cat /out/runtime-packages) && tar --numeric-owner -C / -xf /out/usr-local.tar && ldconfig"
                f" && python3 --version && pip3 --version && {accounts_script()}"
                " && apt-get clean && rm -rf /var/lib/apt/lists/*"
            )
            with build_step(
                context.client,
                base,
                ["/bin/sh", "-c", finish],
                context.log_path,
                f"Finishing {context.tag}",
                environment=security,
                volumes={out: {"bind": "/out", "mode": "ro"}},
            ) as done:
                context.commit(done, target)
    finally:
        context.client.images.remove(base, force=True)


def dockerfile(target: Target, context: BuildContext) -> str:
    """The registry image the target stands for, with the same accounts."""
    return (
        f"FROM {target.registry_image}\n"
        f"RUN export PYTHONDONTWRITEBYTECODE=1 && {accounts_script()}\n"
        f"{context.labels(target)}\n"
        'CMD ["sleep", "infinity"]\n'
    )
