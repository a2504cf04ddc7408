"""Run-to-run diff: cells added, deleted, changed or unchanged, and installer versions."""

from __future__ import annotations

import copy

from conformance.report.diff import CellChange, VersionChange, diff_documents, render_diff_markdown
from conformance.vocabulary import Verdict
from tests.report.records import document, record

PIP = "debian-bookworm/user/explicit-user-bsp/demo-pkg/pip"
UV = "debian-bookworm/user/explicit-user-bsp/demo-pkg/uv-target"
REF = "debian-bookworm/user/explicit-user-bsp/demo-pkg/reference"
ROOT_PIP = "debian-bookworm/root/explicit-user-bsp/demo-pkg/pip"


def test_a_run_against_itself_has_no_changes() -> None:
    old = document([record("pip"), record("uv-target", "differs"), record("reference")])
    diff = diff_documents(old, copy.deepcopy(old))
    assert not diff.has_changes
    assert (diff.added, diff.deleted, diff.changed, diff.versions) == ([], [], [], [])
    assert [c.id for c in diff.unchanged] == [PIP, REF, UV]
    assert "No cell changed its verdict" in render_diff_markdown(diff)


def test_added_deleted_changed_unchanged() -> None:
    old = document([record("pip"), record("uv-target", "differs"), record("pip", account="root")], "old")
    lock = ["stray file(s): /home/user/.local/.lock"]
    new = document([record("pip"), record("uv-target", "conforms", reasons=lock), record("reference")], "new")
    diff = diff_documents(old, new)
    works = ["lands in posix_user and works"]
    assert diff.added == [CellChange(REF, None, Verdict.CONFORMS, works)]
    assert diff.deleted == [CellChange(ROOT_PIP, Verdict.CONFORMS, None, works)]
    assert diff.changed == [CellChange(UV, Verdict.DIFFERS, Verdict.CONFORMS, lock)]
    assert [c.id for c in diff.unchanged] == [PIP]
    assert diff.has_changes


def test_changed_reasons_alone_leave_a_cell_unchanged() -> None:
    old = document([record("uv-target", "differs", reasons=["stray file(s): a"])])
    new = document([record("uv-target", "differs", reasons=["stray file(s): b"])])
    diff = diff_documents(old, new)
    assert (diff.changed, [c.id for c in diff.unchanged]) == ([], [UV])


def test_installer_version_changes() -> None:
    old = document([record("pip"), record("uv-target", "differs"), record("pip-latest")])
    new = document(
        [
            record("pip", installer_version="23.0.2"),
            record("uv-target", "differs", installer_version="0.14.0"),
            record("reference"),
        ]
    )
    diff = diff_documents(old, new)
    assert diff.versions == [
        VersionChange("pip (debian-bookworm)", "23.0.1", "23.0.2"),
        VersionChange("pip-latest", "26.3", None),
        VersionChange("reference", None, "0.1.0"),
        VersionChange("uv", "0.13.9", "0.14.0"),
    ]
    assert diff.has_changes
    text = render_diff_markdown(diff)
    assert "- uv: 0.13.9 -> 0.14.0" in text
    assert "- pip-latest: 26.3 -> (absent)" in text


def test_markdown_counts_then_a_table_of_changed_cells() -> None:
    old = document([record("pip"), record("uv-target", "conforms")], "old-run")
    piped = ["stray | odd\nfile"]
    new = document(
        [record("pip", "refuses", exit_code=1), record("uv-target", "differs", reasons=piped)], "new-run"
    )
    text = render_diff_markdown(diff_documents(old, new))
    assert "- old: run `old-run`" in text and "- new: run `new-run`" in text
    assert "| Changed | 2 (0 now conform, 2 no longer conform) |" in text
    assert "| Unchanged | 0 |" in text
    assert "## Changed cells\n\n| cell | verdict | new reasons |" in text
    assert f"| `{PIP}` | ✅ conforms -> ⛔ refuses | lands in posix_user and works |" in text
    # A pipe or a newline in installer-provided text must not break the table.
    assert f"| `{UV}` | ✅ conforms -> ↪️ differs | stray \\| odd file |" in text
    assert "## Added cells" not in text


def test_added_and_deleted_cells_are_listed() -> None:
    text = render_diff_markdown(diff_documents(document([record("pip")]), document([record("reference")])))
    assert "## Added cells" in text and f"| `{REF}` | — -> ✅ conforms |" in text
    assert "## Deleted cells" in text and f"| `{PIP}` | ✅ conforms -> — |" in text
