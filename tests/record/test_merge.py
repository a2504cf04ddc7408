"""Merging shards: one document of one run, each cell naming its shard; conflicts refused."""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from conformance import test_matrix
from conformance.__main__ import main
from conformance.backend.host import describe
from conformance.backend.staging import Toolset
from conformance.matrix.selection import Selection
from conformance.record.assemble import assemble
from conformance.record.cell import Cell
from conformance.record.document import MatrixDocument, load_document
from conformance.record.merge import MergeError, merge
from conformance.report.write import write_reports
from tests.report.records import record

MATRIX = str(Path(test_matrix.__file__))


def _document(
    cells: list[Cell], run_id: str, targets: list[str] | None = None, spellings: list[str] | None = None
) -> MatrixDocument:
    selection = Selection(targets=targets, spellings=spellings)
    return assemble(cells, selection, run_id, 1_700_000_000.0, 1_700_000_060.0)


def test_shards_make_one_run_each_cell_naming_its_shard() -> None:
    a = _document([record("pip"), record("uv-prefix", "differs")], "shard-a", spellings=["pip", "uv-prefix"])
    b = _document([record("pip", target="ubuntu-noble")], "shard-b", targets=["ubuntu-noble"])
    merged = merge([a, b], "merged")
    assert merged.run.id == "merged"
    assert merged.run.shards == ["shard-a", "shard-b"]
    assert {c.id: c.shard for c in merged.cells} == {
        "debian-bookworm/user/explicit-user-bsp/demo-pkg/pip": "shard-a",
        "debian-bookworm/user/explicit-user-bsp/demo-pkg/uv-prefix": "shard-a",
        "ubuntu-noble/user/explicit-user-bsp/demo-pkg/pip": "shard-b",
    }
    assert sorted(merged.targets) == ["debian-bookworm", "ubuntu-noble"]
    assert merged.run.selection["targets"] is None  # shard-a selected every target
    assert merged.run.selection["spellings"] is None
    assert (merged.run.started, merged.run.finished) == (a.run.started, b.run.finished)


def test_merging_a_merged_document_keeps_the_first_shards() -> None:
    a = _document([record("pip")], "shard-a")
    b = _document([record("reference")], "shard-b")
    c = _document([record("pip", target="ubuntu-noble")], "shard-c")
    twice = merge([merge([a, b], "ab"), c], "abc")
    assert twice.run.shards == ["shard-a", "shard-b", "shard-c"]
    assert sorted(cell.shard or "" for cell in twice.cells) == ["shard-a", "shard-b", "shard-c"]


def test_a_cell_two_shards_agree_on_is_kept_once() -> None:
    merged = merge([_document([record("pip")], "a"), _document([record("pip")], "b")])
    assert [(c.id, c.shard) for c in merged.cells] == [
        ("debian-bookworm/user/explicit-user-bsp/demo-pkg/pip", "a")
    ]


def test_a_cell_two_shards_disagree_on_is_refused() -> None:
    a = _document([record("pip")], "a")
    b = _document([record("pip", "refuses", exit_code=1, reasons=["refuses"])], "b")
    with pytest.raises(MergeError) as raised:
        merge([a, b])
    message = str(raised.value)
    assert "debian-bookworm/user/explicit-user-bsp/demo-pkg/pip is in two shards" in message
    assert "a says conforms" in message and "b says refuses" in message


def test_shards_of_other_installer_versions_are_refused() -> None:
    a = _document([record("uv-prefix")], "a")
    b = _document([record("uv-prefix", target="ubuntu-noble", installer_version="0.14.0")], "b")
    with pytest.raises(MergeError, match=r"different versions of uv \(a: 0.13.9, b: 0.14.0\)"):
        merge([a, b])


def test_the_command_writes_the_merged_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_reports(_document([record("pip")], "a"), tmp_path / "a")
    write_reports(_document([record("pip", target="ubuntu-noble")], "b"), tmp_path / "b")
    out = tmp_path / "site"
    assert main(["merge", str(tmp_path / "a"), str(tmp_path / "b" / "matrix.json"), "-o", str(out)]) == 0
    merged = load_document(out / "matrix.json")
    assert merged.run.shards == ["a", "b"] and len(merged.cells) == 2
    assert (out / "index.html").is_file() and (out / "summary.md").is_file()
    assert "merged 2 shards, 2 cells" in capsys.readouterr().out


def test_the_command_names_a_conflict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_reports(_document([record("pip")], "a"), tmp_path / "a")
    write_reports(_document([record("pip", "broken")], "b"), tmp_path / "b")
    assert main(["merge", str(tmp_path / "a"), str(tmp_path / "b"), "-o", str(tmp_path / "out")]) == 2
    assert "is in two shards with different results" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


#: What differs between two runs of one cell and is not the cell's result.
_RUN_ONLY = {"seconds", "timing", "shard"}
#: Each run stages its tools anew, in a directory named by a digest of the probe's and fixtures' bytes
#: (which may change between two runs while they are being worked on).
_PER_RUN = re.compile(r"\.cache/stage/[0-9a-f]+")


def _comparable(record: dict[str, Any]) -> Any:
    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            # Bytecode carries its source's mtime, the time of the install.
            pyc = str(value.get("path", "")).endswith(".pyc")
            return {
                k: strip(v) for k, v in value.items() if k not in _RUN_ONLY and not (pyc and k == "sha256")
            }
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(json.loads(_PER_RUN.sub(".cache/stage/PER-RUN", json.dumps(record))))


def _run(pytester: pytest.Pytester, toolset: Toolset, name: str, target: str, spellings: str) -> Path:
    reports = pytester.path / name
    account = "root" if os.geteuid() == 0 else "user"
    result = pytester.runpytest_subprocess(
        "-p", "conformance.plugin", MATRIX, "--host-python", HOST_PYTHON, "--targets", target,
        "--accounts", account, "--scenarios", "explicit-user-bsp", "--packages", "demo-pkg",
        "--spellings", spellings, "--uv-version", toolset.versions["uv"],
        "--pip-latest-version", toolset.versions["pip-latest"], "--reports-dir", str(reports),
    )  # fmt: skip
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()[-2000:]
    return reports / "matrix.json"


HOST_PYTHON = str(getattr(sys, "_base_executable", sys.executable))


def test_two_real_shards_merge_into_what_one_run_of_both_gives(
    pytester: pytest.Pytester, toolset: Toolset
) -> None:
    target = describe(HOST_PYTHON).name
    first = _run(pytester, toolset, "first", target, "pip")
    second = _run(pytester, toolset, "second", target, "reference")
    union = load_document(_run(pytester, toolset, "union", target, "pip,reference"))
    merged = merge([load_document(first), load_document(second)])
    assert [c.id for c in merged.cells] == [c.id for c in union.cells]
    assert len(merged.cells) == 2
    for mine, theirs in zip(merged.cells, union.cells, strict=True):
        assert _comparable(mine.to_json()) == _comparable(theirs.to_json()), mine.id
    assert {c.shard for c in merged.cells} == set(merged.run.shards) and len(merged.run.shards) == 2
    assert merged.parity == union.parity
    assert replace(merged.run, id="", started="", finished="", shards=[], selection={}) == replace(
        union.run, id="", started="", finished="", selection={}
    )


def test_a_quick_run_is_recorded_and_a_merge_with_one_is_quick() -> None:
    full = _document([record("pip")], "full")
    quick = assemble([record("reference")], Selection(quick=True), "quick", 1_700_000_000.0, 1_700_000_060.0)
    assert (full.run.quick, quick.run.quick) == (False, True)
    assert MatrixDocument.from_json(json.loads(json.dumps(quick.to_json()))).run.quick
    assert merge([full, quick], "both").run.quick
    assert not merge([full, _document([record("pip", target="ubuntu-noble")], "noble")], "two").run.quick
