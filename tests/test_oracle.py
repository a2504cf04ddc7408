"""The oracle can fail: deliberately broken installers, run in real containers, each get a failing verdict."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from conformance.backend.container import TargetContainer
from conformance.backend.pool import ContainerPool
from conformance.backend.protocol import Backend, Placement
from conformance.backend.staging import Toolset
from conformance.catalogue.installers import BROKEN_INSTALLER, Spelling
from conformance.catalogue.scenarios import Intent
from conformance.matrix.cells import CellSpec
from conformance.record.cell import Cell
from conformance.run.cell import NextStage, run_cell
from conformance.vocabulary import FileRole, Verdict

pytestmark = pytest.mark.docker

#: Targets the oracle runs on: a Linux distribution, and Windows binaries under Wine.
ORACLE_TARGETS = ("debian-bookworm", "windows-cpython3.13-wine")


def _broken(script: str) -> Spelling:
    argv = ("{python}", f"{{broken}}/{script}.py", "install", "--user")
    return Spelling(f"broken-{script}", BROKEN_INSTALLER, Intent.USER, argv)


@pytest.fixture(params=ORACLE_TARGETS)
def spec(request: pytest.FixtureRequest) -> CellSpec:
    """A cell where pip installs into the user scheme for real, so a correct installer would conform."""
    return CellSpec(str(request.param), "user", "explicit-user-bsp", "demo-pkg", "pip")


@pytest.fixture
def run(
    spec: CellSpec, target_images: Callable[[str], str], toolset: Toolset, container_pool: ContainerPool
) -> Callable[[Spelling | None], Cell]:
    def execute(spelling: Spelling | None) -> Cell:
        container = container_pool.take(target_images(spec.target))
        try:
            return run_cell(spec, container, toolset, spelling)
        finally:
            container_pool.release(container)

    return execute


def _next_stage(pool: ContainerPool, source: TargetContainer, copies: bool) -> NextStage:
    @contextmanager
    def stage(directory: str | None, to: Placement | None) -> Iterator[Backend]:
        with pool.next_stage(source, directory if copies else None, to) as container:
            yield container

    return stage


@pytest.mark.parametrize("target", ORACLE_TARGETS)
def test_a_next_stage_without_the_copy_is_flagged(
    target: str, target_images: Callable[[str], str], toolset: Toolset, container_pool: ContainerPool
) -> None:
    # The imports of a multi-stage cell run in the next stage: with the user base copied pip conforms,
    # without it the same install does not import there.
    spec = CellSpec(target, "user", "next-stage-user-base", "demo-pkg", "pip")
    cells = []
    for copies in (True, False):
        container = container_pool.take(target_images(target))
        try:
            cells.append(
                run_cell(spec, container, toolset, next_stage=_next_stage(container_pool, container, copies))
            )
        finally:
            container_pool.release(container)
    copied, not_copied = cells
    assert copied.verdict == Verdict.CONFORMS, copied.judgement.reasons
    assert not_copied.verdict == Verdict.BROKEN, not_copied.judgement.reasons
    assert any("does not import" in reason for reason in not_copied.judgement.reasons), (
        not_copied.judgement.reasons
    )


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
    # In ~/elsewhere (a path of the target's own form: POSIX, or Windows), outside every scheme.
    slots = {f.path: f.slots for f in cell.observation.files}
    assert all("elsewhere" in p.replace("\\", "/").split("/") and not slots[p] for p in misplaced)
