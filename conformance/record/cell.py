"""The typed cell record: coordinates, command, observation, expectation and verdict of one cell.

Every stage fills in these types and passes them forward; the report reads them back from matrix.json.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from conformance.matrix.cells import CellSpec


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
    change: str  # "added", "modified" or "deleted"
    type: str  # "file", "dir", "symlink", "missing", ...
    slots: list[str]
    mode: int | None = None
    size: int | None = None
    sha256: str | None = None
    shebang: str | None = None


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


@dataclass(frozen=True)
class Expectation:
    """The outcome the intent calls for: an install into a named scheme, a removal, or a refusal."""

    outcome: str  # "install", "uninstall" or "refuse"
    reason: str
    scheme: str | None = None
    error_class: str | None = None


@dataclass(frozen=True)
class Judgement:
    """The verdict, why, and the role of every file the command touched."""

    verdict: str
    reasons: list[str]
    roles: dict[str, str] = field(default_factory=dict)
    landing: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Cell:
    """A cell with its observation and verdict: one record of matrix.json."""

    spec: CellSpec
    installer: str
    installer_version: str | None
    command: list[str]
    environment: dict[str, str]  # what the invocation adds to the account's login-like environment
    facts: dict[str, object]
    expectation: Expectation
    observation: Observation
    judgement: Judgement
    seconds: float
    expected_verdict: str | None = None
    timing: dict[str, float] = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        return self.judgement.verdict

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.spec.id,
            **asdict(self.spec),
            "installer": self.installer,
            "installer_version": self.installer_version,
            "command": self.command,
            "environment": self.environment,
            "verdict": self.verdict,
            "expected_verdict": self.expected_verdict,
            "reasons": self.judgement.reasons,
            "expectation": asdict(self.expectation),
            "facts": self.facts,
            "landing": self.judgement.landing,
            "observation": asdict(self.observation),
            "roles": self.judgement.roles,
            "seconds": round(self.seconds, 3),
            "timing": self.timing,
        }
