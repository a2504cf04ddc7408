"""Render a spelling into the exact command line for one cell, and run it as the account."""

from __future__ import annotations

from dataclasses import dataclass

from conformance.backend.container import DEFAULT_PATH
from conformance.backend.protocol import Backend, ExecResult
from conformance.backend.staging import Toolset
from conformance.catalogue.accounts import Account
from conformance.catalogue.installers import Spelling, VersionSource, known_installers
from conformance.catalogue.platforms import POSIX, Platform, windows_venv
from conformance.catalogue.scenarios import Action, Scenario
from conformance.run.facts import InterpreterFacts


@dataclass(frozen=True)
class Invocation:
    """A fully rendered command and its environment."""

    argv: tuple[str, ...]
    env: dict[str, str]


def scenario_env(scenario: Scenario, account: Account, platform: Platform = POSIX) -> dict[str, str]:
    """Environment of the scenario itself: an activated venv puts its bin/ (Windows: Scripts) first on
    PATH (under Wine, WINEPATH is what goes first on the Windows PATH)."""
    if not scenario.venv:
        return {}
    if platform.windows:
        venv = windows_venv(account)
        return {"VIRTUAL_ENV": venv, "WINEPATH": f"{venv}\\Scripts"}
    venv = account.venv
    return {"VIRTUAL_ENV": venv, "PATH": f"{venv}/bin:{DEFAULT_PATH}"}


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


def _values(toolset: Toolset, facts: InterpreterFacts, platform: Platform) -> dict[str, str]:
    return {
        "user_base": facts.user_base,
        "user_site": facts.user_site,
        **{name: platform.native(path) for name, path in toolset.placeholders.items()},
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
    """The install command; in an uninstall scenario it is the set-up, with the override in the env."""
    installer = spelling.installer
    template = spelling.install
    env = {**installer.env, **scenario_env(scenario, account, platform)}
    if scenario.break_system_packages:
        if scenario.action == Action.INSTALL:
            template = (*template, spelling.break_system_packages_flag)
        else:
            # Set-up must not depend on whether this version knows the flag.
            env.update(installer.break_system_packages_env)
    values = _values(toolset, facts, platform)
    argv = _render((*template, *installer.source_args, requirement), values, platform, env)
    return Invocation(argv, env)


def uninstall_invocation(
    spelling: Spelling,
    scenario: Scenario,
    account: Account,
    dist: str,
    toolset: Toolset,
    facts: InterpreterFacts,
    platform: Platform = POSIX,
) -> Invocation:
    """The uninstall command of a spelling that has one."""
    if spelling.uninstall is None:
        raise ValueError(f"spelling {spelling.name} has no uninstall command")
    installer = spelling.installer
    env = {**installer.env, **scenario_env(scenario, account, platform)}
    if scenario.break_system_packages:
        env.update(installer.break_system_packages_env)
    values = _values(toolset, facts, platform)
    return Invocation(_render((*spelling.uninstall, dist), values, platform, env), env)


def run(backend: Backend, invocation: Invocation, account: Account) -> ExecResult:
    return backend.exec(invocation.argv, account, invocation.env)
