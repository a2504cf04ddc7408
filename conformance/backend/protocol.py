"""The backend seam: what a started target offers a cell (a container today; Wine and the host next)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from conformance.catalogue.accounts import ACCOUNTS, Account
from conformance.catalogue.platforms import Platform


@dataclass(frozen=True)
class ExecResult:
    """What one command inside the target did."""

    argv: tuple[str, ...]
    exit_code: int
    stdout: str
    stderr: str
    seconds: float


@dataclass(frozen=True)
class Placement:
    """Where a tree copied into a next stage lands (the target's own path) and which account owns it."""

    path: str
    account: Account


class Backend(Protocol):
    """A started target: run commands as an account; the probe inside it snapshots and observes."""

    @property
    def identity(self) -> str:
        """What the target was made from (an image): fresh targets of one identity are alike."""
        ...

    @property
    def tools(self) -> str:
        """The staged tools directory (installers, wheelhouse, probe) as the target sees it."""
        ...

    @property
    def roots(self) -> tuple[str, ...]:
        """The directories whose every change a cell observes (each walked on its own filesystem)."""
        ...

    @property
    def platform(self) -> Platform:
        """How the target runs its own programs (natively, or Windows programs through Wine)."""
        ...

    @property
    def scratch(self) -> str:
        """A directory for the probe's own state, outside the observed filesystems."""
        ...

    def exec(self, argv: Sequence[str], account: Account, env: Mapping[str, str] | None = None) -> ExecResult:
        """Run ``argv`` as ``account`` in its home, with a clean login-like environment plus ``env``."""
        ...

    def close(self) -> None:
        """Stop the target and remove everything it left; safe to call twice."""
        ...


def accounts_of(backend: object) -> Mapping[str, Account]:
    """The accounts a backend runs commands as: its own if it has them (the host's), else the catalogue's."""
    own: Mapping[str, Account] | None = getattr(backend, "accounts", None)
    return ACCOUNTS if own is None else own
