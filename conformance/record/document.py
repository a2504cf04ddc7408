"""The matrix document as types: run metadata, what the report draws rows and columns from, and the cells."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from conformance.record.cell import Cell
from conformance.vocabulary import Verdict

SCHEMA = "conformance-matrix"
#: 2: ``parity`` became a list (against pip-latest and each target's own pip); cells gained ``environment``.
#: 3: the document carries what the report draws, so an old run renders with its own rows: ``rows`` (the
#: order of accounts, scenarios and fixtures) and ``columns`` (of spellings) are new, ``spellings`` maps a
#: name to its ``commands`` and ``note``, and ``verdicts`` became a best-first list with glyphs.
#: 4: cells gained ``machine`` (what ran them: host rows are this machine's own interpreters) and ``shard``
#: (the run that recorded them, in a document merged from several); ``run`` gained ``shards``.
SCHEMA_VERSION = 4


class DocumentError(ValueError):
    """A document this suite cannot read: not JSON, another schema or version, or not a matrix document."""


@dataclass(frozen=True)
class RunInfo:
    """Which run made the document, from what, when, and with which installers."""

    id: str
    suite_version: str
    git_sha: str | None
    started: str
    finished: str
    selection: dict[str, list[str] | None]
    installers: dict[str, str]  # the fetched installers' versions (each target's pip is in its cells)
    shards: list[str] = field(default_factory=list)  # the runs merged into this document (none: one run)
    #: The test command's quick selection (matrix.selection), a subset of the cells the names select.
    quick: bool = False


@dataclass(frozen=True)
class VerdictTerm:
    """One verdict of the vocabulary, as this run defined it."""

    verdict: Verdict
    glyph: str
    description: str

    @classmethod
    def of(cls, verdict: Verdict) -> VerdictTerm:
        return cls(verdict, verdict.glyph, verdict.description)


@dataclass(frozen=True)
class TargetInfo:
    """What a target is, and what it stands for."""

    registry_image: str
    suite: str
    description: str


@dataclass(frozen=True)
class SpellingInfo:
    """A column: the commands it types, by intent (placeholders unfilled), with the variables it sets, and a
    note for readers."""

    commands: list[str]
    note: str = ""
    env: dict[str, str] = field(default_factory=dict)  # the variables it sets, typed before its command


@dataclass(frozen=True)
class RowOrder:
    """The order rows are drawn in, by account, then scenario, then fixture."""

    accounts: list[str]
    scenarios: list[str]
    fixtures: list[str]


@dataclass(frozen=True)
class ParityDifference:
    """One row where the candidate (the reference) and the baseline (a pip) do not agree, and on what."""

    row: str
    aspect: str
    baseline: object
    candidate: object


@dataclass(frozen=True)
class Parity:
    """Rows (target/account/scenario/fixture) where both spellings ran, how many agree, every difference."""

    baseline: str
    candidate: str
    matched: int
    total: int
    differences: list[ParityDifference]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Parity:
        differences = [ParityDifference(**d) for d in data["differences"]]
        return cls(**{**data, "differences": differences})


@dataclass
class MatrixDocument:
    """matrix.json, loaded once: everything the pages show comes from here, none of it from the catalogue."""

    schema: ClassVar[str] = SCHEMA
    schema_version: ClassVar[int] = SCHEMA_VERSION

    run: RunInfo
    verdicts: list[VerdictTerm]  # best first
    targets: dict[str, TargetInfo]
    scenarios: dict[str, str]  # name -> description
    spellings: dict[str, SpellingInfo]
    rows: RowOrder
    columns: list[str]  # spelling names, in column order
    parity: list[Parity]
    cells: list[Cell]

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": self.schema,
            "schema_version": self.schema_version,
            "run": asdict(self.run),
            "verdicts": [asdict(term) for term in self.verdicts],
            "targets": {name: asdict(info) for name, info in self.targets.items()},
            "scenarios": self.scenarios,
            "spellings": {name: asdict(info) for name, info in self.spellings.items()},
            "rows": asdict(self.rows),
            "columns": self.columns,
            "parity": [asdict(p) for p in self.parity],
            "cells": [cell.to_json() for cell in self.cells],
        }

    @classmethod
    def from_json(cls, data: object, source: str = "the document") -> MatrixDocument:
        """The document, or a DocumentError naming ``source`` and what is wrong with it."""
        if not isinstance(data, dict):
            raise DocumentError(f"{source}: not a matrix document (a JSON {type(data).__name__})")
        schema, version = data.get("schema"), data.get("schema_version")
        if schema != SCHEMA:
            raise DocumentError(f"{source}: schema is {schema!r}, not {SCHEMA!r}")
        if version != SCHEMA_VERSION:
            raise DocumentError(
                f"{source}: schema_version {version!r} is not the one this suite reads "
                f"({SCHEMA_VERSION}); rerun the matrix to regenerate it"
            )
        try:
            return cls(
                run=RunInfo(**data["run"]),
                verdicts=[VerdictTerm(**{**t, "verdict": Verdict(t["verdict"])}) for t in data["verdicts"]],
                targets={name: TargetInfo(**info) for name, info in data["targets"].items()},
                scenarios=dict(data["scenarios"]),
                spellings={name: SpellingInfo(**info) for name, info in data["spellings"].items()},
                rows=RowOrder(**data["rows"]),
                columns=list(data["columns"]),
                parity=[Parity.from_json(p) for p in data["parity"]],
                cells=[Cell.from_json(c) for c in data["cells"]],
            )
        except KeyError as error:
            raise DocumentError(f"{source}: not a matrix document: no {error.args[0]!r} field") from error
        except (TypeError, ValueError, AttributeError) as error:
            raise DocumentError(f"{source}: not a matrix document: {error}") from error


def load_document(path: Path) -> MatrixDocument:
    """Read a matrix.json; a missing file, a file that is not JSON or not a document is a DocumentError."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise DocumentError(f"{path}: cannot read it: {error.strerror or error}") from error
    except ValueError as error:  # not UTF-8, or not JSON
        raise DocumentError(f"{path}: not JSON: {error}") from error
    return MatrixDocument.from_json(data, str(path))
