"""Expectation files: round trip, readable mismatches, merge on update."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from conformance.matrix.cells import CellSpec
from conformance.record.cell import Cell, CommandRun, Expectation, Judgement, Observation
from conformance.record.expectations import ExpectationMismatch, Expectations

SPEC = CellSpec("debian-bookworm", "user", "explicit-user", "demo-pkg", "uv-prefix")


def _cell(verdict: str) -> Cell:
    run = CommandRun(["uv", "pip", "install"], 0, 0.1, "", "", None, None)
    return Cell(
        spec=SPEC,
        installer="uv",
        installer_version="0.1",
        command=["uv", "pip", "install"],
        environment={"UV_NO_CONFIG": "1"},
        facts={},
        expectation=Expectation("install", "explicit user install", scheme="posix_user"),
        observation=Observation(run),
        judgement=Judgement(verdict, ["because"]),
        seconds=1.0,
    )


def test_update_then_load_round_trips(tmp_path: Path) -> None:
    Expectations.load(tmp_path).update({SPEC.id: "differs"}, {"uv": "0.1"})
    loaded = Expectations.load(tmp_path)
    assert loaded.get(SPEC) == "differs"
    assert loaded.versions == {"uv": "0.1"}
    assert tomllib.loads((tmp_path / "debian-bookworm.toml").read_text())["user/explicit-user/demo-pkg"] == {
        "uv-prefix": "differs"
    }


def test_update_keeps_cells_that_did_not_run(tmp_path: Path) -> None:
    other = CellSpec("debian-bookworm", "root", "implicit", "demo-pkg", "pip")
    Expectations.load(tmp_path).update({other.id: "refuses"}, {})
    Expectations.load(tmp_path).update({SPEC.id: "differs"}, {})
    assert Expectations.load(tmp_path).get(other) == "refuses"


def test_a_changed_verdict_fails_with_a_readable_diff(tmp_path: Path) -> None:
    Expectations.load(tmp_path).update({SPEC.id: "differs"}, {})
    with pytest.raises(
        ExpectationMismatch, match=r"recorded differs, observed conforms(.|\n)*--update-expectations"
    ):
        Expectations.load(tmp_path).check(_cell("conforms"))


def test_an_unrecorded_cell_fails(tmp_path: Path) -> None:
    with pytest.raises(ExpectationMismatch, match="nothing recorded"):
        Expectations(tmp_path).check(_cell("conforms"))


def test_the_recorded_verdict_passes(tmp_path: Path) -> None:
    Expectations.load(tmp_path).update({SPEC.id: "differs"}, {})
    Expectations.load(tmp_path).check(_cell("differs"))


def test_an_unknown_verdict_in_a_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "debian-bookworm.toml").write_text('["user/implicit/demo-pkg"]\npip = "works"\n')
    with pytest.raises(ValueError, match="not a verdict"):
        Expectations.load(tmp_path)


def test_the_repository_expectations_load() -> None:
    from conformance.paths import EXPECTATIONS_DIR

    Expectations.load(EXPECTATIONS_DIR)
