"""One cell on the host: refused unless it stays in its temporary homes, then run like any other cell."""

from __future__ import annotations

from conformance.backend.host import HostAccounts, HostBackend, HostTarget
from conformance.backend.staging import Toolset
from conformance.catalogue.scenarios import SCENARIOS, Intent
from conformance.matrix.cells import CellSpec
from conformance.record.cell import Cell
from conformance.run.cell import CellNotRun, run_cell
from conformance.run.facts import InterpreterFacts
from conformance.run.invocation import scenario_env, venv_setup
from conformance.run.observe import begin, probe_facts


def system_write_reason(spec: CellSpec, facts: InterpreterFacts) -> str | None:
    """Why a cell may write into the interpreter's own site-packages (None: it stays in its homes): every
    intent but the user scheme's may install there when the account can write it (--no-user too), and a
    scenario's system copy is installed there by root at set-up."""
    scenario = SCENARIOS[spec.scenario]
    if scenario.system_copy is not None:
        return (
            f"{spec.scenario} installs {scenario.system_copy.project} {scenario.system_copy.version} into "
            f"{facts.executable}'s own site-packages at set-up: run with --host-allow-system-writes on a "
            "machine you can throw away"
        )
    if scenario.intent == Intent.USER or not facts.default_writable:
        return None
    return (
        f"{spec.scenario} may write into {facts.executable}'s own site-packages "
        f"({facts.schemes[facts.default_scheme]['purelib']}): run with --host-allow-system-writes "
        "on a machine you can throw away"
    )


def run_host_cell(
    spec: CellSpec, target: HostTarget, toolset: Toolset, accounts: HostAccounts, *, allow_system_writes: bool
) -> Cell:
    """Run ``spec`` on this machine; a cell that may write into the interpreter's own site-packages runs only
    when ``allow_system_writes``; closing the backend proves nothing else changed."""
    if spec.account in accounts.missing:
        raise CellNotRun(f"{spec.account} on {target.name}: {accounts.missing[spec.account]}")
    tools = toolset.in_place()
    with HostBackend(target, tools, accounts, allow_system_writes=allow_system_writes) as backend:
        account = backend.accounts[spec.account]
        scenario = SCENARIOS[spec.scenario]
        if scenario.venv:
            # What the container images do when they are built: the account's own venv, before the snapshot
            # (a venv with system site-packages is made by the cell's set-up: here too, for the probe below).
            setup = venv_setup(scenario, account, backend.platform, tools)
            made = backend.exec(setup.argv if setup else (target.python, "-m", "venv", account.venv), account)
            if made.exit_code != 0:
                raise RuntimeError(f"{target.python} -m venv failed: {made.stderr.strip()[-800:]}")
        facts = probe_facts(backend, account, scenario_env(scenario, account, backend.platform))
        reason = system_write_reason(spec, facts)
        if reason is not None and not allow_system_writes:
            raise CellNotRun(reason)
        begin(backend)
        return run_cell(spec, backend, tools)
