"""The host backend, run for real on this machine's interpreters, in temporary directories only."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance.backend.host import (
    HostAccounts,
    HostBackend,
    HostTarget,
    HostWriteError,
    describe,
    host_targets,
)
from conformance.backend.staging import MOUNT_POINT, Toolset
from conformance.backend.wheels import build_wheelhouse
from conformance.catalogue.accounts import Account
from conformance.matrix.cells import CellSpec
from conformance.run import probe
from conformance.run.host import CellNotRun, run_host_cell
from conformance.vocabulary import Verdict

#: This machine's interpreter behind the tests' venv.
PYTHON = str(getattr(sys, "_base_executable", sys.executable))
#: What installs by or for this machine's Python account would change in $HOME.
HOME_PATHS = (".local", ".cache/pip", ".config/pip", ".python_history")


@pytest.fixture(scope="module")
def tools(tmp_path_factory: pytest.TempPathFactory) -> Toolset:
    """The probe and the wheelhouse, staged as for a container (the host backend uses them in place)."""
    root = tmp_path_factory.mktemp("stage")
    shutil.copy2(probe.__file__, root / "probe.py")
    build_wheelhouse(root / "wheelhouse")
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return Toolset(str(root), {}, {"wheelhouse": f"{MOUNT_POINT}/wheelhouse"})


def _me() -> HostAccounts:
    """Only the current account, as the name it has in the matrix."""
    name = "root" if os.geteuid() == 0 else "user"
    return HostAccounts({name: Account(name, os.geteuid(), os.getegid(), "")}, {})


def _walk(paths: list[str]) -> dict[str, probe.Signature]:
    return probe.walk([p for p in paths if os.path.isdir(p)])


def _content(paths: list[str]) -> tuple[set[str], dict[str, probe.Signature]]:
    """Every path, and every non-directory's signature (a directory's changes as entries come and go)."""
    walked = _walk(paths)
    return set(walked), {path: sig for path, sig in walked.items() if sig[0] != "dir"}


@pytest.fixture
def machine_untouched() -> Iterator[None]:
    """Fails the test if this machine's site-packages, scripts or $HOME changed while it ran."""
    home = os.path.expanduser("~")
    in_home = [os.path.join(home, name) for name in HOME_PATHS]
    watched = [*describe(PYTHON).scheme_roots, *in_home]
    before, existed = _walk(watched), [os.path.lexists(p) for p in in_home]
    yield
    assert _walk(watched) == before
    assert [os.path.lexists(p) for p in in_home] == existed


def _venv_target(tmp_path: Path, *, pip: bool = False) -> HostTarget:
    """A venv as an interpreter whose own site-packages this test may write: the machine's stay untouched."""
    venv = tmp_path / "venv"
    subprocess.run([PYTHON, "-m", "venv", *([] if pip else ["--without-pip"]), str(venv)], check=True)
    return describe(str(venv / "bin" / "python3"))


def test_targets_are_named_from_the_probe_and_told_apart() -> None:
    first, second = host_targets([PYTHON, PYTHON]).values()
    version = ".".join(map(str, sys.version_info[:2]))
    assert first.name == f"host-linux-cpython{version}"
    assert second.name == f"{first.name}-2"
    assert first.python == os.path.realpath(first.python) or os.path.exists(first.python)
    for root in first.scheme_roots:
        assert os.path.isabs(root)
        assert not any(root != other and root.startswith(other + os.sep) for other in first.scheme_roots)


def test_a_user_install_lands_in_the_cells_own_home(tools: Toolset, machine_untouched: None) -> None:
    target = describe(PYTHON)
    account = next(iter(_me().accounts))
    spec = CellSpec(target.name, account, "explicit-user-bsp", "demo-pkg", "pip")
    cell = run_host_cell(spec, target, tools, _me(), allow_system_writes=False)
    assert cell.verdict == Verdict.CONFORMS, cell.judgement.reasons
    user_base = str(cell.facts["user_base"])
    assert user_base.startswith(tempfile.gettempdir()) and not os.path.exists(user_base)  # removed at close
    assert {f.path.startswith(user_base) for f in cell.observation.files} == {True}
    assert {c.who: c.ok for c in cell.observation.imports} == {"same": True, "same -s": False}


@pytest.mark.skipif(not os.path.exists("/usr/bin/python3"), reason="no system python3")
def test_the_systems_own_pip_refuses_like_in_a_container(tools: Toolset, machine_untouched: None) -> None:
    target = describe("/usr/bin/python3")
    account = next(iter(_me().accounts))
    spec = CellSpec(target.name, account, "explicit-user", "demo-pkg", "pip")
    cell = run_host_cell(spec, target, tools, _me(), allow_system_writes=False)
    if cell.facts["externally_managed"]:
        assert cell.verdict == Verdict.CONFORMS
        assert cell.observation.command.error_class == "externally-managed"


def test_a_cell_that_may_write_the_interpreters_site_packages_is_refused(
    tools: Toolset, tmp_path: Path
) -> None:
    target = _venv_target(tmp_path)
    before = _walk([str(tmp_path / "venv")])
    spec = CellSpec(target.name, next(iter(_me().accounts)), "implicit", "demo-pkg", "reference")
    with pytest.raises(CellNotRun, match=r"own site-packages .*--host-allow-system-writes"):
        run_host_cell(spec, target, tools, _me(), allow_system_writes=False)
    assert _walk([str(tmp_path / "venv")]) == before


def test_with_the_flag_it_runs_and_what_it_added_is_taken_away(tools: Toolset, tmp_path: Path) -> None:
    target = _venv_target(tmp_path, pip=True)
    before = _content([str(tmp_path / "venv")])
    spec = CellSpec(target.name, next(iter(_me().accounts)), "implicit", "demo-pkg", "pip")
    cell = run_host_cell(spec, target, tools, _me(), allow_system_writes=True)
    assert cell.verdict == Verdict.CONFORMS, cell.judgement.reasons
    assert any(f.path.startswith(str(tmp_path / "venv")) for f in cell.observation.files)
    assert _content([str(tmp_path / "venv")]) == before


def test_the_guard_fails_a_cell_that_changed_the_machine(tools: Toolset, tmp_path: Path) -> None:
    target = _venv_target(tmp_path)
    account = next(iter(_me().accounts))
    backend = HostBackend(target, tools, _me()).start()
    sites = [r for r in target.scheme_roots if r.endswith("site-packages")]
    backend.exec(["touch", f"{sites[0]}/written-by-a-cell"], Account(account, 0, 0, ""))
    with pytest.raises(HostWriteError, match=r"added .*written-by-a-cell"):
        backend.close()
    assert not Path(backend.scratch).exists()


def test_an_account_that_cannot_reach_the_interpreter_is_not_run(tools: Toolset, tmp_path: Path) -> None:
    target = _venv_target(tmp_path)
    tmp_path.chmod(0o700)  # another account cannot reach the venv's python3
    accounts = HostAccounts.here()
    if os.geteuid() != 0:
        assert set(accounts.accounts) == {"user"} and "not root" in accounts.missing["root"]
        return
    reachable = accounts.for_target(target, tools.root)
    assert "root" in reachable.accounts
    assert "cannot run" in reachable.missing["user"]
    spec = CellSpec(target.name, "user", "explicit-user", "demo-pkg", "pip")
    with pytest.raises(CellNotRun, match=r"user on host-.*cannot run"):
        run_host_cell(spec, target, tools, reachable, allow_system_writes=False)
