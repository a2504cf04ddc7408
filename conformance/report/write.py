"""Write a matrix document and the pages rendered from it into the reports directory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conformance.report.html import render_html
from conformance.report.summary import render_summary


def write_reports(document: dict[str, Any], out_dir: Path) -> list[Path]:
    """matrix.json first (the source of truth), then summary.md and index.html rendered from it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs = {
        "matrix.json": json.dumps(document, indent=1, sort_keys=True) + "\n",
        "summary.md": render_summary(document),
        "index.html": render_html(document),
    }
    written = []
    for name, text in outputs.items():
        path = out_dir / name
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        written.append(path)
    return written
