"""Assemble the matrix document from a run's cells and the catalogue they were drawn from."""

from __future__ import annotations

import datetime
import subprocess

from conformance import __version__
from conformance.catalogue.accounts import ACCOUNTS
from conformance.catalogue.fixtures import matrix_fixtures
from conformance.catalogue.installers import INSTALLERS, SPELLING_NAMES, SPELLINGS, VersionSource
from conformance.catalogue.scenarios import SCENARIOS
from conformance.catalogue.targets import TARGETS
from conformance.matrix.selection import Selection
from conformance.paths import PROJECT_ROOT
from conformance.record.cell import Cell
from conformance.record.document import (
    MatrixDocument,
    RowOrder,
    RunInfo,
    SpellingInfo,
    TargetInfo,
    VerdictTerm,
)
from conformance.report.parity import parity
from conformance.vocabulary import Verdict


def _git_sha() -> str | None:
    result = subprocess.run(
        ["git", "-C", str(PROJECT_ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() or None


def _iso(timestamp: float) -> str:
    return datetime.datetime.fromtimestamp(timestamp, datetime.UTC).isoformat(timespec="seconds")


def _installer_versions(cells: list[Cell]) -> dict[str, str]:
    """The staged installers' versions: one each per run (pip's own version varies by target)."""
    staged = {name for name, i in INSTALLERS.items() if i.version == VersionSource.STAGED}
    versions = {
        c.installer: c.installer_version for c in cells if c.installer in staged and c.installer_version
    }
    return dict(sorted(versions.items()))


def _target_info(name: str, cells: list[Cell]) -> TargetInfo:
    """A catalogue target's words; a host target (not in the catalogue) is described by its cells."""
    if name in TARGETS:
        target = TARGETS[name]
        return TargetInfo(target.registry_image, target.suite, target.description)
    cell = next(c for c in cells if c.spec.target == name)
    return TargetInfo(
        "host",
        cell.machine or "",
        f"the machine's own {cell.facts.get('executable')} (Python {cell.facts.get('python')}): no container",
    )


def _spellings() -> dict[str, SpellingInfo]:
    infos = {}
    for name in SPELLING_NAMES:
        spellings = [s for s in SPELLINGS if s.name == name]
        env = {k: v for s in spellings for k, v in s.env.items()}
        typed = (" ".join([*(f"{k}={v}" for k, v in s.env.items()), *s.install]) for s in spellings)
        infos[name] = SpellingInfo(sorted(set(typed)), next((s.note for s in spellings if s.note), ""), env)
    return infos


def assemble(
    cells: list[Cell], selection: Selection, run_id: str, started: float, finished: float
) -> MatrixDocument:
    """The versioned matrix document of a run, with the catalogue's order and words for its report."""
    cells = sorted(cells, key=lambda c: c.id)
    return MatrixDocument(
        run=RunInfo(
            id=run_id,
            suite_version=__version__,
            git_sha=_git_sha(),
            started=_iso(started),
            finished=_iso(finished),
            selection=selection.as_dict(),
            quick=selection.quick,
            installers=_installer_versions(cells),
        ),
        verdicts=[VerdictTerm.of(v) for v in Verdict],
        targets={name: _target_info(name, cells) for name in sorted({c.spec.target for c in cells})},
        scenarios={s.name: s.description for s in SCENARIOS.values()},
        spellings=_spellings(),
        rows=RowOrder(list(ACCOUNTS), list(SCENARIOS), list(matrix_fixtures())),
        columns=list(SPELLING_NAMES),
        # The reference follows current pip: pip-latest is its yardstick, the target's own pip shows skew.
        parity=[parity(cells, baseline) for baseline in ("pip-latest", "pip")],
        cells=cells,
    )
