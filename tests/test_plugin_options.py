"""The plugin's options as a user gives them: an expectations directory that does not exist."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance import test_matrix

MATRIX = str(Path(test_matrix.__file__))
ONE_CELL = [
    "--targets",
    "debian-bookworm",
    "--accounts",
    "user",
    "--scenarios",
    "implicit",
    "--spellings",
    "pip",
]


def test_a_missing_expectations_dir_is_one_usage_error(pytester: pytest.Pytester) -> None:
    missing = pytester.path / "no-such-dir"
    result = pytester.runpytest_subprocess(
        "-p",
        "conformance.plugin",
        MATRIX,
        *ONE_CELL,
        "--collect-only",
        "-q",
        "--expectations-dir",
        str(missing),
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [f"*--expectations-dir {missing}: no such directory.*add --update-expectations to record*"]
    )
    assert "nothing recorded" not in result.stdout.str()


def test_with_update_expectations_a_new_directory_is_fine(pytester: pytest.Pytester) -> None:
    missing = pytester.path / "new-dir"
    result = pytester.runpytest_subprocess(
        "-p", "conformance.plugin", MATRIX, *ONE_CELL, "--collect-only", "-q",
        "--expectations-dir", str(missing), "--update-expectations",
    )  # fmt: skip
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*test_cell[[]debian-bookworm/user/implicit/demo-*/pip[]]*"])


def test_an_existing_expectations_dir_is_accepted(pytester: pytest.Pytester) -> None:
    recorded = pytester.mkdir("recorded")
    result = pytester.runpytest_subprocess(
        "-p",
        "conformance.plugin",
        MATRIX,
        *ONE_CELL,
        "--collect-only",
        "-q",
        "--expectations-dir",
        str(recorded),
    )
    assert result.ret == pytest.ExitCode.OK
