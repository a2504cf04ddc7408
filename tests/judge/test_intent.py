"""pip's decision table, as the judge states it, on facts of this interpreter with one thing changed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from conformance.catalogue.scenarios import SCENARIOS, Override
from conformance.judge.intent import expect, use_user_site
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


def test_pip_user_in_the_environment_is_an_explicit_user_install(
    host_facts: InterpreterFacts, facts_with: Make
) -> None:
    # Root can write site-packages, so only PIP_USER sends pip to the user scheme.
    facts = facts_with(host_facts, default_writable=True, enable_user_site=True, in_venv=False)
    result = expect(SCENARIOS["pip-user-env"], facts)
    assert (result.outcome, result.scheme) == (Outcome.INSTALL, host_facts.preferred_user)
    assert result.reason == "PIP_USER: an explicit user install"


def test_pip_user_in_the_environment_gets_the_explicit_refusals(
    host_facts: InterpreterFacts, facts_with: Make
) -> None:
    scenario = replace(SCENARIOS["pip-user-env"], override=Override.NONE)
    marked = facts_with(host_facts, externally_managed=True, in_venv=False)
    refused = expect(scenario, marked)
    assert (refused.error_class, refused.reason) == (
        "externally-managed",
        "PEP 668 marker present: --user does not bypass it",
    )
    disabled = facts_with(host_facts, enable_user_site=False, externally_managed=False, in_venv=False)
    assert expect(scenario, disabled).error_class == "user-site-disabled"


@pytest.mark.parametrize(
    ("value", "decided"), [("1", True), ("Yes", True), ("on", True), ("0", False), ("off", False), ("", None)]
)
def test_pip_user_is_read_as_pip_reads_a_boolean(value: str, decided: bool | None) -> None:
    assert use_user_site(replace(SCENARIOS["pip-user-env"], env={"PIP_USER": value})) is decided


def test_pip_user_that_pip_cannot_read_is_a_catalogue_error() -> None:
    with pytest.raises(ValueError, match="not a boolean"):
        use_user_site(replace(SCENARIOS["pip-user-env"], env={"PIP_USER": "maybe"}))


def test_the_command_line_wins_over_pip_user() -> None:
    assert use_user_site(SCENARIOS["no-user-override"]) is False
    assert use_user_site(replace(SCENARIOS["explicit-user"], env={"PIP_USER": "0"})) is True


@pytest.mark.parametrize(("writable", "outcome"), [(True, Outcome.INSTALL), (False, Outcome.REFUSE)])
def test_no_user_never_falls_back_to_the_user_scheme(
    host_facts: InterpreterFacts, facts_with: Make, writable: bool, outcome: Outcome
) -> None:
    facts = facts_with(host_facts, default_writable=writable, enable_user_site=True, in_venv=False)
    result = expect(SCENARIOS["no-user-override"], facts)
    assert result.outcome == outcome
    assert result.scheme == (facts.default_scheme if writable else None)
    assert result.error_class == (None if writable else "permission-denied")


def test_the_new_scenarios_outside_a_venv_pass_the_override(
    host_facts: InterpreterFacts, facts_with: Make
) -> None:
    facts = facts_with(
        host_facts, externally_managed=True, in_venv=False, default_writable=False, enable_user_site=True
    )
    for name in ("pip-user-env", "custom-userbase"):
        assert expect(SCENARIOS[name], facts).scheme == host_facts.preferred_user, name
    assert expect(SCENARIOS["no-user-override"], facts).error_class == "permission-denied"


def test_a_user_site_disabled_by_pythonnousersite_refuses_the_user_install(
    host_facts: InterpreterFacts, facts_with: Make
) -> None:
    # The probe runs with the scenario's PYTHONNOUSERSITE=1: site.ENABLE_USER_SITE is False.
    facts = facts_with(host_facts, enable_user_site=False, externally_managed=True, in_venv=False)
    result = expect(SCENARIOS["no-user-site"], facts)
    assert (result.outcome, result.error_class) == (Outcome.REFUSE, "user-site-disabled")


def test_a_system_site_venv_takes_the_user_install_whatever_the_marker(
    host_facts: InterpreterFacts, facts_with: Make
) -> None:
    facts = facts_with(
        host_facts, in_venv=True, venv_system_site=True, enable_user_site=True, externally_managed=True
    )
    result = expect(SCENARIOS["venv-system-site-user"], facts)
    assert (result.outcome, result.scheme) == (Outcome.INSTALL, host_facts.preferred_user)


@pytest.mark.parametrize(
    ("scenario", "outcome", "version"),
    [
        ("system-copy-older", Outcome.SATISFIED, "0.9"),  # no version asked for: the installed one does
        ("system-copy-upgrade", Outcome.INSTALL, "1.0"),  # the newer candidate, into the user site
        ("system-copy-newer", Outcome.SATISFIED, "1.1"),
    ],
)
def test_a_system_copy_satisfies_or_is_shadowed(
    host_facts: InterpreterFacts, facts_with: Make, scenario: str, outcome: Outcome, version: str
) -> None:
    facts = facts_with(host_facts, externally_managed=False, in_venv=False, enable_user_site=True)
    expectation = expect(SCENARIOS[scenario], facts)
    assert (expectation.outcome, expectation.version) == (outcome, version)
    assert expectation.scheme == host_facts.preferred_user


def test_upgrading_over_a_newer_system_copy_is_satisfied(
    host_facts: InterpreterFacts, facts_with: Make
) -> None:
    facts = facts_with(host_facts, externally_managed=False, in_venv=False, enable_user_site=True)
    scenario = replace(SCENARIOS["system-copy-newer"], upgrade=True)
    assert expect(scenario, facts).outcome == Outcome.SATISFIED


def test_pips_refusals_come_before_a_system_copy(host_facts: InterpreterFacts, facts_with: Make) -> None:
    facts = facts_with(host_facts, externally_managed=False, in_venv=False, enable_user_site=False)
    assert expect(SCENARIOS["system-copy-older"], facts).error_class == "user-site-disabled"


def test_a_dependency_the_system_copy_satisfies_is_not_installed(
    host_facts: InterpreterFacts, facts_with: Make
) -> None:
    facts = facts_with(host_facts, externally_managed=False, in_venv=False, enable_user_site=True)
    expectation = expect(SCENARIOS["system-dependency"], facts, "demo-app")
    assert (expectation.outcome, expectation.satisfied) == (Outcome.INSTALL, ["demo-base"])


def test_a_dependency_copy_too_old_for_the_requirement_is_not_kept(
    host_facts: InterpreterFacts, facts_with: Make
) -> None:
    facts = facts_with(host_facts, externally_managed=False, in_venv=False, enable_user_site=True)
    scenario = SCENARIOS["system-dependency"]
    assert scenario.system_copy is not None
    older = replace(scenario, system_copy=replace(scenario.system_copy, version="0.9"))  # demo-base>=1.0
    assert expect(older, facts, "demo-app").satisfied == []
