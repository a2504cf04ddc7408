"""Arrange a matrix document's cells into one table per target, in catalogue order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from conformance.catalogue.accounts import ACCOUNTS
from conformance.catalogue.fixtures import matrix_fixtures
from conformance.catalogue.installers import SPELLING_NAMES
from conformance.catalogue.scenarios import SCENARIOS

Row = tuple[str, str, str]  # account, scenario, fixture


@dataclass(frozen=True)
class TargetTable:
    """Rows account/scenario/fixture, columns spellings, for one target."""

    target: str
    columns: list[str]
    rows: dict[Row, dict[str, dict[str, Any]]]
    facts: dict[str, Any]
    pip_versions: list[str]


def _order(row: Row) -> tuple[int, int, int]:
    account, scenario, fixture = row
    rank = {name: i for i, name in enumerate([*ACCOUNTS, *SCENARIOS, *matrix_fixtures()])}
    return rank.get(account, 99), rank.get(scenario, 99), rank.get(fixture, 99)


def target_tables(document: dict[str, Any]) -> list[TargetTable]:
    """One table per target present in the document."""
    by_target: dict[str, list[dict[str, Any]]] = {}
    for cell in document["cells"]:
        by_target.setdefault(cell["target"], []).append(cell)
    tables = []
    for target, cells in by_target.items():
        rows: dict[Row, dict[str, dict[str, Any]]] = {}
        for cell in cells:
            rows.setdefault((cell["account"], cell["scenario"], cell["fixture"]), {})[cell["spelling"]] = cell
        tables.append(
            TargetTable(
                target=target,
                columns=[s for s in SPELLING_NAMES if any(c["spelling"] == s for c in cells)],
                rows={row: rows[row] for row in sorted(rows, key=_order)},
                facts=cells[0]["facts"],
                pip_versions=sorted({str(c["installer_version"]) for c in cells if c["installer"] == "pip"}),
            )
        )
    return tables
