"""The judge on Windows paths: drive letters, backslashes, case-insensitive, .exe console scripts."""

from __future__ import annotations

from conformance.catalogue.fixtures import all_fixtures, closure
from conformance.judge.layout import dist_layout
from conformance.judge.paths import PathRules
from conformance.judge.verdict import judge_install
from conformance.record.cell import CommandRun, Expectation, FileChange, ImportCheck, Observation, ScriptCheck
from conformance.run.scheme_map import map_path
from conformance.vocabulary import Change, FileRole, Outcome, Verdict
from tests.windows_facts import USER_SITE, windows_facts

FACTS = windows_facts()


def _observation(paths: list[str]) -> Observation:
    files = [FileChange(p, Change.ADDED, "file", map_path(p, FACTS)) for p in paths]
    run = CommandRun(["installer"], 0, 0.1, "", "", None, None)
    imports = [ImportCheck("same", "user", True, None, None, "1.0")]
    scripts = [ScriptCheck("demo-cli", "demo-cli.exe", None, 0, "demo-cli ok", False)]
    return Observation(run, files, imports=imports, scripts=scripts)


def _installed() -> list[str]:
    layout = dist_layout(all_fixtures()["demo-pkg"], FACTS, "nt_user")
    return [*layout.members, *layout.scripts.values(), f"{layout.dist_info_dir}\\RECORD"]


def _judge(paths: list[str]) -> tuple[Verdict, dict[str, FileRole]]:
    expectation = Expectation(Outcome.INSTALL, "explicit user install", scheme="nt_user")
    judgement = judge_install(expectation, _observation(paths), closure("demo-pkg"), FACTS)
    return judgement.verdict, judgement.roles


def test_the_layout_is_in_windows_form_with_exe_launchers() -> None:
    layout = dist_layout(all_fixtures()["demo-pkg"], FACTS, "nt_user")
    assert layout.scripts["demo-cli"].endswith("\\Python313\\Scripts\\demo-cli.exe")
    assert f"{USER_SITE}\\demo_pkg\\__init__.py" in layout.members
    assert all("/" not in path for path in layout.members)


def test_scheme_slots_ignore_case_and_slash_direction() -> None:
    path = USER_SITE.upper().replace("\\", "/") + "/demo_pkg/__init__.py"
    assert map_path(path, FACTS) == ["nt_user:platlib", "nt_user:purelib"]


def test_a_user_install_in_another_case_conforms() -> None:
    verdict, roles = _judge([p.lower() for p in _installed()])
    assert verdict == Verdict.CONFORMS
    assert FileRole.STRAY not in roles.values()


def test_a_copy_outside_the_scheme_is_misplaced_and_temp_is_state() -> None:
    elsewhere = [p.replace("AppData\\Roaming\\Python", "elsewhere") for p in _installed()]
    temp = "C:\\users\\user\\AppData\\Local\\Temp\\pip-unpack\\x.whl"
    verdict, roles = _judge([*_installed(), elsewhere[0], temp])
    assert verdict == Verdict.DIFFERS
    assert roles[elsewhere[0]] == FileRole.MISPLACED
    assert roles[temp] == FileRole.STATE


def test_path_rules_compare_windows_paths_as_windows_does() -> None:
    rules = PathRules(nt=True)
    assert rules.inside("c:\\Users\\X\\a.txt", "C:\\users\\x")
    assert not rules.inside("C:\\users\\xy\\a.txt", "C:\\users\\x")
    assert rules.ends_with("C:\\a\\Demo_Pkg\\__init__.py", "demo_pkg/__init__.py")
    assert rules.has_dir("C:\\a\\__pycache__\\m.pyc", "__pycache__")
