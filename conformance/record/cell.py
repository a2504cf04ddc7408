"""The typed cell record: coordinates, command, observation, expectation and verdict of one cell.

Every stage fills in these types and passes them forward; the report reads them back from matrix.json.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from conformance.vocabulary import Change, FileRole, Outcome, Verdict


@dataclass(frozen=True)
class Coordinates:
    """Where a cell sits in the matrix; the catalogue's ``CellSpec`` adds what it needs to run one."""

    target: str
    account: str
    scenario: str
    fixture: str
    spelling: str

    @property
    def id(self) -> str:
        return "/".join((self.target, self.account, self.scenario, self.fixture, self.spelling))

    @property
    def row(self) -> str:
        """The cell's row of the matrix: its id without the spelling."""
        return "/".join((self.target, self.account, self.scenario, self.fixture))


_COORDINATES = tuple(f.name for f in fields(Coordinates))


@dataclass(frozen=True)
class CommandRun:
    """One command: what it was, how it ended, and the error it printed."""

    argv: list[str]
    exit_code: int
    seconds: float
    stdout: str
    stderr: str
    error_class: str | None
    error_excerpt: str | None


@dataclass(frozen=True)
class FileChange:
    """One path the command added, modified or deleted, described and mapped to scheme slots."""

    path: str
    change: Change
    type: str  # "file", "dir", "symlink", "missing", ...
    slots: list[str]
    mode: int | None = None
    size: int | None = None
    sha256: str | None = None
    shebang: str | None = None
    container_path: str | None = None  # where ``path`` (in the target's own form, e.g. Windows) really is
    bytecode_of: str | None = None  # the unchanged, pre-existing module an added ``.pyc`` caches

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FileChange:
        return cls(**{**data, "change": Change(data["change"])})


@dataclass(frozen=True)
class ImportCheck:
    """Whether the fixture imports, as whom and with which interpreter flags."""

    who: str  # "same", "other" or "same -s"
    account: str
    ok: bool
    file: str | None
    error: str | None
    metadata_version: str | None


@dataclass(frozen=True)
class ScriptCheck:
    """A console script: where it is, its shebang, whether it runs and is on a login shell's PATH."""

    name: str
    path: str | None
    shebang: str | None = None
    exit_code: int | None = None
    output: str | None = None
    on_login_path: bool | None = None


@dataclass
class Observation:
    """Everything observed in one cell."""

    command: CommandRun
    files: list[FileChange] = field(default_factory=list)
    setup: list[CommandRun] = field(default_factory=list)
    imports: list[ImportCheck] = field(default_factory=list)
    scripts: list[ScriptCheck] = field(default_factory=list)
    installed: list[FileChange] = field(default_factory=list)  # uninstall scenarios: what set-up added
    #: A syncing spelling's project, written in the account's home before the command: part of what its user
    #: types, not a set-up of the target (older documents have none).
    project: CommandRun | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Observation:
        # Fields of plain JSON values pass through as they are; only nested records are rebuilt.
        return cls(
            **{
                **data,
                "command": CommandRun(**data["command"]),
                "files": [FileChange.from_json(f) for f in data["files"]],
                "setup": [CommandRun(**c) for c in data["setup"]],
                "imports": [ImportCheck(**c) for c in data["imports"]],
                "scripts": [ScriptCheck(**s) for s in data["scripts"]],
                "installed": [FileChange.from_json(f) for f in data["installed"]],
                "project": CommandRun(**data["project"]) if data.get("project") else None,
            }
        )


@dataclass(frozen=True)
class Expectation:
    """The outcome the intent calls for: an install into a named scheme, a removal, a refusal, or nothing to
    do."""

    outcome: Outcome
    reason: str
    scheme: str | None = None
    error_class: str | None = None
    #: The version the account must import afterwards, where a system copy makes that a question.
    version: str | None = None
    #: Dependencies an installed copy already satisfies: pip installs none of their files.
    satisfied: list[str] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Expectation:
        return cls(**{**data, "outcome": Outcome(data["outcome"])})


@dataclass(frozen=True)
class Judgement:
    """The verdict, why, and the role of every file the command touched."""

    verdict: Verdict
    reasons: list[str]
    roles: dict[str, FileRole] = field(default_factory=dict)
    landing: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Judgement:
        roles = {path: FileRole(role) for path, role in data["roles"].items()}
        return cls(Verdict(data["verdict"]), list(data["reasons"]), roles, dict(data["landing"]))


_JUDGEMENT = tuple(f.name for f in fields(Judgement))


@dataclass
class Cell:
    """A cell with its observation and verdict: one record of matrix.json."""

    spec: Coordinates
    installer: str
    installer_version: str | None
    command: list[str]
    environment: dict[str, str]  # what the invocation adds to the account's login-like environment
    facts: dict[str, object]
    expectation: Expectation
    observation: Observation
    judgement: Judgement
    seconds: float
    expected_verdict: Verdict | None = None
    timing: dict[str, float] = field(default_factory=dict)
    test_outcome: str | None = None  # "passed" or "failed", known on the controller once the test ends
    machine: str | None = None  # the machine that ran the cell (a container's or the host's)
    shard: str | None = None  # the run that recorded it, when shards are merged into one document
    #: Commands of an earlier attempt that died by a fault signal under Wine (the cell then ran again).
    crashes: list[CommandRun] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def verdict(self) -> Verdict:
        return self.judgement.verdict

    def to_json(self) -> dict[str, Any]:
        """The record as matrix.json has it: coordinates and judgement flat beside the other fields."""
        record = asdict(self)
        spec, judgement = record.pop("spec"), record.pop("judgement")
        return {"id": self.id, **spec, **record, **judgement, "seconds": round(self.seconds, 3)}

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> Cell:
        """The cell of a matrix.json record, every nested record and vocabulary value rebuilt."""
        rest = {k: v for k, v in record.items() if k != "id"}  # the id is the coordinates'
        spec = Coordinates(**{k: rest.pop(k) for k in _COORDINATES})
        judgement = Judgement.from_json({k: rest.pop(k) for k in _JUDGEMENT})
        expectation = Expectation.from_json(rest.pop("expectation"))
        observation = Observation.from_json(rest.pop("observation"))
        expected = rest.pop("expected_verdict")
        crashes = [CommandRun(**c) for c in rest.pop("crashes", [])]
        return cls(
            spec=spec,
            crashes=crashes,
            expectation=expectation,
            observation=observation,
            judgement=judgement,
            expected_verdict=None if expected is None else Verdict(expected),
            **rest,
        )
