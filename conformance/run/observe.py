"""Observe a cell through the probe inside the target: facts, the first snapshot, one-exec observations."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from conformance.backend.container import account_env
from conformance.backend.protocol import Backend, ExecResult, accounts_of
from conformance.catalogue.accounts import ACCOUNTS, Account, other_account
from conformance.catalogue.fixtures import Fixture
from conformance.catalogue.platforms import wine_prefix
from conformance.record.cell import CommandRun, FileChange, ImportCheck, ScriptCheck
from conformance.run.classify import classify, excerpt
from conformance.run.facts import InterpreterFacts
from conformance.run.scheme_map import map_path
from conformance.vocabulary import Change

_TAIL_CHARS = 2000
#: The probe snapshots and observes as root: the account may not read what another installer wrote.
_ROOT = ACCOUNTS["root"]


class ProbeError(RuntimeError):
    """The probe itself failed inside the target (not the installer): the message has its stderr."""


@dataclass(frozen=True)
class Checks:
    """What to check after an install: the fixture's import as each account, and its console scripts."""

    fixture: Fixture
    account: Account
    env: dict[str, str]
    scripts: tuple[str, ...]  # console script names
    scripts_dir: str  # where the intent puts scripts: preferred when a script landed in several places


@dataclass(frozen=True)
class Observed:
    """One observation: every path changed since the last snapshot, and the checks' results."""

    files: list[FileChange]
    imports: list[ImportCheck]
    scripts: list[ScriptCheck]


def command_run(result: ExecResult) -> CommandRun:
    """What a command did, with its error classified when it failed."""
    failed = result.exit_code != 0
    return CommandRun(
        list(result.argv),
        result.exit_code,
        round(result.seconds, 3),
        result.stdout[-_TAIL_CHARS:],
        result.stderr[-_TAIL_CHARS:],
        classify(result.stdout, result.stderr) if failed else None,
        excerpt(result.stdout, result.stderr) if failed else None,
    )


def _probe_path(backend: Backend) -> str:
    """The probe as the target's interpreter names it."""
    return backend.platform.native(f"{backend.tools}/probe.py")


def _probe(backend: Backend, account: Account, env: dict[str, str], *args: str) -> Any:
    # The facts come from the target's interpreter; the walks from the container's own, as root, isolated
    # and without site: they need only the stdlib, and each start is on a cell's clock.
    if args[0] == "facts":
        command = [*backend.platform.python(env), "-B", _probe_path(backend)]
    else:
        command = [*backend.platform.walker, "-I", "-S", "-B", f"{backend.tools}/probe.py"]
    result = backend.exec([*command, *args], account, env)
    if result.exit_code != 0:
        raise ProbeError(f"probe {args[0]} failed as {account.name}: {result.stderr.strip()[-800:]}")
    return json.loads(result.stdout)


def _state(backend: Backend) -> str:
    return f"{backend.scratch}/snapshot"


def _walk_spec(backend: Backend) -> dict[str, Any]:
    spec: dict[str, Any] = {"roots": backend.roots, "state": _state(backend)}
    if backend.platform.unobserved:
        spec["ignore"] = list(backend.platform.unobserved)
    return spec


def begin(backend: Backend) -> None:
    """Take the snapshot that the first observation compares with."""
    _probe(backend, _ROOT, {}, "begin", json.dumps(_walk_spec(backend)))


#: Facts of fresh targets, per identity, account and environment (one worker process's memory).
_FACTS: dict[tuple[str, str, tuple[tuple[str, str], ...]], InterpreterFacts] = {}


def probe_facts(backend: Backend, account: Account, env: dict[str, str]) -> InterpreterFacts:
    """The facts of the interpreter the scenario runs, as ``account`` sees it through the cell's own exec.

    Call it on a fresh target, before any set-up: fresh targets of one identity are alike, so each
    account and environment is probed once per worker (proof of the account included) and reused.
    """
    key = (backend.identity, account.name, tuple(sorted(env.items())))
    if key not in _FACTS:
        _FACTS[key] = InterpreterFacts.from_probe(_probe(backend, account, env, "facts"))
    return _FACTS[key]


def _run_as(
    backend: Backend, account: Account, env: dict[str, str], who: str, flags: tuple[str, ...] = ()
) -> dict[str, Any]:
    platform = backend.platform
    return {
        "who": who,
        "account": account.name,
        "uid": account.uid,
        "gid": account.gid,
        "home": account.home,
        "env": account_env(account, {**platform.env, **env}),
        "python": list(platform.python(env)),
        "probe": _probe_path(backend),
        "launcher": list(platform.launcher),
        "flags": list(flags),
    }


def _checks_spec(backend: Backend, checks: Checks) -> dict[str, Any]:
    account, env = checks.account, checks.env
    # A host run as a normal user has no other account to check with.
    other = accounts_of(backend).get(other_account(account).name)
    return {
        "module": checks.fixture.import_name,
        "dist": checks.fixture.name,
        "imports": [
            _run_as(backend, account, env, "same"),
            *([_run_as(backend, other, env, "other")] if other else []),
            _run_as(backend, account, env, "same -s", ("-s",)),
        ],
        "as": _run_as(backend, account, env, "same"),
        "scripts": list(checks.scripts),
        "script_args": list(checks.fixture.script_args),
        "scripts_dir": checks.scripts_dir,
    }


def observe(
    backend: Backend,
    facts: InterpreterFacts,
    checks: Checks | None = None,
    *,
    rebase: bool = False,
    account: Account | None = None,
) -> Observed:
    """Everything that changed since the last snapshot, described, then the checks; all in one exec.

    ``rebase`` makes this walk the snapshot the next observation compares with. On Windows, paths are
    named through the drive mapping of ``account`` (else the checks' account).
    """
    spec: dict[str, Any] = {**_walk_spec(backend), "rebase": rebase}
    if checks is not None:
        spec["checks"] = _checks_spec(backend, checks)
    whose = account or (checks.account if checks else None)
    if backend.platform.windows and whose is not None:
        spec["wine_prefix"] = wine_prefix(whose)
    raw = _probe(backend, _ROOT, {}, "observe", json.dumps(spec))
    files = [_file_change(entry, facts) for entry in raw["changes"]]
    imports = [
        ImportCheck(
            c["who"],
            c["account"],
            bool(c["import"]),
            c.get("file"),
            c.get("error"),
            c.get("metadata_version"),
        )
        for c in raw["imports"]
    ]
    scripts = [
        ScriptCheck(
            s["name"],
            s["path"],
            s.get("shebang"),
            s.get("exit_code"),
            s.get("output"),
            s.get("on_login_path"),
        )
        for s in raw["scripts"]
    ]
    return Observed(files, imports, scripts)


def _file_change(entry: dict[str, Any], facts: InterpreterFacts) -> FileChange:
    native = entry.get("native")
    path = str(native or entry["path"])
    return FileChange(
        path=path,
        change=Change(entry["change"]),
        type=str(entry["type"]),
        slots=map_path(path, facts),
        mode=entry.get("mode"),
        size=entry.get("size"),
        sha256=entry.get("sha256"),
        shebang=entry.get("shebang"),
        container_path=str(entry["path"]) if native else None,
        bytecode_of=entry.get("bytecode_of"),
    )
