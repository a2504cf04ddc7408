"""Uninstalling as pip does: RECORD-driven, whole owned directories, pruned parents, scheme-bounded."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.reference import scheme
from conformance.reference.commands import InstallOptions, run_install, run_uninstall
from conformance.reference.environment import Environment
from conformance.reference.errors import ExternallyManaged, UninstallMissingRecord, UninstallOutsideSchemes
from conformance.reference.installed import find_installed
from conformance.reference.listing import distributions
from conformance.reference.output import Output
from conformance.reference.uninstall import compact, compress_for_rename, removal_set, uninstall

from .support import relocated_env, tree
from .wheelmaker import make_wheel

MakeEnv = Callable[..., Environment]
PY = f"python{sys.version_info[0]}.{sys.version_info[1]}"


def install(env: Environment, links: Path, *requirements: str, user: bool = True) -> None:
    opts = InstallOptions(tuple(requirements), use_user_site=user, find_links=(str(links),))
    assert run_install(opts, env, io.StringIO(), io.StringIO()) == 0


def remove_all(env: Environment, *names: str) -> str:
    out = io.StringIO()
    code = run_uninstall(
        names, yes=True, break_system_packages=False, env=env, out=out, err=out, ask=lambda paths: True
    )
    assert code == 0
    return out.getvalue()


def test_uninstall_leaves_what_pip_leaves(make_env: MakeEnv, wheelhouse: Path) -> None:
    # Observed with pip: bin/ (only this project's scripts) goes whole; the emptied
    # include/pythonX.Y/, share/ and site-packages/ directories stay.
    env = make_env()
    Path(env.home, "keep").parent.mkdir(parents=True, exist_ok=True)
    Path(env.home, "keep").write_text("x")
    install(env, wheelhouse, "demo-pkg", "demo-plat")
    output = remove_all(env, "demo-pkg")
    assert output.splitlines() == [
        "Found existing installation: demo-pkg 1.0",
        "Uninstalling demo-pkg-1.0:",
        "  Successfully uninstalled demo-pkg-1.0",
    ]
    site = f".local/lib/{PY}/site-packages"
    assert tree(Path(env.home)) == {
        "keep",
        ".local/",
        ".local/include/",
        f".local/include/{PY}/",
        ".local/lib/",
        f".local/lib/{PY}/",
        f"{site}/",
        ".local/share/",
        *{f"{site}/{p}" for p in tree(Path(env.home, site)) if "demo_plat" in p},
    }
    remove_all(env, "demo-plat")
    assert tree(Path(env.home)) == {
        "keep",
        ".local/",
        ".local/include/",
        f".local/include/{PY}/",
        ".local/lib/",
        f".local/lib/{PY}/",
        f"{site}/",
        ".local/share/",
    }


def test_files_not_in_record_keep_their_directory(make_env: MakeEnv, wheelhouse: Path) -> None:
    env = make_env()
    install(env, wheelhouse, "demo-pkg")
    site = Path(scheme.user_scheme(env, "x").purelib)
    stray = site / "demo_pkg" / "__pycache__" / "cli.opt-1.pyc"
    stray.write_bytes(b"")
    remove_all(env, "demo-pkg")
    assert tree(site) == {"demo_pkg/", "demo_pkg/__pycache__/", "demo_pkg/__pycache__/cli.opt-1.pyc"}


def test_a_pyc_written_after_install_is_removed(make_env: MakeEnv, wheelhouse: Path) -> None:
    env = make_env()
    opts = InstallOptions(("demo-base",), use_user_site=True, find_links=(str(wheelhouse),), compile=False)
    run_install(opts, env, io.StringIO(), io.StringIO())
    site = Path(scheme.user_scheme(env, "x").purelib)
    cache = site / "demo_base" / "__pycache__"
    cache.mkdir()
    (cache / f"__init__.{sys.implementation.cache_tag}.pyc").write_bytes(b"")
    remove_all(env, "demo-base")
    assert tree(site) == set()


def test_record_entries_outside_the_scheme_are_left_alone(make_env: MakeEnv, tmp_path: Path) -> None:
    env = make_env()
    links = tmp_path / "links"
    make_wheel(links, "sly")
    install(env, links, "sly")
    outside = tmp_path / "outside.txt"
    outside.write_text("precious")
    site = Path(scheme.user_scheme(env, "x").purelib)
    record = site / "sly-1.0.dist-info" / "RECORD"
    record.write_text(record.read_text() + os.path.relpath(outside, site) + ",,\r\n")
    dist = find_installed(env.sys_path, "sly")
    assert dist is not None
    removal = removal_set(dist, env)
    assert str(outside) in removal.refused
    remove_all(env, "sly")
    assert outside.read_text() == "precious"
    assert not (site / "sly").exists()


def test_missing_record(make_env: MakeEnv, wheelhouse: Path) -> None:
    env = make_env()
    install(env, wheelhouse, "demo-base")
    info = Path(scheme.user_scheme(env, "x").purelib, "demo_base-1.0.dist-info")
    (info / "RECORD").unlink()
    with pytest.raises(UninstallMissingRecord) as caught:
        remove_all(env, "demo-base")
    assert "Cannot uninstall demo-base 1.0, RECORD file not found." in str(caught.value)
    assert "Hint: The package was installed by conformance-reference." in str(caught.value)
    assert "pip install --force-reinstall --no-deps demo-base==1.0" in str(caught.value)


def test_not_installed_is_a_warning(make_env: MakeEnv) -> None:
    assert "WARNING: Skipping nothing-here as it is not installed." in remove_all(make_env(), "nothing-here")


def test_pep668_applies_to_uninstall(make_env: MakeEnv) -> None:
    env = make_env(marker_error="managed")
    with pytest.raises(ExternallyManaged):
        remove_all(env, "demo-base")


def test_outside_a_venv_from_inside_one(make_env: MakeEnv, wheelhouse: Path) -> None:
    env = make_env()
    install(env, wheelhouse, "demo-base")
    venv = make_env(prefix=env.prefix + "/venv", pyvenv_cfg="include-system-site-packages = true\n")
    before = tree(Path(env.home))
    output = remove_all(venv, "demo-base")
    assert "Not uninstalling demo-base at " in output
    assert f"outside environment {venv.prefix}" in output
    assert "Can't uninstall 'demo-base'. No files were found to uninstall." in output
    assert tree(Path(env.home)) == before


def test_a_location_in_no_scheme_is_refused(make_env: MakeEnv, tmp_path: Path) -> None:
    stray = tmp_path / "elsewhere"
    make_wheel(tmp_path / "links", "lost")
    env = make_env()
    install(env, tmp_path / "links", "lost")
    site = Path(scheme.user_scheme(env, "x").purelib)
    stray.mkdir()
    for entry in site.iterdir():
        entry.rename(stray / entry.name)
    moved = make_env(sys_path=(str(stray),))
    with pytest.raises(UninstallOutsideSchemes, match="is not the purelib or platlib directory"):
        remove_all(moved, "lost")


def test_rollback_restores_everything(make_env: MakeEnv, wheelhouse: Path) -> None:
    env = make_env()
    install(env, wheelhouse, "demo-pkg")
    before = {p: Path(env.home, p).read_bytes() for p in tree(Path(env.home)) if not p.endswith("/")}
    dirs_before = tree(Path(env.home))
    dist = find_installed(env.sys_path, "demo-pkg")
    assert dist is not None
    stash = uninstall(dist, env, Output(io.StringIO(), io.StringIO()))
    assert stash is not None
    assert not Path(env.user_base, "bin").exists()  # type: ignore[arg-type]
    stash.rollback()
    assert tree(Path(env.home)) == dirs_before
    assert {p: Path(env.home, p).read_bytes() for p in before} == before


def test_declining_removes_nothing(make_env: MakeEnv, wheelhouse: Path) -> None:
    env = make_env()
    install(env, wheelhouse, "demo-base")
    before = tree(Path(env.home))
    asked: list[list[str]] = []

    def decline(paths: list[str]) -> bool:
        asked.append(paths)
        return False

    run_uninstall(
        ("demo-base",),
        yes=False,
        break_system_packages=False,
        env=env,
        out=io.StringIO(),
        err=io.StringIO(),
        ask=decline,
    )
    assert asked and tree(Path(env.home)) == before


def test_compact() -> None:
    assert compact(["/a/b/", "/a/b/c", "/a/bc", "/d"]) == {"/a/b/", "/a/bc", "/d"}


def test_compress_for_rename(tmp_path: Path) -> None:
    (tmp_path / "owned").mkdir()
    (tmp_path / "owned" / "f").write_text("")
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "mine").write_text("")
    (tmp_path / "shared" / "theirs").write_text("")
    paths = {str(tmp_path / "owned" / "f"), str(tmp_path / "shared" / "mine")}
    assert compress_for_rename(paths) == {str(tmp_path / "owned") + os.sep, str(tmp_path / "shared" / "mine")}


_FIXTURES = ["demo-pkg", "demo-plat", "demo-app", "demo-base"]


@pytest.mark.property
@settings(max_examples=15, deadline=None)
@given(
    chosen=st.lists(st.sampled_from(_FIXTURES), min_size=1, max_size=3, unique=True),
    preexisting=st.sets(
        st.sampled_from([".local/share/other.txt", ".local/bin/tool", "keep", ".local/lib/x"])
    ),
)
def test_install_then_uninstall_restores_the_files(
    host_env: Environment,
    wheelhouse: Path,
    tmp_path_factory: pytest.TempPathFactory,
    chosen: list[str],
    preexisting: set[str],
) -> None:
    root = tmp_path_factory.mktemp("roundtrip")
    env = relocated_env(host_env, root)
    home = Path(env.home)
    for relative in preexisting | {"keep"}:
        Path(home, relative).parent.mkdir(parents=True, exist_ok=True)
        Path(home, relative).write_text(relative)
    files_before = {p for p in tree(home) if not p.endswith("/")}
    dirs_before = {p for p in tree(home) if p.endswith("/")}
    install(env, wheelhouse, *chosen)
    remove_all(env, *(d.name for d in distributions(env, user_only=True)))
    after = tree(home)
    # pip leaves emptied parents of whole-directory removals: only empty directories may be new.
    assert {p for p in after if not p.endswith("/")} == files_before
    assert dirs_before <= after
