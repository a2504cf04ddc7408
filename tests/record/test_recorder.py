"""The controller's recorder: cells arrive as JSON on test reports, come back typed, and make the matrix."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Literal, cast

import pytest

from conformance.matrix.selection import Selection
from conformance.record.cell import Cell
from conformance.record.document import load_document
from conformance.record.expectations import Expectations
from conformance.record.recorder import CELL_PROPERTY, MatrixCollector
from conformance.vocabulary import Verdict
from tests.report.records import record


def _report(
    nodeid: str,
    cell: Cell,
    outcome: Literal["passed", "failed"] = "passed",
    when: Literal["call", "teardown"] = "call",
) -> pytest.TestReport:
    properties = [(CELL_PROPERTY, json.dumps(cell.to_json(), sort_keys=True))]
    return pytest.TestReport(
        nodeid, ("test_matrix.py", 0, nodeid), {}, outcome, None, when, user_properties=properties
    )


def test_cells_from_reports_make_the_matrix_and_the_expectations(tmp_path: Path) -> None:
    pip, uv = (
        replace(record("pip"), test_outcome=None),
        replace(record("uv-target", "differs"), test_outcome=None),
    )
    collector = MatrixCollector(tmp_path / "reports", Selection(), "run-1", tmp_path / "expectations")
    collector.pytest_runtest_logreport(_report("test_cell[uv]", uv, "failed"))
    # Later phases carry the same properties; a failure stays a failure.
    collector.pytest_runtest_logreport(_report("test_cell[uv]", uv, when="teardown"))
    collector.pytest_runtest_logreport(_report("test_cell[pip]", pip))
    collector.pytest_sessionfinish(cast(pytest.Session, None), 0)

    document = load_document(tmp_path / "reports" / "matrix.json")
    assert document.cells == [replace(pip, test_outcome="passed"), replace(uv, test_outcome="failed")]
    assert document.run.id == "run-1"
    assert (tmp_path / "reports" / "index.html").exists()
    recorded = Expectations.load(tmp_path / "expectations")
    assert (recorded.get(pip.spec), recorded.get(uv.spec)) == (Verdict.CONFORMS, Verdict.DIFFERS)
    assert recorded.versions == {"uv": "0.13.9"}
