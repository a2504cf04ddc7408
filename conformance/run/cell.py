"""Carry out one cell in a started target container: set up, run the spelling, observe, judge."""

from __future__ import annotations

import time

from conformance.backend.container import TargetContainer
from conformance.backend.staging import Toolset
from conformance.catalogue.accounts import ACCOUNTS
from conformance.catalogue.fixtures import all_fixtures, closure
from conformance.catalogue.installers import Spelling
from conformance.catalogue.scenarios import SCENARIOS, Action
from conformance.judge.intent import expect
from conformance.judge.layout import dist_layout
from conformance.judge.verdict import judge_install, judge_uninstall
from conformance.matrix.cells import CellSpec
from conformance.record.cell import Cell, CommandRun, Observation
from conformance.run.facts import InterpreterFacts
from conformance.run.invocation import VENV_DIR, install_invocation, run, scenario_env, uninstall_invocation
from conformance.run.observe import command_run, delta, import_checks, probe_facts, script_checks, snapshot


def installer_version(installer: str, toolset: Toolset, facts: InterpreterFacts) -> str | None:
    """The version of the installer that ran in this cell (None for the oracle's broken installers)."""
    return {
        "pip": facts.pip_version,
        "pip-latest": toolset.pip_latest_version,
        "uv": toolset.uv_version,
        "reference": toolset.reference_version,
    }.get(installer)


def run_cell(
    spec: CellSpec, container: TargetContainer, toolset: Toolset, spelling: Spelling | None = None
) -> Cell:
    """Run one cell in ``container``, a fresh container of the spec's target.

    ``spelling`` replaces the catalogue's spelling of the spec (the oracle's self-tests use it).
    """
    started = time.monotonic()
    account = ACCOUNTS[spec.account]
    scenario = SCENARIOS[spec.scenario]
    spelling = spelling or spec.resolve_spelling()
    fixture = all_fixtures()[spec.fixture]
    env = scenario_env(scenario, account)
    setup: list[CommandRun] = []
    if scenario.venv:
        created = container.exec(["python3", "-m", "venv", f"{account.home}/{VENV_DIR}"], account)
        setup.append(command_run(created))
    facts = InterpreterFacts.from_probe(probe_facts(container, toolset.probe, account, env))
    expectation = expect(scenario, facts)
    fixtures = closure(fixture.name)
    install = install_invocation(spelling, scenario, account, fixture.name, toolset, facts)
    hash_baseline = scenario.venv or scenario.action == Action.UNINSTALL
    before = snapshot(container, toolset.probe, hash_baseline)
    installed = []
    if scenario.action == Action.UNINSTALL:
        setup.append(command_run(run(container, install, account)))
        after_install = snapshot(container, toolset.probe, True)
        installed = delta(container, toolset.probe, before, after_install, facts)
        before = after_install
        action = uninstall_invocation(spelling, scenario, account, fixture.name, toolset, facts)
    else:
        action = install
    result = run(container, action, account)
    after = snapshot(container, toolset.probe, False)
    observation = Observation(
        command=command_run(result),
        files=delta(container, toolset.probe, before, after, facts),
        setup=setup,
        installed=installed,
    )
    observation.imports = import_checks(container, toolset.probe, fixture, account, env)
    if scenario.action == Action.UNINSTALL:
        judgement = judge_uninstall(observation, fixtures, facts)
    else:
        scheme = expectation.scheme or facts.preferred_user
        expected_scripts = dist_layout(fixture, facts, scheme).scripts
        observation.scripts = script_checks(
            container, fixture, observation.files, expected_scripts, account, env
        )
        judgement = judge_install(expectation, observation, fixtures, facts)
    return Cell(
        spec=spec,
        installer=spelling.installer.name,
        installer_version=installer_version(spelling.installer.name, toolset, facts),
        command=list(action.argv),
        environment=dict(sorted(action.env.items())),
        facts=facts.summary(),
        expectation=expectation,
        observation=observation,
        judgement=judgement,
        seconds=time.monotonic() - started,
        timing={"command": round(result.seconds, 3)},
    )
