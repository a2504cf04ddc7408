"""The oracle can fail: deliberately broken installers, run in real containers, each get a failing verdict."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conformance.backend.pool import ContainerPool
from conformance.backend.staging import Toolset
from conformance.catalogue.installers import BROKEN_INSTALLER, Spelling
from conformance.catalogue.scenarios import Intent
from conformance.matrix.cells import CellSpec
from conformance.record.cell import Cell
from conformance.run.cell import run_cell
from conformance.vocabulary import FileRole, Verdict

pytestmark = pytest.mark.docker

#: A cell where pip installs into the user scheme for real, so a correct installer would conform.
SPEC = CellSpec("debian-bookworm", "user", "explicit-user-bsp", "demo-pkg", "pip")


def _broken(script: str) -> Spelling:
    argv = ("{python}", f"{{broken}}/{script}.py", "install", "--user")
    return Spelling(f"broken-{script}", BROKEN_INSTALLER, Intent.USER, argv)


@pytest.fixture
def run(
    target_images: Callable[[str], str], toolset: Toolset, container_pool: ContainerPool
) -> Callable[[Spelling | None], Cell]:
    def execute(spelling: Spelling | None) -> Cell:
        container = container_pool.take(target_images(SPEC.target))
        try:
            return run_cell(SPEC, container, toolset, spelling)
        finally:
            container_pool.release(container)

    return execute


def test_pip_conforms_in_the_oracles_cell(run: Callable[[Spelling | None], Cell]) -> None:
    cell = run(None)
    assert cell.verdict == Verdict.CONFORMS, cell.judgement.reasons


@pytest.mark.parametrize(
    ("script", "verdict", "reason"),
    [
        ("writes_elsewhere", Verdict.BROKEN, "does not import"),
        ("partial_install", Verdict.DAMAGES, "after writing"),
        ("noop", Verdict.BROKEN, "nothing of the package landed"),
    ],
)
def test_broken_installers_are_flagged(
    run: Callable[[Spelling | None], Cell], script: str, verdict: Verdict, reason: str
) -> None:
    cell = run(_broken(script))
    assert cell.verdict == verdict, cell.judgement.reasons
    assert any(reason in r for r in cell.judgement.reasons), cell.judgement.reasons


def test_writing_elsewhere_is_seen_in_the_filesystem_diff(run: Callable[[Spelling | None], Cell]) -> None:
    cell = run(_broken("writes_elsewhere"))
    misplaced = [p for p, role in cell.judgement.roles.items() if role == FileRole.MISPLACED]
    assert misplaced
    home = str(cell.facts["user_base"]).rsplit("/", 1)[0]
    assert all(p.startswith(f"{home}/elsewhere/") for p in misplaced)
