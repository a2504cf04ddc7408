"""Expectation files: round trip, readable mismatches, merge on update."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from conformance.record.cell import Cell, CommandRun, Coordinates, Expectation, Judgement, Observation
from conformance.record.expectations import ExpectationMismatch, Expectations
from conformance.vocabulary import Outcome, Verdict

SPEC = Coordinates("debian-bookworm", "user", "explicit-user", "demo-pkg", "uv-prefix")


def _cell(verdict: Verdict, stdout: str = "", stderr: str = "") -> Cell:
    run = CommandRun(["uv", "pip", "install"], 0, 0.1, stdout, stderr, None, None)
    return Cell(
        spec=SPEC,
        installer="uv",
        installer_version="0.1",
        command=["uv", "pip", "install"],
        environment={"UV_NO_CONFIG": "1"},
        facts={},
        expectation=Expectation(Outcome.INSTALL, "explicit user install", scheme="posix_user"),
        observation=Observation(run),
        judgement=Judgement(verdict, ["because"]),
        seconds=1.0,
    )


def test_update_then_load_round_trips(tmp_path: Path) -> None:
    Expectations.load(tmp_path).update({SPEC.id: Verdict.DIFFERS}, {"uv": "0.1"})
    loaded = Expectations.load(tmp_path)
    assert loaded.get(SPEC) == Verdict.DIFFERS
    assert loaded.versions == {"uv": "0.1"}
    assert tomllib.loads((tmp_path / "debian-bookworm.toml").read_text())["user/explicit-user/demo-pkg"] == {
        "uv-prefix": "differs"
    }


def test_update_keeps_cells_that_did_not_run(tmp_path: Path) -> None:
    other = Coordinates("debian-bookworm", "root", "implicit", "demo-pkg", "pip")
    Expectations.load(tmp_path).update({other.id: Verdict.REFUSES}, {})
    Expectations.load(tmp_path).update({SPEC.id: Verdict.DIFFERS}, {})
    assert Expectations.load(tmp_path).get(other) == Verdict.REFUSES


def test_a_changed_verdict_fails_with_a_readable_diff(tmp_path: Path) -> None:
    Expectations.load(tmp_path).update({SPEC.id: Verdict.DIFFERS}, {})
    with pytest.raises(
        ExpectationMismatch, match=r"recorded differs, observed conforms(.|\n)*--update-expectations"
    ):
        Expectations.load(tmp_path).check(_cell(Verdict.CONFORMS))


def test_a_mismatch_shows_the_tail_of_what_the_command_printed(tmp_path: Path) -> None:
    Expectations.load(tmp_path).update({SPEC.id: Verdict.REFUSES}, {})
    stderr = "".join(f"line {n}\n" for n in range(10)) + "warning: Package(s) not found for: demo-pkg\n"
    with pytest.raises(ExpectationMismatch) as raised:
        Expectations.load(tmp_path).check(_cell(Verdict.BROKEN, stderr=stderr))
    message = str(raised.value)
    assert "stdout: (empty)" in message
    assert "stderr: line 5\n    line 6" in message
    assert message.index("not found for: demo-pkg") < message.index("--update-expectations")
    assert "line 4" not in message


def test_an_unrecorded_cell_fails(tmp_path: Path) -> None:
    with pytest.raises(ExpectationMismatch, match="nothing recorded"):
        Expectations(tmp_path).check(_cell(Verdict.CONFORMS))


def test_the_recorded_verdict_passes(tmp_path: Path) -> None:
    Expectations.load(tmp_path).update({SPEC.id: Verdict.DIFFERS}, {})
    Expectations.load(tmp_path).check(_cell(Verdict.DIFFERS))


def test_an_unknown_verdict_in_a_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "debian-bookworm.toml").write_text('["user/implicit/demo-pkg"]\npip = "works"\n')
    with pytest.raises(ValueError, match="not a verdict"):
        Expectations.load(tmp_path)


def test_the_repository_expectations_load() -> None:
    from conformance.paths import EXPECTATIONS_DIR

    Expectations.load(EXPECTATIONS_DIR)
