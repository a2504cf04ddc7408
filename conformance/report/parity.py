"""Parity of the reference installer with pip: same landing, importability and refusal class, per row."""

from __future__ import annotations

from conformance.record.cell import Cell
from conformance.record.document import Parity, ParityDifference
from conformance.vocabulary import FileRole

_LANDING_ROLES = (FileRole.EXPECTED, FileRole.MISPLACED)
#: Generated files (dist-info contents, bytecode) legitimately differ between installers; stray ones do not.
_STRAY_ROLES = (FileRole.STRAY,)


def signature(cell: Cell) -> dict[str, object]:
    """What parity compares: landed package files, stray files, importability, and the error class."""
    roles = cell.judgement.roles
    same = next((c for c in cell.observation.imports if c.who == "same"), None)
    return {
        "landing": sorted(p for p, r in roles.items() if r in _LANDING_ROLES),
        "removed": sorted(p for p, r in roles.items() if r == FileRole.REMOVED),
        "stray": sorted(p for p, r in roles.items() if r in _STRAY_ROLES),
        "importable": bool(same and same.ok),
        "error_class": cell.observation.command.error_class,
    }


def parity(cells: list[Cell], baseline: str = "pip", candidate: str = "reference") -> Parity:
    """Rows (target/account/scenario/fixture) where both ran, how many agree, and every difference."""
    by_row: dict[str, dict[str, Cell]] = {}
    for cell in cells:
        by_row.setdefault(cell.spec.row, {})[cell.spec.spelling] = cell
    matched, total, differences = 0, 0, []
    for row, spellings in sorted(by_row.items()):
        if baseline not in spellings or candidate not in spellings:
            continue
        total += 1
        ours, theirs = signature(spellings[candidate]), signature(spellings[baseline])
        diff = [ParityDifference(row, k, theirs[k], ours[k]) for k in ours if ours[k] != theirs[k]]
        if diff:
            differences.extend(diff)
        else:
            matched += 1
    return Parity(baseline, candidate, matched, total, differences)
