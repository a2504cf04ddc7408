"""Fixture wheels are deterministic and valid for PyPA's installer."""

from __future__ import annotations

import hashlib
from pathlib import Path

from installer.sources import WheelFile

from conformance.backend.wheels import build_wheel, build_wheelhouse
from conformance.catalogue.fixtures import all_fixtures


def test_rebuilding_gives_identical_bytes(tmp_path: Path) -> None:
    first = [hashlib.sha256(p.read_bytes()).hexdigest() for p in build_wheelhouse(tmp_path / "a")]
    second = [hashlib.sha256(p.read_bytes()).hexdigest() for p in build_wheelhouse(tmp_path / "b")]
    assert first == second


def test_every_wheel_validates_its_record(tmp_path: Path) -> None:
    for fixture in all_fixtures().values():
        with WheelFile.open(build_wheel(fixture, tmp_path)) as source:
            source.validate_record()
            assert source.distribution == fixture.normalized


def test_members_route_to_their_keys(tmp_path: Path) -> None:
    fixture = all_fixtures()["demo-pkg"]
    with WheelFile.open(build_wheel(fixture, tmp_path)) as source:
        names = {record[0] for record, _, _ in source.get_contents()}
    assert "demo_pkg-1.0.data/headers/demo.h" in names
    assert "demo_pkg-1.0.data/scripts/demo-raw" in names
    assert "demo_pkg/__init__.py" in names


def test_platlib_fixture_is_not_purelib(tmp_path: Path) -> None:
    with WheelFile.open(build_wheel(all_fixtures()["demo-plat"], tmp_path)) as source:
        assert b"Root-Is-Purelib: false" in source.read_dist_info("WHEEL").encode()


def test_a_tagged_fixture_gives_a_wheel_per_tag_in_the_wheelhouse(tmp_path: Path) -> None:
    fixture = all_fixtures()["demo-plat-tags"]
    built = {p.name for p in build_wheelhouse(tmp_path, [fixture])}
    assert built == {w.file_name for w in fixture.wheels}
    for wheel in fixture.wheels:
        with WheelFile.open(tmp_path / wheel.wheel_name) as source:
            source.validate_record()
            assert f"Tag: {wheel.tag}" in source.read_dist_info("WHEEL")
