"""The musl builder: upstream CPython built against musl, in a busybox rootfs laid out like Alpine."""

from __future__ import annotations

import shlex
import shutil
import tempfile
import time
from pathlib import Path

from conformance.backend.build import CPYTHON_OPT, BuildContext, build_step, run_logged
from conformance.catalogue.accounts import ACCOUNTS
from conformance.catalogue.targets import TARGETS, MuslCPython, Target
from conformance.paths import cache_dir

# Runs in the build container (a Debian image, host network). /src caches the source packages: the pristine
# upstream tarballs (.orig) of python$PY and zlib, never Debian's patches; /out becomes the rootfs.
_BUILD = """
set -eu
sed -n 's/^deb /deb-src /p' /etc/apt/sources.list > /etc/apt/sources.list.d/sources.list
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null
cd /src
# Only the upstream tarballs, all this needs: a pool can lack the .dsc and .debian.tar its index names.
ls python${PY}_*.orig.tar.xz >/dev/null 2>&1 || apt-get source --download-only --tar-only -qq python$PY
ls zlib_*.orig.tar.* >/dev/null 2>&1 || apt-get source --download-only --tar-only -qq zlib
sysroot=/build/sysroot
mkdir -p /build/cpython /build/zlib $sysroot/include
# The kernel's uapi headers without glibc's: musl-gcc searches only musl's include directory.
cp -r /usr/include/linux /usr/include/asm-generic /usr/include/x86_64-linux-gnu/asm $sysroot/include/
# configure names the platform after `cc --print-multiarch`, which gcc answers with glibc's triplet.
printf '#!/bin/sh\\n[ "$1" = --print-multiarch ] && exit 0\\nexec musl-gcc "$@"\\n' > /build/cc
chmod +x /build/cc
# pkg-config must not find the build container's glibc libraries.
export CC=/build/cc PKG_CONFIG_LIBDIR=$sysroot/lib/pkgconfig
tar -xf "$(ls /src/zlib_*.orig.tar.* | head -n1)" -C /build/zlib --strip-components=1
cd /build/zlib
# Static, linked into zlib and binascii: a shared one would need LD_LIBRARY_PATH while building, which
# the container's glibc compiler would follow to it too.
CFLAGS="-O2 -fPIC" ./configure --static --prefix=$sysroot >/dev/null
make -j2 >/dev/null
make install >/dev/null
tar -xf "$(ls /src/python${PY}_*.orig.tar.xz | head -n1)" -C /build/cpython --strip-components=1
cd /build/cpython
# Alpine's flags that decide layout: prefix /usr, shared libpython; no PGO or LTO, -O1 without debug info
# (speed, not layout; build.CPYTHON_OPT). Its python3 package has no test modules (they are python3-tests):
# never build them.
OPT="$OPT" ./configure --prefix=/usr --enable-shared --with-ensurepip=no --disable-test-modules \\
  CPPFLAGS="-I$sysroot/include" LDFLAGS="-L$sysroot/lib" >/dev/null
make -j2 >/build/make.log 2>&1 || { tail -40 /build/make.log; exit 1; }
sed -n '/necessary bits/,/^Checked/p' /build/make.log
make install DESTDIR=/out >/dev/null
cd /out
py=usr/lib/python$PY
# What Alpine's python3 package leaves out (python3-tests, python3-tkinter, idle).
rm -rf $py/test $py/idlelib $py/tkinter $py/turtledemo usr/bin/idle3*
ln -s python3 usr/bin/python
mkdir -p lib bin sbin usr/sbin usr/local/bin usr/local/lib usr/local/share etc/profile.d root home \\
  tmp var/tmp proc sys dev
chmod 700 root
chmod 1777 tmp var/tmp
# musl's loader, which is its libc too, under Alpine's names.
cp /usr/lib/x86_64-linux-musl/libc.so lib/ld-musl-x86_64.so.1
ln -s ld-musl-x86_64.so.1 lib/libc.musl-x86_64.so.1
cp /usr/bin/busybox bin/busybox
for applet in $(bin/busybox --list-full); do
  case $applet in */dpkg|*/dpkg-deb|*/rpm|*/rpm2cpio) continue ;; esac  # Debian's extras, not Alpine's
  [ -e "$applet" ] || [ -L "$applet" ] || ln -s /bin/busybox "$applet"
done
strip --strip-unneeded usr/bin/python$PY usr/lib/libpython*.so.* $py/lib-dynload/*.so
"""

#: The marker of Alpine's python3 package (aports main/python3/externally-managed), word for word.
EXTERNALLY_MANAGED = """\
[externally-managed]
Error=
  The system-wide Python installation in Alpine is managed
  by using the system package manager (apk).
  It appears you are installing to this system-wide location using
  a different package manager. Please use a virtualenv instead:
    python3 -m venv /path/to/venv
    . /path/to/venv/bin/activate
    pip install mypackage
"""

# Alpine's /etc/profile (alpine-baselayout) as far as PATH goes: it appends these six directories when
# missing and adds nothing per user, so ~/.local/bin is never on a login shell's PATH.
PROFILE = """\
append_path () {
\tcase ":$PATH:" in
\t\t*:"$1":*) ;;
\t\t*) PATH="${PATH:+$PATH:}$1" ;;
\tesac
}
for dir in /usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin; do
\tappend_path "$dir"
done
unset -f append_path
unset dir
export PATH
export PAGER=less
umask 022
for script in /etc/profile.d/*.sh ; do
\tif [ -r "$script" ] ; then
\t\t. "$script"
\tfi
done
unset script
"""

#: alpine-baselayout's system accounts that matter here; the others own nothing in this image.
PASSWD = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n"
GROUP = "root:x:0:root\nusers:x:100:\nnogroup:x:65533:\nnobody:x:65534:\n"
SHADOW = "root:*::0:::::\nnobody:!::0:::::\n"


def _recipe(target: Target) -> MuslCPython:
    assert isinstance(target.recipe, MuslCPython), target
    return target.recipe


def adduser_lines(days: int) -> tuple[str, str, str]:
    """/etc/passwd, group and shadow lines as busybox's ``adduser -D -u UID NAME`` writes them."""
    passwd, group, shadow = [], [], []
    for account in ACCOUNTS.values():
        if account.uid == 0:
            continue
        # adduser makes a group of the user's name, with the uid as gid when it is free (here it is).
        passwd.append(f"{account.name}:x:{account.uid}:{account.gid}:Linux User,,,:{account.home}:/bin/sh\n")
        group.append(f"{account.name}:x:{account.gid}:\n")
        shadow.append(f"{account.name}:!:{days}:0:99999:7:::\n")
    return "".join(passwd), "".join(group), "".join(shadow)


def _write_etc(rootfs: Path) -> None:
    etc = rootfs / "etc"
    passwd, group, shadow = adduser_lines(int(time.time()) // 86400)
    (etc / "passwd").write_text(PASSWD + passwd)
    (etc / "group").write_text(GROUP + group)
    (etc / "shadow").write_text(SHADOW + shadow)
    (etc / "shadow").chmod(0o640)
    (etc / "profile").write_text(PROFILE)
    (etc / "shells").write_text("/bin/sh\n/bin/ash\n")


def finish_script(version: str) -> str:
    """Shell run in the imported rootfs: pip from ensurepip, Alpine's marker, homes as adduser makes them
    (setgid, 2755), then each account's venv made by the account."""
    marker = f"/usr/lib/python{version}/EXTERNALLY-MANAGED"
    steps = [
        "set -e",
        "python3 -m ensurepip --default-pip",
        f"printf %s {shlex.quote(EXTERNALLY_MANAGED)} > {marker}",
    ]
    for account in ACCOUNTS.values():
        if account.uid == 0:
            continue
        steps.append(
            f"mkdir -p {account.home} && chown {account.uid}:{account.gid} {account.home}"
            f" && chmod 2755 {account.home}"
        )
    steps.extend(_venv_steps())
    steps.append("python3 -m pip --version")
    return "\n".join(steps)


def _venv_steps() -> list[str]:
    """Each account's venv, made by the account with busybox su (Alpine has no runuser)."""
    steps = []
    for account in ACCOUNTS.values():
        venv = f"python3 -m venv {shlex.quote(account.venv)}"
        steps.append(venv if account.uid == 0 else f"su {account.name} -s /bin/sh -c {shlex.quote(venv)}")
    return steps


def _import_rootfs(context: BuildContext, rootfs: Path, tag: str) -> None:
    archive = rootfs.parent / f"{rootfs.name}.tar"
    run_logged(["tar", "--numeric-owner", "-C", str(rootfs), "-cf", str(archive), "."], context.log_path)
    repository, _, version = tag.partition(":")
    try:
        context.client.api.import_image_from_file(str(archive), repository=repository, tag=version)
    finally:
        archive.unlink(missing_ok=True)


def build(target: Target, context: BuildContext) -> None:
    """Build zlib and CPython against musl in a Debian container into a fresh rootfs, import it, finish it."""
    recipe = _recipe(target)
    sources = cache_dir() / "sources" / f"musl-{recipe.suite}"
    sources.mkdir(parents=True, exist_ok=True)
    scratch = cache_dir() / "rootfs"
    scratch.mkdir(parents=True, exist_ok=True)
    rootfs = Path(tempfile.mkdtemp(prefix=f"{target.name}-", dir=scratch))
    builder = context.image_of(TARGETS[recipe.builder])
    base = f"{context.tag}-rootfs"
    try:
        with build_step(
            context.client,
            builder,
            ["/bin/sh", "-c", _BUILD],
            context.log_path,
            f"Building CPython {recipe.version} against musl",
            environment={"PY": recipe.version, "PACKAGES": " ".join(recipe.packages), "OPT": CPYTHON_OPT},
            volumes={
                str(sources): {"bind": "/src", "mode": "rw"},
                str(rootfs): {"bind": "/out", "mode": "rw"},
            },
        ):
            pass  # the rootfs is in the bind-mounted directory
        _write_etc(rootfs)
        _import_rootfs(context, rootfs, base)
    finally:
        shutil.rmtree(rootfs, ignore_errors=True)
    try:
        command = ["/bin/sh", "-c", finish_script(recipe.version)]
        with build_step(context.client, base, command, context.log_path, f"Finishing {context.tag}") as done:
            context.commit(done, target)
    finally:
        context.client.images.remove(base, force=True)


def dockerfile(target: Target, context: BuildContext) -> str:
    """Alpine's own python3 and py3-pip on the registry image, the accounts made by Alpine's adduser."""
    users = [f"adduser -D -u {a.uid} {a.name}" for a in ACCOUNTS.values() if a.uid != 0]
    run = " && ".join(["apk add --no-cache python3 py3-pip", *users, *_venv_steps()])
    return f'FROM {target.registry_image}\nRUN {run}\n{context.labels(target)}\nCMD ["sleep", "infinity"]\n'
