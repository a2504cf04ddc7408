"""Scenarios: an intent (implicit or explicit user install, uninstall) and the environment around it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Intent(StrEnum):
    """What the command typed says about the user scheme: which spellings carry a scenario out."""

    IMPLICIT = "implicit"  # `pip install X` outside a venv: system site, or the user scheme as fallback
    USER = "user"  # `pip install --user X`: the interpreter's user scheme
    NOT_USER = "not-user"  # `pip install --no-user X`: never the user scheme, whatever PIP_USER says


class Action(StrEnum):
    INSTALL = "install"
    UNINSTALL = "uninstall"  # install first (set-up: the same spelling, or installed_by), then uninstall
    # The queries: install first (set-up: installed_by's spelling), then ask what is installed.
    LIST = "list"
    SHOW = "show"  # the package's own record, by name
    FREEZE = "freeze"  # the installed packages as requirements

    @property
    def after_setup_install(self) -> bool:
        """Whether the command under test acts on what the cell's set-up installed."""
        return self != Action.INSTALL

    @property
    def is_query(self) -> bool:
        """Whether the command under test only reads what is installed."""
        return self in (Action.LIST, Action.SHOW, Action.FREEZE)


class Override(StrEnum):
    """How a scenario passes the PEP 668 override, if it does."""

    NONE = "none"
    FLAG = "flag"  # --break-system-packages on the install command (pip < 23.0.1 rejects it: exit 2)
    ENV = "env"  # each installer's variable (PIP_/UV_BREAK_SYSTEM_PACKAGES): versions without it ignore it


#: The package every scenario runs; the others show what depends on the wheel (tags, dependencies).
MAIN_FIXTURE = "demo-pkg"
#: What the install scenarios run with every package: how its wheel is made (platlib, tags, a dependency, a
#: namespace and a .pth, an sdist only) changes nothing for a user-scheme install, or shows what does.
EVERY_PACKAGE = ("demo-pkg", "demo-plat", "demo-plat-tags", "demo-app", "demo-ns", "demo-sdist")


@dataclass(frozen=True)
class SystemCopy:
    """A version of a fixture that root installs into the system site-packages at the cell's set-up."""

    project: str
    version: str


@dataclass(frozen=True)
class Scenario:
    """An intent plus the environment it is carried out in."""

    name: str
    intent: Intent
    description: str
    override: Override = Override.NONE
    venv: bool = False  # run inside a venv: the account's own, made in the image (no system site-packages)
    system_site_packages: bool = False  # that venv sees the system site-packages: made by the cell's set-up
    #: The venv is made by the cell's set-up with ``uv venv`` (no pip in it), beside the account's own.
    venv_by_uv: bool = False
    env: dict[str, str] = field(default_factory=dict)  # variables set for every command of the cell
    user_base: str | None = None  # PYTHONUSERBASE: this directory in the account's home
    system_copy: SystemCopy | None = None  # installed system-wide by root before the command
    upgrade: bool = False  # the install command asks for the newest version (--upgrade)
    #: An uninstall's set-up install is this spelling's (a user-scheme one), not the uninstalling spelling's.
    installed_by: str | None = None
    action: Action = Action.INSTALL
    fixtures: tuple[str, ...] = (MAIN_FIXTURE,)
    #: After the install the account's user base, and nothing else, is copied into a fresh target of the
    #: same image, where the imports and scripts are checked: a multi-stage build's ``COPY --from``.
    next_stage: bool = False
    #: The copy lands in the other account's home instead, owned by it, and that account checks it there: a
    #: build stage's account that is not the final stage's (``COPY --from=build --chown=app /root/.local
    #: /home/app/.local``).
    next_stage_other_home: bool = False
    #: A fixture the account installed with pip-latest --user before the command: its user base is in use.
    earlier_user_install: str | None = None

    def __post_init__(self) -> None:
        if self.system_site_packages and not self.venv:
            raise ValueError(f"scenario {self.name}: system site-packages are a venv's")
        if self.venv_by_uv and (not self.venv or self.system_site_packages):
            raise ValueError(
                f"scenario {self.name}: uv makes a venv of its own, without system site-packages"
            )
        if self.system_copy is not None and (self.venv or self.action.after_setup_install):
            raise ValueError(f"scenario {self.name}: a system copy is set up for installs outside a venv")
        if self.installed_by is not None and not self.action.after_setup_install:
            raise ValueError(
                f"scenario {self.name}: only an uninstall or a query has another spelling's install"
            )
        if self.action.is_query and self.installed_by is None:
            raise ValueError(
                f"scenario {self.name}: a {self.action} reads what installed_by's spelling installed"
            )
        if self.next_stage and (self.action != Action.INSTALL or self.venv or self.intent != Intent.USER):
            raise ValueError(f"scenario {self.name}: the next stage copies a user install's user base")
        if self.next_stage_other_home and not self.next_stage:
            raise ValueError(f"scenario {self.name}: only a next stage has another home to copy into")
        if self.earlier_user_install is not None and (self.venv or self.action != Action.INSTALL):
            raise ValueError(
                f"scenario {self.name}: an earlier user install is set up for installs outside a venv"
            )
        if self.action.after_setup_install and self.override == Override.FLAG:
            # Its set-up install must not depend on whether this version knows the flag.
            raise ValueError(f"scenario {self.name}: {self.action} passes the override in the environment")

    @property
    def break_system_packages(self) -> bool:
        return self.override != Override.NONE


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario(
            "implicit",
            Intent.IMPLICIT,
            "Install outside a venv with no location flag; pip falls back to the user scheme "
            "when site-packages is not writeable.",
            fixtures=EVERY_PACKAGE,
        ),
        Scenario(
            "implicit-bsp",
            Intent.IMPLICIT,
            "The implicit install with --break-system-packages: the PEP 668 override, and on targets "
            "without a marker whether the flag is accepted at all.",
            override=Override.FLAG,
        ),
        Scenario(
            "explicit-user",
            Intent.USER,
            "An explicit user-scheme install (pip --user, and uv's workarounds).",
            fixtures=EVERY_PACKAGE,
        ),
        Scenario(
            "explicit-user-bsp",
            Intent.USER,
            "The explicit user install with --break-system-packages (the PEP 668 override).",
            override=Override.FLAG,
            fixtures=EVERY_PACKAGE,
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
            override=Override.ENV,
            action=Action.UNINSTALL,
        ),
        Scenario(
            "uninstall-pip-installed",
            Intent.USER,
            "Uninstall, with each spelling, what pip-latest --user installed: does another installer see "
            "a user install and remove all of it?",
            override=Override.ENV,
            action=Action.UNINSTALL,
            installed_by="pip-latest",
        ),
        Scenario(
            "uninstall-uv-installed",
            Intent.USER,
            "Uninstall, with each spelling, what uv pip install --prefix <user base> installed.",
            override=Override.ENV,
            action=Action.UNINSTALL,
            installed_by="uv-prefix",
        ),
        Scenario(
            "list-pip-installed",
            Intent.USER,
            "List the installed packages with each spelling after pip-latest --user installed demo-pkg: "
            "does another installer see a user install?",
            override=Override.ENV,
            action=Action.LIST,
            installed_by="pip-latest",
        ),
        Scenario(
            "list-uv-installed",
            Intent.USER,
            "List the installed packages with each spelling after uv pip install --prefix <user base> "
            "installed demo-pkg.",
            override=Override.ENV,
            action=Action.LIST,
            installed_by="uv-prefix",
        ),
        Scenario(
            "show-pip-installed",
            Intent.USER,
            "Show demo-pkg with each spelling after pip-latest --user installed it: does another "
            "installer's show find a user install?",
            override=Override.ENV,
            action=Action.SHOW,
            installed_by="pip-latest",
        ),
        Scenario(
            "next-stage-user-base",
            Intent.USER,
            "A multi-stage image: the user install in a build stage, then only the account's user base "
            "copied (owner and modes kept, as COPY --chown keeps them) into a fresh container of the same "
            "target at the same path: does it import there, do its scripts run?",
            override=Override.ENV,
            next_stage=True,
        ),
        Scenario(
            "next-stage-other-home",
            Intent.USER,
            "A multi-stage image whose final stage runs as another account: the user install in a build "
            "stage, then its user base copied into the other account's home in a fresh container and "
            "owned by it (root builds for user, user for root): does it import for that account, do the "
            "scripts written in the first home still run?",
            override=Override.ENV,
            next_stage=True,
            next_stage_other_home=True,
        ),
        Scenario(
            "show-uv-installed",
            Intent.USER,
            "Show demo-pkg with each spelling after uv pip install --prefix <user base> installed it.",
            override=Override.ENV,
            action=Action.SHOW,
            installed_by="uv-prefix",
        ),
        Scenario(
            "freeze-pip-installed",
            Intent.USER,
            "Freeze the installed packages with each spelling after pip-latest --user installed demo-pkg: "
            "does a requirements file made there name it?",
            override=Override.ENV,
            action=Action.FREEZE,
            installed_by="pip-latest",
        ),
        Scenario(
            "freeze-uv-installed",
            Intent.USER,
            "Freeze the installed packages with each spelling after uv pip install --prefix <user base> "
            "installed demo-pkg.",
            override=Override.ENV,
            action=Action.FREEZE,
            installed_by="uv-prefix",
        ),
        # The scenarios below set the PEP 668 override in the environment, as a Dockerfile's ENV would: so
        # that on marked targets they show their own rule, not the marker's refusal again (explicit-user
        # shows that), and Ubuntu 22.04's pip, which rejects the flag, still runs.
        Scenario(
            "pip-user-env",
            Intent.IMPLICIT,
            "PIP_USER=1 in the environment, no location flag: pip makes it an explicit user install "
            "(uv does not read PIP_USER).",
            override=Override.ENV,
            env={"PIP_USER": "1"},
        ),
        Scenario(
            "no-user-override",
            Intent.NOT_USER,
            "PIP_USER=1 in the environment and --no-user on the command line: the command line wins, a "
            "non-user install with no fallback (uv has no --no-user and ignores PIP_USER: no column).",
            override=Override.ENV,
            env={"PIP_USER": "1"},
        ),
        Scenario(
            "custom-userbase",
            Intent.USER,
            "A user install with PYTHONUSERBASE set to a directory in the account's home.",
            override=Override.ENV,
            user_base="custom-base",
        ),
        Scenario(
            "no-user-site",
            Intent.USER,
            "A user install with PYTHONNOUSERSITE=1: the interpreter does not look in the user site.",
            override=Override.ENV,
            env={"PYTHONNOUSERSITE": "1"},
        ),
        # demo-pkg 1.0 is in the wheelhouse; root has installed another version system-wide first, as a
        # Dockerfile's earlier RUN would (or the distribution's package).
        Scenario(
            "system-copy-older",
            Intent.USER,
            "demo-pkg 0.9 installed system-wide by root, then a user install of demo-pkg (1.0 available): "
            "pip finds the requirement already satisfied and installs nothing.",
            override=Override.ENV,
            system_copy=SystemCopy(MAIN_FIXTURE, "0.9"),
        ),
        Scenario(
            "system-copy-upgrade",
            Intent.USER,
            "demo-pkg 0.9 installed system-wide by root, then a user install with --upgrade: 1.0 goes to "
            "the user site and shadows the system copy for that account only.",
            override=Override.ENV,
            system_copy=SystemCopy(MAIN_FIXTURE, "0.9"),
            upgrade=True,
        ),
        Scenario(
            "system-copy-newer",
            Intent.USER,
            "demo-pkg 1.1 installed system-wide by root, then a user install of demo-pkg (1.0 available): "
            "already satisfied for pip; an installer that ignores the system copy shadows it with 1.0.",
            override=Override.ENV,
            system_copy=SystemCopy(MAIN_FIXTURE, "1.1"),
        ),
        Scenario(
            "system-dependency",
            Intent.USER,
            "demo-base 1.0 installed system-wide by root, then a user install of demo-app, which needs "
            "demo-base>=1.0: pip installs demo-app alone.",
            override=Override.ENV,
            system_copy=SystemCopy("demo-base", "1.0"),
            fixtures=("demo-app",),
        ),
        Scenario(
            "user-base-in-use",
            Intent.USER,
            "A user install when the user base is already in use: the account installed demo-base with "
            "pip --user before, as any second install meets it.",
            override=Override.ENV,
            earlier_user_install="demo-base",
        ),
        Scenario(
            "uv-venv",
            Intent.IMPLICIT,
            "The alternative to the user scheme: a venv in the account's home made with uv venv (which puts "
            "no pip in it) at set-up, then an install with no location flag while it is active.",
            venv=True,
            venv_by_uv=True,
        ),
        Scenario(
            "venv-system-site-user",
            Intent.USER,
            "--user inside a venv with system site-packages (made at set-up): pip allows it.",
            venv=True,
            system_site_packages=True,
        ),
    )
}
