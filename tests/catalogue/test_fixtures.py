"""Fixture specs load from fixtures/ and describe the wheels' members."""

from __future__ import annotations

from conformance.catalogue.fixtures import all_fixtures, closure, matrix_fixtures


def test_demo_pkg_carries_every_key() -> None:
    keys = {m.scheme_key(True) for m in all_fixtures()["demo-pkg"].members}
    assert keys == {"purelib", "scripts", "headers", "data"}


def test_dependencies_are_not_matrix_fixtures() -> None:
    assert "demo-base" not in matrix_fixtures()
    assert [f.name for f in closure("demo-app")] == ["demo-app", "demo-base"]


def test_scenario_fixtures_exist() -> None:
    from conformance.catalogue.scenarios import SCENARIOS

    for scenario in SCENARIOS.values():
        assert set(scenario.fixtures) <= set(matrix_fixtures())
