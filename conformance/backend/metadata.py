"""The core metadata file of a fixture distribution: a wheel's METADATA, an sdist's PKG-INFO."""

from __future__ import annotations

from conformance.catalogue.fixtures import Fixture


def metadata(fixture: Fixture) -> bytes:
    """Metadata 2.1 of ``fixture``: name, version, summary and its requirements."""
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {fixture.name}",
        f"Version: {fixture.version}",
        f"Summary: {fixture.summary}",
        *(f"Requires-Dist: {r}" for r in fixture.requires),
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")
