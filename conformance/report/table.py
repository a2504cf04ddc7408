"""Arrange a matrix document's cells into one table per target, in the row and column order it carries."""

from __future__ import annotations

from dataclasses import dataclass

from conformance.record.cell import Cell
from conformance.record.document import MatrixDocument

Row = tuple[str, str, str]  # account, scenario, fixture


@dataclass(frozen=True)
class TargetTable:
    """Rows account/scenario/fixture, columns spellings, for one target."""

    target: str
    columns: list[str]
    rows: dict[Row, dict[str, Cell]]
    facts: dict[str, object]
    pip_versions: list[str]


def _rank(names: list[str], name: str) -> int:
    """A name's place in the document's order; a name it does not list goes after those it does."""
    return names.index(name) if name in names else len(names)


def target_tables(document: MatrixDocument) -> list[TargetTable]:
    """One table per target present in the document."""
    order = document.rows
    by_target: dict[str, list[Cell]] = {}
    for cell in document.cells:
        by_target.setdefault(cell.spec.target, []).append(cell)
    tables = []
    for target, cells in by_target.items():
        rows: dict[Row, dict[str, Cell]] = {}
        for cell in cells:
            spec = cell.spec
            rows.setdefault((spec.account, spec.scenario, spec.fixture), {})[spec.spelling] = cell
        ranked = sorted(
            rows,
            key=lambda r: (
                _rank(order.accounts, r[0]),
                _rank(order.scenarios, r[1]),
                _rank(order.fixtures, r[2]),
            ),
        )
        tables.append(
            TargetTable(
                target=target,
                columns=[s for s in document.columns if any(c.spec.spelling == s for c in cells)],
                rows={row: rows[row] for row in ranked},
                facts=cells[0].facts,
                pip_versions=sorted({str(c.installer_version) for c in cells if c.installer == "pip"}),
            )
        )
    return tables
