"""Assemble matrix.json: run metadata, the verdict vocabulary, every cell, and reference parity."""

from __future__ import annotations

import datetime
import subprocess
from typing import Any

from conformance import __version__
from conformance.catalogue.installers import SPELLING_NAMES, SPELLINGS
from conformance.catalogue.scenarios import SCENARIOS
from conformance.catalogue.targets import TARGETS
from conformance.judge.verdict import VERDICTS
from conformance.matrix.selection import Selection
from conformance.paths import PROJECT_ROOT
from conformance.report.parity import parity

SCHEMA = "conformance-matrix"
#: 2: ``parity`` became a list (against pip-latest and each target's own pip); cells gained ``environment``.
SCHEMA_VERSION = 2


class DocumentError(ValueError):
    """A document this suite cannot read: another schema, or a version it does not know."""


def check_document(document: dict[str, Any], which: str = "the") -> None:
    """Refuse a document of another schema or version, naming which document it is."""
    schema = document.get("schema")
    if schema != SCHEMA:
        raise DocumentError(f"{which} document: schema is {schema!r}, not {SCHEMA!r}")
    version = document.get("schema_version")
    if version != SCHEMA_VERSION:
        raise DocumentError(
            f"{which} document: schema_version {version!r} is not the one this suite reads "
            f"({SCHEMA_VERSION}); rerun the matrix to regenerate it"
        )


def _git_sha() -> str | None:
    result = subprocess.run(
        ["git", "-C", str(PROJECT_ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() or None


def _iso(timestamp: float) -> str:
    return datetime.datetime.fromtimestamp(timestamp, datetime.UTC).isoformat(timespec="seconds")


def _installer_versions(records: list[dict[str, Any]]) -> dict[str, str]:
    """The one version of each fetched installer in this run (pip's own version varies by target)."""
    versions: dict[str, str] = {}
    for record in records:
        if record["installer"] in ("pip-latest", "uv", "reference") and record["installer_version"]:
            versions[str(record["installer"])] = str(record["installer_version"])
    return dict(sorted(versions.items()))


def build_document(
    records: list[dict[str, Any]],
    outcomes: dict[str, str],
    selection: Selection,
    run_id: str,
    started: float,
    finished: float,
) -> dict[str, Any]:
    """The versioned matrix document."""
    cells = sorted(records, key=lambda r: str(r["id"]))
    for cell in cells:
        cell["test_outcome"] = outcomes.get(str(cell["id"]), "passed")
    targets_seen = sorted({str(c["target"]) for c in cells})
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "run": {
            "id": run_id,
            "suite_version": __version__,
            "git_sha": _git_sha(),
            "started": _iso(started),
            "finished": _iso(finished),
            "selection": selection.as_dict(),
            "installers": _installer_versions(cells),
        },
        "verdicts": VERDICTS,
        "targets": {
            name: {"registry_image": TARGETS[name].registry_image, "suite": TARGETS[name].suite}
            for name in targets_seen
        },
        "scenarios": {s.name: s.description for s in SCENARIOS.values()},
        "spellings": {
            name: sorted({" ".join(s.install) for s in SPELLINGS if s.name == name})
            for name in SPELLING_NAMES
        },
        # The reference follows current pip: pip-latest is its yardstick, the target's own pip shows skew.
        "parity": [parity(cells, baseline) for baseline in ("pip-latest", "pip")],
        "cells": cells,
    }
