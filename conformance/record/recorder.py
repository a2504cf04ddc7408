"""Collect cell records from test reports on the controller only (xdist-safe) and write the matrix."""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import pytest

from conformance.matrix.selection import Selection
from conformance.record.assemble import assemble
from conformance.record.cell import Cell
from conformance.record.expectations import Expectations
from conformance.report.write import write_reports
from conformance.vocabulary import Verdict

#: The user property each matrix test attaches its JSON record to.
CELL_PROPERTY = "conformance_cell"


class MatrixCollector:
    """Registered on the controller: gathers every cell and its test's outcome, writes reports at the end."""

    def __init__(self, out_dir: Path, selection: Selection, run_id: str, update_dir: Path | None) -> None:
        self.out_dir = out_dir
        self.selection = selection
        self.run_id = run_id
        self.update_dir = update_dir
        self.started = time.time()
        self.cells: dict[str, Cell] = {}
        self.failed: set[str] = set()  # ids of cells whose test failed in any phase
        self.nodeids: dict[str, str] = {}  # test node id -> cell id
        self.written: list[Path] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for name, value in report.user_properties:
            if name == CELL_PROPERTY:
                cell = Cell.from_json(json.loads(str(value)))
                self.cells[cell.id] = cell
                self.nodeids[report.nodeid] = cell.id
        cell_id = self.nodeids.get(report.nodeid)
        if cell_id is not None and report.failed:
            self.failed.add(cell_id)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if not self.cells:
            return
        for cell in self.cells.values():
            cell.test_outcome = "failed" if cell.id in self.failed else "passed"
        document = assemble(list(self.cells.values()), self.selection, self.run_id, self.started, time.time())
        # The observations first: a page that fails to render must not lose them.
        if self.update_dir is not None:
            observed = {cell.id: cell.verdict for cell in document.cells}
            self.written += Expectations.load(self.update_dir).update(observed, document.run.installers)
        self.written += write_reports(document, self.out_dir)

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not self.written:
            return
        counts = Counter(cell.verdict for cell in self.cells.values())
        tally = ", ".join(f"{counts[v]} {v}" for v in Verdict if counts[v])
        terminalreporter.write_sep("=", "conformance matrix")
        terminalreporter.write_line(f"{len(self.cells)} cells: {tally}")
        for path in self.written:
            terminalreporter.write_line(f"wrote {path}")
