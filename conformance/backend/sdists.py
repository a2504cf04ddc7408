"""Build a fixture's sdist deterministically: the tree its backend reads, with pyproject.toml and PKG-INFO."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from pathlib import Path

from conformance.backend.metadata import metadata
from conformance.catalogue.fixtures import Fixture, all_fixtures

#: The sdist's description of the wheel to build, read by the demo-backend fixture (it has no TOML parser on
#: Python 3.10).
SPEC_FILE = "demo-backend.json"
#: A fixed date (1980-01-01, as the wheels' zip members) so that rebuilding gives identical bytes.
_MTIME = 315532800


def _pyproject(fixture: Fixture) -> bytes:
    assert fixture.build_backend is not None
    backend = all_fixtures()[fixture.build_backend]
    return (
        f'[build-system]\nrequires = ["{backend.name}"]\nbuild-backend = "{backend.import_name}"\n'
    ).encode()


def _spec(fixture: Fixture) -> bytes:
    spec = {
        "name": fixture.name,
        "version": fixture.version,
        "summary": fixture.summary,
        "requires": list(fixture.requires),
        "root_is_purelib": fixture.root_is_purelib,
        "console_scripts": [list(pair) for pair in fixture.console_scripts],
    }
    return (json.dumps(spec, indent=1, sort_keys=True) + "\n").encode("utf-8")


def sdist_entries(fixture: Fixture) -> list[tuple[str, bytes, int]]:
    """(path below the sdist's top directory, content, mode) of every file of the sdist."""
    entries = [
        ("PKG-INFO", metadata(fixture), 0o644),
        ("pyproject.toml", _pyproject(fixture), 0o644),
        (SPEC_FILE, _spec(fixture), 0o644),
    ]
    for member in fixture.members:
        content = (fixture.source / member.within / member.tree_path).read_bytes()
        entries.append((member.tree_path, content, member.mode))
    return entries


def build_sdist(fixture: Fixture, out_dir: Path) -> Path:
    """Write ``fixture``'s sdist (``<name>-<version>.tar.gz``, PEP 625) into ``out_dir``; return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    top = f"{fixture.normalized}-{fixture.version}"
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for path, content, mode in sdist_entries(fixture):
            info = tarfile.TarInfo(f"{top}/{path}")
            info.size, info.mode, info.mtime = len(content), mode, _MTIME
            archive.addfile(info, io.BytesIO(content))
    target = out_dir / fixture.sdist_name
    tmp = target.with_suffix(".tmp")
    with tmp.open("wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(buffer.getvalue())
    tmp.replace(target)
    return target
