"""The scenario catalogue refuses combinations it cannot carry out."""

from __future__ import annotations

import pytest

from conformance.catalogue.fixtures import all_fixtures
from conformance.catalogue.scenarios import SCENARIOS, Action, Intent, Override, Scenario, SystemCopy


def test_system_site_packages_need_a_venv() -> None:
    with pytest.raises(ValueError, match="system site-packages are a venv's"):
        Scenario("odd", Intent.USER, "", system_site_packages=True)


def test_an_uninstall_passes_the_override_in_the_environment() -> None:
    with pytest.raises(ValueError, match="passes the override in the environment"):
        Scenario("odd", Intent.USER, "", override=Override.FLAG, action=Action.UNINSTALL)


def test_the_new_scenarios_run_one_fixture() -> None:
    new = ("pip-user-env", "no-user-override", "custom-userbase", "no-user-site", "venv-system-site-user")
    assert {SCENARIOS[name].fixtures for name in new} == {("demo-pkg",)}


def test_a_system_copy_is_set_up_for_installs_outside_a_venv() -> None:
    copy = SystemCopy("demo-pkg", "0.9")
    with pytest.raises(ValueError, match="a system copy is set up for installs outside a venv"):
        Scenario("odd", Intent.USER, "", venv=True, system_copy=copy)
    with pytest.raises(ValueError, match="a system copy is set up for installs outside a venv"):
        Scenario("odd", Intent.USER, "", override=Override.ENV, action=Action.UNINSTALL, system_copy=copy)


def test_an_earlier_user_install_is_set_up_for_installs_outside_a_venv_of_a_demo_fixture() -> None:
    with pytest.raises(ValueError, match="an earlier user install is set up for installs outside a venv"):
        Scenario("odd", Intent.USER, "", venv=True, earlier_user_install="demo-base")
    with pytest.raises(ValueError, match="an earlier user install is set up for installs outside a venv"):
        Scenario("odd", Intent.USER, "", action=Action.UNINSTALL, earlier_user_install="demo-base")
    earlier = {s.earlier_user_install for s in SCENARIOS.values()} - {None}
    assert earlier and earlier <= set(all_fixtures())
    # Another project than the one installed: what the set-up put there is not the command's to touch.
    assert all(s.earlier_user_install not in s.fixtures for s in SCENARIOS.values())


def test_only_an_uninstall_has_another_spelling_install_first() -> None:
    with pytest.raises(ValueError, match="only an uninstall"):
        Scenario("odd", Intent.USER, "", installed_by="pip-latest")


@pytest.mark.parametrize("action", [Action.LIST, Action.SHOW, Action.FREEZE])
def test_a_query_reads_what_another_spelling_installed(action: Action) -> None:
    assert action.is_query and action.after_setup_install
    with pytest.raises(ValueError, match=f"a {action} reads what installed_by's spelling installed"):
        Scenario("odd", Intent.USER, "", override=Override.ENV, action=action)
    with pytest.raises(ValueError, match=f"{action} passes the override in the environment"):
        Scenario("odd", Intent.USER, "", override=Override.FLAG, action=action, installed_by="pip")
    assert {s.installed_by for s in SCENARIOS.values() if s.action == action} <= {"pip-latest", "uv-prefix"}
    assert any(s.action == action for s in SCENARIOS.values())


def test_installs_and_uninstalls_are_not_queries() -> None:
    assert not Action.INSTALL.is_query and not Action.UNINSTALL.is_query


@pytest.mark.parametrize(
    "odd",
    [
        {"intent": Intent.IMPLICIT},
        {"intent": Intent.USER, "venv": True},
        {"intent": Intent.USER, "override": Override.ENV, "action": Action.UNINSTALL},
    ],
)
def test_a_next_stage_copies_a_user_installs_user_base(odd: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="the next stage copies a user install's user base"):
        Scenario("odd", description="", next_stage=True, **odd)  # type: ignore[arg-type]


def test_only_a_next_stage_has_another_home() -> None:
    with pytest.raises(ValueError, match="only a next stage has another home"):
        Scenario("odd", Intent.USER, "", next_stage_other_home=True)
