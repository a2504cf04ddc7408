"""Parity of the reference installer with pip: same landing, importability and refusal class, per row."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

_LANDING_ROLES = ("expected", "misplaced")
#: Generated files (dist-info contents, bytecode) legitimately differ between installers; stray ones do not.
_STRAY_ROLES = ("stray",)


@dataclass(frozen=True)
class ParityDifference:
    """One row where the candidate (the reference) and the baseline (a pip) do not agree, and on what."""

    row: str
    aspect: str
    baseline: object
    candidate: object


def signature(record: dict[str, Any]) -> dict[str, object]:
    """What parity compares: landed package files, stray files, importability, and the error class."""
    roles: dict[str, str] = record.get("roles", {})
    observation = record["observation"]
    same = next((c for c in observation.get("imports", []) if c["who"] == "same"), None)
    return {
        "landing": sorted(p for p, r in roles.items() if r in _LANDING_ROLES),
        "removed": sorted(p for p, r in roles.items() if r == "removed"),
        "stray": sorted(p for p, r in roles.items() if r in _STRAY_ROLES),
        "importable": bool(same and same["ok"]),
        "error_class": observation["command"]["error_class"],
    }


def parity(
    records: list[dict[str, Any]], baseline: str = "pip", candidate: str = "reference"
) -> dict[str, Any]:
    """Rows (target/account/scenario/fixture) where both ran, how many agree, and every difference."""
    by_row: dict[str, dict[str, dict[str, Any]]] = {}
    for record in records:
        row = "/".join(str(record[k]) for k in ("target", "account", "scenario", "fixture"))
        by_row.setdefault(row, {})[str(record["spelling"])] = record
    matched, total, differences = 0, 0, []
    for row, cells in sorted(by_row.items()):
        if baseline not in cells or candidate not in cells:
            continue
        total += 1
        ours, theirs = signature(cells[candidate]), signature(cells[baseline])
        diff = [ParityDifference(row, k, theirs[k], ours[k]) for k in ours if ours[k] != theirs[k]]
        if diff:
            differences.extend(diff)
        else:
            matched += 1
    return {
        "baseline": baseline,
        "candidate": candidate,
        "matched": matched,
        "total": total,
        "differences": [asdict(d) for d in differences],
    }
