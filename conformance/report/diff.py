"""Compare two matrix documents, wpt.fyi style: cells added, deleted, changed or unchanged, and versions."""

from __future__ import annotations

from dataclasses import dataclass, field

from conformance.record.cell import Cell
from conformance.record.document import MatrixDocument, RunInfo
from conformance.vocabulary import Verdict


@dataclass(frozen=True)
class CellChange:
    """A cell in one or both runs; a verdict of ``None`` means the cell is not in that run."""

    id: str
    old_verdict: Verdict | None
    new_verdict: Verdict | None
    reasons: list[str]  # the newer run's reasons, or the old run's for a deleted cell


@dataclass(frozen=True)
class VersionChange:
    """An installer whose version is not the same in both runs (``None``: absent from that run)."""

    installer: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class MatrixDiff:
    """Every cell of two runs, classified, plus the installer versions that changed between them."""

    old_run: RunInfo
    new_run: RunInfo
    added: list[CellChange] = field(default_factory=list)
    deleted: list[CellChange] = field(default_factory=list)
    changed: list[CellChange] = field(default_factory=list)
    unchanged: list[CellChange] = field(default_factory=list)
    versions: list[VersionChange] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.deleted or self.changed or self.versions)


def _versions(document: MatrixDocument) -> dict[str, str]:
    """The run's fetched installers, and each target's own pip (which the run metadata leaves out)."""
    versions = dict(document.run.installers)
    for cell in document.cells:
        if cell.installer == "pip" and cell.installer_version:
            versions[f"pip ({cell.spec.target})"] = cell.installer_version
    return versions


def diff_documents(old: MatrixDocument, new: MatrixDocument) -> MatrixDiff:
    """Classify every cell id of either document, by whether it is in each and whether its verdict moved."""
    before: dict[str, Cell] = {cell.id: cell for cell in old.cells}
    after: dict[str, Cell] = {cell.id: cell for cell in new.cells}
    kinds: dict[str, list[CellChange]] = {"added": [], "deleted": [], "changed": [], "unchanged": []}
    for cell_id in sorted(before.keys() | after.keys()):
        was, now = before.get(cell_id), after.get(cell_id)
        latest = now or was
        change = CellChange(
            cell_id,
            was.verdict if was else None,
            now.verdict if now else None,
            list(latest.judgement.reasons) if latest else [],
        )
        if was is None:
            kinds["added"].append(change)
        elif now is None:
            kinds["deleted"].append(change)
        elif change.old_verdict != change.new_verdict:
            kinds["changed"].append(change)
        else:
            kinds["unchanged"].append(change)
    old_versions, new_versions = _versions(old), _versions(new)
    versions = [
        VersionChange(name, old_versions.get(name), new_versions.get(name))
        for name in sorted(old_versions.keys() | new_versions.keys())
        if old_versions.get(name) != new_versions.get(name)
    ]
    return MatrixDiff(old.run, new.run, **kinds, versions=versions)


def _verdict(verdict: Verdict | None) -> str:
    return f"{verdict.glyph} {verdict}" if verdict else "—"


def _cell_text(text: str) -> str:
    """Text safe inside a Markdown table cell: no pipe ends the cell, no newline ends the row."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _run_line(label: str, run: RunInfo) -> str:
    sha = (run.git_sha or "?")[:10]
    return f"- {label}: run `{run.id}`, suite {run.suite_version}, git `{sha}`, started {run.started}"


def render_diff_markdown(diff: MatrixDiff) -> str:
    """Counts first, then the installer versions that moved, then one table row per changed cell."""
    now_conforming = sum(c.new_verdict == Verdict.CONFORMS for c in diff.changed)
    no_longer = sum(c.old_verdict == Verdict.CONFORMS for c in diff.changed)
    lines = [
        "# Matrix diff",
        "",
        _run_line("old", diff.old_run),
        _run_line("new", diff.new_run),
        "",
        "| cells | count |",
        "|---|---|",
        f"| Added | {len(diff.added)} |",
        f"| Deleted | {len(diff.deleted)} |",
        f"| Changed | {len(diff.changed)} ({now_conforming} now conform, {no_longer} no longer conform) |",
        f"| Unchanged | {len(diff.unchanged)} |",
    ]
    if diff.versions:
        lines += ["", "## Installer versions", ""]
        lines += [f"- {v.installer}: {v.old or '(absent)'} -> {v.new or '(absent)'}" for v in diff.versions]
    sections = (
        ("Changed cells", "new reasons", diff.changed),
        ("Added cells", "reasons", diff.added),
        ("Deleted cells", "reasons in the old run", diff.deleted),
    )
    for title, reasons, changes in sections:
        if not changes:
            continue
        lines += ["", f"## {title}", "", f"| cell | verdict | {reasons} |", "|---|---|---|"]
        lines += [
            f"| `{c.id}` | {_verdict(c.old_verdict)} -> {_verdict(c.new_verdict)} "
            f"| {_cell_text('; '.join(c.reasons))} |"
            for c in changes
        ]
    if not diff.has_changes:
        lines += ["", "No cell changed its verdict, and every installer version is the same."]
    return "\n".join(lines) + "\n"
