"""The conformance matrix: one test per cell, judged against the recorded expectations."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conformance.matrix.cells import CellSpec
from conformance.record.cell import Cell
from conformance.record.expectations import Expectations


def test_cell(
    cell_spec: CellSpec,
    cell_runner: Callable[[CellSpec], Cell],
    expectations: Expectations,
    record_cell: Callable[[Cell], None],
    pytestconfig: pytest.Config,
) -> None:
    cell = cell_runner(cell_spec)
    cell.expected_verdict = expectations.get(cell_spec)
    record_cell(cell)
    if not pytestconfig.getoption("update_expectations"):
        expectations.check(cell)
