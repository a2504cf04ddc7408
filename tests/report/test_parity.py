"""Reference parity with pip: rows agree on landed files, importability and the error class, or differ."""

from __future__ import annotations

from dataclasses import replace

from conformance.report.parity import parity, signature
from conformance.vocabulary import FileRole
from tests.report.records import record


def test_identical_rows_all_match() -> None:
    records = [
        record("pip"),
        record("reference"),
        record("pip", account="root"),
        record("reference", account="root"),
    ]
    result = parity(records)
    assert (result.matched, result.total, result.differences) == (2, 2, [])
    assert (result.baseline, result.candidate) == ("pip", "reference")


def test_rows_without_both_spellings_are_not_counted() -> None:
    records = [record("pip"), record("uv-prefix"), record("reference", scenario="implicit")]
    assert (parity(records).matched, parity(records).total) == (0, 0)


def test_a_misplaced_file_is_a_landing_difference() -> None:
    header = "/home/user/.local/include/site/python3.11/demo-pkg/demo.h"
    result = parity([record("pip"), record("reference", "differs", extra={header: "misplaced"})])
    assert (result.matched, result.total) == (0, 1)
    [difference] = result.differences
    assert difference.row == "debian-bookworm/user/explicit-user-bsp/demo-pkg"
    assert difference.aspect == "landing"
    assert isinstance(difference.candidate, list) and isinstance(difference.baseline, list)
    assert header in difference.candidate and header not in difference.baseline


def test_stray_files_count_and_generated_files_do_not() -> None:
    lock = "/home/user/.local/.lock"
    result = parity([record("pip"), record("reference", "differs", extra={lock: "stray"})])
    assert [(d.aspect, d.candidate) for d in result.differences] == [("stray", [lock])]
    installer = "/home/user/.local/lib/python3.11/site-packages/demo_pkg-1.0.dist-info/INSTALLER"
    result = parity([record("pip"), record("reference", extra={installer: "generated"})])
    assert (result.matched, result.differences) == (1, [])


def test_importability_and_error_class_differences() -> None:
    refused = record("reference", "refuses", exit_code=1, error_class="permission-denied")
    result = parity([record("pip"), refused])
    aspects = {d.aspect: (d.baseline, d.candidate) for d in result.differences}
    assert aspects["importable"] == (True, False)
    assert aspects["error_class"] == (None, "permission-denied")
    assert "landing" in aspects
    assert result.matched == 0


def test_other_baseline_and_candidate() -> None:
    records = [record("pip"), record("pip-latest"), record("uv-target", extra={"/x/.lock": "misplaced"})]
    assert parity(records, baseline="pip", candidate="pip-latest").matched == 1
    assert parity(records, baseline="pip-latest", candidate="uv-target").differences[0].aspect == "landing"


def test_signature_of_an_uninstall() -> None:
    removed = record("pip")
    roles = {"/home/user/.local/bin/demo-cli": FileRole.REMOVED, "/home/user/.local/lib": FileRole.DIR}
    removed = replace(
        removed,
        judgement=replace(removed.judgement, roles=roles),
        observation=replace(removed.observation, imports=[]),
    )
    assert signature(removed) == {
        "landing": [],
        "removed": ["/home/user/.local/bin/demo-cli"],
        "stray": [],
        "importable": False,
        "error_class": None,
    }
