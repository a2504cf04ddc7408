"""Render a spelling into the exact command line for one cell, run it as the account; its set-up commands."""

from __future__ import annotations

import json
import ntpath
from dataclasses import dataclass

from conformance.backend.container import DEFAULT_PATH
from conformance.backend.protocol import Backend, ExecResult, accounts_of
from conformance.backend.staging import SYSTEM_COPIES_PLACEHOLDER, Toolset
from conformance.catalogue.accounts import Account
from conformance.catalogue.installers import (
    DEVNULL,
    INSTALLERS,
    Installer,
    Spelling,
    VersionSource,
    known_installers,
)
from conformance.catalogue.platforms import POSIX, Platform, windows_venv
from conformance.catalogue.scenarios import Action, Override, Scenario
from conformance.record.cell import CommandRun
from conformance.run.facts import InterpreterFacts
from conformance.run.observe import begin, command_run


@dataclass(frozen=True)
class Invocation:
    """A fully rendered command and its environment."""

    argv: tuple[str, ...]
    env: dict[str, str]


def venv_dir(scenario: Scenario, account: Account, platform: Platform = POSIX) -> str | None:
    """The scenario's venv as the target names it: the account's own, or one beside it that sees the system
    site-packages (None: the scenario runs outside a venv)."""
    if not scenario.venv:
        return None
    if scenario.venv_by_uv:
        return _in_home(account, "uv-venv", platform)
    venv = windows_venv(account) if platform.windows else account.venv
    return f"{venv}-system-site" if scenario.system_site_packages else venv


def _in_home(account: Account, name: str, platform: Platform) -> str:
    """A path in the account's home as the target names it (Windows: in the profile its venv is made in)."""
    if platform.windows:
        return ntpath.join(ntpath.dirname(windows_venv(account)), name)
    return f"{account.home}/{name}"


def scenario_env(scenario: Scenario, account: Account, platform: Platform = POSIX) -> dict[str, str]:
    """Environment of the scenario itself: its variables, its user base, and an activated venv, which puts its
    bin/ (Windows: Scripts) first on PATH (under Wine, WINEPATH is what goes first on the Windows PATH)."""
    env = dict(scenario.env)
    if scenario.user_base is not None:
        env["PYTHONUSERBASE"] = _in_home(account, scenario.user_base, platform)
    venv = venv_dir(scenario, account, platform)
    if venv is None:
        return env
    if platform.windows:
        return {**env, "VIRTUAL_ENV": venv, "WINEPATH": f"{venv}\\Scripts"}
    return {**env, "VIRTUAL_ENV": venv, "PATH": f"{venv}/bin:{DEFAULT_PATH}"}


#: Copies a venv (argv: source, copy) and turns its system site-packages on.
_COPY_VENV = (
    "import pathlib, shutil, sys; source, copy = sys.argv[1:]; shutil.copytree(source, copy); "
    "cfg = pathlib.Path(copy, 'pyvenv.cfg'); text = cfg.read_text().replace("
    "'include-system-site-packages = false', 'include-system-site-packages = true'); "
    "assert 'include-system-site-packages = true' in text, text; cfg.write_text(text)"
)


def venv_setup(
    scenario: Scenario, account: Account, platform: Platform = POSIX, toolset: Toolset | None = None
) -> Invocation | None:
    """The command that makes the scenario's venv in the cell's set-up, run as the account (None: nothing to
    make, the image has the account's own venv).

    A venv uv makes is made by the staged uv (``toolset``'s) for the target's interpreter, as a person types
    ``uv venv <dir>``; one that exists already (a host's, made before its first snapshot) is made again.

    It has no pip of its own: the system site-packages bring the target's pip (on the POSIX container targets
    the version ``python -m venv`` would copy in), and copying pip in takes seconds where the rest takes a
    tenth of one. Not under Wine: a venv of the embeddable CPython resolves its base prefix to its own Scripts
    directory, so it sees no system site-packages and no pip; there the account's own venv (made in the
    image as ``python -m venv`` would make it, bundled pip included) is copied with the flag turned on.
    """
    venv = venv_dir(scenario, account, platform)
    if venv is not None and scenario.venv_by_uv:
        uv = INSTALLERS["uv"]
        if toolset is None or uv.staging is None:
            raise ValueError(f"scenario {scenario.name}: uv makes its venv, and no staged uv was given")
        program = platform.program(platform.native(toolset.placeholders[uv.staging.placeholder]))
        argv = (*program, "venv", "--allow-existing", "--python", platform.interpreter, venv)
        return Invocation(argv, installer_env(uv, platform))
    if venv is None or not scenario.system_site_packages:
        return None
    if platform.windows:
        return Invocation((*platform.python({}), "-c", _COPY_VENV, windows_venv(account), venv), {})
    argv = (*platform.python({}), "-m", "venv", "--system-site-packages", "--without-pip", venv)
    return Invocation(argv, {})


def system_copy_setup(scenario: Scenario, toolset: Toolset, platform: Platform = POSIX) -> Invocation | None:
    """The command root runs in the cell's set-up to install the scenario's system copy (None: it has none).

    pip-latest, whichever installer the cell is about, so that every column starts from the same state;
    ``--no-user`` makes it the system scheme (as root: site-packages, or /usr/local's on Debian).
    """
    copy = scenario.system_copy
    if copy is None:
        return None
    requirement = f"{copy.project}=={copy.version}"
    return _pip_latest_setup(toolset, platform, "--no-user", SYSTEM_COPIES_PLACEHOLDER, requirement)


def earlier_install_setup(
    scenario: Scenario, account: Account, toolset: Toolset, platform: Platform = POSIX
) -> Invocation | None:
    """The command the account runs in the cell's set-up to put the scenario's earlier user install in its
    user base (None: it has none): pip-latest --user, whichever installer the cell is about."""
    if scenario.earlier_user_install is None:
        return None
    env = scenario_env(scenario, account, platform)
    return _pip_latest_setup(toolset, platform, "--user", "wheelhouse", scenario.earlier_user_install, env)


def _pip_latest_setup(
    toolset: Toolset,
    platform: Platform,
    location: str,
    wheels: str,
    requirement: str,
    env: dict[str, str] | None = None,
) -> Invocation:
    """pip-latest installing ``requirement`` with ``location`` (``--user``, ``--no-user``) from the staged
    directory the placeholder ``wheels`` names, the PEP 668 override in its environment."""
    pip = INSTALLERS["pip-latest"]
    assert pip.staging is not None
    program = platform.native(toolset.placeholders[pip.staging.placeholder])
    links = platform.native(toolset.placeholders[wheels])
    full_env = {**installer_env(pip, platform), **pip.break_system_packages_env, **(env or {})}
    argv = (*platform.python(full_env), program, "install", location, "--no-index", "--find-links", links)
    return Invocation((*argv, requirement), full_env)


#: Writes a project (argv: its directory, its pyproject.toml's text).
_WRITE_PROJECT = (
    "import pathlib, sys; where = pathlib.Path(sys.argv[1]); where.mkdir(parents=True); "
    "(where / 'pyproject.toml').write_text(sys.argv[2], encoding='utf-8')"
)


def project_dir(account: Account, platform: Platform = POSIX) -> str:
    """Where a spelling that syncs a project finds it: a directory in the account's home."""
    return _in_home(account, "cell-project", platform)


def project_setup(
    spelling: Spelling,
    account: Account,
    requirement: str,
    facts: InterpreterFacts,
    platform: Platform = POSIX,
) -> Invocation | None:
    """The command the account runs in the cell's set-up to write the project a syncing spelling installs
    from (None: the spelling installs the requirement itself): a virtual project (no build system, so only
    its dependencies are installed) that needs the requirement, on the target's Python version."""
    if not spelling.project:
        return None
    pyproject = "\n".join(
        (
            "[project]",
            'name = "cell-project"',
            'version = "0"',
            f"requires-python = {json.dumps('>=' + facts.version_short)}",
            f"dependencies = [{json.dumps(requirement)}]",
            "",
        )
    )
    argv = (*platform.python({}), "-c", _WRITE_PROJECT, project_dir(account, platform), pyproject)
    return Invocation(argv, {})


def _set_up(backend: Backend, setup: Invocation | None, account: Account, what: str) -> list[CommandRun]:
    """Run a set-up command, then take a new first snapshot (what it made is the scenario's environment, not
    the installer's writes); the set-up's record, if any."""
    if setup is None:
        return []
    result = run(backend, setup, account)
    if result.exit_code != 0:
        raise RuntimeError(f"{what} failed: {(result.stdout + result.stderr).strip()[-800:]}")
    begin(backend)
    return [command_run(result)]


def install_system_copy(backend: Backend, scenario: Scenario, toolset: Toolset) -> list[CommandRun]:
    """Install the scenario's system copy as root."""
    setup = system_copy_setup(scenario, toolset, backend.platform)
    if setup is None:
        return []  # a host that runs as a normal user only has no root account: ask for it only when needed
    return _set_up(backend, setup, accounts_of(backend)["root"], "installing the system copy")


def install_earlier(
    backend: Backend, scenario: Scenario, account: Account, toolset: Toolset
) -> list[CommandRun]:
    """Put the scenario's earlier user install in the account's user base."""
    setup = earlier_install_setup(scenario, account, toolset, backend.platform)
    return _set_up(backend, setup, account, "the earlier user install")


def make_project(
    backend: Backend, spelling: Spelling, account: Account, requirement: str, facts: InterpreterFacts
) -> CommandRun | None:
    """Write the project a syncing spelling installs from."""
    setup = project_setup(spelling, account, requirement, facts, backend.platform)
    return next(iter(_set_up(backend, setup, account, "writing the project")), None)


def installer_env(installer: Installer, platform: Platform = POSIX) -> dict[str, str]:
    """An installer's own variables on the platform: ``DEVNULL`` as its ``os.devnull``."""
    return {name: platform.devnull if value == DEVNULL else value for name, value in installer.env.items()}


def _render(
    template: tuple[str, ...], values: dict[str, str], platform: Platform, env: dict[str, str]
) -> tuple[str, ...]:
    """Each part with its placeholders filled; ``{python}`` and a leading staged program become the
    platform's commands for them."""
    rendered: list[str] = []
    for index, part in enumerate(template):
        if part == "{python}":
            rendered += platform.python(env)
        elif index == 0 and part.startswith("{") and part.endswith("}"):
            rendered += platform.program(values[part[1:-1]])
        else:
            rendered.append(part.format(**values))
    return tuple(rendered)


def _values(
    toolset: Toolset, facts: InterpreterFacts, account: Account, platform: Platform
) -> dict[str, str]:
    return {
        "user_base": facts.user_base,
        "user_site": facts.user_site,
        "project": project_dir(account, platform),
        **{name: platform.native(path) for name, path in toolset.placeholders.items()},
    }


def _command_env(
    spelling: Spelling, scenario: Scenario, account: Account, platform: Platform, values: dict[str, str]
) -> dict[str, str]:
    """A spelling's command's environment: its installer's variables, the spelling's own (placeholders
    filled), then the scenario's."""
    spelling_env = {name: value.format(**values) for name, value in spelling.env.items()}
    return {
        **installer_env(spelling.installer, platform),
        **spelling_env,
        **scenario_env(scenario, account, platform),
    }


def version_of(installer: str, toolset: Toolset, facts: InterpreterFacts) -> str | None:
    """The named installer's version in this target: the target's own pip's, the staged one, or none."""
    source = known_installers()[installer].version
    if source == VersionSource.TARGET:
        return facts.pip_version
    if source == VersionSource.STAGED:
        return toolset.versions[installer]
    return None


def install_invocation(
    spelling: Spelling,
    scenario: Scenario,
    account: Account,
    requirement: str,
    toolset: Toolset,
    facts: InterpreterFacts,
    platform: Platform = POSIX,
) -> Invocation:
    """The install command (in an uninstall scenario, its set-up), with the scenario's override."""
    installer = spelling.installer
    template = spelling.install
    values = _values(toolset, facts, account, platform)
    env = _command_env(spelling, scenario, account, platform, values)
    if scenario.upgrade:
        template = (*template, spelling.upgrade_flag)
    if scenario.override == Override.FLAG:
        template = (*template, spelling.break_system_packages_flag)
    elif scenario.override == Override.ENV:
        env.update(installer.break_system_packages_env)
    # A syncing spelling's requirement is in the project it syncs (make_project), not on its command line.
    requirements = () if spelling.project else (requirement,)
    argv = _render((*template, *installer.source_args, *requirements), values, platform, env)
    return Invocation(argv, env)


def after_invocation(
    spelling: Spelling,
    scenario: Scenario,
    account: Account,
    dist: str,
    toolset: Toolset,
    facts: InterpreterFacts,
    platform: Platform = POSIX,
) -> Invocation:
    """The command that acts on what the set-up installed: the spelling's uninstall or show of ``dist``, or
    its list or freeze."""
    template = spelling.after(scenario.action)
    arguments = (dist,) if scenario.action in (Action.UNINSTALL, Action.SHOW) else ()
    if template is None:
        raise ValueError(f"spelling {spelling.name} has no {scenario.action} command")
    installer = spelling.installer
    values = _values(toolset, facts, account, platform)
    env = _command_env(spelling, scenario, account, platform, values)
    if scenario.break_system_packages:
        env.update(installer.break_system_packages_env)
    return Invocation(_render((*template, *arguments), values, platform, env), env)


def run(backend: Backend, invocation: Invocation, account: Account) -> ExecResult:
    return backend.exec(invocation.argv, account, invocation.env)


def make_venv(backend: Backend, scenario: Scenario, account: Account, toolset: Toolset) -> list[CommandRun]:
    """Make the scenario's venv when the cell's set-up does."""
    setup = venv_setup(scenario, account, backend.platform, toolset)
    return _set_up(backend, setup, account, "making the venv")
