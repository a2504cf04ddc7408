"""Every verdict is reachable, from observations built on the layout sysconfig gives."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import replace

import pytest

from conformance.catalogue.fixtures import all_fixtures, closure
from conformance.catalogue.scenarios import Action
from conformance.judge.layout import dist_layout
from conformance.judge.verdict import judge_install, judge_query, judge_uninstall
from conformance.record.cell import (
    CommandRun,
    Expectation,
    FileChange,
    ImportCheck,
    Judgement,
    Observation,
    ScriptCheck,
)
from conformance.run.facts import InterpreterFacts
from conformance.run.scheme_map import map_path
from conformance.vocabulary import Change, FileRole, Outcome, Verdict

FIXTURES = closure("demo-pkg")


@pytest.fixture
def facts(host_facts: InterpreterFacts, facts_with: Callable[..., InterpreterFacts]) -> InterpreterFacts:
    return facts_with(host_facts, in_venv=False)


def _run(exit_code: int = 0, error_class: str | None = None) -> CommandRun:
    return CommandRun(["installer"], exit_code, 0.1, "", "", error_class, None)


def _added(paths: list[str], facts: InterpreterFacts, change: Change = Change.ADDED) -> list[FileChange]:
    return [FileChange(p, change, "file", map_path(p, facts)) for p in paths]


def _pip_like(facts: InterpreterFacts, root: str | None = None) -> list[str]:
    """What a correct user install adds; with ``root``, the same files moved below another directory."""
    layout = dist_layout(all_fixtures()["demo-pkg"], facts, facts.preferred_user)
    paths = [*layout.members, *layout.scripts.values(), posixpath.join(layout.dist_info_dir, "RECORD")]
    if root is None:
        return paths
    return [posixpath.join(root, posixpath.relpath(p, facts.user_base)) for p in paths]


def _works(imports: bool = True, script_exit: int = 0) -> tuple[list[ImportCheck], list[ScriptCheck]]:
    return (
        [ImportCheck("same", "user", imports, None, None if imports else "ModuleNotFoundError", "1.0")],
        [ScriptCheck("demo-cli", "/x/demo-cli", "#!/usr/bin/python3", script_exit, "", True)],
    )


def _observe(
    files: list[FileChange], run: CommandRun, imports: bool = True, script_exit: int = 0
) -> Observation:
    checks, scripts = _works(imports, script_exit)
    return Observation(run, files, imports=checks, scripts=scripts)


def _install_expectation(facts: InterpreterFacts) -> Expectation:
    return Expectation(Outcome.INSTALL, "explicit user install", scheme=facts.preferred_user)


def test_correct_landing_conforms(facts: InterpreterFacts) -> None:
    judgement = judge_install(
        _install_expectation(facts), _observe(_added(_pip_like(facts), facts), _run()), FIXTURES, facts
    )
    assert judgement.verdict == Verdict.CONFORMS
    assert set(judgement.roles.values()) <= {FileRole.EXPECTED, FileRole.GENERATED}


def test_landing_elsewhere_that_works_differs(facts: InterpreterFacts) -> None:
    moved = _added(_pip_like(facts, root="/opt/elsewhere"), facts)
    judgement = judge_install(_install_expectation(facts), _observe(moved, _run()), FIXTURES, facts)
    assert judgement.verdict == Verdict.DIFFERS
    assert FileRole.MISPLACED in judgement.roles.values()


def test_a_stray_file_differs(facts: InterpreterFacts) -> None:
    files = _added([*_pip_like(facts), posixpath.join(facts.user_base, ".lock")], facts)
    judgement = judge_install(_install_expectation(facts), _observe(files, _run()), FIXTURES, facts)
    assert judgement.verdict == Verdict.DIFFERS
    assert judgement.roles[posixpath.join(facts.user_base, ".lock")] == FileRole.STRAY


def test_state_files_are_listed_not_judged(facts: InterpreterFacts) -> None:
    files = _added([*_pip_like(facts), "/tmp/uv-1234.lock"], facts)
    judgement = judge_install(_install_expectation(facts), _observe(files, _run()), FIXTURES, facts)
    assert (judgement.verdict, judgement.roles["/tmp/uv-1234.lock"]) == (Verdict.CONFORMS, FileRole.STATE)


def test_bytecode_of_modules_that_were_there_is_listed_not_judged(facts: InterpreterFacts) -> None:
    # Root's Python caches the stdlib modules pip imports; on a /usr/local target that lands in the
    # interpreter's own tree. Its __init__ is not the package's __init__.
    stdlib = posixpath.join(facts.schemes[facts.default_scheme]["stdlib"], "json")
    cached = posixpath.join(stdlib, "__pycache__", "__init__.cpython-313.pyc")
    files = [
        *_added(_pip_like(facts), facts),
        FileChange(cached, Change.ADDED, "file", [], bytecode_of=posixpath.join(stdlib, "__init__.py")),
    ]
    judgement = judge_install(_install_expectation(facts), _observe(files, _run()), FIXTURES, facts)
    assert (judgement.verdict, judgement.roles[cached]) == (Verdict.CONFORMS, FileRole.BYTECODE)


def test_bytecode_of_another_modules_namesake_is_stray(facts: InterpreterFacts) -> None:
    cached = posixpath.join(
        facts.schemes[facts.default_scheme]["stdlib"], "json", "__pycache__", "__init__.cpython-313.pyc"
    )
    files = [*_added(_pip_like(facts), facts), *_added([cached], facts)]
    judgement = judge_install(_install_expectation(facts), _observe(files, _run()), FIXTURES, facts)
    assert (judgement.verdict, judgement.roles[cached]) == (Verdict.DIFFERS, FileRole.STRAY)


def test_exit_zero_doing_nothing_is_broken(facts: InterpreterFacts) -> None:
    judgement = judge_install(
        _install_expectation(facts), _observe([], _run(), imports=False), FIXTURES, facts
    )
    assert judgement.verdict == Verdict.BROKEN


def test_not_importable_is_broken(facts: InterpreterFacts) -> None:
    files = _added(_pip_like(facts), facts)
    judgement = judge_install(
        _install_expectation(facts), _observe(files, _run(), imports=False), FIXTURES, facts
    )
    assert judgement.verdict == Verdict.BROKEN


def test_script_that_fails_is_broken(facts: InterpreterFacts) -> None:
    files = _added(_pip_like(facts), facts)
    judgement = judge_install(
        _install_expectation(facts), _observe(files, _run(), script_exit=1), FIXTURES, facts
    )
    assert judgement.verdict == Verdict.BROKEN


def test_partial_install_is_damage(facts: InterpreterFacts) -> None:
    files = _added(_pip_like(facts)[:2], facts)
    judgement = judge_install(_install_expectation(facts), _observe(files, _run()), FIXTURES, facts)
    assert judgement.verdict == Verdict.DAMAGES


def test_failure_after_writing_is_damage(facts: InterpreterFacts) -> None:
    files = _added(_pip_like(facts)[:1], facts)
    judgement = judge_install(_install_expectation(facts), _observe(files, _run(1, "other")), FIXTURES, facts)
    assert judgement.verdict == Verdict.DAMAGES


def test_changing_a_file_that_was_there_is_damage(facts: InterpreterFacts) -> None:
    files = _added(_pip_like(facts), facts) + _added(["/etc/passwd"], facts, change=Change.MODIFIED)
    judgement = judge_install(_install_expectation(facts), _observe(files, _run()), FIXTURES, facts)
    assert (judgement.verdict, judgement.roles["/etc/passwd"]) == (Verdict.DAMAGES, FileRole.PREEXISTING)


def test_clean_failure_where_an_install_is_due_refuses(facts: InterpreterFacts) -> None:
    judgement = judge_install(
        _install_expectation(facts), _observe([], _run(2, "unsupported-option")), FIXTURES, facts
    )
    assert judgement.verdict == Verdict.REFUSES


def test_the_expected_refusal_conforms(facts: InterpreterFacts) -> None:
    expectation = Expectation(Outcome.REFUSE, "PEP 668", error_class="externally-managed")
    judgement = judge_install(expectation, _observe([], _run(1, "externally-managed")), FIXTURES, facts)
    assert judgement.verdict == Verdict.CONFORMS


def test_another_refusal_than_the_expected_one_refuses(facts: InterpreterFacts) -> None:
    expectation = Expectation(Outcome.REFUSE, "venv", error_class="venv-conflict")
    judgement = judge_install(expectation, _observe([], _run(2, "unsupported-option")), FIXTURES, facts)
    assert judgement.verdict == Verdict.REFUSES


def test_installing_where_pip_refuses_differs(facts: InterpreterFacts) -> None:
    expectation = Expectation(Outcome.REFUSE, "PEP 668", error_class="externally-managed")
    judgement = judge_install(expectation, _observe(_added(_pip_like(facts), facts), _run()), FIXTURES, facts)
    assert judgement.verdict == Verdict.DIFFERS


def _uninstall(
    facts: InterpreterFacts, removed: list[str], run: CommandRun, extra: list[str] | None = None
) -> Observation:
    installed = _added(_pip_like(facts) + (extra or []), facts)
    files = _added(removed, facts, change=Change.DELETED)
    return Observation(run, files, setup=[_run()], installed=installed)


def test_uninstall_removing_everything_conforms(facts: InterpreterFacts) -> None:
    observation = _uninstall(facts, _pip_like(facts), _run())
    assert judge_uninstall(observation, FIXTURES, facts).verdict == Verdict.CONFORMS


def test_uninstall_leaving_package_files_is_damage(facts: InterpreterFacts) -> None:
    observation = _uninstall(facts, _pip_like(facts)[1:], _run())
    assert judge_uninstall(observation, FIXTURES, facts).verdict == Verdict.DAMAGES


def test_uninstall_leaving_a_lock_file_differs(facts: InterpreterFacts) -> None:
    lock = posixpath.join(facts.user_base, ".lock")
    observation = _uninstall(facts, _pip_like(facts), _run(), extra=[lock])
    assert judge_uninstall(observation, FIXTURES, facts).verdict == Verdict.DIFFERS


def test_uninstall_doing_nothing_is_broken(facts: InterpreterFacts) -> None:
    assert judge_uninstall(_uninstall(facts, [], _run()), FIXTURES, facts).verdict == Verdict.BROKEN


def test_uninstall_removing_other_files_is_damage(facts: InterpreterFacts) -> None:
    observation = _uninstall(facts, [*_pip_like(facts), "/etc/hostname"], _run())
    assert judge_uninstall(observation, FIXTURES, facts).verdict == Verdict.DAMAGES


def test_uninstall_refusal_refuses(facts: InterpreterFacts) -> None:
    assert (
        judge_uninstall(_uninstall(facts, [], _run(2, "no-environment")), FIXTURES, facts).verdict
        == Verdict.REFUSES
    )


def test_uninstall_after_a_failed_setup_refuses(facts: InterpreterFacts) -> None:
    observation = Observation(_run(), [], setup=[_run(2, "unsupported-option")])
    assert judge_uninstall(observation, FIXTURES, facts).verdict == Verdict.REFUSES


def _satisfied(version: str = "0.9") -> Expectation:
    return Expectation(Outcome.SATISFIED, "already satisfied", scheme="posix_user", version=version)


def _importing(version: str, run: CommandRun, files: list[FileChange] | None = None) -> Observation:
    checks = [ImportCheck("same", "user", True, "/x/demo_pkg/__init__.py", None, version)]
    return Observation(run, files or [], imports=checks)


def test_installing_nothing_where_pip_finds_it_satisfied_conforms(facts: InterpreterFacts) -> None:
    judgement = judge_install(_satisfied(), _importing("0.9", _run()), FIXTURES, facts)
    assert judgement.verdict == Verdict.CONFORMS


def test_a_shadowing_copy_where_pip_finds_it_satisfied_differs_and_says_what_imports(
    facts: InterpreterFacts,
) -> None:
    files = _added(_pip_like(facts), facts)
    judgement = judge_install(_satisfied("1.1"), _importing("1.0", _run(), files), FIXTURES, facts)
    assert judgement.verdict == Verdict.DIFFERS
    assert any("now imports version 1.0, not 1.1" in r for r in judgement.reasons), judgement.reasons


def test_a_failure_where_pip_finds_it_satisfied_refuses(facts: InterpreterFacts) -> None:
    judgement = judge_install(_satisfied(), _importing("0.9", _run(2, "permission-denied")), FIXTURES, facts)
    assert judgement.verdict == Verdict.REFUSES
    assert "where pip succeeds doing nothing" in judgement.reasons[0]


def test_an_install_that_stays_shadowed_is_broken(facts: InterpreterFacts) -> None:
    # The user copy landed where pip puts it, but the account still imports another version.
    expectation = Expectation(Outcome.INSTALL, "upgrade", scheme=facts.preferred_user, version="1.0")
    files = _added(_pip_like(facts), facts)
    judgement = judge_install(expectation, _importing("0.9", _run(), files), FIXTURES, facts)
    assert judgement.verdict == Verdict.BROKEN
    assert "imports version 0.9" in judgement.reasons[0]


def _app_like(facts: InterpreterFacts, dist: str) -> list[str]:
    layout = dist_layout(all_fixtures()[dist], facts, facts.preferred_user)
    return [*layout.members, *layout.scripts.values(), posixpath.join(layout.dist_info_dir, "RECORD")]


def test_installing_a_satisfied_dependency_again_differs_and_names_it(facts: InterpreterFacts) -> None:
    expectation = replace(_install_expectation(facts), satisfied=["demo-base"])
    files = _added(_app_like(facts, "demo-app") + _app_like(facts, "demo-base"), facts)
    judgement = judge_install(expectation, _observe(files, _run()), closure("demo-app"), facts)
    assert judgement.verdict == Verdict.DIFFERS
    assert judgement.reasons[0].startswith("installs demo-base again"), judgement.reasons


def test_leaving_a_satisfied_dependency_alone_conforms(facts: InterpreterFacts) -> None:
    expectation = replace(_install_expectation(facts), satisfied=["demo-base"])
    files = _added(_app_like(facts, "demo-app"), facts)
    judgement = judge_install(expectation, _observe(files, _run()), closure("demo-app"), facts)
    assert judgement.verdict == Verdict.CONFORMS, judgement.reasons


def _app_uninstall(facts: InterpreterFacts, removed: list[str]) -> Observation:
    installed = _added(_app_like(facts, "demo-app") + _app_like(facts, "demo-base"), facts)
    return Observation(_run(), _added(removed, facts, Change.DELETED), setup=[_run()], installed=installed)


def test_uninstall_keeping_the_dependencies_conforms(facts: InterpreterFacts) -> None:
    observation = _app_uninstall(facts, _app_like(facts, "demo-app"))
    judgement = judge_uninstall(observation, closure("demo-app"), facts)
    assert judgement.verdict == Verdict.CONFORMS, judgement.reasons


def test_uninstall_removing_a_dependency_too_is_damage(facts: InterpreterFacts) -> None:
    observation = _app_uninstall(facts, _app_like(facts, "demo-app") + _app_like(facts, "demo-base")[:1])
    judgement = judge_uninstall(observation, closure("demo-app"), facts)
    assert judgement.verdict == Verdict.DAMAGES
    assert judgement.reasons[0].startswith("removed files it had not installed"), judgement.reasons


def _querying(stdout: str, exit_code: int = 0, files: list[FileChange] | None = None) -> Observation:
    command = CommandRun(["installer", "list"], exit_code, 0.1, stdout, "", None, None)
    return Observation(command, files or [], setup=[_run()])


def judge_list(observation: Observation, facts: InterpreterFacts) -> Judgement:
    return judge_query(observation, Action.LIST, FIXTURES[0], facts)


@pytest.mark.parametrize(
    ("action", "stdout"),
    [
        (Action.LIST, "Package    Version\n---------- -------\ndemo-pkg   1.0\npip        25.0\n"),  # pip's
        (Action.LIST, "Package  Version\n-------- -------\ndemo_pkg 1.0\n"),  # uv's, another spelling
        (Action.FREEZE, "Demo.Pkg==1.0\n"),
        (Action.SHOW, "Name: demo-pkg\nVersion: 1.0\nSummary: A demo\nLocation: /root/.local\n"),
        (Action.SHOW, "Name: other\nVersion: 1.0\n---\nName: Demo_Pkg\nVersion: 1.0\nRequires:\n"),
    ],
)
def test_a_query_naming_the_package_and_its_version_conforms(
    facts: InterpreterFacts, action: Action, stdout: str
) -> None:
    judgement = judge_query(_querying(stdout), action, FIXTURES[0], facts)
    assert judgement.verdict == Verdict.CONFORMS, judgement.reasons
    assert judgement.reasons == [f"{action} names demo-pkg 1.0"]


def test_a_list_without_it_or_with_another_version_is_broken(facts: InterpreterFacts) -> None:
    for stdout in ("", "Package Version\npip 25.0\n", "demo-pkg 0.9\n", "demo-pkg-extra 1.0\n"):
        judgement = judge_list(_querying(stdout), facts)
        assert judgement.verdict == Verdict.BROKEN, stdout
        assert judgement.reasons == ["exit 0, but its list does not name demo-pkg 1.0"]


def test_a_show_of_another_record_or_version_is_broken(facts: InterpreterFacts) -> None:
    # A list's line is not a show's record, and a record needs both fields.
    for stdout in ("demo-pkg 1.0\n", "Name: demo-pkg\nVersion: 0.9\n", "Name: demo-pkg\n", "Version: 1.0\n"):
        judgement = judge_query(_querying(stdout), Action.SHOW, FIXTURES[0], facts)
        assert judgement.verdict == Verdict.BROKEN, stdout


def test_a_failing_query_refuses_and_one_that_changes_files_damages(facts: InterpreterFacts) -> None:
    refused = judge_query(_querying("", exit_code=1), Action.SHOW, FIXTURES[0], facts)
    assert (refused.verdict, refused.reasons) == (Verdict.REFUSES, ["show exits 1 (None)"])
    changed = _added(["/etc/hostname"], facts, Change.DELETED)
    assert judge_list(_querying("demo-pkg 1.0", files=changed), facts).verdict == Verdict.DAMAGES
    # Changing files and failing is still damage.
    assert judge_list(_querying("", exit_code=1, files=changed), facts).verdict == Verdict.DAMAGES
    written = _added([posixpath.join(facts.user_base, ".lock")], facts)
    assert judge_list(_querying("demo-pkg 1.0", files=written), facts).verdict == Verdict.DIFFERS


def test_a_list_after_a_failed_setup_refuses(facts: InterpreterFacts) -> None:
    observation = Observation(_run(), [], setup=[_run(2, "permission-denied")])
    assert judge_list(observation, facts).verdict == Verdict.REFUSES
