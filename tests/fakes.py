"""A stand-in for a target container: scripted diffs, commands run on the host (for observer tests)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Mapping, Sequence

from conformance.backend.container import Change, ExecResult
from conformance.catalogue.accounts import Account


class FakeContainer:
    """Returns the queued diffs in order; runs ``python3`` commands with this interpreter on the host."""

    def __init__(self, diffs: list[list[Change]]) -> None:
        self.diffs = list(diffs)
        self.commands: list[tuple[str, ...]] = []

    def diff(self) -> list[Change]:
        return self.diffs.pop(0)

    def exec(
        self,
        argv: Sequence[str],
        account: Account,
        env: Mapping[str, str] | None = None,
        workdir: str | None = None,
    ) -> ExecResult:
        self.commands.append(tuple(argv))
        command = [sys.executable if argv[0] == "python3" else argv[0], *argv[1:]]
        start = time.monotonic()
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        return ExecResult(
            tuple(argv), result.returncode, result.stdout, result.stderr, time.monotonic() - start
        )
