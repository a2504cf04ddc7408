"""Build fixture wheels deterministically: same fixture tree, same bytes."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from conformance import __version__
from conformance.archive import add_file, record_file, record_rows
from conformance.backend.metadata import metadata
from conformance.backend.sdists import build_sdist
from conformance.catalogue.fixtures import Fixture, all_fixtures
from conformance.catalogue.scenarios import SCENARIOS


def _wheel_file(fixture: Fixture) -> bytes:
    purelib = "true" if fixture.root_is_purelib else "false"
    return (
        f"Wheel-Version: 1.0\nGenerator: conformance {__version__}\n"
        f"Root-Is-Purelib: {purelib}\nTag: {fixture.tag}\n"
    ).encode("ascii")


def _entry_points(fixture: Fixture) -> bytes | None:
    if not fixture.console_scripts:
        return None
    body = "".join(f"{name} = {target}\n" for name, target in fixture.console_scripts)
    return f"[console_scripts]\n{body}".encode()


def wheel_entries(fixture: Fixture) -> list[tuple[str, bytes, int]]:
    """(archive path, content, unix mode) for every file of the wheel except RECORD."""
    entries: list[tuple[str, bytes, int]] = []
    data_dir = f"{fixture.normalized}-{fixture.version}.data"
    for member in fixture.members:
        content = (fixture.source / member.within / member.tree_path).read_bytes()
        arcname = member.path if member.key == "root" else f"{data_dir}/{member.key}/{member.path}"
        entries.append((arcname, content, member.mode))
    meta = [("METADATA", metadata(fixture)), ("WHEEL", _wheel_file(fixture))]
    entry_points = _entry_points(fixture)
    if entry_points is not None:
        meta.append(("entry_points.txt", entry_points))
    entries.extend((f"{fixture.dist_info}/{name}", content, 0o644) for name, content in meta)
    return entries


def build_wheel(fixture: Fixture, out_dir: Path) -> Path:
    """Write ``fixture``'s wheel into ``out_dir`` (a person's own wheel is copied) and return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if fixture.wheel is not None:
        return Path(shutil.copy2(fixture.wheel, out_dir / fixture.wheel.name))
    record_name = f"{fixture.dist_info}/RECORD"
    entries = wheel_entries(fixture)
    record = record_file(record_rows(((arc, data) for arc, data, _ in entries), record_name))
    target = out_dir / fixture.wheel_name
    tmp = target.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w") as archive:
        for arcname, content, mode in [*entries, (record_name, record, 0o644)]:
            add_file(archive, arcname, content, mode=mode, compression=zipfile.ZIP_DEFLATED)
    tmp.replace(target)
    return target


def build_wheelhouse(out_dir: Path, fixtures: Iterable[Fixture] | None = None) -> list[Path]:
    """Build every fixture (or the given ones) into ``out_dir``, a find-links directory: its wheels, or the
    sdist of a fixture published as one."""
    chosen = all_fixtures().values() if fixtures is None else fixtures
    return [_staged(wheel, out_dir) for f in chosen for wheel in f.wheels]


def _staged(fixture: Fixture, out_dir: Path) -> Path:
    """The file of ``fixture`` an installer finds: a person's own sdist as it is, or what is built here."""
    if fixture.sdist is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        return Path(shutil.copy2(fixture.sdist, out_dir / fixture.sdist.name))
    return build_sdist(fixture, out_dir) if fixture.build_backend else build_wheel(fixture, out_dir)


def build_system_copies(out_dir: Path) -> list[Path]:
    """Build the versions that scenarios install system-wide at set-up into ``out_dir``: a directory apart
    from the wheelhouse, so that the installers under test only ever find each fixture's own version."""
    fixtures = all_fixtures()
    # A person's wheelhouse has no scenario with a system copy (rows_of): nothing to build.
    copies = {c for s in SCENARIOS.values() if (c := s.system_copy) is not None and c.project in fixtures}
    return [
        build_wheel(replace(wheel, version=copy.version), out_dir)
        for copy in sorted(copies, key=lambda c: (c.project, c.version))
        for wheel in fixtures[copy.project].wheels
    ]
