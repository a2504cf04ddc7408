"""The plugin as a user drives it: selection errors, ids, expectation failures, and xdist = serial."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from conformance import plugin, test_matrix
from conformance.backend.host import describe, machine_description
from conformance.backend.staging import Toolset

MATRIX = str(Path(test_matrix.__file__))
SMALL = [
    "--targets",
    "debian-bookworm",
    "--accounts",
    "user",
    "--scenarios",
    "explicit-user-bsp",
    "--packages",
    "demo-pkg",
]


def _versions(toolset: Toolset) -> list[str]:
    # The parent run's installers: child runs neither ask the index again nor drift to a newer release.
    return ["--uv-version", toolset.versions["uv"], "--pip-latest-version", toolset.versions["pip-latest"]]


def test_a_misspelt_name_is_a_usage_error_listing_valid_names(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess("-p", "conformance.plugin", MATRIX, "--targets", "ubuntu-nobel")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*--targets: unknown 'ubuntu-nobel'; valid names: debian-bookworm, *ubuntu-noble*"]
    )


def test_cells_have_readable_ids(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess(
        "-p", "conformance.plugin", MATRIX, "--collect-only", "-q", "--targets", "ubuntu-noble",
        "--accounts", "user", "--scenarios", "venv-user", "--installers", "uv",
    )  # fmt: skip
    result.stdout.fnmatch_lines(["*test_cell[[]ubuntu-noble/user/venv-user/demo-pkg/uv-prefix[]]"])
    assert result.ret == pytest.ExitCode.OK


@pytest.mark.docker
def test_a_changed_verdict_fails_and_is_still_reported(pytester: pytest.Pytester, toolset: Toolset) -> None:
    expectations = pytester.mkdir("expectations")
    (expectations / "debian-bookworm.toml").write_text(
        '["user/explicit-user-bsp/demo-pkg"]\npip = "refuses"\n'
    )
    result = pytester.runpytest_subprocess(
        "-p", "conformance.plugin", MATRIX, *SMALL, "--spellings", "pip", *_versions(toolset),
        "--expectations-dir", str(expectations), "--reports-dir", str(pytester.path / "reports"),
    )  # fmt: skip
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*recorded refuses, observed conforms*", "*--update-expectations*"])
    cells = json.loads((pytester.path / "reports" / "matrix.json").read_text())["cells"]
    assert [(c["verdict"], c["expected_verdict"], c["test_outcome"]) for c in cells] == [
        ("conforms", "refuses", "failed")
    ]


def _matrix(
    pytester: pytest.Pytester, toolset: Toolset, name: str, *extra: str
) -> dict[str, dict[str, object]]:
    reports = pytester.path / name
    result = pytester.runpytest_subprocess(
        "-p", "conformance.plugin", MATRIX, *SMALL, *_versions(toolset), *extra, "--update-expectations",
        "--expectations-dir", str(pytester.path / f"{name}-expectations"), "--reports-dir", str(reports),
    )  # fmt: skip
    assert result.ret == pytest.ExitCode.OK
    cells = json.loads((reports / "matrix.json").read_text())["cells"]
    keep = ("verdict", "reasons", "landing", "roles", "command")
    return {c["id"]: {k: c[k] for k in keep} for c in cells}


@pytest.mark.docker
def test_xdist_gives_the_same_matrix_as_a_serial_run(pytester: pytest.Pytester, toolset: Toolset) -> None:
    serial = _matrix(pytester, toolset, "serial")
    parallel = _matrix(pytester, toolset, "parallel", "-n", "2")
    assert len(serial) == 6
    assert parallel == serial


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_without_an_engine_the_host_rows_run_and_the_container_rows_are_named_once(
    pytester: pytest.Pytester, toolset: Toolset, monkeypatch: pytest.MonkeyPatch, workers: list[str]
) -> None:
    # In-process, so the engine can be made unusable as a normal user would find it.
    monkeypatch.setattr(plugin, "engine_problem", lambda: "THE CAUSE, AND THE WAY OUT")
    python = str(getattr(sys, "_base_executable", sys.executable))
    host = describe(python).name
    account = "root" if os.geteuid() == 0 else "user"
    result = pytester.runpytest_inprocess(
        MATRIX, "--host-python", python, "--targets", f"debian-bookworm,ubuntu-noble,{host}",
        "--accounts", account, "--scenarios", "explicit-user-bsp", "--packages", "demo-pkg",
        "--spellings", "reference", *_versions(toolset), "--reports-dir", str(pytester.path / "reports"),
        *workers,
    )  # fmt: skip
    assert result.ret == pytest.ExitCode.OK
    result.assert_outcomes(passed=1, deselected=0 if workers else 2)
    result.stdout.fnmatch_lines(
        ["*container rows not run*", "debian-bookworm, ubuntu-noble: THE CAUSE, AND THE WAY OUT"]
    )
    assert result.stdout.str().count("THE CAUSE") == 1
    cells = json.loads((pytester.path / "reports" / "matrix.json").read_text())["cells"]
    assert [(c["target"], c["machine"]) for c in cells] == [(host, machine_description())]
