"""pip's decision table, as the judge states it, on facts of this interpreter with one thing changed."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conformance.catalogue.scenarios import SCENARIOS
from conformance.judge.intent import expect
from conformance.run.facts import InterpreterFacts
from conformance.vocabulary import Outcome

Make = Callable[..., InterpreterFacts]


def test_marker_refuses_both_intents_without_override(host_facts: InterpreterFacts, facts_with: Make) -> None:
    facts = facts_with(host_facts, externally_managed=True, in_venv=False)
    for name in ("implicit", "explicit-user"):
        outcome = expect(SCENARIOS[name], facts)
        assert (outcome.outcome, outcome.error_class) == (Outcome.REFUSE, "externally-managed")


def test_override_lets_the_user_install_through(host_facts: InterpreterFacts, facts_with: Make) -> None:
    facts = facts_with(host_facts, externally_managed=True, in_venv=False, enable_user_site=True)
    outcome = expect(SCENARIOS["explicit-user-bsp"], facts)
    assert (outcome.outcome, outcome.scheme) == (Outcome.INSTALL, host_facts.preferred_user)


def test_marker_is_ignored_inside_a_venv(host_facts: InterpreterFacts, facts_with: Make) -> None:
    facts = facts_with(host_facts, externally_managed=True, in_venv=True, venv_system_site=False)
    assert expect(SCENARIOS["venv-user"], facts).error_class == "venv-conflict"


def test_user_install_in_a_system_site_venv_goes_to_the_user_scheme(
    host_facts: InterpreterFacts, facts_with: Make
) -> None:
    facts = facts_with(
        host_facts, in_venv=True, venv_system_site=True, enable_user_site=True, externally_managed=False
    )
    assert expect(SCENARIOS["explicit-user"], facts).scheme == host_facts.preferred_user


@pytest.mark.parametrize("enabled", [False, None])
def test_disabled_user_site_refuses_explicit_user(
    host_facts: InterpreterFacts, facts_with: Make, enabled: object
) -> None:
    facts = facts_with(host_facts, enable_user_site=enabled, externally_managed=False, in_venv=False)
    assert expect(SCENARIOS["explicit-user"], facts).error_class == "user-site-disabled"


@pytest.mark.parametrize(
    ("writable", "user_site", "outcome", "scheme_of"),
    [
        (True, True, Outcome.INSTALL, "default"),
        (False, True, Outcome.INSTALL, "user"),
        (True, False, Outcome.INSTALL, "default"),
        (False, False, Outcome.REFUSE, None),
    ],
)
def test_implicit_falls_back_only_when_not_writeable(
    host_facts: InterpreterFacts,
    facts_with: Make,
    writable: bool,
    user_site: bool,
    outcome: Outcome,
    scheme_of: str | None,
) -> None:
    facts = facts_with(
        host_facts,
        default_writable=writable,
        enable_user_site=user_site,
        externally_managed=False,
        in_venv=False,
    )
    result = expect(SCENARIOS["implicit"], facts)
    assert result.outcome == outcome
    expected_scheme = {"default": facts.default_scheme, "user": facts.preferred_user, None: None}[scheme_of]
    assert result.scheme == expected_scheme


def test_uninstall_expects_removal_from_the_user_scheme(host_facts: InterpreterFacts) -> None:
    result = expect(SCENARIOS["uninstall"], host_facts)
    assert (result.outcome, result.scheme) == (Outcome.UNINSTALL, host_facts.preferred_user)
