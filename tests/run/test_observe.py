"""Deltas between snapshots: additions, edits of already-changed files, deletions with their type."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from conformance.backend.container import Change, TargetContainer
from conformance.run import probe
from conformance.run.facts import InterpreterFacts
from conformance.run.observe import delta, snapshot
from tests.fakes import FakeContainer

PROBE = probe.__file__


def _container(*diffs: list[Change]) -> TargetContainer:
    return cast(TargetContainer, FakeContainer(list(diffs)))


def test_new_paths_are_added_and_described(tmp_path: Path, host_facts: InterpreterFacts) -> None:
    script = tmp_path / "tool"
    script.write_text("#!/usr/bin/python3\nprint(1)\n")
    container = _container([], [Change(str(tmp_path), "C"), Change(str(script), "A")])
    before = snapshot(container, PROBE, False)
    after = snapshot(container, PROBE, False)
    (change,) = delta(container, PROBE, before, after, host_facts)
    assert (change.path, change.change, change.type) == (str(script), "added", "file")
    assert change.shebang == "#!/usr/bin/python3"
    assert change.size == len(script.read_bytes())


def test_an_edit_to_a_file_added_before_is_seen_by_hash(tmp_path: Path, host_facts: InterpreterFacts) -> None:
    config = tmp_path / "pyvenv.cfg"
    config.write_text("home = /usr/bin\n")
    same = [Change(str(config), "A")]
    container = _container(same, same)
    before = snapshot(container, PROBE, True)
    config.write_text("home = /somewhere/else\n")
    after = snapshot(container, PROBE, False)
    (change,) = delta(container, PROBE, before, after, host_facts)
    assert (change.path, change.change) == (str(config), "modified")


def test_deleted_paths_keep_the_type_they_had(tmp_path: Path, host_facts: InterpreterFacts) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    module = package / "mod.py"
    module.write_text("x = 1\n")
    container = _container([Change(str(package), "A"), Change(str(module), "A")], [])
    before = snapshot(container, PROBE, True)
    module.unlink()
    package.rmdir()
    changes = {
        c.path: (c.change, c.type)
        for c in delta(container, PROBE, before, snapshot(container, PROBE, False), host_facts)
    }
    assert changes == {str(package): ("deleted", "dir"), str(module): ("deleted", "file")}


def test_directories_that_only_changed_are_not_listed(tmp_path: Path, host_facts: InterpreterFacts) -> None:
    container = _container([], [Change(str(tmp_path), "C")])
    assert (
        delta(
            container, PROBE, snapshot(container, PROBE, False), snapshot(container, PROBE, False), host_facts
        )
        == []
    )


def test_failed_commands_carry_an_error_class() -> None:
    from conformance.backend.container import ExecResult
    from conformance.run.observe import command_run

    run = command_run(ExecResult(("pip",), 1, "", "ERROR: ... Permission denied: '/usr/local'", 0.5))
    assert (run.error_class, run.exit_code) == ("permission-denied", 1)
    assert command_run(ExecResult(("pip",), 0, "ok", "", 0.5)).error_class is None
