"""Wine's own crashes: a cell whose program died by a signal under Wine is run once more, the crash kept."""

from __future__ import annotations

import signal
from collections.abc import Callable

from conformance.record.cell import Cell, CommandRun

#: The exit statuses of a process killed by a fault (128 + signal, as the shell reports it): under Wine
#: these are the emulation failing (seen, when programs were run by Wine's loader directly: uv.exe exiting
#: 139 after a complete install), not the program.
CRASH_STATUSES = frozenset(
    128 + s for s in (signal.SIGILL, signal.SIGABRT, signal.SIGBUS, signal.SIGFPE, signal.SIGSEGV)
)


def crash_of(cell: Cell) -> CommandRun | None:
    """The first command of the cell, set-up included, that died by a fault signal; None if none did."""
    for command in (*cell.observation.setup, cell.observation.command):
        if command.exit_code in CRASH_STATUSES:
            return command
    return None


def run_retrying_crashes(run: Callable[[], Cell], under_wine: bool) -> Cell:
    """``run()``; under Wine, once more in a fresh backend if a program crashed, keeping the crash."""
    cell = run()
    crash = crash_of(cell) if under_wine else None
    if crash is None:
        return cell
    again = run()
    again.crashes = [crash, *again.crashes]
    return again
