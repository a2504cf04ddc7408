"""The orchestrator's next stage: which directory of the target a multi-stage build copies."""

from __future__ import annotations

from conformance.record.cell import FileChange
from conformance.run.cell import user_base_dir
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
