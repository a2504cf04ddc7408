"""Stdlib-only probe run by the target's own interpreter: its facts, and a cell's whole observation.

It runs inside targets on Python 3.10 and newer, so it imports nothing outside the stdlib. ``begin``
snapshots the watched roots; ``observe`` compares them with that snapshot, describes every changed path,
and runs the import and script checks as the accounts, all in one process: one exec per observation.
"""

from __future__ import annotations

import json
import os
import site
import stat
import sys
from typing import TYPE_CHECKING, Any, Literal

# Each command imports what only it needs, inside its functions: the import checks run this file three
# times per cell, and its start-up is most of their cost.
if TYPE_CHECKING:
    import subprocess


def _writable(path: str) -> bool:
    # pip's test_writable_dir: the nearest existing ancestor decides.
    while not os.path.isdir(path):
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    if os.name == "nt":
        return _writable_nt(path)
    return os.access(path, os.W_OK)


def _writable_nt(path: str) -> bool:
    # pip's _test_writable_dir_win: os.access ignores Windows ACLs, so create a file and remove it.
    import secrets

    for _ in range(10):
        name = os.path.join(path, f"probe-{secrets.token_hex(4)}")
        try:
            fd = os.open(name, os.O_RDWR | os.O_CREAT | os.O_EXCL)
        except FileExistsError:
            continue
        except PermissionError:
            return False
        os.close(fd)
        os.unlink(name)
        return True
    return False


def _preferred(key: Literal["prefix", "home", "user"]) -> str | None:
    import sysconfig

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


def _libc() -> list[str]:
    """The C library and its version: platform.libc_ver() knows glibc; musl's loader states its version."""
    import glob
    import platform
    import re
    import subprocess

    name, version = platform.libc_ver()
    if name == "glibc":
        return [name, version]
    # What packaging's musllinux detection runs; libc_ver() names a musl libc "libc" or nothing.
    for loader in glob.glob("/lib/ld-musl-*.so.1"):
        found = re.search(
            r"Version ([0-9.]+)", subprocess.run([loader], capture_output=True, text=True).stderr
        )
        return ["musl", found.group(1) if found else ""]
    return [name, version]


def _abi() -> str:
    """The ABI tag of the extension modules CPython loads (packaging's rule): cp313, cp313t, cp313d."""
    import sysconfig

    if sys.implementation.name != "cpython":
        return ""
    threaded = "t" if sysconfig.get_config_var("Py_GIL_DISABLED") else ""
    debug = "d" if sysconfig.get_config_var("Py_DEBUG") or hasattr(sys, "gettotalrefcount") else ""
    return f"cp{sys.version_info[0]}{sys.version_info[1]}{threaded}{debug}"


def facts() -> dict[str, object]:
    """Everything the judge needs about this interpreter, as the account running it sees it."""
    import platform
    import sysconfig

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
        "libc": _libc(),
        "machine": platform.machine(),
        "abi": _abi(),
        "prefix": sys.prefix,
        "base_prefix": sys.base_prefix,
        "in_venv": sys.prefix != sys.base_prefix,
        "pyvenv_cfg": _pyvenv_cfg(),
        "uid": getattr(os, "getuid", lambda: None)(),
        "euid": getattr(os, "geteuid", lambda: None)(),
        "temp": _temp_dir(),
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
        "proof": _proof(),
    }


def _temp_dir() -> str:
    import tempfile

    return tempfile.gettempdir()


def _proof() -> dict[str, str]:
    """Who this process really is, from the kernel: ids, effective capabilities, no-new-privileges."""
    wanted = ("Uid", "Gid", "Groups", "CapEff", "NoNewPrivs")
    # Under Wine, Z: is the Linux root: a Windows process reads its own Linux process's status there.
    status_path = "Z:/proc/self/status" if os.name == "nt" else "/proc/self/status"
    try:
        with open(status_path, encoding="ascii") as status:
            lines = [line.split(":", 1) for line in status if ":" in line]
    except OSError:
        return {}
    return {key: " ".join(value.split()) for key, value in lines if key in wanted}


def check(module: str, dist: str) -> dict[str, object]:
    """Whether ``module`` imports and ``dist``'s metadata is visible, for this interpreter and account."""
    result: dict[str, object] = {"module": module, "dist": dist}
    try:
        import importlib

        # import_module gives the named module itself (a namespace's portion), where __import__ gives the top.
        imported = importlib.import_module(module)
        result["import"] = True
        result["file"] = getattr(imported, "__file__", None)
    except Exception as error:  # any failure to import is the observation
        result["import"] = False
        result["error"] = f"{type(error).__name__}: {error}"
    result["metadata_version"] = _version_of(dist)
    return result


def _describe(path: str) -> dict[str, object]:
    import hashlib

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


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "symlink"
    if stat.S_ISDIR(mode):
        return "dir"
    return "file" if stat.S_ISREG(mode) else "other"


#: What tells a path's content or metadata apart between two walks: its mode (type included), size, inode,
#: mtime and ctime; the kernel updates ctime on any write, chmod or rename, and no installer can set it back.
Signature = tuple[int, int, int, int, int]


def walk(roots: list[str], ignore: tuple[str, ...] = ()) -> dict[str, Signature]:
    """Every path under ``roots`` on the roots' own filesystems (like ``find -xdev``), with its signature;
    not the paths ``ignore`` names (``fnmatch`` patterns of a name in a given directory)."""
    import fnmatch

    ignored: dict[str, list[str]] = {}
    for pattern in ignore:
        ignored.setdefault(os.path.dirname(pattern), []).append(os.path.basename(pattern))
    found: dict[str, Signature] = {}
    # The loop runs once per path of the filesystem (about 15,000): it does one lstat per entry and as
    # little Python as it can around it.
    for root in roots:
        try:
            device = os.lstat(root).st_dev
        except OSError:
            continue
        stack = [root]
        while stack:
            directory = stack.pop()
            try:
                entries = os.scandir(directory)
            except OSError:
                continue
            patterns = ignored.get(directory)
            with entries:
                for entry in entries:
                    if patterns and any(fnmatch.fnmatchcase(entry.name, p) for p in patterns):
                        continue
                    try:
                        info = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    mode = info.st_mode
                    path = entry.path
                    found[path] = (mode, info.st_size, info.st_ino, info.st_mtime_ns, info.st_ctime_ns)
                    # Other filesystems (/proc, /sys, /dev, the read-only tools mount) are not the target's;
                    # on Windows a DirEntry's st_dev is always 0 (CPython's docs), so lstat tells there.
                    if stat.S_ISDIR(mode) and (info.st_dev or os.lstat(path).st_dev) == device:
                        stack.append(path)
    return found


def begin(spec: dict[str, Any]) -> dict[str, object]:
    """Snapshot the watched roots into the state file, where only this probe (as root) reads it."""
    import marshal

    roots = [str(r) for r in spec["roots"]]
    state = str(spec["state"])
    os.makedirs(os.path.dirname(state), mode=0o700, exist_ok=True)
    found = walk(roots, tuple(spec.get("ignore", ())))
    with open(state, "wb") as out:
        marshal.dump(found, out)
    return {"paths": len(found)}


def _changes(before: dict[str, Signature], after: dict[str, Signature]) -> list[dict[str, Any]]:
    changes: list[dict[str, Any]] = []
    # Only the few differing paths are sorted, not the whole filesystem's.
    differing = [path for path, new in after.items() if before.get(path) != new]
    differing += [path for path in before if path not in after]
    for path in sorted(differing):
        old, new = before.get(path), after.get(path)
        if new is None:
            assert old is not None
            changes.append({"path": path, "change": "deleted", "type": _kind(old[0])})
            continue
        if old is not None and stat.S_ISDIR(new[0]) and stat.S_ISDIR(old[0]):
            continue  # a directory "changes" whenever an entry inside it does
        entry = _describe(path)
        entry["change"] = "added" if old is None else "modified"
        source = _bytecode_source(path) if old is None else None
        if source is not None and source in before and before[source] == after.get(source):
            entry["bytecode_of"] = source
        changes.append(entry)
    return changes


def _bytecode_source(path: str) -> str | None:
    """The module ``path`` caches when it is ``__pycache__/<module>.<tag>[.opt-N].pyc`` (PEP 3147)."""
    directory, name = os.path.split(path)
    if not name.endswith(".pyc") or os.path.basename(directory) != "__pycache__":
        return None
    return os.path.join(os.path.dirname(directory), name.split(".", 1)[0] + ".py")


def _spawn(run: dict[str, Any], argv: list[str]) -> subprocess.Popen[str]:
    """Start ``argv`` as the run's account, with its environment and home, as ``docker exec -u`` would."""
    import subprocess

    uid, gid = int(run["uid"]), int(run["gid"])
    same = uid < 0 or uid == os.geteuid()  # < 0: the host backend's Windows account, this process
    return subprocess.Popen(
        argv,
        env={str(k): str(v) for k, v in run["env"].items()},
        cwd=str(run["home"]),
        user=None if same else uid,
        group=None if same else gid,
        extra_groups=None if same else [],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
    )


class _NotStarted:
    """A program the kernel would not start (its shebang's interpreter missing or not executable), as a
    shell reports it: exit status 127 or 126, the error as its output."""

    def __init__(self, error: OSError) -> None:
        self.returncode = 127 if isinstance(error, FileNotFoundError) else 126
        self.error = f"{error.filename}: cannot be started: {error.strerror}"

    def communicate(self, timeout: float | None = None) -> tuple[str, str]:
        return "", self.error

    def kill(self) -> None:
        pass


def _start(run: dict[str, Any], argv: list[str]) -> subprocess.Popen[str] | _NotStarted:
    """``_spawn``, where a program that cannot be started is a result, not the probe's failure."""
    try:
        return _spawn(run, argv)
    except OSError as error:
        return _NotStarted(error)


def _finish(process: subprocess.Popen[str] | _NotStarted) -> tuple[int, str, str]:
    import subprocess

    try:
        out, err = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
    return process.returncode, out, err


def _python(run: dict[str, Any]) -> list[str]:
    """The run's interpreter command, and this probe as that interpreter names it."""
    return [str(part) for part in run["python"]] + ["-B", str(run.get("probe") or os.path.abspath(__file__))]


def _import_check(
    run: dict[str, Any], module: str, dist: str
) -> tuple[dict[str, Any], subprocess.Popen[str]]:
    flags = [str(f) for f in run.get("flags", [])]
    python = _python(run)
    argv = [*python[:-2], "-B", *flags, python[-1], "check", module, dist]
    return {"who": run["who"], "account": run["account"]}, _spawn(run, argv)


def _import_result(result: dict[str, Any], process: subprocess.Popen[str]) -> dict[str, Any]:
    code, out, err = _finish(process)
    if code == 0:
        result.update(json.loads(out))
    else:
        result.update({"import": False, "error": (err.strip().splitlines() or ["probe failed"])[-1]})
    return result


def _script_check(
    run: dict[str, Any], name: str, prefer_dir: str, changes: list[dict[str, Any]], args: list[str]
) -> tuple[dict[str, Any], list[subprocess.Popen[str] | _NotStarted]]:
    """Find a console script among the added files (in ``prefer_dir``, else wherever it landed); run it
    with ``args``, and ask a login shell of the account where the name leads."""
    import ntpath
    import shlex

    windows = bool(run.get("launcher")) or os.name == "nt"  # Windows programs under Wine, or Windows
    if windows:
        # Windows: the script is an .exe launcher; paths are compared as Windows compares them.
        def key(change: dict[str, Any]) -> str:
            return ntpath.normcase(str(change.get("native") or change["path"]))

        wanted, directory, prefer = (
            ntpath.normcase(name + ".exe"),
            ntpath.dirname,
            ntpath.normcase(prefer_dir),
        )
    else:

        def key(change: dict[str, Any]) -> str:
            return str(change["path"])

        wanted, directory, prefer = name, os.path.dirname, prefer_dir
    candidates = [
        c
        for c in changes
        if c["type"] == "file"
        and c["change"] != "deleted"
        and directory(key(c)).join(["", ""]) != ""
        and key(c)[len(directory(key(c))) :].lstrip("/\\") == wanted
    ]
    if not candidates:
        return {"name": name, "path": None}, []
    preferred = [c for c in candidates if directory(key(c)) == prefer]
    chosen = (preferred or candidates)[0]
    path = str(chosen.get("native") or chosen["path"])
    result = {"name": name, "path": path, "shebang": chosen.get("shebang")}
    if windows:
        which = [*_python(run), "which", name]
        return result, [_spawn(run, [*run["launcher"], path, *args]), _spawn(run, which)]
    return result, [
        _start(run, [path, *args]),
        _spawn(run, ["sh", "-lc", f"command -v {shlex.quote(name)}"]),
    ]


def _script_result(
    result: dict[str, Any], processes: list[subprocess.Popen[str] | _NotStarted]
) -> dict[str, Any]:
    if not processes:
        return result
    import ntpath

    (code, out, err), (login_code, login_out, _) = (_finish(p) for p in processes)
    found = login_out.strip()
    if found.startswith("{"):  # Windows: the probe's ``which`` through the account's Windows PATH
        found = json.loads(found)["path"] or ""
        on_path = ntpath.normcase(found) == ntpath.normcase(str(result["path"]))
    else:
        on_path = found == result["path"]
    result.update(
        exit_code=code, output=(out + err).strip()[-300:], on_login_path=login_code == 0 and on_path
    )
    return result


def _drive_map(prefix: str) -> list[tuple[str, str]]:
    """(Linux directory, Windows path) pairs of a wine prefix, longest first: its drives (dosdevices), and
    the symlinks two levels down a drive that lead elsewhere (an install shared by several prefixes)."""
    pairs = []
    devices = os.path.join(prefix, "dosdevices")
    for name in sorted(os.listdir(devices)):
        if len(name) != 2 or name[1] != ":":
            continue
        root = os.path.realpath(os.path.join(devices, name))
        drive = name.upper()
        pairs.append((root, drive))
        if root == "/":
            continue
        for top in sorted(os.listdir(root)):
            for rel in [top] + [os.path.join(top, n) for n in _listdir(os.path.join(root, top))]:
                link = os.path.join(root, rel)
                if os.path.islink(link) and os.path.isdir(link):
                    pairs.append((os.path.realpath(link), drive + "\\" + rel.replace("/", "\\")))
    return sorted(pairs, key=lambda pair: len(pair[0]), reverse=True)


def _listdir(path: str) -> list[str]:
    try:
        return sorted(os.listdir(path)) if os.path.isdir(path) and not os.path.islink(path) else []
    except OSError:
        return []


def _windows_path(path: str, drives: list[tuple[str, str]]) -> str:
    """``path`` as the prefix's Windows programs name it."""
    for root, windows in drives:
        if path == root or path.startswith(root.rstrip("/") + "/"):
            rest = path[len(root) :].strip("/").replace("/", "\\")
            return windows.rstrip("\\") + "\\" + rest
    return path


def which(name: str) -> dict[str, object]:
    """Where this account's PATH leads ``name`` (Windows: through PATHEXT)."""
    import shutil

    return {"path": shutil.which(name)}


def observe(spec: dict[str, Any]) -> dict[str, object]:
    """What changed since ``begin`` (or the last rebase), then the import and script checks, side by side."""
    import marshal

    roots = [str(r) for r in spec["roots"]]
    state = str(spec["state"])
    checks = spec.get("checks") or {}
    # Each check is its own process (another account, other flags). The import checks write nothing
    # (-B), so they run beside the walk; scripts may write bytecode, so they start after it.
    imports = [
        _import_check(run, str(checks["module"]), str(checks["dist"])) for run in checks.get("imports", [])
    ]
    with open(state, "rb") as handle:
        # marshal.load on a file reads it a few bytes at a time: six times slower than loads.
        before = marshal.loads(handle.read())
    after = walk(roots, tuple(spec.get("ignore", ())))
    changes = _changes(before, after)
    if spec.get("wine_prefix"):
        drives = _drive_map(str(spec["wine_prefix"]))
        for change in changes:
            change["native"] = _windows_path(str(change["path"]), drives)
            if "bytecode_of" in change:
                change["bytecode_of"] = _windows_path(str(change["bytecode_of"]), drives)
    if spec.get("rebase"):
        with open(state, "wb") as out:
            marshal.dump(after, out)
    scripts = [
        _script_check(checks["as"], name, checks["scripts_dir"], changes, checks.get("script_args", []))
        for name in checks.get("scripts", [])
    ]
    return {
        "changes": changes,
        "imports": [_import_result(*started) for started in imports],
        "scripts": [_script_result(*started) for started in scripts],
    }


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "facts":
        output: object = facts()
    elif command == "check" and len(argv) == 3:
        output = check(argv[1], argv[2])
    elif command == "which" and len(argv) == 2:
        output = which(argv[1])
    elif command in ("begin", "observe") and len(argv) == 2:
        output = (begin if command == "begin" else observe)(json.loads(argv[1]))
    else:
        sys.stderr.write(
            "usage: probe.py facts | check MODULE DIST | which NAME | begin SPEC | observe SPEC\n"
        )
        return 2
    json.dump(output, sys.stdout, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
