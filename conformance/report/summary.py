"""Render the Markdown summary: per target, rows account/scenario/fixture, columns installer spellings."""

from __future__ import annotations

from conformance.record.cell import Cell
from conformance.record.document import MatrixDocument
from conformance.report.table import TargetTable, target_tables


def _label(cell: Cell) -> str:
    text = f"{cell.verdict.glyph} {cell.verdict}"
    if cell.expected_verdict and cell.expected_verdict != cell.verdict:
        text += f" (was {cell.expected_verdict})"
    return text


def _target_line(table: TargetTable) -> str:
    marker = "yes" if table.facts.get("externally_managed") else "no"
    pips = ", ".join(table.pip_versions) or "?"
    return f"Python {table.facts.get('python')}, pip {pips}, PEP 668 marker: {marker}"


def render_summary(document: MatrixDocument) -> str:
    run = document.run
    versions = ", ".join(f"{k} {v}" for k, v in run.installers.items())
    lines = [
        "# User-scheme install conformance matrix",
        "",
        f"Run `{run.id}` of suite {run.suite_version} (git `{(run.git_sha or '?')[:10]}`), "
        f"{run.started} to {run.finished}.",
        f"Installers: {versions}; `pip` is each target's own.",
        *(
            ["Selection: the quick selection (the test command's); the rest of the catalogue did not run."]
            if run.quick
            else []
        ),
        "",
        "Verdicts: "
        + " · ".join(f"{t.verdict.glyph} **{t.verdict}**: {t.description}" for t in document.verdicts),
        "",
        *(
            f"Reference parity with {p.baseline}: **{p.matched}/{p.total}** rows agree on landing, "
            "stray files, importability and refusal class."
            for p in document.parity
        ),
    ]
    for table in target_tables(document):
        lines += [
            "",
            f"## {table.target}",
            "",
            _target_line(table),
            "",
            "| account | scenario | fixture | " + " | ".join(table.columns) + " |",
            "|" + "---|" * (3 + len(table.columns)),
        ]
        for (account, scenario, fixture), row in table.rows.items():
            labels = [_label(row[s]) if s in row else "·" for s in table.columns]
            lines.append(f"| {account} | {scenario} | {fixture} | " + " | ".join(labels) + " |")
    for p in document.parity:
        if p.differences:
            lines += ["", f"## Where the reference differs from {p.baseline}", ""]
            lines += [
                f"- `{d.row}` {d.aspect}: {p.baseline} `{d.baseline}`, reference `{d.candidate}`"
                for d in p.differences
            ]
    return "\n".join(lines) + "\n"
