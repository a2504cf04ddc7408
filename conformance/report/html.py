"""Render the self-contained HTML page of a matrix document (data inlined, no external assets)."""

from __future__ import annotations

import json
from typing import Any

import jinja2

from conformance.report.summary import GLYPHS
from conformance.report.table import target_tables

_TEMPLATE = jinja2.Environment(
    loader=jinja2.PackageLoader("conformance.report", "templates"),
    autoescape=jinja2.select_autoescape(["html"]),
    keep_trailing_newline=True,
)


def render_html(document: dict[str, Any]) -> str:
    data = json.dumps(document, sort_keys=True).replace("</", "<\\/")
    return _TEMPLATE.get_template("index.html.j2").render(
        doc=document, tables=target_tables(document), glyphs=GLYPHS, data=data
    )
