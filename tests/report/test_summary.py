"""The Markdown summary: run header, legend, parity, and one catalogue-ordered table per target."""

from __future__ import annotations

from dataclasses import replace

from conformance.report.summary import render_summary
from conformance.vocabulary import Verdict
from tests.report.records import SHA, document, record


def _table_lines(text: str, target: str) -> list[str]:
    section = text.split(f"## {target}\n", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("|")]


def test_header_names_the_run_installers_and_verdicts() -> None:
    text = render_summary(document([record("pip"), record("uv-target", "differs"), record("reference")]))
    assert text.startswith("# User-scheme install conformance matrix\n")
    assert f"Run `768550d0616f` of suite 0.1.0 (git `{SHA[:10]}`)" in text
    assert "Installers: reference 0.1.0, uv 0.13.9; `pip` is each target's own." in text
    for verdict in Verdict:
        assert f"{verdict.glyph} **{verdict}**: {verdict.description}" in text
    assert "Reference parity with pip: **1/1** rows agree" in text


def test_unknown_git_sha() -> None:
    built = document([record("pip")])
    built = replace(built, run=replace(built.run, git_sha=None))
    assert "(git `?`)" in render_summary(built)


def test_one_table_per_target_with_its_facts() -> None:
    records = [record("pip"), record("pip", target="ubuntu-noble", installer_version="24.0")]
    text = render_summary(document(records))
    assert "## debian-bookworm\n\nPython 3.11.2, pip 23.0.1, PEP 668 marker: yes\n" in text
    assert "## ubuntu-noble\n\nPython 3.11.2, pip 24.0, PEP 668 marker: yes\n" in text


def test_columns_follow_the_catalogue_and_missing_cells_are_dots() -> None:
    records = [
        record("reference"),
        record("uv-target", "differs", reasons=["stray file(s): /home/user/.local/.lock"]),
        record("pip"),
        record("pip", scenario="implicit"),
    ]
    header, rule, *rows = _table_lines(render_summary(document(records)), "debian-bookworm")
    assert header == "| account | scenario | fixture | pip | uv-target | reference |"
    assert rule == "|---|---|---|---|---|---|"
    assert rows == [
        "| user | implicit | demo-pkg | ✅ conforms | · | · |",
        "| user | explicit-user-bsp | demo-pkg | ✅ conforms | ↪️ differs | ✅ conforms |",
    ]


def test_rows_follow_the_catalogue_order_of_accounts() -> None:
    records = [record("pip", account="user"), record("pip", account="root")]
    _, _, *rows = _table_lines(render_summary(document(records)), "debian-bookworm")
    assert [row.split(" | ")[0] for row in rows] == ["| root", "| user"]


def test_a_changed_verdict_names_the_recorded_one() -> None:
    records = [
        record("pip", "differs", expected_verdict="conforms"),
        record("reference", expected_verdict="conforms"),
    ]
    text = render_summary(document(records))
    assert "↪️ differs (was conforms)" in text
    assert "✅ conforms (was" not in text


def test_parity_differences_are_listed() -> None:
    header = "/home/user/.local/include/demo.h"
    text = render_summary(
        document([record("pip"), record("reference", "differs", extra={header: "misplaced"})])
    )
    assert "**0/1**" in text
    assert "## Where the reference differs from pip" in text
    assert "- `debian-bookworm/user/explicit-user-bsp/demo-pkg` landing: pip `[" in text


def test_no_difference_section_when_parity_is_complete() -> None:
    text = render_summary(document([record("pip"), record("reference")]))
    assert "Where the reference differs" not in text
    assert text.endswith("|\n")


def test_rows_and_columns_follow_the_document_not_todays_catalogue() -> None:
    # An old run: its own account order, and a spelling and a scenario today's catalogue does not have.
    built = document(
        [
            record("pip", account="root"),
            record("pip", account="user"),
            record("uv-venv", scenario="gone-scenario"),
            record("pip", scenario="gone-scenario"),
        ]
    )
    old = replace(
        built,
        rows=replace(built.rows, accounts=["user", "root"], scenarios=["gone-scenario", "explicit-user-bsp"]),
        columns=["uv-venv", "pip"],
    )
    header, _, *rows = _table_lines(render_summary(old), "debian-bookworm")
    assert header == "| account | scenario | fixture | uv-venv | pip |"
    assert [row.split(" | ")[:2] for row in rows] == [
        ["| user", "gone-scenario"],
        ["| user", "explicit-user-bsp"],
        ["| root", "explicit-user-bsp"],
    ]


def test_a_quick_run_says_so() -> None:
    built = document([record("pip")])
    assert "quick selection" not in render_summary(built)
    quick = render_summary(replace(built, run=replace(built.run, quick=True)))
    assert "Selection: the quick selection (the test command's)" in quick
