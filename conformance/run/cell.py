"""The orchestrator: carry out one cell in a started, snapshotted backend: set-up, invocation, observation."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager

from conformance.backend.protocol import Backend, Placement, accounts_of
from conformance.backend.staging import Toolset
from conformance.catalogue.accounts import other_account
from conformance.catalogue.fixtures import all_fixtures
from conformance.catalogue.installers import Spelling, installing_spelling
from conformance.catalogue.scenarios import SCENARIOS, Action
from conformance.judge.intent import expect
from conformance.judge.paths import rules
from conformance.judge.tags import installed_wheels, no_wheel
from conformance.judge.verdict import judge_install, judge_query, judge_uninstall
from conformance.matrix.cells import CellSpec
from conformance.record.cell import Cell, FileChange, Observation
from conformance.run.facts import InterpreterFacts
from conformance.run.invocation import (
    after_invocation,
    install_earlier,
    install_invocation,
    install_system_copy,
    make_project,
    make_venv,
    run,
    scenario_env,
    version_of,
)
from conformance.run.observe import Checks, Observed, command_run, observe, probe_facts

#: A fresh target of the cell's image with a directory of the cell's target copied in (None: nothing to
#: copy), at the same path or where a placement says, its first snapshot taken before the copy: the next
#: stage of a multi-stage build.
NextStage = Callable[[str | None, Placement | None], AbstractContextManager[Backend]]


class CellNotRun(Exception):
    """The cell cannot be run as asked here; the message says why (the test is skipped with it)."""


def installer_version(installer: str, toolset: Toolset, facts: InterpreterFacts) -> str | None:
    """The version of the installer that ran in this cell (None for the oracle's broken installers)."""
    return version_of(installer, toolset, facts)


def user_base_dir(files: list[FileChange], facts: InterpreterFacts) -> str | None:
    """The target's own path of the user base, if anything landed in it (None: nothing to copy)."""
    paths = rules(facts)
    for file in files:
        if not paths.inside(file.path, facts.user_base):
            continue
        if file.container_path is None:
            return facts.user_base
        below = paths.flavour.relpath(file.path, facts.user_base)
        depth = 0 if below == "." else below.count(paths.sep) + 1
        return file.container_path.rsplit("/", depth)[0] if depth else file.container_path
    return None


def run_cell(
    spec: CellSpec,
    backend: Backend,
    toolset: Toolset,
    spelling: Spelling | None = None,
    next_stage: NextStage | None = None,
) -> Cell:
    """Run one cell in ``backend``: fresh for this cell, its first snapshot already taken (``observe.begin``).

    ``spelling`` replaces the catalogue's spelling of the spec (the oracle's self-tests use it); a scenario
    with a next stage checks the install in the target ``next_stage`` gives.
    """
    started = time.monotonic()
    account = accounts_of(backend)[spec.account]
    scenario = SCENARIOS[spec.scenario]
    spelling = spelling or spec.resolve_spelling()
    fixture = all_fixtures()[spec.fixture]
    platform = backend.platform
    env = scenario_env(scenario, account, platform)
    setup = install_system_copy(backend, scenario, toolset) + make_venv(backend, scenario, account, toolset)
    setup += install_earlier(backend, scenario, account, toolset)
    facts = probe_facts(backend, account, env)
    # A next stage in another home is checked by the other account, with its own facts (probed, like the
    # cell's, before the command under test runs).
    stage_account, stage_env, stage_facts = account, env, facts
    if scenario.next_stage_other_home:
        stage_account = accounts_of(backend)[other_account(account).name]
        stage_env = scenario_env(scenario, stage_account, platform)
        stage_facts = probe_facts(backend, stage_account, stage_env)
    expectation = expect(scenario, facts, fixture.name)
    wheels = installed_wheels(fixture.name, facts)
    missing = no_wheel(wheels, facts)
    if missing is not None and scenario.action.after_setup_install:
        raise CellNotRun(f"{spec.id}: {missing}, so there is nothing installed to {scenario.action}")
    fixtures = tuple(wheel for wheel in wheels.values() if wheel is not None)
    installing = installing_spelling(scenario, spelling)
    project = make_project(backend, installing, account, fixture.name, facts)
    install = install_invocation(installing, scenario, account, fixture.name, toolset, facts, platform)
    timing: dict[str, float] = {"facts": time.monotonic() - started}
    after = scenario.action.after_setup_install
    installed: list[FileChange] = []
    if after:
        setup.append(command_run(run(backend, install, account)))
        installed = observe(backend, facts, rebase=True, account=account).files
        action = after_invocation(spelling, scenario, account, fixture.name, toolset, facts, platform)
    else:
        action = install
    result = run(backend, action, account)
    scheme = expectation.scheme or facts.preferred_user
    checks = Checks(
        fixture,
        account,
        env,
        () if after else tuple(name for name, _ in fixture.console_scripts),
        facts.schemes[scheme]["scripts"],
    )
    observing = time.monotonic()
    if scenario.next_stage:
        if next_stage is None:
            raise ValueError(f"{spec.id}: its scenario needs a next stage, which this backend cannot give")
        landed = observe(backend, facts, account=account)
        checks_there = Checks(
            fixture, stage_account, stage_env, checks.scripts, stage_facts.schemes[scheme]["scripts"]
        )
        placement = None
        if stage_account != account:
            there_base = platform.container_path(stage_facts.user_base, stage_account)
            placement = Placement(there_base, stage_account)
        with next_stage(user_base_dir(landed.files, facts), placement) as stage:
            there = observe(stage, stage_facts, checks_there)
        observed = Observed(landed.files, there.imports, there.scripts)
    else:
        observed = observe(backend, facts, checks)
    timing.update(command=result.seconds, observe=time.monotonic() - observing)
    observation = Observation(
        command=command_run(result),
        files=observed.files,
        setup=setup,
        imports=observed.imports,
        scripts=observed.scripts,
        installed=installed,
        project=project,
    )
    if scenario.action == Action.UNINSTALL:
        judgement = judge_uninstall(observation, fixtures, facts)
    elif scenario.action.is_query:
        judgement = judge_query(observation, scenario.action, fixture, facts)
    else:
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
        timing={k: round(v, 3) for k, v in timing.items()},
    )
