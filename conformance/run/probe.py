"""Stdlib-only probe run by the target's own interpreter: reports its schemes, site and files as JSON.

It runs inside targets on Python 3.10 and newer, so it imports nothing outside the stdlib.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import site
import stat
import sys
import sysconfig
from typing import Literal


def _writable(path: str) -> bool:
    # pip's test_writable_dir: the nearest existing ancestor decides.
    while not os.path.isdir(path):
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    return os.access(path, os.W_OK)


def _preferred(key: Literal["prefix", "home", "user"]) -> str | None:
    try:
        return sysconfig.get_preferred_scheme(key)
    except (AttributeError, ValueError, KeyError):
        return None


def _own_scheme(name: str) -> bool:
    # sysconfig lists every platform's schemes; another platform's expand to meaningless paths here.
    if os.name == "nt":
        return name.startswith("nt") or name == "venv"
    if name.startswith("osx_framework"):
        return sys.platform == "darwin" and bool(getattr(sys, "_framework", ""))
    return not name.startswith("nt")


def _pyvenv_cfg() -> dict[str, str]:
    path = os.path.join(sys.prefix, "pyvenv.cfg")
    if not os.path.isfile(path):
        return {}
    values = {}
    with open(path, encoding="utf-8") as cfg:
        for line in cfg:
            key, sep, value = line.partition("=")
            if sep:
                values[key.strip()] = value.strip()
    return values


def _version_of(dist: str) -> str | None:
    try:
        from importlib.metadata import PackageNotFoundError, version
    except ImportError:
        return None
    try:
        return version(dist)
    except PackageNotFoundError:
        return None


def facts() -> dict[str, object]:
    """Everything the judge needs about this interpreter, as the account running it sees it."""
    schemes = {name: sysconfig.get_paths(name) for name in sysconfig.get_scheme_names() if _own_scheme(name)}
    prefix_scheme = _preferred("prefix")
    default_paths = sysconfig.get_paths(prefix_scheme) if prefix_scheme else sysconfig.get_paths()
    marker = os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")
    return {
        "executable": sys.executable,
        "version": ".".join(str(p) for p in sys.version_info[:3]),
        "implementation": sys.implementation.name,
        "platform": sys.platform,
        "os_name": os.name,
        "libc": list(platform.libc_ver()),
        "prefix": sys.prefix,
        "base_prefix": sys.base_prefix,
        "in_venv": sys.prefix != sys.base_prefix,
        "pyvenv_cfg": _pyvenv_cfg(),
        "uid": os.getuid(),
        "euid": os.geteuid(),
        "home": os.path.expanduser("~"),
        "no_user_site_flag": bool(sys.flags.no_user_site),
        "enable_user_site": site.ENABLE_USER_SITE,
        "user_base": site.getuserbase(),
        "user_site": site.getusersitepackages(),
        "sys_path": list(sys.path),
        "schemes": schemes,
        "preferred": {key: _preferred(key) for key in ("prefix", "home", "user")},
        "default_scheme": prefix_scheme,
        "default_writable": {key: _writable(default_paths[key]) for key in ("purelib", "platlib")},
        "externally_managed": {"marker": marker, "present": os.path.isfile(marker)},
        "pip_version": _version_of("pip"),
    }


def check(module: str, dist: str) -> dict[str, object]:
    """Whether ``module`` imports and ``dist``'s metadata is visible, for this interpreter and account."""
    result: dict[str, object] = {"module": module, "dist": dist}
    try:
        imported = __import__(module)
        result["import"] = True
        result["file"] = getattr(imported, "__file__", None)
    except Exception as error:  # any failure to import is the observation
        result["import"] = False
        result["error"] = f"{type(error).__name__}: {error}"
    result["metadata_version"] = _version_of(dist)
    return result


def _describe(path: str) -> dict[str, object]:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return {"path": path, "type": "missing"}
    except OSError as error:
        return {"path": path, "type": "unreadable", "error": str(error)}
    entry: dict[str, object] = {"path": path, "mode": stat.S_IMODE(info.st_mode), "uid": info.st_uid}
    if stat.S_ISLNK(info.st_mode):
        entry.update(type="symlink", link=os.readlink(path))
    elif stat.S_ISDIR(info.st_mode):
        entry["type"] = "dir"
    elif stat.S_ISREG(info.st_mode):
        with open(path, "rb") as handle:
            content = handle.read()
        entry.update(type="file", size=len(content), sha256=hashlib.sha256(content).hexdigest())
        if content.startswith(b"#!"):
            entry["shebang"] = content.split(b"\n", 1)[0].decode("utf-8", "replace")
    else:
        entry["type"] = "other"
    return entry


def describe(paths: list[str]) -> list[dict[str, object]]:
    """Type, mode, size, hash and shebang of each path."""
    return [_describe(p) for p in paths]


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "facts":
        output: object = facts()
    elif command == "check" and len(argv) == 3:
        output = check(argv[1], argv[2])
    elif command == "describe":
        output = describe(argv[1:])
    else:
        sys.stderr.write("usage: probe.py facts | check MODULE DIST | describe PATH...\n")
        return 2
    json.dump(output, sys.stdout, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
