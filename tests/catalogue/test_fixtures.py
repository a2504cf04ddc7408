"""Fixture specs load from fixtures/ and describe the wheels' members."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conformance.catalogue.fixtures import FixtureError, all_fixtures, closure, load_fixture, matrix_fixtures


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


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('name = "x"\n', "'version' must be a str"),
        (
            'name = "x"\nversion = "1.0"\nimport_name = "x"\nroot_is_purelib = "yes"\n',
            "'root_is_purelib' must be a bool",
        ),
        ('name = "x"\nversion = "one"\nimport_name = "x"\nroot_is_purelib = true\n', "Invalid version"),
        (
            'name = "x"\nversion = "1.0"\nimport_name = "x"\nroot_is_purelib = true\n',
            "no package directory src/x/",
        ),
        (
            'name = "x"\nversion = "1.0"\nimport_name = "ns.part"\nroot_is_purelib = true\n',
            "no package directory src/ns/part/",
        ),
        (
            'name = "x"\nversion = "1.0"\nimport_name = "x"\nroot_is_purelib = true\nbuild_backend = 1\n',
            "'build_backend' names the fixture that builds this sdist",
        ),
        ("name = [", "cannot be read as TOML"),
    ],
)
def test_a_broken_fixture_names_the_file_and_the_problem(tmp_path: Path, toml: str, message: str) -> None:
    (tmp_path / "fixture.toml").write_text(toml)
    with pytest.raises(FixtureError, match=re.escape(message)):
        load_fixture(tmp_path)


def test_a_tagged_fixture_is_one_project_with_a_wheel_per_tag() -> None:
    fixture = all_fixtures()["demo-plat-tags"]
    names = [w.wheel_name for w in fixture.wheels]
    assert names == [
        "demo_plat_tags-1.0-py3-none-musllinux_1_2_x86_64.whl",
        "demo_plat_tags-1.0-py3-none-manylinux_2_17_x86_64.whl",
        "demo_plat_tags-1.0-py3-none-any.whl",
    ]
    for wheel in fixture.wheels:
        own = {m.path for m in wheel.members} - {m.path for m in fixture.members}
        assert own == {f"demo_plat_tags/wheel_{wheel.platform}.py"}


def test_a_malformed_tag_is_refused(tmp_path: Path) -> None:
    (tmp_path / "src" / "x").mkdir(parents=True)
    (tmp_path / "fixture.toml").write_text(
        'name = "x"\nversion = "1.0"\nimport_name = "x"\nroot_is_purelib = false\ntags = ["musllinux"]\n'
    )
    with pytest.raises(FixtureError, match="is not a wheel tag"):
        load_fixture(tmp_path)


def test_a_namespace_portion_is_named_by_its_dotted_import_name() -> None:
    fixture = all_fixtures()["demo-ns"]
    assert fixture.import_name == "demo_ns.part"
    paths = {m.path for m in fixture.members}
    assert "demo_ns/__init__.py" not in paths  # PEP 420: the namespace has no __init__.py
    assert {"demo_ns/part/__init__.py", "demo_ns.pth", "demo_ns_extra/demo_ns_hook.py"} <= paths


def test_an_sdist_fixture_names_a_backend_that_is_a_fixture() -> None:
    fixture = all_fixtures()["demo-sdist"]
    assert fixture.build_backend == "demo-backend"
    assert all_fixtures()["demo-backend"].dependency_only
    assert fixture.file_name == "demo_sdist-1.0.tar.gz"
