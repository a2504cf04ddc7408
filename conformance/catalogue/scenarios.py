"""Scenarios: an intent (implicit or explicit user install, uninstall) and the environment around it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Intent(StrEnum):
    """What the person typing the command wants."""

    IMPLICIT = "implicit"  # `pip install X` outside a venv: system site, or the user scheme as fallback
    USER = "user"  # `pip install --user X`: the interpreter's user scheme


class Action(StrEnum):
    INSTALL = "install"
    UNINSTALL = "uninstall"  # install with the spelling first (set-up), then uninstall with it


@dataclass(frozen=True)
class Scenario:
    """An intent plus the environment it is carried out in."""

    name: str
    intent: Intent
    description: str
    break_system_packages: bool = False
    venv: bool = False  # run inside a venv (without system site-packages) created at set-up
    action: Action = Action.INSTALL
    fixtures: tuple[str, ...] = ("demo-pkg",)


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario(
            "implicit",
            Intent.IMPLICIT,
            "Install outside a venv with no location flag; pip falls back to the user scheme "
            "when site-packages is not writeable.",
            fixtures=("demo-pkg", "demo-plat", "demo-plat-tags", "demo-app"),
        ),
        Scenario(
            "implicit-bsp",
            Intent.IMPLICIT,
            "The implicit install with --break-system-packages: the PEP 668 override, and on targets "
            "without a marker whether the flag is accepted at all.",
            break_system_packages=True,
        ),
        Scenario(
            "explicit-user",
            Intent.USER,
            "An explicit user-scheme install (pip --user, and uv's workarounds).",
            fixtures=("demo-pkg", "demo-plat", "demo-plat-tags", "demo-app"),
        ),
        Scenario(
            "explicit-user-bsp",
            Intent.USER,
            "The explicit user install with --break-system-packages (the PEP 668 override).",
            break_system_packages=True,
            fixtures=("demo-pkg", "demo-plat", "demo-plat-tags", "demo-app"),
        ),
        Scenario(
            "venv-user",
            Intent.USER,
            "--user inside a venv without system site-packages: pip refuses.",
            venv=True,
        ),
        Scenario(
            "uninstall",
            Intent.USER,
            "Uninstall, by the same installer, what its user-install spelling installed.",
            break_system_packages=True,
            action=Action.UNINSTALL,
        ),
    )
}
