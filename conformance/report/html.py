"""Render the self-contained HTML page of a matrix document (data inlined, no external assets)."""

from __future__ import annotations

import json
from typing import Any

import jinja2

from conformance.catalogue.installers import SPELLING_NAMES
from conformance.report.summary import GLYPHS

_TEMPLATE = jinja2.Environment(
    loader=jinja2.PackageLoader("conformance.report", "templates"),
    autoescape=jinja2.select_autoescape(["html"]),
    keep_trailing_newline=True,
)


def _tables(document: dict[str, Any]) -> list[dict[str, Any]]:
    tables = []
    by_target: dict[str, list[dict[str, Any]]] = {}
    for cell in document["cells"]:
        by_target.setdefault(cell["target"], []).append(cell)
    for target, cells in by_target.items():
        columns = [s for s in SPELLING_NAMES if any(c["spelling"] == s for c in cells)]
        rows: dict[tuple[str, str, str], dict[str, dict[str, Any]]] = {}
        for cell in cells:
            rows.setdefault((cell["account"], cell["scenario"], cell["fixture"]), {})[cell["spelling"]] = cell
        tables.append({"target": target, "columns": columns, "rows": rows, "facts": cells[0]["facts"]})
    return tables


def render_html(document: dict[str, Any]) -> str:
    data = json.dumps(document, sort_keys=True).replace("</", "<\\/")
    return _TEMPLATE.get_template("index.html.j2").render(
        doc=document, tables=_tables(document), glyphs=GLYPHS, data=data
    )
