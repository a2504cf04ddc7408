"""Installing wheels as pip lays them out: files, RECORD, metadata, scripts, pyc files, rollback."""

from __future__ import annotations

import compileall
import hashlib
import io
import json
import os
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.archive import record_hash
from conformance.reference import scheme
from conformance.reference.commands import InstallOptions, run_install
from conformance.reference.environment import Environment, gather
from conformance.reference.errors import InvalidWheel
from conformance.reference.install import INSTALLER, install_wheel, record_path
from conformance.reference.journal import Journal
from conformance.reference.scheme import Scheme
from conformance.reference.wheelfile import read_wheel, vet

from .support import tree
from .wheelmaker import make_wheel

MakeEnv = Callable[..., Environment]
HOST = gather({})  # install_wheel only takes the interpreter path and launcher kind from it
PY = f"python{sys.version_info[0]}.{sys.version_info[1]}"
TAG = sys.implementation.cache_tag


def install(env: Environment, *requirements: str, links: tuple[str, ...] = (), **options: object) -> str:
    out = io.StringIO()
    opts = InstallOptions(tuple(requirements), find_links=links, **options)  # type: ignore[arg-type]
    assert run_install(opts, env, out, io.StringIO()) == 0
    return out.getvalue()


def separate_scheme(root: Path) -> Scheme:
    return Scheme(
        purelib=str(root / "pure"),
        platlib=str(root / "plat"),
        headers=str(root / "include" / "x"),
        scripts=str(root / "bin"),
        data=str(root / "data"),
    )


def test_demo_pkg_lands_where_pip_puts_it(make_env: MakeEnv, wheelhouse: Path) -> None:
    env = make_env()
    output = install(env, "demo-pkg", use_user_site=True, links=(str(wheelhouse),))
    assert "Successfully installed demo-pkg-1.0" in output
    site = f"lib/{PY}/site-packages"
    info = f"{site}/demo_pkg-1.0.dist-info"
    assert {p for p in tree(Path(env.user_base)) if not p.endswith("/")} == {  # type: ignore[arg-type]
        "bin/demo-cli",
        "bin/demo-raw",
        f"include/{PY}/demo-pkg/demo.h",
        "share/demo-pkg/demo.txt",
        f"{site}/demo_pkg/__init__.py",
        f"{site}/demo_pkg/cli.py",
        f"{site}/demo_pkg/__pycache__/__init__.{TAG}.pyc",
        f"{site}/demo_pkg/__pycache__/cli.{TAG}.pyc",
        *(
            f"{info}/{n}"
            for n in ("INSTALLER", "METADATA", "RECORD", "REQUESTED", "WHEEL", "entry_points.txt")
        ),
    }


def test_record_is_written_like_pips(make_env: MakeEnv, wheelhouse: Path) -> None:
    env = make_env()
    install(env, "demo-pkg", use_user_site=True, links=(str(wheelhouse),))
    site = Path(scheme.user_scheme(env, "demo-pkg").purelib)
    raw = (site / "demo_pkg-1.0.dist-info" / "RECORD").read_bytes()
    assert raw.endswith(b"\r\n") and b"\r\n" in raw[:-2]  # csv's excel dialect, as pip writes it
    rows = [line.split(",") for line in raw.decode().splitlines()]
    paths = [r[0] for r in rows]
    assert paths == sorted(paths)
    by_path = {r[0]: r for r in rows}
    assert by_path["../../../bin/demo-cli"][1].startswith("sha256=")
    header = Path(__file__).parents[2] / "fixtures" / "demo-pkg" / "headers" / "demo.h"
    assert by_path[f"../../../include/{PY}/demo-pkg/demo.h"][2] == str(len(header.read_bytes()))
    assert by_path["demo_pkg-1.0.dist-info/RECORD"] == ["demo_pkg-1.0.dist-info/RECORD", "", ""]
    assert by_path[f"demo_pkg/__pycache__/__init__.{TAG}.pyc"] == [
        f"demo_pkg/__pycache__/__init__.{TAG}.pyc",
        "",
        "",
    ]
    for path, digest, size in rows:
        if digest:
            data = (site / path).read_bytes()
            assert int(size) == len(data)
            assert digest == record_hash(data)


def test_metadata_files(make_env: MakeEnv, wheelhouse: Path) -> None:
    env = make_env()
    install(env, "demo-app", use_user_site=True, links=(str(wheelhouse),))
    site = Path(scheme.user_scheme(env, "x").purelib)
    assert (
        (site / "demo_app-1.0.dist-info" / "INSTALLER").read_bytes()
        == INSTALLER
        == b"conformance-reference\n"
    )
    assert (site / "demo_app-1.0.dist-info" / "REQUESTED").read_bytes() == b""
    assert not (site / "demo_base-1.0.dist-info" / "REQUESTED").exists()  # a dependency, not requested
    assert not (site / "demo_app-1.0.dist-info" / "direct_url.json").exists()  # found by name


def test_a_wheel_path_gets_direct_url_json(make_env: MakeEnv, wheelhouse: Path) -> None:
    env = make_env()
    wheel = wheelhouse / "demo_plat-1.0-py3-none-any.whl"
    install(env, str(wheel), use_user_site=True)
    site = Path(scheme.user_scheme(env, "x").platlib)
    document = json.loads((site / "demo_plat-1.0.dist-info" / "direct_url.json").read_text())
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert document == {
        "archive_info": {"hash": f"sha256={digest}", "hashes": {"sha256": digest}},
        "url": wheel.as_uri(),
    }


def test_scripts(make_env: MakeEnv, wheelhouse: Path) -> None:
    env = make_env()
    install(env, "demo-pkg", use_user_site=True, links=(str(wheelhouse),))
    bin_dir = Path(env.user_base) / "bin"  # type: ignore[arg-type]
    cli = (bin_dir / "demo-cli").read_bytes()
    assert cli.startswith(f"#!{env.executable}\nimport sys\nfrom demo_pkg.cli import main\n".encode())
    raw = (bin_dir / "demo-raw").read_bytes()
    assert raw.startswith(f"#!{env.executable}\n".encode())
    assert b"#!python" not in raw
    for script in ("demo-cli", "demo-raw"):
        assert stat.S_IMODE((bin_dir / script).stat().st_mode) == 0o755


def test_script_modes_follow_the_umask_like_pip(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path / "w", "modes", console_scripts={"modes": "modes:main"})
    info = read_wheel(str(wheel))
    old = os.umask(0o077)
    try:
        target = separate_scheme(tmp_path / "s")
        install_wheel(info, target, HOST, requested=True, direct=False, compile=False)
    finally:
        os.umask(old)
    # distlib adds r-x for everyone to the default mode; installer alone would give 0o711.
    assert stat.S_IMODE(Path(target.scripts, "modes").stat().st_mode) == 0o755
    assert stat.S_IMODE(Path(target.purelib, "modes", "__init__.py").stat().st_mode) == 0o600


def test_root_is_purelib_false_goes_to_platlib(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path / "w", "plat", root_is_purelib=False)
    target = separate_scheme(tmp_path / "s")
    install_wheel(read_wheel(str(wheel)), target, HOST, requested=True, direct=False, compile=True)
    assert Path(target.platlib, "plat", "__init__.py").is_file()
    assert not Path(target.purelib).exists()
    record = Path(target.platlib, "plat-1.0.dist-info", "RECORD").read_text()
    assert f"plat/__pycache__/__init__.{TAG}.pyc,," in record


def test_entry_point_wrappers_in_data_scripts_are_skipped(tmp_path: Path) -> None:
    files = {
        "wrap/__init__.py": b"def main(): pass\n",
        "wrap-1.0.data/scripts/wrap": b"#!python\nold setuptools wrapper\n",
        "wrap-1.0.data/scripts/wrap.exe": b"MZ",
        "wrap-1.0.data/scripts/other": b"#!/bin/sh\n",
    }
    wheel = make_wheel(tmp_path / "w", "wrap", files=files, console_scripts={"wrap": "wrap:main"})
    target = separate_scheme(tmp_path / "s")
    install_wheel(read_wheel(str(wheel)), target, HOST, requested=True, direct=False, compile=False)
    assert sorted(os.listdir(target.scripts)) == ["other", "wrap"]
    assert b"from wrap import main" in Path(target.scripts, "wrap").read_bytes()
    record = Path(target.purelib, "wrap-1.0.dist-info", "RECORD").read_text()
    assert "wrap-1.0.data/scripts/wrap,sha256=" in record  # pip keeps the archive row
    assert "wrap-1.0.data/scripts/wrap.exe,sha256=" in record


def test_python_files_outside_lib_are_compiled_like_pip(tmp_path: Path) -> None:
    files = {"pyd/__init__.py": b"", "pyd-1.0.data/data/share/tool.py": b"x = 1\n"}
    wheel = make_wheel(tmp_path / "w", "pyd", files=files)
    target = separate_scheme(tmp_path / "s")
    install_wheel(read_wheel(str(wheel)), target, HOST, requested=True, direct=False, compile=True)
    assert Path(target.data, "share", "__pycache__", f"tool.{TAG}.pyc").is_file()


def test_no_compile(make_env: MakeEnv, wheelhouse: Path) -> None:
    env = make_env()
    install(env, "demo-pkg", use_user_site=True, links=(str(wheelhouse),), compile=False)
    assert not any("__pycache__" in p for p in tree(Path(env.user_base)))  # type: ignore[arg-type]


def test_failure_rolls_back_everything_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wheel = make_wheel(
        tmp_path / "w",
        "fails",
        files={"fails/__init__.py": b"", "fails-1.0.data/data/share/f.txt": b"x"},
        console_scripts={"fails": "fails:main"},
    )
    target = separate_scheme(tmp_path / "s")
    Path(target.data, "share").mkdir(parents=True)
    Path(target.data, "share", "f.txt").write_bytes(b"somebody else's")
    before = tree(tmp_path / "s")

    def explode(*args: object, **kwargs: object) -> bool:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(compileall, "compile_file", explode)
    with pytest.raises(OSError, match="No space left"):
        install_wheel(read_wheel(str(wheel)), target, HOST, requested=True, direct=False, compile=True)
    assert tree(tmp_path / "s") == before
    assert Path(target.data, "share", "f.txt").read_bytes() == b"somebody else's"


def test_an_existing_file_is_replaced(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path / "w", "over")
    target = separate_scheme(tmp_path / "s")
    Path(target.purelib, "over").mkdir(parents=True)
    Path(target.purelib, "over", "__init__.py").write_text("stale")
    install_wheel(read_wheel(str(wheel)), target, HOST, requested=True, direct=False, compile=False)
    assert Path(target.purelib, "over", "__init__.py").read_text() == "VERSION = '1.0'\n"


def test_record_path() -> None:
    assert record_path("/u/.local/bin/x", "/u/.local/lib/python3.11/site-packages") == "../../../bin/x"


def test_journal_removes_only_directories_it_made(tmp_path: Path) -> None:
    journal = Journal()
    (tmp_path / "a").mkdir()
    journal.make_parents(str(tmp_path / "a" / "b" / "c"))
    assert journal.created_dirs == [str(tmp_path / "a" / "b"), str(tmp_path / "a" / "b" / "c")]
    journal.rollback()
    assert tree(tmp_path) == {"a/"}


# Member names: plain names, '.', '..', empty segments and absolute starts, with or without a .data key.
segment = st.sampled_from(["..", ".", "", "pkg", "sub", "ü x", "f.py", "..."])
member_paths = st.tuples(
    st.sampled_from(
        [
            "",
            "/",
            "gen-1.0.data/purelib/",
            "gen-1.0.data/scripts/",
            "gen-1.0.data/data/",
            "gen-1.0.data/headers/",
            "C:/",
        ]
    ),
    st.lists(segment, min_size=1, max_size=5),
).map(lambda t: t[0] + "/".join(t[1]))


@pytest.mark.property
@settings(max_examples=60, deadline=None)
@given(names=st.lists(member_paths, min_size=1, max_size=4, unique=True))
def test_nothing_is_ever_written_outside_the_scheme(names: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = {name: b"x = 1\n" for name in names if not name.endswith("/")}
        files.setdefault("gen/__init__.py", b"")
        try:
            wheel = make_wheel(root / "w", "gen", files=files)
        except ValueError:
            return  # zipfile itself refuses the name
        outside = root / "outside" / "deep"
        outside.mkdir(parents=True)
        target = separate_scheme(outside / "scheme")
        try:
            info = read_wheel(str(wheel))
            vet(info, target)
        except InvalidWheel:
            assert tree(root / "outside") == {"deep/"}
            return
        install_wheel(info, target, HOST, requested=True, direct=False, compile=True)
        roots = [Path(p) for p in target.as_dict().values()]
        for relative in tree(root / "outside"):
            path = root / "outside" / relative
            if relative.endswith("/"):
                continue
            assert any(path.is_relative_to(r) for r in roots), relative


def test_install_wheel_reports_console_scripts_and_modes(tmp_path: Path) -> None:
    wheel = make_wheel(
        tmp_path / "wheels",
        "tools",
        files={"tools/__init__.py": b"def main():\n    pass\n"},
        console_scripts={"tool-b": "tools:main", "tool-a": "tools:main"},
        gui_scripts={"tool-gui": "tools:main"},
    )
    target = separate_scheme(tmp_path / "scheme")
    written = install_wheel(read_wheel(str(wheel)), target, HOST, requested=True, direct=False, compile=False)
    # Only console scripts count for pip's PATH warning; gui scripts are generated but not named.
    assert sorted(written.console) == [
        str(Path(target.scripts) / "tool-a"),
        str(Path(target.scripts) / "tool-b"),
    ]
    if os.name == "posix":
        assert {path for path, _ in written.mode_changes} == {
            str(Path(target.scripts) / n) for n in ("tool-a", "tool-b", "tool-gui")
        }
        assert all(mode & 0o555 == 0o555 for _, mode in written.mode_changes)
