"""Adding an installer is a catalogue edit plus, for a new program, one staging function: nothing else."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance.backend.staging import STAGERS, Staged, Toolset, stage
from conformance.catalogue import installers
from conformance.catalogue.accounts import ACCOUNTS
from conformance.catalogue.installers import INSTALLERS, Installer, Spelling, Staging, VersionSource
from conformance.catalogue.scenarios import SCENARIOS, Intent
from conformance.catalogue.targets import TARGETS
from conformance.matrix.cells import all_specs
from conformance.matrix.selection import Selection
from conformance.run.cell import installer_version
from conformance.run.facts import InterpreterFacts
from conformance.run.invocation import after_invocation, install_invocation
from tests.backend.offline import REQUESTED, offline_cache

TOY = Installer(
    "toy",
    VersionSource.STAGED,
    ("--no-index", "--find-links", "{wheelhouse}"),
    {"TOY_NO_CONFIG": "1"},
    staging=Staging("toy-script", "toy"),
)
TOY_USER = Spelling(
    "toy-user",
    TOY,
    Intent.USER,
    ("{python}", "{toy}", "install", "--user"),
    ("{python}", "{toy}", "uninstall", "-y"),
)


def _stage_toy(staging: Staging, requested: str | None, tools: Path) -> Staged:
    (tools / "toy.py").write_text("raise SystemExit('a toy installer')\n")
    return Staged("toy.py", "1.2.3")


def _edit(monkeypatch: pytest.MonkeyPatch, name: str, value: object) -> None:
    """Rebind a catalogue constant in every module that imported it, as an edit of the catalogue would."""
    original = getattr(installers, name)
    for module in [m for n, m in sys.modules.items() if n.split(".")[0] == "conformance"]:
        for attr, bound in list(vars(module).items()):
            if bound is original:
                monkeypatch.setattr(module, attr, value)


@pytest.fixture(scope="module")
def toolset(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Toolset]:
    """The catalogue with the toy installer and its spelling added, staged once for this module's tests."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setitem(INSTALLERS, TOY.name, TOY)
        spellings = (*installers.SPELLINGS, TOY_USER)
        _edit(monkeypatch, "SPELLINGS", spellings)
        _edit(monkeypatch, "SPELLING_NAMES", tuple(dict.fromkeys(s.name for s in spellings)))
        monkeypatch.setitem(STAGERS, "toy-script", _stage_toy)
        offline_cache(monkeypatch, tmp_path_factory.mktemp("cache"))
        yield stage(REQUESTED)


def test_it_is_selectable_and_its_cells_are_in_the_matrix(toolset: Toolset) -> None:
    chosen = [spec.id for spec in Selection.from_options({"installers": "toy"}).cells()]
    assert "debian-bookworm/user/explicit-user/demo-pkg/toy-user" in chosen
    assert "ubuntu-noble/root/uninstall/demo-pkg/toy-user" in chosen
    assert all(cell.endswith("/toy-user") for cell in chosen)
    assert [spec.id for spec in Selection.from_options({"spellings": "toy-user"}).cells()] == chosen
    assert set(chosen) == {s.id for s in all_specs(list(TARGETS)) if s.spelling == "toy-user"}


def test_staging_calls_its_function_and_records_its_version(toolset: Toolset) -> None:
    assert (Path(toolset.root) / "tools" / "toy.py").is_file()
    assert toolset.versions["toy"] == "1.2.3"
    assert toolset.placeholders["toy"] == "/opt/conformance/tools/toy.py"


def test_its_commands_render_with_its_placeholders(toolset: Toolset, host_facts: InterpreterFacts) -> None:
    user = ACCOUNTS["user"]
    install = install_invocation(TOY_USER, SCENARIOS["explicit-user"], user, "demo-pkg", toolset, host_facts)
    toy = ("python3", "/opt/conformance/tools/toy.py")
    source = ("--no-index", "--find-links", "/opt/conformance/wheelhouse")
    assert install.argv == (*toy, "install", "--user", *source, "demo-pkg")
    assert install.env == {"TOY_NO_CONFIG": "1"}
    uninstall = after_invocation(TOY_USER, SCENARIOS["uninstall"], user, "demo-pkg", toolset, host_facts)
    assert uninstall.argv == (*toy, "uninstall", "-y", "demo-pkg")


def test_its_cells_record_its_version(toolset: Toolset, host_facts: InterpreterFacts) -> None:
    assert installer_version("toy", toolset, host_facts) == "1.2.3"
