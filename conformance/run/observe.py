"""Collect what happened in a target: filesystem deltas between snapshots, and what imports and runs."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from typing import Any

from conformance.backend.container import ExecResult, TargetContainer
from conformance.catalogue.accounts import ACCOUNTS, Account, other_account
from conformance.catalogue.fixtures import Fixture
from conformance.record.cell import CommandRun, FileChange, ImportCheck, ScriptCheck
from conformance.run.classify import classify, excerpt
from conformance.run.facts import InterpreterFacts
from conformance.run.scheme_map import map_path

_TAIL_CHARS = 2000
#: Paths per probe call, well under the kernel's limit on one exec's arguments.
_DESCRIBE_BATCH = 400


@dataclass(frozen=True)
class Snapshot:
    """The container's diff against its image, with hashes of the files already changed."""

    kinds: dict[str, str]
    hashes: dict[str, str]
    types: dict[str, str]


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


def probe(
    container: TargetContainer, probe_path: str, account: Account, env: dict[str, str], *args: str
) -> object:
    result = container.exec(["python3", "-B", probe_path, *args], account, env)
    if result.exit_code != 0:
        raise RuntimeError(f"probe {args[0]} failed as {account.name}: {result.stderr.strip()[-500:]}")
    return json.loads(result.stdout)


def probe_facts(
    container: TargetContainer, probe_path: str, account: Account, env: dict[str, str]
) -> dict[str, Any]:
    """The probe's ``facts`` for the interpreter the scenario runs, as ``account``."""
    raw = probe(container, probe_path, account, env, "facts")
    assert isinstance(raw, dict)
    return raw


def snapshot(container: TargetContainer, probe_path: str, hash_files: bool) -> Snapshot:
    """The diff now; with ``hash_files``, also the hashes of changed files, to see later edits to them."""
    kinds = {c.path: c.kind for c in container.diff()}
    hashes: dict[str, str] = {}
    types: dict[str, str] = {}
    if hash_files:
        listed = [p for p, k in kinds.items() if k != "D"]
        for entry in _describe(container, probe_path, listed):
            types[str(entry["path"])] = str(entry["type"])
            if entry.get("sha256"):
                hashes[str(entry["path"])] = str(entry["sha256"])
    return Snapshot(kinds, hashes, types)


def _describe(container: TargetContainer, probe_path: str, paths: list[str]) -> list[dict[str, object]]:
    described: list[dict[str, object]] = []
    ordered = sorted(paths)
    for start in range(0, len(ordered), _DESCRIBE_BATCH):
        # As root: the account may not be able to read what another installer wrote.
        batch = probe(
            container, probe_path, ACCOUNTS["root"], {}, "describe", *ordered[start : start + _DESCRIBE_BATCH]
        )
        assert isinstance(batch, list)
        described.extend(batch)
    return described


def delta(
    container: TargetContainer, probe_path: str, before: Snapshot, after: Snapshot, facts: InterpreterFacts
) -> list[FileChange]:
    """Paths added, modified or deleted between two snapshots, described as they are now."""
    changes: dict[str, str] = {}
    for path, kind in after.kinds.items():
        old = before.kinds.get(path)
        if old is None:
            changes[path] = {"A": "added", "C": "modified", "D": "deleted"}[kind]
        elif old == "D" and kind != "D":
            changes[path] = "added"
    changes.update({p: "deleted" for p, k in before.kinds.items() if p not in after.kinds and k != "D"})
    present = [p for p, c in changes.items() if c != "deleted"]
    rehash = [p for p in before.hashes if p in after.kinds and p not in changes]
    described = {str(e["path"]): e for e in _describe(container, probe_path, present + rehash)}
    for path in rehash:
        if described[path].get("sha256") != before.hashes[path]:
            changes[path] = "modified"
    result = []
    for path, change in sorted(changes.items()):
        entry = described.get(path) or {"type": _deleted_type(path, before, changes)}
        if change == "modified" and entry.get("type") == "dir":
            continue  # a directory "changes" whenever an entry inside it does
        result.append(
            FileChange(
                path=path,
                change=change,
                type=str(entry.get("type", "missing")),
                slots=map_path(path, facts),
                mode=_int(entry.get("mode")),
                size=_int(entry.get("size")),
                sha256=_str(entry.get("sha256")),
                shebang=_str(entry.get("shebang")),
            )
        )
    return result


def _deleted_type(path: str, before: Snapshot, changes: dict[str, str]) -> str:
    """What a deleted path was: known if it was described before, a directory if it held other changes."""
    if path in before.types:
        return before.types[path]
    return "dir" if any(p.startswith(path + "/") for p in changes) else "unknown"


def _int(value: object) -> int | None:
    return value if isinstance(value, int) else None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def import_checks(
    container: TargetContainer, probe_path: str, fixture: Fixture, account: Account, env: dict[str, str]
) -> list[ImportCheck]:
    """Import as the same account, as the other account, and with ``python -s``."""
    checks = []
    other = other_account(account)
    for who, as_account, flags in (
        ("same", account, ()),
        ("other", other, ()),
        ("same -s", account, ("-s",)),
    ):
        result = container.exec(
            ["python3", "-B", *flags, probe_path, "check", fixture.import_name, fixture.name], as_account, env
        )
        if result.exit_code == 0:
            raw = json.loads(result.stdout)
            checks.append(
                ImportCheck(
                    who,
                    as_account.name,
                    bool(raw["import"]),
                    raw.get("file"),
                    raw.get("error"),
                    raw.get("metadata_version"),
                )
            )
        else:
            error = (result.stderr.strip().splitlines() or ["probe failed"])[-1]
            checks.append(ImportCheck(who, as_account.name, False, None, error, None))
    return checks


def script_checks(
    container: TargetContainer,
    fixture: Fixture,
    files: list[FileChange],
    expected: dict[str, str],
    account: Account,
    env: dict[str, str],
) -> list[ScriptCheck]:
    """Find each console script (where expected, else wherever it landed) and run it."""
    checks = []
    for name, _ in fixture.console_scripts:
        candidates = [f for f in files if f.type == "file" and f.path.rsplit("/", 1)[-1] == name]
        chosen = next(
            (f for f in candidates if f.path == expected.get(name)), candidates[0] if candidates else None
        )
        if chosen is None:
            checks.append(ScriptCheck(name, None))
            continue
        ran = container.exec([chosen.path], account, env)
        login = container.exec(["sh", "-lc", f"command -v {shlex.quote(name)}"], account, env)
        checks.append(
            ScriptCheck(
                name,
                chosen.path,
                chosen.shebang,
                ran.exit_code,
                (ran.stdout + ran.stderr).strip()[-300:],
                login.exit_code == 0 and login.stdout.strip() == chosen.path,
            )
        )
    return checks
