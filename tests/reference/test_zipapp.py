"""The zipapp: deterministic bytes, the right contents, and it runs under every target Python."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conformance.reference.zipapp import SHEBANG, build_zipapp

from .support import PYTHONS, clean_env


def test_builds_are_identical(tmp_path: Path) -> None:
    first = build_zipapp(tmp_path / "a" / "reference.pyz")
    second = build_zipapp(tmp_path / "b" / "reference.pyz")
    assert first.read_bytes() == second.read_bytes()
    assert first.name == "reference.pyz"
    assert not list((tmp_path / "a").glob("*.partial"))


def test_contents(pyz: Path) -> None:
    assert pyz.read_bytes().startswith(SHEBANG) and SHEBANG == b"#!/usr/bin/env python3\n"
    assert pyz.stat().st_mode & 0o111
    with zipfile.ZipFile(pyz) as archive:
        names = archive.namelist()
        infos = archive.infolist()
    assert names == sorted(names)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert "__main__.py" in names
    assert "conformance/__init__.py" in names
    assert "conformance/reference/cli.py" in names
    assert "conformance/reference/zipapp.py" not in names
    assert "installer/_scripts/t64.exe" in names
    assert "packaging/requirements.py" in names
    assert "LICENSES/installer/LICENSE" in names
    pycs = [n for n in names if n.endswith(".pyc")]
    assert f"conformance/reference/__pycache__/cli.{sys.implementation.cache_tag}.pyc" in pycs
    for name in pycs:
        directory, _, file = name.partition("__pycache__/")
        assert f"{directory}{file.split('.')[0]}.py" in names, name
    assert not [n for n in pycs if n.startswith("installer/_scripts/")]
    assert not [
        n
        for n in names
        if n.startswith("conformance/")
        and "reference" not in n
        and n != "conformance/__init__.py"
        and not n.startswith("conformance/__pycache__/__init__.")
    ]


@pytest.mark.parametrize("version", sorted(PYTHONS))
def test_runs_under_every_target_python(pyz: Path, home: Path, version: str) -> None:
    python = PYTHONS[version]
    if not python.exists():
        pytest.skip(f"no Python {version} here")
    result = subprocess.run(
        [str(python), str(pyz), "--version"], capture_output=True, text=True, env=clean_env(home), check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("conformance-reference ")
    assert f"(python {version})" in result.stdout


@pytest.mark.parametrize("version", sorted(PYTHONS))
def test_modules_load_from_bundled_bytecode(pyz: Path, home: Path, version: str) -> None:
    python = PYTHONS[version]
    if not python.exists():
        pytest.skip(f"no Python {version} here")
    code = (
        "import runpy, sys; sys.argv = [sys.argv[1], '--version']\n"
        "try: runpy.run_path(sys.argv[0], run_name='__main__')\n"
        "except SystemExit: pass\n"
        "import packaging.requirements\n"  # --version does not need it: import it through the finder
        "for name in ('conformance.reference.cli', 'packaging.requirements'):\n"
        "    print(type(sys.modules[name].__loader__).__name__)"
    )
    result = subprocess.run(
        [str(python), "-c", code, str(pyz)], capture_output=True, text=True, env=clean_env(home), check=True
    )
    assert result.stdout.splitlines()[-2:] == ["BundledBytecode", "BundledBytecode"]


def test_launchers_load_from_inside_the_archive(pyz: Path, home: Path) -> None:
    python = PYTHONS["3.10"]
    if not python.exists():
        pytest.skip("no Python 3.10 here")
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from conformance.reference.scripts import wrapper;"
        "from conformance.reference.wheelfile import EntryPoint;"
        "name, data = wrapper(EntryPoint('t', 'm', 'f', False), executable='C:\\\\py.exe',"
        " launcher_kind='win-amd64', platform='win32');"
        "print(name, data[:2].decode())"
    )
    result = subprocess.run(
        [str(python), "-c", code, str(pyz)], capture_output=True, text=True, env=clean_env(home), check=True
    )
    assert result.stdout.strip() == "t.exe MZ"
