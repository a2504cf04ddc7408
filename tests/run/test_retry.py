"""A crash under Wine runs the cell again and keeps the crash; anything else is the cell's result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from conformance.record.cell import Cell
from conformance.run.retry import crash_of, run_retrying_crashes
from tests.report.records import record


def _crashed() -> Cell:
    return record("uv-prefix", "damages", exit_code=139, stderr="wine: Unhandled page fault")


def _attempts(*cells: Cell) -> tuple[list[Cell], Callable[[], Cell]]:
    queue = list(cells)
    taken: list[Cell] = []

    def run() -> Cell:
        taken.append(queue.pop(0))
        return taken[-1]

    return taken, run


def test_a_crash_under_wine_runs_the_cell_again_and_keeps_the_crash() -> None:
    crashed, fine = _crashed(), record("uv-prefix")
    taken, run = _attempts(crashed, fine)
    cell = run_retrying_crashes(run, under_wine=True)
    assert taken == [crashed, fine]
    assert cell is fine
    assert cell.crashes == [crashed.observation.command]


def test_a_second_crash_is_the_verdict_with_both_crashes_kept() -> None:
    first, second = _crashed(), _crashed()
    _, run = _attempts(first, second)
    cell = run_retrying_crashes(run, under_wine=True)
    assert cell is second
    assert cell.verdict.value == "damages"
    assert cell.crashes == [first.observation.command]


def test_a_crash_outside_wine_is_the_programs_own_result() -> None:
    crashed = _crashed()
    taken, run = _attempts(crashed, record("uv-prefix"))
    assert run_retrying_crashes(run, under_wine=False) is crashed
    assert taken == [crashed]


@pytest.mark.parametrize("exit_code", [0, 1, 2, 127, 130, 137])
def test_ordinary_failures_and_kills_are_not_crashes(exit_code: int) -> None:
    # 130 and 137 are SIGINT and SIGKILL: someone stopped the program; the emulation did not fail.
    assert crash_of(record("uv-prefix", exit_code=exit_code)) is None


def test_a_crash_in_set_up_counts() -> None:
    cell = record("uv-prefix")
    setup = replace(cell.observation.command, exit_code=134)
    cell = replace(cell, observation=replace(cell.observation, setup=[setup]))
    assert crash_of(cell) == setup
