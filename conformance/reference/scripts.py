"""Console and gui script wrappers byte for byte as pip (distlib's ScriptMaker) writes them."""

from __future__ import annotations

import io
import ntpath
import posixpath
import zipfile
from importlib.resources import files

from .wheelfile import EntryPoint

#: pip >= 26.0's wrapper body (PipScriptMaker.script_template).
TEMPLATE = """\
import sys
from {module} import {import_name}
if __name__ == '__main__':
    sys.argv[0] = sys.argv[0].removesuffix('.exe')
    sys.exit({func}())
"""

#: installer's vendored copies of distlib's Windows launchers, by (gui, launcher kind).
LAUNCHERS = {
    (False, "win-ia32"): "t32.exe",
    (False, "win-amd64"): "t64.exe",
    (False, "win-arm"): "t_arm.exe",
    (False, "win-arm64"): "t64-arm.exe",
    (True, "win-ia32"): "w32.exe",
    (True, "win-amd64"): "w64.exe",
    (True, "win-arm"): "w_arm.exe",
    (True, "win-arm64"): "w64-arm.exe",
}


def enquote(executable: str) -> str:
    """distlib's ``enquote_executable``: quote a path with spaces (only the part after /usr/bin/env)."""
    if " " not in executable:
        return executable
    if executable.startswith("/usr/bin/env "):
        env, rest = executable.split(" ", 1)
        if " " in rest and not rest.startswith('"'):
            return f'{env} "{rest}"'
        return executable
    return executable if executable.startswith('"') else f'"{executable}"'


def shebang(executable: str, *, os_name: str, platform: str) -> bytes:
    """distlib's ``_get_shebang``: ``#!exe``, or a /bin/sh trampoline for spaces and long paths on POSIX."""
    exe = enquote(executable).encode("utf-8")
    limit = 512 if platform == "darwin" else 127
    if os_name != "posix" or (b" " not in exe and len(exe) + 3 <= limit):
        return b"#!" + exe + b"\n"
    return b"#!/bin/sh\n'''exec' " + exe + b' "$0" "$@"\n' + b"' '''\n"


def body(ep: EntryPoint) -> bytes:
    return TEMPLATE.format(module=ep.module, import_name=ep.attr.split(".")[0], func=ep.attr).encode("utf-8")


def wrapper(ep: EntryPoint, *, executable: str, launcher_kind: str, platform: str) -> tuple[str, bytes]:
    """The file name and content pip writes into the scripts directory for one entry point."""
    if launcher_kind == "posix":
        return ep.name, shebang(executable, os_name="posix", platform=platform) + body(ep)
    if ep.gui:
        head, tail = ntpath.split(executable)
        executable = ntpath.join(head, tail.replace("python", "pythonw"))
    launcher = files("installer._scripts").joinpath(LAUNCHERS[ep.gui, launcher_kind]).read_bytes()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("__main__.py", body(ep))
    # distlib drops a ".py"-like suffix before adding ".exe".
    stem, ext = posixpath.splitext(ep.name)
    name = stem if ext.startswith(".py") else ep.name
    return f"{name}.exe", launcher + shebang(executable, os_name="nt", platform=platform) + archive.getvalue()
