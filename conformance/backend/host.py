"""The host backend: cells run on this machine with its own interpreters, each in fresh temporary homes."""

from __future__ import annotations

import json
import os
import platform
import shutil
import stat
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import Any

from filelock import FileLock

from conformance.backend.hostenv import THIS, HostOS, cell_environment, profile_dirs
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
#: What observe's checks set per account themselves (container.account_env), over the platform's env.
_ACCOUNT_ENV = ("HOME", "USER", "LOGNAME")


class HostWriteError(RuntimeError):
    """A host cell changed the machine outside its temporary directory; the message lists the paths."""


@dataclass(frozen=True)
class HostTarget:
    """One of this machine's interpreters as a target: what it is, and the directories it installs into."""

    name: str  # host-linux-cpython3.11
    python: str  # the interpreter's own path (sys.executable)
    version: str
    scheme_roots: tuple[str, ...]  # the default scheme's directories (a system install writes there)
    # The interpreter's directory and its scripts directory: first on PATH, as python.org's installer
    # ("Add python.exe to PATH") and setup-python put them, so that a bare `python` (uv --system) is it.
    path: tuple[str, ...]


@dataclass(frozen=True)
class HostPlatform(Platform):
    """A host interpreter, named by its path; an activated venv's own interpreter in venv scenarios."""

    host: HostOS = THIS
    # What every account's processes of the cell see (observe's checks lay it over the account's HOME).
    environment: tuple[tuple[str, str], ...] = ()

    def python(self, env: dict[str, str]) -> tuple[str, ...]:
        venv = env.get("VIRTUAL_ENV")
        if venv:
            return (self.host.venv_python(venv),)
        return (self.interpreter,)

    def program(self, path: str) -> tuple[str, ...]:
        return (self.host.program(path),)

    def native(self, path: str) -> str:
        return path

    @property
    def devnull(self) -> str:
        return "nul" if self.host.nt else "/dev/null"

    @property
    def env(self) -> dict[str, str]:
        return dict(self.environment)

    @property
    def walker(self) -> tuple[str, ...]:
        return (self.interpreter,)


def machine_description() -> str:
    """The machine that ran the host rows: its platform and, on a CI runner, the runner's image."""
    image = os.environ.get("ImageOS")  # noqa: SIM112 (GitHub's hosted runners name their image so)
    return platform.platform() + (f" ({image} runner)" if image else "")


def _my_name() -> str:
    """The matrix's name of the account this process runs as."""
    return "root" if getattr(os, "geteuid", lambda: -1)() == 0 else "user"


def run_facts(python: str) -> dict[str, Any]:
    """The probe's facts of ``python``, run with an empty temporary HOME and nothing else of this process."""
    with tempfile.TemporaryDirectory(prefix="conformance-facts-") as home:
        env = cell_environment(THIS, home, home, _my_name(), [os.path.dirname(python)], os.environ)
        result = subprocess.run(
            [python, "-B", probe.__file__, "facts"], capture_output=True, text=True, env=env, check=False
        )
    if result.returncode != 0:
        raise ValueError(f"{python}: the probe failed: {result.stderr.strip()[-400:]}")
    facts: dict[str, Any] = json.loads(result.stdout)
    return facts


def _covering(paths: Sequence[str], flavour: ModuleType = os.path) -> tuple[str, ...]:
    """The paths, without those inside another (each walked once; on Windows ``Include`` is ``include``)."""
    unique: dict[str, str] = {}
    for path in paths:
        unique.setdefault(flavour.normcase(path), flavour.normpath(path))
    chosen: list[str] = []
    for path in sorted(unique.values(), key=len):
        if not any(_inside(path, kept, flavour) for kept in chosen):
            chosen.append(path)
    return tuple(sorted(chosen))


def _inside(path: str, directory: str, flavour: ModuleType) -> bool:
    try:
        common = flavour.commonpath([path, directory])
    except ValueError:  # Windows: on another drive
        return False
    return bool(flavour.normcase(common) == flavour.normcase(directory))


def _first_on_path(python: str, scripts: str) -> tuple[str, ...]:
    """The interpreter's directory, then its scripts directory when that is another one."""
    here = os.path.dirname(python)
    return (here,) if os.path.normcase(scripts) == os.path.normcase(here) else (here, scripts)


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
    executable = str(facts["executable"])
    return HostTarget(
        name,
        executable,
        str(facts["version"]),
        _covering(dirs),
        _first_on_path(executable, os.path.normpath(scheme["scripts"])),
    )


def default_pythons() -> list[str]:
    """This machine's ``python3`` (``py`` on Windows), outside any venv: the first on PATH that is not one."""
    names = ["py"] if THIS.nt else ["python3"]
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
        if THIS.nt:
            return cls.on(THIS, -1, -1)
        return cls.on(THIS, os.geteuid(), os.getegid())

    @classmethod
    def on(cls, host: HostOS, uid: int, gid: int) -> HostAccounts:
        """The accounts of a process running as ``uid`` (-1 on Windows, which has no uids) on ``host``."""
        if host.nt:
            return cls(
                {"user": Account("user", -1, -1, "")},
                {
                    "root": "Windows has no setuid (a process runs as another account only with its "
                    "password): the host backend runs as the current account only"
                },
            )
        if uid != 0:
            return cls(
                {"user": Account("user", uid, gid, "")},
                {"root": f"this run is uid {uid}, not root: the host backend never escalates"},
            )
        if host.platform != "linux":
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
    temp = tempfile.gettempdir()
    try:
        result = subprocess.run(
            [target.python, "-B", f"{tools}/probe.py", "which", "python3"],
            capture_output=True,
            text=True,
            env=cell_environment(THIS, temp, temp, account.name, target.path, os.environ),
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
    # The real path: installers that resolve their paths (uv) name the files the judge compares with the
    # homes' paths through it (macOS's /var is /private/var, Windows' RUNNER~1 is runneradmin).
    temp = Path(tempfile.gettempdir()).resolve()
    base = temp / f"conformance-host-{'' if uid is None else uid}".rstrip("-")
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
        # On Windows the current account is the only one, so its profile is every account's.
        shared = self.environment(self._current(), {})
        self.platform: Platform = HostPlatform(
            interpreter=target.python,
            environment=tuple((k, v) for k, v in shared.items() if k not in _ACCOUNT_ENV),
        )

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
            for directory in profile_dirs(THIS, account.home):
                Path(directory).mkdir(parents=True)
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

    def _current(self) -> Account:
        """The account this process runs as."""
        me = getattr(os, "geteuid", lambda: -1)()
        return next(a for a in self.accounts.values() if a.uid in (-1, me))

    def environment(self, account: Account, env: Mapping[str, str]) -> dict[str, str]:
        """What ``account``'s processes see: its profile in its home, the cell's temporary directory, the
        interpreter first on PATH, then ``env``; an activated venv's scripts before all on PATH."""
        venv = env.get("VIRTUAL_ENV")
        first = (THIS.venv_scripts(venv), *self.target.path) if venv else self.target.path
        own = cell_environment(THIS, account.home, str(self._tmp), account.name, first, os.environ)
        # The scenario's PATH is a Debian container's (scenario_env); the host's follows the same rule.
        return {**own, **env, "PATH": own["PATH"]}

    def exec(self, argv: Sequence[str], account: Account, env: Mapping[str, str] | None = None) -> ExecResult:
        """Run ``argv`` as this machine's account of that name (else the current one) in its home."""
        assert not self._closed, "exec after close"
        me = self.accounts.get(account.name) or self._current()
        switch = me.uid >= 0 and me.uid != os.geteuid()
        start = time.monotonic()
        result = subprocess.run(
            list(argv),
            capture_output=True,
            text=True,
            errors="replace",
            env=self.environment(me, env or {}),
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

        Added paths are removed, so the next cell finds the interpreter as it was; without
        ``allow_system_writes`` any change is still a HostWriteError, and so is, always, a changed or deleted
        path (which cannot be put back).
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
        if not self.allow_system_writes:
            raise HostWriteError(
                f"{self.target.name}: a cell changed the machine outside its temporary directory "
                f"(what it added is removed again):\n{listed}"
            )

    def __enter__(self) -> HostBackend:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()
