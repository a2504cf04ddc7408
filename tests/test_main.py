"""The command line's render and diff: pages from a matrix.json, and one `error:` line for a bad file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conformance.__main__ import main
from tests.report.records import document, record, varied


def _write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _matrix(tmp_path: Path, name: str = "matrix.json", **changes: Any) -> Path:
    return _write(tmp_path / name, {**document(varied()).to_json(), **changes})


def _error_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    return line


def test_render_writes_the_pages_beside_the_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    matrix = _matrix(tmp_path)
    assert main(["render", str(matrix)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"wrote {tmp_path / name}" for name in ("matrix.json", "summary.md", "index.html")
    ]
    assert "## debian-bookworm" in (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert json.loads(matrix.read_text(encoding="utf-8")) == document(varied()).to_json()


def test_diff_prints_the_changes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = _write(tmp_path / "old.json", document([record("pip")]).to_json())
    new = _write(tmp_path / "new.json", document([record("pip", "refuses", exit_code=1)]).to_json())
    assert main(["diff", str(old), str(new)]) == 0
    assert "| Changed | 1 (0 now conform, 1 no longer conform) |" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read it: No such file or directory"),
        ("{not json", "not JSON: Expecting property name"),
        ("[]", "not a matrix document (a JSON list)"),
        ("{}", "schema is None, not 'conformance-matrix'"),
        ('{"schema": "conformance-matrix", "schema_version": 4}', "not a matrix document: no 'run' field"),
        (
            '{"schema": "conformance-matrix", "schema_version": 2, "cells": []}',
            "schema_version 2 is not the one this suite reads (4); rerun the matrix to regenerate it",
        ),
    ],
)
@pytest.mark.parametrize("command", ["render", "diff-old", "diff-new"])
def test_a_bad_file_is_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, content: str | None, message: str
) -> None:
    bad = tmp_path / "bad.json"
    if content is not None:
        bad.write_text(content, encoding="utf-8")
    good = str(_matrix(tmp_path))
    argv = {
        "render": ["render", str(bad)],
        "diff-old": ["diff", str(bad), good],
        "diff-new": ["diff", good, str(bad)],
    }[command]
    assert main(argv) == 2
    assert _error_line(capsys).startswith(f"error: {bad}: {message}")


def test_a_field_of_the_wrong_type_is_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    matrix = _matrix(tmp_path, cells=[{"id": "x"}])
    assert main(["render", str(matrix)]) == 2
    assert _error_line(capsys).startswith(f"error: {matrix}: not a matrix document: ")


def test_the_entry_point_exits_2_without_a_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "conformance", "render", str(tmp_path / "nothing.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr == f"error: {tmp_path / 'nothing.json'}: cannot read it: No such file or directory\n"
