"""Fixture sdists are deterministic, and their build backend builds exactly the wheel the judge expects."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

from installer.sources import WheelFile

from conformance.backend.sdists import build_sdist
from conformance.backend.wheels import build_wheel, build_wheelhouse
from conformance.catalogue.fixtures import all_fixtures
from conformance.paths import FIXTURES_DIR


def _sdist_fixtures() -> list[str]:
    return [name for name, f in all_fixtures().items() if f.build_backend is not None]


def test_there_is_an_sdist_fixture_and_the_wheelhouse_carries_its_sdist(tmp_path: Path) -> None:
    assert _sdist_fixtures() == ["demo-sdist"]
    built = {p.name for p in build_wheelhouse(tmp_path)}
    assert "demo_sdist-1.0.tar.gz" in built
    assert not any(name.startswith("demo_sdist-") and name.endswith(".whl") for name in built)
    assert "demo_backend-1.0-py3-none-any.whl" in built


def test_rebuilding_gives_identical_bytes(tmp_path: Path) -> None:
    fixture = all_fixtures()["demo-sdist"]
    first, second = (build_sdist(fixture, tmp_path / d).read_bytes() for d in "ab")
    assert hashlib.sha256(first).digest() == hashlib.sha256(second).digest()


def test_the_backend_builds_the_wheel_the_fixture_describes(tmp_path: Path) -> None:
    fixture = all_fixtures()["demo-sdist"]
    with tarfile.open(build_sdist(fixture, tmp_path / "sdist")) as archive:
        archive.extractall(tmp_path / "tree", filter="data")
    tree = tmp_path / "tree" / "demo_sdist-1.0"
    assert (tree / "pyproject.toml").read_text().startswith("[build-system]\n")
    out = tmp_path / "out"
    out.mkdir()
    backend = FIXTURES_DIR / "demo-backend" / "src"
    result = subprocess.run(
        [
            sys.executable,
            "-I",
            "-c",
            f"import sys; sys.path.insert(0, {str(backend)!r}); "
            f"import demo_backend; print(demo_backend.build_wheel({str(out)!r}))",
        ],
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
    )
    built = out / result.stdout.strip()
    assert built.name == fixture.wheel_name
    with WheelFile.open(built) as source:
        source.validate_record()
    expected = build_wheel(fixture, tmp_path / "expected")
    with zipfile.ZipFile(built) as got, zipfile.ZipFile(expected) as want:
        # Everything but the generator's name in WHEEL and the RECORD that hashes it.
        skip = {"demo_sdist-1.0.dist-info/WHEEL", "demo_sdist-1.0.dist-info/RECORD"}
        assert sorted(got.namelist()) == sorted(want.namelist())
        for name in set(want.namelist()) - skip:
            assert got.read(name) == want.read(name), name
        assert (
            got.getinfo("demo_sdist-1.0.data/data/share/demo-sdist/sdist.txt").external_attr >> 16 == 0o100644
        )
