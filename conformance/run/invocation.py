"""Render a spelling into the exact command line for one cell, and run it as the account."""

from __future__ import annotations

from dataclasses import dataclass

from conformance.backend.container import DEFAULT_PATH
from conformance.backend.protocol import Backend, ExecResult
from conformance.backend.staging import Toolset
from conformance.catalogue.accounts import Account
from conformance.catalogue.installers import Spelling, VersionSource, known_installers
from conformance.catalogue.scenarios import Action, Scenario
from conformance.run.facts import InterpreterFacts


@dataclass(frozen=True)
class Invocation:
    """A fully rendered command and its environment."""

    argv: tuple[str, ...]
    env: dict[str, str]


def scenario_env(scenario: Scenario, account: Account) -> dict[str, str]:
    """Environment of the scenario itself: an activated venv puts its bin/ first on PATH."""
    if not scenario.venv:
        return {}
    venv = account.venv
    return {"VIRTUAL_ENV": venv, "PATH": f"{venv}/bin:{DEFAULT_PATH}"}


def _render(template: tuple[str, ...], values: dict[str, str]) -> tuple[str, ...]:
    return tuple(part.format(**values) for part in template)


def _values(toolset: Toolset, facts: InterpreterFacts) -> dict[str, str]:
    return {
        "python": "python3",
        "user_base": facts.user_base,
        "user_site": facts.user_site,
        **toolset.placeholders,
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
) -> Invocation:
    """The install command; in an uninstall scenario it is the set-up, with the override in the env."""
    installer = spelling.installer
    template = spelling.install
    env = {**installer.env, **scenario_env(scenario, account)}
    if scenario.break_system_packages:
        if scenario.action == Action.INSTALL:
            template = (*template, spelling.break_system_packages_flag)
        else:
            # Set-up must not depend on whether this version knows the flag.
            env.update(installer.break_system_packages_env)
    argv = _render((*template, *installer.source_args, requirement), _values(toolset, facts))
    return Invocation(argv, env)


def uninstall_invocation(
    spelling: Spelling,
    scenario: Scenario,
    account: Account,
    dist: str,
    toolset: Toolset,
    facts: InterpreterFacts,
) -> Invocation:
    """The uninstall command of a spelling that has one."""
    if spelling.uninstall is None:
        raise ValueError(f"spelling {spelling.name} has no uninstall command")
    installer = spelling.installer
    env = {**installer.env, **scenario_env(scenario, account)}
    if scenario.break_system_packages:
        env.update(installer.break_system_packages_env)
    return Invocation(_render((*spelling.uninstall, dist), _values(toolset, facts)), env)


def run(backend: Backend, invocation: Invocation, account: Account) -> ExecResult:
    return backend.exec(invocation.argv, account, invocation.env)
