"""The orchestrator: which directory of the target a multi-stage build copies; set-ups that are the
scenario's or the spelling's, not the command's writes."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conformance.backend.pool import ContainerPool
from conformance.backend.staging import Toolset
from conformance.matrix.cells import CellSpec
from conformance.record.cell import Cell, FileChange
from conformance.run.cell import run_cell, user_base_dir
from conformance.run.facts import InterpreterFacts
from conformance.vocabulary import Change
from tests.windows_facts import USER_BASE, windows_facts


def _added(path: str, container_path: str | None = None) -> FileChange:
    return FileChange(path, Change.ADDED, "file", [], container_path=container_path)


def test_the_posix_user_base_is_copied_where_the_interpreter_says_it_is(host_facts: InterpreterFacts) -> None:
    files = [_added("/etc/elsewhere"), _added(f"{host_facts.user_base}/lib/x.py")]
    assert user_base_dir(files, host_facts) == host_facts.user_base


def test_the_windows_user_base_is_found_on_the_containers_side_of_wines_drive() -> None:
    # Wine shows the account's C:\users\user as ~/.wine/drive_c/users/user; Windows paths ignore case.
    drive = "/home/user/.wine/drive_c"
    native = USER_BASE.lower() + "\\Python313\\site-packages\\demo_pkg\\__init__.py"
    files = [
        _added(
            native, f"{drive}/users/user/AppData/Roaming/Python/Python313/site-packages/demo_pkg/__init__.py"
        )
    ]
    assert user_base_dir(files, windows_facts()) == f"{drive}/users/user/AppData/Roaming/Python"


def test_nothing_is_copied_when_nothing_landed_in_the_user_base(host_facts: InterpreterFacts) -> None:
    # A directory beside the user base whose name starts with the same letters is not in it.
    files = [_added("/etc/elsewhere"), _added(f"{host_facts.user_base}-other/x.py")]
    assert user_base_dir(files, host_facts) is None


@pytest.fixture
def run_spec(
    target_images: Callable[[str], str], toolset: Toolset, container_pool: ContainerPool
) -> Callable[[CellSpec], Cell]:
    def execute(spec: CellSpec) -> Cell:
        container = container_pool.take(target_images(spec.target))
        try:
            return run_cell(spec, container, toolset)
        finally:
            container_pool.release(container)

    return execute


@pytest.mark.docker
def test_a_syncing_spellings_project_is_written_first_and_is_not_its_write(
    run_spec: Callable[[CellSpec], Cell],
) -> None:
    cell = run_spec(CellSpec("debian-bookworm", "user", "explicit-user", "demo-pkg", "uv-sync"))
    project = cell.observation.project
    assert project is not None and project.exit_code == 0 and not cell.observation.setup
    assert (
        "demo-pkg" not in cell.command and cell.environment["UV_PROJECT_ENVIRONMENT"] == "/home/user/.local"
    )
    written = {f.path for f in cell.observation.files}
    # uv locks the project it syncs and makes the user base a venv; the project itself was there before.
    assert {"/home/user/cell-project/uv.lock", "/home/user/.local/pyvenv.cfg"} <= written
    assert "/home/user/cell-project/pyproject.toml" not in written


@pytest.mark.docker
def test_an_earlier_user_install_is_set_up_and_uv_sync_refuses_the_user_base_it_made(
    run_spec: Callable[[CellSpec], Cell],
) -> None:
    pip = run_spec(CellSpec("debian-bookworm", "user", "user-base-in-use", "demo-pkg", "pip-latest"))
    (setup,) = pip.observation.setup
    assert setup.exit_code == 0 and setup.argv[-1] == "demo-base" and "--user" in setup.argv
    assert not [f.path for f in pip.observation.files if "demo_base" in f.path]  # not the command's
    assert pip.verdict == "conforms", pip.judgement.reasons
    uv = run_spec(CellSpec("debian-bookworm", "user", "user-base-in-use", "demo-pkg", "uv-sync"))
    assert uv.observation.command.error_class == "not-an-environment", uv.observation.command.stderr
