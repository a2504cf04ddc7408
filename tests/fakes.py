"""A real fake of the backend protocol: commands run on this machine as this account, under a temp root."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from conformance.backend.protocol import ExecResult
from conformance.catalogue.accounts import Account
from conformance.catalogue.platforms import POSIX, Platform
from conformance.run import probe


@dataclass
class LocalBackend:
    """Watches ``root`` only; ``python3`` is this interpreter; every account is this process's own uid."""

    root: Path
    scratch: str
    tools: str = str(Path(probe.__file__).parent)
    closed: bool = False
    platform: Platform = POSIX
    #: Its own accounts, as the host backend has them (None: the catalogue's).
    accounts: Mapping[str, Account] | None = None

    @property
    def identity(self) -> str:
        return str(self.root)

    @property
    def roots(self) -> tuple[str, ...]:
        return (str(self.root),)

    def exec(self, argv: Sequence[str], account: Account, env: Mapping[str, str] | None = None) -> ExecResult:
        assert not self.closed, "exec after close"
        command = [sys.executable if argv[0] == "python3" else argv[0], *argv[1:]]
        full_env = {"HOME": account.home, "PATH": os.environ.get("PATH", "/usr/bin:/bin"), **(env or {})}
        start = time.monotonic()
        result = subprocess.run(command, capture_output=True, text=True, env=full_env, check=False)
        return ExecResult(
            tuple(argv), result.returncode, result.stdout, result.stderr, time.monotonic() - start
        )

    def close(self) -> None:
        self.closed = True


def local_account(home: Path) -> Account:
    """An account that is this process itself, with ``home`` as its home."""
    return Account("local", os.geteuid(), os.getegid(), str(home))
