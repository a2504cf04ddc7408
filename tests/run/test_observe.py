"""Observations through the probe: what changed since the snapshot, described, and the checks' results."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.backend.protocol import Backend
from conformance.catalogue.fixtures import Fixture
from conformance.run.facts import InterpreterFacts
from conformance.run.observe import Checks, ProbeError, begin, command_run, observe
from tests.fakes import LocalBackend, local_account


@pytest.fixture
def backend(tmp_path: Path) -> LocalBackend:
    root = tmp_path / "root"
    root.mkdir()
    return LocalBackend(root, str(tmp_path / "scratch"))


def test_the_fake_is_a_backend(backend: LocalBackend) -> None:
    typed: Backend = backend
    assert typed.roots == (str(backend.root),)


def test_new_paths_are_added_and_described(backend: LocalBackend, host_facts: InterpreterFacts) -> None:
    begin(backend)
    script = backend.root / "tool"
    script.write_text("#!/usr/bin/python3\nprint(1)\n")
    (change,) = observe(backend, host_facts).files
    assert (change.path, change.change, change.type) == (str(script), "added", "file")
    assert change.shebang == "#!/usr/bin/python3"
    assert change.size == len(script.read_bytes())


def test_an_edit_to_a_file_that_was_there_is_modified(
    backend: LocalBackend, host_facts: InterpreterFacts
) -> None:
    config = backend.root / "pyvenv.cfg"
    config.write_text("home = /usr/bin\n")
    begin(backend)
    config.write_text("home = /somewhere/else\n")
    (change,) = observe(backend, host_facts).files
    assert (change.path, change.change) == (str(config), "modified")


def test_bytecode_of_a_module_that_was_there_names_its_source(
    backend: LocalBackend, host_facts: InterpreterFacts
) -> None:
    old, edited = backend.root / "old.py", backend.root / "edited.py"
    old.write_text("x = 1\n")
    edited.write_text("x = 1\n")
    begin(backend)
    edited.write_text("x = 2\n")
    (backend.root / "new.py").write_text("x = 3\n")
    cache = backend.root / "__pycache__"
    cache.mkdir()
    for module in ("old", "edited", "new"):
        (cache / f"{module}.cpython-313.opt-1.pyc").write_bytes(b"")
    bytecode = {
        Path(c.path).name: c.bytecode_of
        for c in observe(backend, host_facts).files
        if c.path.endswith(".pyc")
    }
    # Only an unchanged module that was there before is the interpreter's cache of it; the others are
    # new writes and are judged as such.
    assert bytecode == {
        "old.cpython-313.opt-1.pyc": str(old),
        "edited.cpython-313.opt-1.pyc": None,
        "new.cpython-313.opt-1.pyc": None,
    }


def test_a_chmod_alone_is_a_modification(backend: LocalBackend, host_facts: InterpreterFacts) -> None:
    tool = backend.root / "tool"
    tool.write_text("x")
    begin(backend)
    tool.chmod(0o755)
    assert [(c.path, c.change, c.mode) for c in observe(backend, host_facts).files] == [
        (str(tool), "modified", 0o755)
    ]


def test_deleted_paths_keep_the_type_they_had(backend: LocalBackend, host_facts: InterpreterFacts) -> None:
    package = backend.root / "pkg"
    package.mkdir()
    module = package / "mod.py"
    module.write_text("x = 1\n")
    begin(backend)
    module.unlink()
    package.rmdir()
    changes = {c.path: (c.change, c.type) for c in observe(backend, host_facts).files}
    assert changes == {str(package): ("deleted", "dir"), str(module): ("deleted", "file")}


def test_directories_that_only_changed_are_not_listed(
    backend: LocalBackend, host_facts: InterpreterFacts
) -> None:
    (backend.root / "d").mkdir()
    begin(backend)
    (backend.root / "d" / "f").write_text("")
    assert [c.path for c in observe(backend, host_facts).files] == [str(backend.root / "d" / "f")]


def test_a_directory_replaced_by_a_symlink_is_modified(
    backend: LocalBackend, host_facts: InterpreterFacts
) -> None:
    lib = backend.root / "lib"
    lib.mkdir()
    begin(backend)
    lib.rmdir()
    lib.symlink_to("elsewhere")
    assert [(c.path, c.change, c.type) for c in observe(backend, host_facts).files] == [
        (str(lib), "modified", "symlink")
    ]


def test_rebase_makes_the_next_observation_relative_to_this_one(
    backend: LocalBackend, host_facts: InterpreterFacts
) -> None:
    begin(backend)
    (backend.root / "first").write_text("")
    assert [c.path for c in observe(backend, host_facts, rebase=True).files] == [str(backend.root / "first")]
    (backend.root / "second").write_text("")
    assert [c.path for c in observe(backend, host_facts).files] == [str(backend.root / "second")]
    # Without a rebase the baseline stays: both changes show again.
    assert len(observe(backend, host_facts).files) == 1


def test_checks_import_and_run_scripts_as_the_account(
    backend: LocalBackend, host_facts: InterpreterFacts, tmp_path: Path
) -> None:
    begin(backend)
    bin_dir = backend.root / "bin"
    bin_dir.mkdir()
    elsewhere = backend.root / "elsewhere"
    elsewhere.mkdir()
    for directory in (elsewhere, bin_dir):
        tool = directory / "demo-cli"
        tool.write_text("#!/bin/sh\necho ran\n")
        tool.chmod(0o755)
    fixture = Fixture(
        "no-such-dist", "1.0", "no_such_module_here", True, "", (), (("demo-cli", "m:f"),), (), tmp_path
    )
    checks = Checks(fixture, local_account(tmp_path), {}, ("demo-cli",), str(bin_dir))
    observed = observe(backend, host_facts, checks)
    assert [(c.who, c.ok) for c in observed.imports] == [
        ("same", False),
        ("other", False),
        ("same -s", False),
    ]
    assert "No module named 'no_such_module_here'" in (observed.imports[0].error or "")
    (script,) = observed.scripts
    assert (script.path, script.exit_code, script.output, script.shebang) == (
        str(bin_dir / "demo-cli"),
        0,
        "ran",
        "#!/bin/sh",
    )


def test_a_failing_probe_is_an_error_not_an_observation(
    backend: LocalBackend, host_facts: InterpreterFacts
) -> None:
    with pytest.raises(ProbeError, match="probe observe failed"):
        observe(backend, host_facts)  # no snapshot was taken


def test_failed_commands_carry_an_error_class() -> None:
    from conformance.backend.protocol import ExecResult

    run = command_run(ExecResult(("pip",), 1, "", "ERROR: ... Permission denied: '/usr/local'", 0.5))
    assert (run.error_class, run.exit_code) == ("permission-denied", 1)
    assert command_run(ExecResult(("pip",), 0, "ok", "", 0.5)).error_class is None
