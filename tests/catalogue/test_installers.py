"""The installer catalogue is consistent: every placeholder known, every scenario has columns."""

from __future__ import annotations

import pytest

from conformance.catalogue.installers import (
    COMMON_PLACEHOLDERS,
    INSTALLERS,
    SPELLINGS,
    Installer,
    Spelling,
    VersionSource,
    installing_spelling,
    known_installers,
    spellings_for,
)
from conformance.catalogue.scenarios import SCENARIOS, Action, Intent


def test_each_installer_says_where_its_version_comes_from() -> None:
    sources = {name: i.version for name, i in known_installers().items()}
    assert sources == {
        "pip": VersionSource.TARGET,
        "pip-latest": VersionSource.STAGED,
        "uv": VersionSource.STAGED,
        "reference": VersionSource.STAGED,
        "broken": VersionSource.NONE,
    }


def test_runs_choose_the_versions_of_pip_latest_and_uv() -> None:
    # --pip-latest-version, --uv-version and the recorded versions are keyed by these names.
    assert {name for name, i in INSTALLERS.items() if i.fetched} == {"pip-latest", "uv"}


def test_staged_placeholders_are_distinct_and_not_common() -> None:
    staged = [i.staging.placeholder for i in known_installers().values() if i.staging]
    assert len(staged) == len(set(staged))
    assert not set(staged) & COMMON_PLACEHOLDERS


def test_a_spelling_may_use_only_its_installers_placeholders() -> None:
    with pytest.raises(ValueError, match=r"placeholders \['pip_latest'\] are not uv's"):
        Spelling("uv-odd", INSTALLERS["uv"], Intent.USER, ("{uv}", "pip", "install", "{pip_latest}"))
    with pytest.raises(ValueError, match=r"placeholders \['uv'\] are not pip's"):
        Spelling("pip-odd", INSTALLERS["pip"], Intent.USER, ("{python}", "-m", "pip"), ("{uv}",))


def test_a_spellings_variables_use_its_placeholders_and_only_a_syncing_spelling_has_a_project() -> None:
    with pytest.raises(ValueError, match=r"placeholders \['pip_latest'\] are not uv's"):
        Spelling("uv-odd", INSTALLERS["uv"], Intent.USER, ("{uv}", "pip"), env={"X": "{pip_latest}"})
    with pytest.raises(ValueError, match=r"only a syncing spelling \(project=True\) has a project"):
        Spelling("uv-odd", INSTALLERS["uv"], Intent.USER, ("{uv}", "sync", "--project", "{project}"))
    synced = Spelling("uv-ok", INSTALLERS["uv"], Intent.USER, ("{uv}", "sync"), project=True)
    assert synced.project


def test_an_installer_with_a_staged_version_is_staged() -> None:
    with pytest.raises(ValueError, match="a staged version needs a staging"):
        Installer("unstaged", VersionSource.STAGED, ())
    with pytest.raises(ValueError, match=r"unknown placeholders \['index'\]"):
        Installer("indexed", VersionSource.TARGET, ("--index-url", "{index}"))


def test_every_scenario_has_spellings_of_every_installer_that_can_type_its_intent() -> None:
    for scenario in SCENARIOS.values():
        installers = {s.installer.name for s in spellings_for(scenario)}
        # uv has no --no-user (its parser rejects it) and reads no PIP_USER: pip-user-env's uv-system is it.
        cannot = {"uv"} if scenario.intent == Intent.NOT_USER else set()
        assert installers == set(INSTALLERS) - cannot, scenario.name


def test_pips_workarounds_are_columns_of_one_row_only() -> None:
    workarounds = {"pip-prefix", "pip-target", "pip-latest-prefix", "pip-latest-target"}
    rows = {
        (scenario.name, fixture)
        for scenario in SCENARIOS.values()
        for fixture in scenario.fixtures
        if workarounds & {s.name for s in spellings_for(scenario, fixture)}
    }
    assert rows == {("explicit-user", "demo-pkg")}
    shown = [s.name for s in spellings_for(SCENARIOS["explicit-user"], "demo-pkg")]
    assert shown[:6] == [  # beside pip's --user, before uv's workarounds
        "pip",
        "pip-latest",
        "pip-prefix",
        "pip-target",
        "pip-latest-prefix",
        "pip-latest-target",
    ]


def test_a_spelling_is_limited_to_scenarios_of_its_own_intent() -> None:
    with pytest.raises(ValueError, match=r"\['implicit'\] are not scenarios of the intent user"):
        Spelling("pip-odd", INSTALLERS["pip"], Intent.USER, ("{python}",), scenarios=("implicit",))
    with pytest.raises(ValueError, match="are not scenarios"):
        Spelling("pip-odd", INSTALLERS["pip"], Intent.USER, ("{python}",), scenarios=("nope",))


def test_uninstall_scenarios_only_take_spellings_that_can_uninstall() -> None:
    for scenario in (s for s in SCENARIOS.values() if s.action == Action.UNINSTALL):
        assert all(s.uninstall is not None for s in spellings_for(scenario))


def test_spelling_names_are_unique_per_intent() -> None:
    keys = [(s.name, s.intent) for s in SPELLINGS]
    assert len(keys) == len(set(keys))


def test_an_uninstall_scenario_sets_up_with_its_installing_spelling() -> None:
    scenario = SCENARIOS["uninstall-uv-installed"]
    for spelling in spellings_for(scenario):
        installing = installing_spelling(scenario, spelling)
        assert (installing.name, installing.intent) == ("uv-prefix", Intent.USER)
    own = SCENARIOS["uninstall"]
    assert all(installing_spelling(own, s) is s for s in spellings_for(own))


def test_the_uv_spellings_people_try_are_columns_of_one_row_each() -> None:
    rows = {
        name: {
            (scenario.name, fixture)
            for scenario in SCENARIOS.values()
            for fixture in scenario.fixtures
            if name in {s.name for s in spellings_for(scenario, fixture)}
        }
        for name in ("uv-system-env", "uv-python-user-base")
    }
    assert rows == {
        "uv-system-env": {("implicit", "demo-pkg")},
        "uv-python-user-base": {("explicit-user", "demo-pkg")},
    }
