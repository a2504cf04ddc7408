"""Merge the documents of several runs (shards: one per target or machine) into one document of one run."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import replace

from conformance.matrix.selection import Selection
from conformance.record.assemble import assemble
from conformance.record.cell import Cell
from conformance.record.document import MatrixDocument


class MergeError(ValueError):
    """Shards that cannot make one document: the message names the cells or installers in conflict."""


def _seconds(iso: str) -> float:
    return datetime.datetime.fromisoformat(iso).timestamp()


def _selection(documents: Sequence[MatrixDocument]) -> Selection:
    """Every name any shard selected, per dimension (all, if any shard selected all); quick if any shard
    ran the quick selection (the union is then a subset of what the names select)."""

    def union(key: str) -> list[str] | None:
        chosen = [doc.run.selection.get(key) for doc in documents]
        return None if None in chosen else sorted({n for names in chosen for n in names or []})

    return Selection(
        targets=union("targets"),
        accounts=union("accounts"),
        scenarios=union("scenarios"),
        fixtures=union("fixtures"),
        installers=union("installers"),
        spellings=union("spellings"),
        quick=any(doc.run.quick for doc in documents),
    )


def _same(a: Cell, b: Cell) -> bool:
    """Whether two records of one cell agree on what was observed and judged."""
    return (a.verdict, a.judgement.reasons, a.installer_version) == (
        b.verdict,
        b.judgement.reasons,
        b.installer_version,
    )


def _check_installers(documents: Sequence[MatrixDocument]) -> None:
    seen: dict[str, dict[str, str]] = {}
    for doc in documents:
        for name, version in doc.run.installers.items():
            seen.setdefault(name, {})[doc.run.id] = version
    for name, by_shard in seen.items():
        if len(set(by_shard.values())) > 1:
            ran = ", ".join(f"{shard}: {version}" for shard, version in sorted(by_shard.items()))
            raise MergeError(
                f"the shards ran different versions of {name} ({ran}); merge shards of one run "
                "(give each the same --installer-versions, --uv-version and --pip-latest-version)"
            )


def merge(documents: Sequence[MatrixDocument], run_id: str | None = None) -> MatrixDocument:
    """One document of every shard's cells, each cell naming the shard (run) that recorded it.

    A cell recorded by two shards is kept once if they agree and refused if they do not.
    """
    if not documents:
        raise MergeError("no shards to merge")
    _check_installers(documents)
    cells: dict[str, Cell] = {}
    for doc in documents:
        for cell in doc.cells:
            cell = replace(cell, shard=cell.shard or doc.run.id)
            kept = cells.setdefault(cell.id, cell)
            if kept is not cell and not _same(kept, cell):
                raise MergeError(
                    f"{cell.id} is in two shards with different results: {kept.shard} says {kept.verdict} "
                    f"({'; '.join(kept.judgement.reasons)}), {cell.shard} says {cell.verdict} "
                    f"({'; '.join(cell.judgement.reasons)}); merge shards with disjoint selections"
                )
    started = min(_seconds(doc.run.started) for doc in documents)
    finished = max(_seconds(doc.run.finished) for doc in documents)
    merged = assemble(
        list(cells.values()), _selection(documents), run_id or uuid.uuid4().hex[:12], started, finished
    )
    shards = sorted({shard for doc in documents for shard in doc.run.shards or [doc.run.id]})
    return replace(merged, run=replace(merged.run, shards=shards))
