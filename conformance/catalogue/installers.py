"""Installers and their spellings: the exact command lines each intent is typed as."""

from __future__ import annotations

from dataclasses import dataclass, field

from conformance.catalogue.scenarios import Action, Intent, Scenario

#: Placeholders filled in by the runner: tool paths inside the target, and the interpreter's own
#: user base and user site as the probe reports them (never typed into the suite).
PLACEHOLDERS = ("python", "pip_latest", "uv", "reference", "broken", "wheelhouse", "user_base", "user_site")


@dataclass(frozen=True)
class Installer:
    """A program that installs wheels, with how it is kept away from ambient configuration."""

    name: str
    description: str
    source_args: tuple[str, ...]  # local wheelhouse only, never an index
    env: dict[str, str] = field(default_factory=dict)
    break_system_packages_env: dict[str, str] = field(default_factory=dict)


_PIP_ENV = {
    "PIP_CONFIG_FILE": "/dev/null",
    "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    "PIP_NO_CACHE_DIR": "1",
    "PIP_NO_INPUT": "1",
}
_PIP_SOURCE = ("--no-index", "--find-links", "{wheelhouse}")

INSTALLERS: dict[str, Installer] = {
    i.name: i
    for i in (
        Installer(
            "pip", "pip as the target ships it", _PIP_SOURCE, _PIP_ENV, {"PIP_BREAK_SYSTEM_PACKAGES": "1"}
        ),
        Installer(
            "pip-latest",
            "the newest pip wheel, run from the wheel file",
            _PIP_SOURCE,
            _PIP_ENV,
            {"PIP_BREAK_SYSTEM_PACKAGES": "1"},
        ),
        Installer(
            "uv",
            "the newest uv release (static binary from its wheel)",
            ("--no-index", "--find-links", "{wheelhouse}"),
            {"UV_NO_CONFIG": "1", "UV_NO_CACHE": "1", "UV_NO_PROGRESS": "1", "UV_PYTHON_DOWNLOADS": "never"},
            {"UV_BREAK_SYSTEM_PACKAGES": "1"},
        ),
        Installer(
            "reference",
            "this suite's reference user-scheme installer (a zipapp)",
            _PIP_SOURCE,
            {},
            {"PIP_BREAK_SYSTEM_PACKAGES": "1"},
        ),
    )
}


@dataclass(frozen=True)
class Spelling:
    """One way of typing an intent with one installer: a column of the matrix."""

    name: str
    installer: Installer
    intent: Intent
    install: tuple[str, ...]
    uninstall: tuple[str, ...] | None = None  # None: this spelling has no uninstall counterpart
    break_system_packages_flag: str = "--break-system-packages"
    note: str = ""


SPELLINGS: tuple[Spelling, ...] = (
    Spelling("pip", INSTALLERS["pip"], Intent.IMPLICIT, ("{python}", "-m", "pip", "install")),
    Spelling(
        "pip",
        INSTALLERS["pip"],
        Intent.USER,
        ("{python}", "-m", "pip", "install", "--user"),
        ("{python}", "-m", "pip", "uninstall", "-y"),
    ),
    Spelling(
        "pip-latest", INSTALLERS["pip-latest"], Intent.IMPLICIT, ("{python}", "{pip_latest}", "install")
    ),
    Spelling(
        "pip-latest",
        INSTALLERS["pip-latest"],
        Intent.USER,
        ("{python}", "{pip_latest}", "install", "--user"),
        ("{python}", "{pip_latest}", "uninstall", "-y"),
    ),
    Spelling(
        "uv-system",
        INSTALLERS["uv"],
        Intent.IMPLICIT,
        ("{uv}", "pip", "install", "--system"),
        note="uv has no fallback to the user scheme; --system targets the interpreter's site-packages.",
    ),
    Spelling(
        "uv-user",
        INSTALLERS["uv"],
        Intent.USER,
        ("{uv}", "pip", "install", "--user"),
        note="uv does not support --user; this records how it refuses.",
    ),
    Spelling(
        "uv-prefix",
        INSTALLERS["uv"],
        Intent.USER,
        ("{uv}", "pip", "install", "--prefix", "{user_base}"),
        # `uv pip uninstall --prefix` alone answers "No virtual environment found": it needs --system.
        ("{uv}", "pip", "uninstall", "--system", "--prefix", "{user_base}"),
        note="The workaround from uv#2059: --prefix at the interpreter's user base. "
        "Its uninstall needs --system, which the install does not.",
    ),
    Spelling(
        "uv-target",
        INSTALLERS["uv"],
        Intent.USER,
        ("{uv}", "pip", "install", "--target", "{user_site}"),
        ("{uv}", "pip", "uninstall", "--system", "--target", "{user_site}"),
        note="The workaround of --target at the interpreter's user site.",
    ),
    Spelling("reference", INSTALLERS["reference"], Intent.IMPLICIT, ("{python}", "{reference}", "install")),
    Spelling(
        "reference",
        INSTALLERS["reference"],
        Intent.USER,
        ("{python}", "{reference}", "install", "--user"),
        ("{python}", "{reference}", "uninstall", "-y"),
    ),
)

#: Column order of the matrix.
SPELLING_NAMES: tuple[str, ...] = tuple(dict.fromkeys(s.name for s in SPELLINGS))


def spellings_for(scenario: Scenario) -> tuple[Spelling, ...]:
    """The spellings that carry out ``scenario``'s intent (and can uninstall, for uninstall scenarios)."""
    chosen = (s for s in SPELLINGS if s.intent == scenario.intent)
    if scenario.action == Action.UNINSTALL:
        chosen = (s for s in chosen if s.uninstall is not None)
    return tuple(chosen)
