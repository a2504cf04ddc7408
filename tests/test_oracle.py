"""The oracle can fail: deliberately broken installers, run in real containers, each get a failing verdict."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conformance.backend.container import TargetContainer
from conformance.backend.staging import Toolset
from conformance.catalogue.installers import Installer, Spelling
from conformance.catalogue.scenarios import Intent
from conformance.judge.verdict import BROKEN, CONFORMS, DAMAGES
from conformance.matrix.cells import CellSpec
from conformance.record.cell import Cell
from conformance.run.cell import run_cell

pytestmark = pytest.mark.docker

BROKEN_INSTALLER = Installer(
    "broken", "a deliberately broken installer", ("--no-index", "--find-links", "{wheelhouse}")
)
#: A cell where pip installs into the user scheme for real, so a correct installer would conform.
SPEC = CellSpec("debian-bookworm", "user", "explicit-user-bsp", "demo-pkg", "pip")


def _broken(script: str) -> Spelling:
    argv = ("{python}", f"{{broken}}/{script}.py", "install", "--user")
    return Spelling(f"broken-{script}", BROKEN_INSTALLER, Intent.USER, argv)


@pytest.fixture
def run(
    target_images: Callable[[str], str], toolset: Toolset, run_id: str
) -> Callable[[Spelling | None], Cell]:
    def execute(spelling: Spelling | None) -> Cell:
        with TargetContainer(target_images(SPEC.target), toolset.root, run_id) as container:
            return run_cell(SPEC, container, toolset, spelling)

    return execute


def test_pip_conforms_in_the_oracles_cell(run: Callable[[Spelling | None], Cell]) -> None:
    cell = run(None)
    assert cell.verdict == CONFORMS, cell.judgement.reasons


@pytest.mark.parametrize(
    ("script", "verdict", "reason"),
    [
        ("writes_elsewhere", BROKEN, "does not import"),
        ("partial_install", DAMAGES, "after writing"),
        ("noop", BROKEN, "nothing of the package landed"),
    ],
)
def test_broken_installers_are_flagged(
    run: Callable[[Spelling | None], Cell], script: str, verdict: str, reason: str
) -> None:
    cell = run(_broken(script))
    assert cell.verdict == verdict, cell.judgement.reasons
    assert any(reason in r for r in cell.judgement.reasons), cell.judgement.reasons


def test_writing_elsewhere_is_seen_in_the_filesystem_diff(run: Callable[[Spelling | None], Cell]) -> None:
    cell = run(_broken("writes_elsewhere"))
    misplaced = [p for p, role in cell.judgement.roles.items() if role == "misplaced"]
    assert misplaced
    home = str(cell.facts["user_base"]).rsplit("/", 1)[0]
    assert all(p.startswith(f"{home}/elsewhere/") for p in misplaced)
