"""Collect cell records from test reports on the controller only (xdist-safe) and write the matrix."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from conformance.matrix.selection import Selection
from conformance.record.expectations import Expectations
from conformance.report.document import build_document
from conformance.report.write import write_reports

#: The user property each matrix test attaches its JSON record to.
CELL_PROPERTY = "conformance_cell"


class MatrixCollector:
    """Registered on the controller: gathers every cell's record and outcome, writes reports at the end."""

    def __init__(self, out_dir: Path, selection: Selection, run_id: str, update_dir: Path | None) -> None:
        self.out_dir = out_dir
        self.selection = selection
        self.run_id = run_id
        self.update_dir = update_dir
        self.started = time.time()
        self.records: dict[str, dict[str, object]] = {}
        self.outcomes: dict[str, str] = {}
        self.nodeids: dict[str, str] = {}  # test node id -> cell id
        self.written: list[Path] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for name, value in report.user_properties:
            if name == CELL_PROPERTY:
                record = json.loads(str(value))
                self.records[str(record["id"])] = record
                self.outcomes.setdefault(str(record["id"]), "passed")
                self.nodeids[report.nodeid] = str(record["id"])
        cell_id = self.nodeids.get(report.nodeid)
        if cell_id is not None and report.failed:
            self.outcomes[cell_id] = "failed"

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if not self.records:
            return
        document = build_document(
            list(self.records.values()), self.outcomes, self.selection, self.run_id, self.started, time.time()
        )
        # The observations first: a page that fails to render must not lose them.
        if self.update_dir is not None:
            observed = {cell_id: str(r["verdict"]) for cell_id, r in self.records.items()}
            self.written += Expectations.load(self.update_dir).update(observed, document["run"]["installers"])
        self.written += write_reports(document, self.out_dir)

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not self.written:
            return
        counts: dict[str, int] = {}
        for record in self.records.values():
            counts[str(record["verdict"])] = counts.get(str(record["verdict"]), 0) + 1
        tally = ", ".join(f"{n} {v}" for v, n in sorted(counts.items()))
        terminalreporter.write_sep("=", "conformance matrix")
        terminalreporter.write_line(f"{len(self.records)} cells: {tally}")
        for path in self.written:
            terminalreporter.write_line(f"wrote {path}")
