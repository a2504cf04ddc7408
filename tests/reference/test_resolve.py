"""Resolution: dependencies, what is already satisfied, upgrades, conflicts, markers, Requires-Python."""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from packaging.tags import sys_tags

from conformance.reference import scheme
from conformance.reference.commands import InstallOptions, run_install
from conformance.reference.environment import Environment
from conformance.reference.errors import (
    InvalidRequirement,
    NoPrecedence,
    RequirementNotFound,
    RequiresPython,
    ResolutionImpossible,
    UnsupportedOption,
    UnsupportedWheel,
    WheelNotFound,
)
from conformance.reference.finder import Finder, scan_links
from conformance.reference.resolve import Plan, parse_requested, resolve

from .support import tree
from .wheelmaker import make_wheel

MakeEnv = Callable[..., Environment]
PY = f"python{sys.version_info[0]}.{sys.version_info[1]}"


def plan(env: Environment, links: Path, *requirements: str, user: bool = True, **options: bool) -> Plan:
    found, _ = scan_links([str(links)])
    finder = Finder(found, list(sys_tags()), (str(links),))
    return resolve([parse_requested(r) for r in requirements], finder=finder, env=env, user=user, **options)


def install(env: Environment, links: Path, *requirements: str, **options: object) -> str:
    out = io.StringIO()
    opts = InstallOptions(tuple(requirements), find_links=(str(links),), **options)  # type: ignore[arg-type]
    assert run_install(opts, env, out, io.StringIO()) == 0
    return out.getvalue()


def names(p: Plan) -> list[str]:
    return [f"{i.typed_name}-{i.info.version}" for i in p.items]


def test_dependencies_come_first(make_env: MakeEnv, wheelhouse: Path) -> None:
    p = plan(make_env(), wheelhouse, "demo-app")
    assert names(p) == ["demo-base-1.0", "demo-app-1.0"]
    assert [i.requested for i in p.items] == [False, True]


def test_already_satisfied_in_the_user_site(make_env: MakeEnv, wheelhouse: Path) -> None:
    env = make_env()
    install(env, wheelhouse, "demo-base", use_user_site=True)
    output = install(env, wheelhouse, "demo-app", use_user_site=True)
    user_site = scheme.user_scheme(env, "x").purelib
    assert f"Requirement already satisfied: demo-base>=1.0 in {user_site} (from demo-app) (1.0)" in output
    assert "Installing collected packages: demo-app\n" in output


def test_a_global_copy_satisfies_a_user_install(make_env: MakeEnv, wheelhouse: Path) -> None:
    env = make_env()
    install(env, wheelhouse, "demo-base", use_user_site=False)
    p = plan(env, wheelhouse, "demo-app", user=True)
    assert names(p) == ["demo-app-1.0"]
    assert any(m.startswith("Requirement already satisfied: demo-base>=1.0 in ") for m in p.messages)


def test_requested_project_satisfied(make_env: MakeEnv, wheelhouse: Path) -> None:
    env = make_env()
    install(env, wheelhouse, "demo-pkg", use_user_site=True)
    before = tree(Path(env.user_base))  # type: ignore[arg-type]
    output = install(env, wheelhouse, "demo-pkg", use_user_site=True)
    assert "Requirement already satisfied: demo-pkg in" in output
    assert "Successfully installed" not in output
    assert tree(Path(env.user_base)) == before  # type: ignore[arg-type]


def test_upgrade_replaces_the_user_copy(make_env: MakeEnv, tmp_path: Path) -> None:
    links = tmp_path / "links"
    make_wheel(links, "proj", "1.0", files={"proj/__init__.py": b"", "proj/old_only.py": b""})
    env = make_env()
    install(env, links, "proj", use_user_site=True)
    site = Path(scheme.user_scheme(env, "proj").purelib)
    assert (site / "proj" / "old_only.py").exists()
    make_wheel(links, "proj", "2.0", files={"proj/__init__.py": b"", "proj/new_only.py": b""})
    assert "Requirement already satisfied: proj in" in install(env, links, "proj", use_user_site=True)
    output = install(env, links, "proj", use_user_site=True, upgrade=True)
    assert "  Attempting uninstall: proj\n    Found existing installation: proj 1.0\n" in output
    assert "Successfully installed proj-2.0" in output
    assert not (site / "proj" / "old_only.py").exists()
    assert not (site / "proj-1.0.dist-info").exists()
    assert (site / "proj" / "new_only.py").exists()
    # Downgrade by specifier replaces it again.
    install(env, links, "proj==1.0", use_user_site=True)
    assert sorted(p.name for p in site.iterdir()) == ["proj", "proj-1.0.dist-info"]
    assert not (site / "proj" / "new_only.py").exists()


def test_upgrade_keeps_an_up_to_date_copy(make_env: MakeEnv, wheelhouse: Path) -> None:
    env = make_env()
    install(env, wheelhouse, "demo-base", use_user_site=True)
    p = plan(env, wheelhouse, "demo-base", upgrade=True)
    assert p.items == ()


def test_user_install_shadows_a_different_global_version(make_env: MakeEnv, tmp_path: Path) -> None:
    links = tmp_path / "links"
    make_wheel(links, "proj", "1.0")
    env = make_env()
    install(env, links, "proj", use_user_site=False)
    make_wheel(links, "proj", "2.0")
    p = plan(env, links, "proj>=2")
    assert names(p) == ["proj-2.0"]
    assert p.items[0].replaces is None  # the global copy stays


def test_non_user_install_replaces_whatever_is_found(make_env: MakeEnv, tmp_path: Path) -> None:
    links = tmp_path / "links"
    make_wheel(links, "proj", "1.0")
    env = make_env()
    install(env, links, "proj", use_user_site=True)
    make_wheel(links, "proj", "2.0")
    p = plan(env, links, "proj>=2", user=False)
    assert p.items[0].replaces is not None and p.items[0].replaces.version == "1.0"


def test_force_reinstall(make_env: MakeEnv, wheelhouse: Path) -> None:
    env = make_env()
    install(env, wheelhouse, "demo-app", use_user_site=True)
    p = plan(env, wheelhouse, "demo-app", force_reinstall=True)
    assert names(p) == ["demo-base-1.0", "demo-app-1.0"]
    assert all(i.replaces is not None for i in p.items)


def test_same_version_wheel_path_is_not_reinstalled(make_env: MakeEnv, wheelhouse: Path) -> None:
    env = make_env()
    wheel = str(wheelhouse / "demo_base-1.0-py3-none-any.whl")
    install(env, wheelhouse, wheel, use_user_site=True)
    p = plan(env, wheelhouse, wheel)
    assert p.items == ()
    assert "demo-base is already installed with the same version as the provided wheel." in p.messages[-1]


def test_conflict(make_env: MakeEnv, tmp_path: Path) -> None:
    links = tmp_path / "links"
    make_wheel(links, "base", "0.5")
    make_wheel(links, "base", "1.0")
    make_wheel(links, "app", "1.0", requires=["base>=1.0"])
    with pytest.raises(ResolutionImpossible) as caught:
        plan(make_env(), links, "base==0.5", "app")
    assert "Cannot install app==1.0 and base==0.5 because these package versions have conflicting" in str(
        caught.value
    )
    assert "The user requested base==0.5" in str(caught.value)
    assert "app 1.0 depends on base>=1.0" in str(caught.value)


def test_queued_specifiers_are_combined(make_env: MakeEnv, tmp_path: Path) -> None:
    links = tmp_path / "links"
    for version in ("1.0", "2.0"):
        make_wheel(links, "base", version)
    make_wheel(links, "app", "1.0", requires=["base"])
    assert names(plan(make_env(), links, "app", "base<2")) == ["base-1.0", "app-1.0"]


def test_not_found(make_env: MakeEnv, wheelhouse: Path) -> None:
    with pytest.raises(RequirementNotFound) as caught:
        plan(make_env(), wheelhouse, "demo-pkg>5")
    text = str(caught.value)
    assert "Could not find a version that satisfies the requirement demo-pkg>5 (from versions: 1.0)" in text
    assert "No matching distribution found for demo-pkg>5" in text
    assert "--find-links" in text


def test_not_found_names_the_sdist_it_cannot_build(make_env: MakeEnv, wheelhouse: Path) -> None:
    assert any(p.name == "demo_sdist-1.0.tar.gz" for p in wheelhouse.iterdir())
    with pytest.raises(RequirementNotFound) as caught:
        plan(make_env(), wheelhouse, "demo-sdist")
    text = str(caught.value)
    assert "requirement demo-sdist (from versions: none)" in text
    assert "Only its sdist is there (demo_sdist-1.0.tar.gz)" in text


def test_markers_and_extras(make_env: MakeEnv, tmp_path: Path) -> None:
    links = tmp_path / "links"
    make_wheel(
        links,
        "app",
        requires=["opt; extra == 'x'", "never; python_version < '3'", "always"],
        provides_extra=["x"],
    )
    make_wheel(links, "opt")
    make_wheel(links, "always")
    env = make_env()
    assert names(plan(env, links, "app")) == ["always-1.0", "app-1.0"]
    assert names(plan(env, links, "app[x]")) == ["opt-1.0", "always-1.0", "app-1.0"]
    # pip's order: the leaves first, by name descending, then what depends on them.
    assert names(plan(env, links, "app", "app[x]")) == ["opt-1.0", "always-1.0", "app-1.0"]


def test_dependency_cycle(make_env: MakeEnv, tmp_path: Path) -> None:
    links = tmp_path / "links"
    make_wheel(links, "a", requires=["b"])
    make_wheel(links, "b", requires=["a"])
    assert sorted(names(plan(make_env(), links, "a"))) == ["a-1.0", "b-1.0"]


def test_requires_python(make_env: MakeEnv, tmp_path: Path) -> None:
    links = tmp_path / "links"
    make_wheel(links, "old", requires_python="<3")
    with pytest.raises(
        RequiresPython, match=r"Package 'old' requires a different Python: [\d.]+ not in '<3'"
    ):
        plan(make_env(), links, "old")


def test_a_wheel_path_for_another_platform_is_refused(make_env: MakeEnv, tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path, "plat", tag="cp27-cp27mu-manylinux1_i686", root_is_purelib=False)
    with pytest.raises(UnsupportedWheel, match=re.escape(f"{wheel.name} is not a supported wheel on this")):
        plan(make_env(), tmp_path, str(wheel))


def test_no_precedence_over_a_venv_copy(make_env: MakeEnv, tmp_path: Path) -> None:
    links = tmp_path / "links"
    make_wheel(links, "proj", "1.0")
    env = make_env()
    install(env, links, "proj", use_user_site=False)
    make_wheel(links, "proj", "2.0")
    venv = make_env(prefix=env.prefix + "-venv", pyvenv_cfg="include-system-site-packages = true\n")
    with pytest.raises(
        NoPrecedence, match=re.escape("Will not install to the user site because it will lack sys.path")
    ):
        plan(venv, links, "proj>=2")


def test_headers_directory_is_the_name_as_typed(make_env: MakeEnv, wheelhouse: Path) -> None:
    env = make_env()
    install(env, wheelhouse, "DEMO.pkg", use_user_site=True)
    assert (Path(env.user_base) / "include" / PY / "DEMO.pkg" / "demo.h").is_file()  # type: ignore[arg-type]


def test_parse_requested_errors(tmp_path: Path) -> None:
    with pytest.raises(WheelNotFound, match="looks like a filename, but the file does not exist"):
        parse_requested(str(tmp_path / "missing-1.0-py3-none-any.whl"))
    with pytest.raises(InvalidRequirement, match="Invalid requirement: 'not a requirement!'"):
        parse_requested("not a requirement!")
    with pytest.raises(UnsupportedOption, match="is a URL"):
        parse_requested("proj @ https://example.invalid/proj-1.0-py3-none-any.whl")
    with pytest.raises(UnsupportedOption, match="direct URL"):
        parse_requested("proj @ file:relative.whl")
    with pytest.raises(UnsupportedOption, match="wheels only"):
        parse_requested(str(tmp_path))


def messages_of(env: Environment, links: Path, *requirements: str, **options: bool) -> list[str]:
    return [m.replace(str(links), "L") for m in plan(env, links, *requirements, **options).messages]


def test_processing_lines_say_where_each_requirement_came_from(make_env: MakeEnv, tmp_path: Path) -> None:
    links = tmp_path / "links"
    make_wheel(links, "aa", requires=["bb >= 1"])
    make_wheel(links, "bb", requires=["cc"])
    make_wheel(links, "cc")
    env = make_env()
    # pip 26.3, word for word (its "(from ...)" is InstallRequirement.from_path(): req->parent's path).
    assert messages_of(env, links, "aa >= 0.5") == [
        "Processing L/aa-1.0-py3-none-any.whl",
        "Processing L/bb-1.0-py3-none-any.whl (from aa>=0.5)",
        "Processing L/cc-1.0-py3-none-any.whl (from bb>=1->aa>=0.5)",
    ]
    install(env, links, "aa", use_user_site=True)
    site = scheme.user_scheme(env, "x").purelib
    assert messages_of(env, links, "aa") == [
        f"Requirement already satisfied: aa in {site} (1.0)",
        f"Requirement already satisfied: bb>=1 in {site} (from aa) (1.0)",
        f"Requirement already satisfied: cc in {site} (from bb>=1->aa) (1.0)",
    ]


def test_requirements_from_a_file_name_their_line(make_env: MakeEnv, tmp_path: Path) -> None:
    links = tmp_path / "links"
    make_wheel(links, "aa", requires=["bb"])
    make_wheel(links, "bb")
    requested = [parse_requested("aa", "-r req.txt (line 3)", "line 3 of req.txt")]
    found, _ = scan_links([str(links)])
    p = resolve(requested, finder=Finder(found, list(sys_tags())), env=make_env(), user=True)
    assert [m.replace(str(links), "L") for m in p.messages] == [
        "Processing L/aa-1.0-py3-none-any.whl (from -r req.txt (line 3))",
        "Processing L/bb-1.0-py3-none-any.whl (from aa->-r req.txt (line 3))",
    ]
    with pytest.raises(InvalidRequirement) as caught:
        parse_requested("not a requirement!", "-r req.txt (line 3)", "line 3 of req.txt")
    assert caught.value.message.endswith("^ (from line 3 of req.txt)")


def test_an_upgrade_first_says_the_old_copy_satisfies(make_env: MakeEnv, tmp_path: Path) -> None:
    links = tmp_path / "links"
    make_wheel(links, "proj", "1.0")
    env = make_env()
    install(env, links, "proj", use_user_site=True)
    make_wheel(links, "proj", "2.0")
    site = scheme.user_scheme(env, "x").purelib
    # pip makes (and logs) the installed candidate before it finds the newer wheel.
    assert messages_of(env, links, "proj", upgrade=True) == [
        f"Requirement already satisfied: proj in {site} (1.0)",
        "Processing L/proj-2.0-py3-none-any.whl",
    ]


def test_pinned_requirements_are_expanded_first(make_env: MakeEnv, tmp_path: Path) -> None:
    links = tmp_path / "links"
    make_wheel(links, "app", requires=["always"])
    make_wheel(links, "lib", requires=["other"])
    make_wheel(links, "always")
    make_wheel(links, "other")
    assert messages_of(make_env(), links, "app", "lib==1.0") == [
        "Processing L/app-1.0-py3-none-any.whl",
        "Processing L/lib-1.0-py3-none-any.whl",
        "Processing L/other-1.0-py3-none-any.whl (from lib==1.0)",
        "Processing L/always-1.0-py3-none-any.whl (from app)",
    ]


def test_requirements_with_extras_are_looked_up_last(make_env: MakeEnv, tmp_path: Path) -> None:
    links = tmp_path / "links"
    make_wheel(links, "app", requires=["opt; extra == 'x'"], provides_extra=["x"])
    make_wheel(links, "opt")
    make_wheel(links, "zed")
    assert messages_of(make_env(), links, "app[x]", "zed")[:2] == [
        "Processing L/zed-1.0-py3-none-any.whl",
        "Processing L/app-1.0-py3-none-any.whl",
    ]


def test_an_extra_the_project_does_not_provide_is_ignored_with_a_warning(
    make_env: MakeEnv, tmp_path: Path
) -> None:
    links = tmp_path / "links"
    make_wheel(links, "app", requires=["opt; extra == 'x'"])  # no Provides-Extra: x
    make_wheel(links, "opt")
    p = plan(make_env(), links, "app[x]")
    assert names(p) == ["app-1.0"]
    assert p.warnings == ("app 1.0 does not provide the extra 'x'",)


def test_no_deps_installs_only_what_was_named(make_env: MakeEnv, wheelhouse: Path) -> None:
    p = plan(make_env(), wheelhouse, "demo-app", ignore_dependencies=True)
    assert names(p) == ["demo-app-1.0"]
    assert [m for m in p.messages if "demo_base" in m] == []


def test_the_same_version_wheel_note_comes_after_resolution(make_env: MakeEnv, wheelhouse: Path) -> None:
    env = make_env()
    wheel = str(wheelhouse / "demo_app-1.0-py3-none-any.whl")
    install(env, wheelhouse, wheel, use_user_site=True)
    messages = plan(env, wheelhouse, wheel).messages
    assert messages[1].startswith("Requirement already satisfied: demo-base>=1.0 in ")
    assert messages[1].endswith(" (from demo-app==1.0) (1.0)")
    assert messages[2].startswith(
        "demo-app is already installed with the same version as the provided wheel."
    )
