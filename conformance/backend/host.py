"""The host backend: cells run on this machine with its own interpreters, each in fresh temporary homes."""

from __future__ import annotations

import json
import ntpath
import os
import platform
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from filelock import FileLock

from conformance.backend.protocol import ExecResult
from conformance.backend.staging import Toolset
from conformance.catalogue.accounts import Account
from conformance.catalogue.platforms import Platform
from conformance.run import probe

#: The short name of this machine's operating system in host target names.
OS_NAMES = {"linux": "linux", "darwin": "macos", "win32": "windows"}
#: The default scheme's keys whose directories a host cell watches besides its own temporary directory.
_SCHEME_KEYS = ("purelib", "platlib", "scripts", "include", "platinclude")
#: Under the scheme's ``data`` (often a whole prefix such as /usr/local), only where wheels put files.
_DATA_SUBDIRS = ("share", "include")
_POSIX_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#: Windows programs do not start without these; nothing in them points at the account's own files.
_WINDOWS_KEEP = ("SYSTEMROOT", "SYSTEMDRIVE", "WINDIR", "COMSPEC", "PATHEXT", "PATH")


class HostWriteError(RuntimeError):
    """A host cell changed the machine outside its temporary directory; the message lists the paths."""


@dataclass(frozen=True)
class HostTarget:
    """One of this machine's interpreters as a target: what it is, and the directories it installs into."""

    name: str  # host-linux-cpython3.11
    python: str  # the interpreter's own path (sys.executable)
    version: str
    scheme_roots: tuple[str, ...]  # the default scheme's directories (a system install writes there)


@dataclass(frozen=True)
class HostPlatform(Platform):
    """A host interpreter, named by its path; an activated venv's own interpreter in venv scenarios."""

    def python(self, env: dict[str, str]) -> tuple[str, ...]:
        venv = env.get("VIRTUAL_ENV")
        if venv:
            return (venv_python(venv),)
        return (self.interpreter,)

    def program(self, path: str) -> tuple[str, ...]:
        return (path + ".exe",) if sys.platform == "win32" else (path,)

    def native(self, path: str) -> str:
        return path

    @property
    def walker(self) -> tuple[str, ...]:
        return (self.interpreter,)


def venv_python(venv: str) -> str:
    """A venv's interpreter on this machine."""
    if sys.platform == "win32":
        return ntpath.join(venv, "Scripts", "python.exe")
    return f"{venv}/bin/python3"


def machine_description() -> str:
    """The machine that ran the host rows: its platform and, on a CI runner, the runner's image."""
    image = os.environ.get("ImageOS")  # noqa: SIM112 (GitHub's hosted runners name their image so)
    return platform.platform() + (f" ({image} runner)" if image else "")


def _clean_env(home: str) -> dict[str, str]:
    env = {"HOME": home, "PATH": _POSIX_PATH}
    if sys.platform == "win32":
        env = {k: os.environ[k] for k in _WINDOWS_KEEP if k in os.environ}
        env.update(_windows_dirs(home))
    return env


def _windows_dirs(home: str) -> dict[str, str]:
    """Where Windows puts an account's per-user data: the user scheme follows %APPDATA%."""
    return {
        "USERPROFILE": home,
        "HOME": home,
        "APPDATA": ntpath.join(home, "AppData", "Roaming"),
        "LOCALAPPDATA": ntpath.join(home, "AppData", "Local"),
    }


def run_facts(python: str) -> dict[str, Any]:
    """The probe's facts of ``python``, run with an empty temporary HOME and nothing else of this process."""
    with tempfile.TemporaryDirectory(prefix="conformance-facts-") as home:
        result = subprocess.run(
            [python, "-B", probe.__file__, "facts"],
            capture_output=True,
            text=True,
            env=_clean_env(home),
            check=False,
        )
    if result.returncode != 0:
        raise ValueError(f"{python}: the probe failed: {result.stderr.strip()[-400:]}")
    facts: dict[str, Any] = json.loads(result.stdout)
    return facts


def _covering(paths: Sequence[str]) -> tuple[str, ...]:
    """The paths, without those inside another (each is walked once)."""
    chosen: list[str] = []
    for path in sorted({os.path.normpath(p) for p in paths}, key=len):
        if not any(os.path.commonpath([path, kept]) == kept for kept in chosen):
            chosen.append(path)
    return tuple(sorted(chosen))


def describe(python: str, taken: Sequence[str] = (), suffix: str = "") -> HostTarget:
    """A host target of ``python``, named from its facts and ``suffix`` (a number tells apart two of one
    version)."""
    facts = run_facts(python)
    short = ".".join(str(facts["version"]).split(".")[:2])
    os_name = OS_NAMES.get(str(facts["platform"]), str(facts["platform"]))
    name = base = f"host-{os_name}-{facts['implementation']}{short}" + (f"-{suffix}" if suffix else "")
    count = 1
    while name in taken:
        count += 1
        name = f"{base}-{count}"
    scheme = facts["schemes"][facts["default_scheme"]]
    dirs = [scheme[k] for k in _SCHEME_KEYS if k in scheme]
    dirs += [os.path.join(scheme["data"], sub) for sub in _DATA_SUBDIRS]
    return HostTarget(name, str(facts["executable"]), str(facts["version"]), _covering(dirs))


def default_pythons() -> list[str]:
    """This machine's ``python3`` (``py`` on Windows), outside any venv: the first on PATH that is not one."""
    names = ["py"] if sys.platform == "win32" else ["python3"]
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        if (Path(directory).parent / "pyvenv.cfg").exists():
            continue  # a venv's python3 (tox's, say) is not the machine's
        for name in names:
            found = shutil.which(name, path=directory)
            if found:
                return [str(run_facts(found)["executable"])]
    return []


def host_targets(pythons: Sequence[str], suffix: str = "") -> dict[str, HostTarget]:
    """The host targets of these interpreters, by name, in the order given."""
    targets: dict[str, HostTarget] = {}
    for python in pythons:
        target = describe(python, list(targets), suffix)
        targets[target.name] = target
    return targets


@dataclass(frozen=True)
class HostAccounts:
    """The accounts this machine can run cells as (homes are per cell), and why the others are not run."""

    accounts: dict[str, Account]
    missing: dict[str, str]  # account name -> why it is not run here

    @classmethod
    def here(cls) -> HostAccounts:
        """The current account under its own name (root or user), and a second one where that is simple."""
        if sys.platform == "win32":
            return cls(
                {"user": Account("user", -1, -1, "")},
                {"root": "Windows has no root account; the host backend runs as the current account only"},
            )
        uid, gid = os.geteuid(), os.getegid()
        if uid != 0:
            return cls(
                {"user": Account("user", uid, gid, "")},
                {"root": f"this run is uid {uid}, not root: the host backend never escalates"},
            )
        if sys.platform != "linux":
            return cls(
                {"root": Account("root", 0, 0, "")},
                {"user": "a second account is made only on Linux; run the suite as a normal user instead"},
            )
        # An existing unprivileged account: making one (useradd) would change the machine's /etc.
        import pwd

        nobody = pwd.getpwnam("nobody")
        return cls(
            {"root": Account("root", 0, 0, ""), "user": Account("user", nobody.pw_uid, nobody.pw_gid, "")}, {}
        )

    def for_target(self, target: HostTarget, tools: str) -> HostAccounts:
        """These accounts less those that cannot run the interpreter or the staged probe, with why."""
        accounts, missing = {}, dict(self.missing)
        for name, account in self.accounts.items():
            why = unreachable(target, account, tools)
            if why is None:
                accounts[name] = account
            else:
                missing[name] = why
        return HostAccounts(accounts, missing)


def unreachable(target: HostTarget, account: Account, tools: str) -> str | None:
    """Why ``account`` cannot run the target's interpreter on the staged probe (another account may not
    reach a directory of either), or None."""
    if account.uid < 0 or account.uid == os.geteuid():
        return None
    try:
        result = subprocess.run(
            [target.python, "-B", f"{tools}/probe.py", "which", "python3"],
            capture_output=True,
            text=True,
            env=_clean_env(tempfile.gettempdir()),
            cwd="/",
            user=account.uid,
            group=account.gid,
            extra_groups=[],
            check=False,
        )
    except OSError as error:  # the interpreter itself is out of its reach
        return f"uid {account.uid} cannot run {target.python}: {error.strerror}"
    if result.returncode == 0:
        return None
    why = (result.stderr.strip().splitlines() or [f"exit {result.returncode}"])[-1]
    return f"uid {account.uid} cannot run {target.python} on {tools}/probe.py: {why}"


def _workbase() -> Path:
    """This account's directory of host cells in the temporary directory, refused if another made it."""
    uid = getattr(os, "geteuid", lambda: None)()
    base = Path(tempfile.gettempdir()) / f"conformance-host-{'' if uid is None else uid}".rstrip("-")
    base.mkdir(mode=0o755, exist_ok=True)
    info = os.lstat(base)
    if stat.S_ISLNK(info.st_mode) or (uid is not None and info.st_uid != uid):
        raise HostWriteError(f"{base} is not this account's own directory: no host cell runs there")
    return base


class HostBackend:
    """One cell on this machine: fresh homes for its accounts, the staged tools used in place, and a guard
    that proves the interpreter's own directories did not change."""

    def __init__(
        self,
        target: HostTarget,
        toolset: Toolset,
        accounts: HostAccounts,
        *,
        allow_system_writes: bool = False,
    ) -> None:
        self.target = target
        self.allow_system_writes = allow_system_writes
        self.platform: Platform = HostPlatform(interpreter=target.python)
        self.tools = toolset.root
        # One directory per target, the same for every cell (so paths compare across spellings, runs and
        # nights), held by one cell at a time.
        base = _workbase()
        self._dir = base / target.name
        self._lock = FileLock(str(base / f"{target.name}.lock"))
        self.identity = f"{target.name}:{target.python}"  # fresh cells of one interpreter are alike
        homes = self._dir / "homes"
        self.accounts = {
            name: replace(account, home=str(homes / name)) for name, account in accounts.accounts.items()
        }
        self.roots = (str(homes), *target.scheme_roots)
        self.scratch = str(self._dir / "scratch")
        self._tmp = self._dir / "tmp"
        self._closed = False
        self._absent: list[str] = []

    def start(self) -> HostBackend:
        """Take the target's directory, make the homes (owned by their accounts) and take the guard's
        snapshot of the scheme dirs."""
        self._lock.acquire()
        try:
            self._prepare()
        except BaseException:
            self._closed = True
            self._release()
            raise
        return self

    def _prepare(self) -> None:
        shutil.rmtree(self._dir, ignore_errors=True)  # a killed run's
        self._dir.mkdir(mode=0o755)
        self._dir.chmod(0o755)  # the second account reaches its home through here
        self._tmp.mkdir(mode=0o1777)
        self._tmp.chmod(0o1777)
        for account in self.accounts.values():
            home = Path(account.home)
            home.mkdir(parents=True)
            if sys.platform == "win32":
                for key in ("APPDATA", "LOCALAPPDATA"):
                    Path(_windows_dirs(account.home)[key]).mkdir(parents=True)
            elif sys.platform == "darwin":
                (home / "Library").mkdir()
            if account.uid >= 0 and account.uid != os.geteuid():
                for path in [home, *home.rglob("*")]:
                    os.chown(path, account.uid, account.gid)
        # A walk sees what appears inside a root, not the root itself appearing.
        self._absent = [root for root in self.target.scheme_roots if not os.path.lexists(root)]
        self._guard("begin")

    def _guard(self, command: str) -> dict[str, Any]:
        spec = {"roots": list(self.target.scheme_roots), "state": f"{self.scratch}/guard"}
        walker = next(iter(self.accounts.values()))
        result = self.exec(
            [self.target.python, "-B", f"{self.tools}/probe.py", command, json.dumps(spec)], walker
        )
        if result.exit_code != 0:
            raise RuntimeError(f"the host guard's probe failed: {result.stderr.strip()[-800:]}")
        report: dict[str, Any] = json.loads(result.stdout)
        return report

    def exec(self, argv: Sequence[str], account: Account, env: Mapping[str, str] | None = None) -> ExecResult:
        """Run ``argv`` as this machine's account of that name (else the current one) in its home."""
        assert not self._closed, "exec after close"
        me = self.accounts.get(account.name) or next(
            a for a in self.accounts.values() if a.uid in (-1, getattr(os, "geteuid", lambda: -1)())
        )
        full = {
            **_clean_env(me.home),
            "USER": me.name,
            "LOGNAME": me.name,
            "TMPDIR": str(self._tmp),
            "TEMP": str(self._tmp),
            "TMP": str(self._tmp),
            **(env or {}),
        }
        switch = me.uid >= 0 and me.uid != os.geteuid()
        start = time.monotonic()
        result = subprocess.run(
            list(argv),
            capture_output=True,
            text=True,
            errors="replace",
            env=full,
            cwd=me.home,
            user=me.uid if switch else None,
            group=me.gid if switch else None,
            extra_groups=[] if switch else None,
            check=False,
        )
        return ExecResult(
            tuple(argv), result.returncode, result.stdout, result.stderr, time.monotonic() - start
        )

    def close(self) -> None:
        """Check the scheme dirs against the guard's snapshot, then remove the cell's temporary directory.

        Without ``allow_system_writes`` any change there is a HostWriteError; with it, added paths are
        removed so the next cell finds the interpreter as it was (a changed or deleted one cannot be undone).
        """
        if self._closed:
            return
        try:
            changes = self._guard("observe")["changes"] if (self._dir / "scratch" / "guard").exists() else []
            appeared = [{"path": root, "change": "added"} for root in self._absent if os.path.lexists(root)]
            self._undo(appeared + changes)
        finally:
            self._closed = True
            self._release()

    def _release(self) -> None:
        shutil.rmtree(self._dir, ignore_errors=True)
        self._lock.release()

    def _undo(self, changes: list[dict[str, Any]]) -> None:
        if not changes:
            return
        listed = "\n".join(f"  {c['change']} {c['path']}" for c in changes[:20])
        if not self.allow_system_writes:
            raise HostWriteError(
                f"{self.target.name}: a cell changed the machine outside its temporary directory:\n{listed}"
            )
        added = [c for c in changes if c["change"] == "added"]
        for change in sorted(added, key=lambda c: str(c["path"]), reverse=True):
            path = Path(change["path"])
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        if len(added) != len(changes):
            raise HostWriteError(
                f"{self.target.name}: a cell changed or deleted files it cannot put back:\n{listed}"
            )

    def __enter__(self) -> HostBackend:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()
