"""Render the Markdown summary: per target, rows account/scenario/fixture, columns installer spellings."""

from __future__ import annotations

from typing import Any

from conformance.catalogue.installers import SPELLING_NAMES

GLYPHS = {"conforms": "✅", "differs": "↪️", "broken": "💥", "refuses": "⛔", "damages": "☠️"}


def _label(cell: dict[str, Any]) -> str:
    text = f"{GLYPHS.get(cell['verdict'], '?')} {cell['verdict']}"
    expected = cell.get("expected_verdict")
    if expected and expected != cell["verdict"]:
        text += f" (was {expected})"
    return text


def _target_line(cells: list[dict[str, Any]]) -> str:
    facts = cells[0]["facts"]
    pips = sorted({str(c["installer_version"]) for c in cells if c["installer"] == "pip"})
    marker = "yes" if facts.get("externally_managed") else "no"
    return f"Python {facts.get('python')}, pip {', '.join(pips) or '?'}, PEP 668 marker: {marker}"


def render_summary(document: dict[str, Any]) -> str:
    run = document["run"]
    versions = ", ".join(f"{k} {v}" for k, v in run["installers"].items())
    parity = document["parity"]
    lines = [
        "# User-scheme install conformance matrix",
        "",
        f"Run `{run['id']}` of suite {run['suite_version']} (git `{(run['git_sha'] or '?')[:10]}`), "
        f"{run['started']} to {run['finished']}.",
        f"Installers: {versions}; `pip` is each target's own.",
        "",
        "Verdicts: " + " · ".join(f"{GLYPHS[v]} **{v}**: {d}" for v, d in document["verdicts"].items()),
        "",
        f"Reference parity with pip: **{parity['matched']}/{parity['total']}** rows agree on landing, "
        "importability and refusal class.",
    ]
    by_target: dict[str, list[dict[str, Any]]] = {}
    for cell in document["cells"]:
        by_target.setdefault(cell["target"], []).append(cell)
    for target, cells in by_target.items():
        columns = [s for s in SPELLING_NAMES if any(c["spelling"] == s for c in cells)]
        rows: dict[tuple[str, str, str], dict[str, dict[str, Any]]] = {}
        for cell in cells:
            rows.setdefault((cell["account"], cell["scenario"], cell["fixture"]), {})[cell["spelling"]] = cell
        lines += [
            "",
            f"## {target}",
            "",
            _target_line(cells),
            "",
            "| account | scenario | fixture | " + " | ".join(columns) + " |",
            "|" + "---|" * (3 + len(columns)),
        ]
        for (account, scenario, fixture), row in rows.items():
            labels = [_label(row[s]) if s in row else "·" for s in columns]
            lines.append(f"| {account} | {scenario} | {fixture} | " + " | ".join(labels) + " |")
    if parity["differences"]:
        lines += ["", "## Where the reference differs from pip", ""]
        lines += [
            f"- `{d['row']}` {d['aspect']}: pip `{d['pip']}`, reference `{d['reference']}`"
            for d in parity["differences"]
        ]
    return "\n".join(lines) + "\n"
