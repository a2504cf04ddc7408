"""Write a matrix document and the pages rendered from it into the reports directory."""

from __future__ import annotations

import json
from pathlib import Path

from conformance.record.document import MatrixDocument
from conformance.report.html import render_html
from conformance.report.summary import render_summary


def _write(path: Path, text: str) -> Path:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


def write_reports(document: MatrixDocument, out_dir: Path) -> list[Path]:
    """matrix.json first (the source of truth, kept even if a page fails), then the pages rendered from it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    text = json.dumps(document.to_json(), indent=1, sort_keys=True) + "\n"
    written = [_write(out_dir / "matrix.json", text)]
    written.append(_write(out_dir / "summary.md", render_summary(document)))
    written.append(_write(out_dir / "index.html", render_html(document)))
    return written
