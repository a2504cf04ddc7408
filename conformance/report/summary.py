"""Render the Markdown summary: per target, rows account/scenario/fixture, columns installer spellings."""

from __future__ import annotations

from typing import Any

from conformance.report.table import TargetTable, target_tables

GLYPHS = {"conforms": "✅", "differs": "↪️", "broken": "💥", "refuses": "⛔", "damages": "☠️"}


def _label(cell: dict[str, Any]) -> str:
    text = f"{GLYPHS.get(cell['verdict'], '?')} {cell['verdict']}"
    expected = cell.get("expected_verdict")
    if expected and expected != cell["verdict"]:
        text += f" (was {expected})"
    return text


def _target_line(table: TargetTable) -> str:
    marker = "yes" if table.facts.get("externally_managed") else "no"
    pips = ", ".join(table.pip_versions) or "?"
    return f"Python {table.facts.get('python')}, pip {pips}, PEP 668 marker: {marker}"


def render_summary(document: dict[str, Any]) -> str:
    run = document["run"]
    versions = ", ".join(f"{k} {v}" for k, v in run["installers"].items())
    parities = document["parity"]
    lines = [
        "# User-scheme install conformance matrix",
        "",
        f"Run `{run['id']}` of suite {run['suite_version']} (git `{(run['git_sha'] or '?')[:10]}`), "
        f"{run['started']} to {run['finished']}.",
        f"Installers: {versions}; `pip` is each target's own.",
        "",
        "Verdicts: " + " · ".join(f"{GLYPHS[v]} **{v}**: {d}" for v, d in document["verdicts"].items()),
        "",
        *(
            f"Reference parity with {p['baseline']}: **{p['matched']}/{p['total']}** rows agree on landing, "
            "stray files, importability and refusal class."
            for p in parities
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
    for p in parities:
        if p["differences"]:
            lines += ["", f"## Where the reference differs from {p['baseline']}", ""]
            lines += [
                f"- `{d['row']}` {d['aspect']}: {p['baseline']} `{d['baseline']}`, "
                f"reference `{d['candidate']}`"
                for d in p["differences"]
            ]
    return "\n".join(lines) + "\n"
