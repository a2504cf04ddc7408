"""The host backend, run for real on this machine's interpreters, in temporary directories only."""

from __future__ import annotations

import importlib.util
import inspect
import json
import ntpath
import os
import posixpath
import shutil
import stat
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest

from conformance.backend.host import (
    HostAccounts,
    HostBackend,
    HostPlatform,
    HostTarget,
    HostWriteError,
    _covering,
    _workbase,
    describe,
    host_targets,
)
from conformance.backend.hostenv import HostOS, cell_environment, profile_dirs, search_path
from conformance.backend.staging import MOUNT_POINT, Toolset
from conformance.backend.wheels import build_wheelhouse
from conformance.catalogue.accounts import Account
from conformance.matrix.cells import CellSpec
from conformance.run import probe
from conformance.run.cell import CellNotRun
from conformance.run.host import run_host_cell
from conformance.vocabulary import Verdict

#: This machine's interpreter behind the tests' venv.
PYTHON = str(getattr(sys, "_base_executable", sys.executable))
#: What installs by or for this machine's Python account would change in $HOME.
HOME_PATHS = (".local", ".cache/pip", ".config/pip", ".python_history")
WINDOWS = HostOS("nt", "win32")
MACOS = HostOS("posix", "darwin")
LINUX = HostOS("posix", "linux")
#: A Windows controller's own environment, as a GitHub runner's has it (mixed-case names, its own profile).
RUNNER_ENV = {
    "SystemRoot": "C:\\Windows",
    "ComSpec": "C:\\Windows\\system32\\cmd.exe",
    "PATHEXT": ".COM;.EXE;.BAT;.CMD",
    "Path": "C:\\hostedtoolcache\\windows\\Python\\3.12.10\\x64;C:\\Windows\\system32",
    "USERPROFILE": "C:\\Users\\runneradmin",
    "APPDATA": "C:\\Users\\runneradmin\\AppData\\Roaming",
    "PYTHONUSERBASE": "C:\\elsewhere",
    "PIP_USER": "1",
}


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
    return set(walked), {path: sig for path, sig in walked.items() if not stat.S_ISDIR(sig[0])}


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


@pytest.mark.parametrize("scenario", ["implicit", "no-user-override"])
def test_a_cell_that_may_write_the_interpreters_site_packages_is_refused(
    tools: Toolset, tmp_path: Path, scenario: str
) -> None:
    target = _venv_target(tmp_path)
    before = _walk([str(tmp_path / "venv")])
    spec = CellSpec(target.name, next(iter(_me().accounts)), scenario, "demo-pkg", "reference")
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
    with pytest.raises(HostWriteError, match=r"removed again.*\n  added .*written-by-a-cell"):
        backend.close()
    assert not Path(backend.scratch).exists()
    assert not Path(sites[0], "written-by-a-cell").exists()


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


def _path_module(host: HostOS, environ: dict[str, str]) -> ModuleType:
    """A private copy of ``host``'s path module (ntpath, posixpath) that reads ``environ`` as os.environ."""
    spec = importlib.util.find_spec("ntpath" if host.nt else "posixpath")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.os = SimpleNamespace(environ=environ, fspath=os.fspath)  # type: ignore[attr-defined]
    return module


def _cpython_user_base(host: HostOS, environ: dict[str, str], framework: str) -> str:
    """This interpreter's own ``sysconfig._getuserbase``, run as ``host`` runs it, with ``environ``."""
    path = _path_module(host, environ)
    fake_os = SimpleNamespace(name=host.os_name, environ=environ, path=path)
    fake_sys = SimpleNamespace(platform=host.platform, _framework=framework, version_info=sys.version_info)
    namespace = {"os": fake_os, "sys": fake_sys, "_get_implementation": lambda: "Python"}
    exec(inspect.getsource(sysconfig._getuserbase), namespace)  # type: ignore[attr-defined]
    return str(namespace["_getuserbase"]())  # type: ignore[operator]


@pytest.mark.parametrize(
    ("host", "home", "framework", "user_base"),
    [
        (WINDOWS, "C:\\T\\homes\\user", "", "C:\\T\\homes\\user\\AppData\\Roaming\\Python"),
        (MACOS, "/private/var/T/homes/user", "Python", "/private/var/T/homes/user/Library/Python/{v}"),
        (MACOS, "/private/var/T/homes/user", "", "/private/var/T/homes/user/.local"),
        (LINUX, "/tmp/T/homes/user", "", "/tmp/T/homes/user/.local"),
    ],
    ids=["windows", "macos-framework", "macos", "linux"],
)
def test_cpython_finds_the_user_base_and_home_in_the_cells_profile(
    host: HostOS, home: str, framework: str, user_base: str
) -> None:
    env = cell_environment(host, home, "/T/tmp", "user", (), RUNNER_ENV)
    version = ".".join(map(str, sys.version_info[:2]))
    assert _cpython_user_base(host, env, framework) == user_base.format(v=version)
    assert _path_module(host, env).expanduser("~") == home


def test_a_windows_cell_has_a_profile_and_the_machines_names_only() -> None:
    env = cell_environment(WINDOWS, "C:\\T\\homes\\user", "C:\\T\\tmp", "user", ["C:\\Py"], RUNNER_ENV)
    assert env == {
        "SYSTEMROOT": "C:\\Windows",
        "COMSPEC": "C:\\Windows\\system32\\cmd.exe",
        "PATHEXT": ".COM;.EXE;.BAT;.CMD",
        "HOME": "C:\\T\\homes\\user",
        "PATH": "C:\\Py;C:\\Windows\\system32;C:\\Windows;C:\\Windows\\System32\\Wbem;"
        "C:\\Windows\\System32\\WindowsPowerShell\\v1.0;C:\\Windows\\System32\\OpenSSH",
        "USERPROFILE": "C:\\T\\homes\\user",
        "HOMEDRIVE": "C:",
        "HOMEPATH": "\\T\\homes\\user",
        "APPDATA": "C:\\T\\homes\\user\\AppData\\Roaming",
        "LOCALAPPDATA": "C:\\T\\homes\\user\\AppData\\Local",
        "USERNAME": "user",
        "TEMP": "C:\\T\\tmp",
        "TMP": "C:\\T\\tmp",
    }


@pytest.mark.parametrize(
    ("host", "first", "path"),
    [
        (
            LINUX,
            ["/opt/py/bin", "/usr/bin"],
            "/opt/py/bin:/usr/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/sbin:/bin",
        ),
        (MACOS, ["/opt/py/bin"], "/opt/py/bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"),
        (
            WINDOWS,
            ["C:\\Py", "C:\\Py\\Scripts", "c:\\windows\\SYSTEM32"],
            "C:\\Py;C:\\Py\\Scripts;c:\\windows\\SYSTEM32;C:\\Windows;C:\\Windows\\System32\\Wbem;"
            "C:\\Windows\\System32\\WindowsPowerShell\\v1.0;C:\\Windows\\System32\\OpenSSH",
        ),
    ],
    ids=["linux", "macos", "windows"],
)
def test_path_is_the_interpreter_then_the_systems_own_directories_each_once(
    host: HostOS, first: list[str], path: str
) -> None:
    assert search_path(host, first, RUNNER_ENV) == path


def test_a_posix_cell_passes_nothing_of_the_controller() -> None:
    env = cell_environment(MACOS, "/h", "/t", "user", (), {**RUNNER_ENV, "HOME": "/Users/runner"})
    assert env == {
        "HOME": "/h",
        "PATH": search_path(MACOS, (), {}),
        "USER": "user",
        "LOGNAME": "user",
        "TMPDIR": "/t",
    }


def test_profiles_have_what_every_account_of_the_system_has() -> None:
    assert profile_dirs(WINDOWS, "C:\\h") == ("C:\\h\\AppData\\Roaming", "C:\\h\\AppData\\Local")
    assert profile_dirs(MACOS, "/h") == ("/h/Library",)
    assert profile_dirs(LINUX, "/h") == ()


def test_windows_runs_exe_launchers_and_a_venvs_scripts_python() -> None:
    windows = HostPlatform(interpreter="C:\\Py\\python.exe", host=WINDOWS)
    assert windows.program("C:\\stage/tools/uv") == ("C:\\stage/tools/uv.exe",)
    assert windows.python({}) == ("C:\\Py\\python.exe",)
    assert windows.python({"VIRTUAL_ENV": "C:\\h\\venv"}) == ("C:\\h\\venv\\Scripts\\python.exe",)
    linux = HostPlatform(interpreter="/usr/bin/python3", host=LINUX)
    assert linux.program("/stage/tools/uv") == ("/stage/tools/uv",)
    assert linux.python({"VIRTUAL_ENV": "/h/venv"}) == ("/h/venv/bin/python3",)


def test_each_system_runs_the_accounts_it_can_and_says_why_not_the_others() -> None:
    windows = HostAccounts.on(WINDOWS, -1, -1)
    assert [(a.name, a.uid) for a in windows.accounts.values()] == [("user", -1)]
    assert "no setuid" in windows.missing["root"]
    macos_user = HostAccounts.on(MACOS, 501, 20)
    assert list(macos_user.accounts) == ["user"] and "never escalates" in macos_user.missing["root"]
    macos_root = HostAccounts.on(MACOS, 0, 0)
    assert list(macos_root.accounts) == ["root"] and "only on Linux" in macos_root.missing["user"]


def test_windows_scheme_dirs_are_walked_once_whatever_their_case_or_drive() -> None:
    paths = ["C:\\P\\Include", "C:\\P\\include", "C:\\P\\Lib\\site-packages", "C:\\P\\Scripts", "D:\\S"]
    assert _covering(paths, ntpath) == (
        "C:\\P\\Include",
        "C:\\P\\Lib\\site-packages",
        "C:\\P\\Scripts",
        "D:\\S",
    )
    assert _covering([*paths, "c:\\p"], ntpath) == ("D:\\S", "c:\\p")
    assert _covering(["/p/lib", "/p", "/q"], posixpath) == ("/p", "/q")


def test_cells_work_below_the_temporary_directorys_real_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")  # as macOS's /var is /private/var
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "link"))
    assert _workbase().parent == tmp_path / "real"


def test_a_cells_processes_see_its_environment_only(tools: Toolset, tmp_path: Path) -> None:
    target = _venv_target(tmp_path)
    code = "import json, os, shutil; print(json.dumps([dict(os.environ), shutil.which('python3')]))"
    with HostBackend(target, tools, _me()) as backend:
        account = next(iter(backend.accounts.values()))
        env, python = json.loads(backend.exec([target.python, "-c", code], account).stdout)
        venv = {"VIRTUAL_ENV": "/v", "PATH": "/v/bin:/container/path"}
        activated = json.loads(backend.exec([target.python, "-c", code], account, venv).stdout)[0]
        shared = backend.platform.env  # observe's checks: the same, under each account's own HOME
    # LC_CTYPE is the child's own: CPython coerces the C locale to UTF-8 (PEP 538) and says so in it.
    assert set(env) - {"LC_CTYPE"} == {"HOME", "PATH", "USER", "LOGNAME", "TMPDIR"}
    assert env["HOME"] == account.home and env["TMPDIR"].startswith(str(Path(account.home).parent.parent))
    assert python == target.python  # what uv --system runs
    assert activated["PATH"] == f"/v/bin:{env['PATH']}"
    assert shared == {"PATH": env["PATH"], "TMPDIR": env["TMPDIR"]}
