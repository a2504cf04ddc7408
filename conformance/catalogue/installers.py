"""Installers and their spellings: where each installer and its version come from, and the exact commands."""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from enum import StrEnum

from conformance.catalogue.fixtures import user_packages
from conformance.catalogue.scenarios import MAIN_FIXTURE, SCENARIOS, Action, Intent, Scenario

#: Placeholders every spelling may use, filled in by the runner: the target's interpreter, the staged
#: wheelhouse, the interpreter's own user base and user site as the probe reports them (never typed into
#: the suite), and the project a syncing spelling installs from. An installer's staging adds the placeholder
#: of its own program.
COMMON_PLACEHOLDERS = frozenset({"python", "wheelhouse", "user_base", "user_site", "project"})


class VersionSource(StrEnum):
    """Where the version recorded in an installer's cells comes from."""

    TARGET = "target"  # the target's own pip, as the probe reports it: it varies by target
    STAGED = "staged"  # resolved when the tools are staged: one version for the whole run
    NONE = "none"  # nothing to record (the oracle's broken installers)


@dataclass(frozen=True)
class Staging:
    """How an installer is put into the staged tools, and the placeholder its spellings name it by."""

    function: str  # a staging function registered under this name in conformance.backend.staging
    placeholder: str  # e.g. "uv": spellings write {uv} for the staged program's path inside the target
    project: str | None = None  # fetched from the package index as this project; None: made from this tree


def _fields(parts: tuple[str, ...]) -> set[str]:
    return {f for part in parts for _, f, _, _ in string.Formatter().parse(part) if f}


@dataclass(frozen=True)
class Installer:
    """A program that installs wheels: its version's source, its staging, and its isolation from config."""

    name: str
    version: VersionSource
    source_args: tuple[str, ...]  # local wheelhouse only, never an index
    env: dict[str, str] = field(default_factory=dict)
    break_system_packages_env: dict[str, str] = field(default_factory=dict)
    staging: Staging | None = None  # None: the target ships it

    def __post_init__(self) -> None:
        # Caught when the catalogue is read, not as a KeyError inside a container half-way through a run.
        if self.version == VersionSource.STAGED and self.staging is None:
            raise ValueError(f"installer {self.name}: a staged version needs a staging")
        unknown = _fields(self.source_args) - self.placeholders
        if unknown:
            raise ValueError(f"installer {self.name}: unknown placeholders {sorted(unknown)}")

    @property
    def placeholders(self) -> frozenset[str]:
        """The placeholders its spellings may use."""
        return COMMON_PLACEHOLDERS | ({self.staging.placeholder} if self.staging else set())

    @property
    def fetched(self) -> bool:
        """Whether a run chooses its version: the newest on the package index, or one asked for."""
        return self.staging is not None and self.staging.project is not None


#: An environment value the runner replaces with the target's ``os.devnull``.
DEVNULL = "{devnull}"

_PIP_ENV = {
    "PIP_CONFIG_FILE": DEVNULL,
    "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    "PIP_NO_CACHE_DIR": "1",
    "PIP_NO_INPUT": "1",
}
#: pip's and uv's spelling alike: the local wheelhouse only, never an index.
_WHEELHOUSE_ONLY = ("--no-index", "--find-links", "{wheelhouse}")
_PIP_BSP_ENV = {"PIP_BREAK_SYSTEM_PACKAGES": "1"}

#: The matrix's installers, by name.
INSTALLERS: dict[str, Installer] = {
    i.name: i
    for i in (
        Installer("pip", VersionSource.TARGET, _WHEELHOUSE_ONLY, _PIP_ENV, _PIP_BSP_ENV),
        Installer(
            "pip-latest",
            VersionSource.STAGED,
            _WHEELHOUSE_ONLY,
            _PIP_ENV,
            _PIP_BSP_ENV,
            Staging("pypi-wheel", "pip_latest", project="pip"),
        ),
        Installer(
            "uv",
            VersionSource.STAGED,
            _WHEELHOUSE_ONLY,
            {"UV_NO_CONFIG": "1", "UV_NO_CACHE": "1", "UV_NO_PROGRESS": "1", "UV_PYTHON_DOWNLOADS": "never"},
            {"UV_BREAK_SYSTEM_PACKAGES": "1"},
            Staging("uv-binary", "uv", project="uv"),
        ),
        Installer(
            "reference",
            VersionSource.STAGED,
            _WHEELHOUSE_ONLY,
            {},
            _PIP_BSP_ENV,
            Staging("reference-zipapp", "reference"),
        ),
    )
}

#: The oracle's deliberately broken installers (fixtures/broken-installers/, one script each, run as
#: ``{broken}/<script>.py``): staged with the others, never a column of the matrix.
BROKEN_INSTALLER = Installer(
    "broken", VersionSource.NONE, _WHEELHOUSE_ONLY, staging=Staging("broken-installers", "broken")
)


def known_installers() -> dict[str, Installer]:
    """Every installer the suite stages or runs, by name: the matrix's and the oracle's."""
    return {**INSTALLERS, BROKEN_INSTALLER.name: BROKEN_INSTALLER}


@dataclass(frozen=True)
class Spelling:
    """One way of typing an intent with one installer: a column of the matrix."""

    name: str
    installer: Installer
    intent: Intent
    install: tuple[str, ...]
    uninstall: tuple[str, ...] | None = None  # None: this spelling has no uninstall counterpart
    # How it lists, shows (followed by the name) and freezes what is installed where it installs (None:
    # no way).
    list: tuple[str, ...] | None = None
    show: tuple[str, ...] | None = None
    freeze: tuple[str, ...] | None = None
    break_system_packages_flag: str = "--break-system-packages"
    upgrade_flag: str = "--upgrade"  # pip's, uv's and the reference's alike
    #: Variables the spelling sets, typed before the command (placeholders filled as in the command).
    env: dict[str, str] = field(default_factory=dict)
    note: str = ""
    #: Only in these scenarios and with these fixtures (empty: all of its intent's): a variant shown beside
    #: its installer's main spelling without multiplying the matrix.
    scenarios: tuple[str, ...] = ()
    fixtures: tuple[str, ...] = ()
    #: The requirement is not on the command line but the one dependency of a project that the cell's set-up
    #: writes at ``{project}``, which the command installs from: ``uv sync``'s way.
    project: bool = False

    def __post_init__(self) -> None:
        commands = (self.install, *(self.after(a) or () for a in Action if a.after_setup_install))
        used = set().union(*map(_fields, (*commands, tuple(self.env.values()))))
        unknown = used - self.installer.placeholders
        if unknown:
            raise ValueError(
                f"spelling {self.name}: placeholders {sorted(unknown)} are not {self.installer.name}'s"
            )
        if "project" in used and not self.project:
            raise ValueError(f"spelling {self.name}: only a syncing spelling (project=True) has a project")
        wrong = [s for s in self.scenarios if s not in SCENARIOS or SCENARIOS[s].intent != self.intent]
        if wrong:
            raise ValueError(f"spelling {self.name}: {wrong} are not scenarios of the intent {self.intent}")

    def after(self, action: Action) -> tuple[str, ...] | None:
        """The command of an action on what the set-up installed (None: this spelling has none)."""
        commands = {
            Action.UNINSTALL: self.uninstall,
            Action.LIST: self.list,
            Action.SHOW: self.show,
            Action.FREEZE: self.freeze,
        }
        return commands.get(action)

    def applies_to(self, scenario: Scenario, fixture: str | None = None) -> bool:
        """Whether this spelling is a column of ``scenario``'s rows (of ``fixture``'s row, when given); a
        variant kept to a demo fixture is a column of every row of a person's own packages."""
        if self.intent != scenario.intent or (self.scenarios and scenario.name not in self.scenarios):
            return False
        return fixture is None or not self.fixtures or fixture in self.fixtures or user_packages()


def _pip_workarounds(name: str, installer: Installer, command: tuple[str, ...]) -> tuple[Spelling, ...]:
    """What people type with pip when --user is refused: --prefix at the user base, --target at the user
    site. Both skip pip's PEP 668 check (pip's ``InstallCommand.run``: not installing into the current
    environment); shown beside --user in explicit-user for one fixture only."""
    scenarios, fixtures = ("explicit-user",), (MAIN_FIXTURE,)
    return (
        Spelling(
            f"{name}-prefix",
            installer,
            Intent.USER,
            (*command, "--prefix", "{user_base}"),
            note="--prefix at the interpreter's user base; pip before 26.3 lays a prefix out with the "
            "default scheme (Debian's posix_local: <prefix>/local/lib/pythonX.Y/dist-packages).",
            scenarios=scenarios,
            fixtures=fixtures,
        ),
        Spelling(
            f"{name}-target",
            installer,
            Intent.USER,
            (*command, "--target", "{user_site}"),
            note="--target at the interpreter's user site: scripts, headers and data land inside it.",
            scenarios=scenarios,
            fixtures=fixtures,
        ),
    )


#: Where uv's plain --system is a column of user-scheme rows: it queries; installing is uv-prefix's job.
QUERY_SCENARIOS = tuple(s.name for s in SCENARIOS.values() if s.action.is_query)

SPELLINGS: tuple[Spelling, ...] = (
    Spelling("pip", INSTALLERS["pip"], Intent.IMPLICIT, ("{python}", "-m", "pip", "install")),
    Spelling(
        "pip",
        INSTALLERS["pip"],
        Intent.USER,
        ("{python}", "-m", "pip", "install", "--user"),
        ("{python}", "-m", "pip", "uninstall", "-y"),
        list=("{python}", "-m", "pip", "list"),
        show=("{python}", "-m", "pip", "show"),
        freeze=("{python}", "-m", "pip", "freeze"),
    ),
    Spelling("pip", INSTALLERS["pip"], Intent.NOT_USER, ("{python}", "-m", "pip", "install", "--no-user")),
    Spelling(
        "pip-latest", INSTALLERS["pip-latest"], Intent.IMPLICIT, ("{python}", "{pip_latest}", "install")
    ),
    Spelling(
        "pip-latest",
        INSTALLERS["pip-latest"],
        Intent.USER,
        ("{python}", "{pip_latest}", "install", "--user"),
        ("{python}", "{pip_latest}", "uninstall", "-y"),
        list=("{python}", "{pip_latest}", "list"),
        show=("{python}", "{pip_latest}", "show"),
        freeze=("{python}", "{pip_latest}", "freeze"),
    ),
    Spelling(
        "pip-latest",
        INSTALLERS["pip-latest"],
        Intent.NOT_USER,
        ("{python}", "{pip_latest}", "install", "--no-user"),
    ),
    *_pip_workarounds("pip", INSTALLERS["pip"], ("{python}", "-m", "pip", "install")),
    *_pip_workarounds("pip-latest", INSTALLERS["pip-latest"], ("{python}", "{pip_latest}", "install")),
    Spelling(
        "uv-system",
        INSTALLERS["uv"],
        Intent.IMPLICIT,
        ("{uv}", "pip", "install", "--system"),
        note="uv has no fallback to the user scheme; --system targets the interpreter's site-packages.",
    ),
    Spelling(
        "uv-plain",
        INSTALLERS["uv"],
        Intent.IMPLICIT,
        ("{uv}", "pip", "install"),
        note="uv pip install with no location flag: the active venv (VIRTUAL_ENV), uv's own way.",
        scenarios=("uv-venv",),
    ),
    Spelling(
        "uv-system-env",
        INSTALLERS["uv"],
        Intent.IMPLICIT,
        ("{uv}", "pip", "install"),
        env={"UV_SYSTEM_PYTHON": "1"},
        note="UV_SYSTEM_PYTHON=1 in place of --system, as tried in uv#13107.",
        scenarios=("implicit",),
        fixtures=(MAIN_FIXTURE,),
    ),
    Spelling(
        "uv-system",
        INSTALLERS["uv"],
        Intent.USER,
        ("{uv}", "pip", "install", "--system"),
        list=("{uv}", "pip", "list", "--system"),
        show=("{uv}", "pip", "show", "--system"),
        freeze=("{uv}", "pip", "freeze", "--system"),
        note="uv's view of the interpreter with no location: does it see the user site?",
        scenarios=QUERY_SCENARIOS,
    ),
    Spelling(
        "uv-user",
        INSTALLERS["uv"],
        Intent.USER,
        ("{uv}", "pip", "install", "--user"),
        note="uv does not support --user; this records how it refuses.",
        # Its argument parser refuses the flag before a package is read: other packages add nothing.
        fixtures=(MAIN_FIXTURE,),
    ),
    Spelling(
        "uv-prefix",
        INSTALLERS["uv"],
        Intent.USER,
        ("{uv}", "pip", "install", "--prefix", "{user_base}"),
        # `uv pip uninstall --prefix` alone answers "No virtual environment found": it needs --system.
        ("{uv}", "pip", "uninstall", "--system", "--prefix", "{user_base}"),
        list=("{uv}", "pip", "list", "--system", "--prefix", "{user_base}"),
        show=("{uv}", "pip", "show", "--system", "--prefix", "{user_base}"),
        freeze=("{uv}", "pip", "freeze", "--system", "--prefix", "{user_base}"),
        note="The workaround from uv#2059: --prefix at the interpreter's user base. "
        "Its uninstall needs --system, which the install does not.",
    ),
    Spelling(
        "uv-target",
        INSTALLERS["uv"],
        Intent.USER,
        ("{uv}", "pip", "install", "--target", "{user_site}"),
        ("{uv}", "pip", "uninstall", "--system", "--target", "{user_site}"),
        list=("{uv}", "pip", "list", "--system", "--target", "{user_site}"),
        show=("{uv}", "pip", "show", "--system", "--target", "{user_site}"),
        freeze=("{uv}", "pip", "freeze", "--system", "--target", "{user_site}"),
        note="The workaround of --target at the interpreter's user site.",
    ),
    Spelling(
        "uv-python-user-base",
        INSTALLERS["uv"],
        Intent.USER,
        ("{uv}", "pip", "install", "--python", "{user_base}"),
        note="--python at the user base, as tried in uv#13107: uv looks there for a venv or an interpreter.",
        scenarios=("explicit-user",),
        fixtures=(MAIN_FIXTURE,),
    ),
    Spelling(
        "uv-sync",
        INSTALLERS["uv"],
        Intent.USER,
        ("{uv}", "sync", "--project", "{project}"),
        env={"UV_PROJECT_ENVIRONMENT": "{user_base}"},
        project=True,
        note="uv's answer to --user (uv#12197, seed 004): a project that needs the package, synced with "
        "UV_PROJECT_ENVIRONMENT at the interpreter's user base. uv makes that directory a venv when it does "
        "not exist yet, and refuses it when it exists and is not one (seed 003).",
        scenarios=("explicit-user", "user-base-in-use", "next-stage-user-base", "next-stage-other-home"),
        fixtures=(MAIN_FIXTURE,),
    ),
    Spelling("reference", INSTALLERS["reference"], Intent.IMPLICIT, ("{python}", "{reference}", "install")),
    Spelling(
        "reference",
        INSTALLERS["reference"],
        Intent.USER,
        ("{python}", "{reference}", "install", "--user"),
        ("{python}", "{reference}", "uninstall", "-y"),
        list=("{python}", "{reference}", "list"),
        show=("{python}", "{reference}", "show"),
        freeze=("{python}", "{reference}", "freeze"),
    ),
    Spelling(
        "reference",
        INSTALLERS["reference"],
        Intent.NOT_USER,
        ("{python}", "{reference}", "install", "--no-user"),
    ),
)

#: Column order of the matrix.
SPELLING_NAMES: tuple[str, ...] = tuple(dict.fromkeys(s.name for s in SPELLINGS))


def spellings_for(scenario: Scenario, fixture: str | None = None) -> tuple[Spelling, ...]:
    """The spellings that carry out ``scenario``'s intent (for ``fixture``, when given), and can uninstall,
    for uninstall scenarios."""
    chosen = (s for s in SPELLINGS if s.applies_to(scenario, fixture))
    if scenario.action.after_setup_install:
        chosen = (s for s in chosen if s.after(scenario.action) is not None)
    return tuple(chosen)


def installing_spelling(scenario: Scenario, spelling: Spelling) -> Spelling:
    """The spelling whose install an uninstall scenario's set-up runs: ``installed_by``'s, or its own."""
    if scenario.installed_by is None:
        return spelling
    return next(s for s in SPELLINGS if s.name == scenario.installed_by and s.intent == scenario.intent)


def _check_installed_by() -> None:
    # Caught when the catalogue is read, not as a StopIteration inside a container half-way through a run.
    for scenario in SCENARIOS.values():
        if scenario.installed_by is not None and not any(
            s.name == scenario.installed_by and s.intent == scenario.intent for s in SPELLINGS
        ):
            raise ValueError(f"scenario {scenario.name}: no spelling {scenario.installed_by} of its intent")


_check_installed_by()
