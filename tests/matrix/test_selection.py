"""Selecting cells: filters per dimension, and a misspelt name lists the valid ones."""

from __future__ import annotations

import pytest

from conformance.catalogue.installers import spellings_for
from conformance.catalogue.scenarios import MAIN_FIXTURE, SCENARIOS
from conformance.catalogue.targets import TARGETS
from conformance.matrix.selection import (
    QUICK_CORE_SCENARIOS,
    QUICK_HOMES,
    QUICK_PACKAGES_SCENARIO,
    QUICK_STOOD_FOR_SCENARIOS,
    QUICK_TARGETS,
    Selection,
    SelectionError,
)


def test_unknown_target_lists_valid_names() -> None:
    with pytest.raises(
        SelectionError, match=r"--targets: unknown 'debian-bookwrom'; valid names: debian-bookworm"
    ):
        Selection.from_options({"targets": "debian-bookwrom"})


@pytest.mark.parametrize("option", ["accounts", "scenarios", "fixtures", "installers", "spellings"])
def test_every_dimension_checks_names(option: str) -> None:
    with pytest.raises(SelectionError, match="valid names"):
        Selection.from_options({option: "nope"})


def test_filters_combine() -> None:
    cells = Selection.from_options(
        {"targets": "ubuntu-noble", "accounts": "user", "scenarios": "explicit-user", "installers": "uv"}
    ).cells()
    assert cells
    assert {(c.target, c.account, c.scenario) for c in cells} == {("ubuntu-noble", "user", "explicit-user")}
    assert {c.spelling for c in cells} == {
        "uv-user",
        "uv-prefix",
        "uv-target",
        "uv-python-user-base",
        "uv-sync",
    }


def test_everything_is_every_scenario_fixture_and_spelling() -> None:
    cells = Selection().cells()
    per_target = sum(len(spellings_for(s, f)) for s in SCENARIOS.values() for f in s.fixtures) * 2
    assert len(cells) == len(TARGETS) * per_target
    assert cells == sorted(cells)
    assert len({c.id for c in cells}) == len(cells)


def test_host_targets_are_selected_by_name_or_all_as_host() -> None:
    hosts = ["host-linux-cpython3.11", "host-linux-cpython3.11-2"]
    everything = Selection.from_options({}, hosts)
    assert {s.target for s in everything.cells()} >= {*hosts, "debian-bookworm"}
    only = Selection.from_options({"targets": "host"}, hosts)
    assert only.targets == hosts
    one = Selection.from_options({"targets": "debian-bookworm,host-linux-cpython3.11-2"}, hosts)
    assert {s.target for s in one.cells()} == {"debian-bookworm", "host-linux-cpython3.11-2"}
    with pytest.raises(SelectionError, match=r"valid names: .*host-linux-cpython3\.11-2"):
        Selection.from_options({"targets": "host-macos-cpython3.12"}, hosts)


def test_pips_workarounds_add_four_cells_per_target_and_account() -> None:
    cells = Selection.from_options(
        {"targets": "debian-bookworm", "spellings": "pip-prefix,pip-latest-target"}
    ).cells()
    assert {(c.account, c.scenario, c.fixture, c.spelling) for c in cells} == {
        (account, "explicit-user", "demo-pkg", spelling)
        for account in ("root", "user")
        for spelling in ("pip-prefix", "pip-latest-target")
    }


def test_quick_keeps_every_core_row_of_the_main_package_and_each_package_on_one_target_of_each_kind() -> None:
    everything, quick = Selection().cells(), Selection(quick=True).cells()
    assert set(quick) < set(everything)
    core = {
        s
        for s in everything
        if s.scenario in (QUICK_CORE_SCENARIOS if s.target in QUICK_TARGETS else QUICK_STOOD_FOR_SCENARIOS)
        or QUICK_HOMES.get(s.scenario) == s.target
    }
    assert {s for s in core if s.fixture == MAIN_FIXTURE} == {s for s in quick if s.fixture == MAIN_FIXTURE}
    # A scenario about another package (a dependency already installed) keeps its rows of that package.
    assert {s.scenario for s in quick} == {s.scenario for s in everything}
    others = {s for s in quick if s.fixture != SCENARIOS[s.scenario].fixtures[0]}
    assert {s.scenario for s in others} == {QUICK_PACKAGES_SCENARIO}
    # The other packages run on one target of each kind of recipe; the other targets of that kind stand for
    # them.
    assert {(s.target, s.account, s.fixture) for s in others} == {
        (s.target, s.account, s.fixture)
        for s in everything
        if s.fixture != MAIN_FIXTURE and s.target in QUICK_TARGETS
    }


def test_quick_runs_every_target_and_each_other_scenario_on_its_home_one_target_of_each_kind() -> None:
    quick = Selection(quick=True).cells()
    assert {s.target for s in quick} == set(TARGETS)
    assert set(QUICK_HOMES) == set(SCENARIOS) - QUICK_CORE_SCENARIOS, "every other scenario needs a home"
    assert {type(TARGETS[t].recipe) for t in QUICK_TARGETS} == {type(t.recipe) for t in TARGETS.values()}
    others = {s for s in quick if s.scenario not in QUICK_CORE_SCENARIOS}
    assert {(s.scenario, s.target) for s in others} == set(QUICK_HOMES.items())
    # Each scenario keeps every spelling and account it has on its home.
    for scenario, home in QUICK_HOMES.items():
        everything = Selection(targets=[home], scenarios=[scenario]).cells()
        assert {(s.account, s.spelling) for s in everything} == {
            (s.account, s.spelling) for s in others if s.scenario == scenario
        }
