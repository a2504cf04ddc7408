"""What should happen to an intent in a given interpreter: pip's rules (>= 25.3), stated independently.

The reference installer implements the same rules; this module is kept separate on purpose, so that
the matrix judges the reference instead of agreeing with it by construction.
"""

from __future__ import annotations

from conformance.catalogue.scenarios import Action, Intent, Scenario
from conformance.record.cell import Expectation
from conformance.run.facts import InterpreterFacts
from conformance.vocabulary import Outcome


def _refuse(error_class: str, reason: str) -> Expectation:
    return Expectation(Outcome.REFUSE, reason, error_class=error_class)


def _install(scheme: str, reason: str) -> Expectation:
    return Expectation(Outcome.INSTALL, reason, scheme=scheme)


def expect(scenario: Scenario, facts: InterpreterFacts) -> Expectation:
    """Apply pip's decision table to the scenario's flags and the interpreter's facts."""
    if scenario.action == Action.UNINSTALL:
        return Expectation(
            Outcome.UNINSTALL, "remove every file the user install added", scheme=facts.preferred_user
        )
    if facts.externally_managed and not facts.in_venv and not scenario.break_system_packages:
        why = "--user does not bypass it" if scenario.intent == Intent.USER else "no install outside a venv"
        return _refuse("externally-managed", f"PEP 668 marker present: {why}")
    if scenario.intent == Intent.USER:
        if facts.in_venv and not facts.venv_system_site:
            return _refuse("venv-conflict", "user site-packages are not visible in this venv")
        if not facts.enable_user_site:
            return _refuse("user-site-disabled", "user site-packages are disabled for this interpreter")
        return _install(facts.preferred_user, "explicit user install")
    if facts.default_writable:
        return _install(facts.default_scheme, "site-packages writeable: a normal install")
    if facts.enable_user_site:
        return _install(
            facts.preferred_user, "site-packages not writeable: pip falls back to the user scheme"
        )
    return _refuse("permission-denied", "site-packages not writeable and user site disabled")
