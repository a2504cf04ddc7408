"""The zipapp end to end, in subprocesses, with HOME and the user base in tmp: beside real pip too."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from .support import PYTHONS, run, tree
from .wheelmaker import make_wheel

PY311 = PYTHONS["3.11"]
DEBIAN_PYTHON = Path("/usr/bin/python3")
NOBODY = ("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups")
PIP_ENV = {"PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_CACHE_DIR": "1"}

needs_pyenv = pytest.mark.skipif(
    not all(p.exists() for p in PYTHONS.values()), reason="needs the pyenv Pythons 3.10-3.13 of this machine"
)
needs_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("setpriv") is None,
    reason="needs root and setpriv to run as another user",
)
pytestmark = needs_pyenv


def install(
    pyz: Path,
    home: Path,
    *args: str,
    python: Path = PY311,
    extra: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    return run([python, pyz, "install", *args], home, extra)


def site(home: Path, version: str = "3.11") -> Path:
    return home / ".local" / "lib" / f"python{version}" / "site-packages"


def test_explicit_user_install_and_its_script(pyz: Path, home: Path, wheelhouse: Path) -> None:
    result = install(pyz, home, "--user", "--no-index", "-f", str(wheelhouse), "demo-pkg")
    assert result.returncode == 0, result.stderr
    assert (site(home) / "demo_pkg" / "cli.py").is_file()
    assert (home / ".local" / "include" / "python3.11" / "demo-pkg" / "demo.h").is_file()
    assert (home / ".local" / "share" / "demo-pkg" / "demo.txt").is_file()
    script = run([home / ".local" / "bin" / "demo-cli"], home)
    assert script.stdout == "demo-cli ok\n", script.stderr
    assert run([PY311, "-c", "import demo_pkg; print(demo_pkg.__file__)"], home).stdout.startswith(
        str(site(home))
    )


def test_pythonuserbase(pyz: Path, home: Path, wheelhouse: Path, tmp_path: Path) -> None:
    base = tmp_path / "user base ü"
    result = install(
        pyz, home, "--user", "-f", str(wheelhouse), "demo-pkg", extra={"PYTHONUSERBASE": str(base)}
    )
    assert result.returncode == 0, result.stderr
    assert (base / "lib" / "python3.11" / "site-packages" / "demo_pkg").is_dir()
    assert tree(home) == set()
    # A space in the interpreter path is not involved, so the shebang is a plain one.
    script = run([base / "bin" / "demo-cli"], home, {"PYTHONUSERBASE": str(base)})
    assert script.stdout == "demo-cli ok\n", script.stderr


def test_dependencies_then_already_satisfied(pyz: Path, home: Path, wheelhouse: Path) -> None:
    first = install(pyz, home, "--user", "-f", str(wheelhouse), "demo-app")
    assert "Successfully installed demo-app-1.0 demo-base-1.0" in first.stdout, first.stderr
    second = install(pyz, home, "--user", "-f", str(wheelhouse), "demo-app")
    assert second.returncode == 0
    assert "Requirement already satisfied: demo-app in" in second.stdout
    assert "Requirement already satisfied: demo-base>=1.0 in" in second.stdout
    assert "(from demo-app) (1.0)" in second.stdout
    assert "Successfully installed" not in second.stdout


def test_upgrade_replaces_an_old_user_copy(pyz: Path, home: Path, tmp_path: Path) -> None:
    links = tmp_path / "links"
    make_wheel(links, "proj", "1.0", files={"proj/__init__.py": b"", "proj/gone.py": b""})
    assert install(pyz, home, "--user", "-f", str(links), "proj").returncode == 0
    make_wheel(links, "proj", "2.0", files={"proj/__init__.py": b"", "proj/new.py": b""})
    result = install(pyz, home, "--user", "-U", "-f", str(links), "proj")
    assert "Successfully uninstalled proj-1.0" in result.stdout, result.stderr
    assert sorted(p.name for p in site(home).iterdir()) == ["proj", "proj-2.0.dist-info"]
    assert sorted(p.name for p in (site(home) / "proj").iterdir()) == ["__init__.py", "__pycache__", "new.py"]


def test_list_user(pyz: Path, home: Path, wheelhouse: Path) -> None:
    install(pyz, home, "--user", "-f", str(wheelhouse), "demo-app")
    listed = run([PY311, pyz, "list", "--user"], home)
    assert listed.stdout.splitlines() == [
        "Package   Version",
        "--------- -------",
        "demo-app  1.0",
        "demo-base 1.0",
    ]


def test_freeze_and_show_user(pyz: Path, home: Path, wheelhouse: Path) -> None:
    install(pyz, home, "--user", "-f", str(wheelhouse), "demo-app")
    frozen = run([PY311, pyz, "freeze", "--user"], home)
    assert (frozen.returncode, frozen.stdout.splitlines()) == (0, ["demo-app==1.0", "demo-base==1.0"])
    shown = run([PY311, pyz, "show", "demo-base", "no-such-project"], home)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[:2] == ["Name: demo-base", "Version: 1.0"]
    assert lines[-3:] == [f"Location: {site(home)}", "Requires: ", "Required-by: demo-app"]
    assert shown.stderr == "WARNING: Package(s) not found: no-such-project\n"
    nothing = run([PY311, pyz, "show", "no-such-project"], home)
    assert (nothing.returncode, nothing.stdout) == (1, "")


def test_bad_input_leaves_nothing(pyz: Path, home: Path, wheelhouse: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    make_wheel(
        broken, "demo-base", record=lambda rows: [r.replace("sha256=", "sha256=AAAA", 1) for r in rows]
    )
    cases = [
        ("--user", "-f", str(broken), "demo-base"),
        ("--user", "-f", str(wheelhouse), "no-such-project"),
        ("--user", str(tmp_path / "missing-1.0-py3-none-any.whl")),
        ("--user", "-f", str(wheelhouse), "demo-pkg>9"),
    ]
    for args in cases:
        result = install(pyz, home, *args)
        assert result.returncode == 1, args
        assert result.stderr.startswith("ERROR: "), result.stderr
    assert tree(home) == set()
    usage = install(pyz, home, "--bogus", "demo-pkg")
    assert usage.returncode == 2 and "no such option: --bogus" in usage.stderr


@pytest.mark.parametrize("version", ["3.10", "3.13"])
def test_other_pythons(pyz: Path, home: Path, wheelhouse: Path, version: str) -> None:
    python = PYTHONS[version]
    result = install(pyz, home, "--user", "-f", str(wheelhouse), "demo-app", "demo-plat", python=python)
    assert result.returncode == 0, result.stderr
    assert (site(home, version) / "demo_plat").is_dir()
    check = run([python, "-c", "import demo_app, demo_base, demo_plat"], home)
    assert check.returncode == 0, check.stderr
    tag = f"cpython-{version.replace('.', '')}"
    assert (site(home, version) / "demo_app" / "__pycache__" / f"__init__.{tag}.pyc").is_file()


@pytest.fixture(scope="module")
def venvs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("venvs")
    made = {}
    for name, flags in (("isolated", []), ("system", ["--system-site-packages"])):
        subprocess.run(
            [str(PYTHONS["3.12"]), "-m", "venv", "--without-pip", *flags, str(root / name)], check=True
        )
        made[name] = root / name
    return made


def test_venv_implicit_install_goes_into_the_venv(
    pyz: Path, home: Path, wheelhouse: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    subprocess.run([str(PYTHONS["3.12"]), "-m", "venv", "--without-pip", str(venv)], check=True)
    result = install(pyz, home, "-f", str(wheelhouse), "demo-pkg", python=venv / "bin" / "python")
    assert result.returncode == 0, result.stderr
    assert (venv / "lib" / "python3.12" / "site-packages" / "demo_pkg").is_dir()
    assert (venv / "include" / "site" / "python3.12" / "demo-pkg" / "demo.h").is_file()
    assert (venv / "bin" / "demo-cli").read_text().startswith(f"#!{venv}/bin/python\n")
    assert tree(home) == set()


def test_venv_user_install_is_refused(
    pyz: Path, home: Path, wheelhouse: Path, venvs: dict[str, Path]
) -> None:
    result = install(
        pyz, home, "--user", "-f", str(wheelhouse), "demo-pkg", python=venvs["isolated"] / "bin" / "python"
    )
    assert result.returncode == 1
    assert (
        "Can not perform a '--user' install. User site-packages are not visible in this virtualenv."
        in result.stderr
    )
    assert tree(home) == set()


def test_system_site_venv_user_install(
    pyz: Path, home: Path, wheelhouse: Path, venvs: dict[str, Path]
) -> None:
    python = venvs["system"] / "bin" / "python"
    result = install(pyz, home, "--user", "-f", str(wheelhouse), "demo-pkg", python=python)
    assert result.returncode == 0, result.stderr
    local = home / ".local"
    assert (local / "lib" / "python3.12" / "site-packages" / "demo_pkg").is_dir()
    # pip's venv special case: headers under <user base>/include/site/pythonX.Y/<name>.
    assert (local / "include" / "site" / "python3.12" / "demo-pkg" / "demo.h").is_file()
    assert (local / "bin" / "demo-cli").read_text().startswith(f"#!{python}\n")


@pytest.mark.parametrize(("flag", "extra"), [("-s", {}), ("-I", {}), (None, {"PYTHONNOUSERSITE": "1"})])
def test_user_site_disabled(
    pyz: Path, home: Path, wheelhouse: Path, flag: str | None, extra: dict[str, str]
) -> None:
    argv: list[str | Path] = [
        PY311,
        *([flag] if flag else []),
        pyz,
        "install",
        "--user",
        "-f",
        wheelhouse,
        "demo-pkg",
    ]
    result = run(argv, home, extra)
    assert result.returncode == 1
    assert (
        "Can not perform a '--user' install. User site-packages are disabled for this Python."
        in result.stderr
    )
    assert tree(home) == set()


@needs_root
def test_uid_mismatch_disables_the_user_site(pyz: Path, home: Path, wheelhouse: Path) -> None:
    argv: list[str | Path] = [
        "setpriv",
        "--ruid=65534",
        PY311,
        pyz,
        "install",
        "--user",
        "-f",
        wheelhouse,
        "demo-pkg",
    ]
    result = run(argv, home)
    assert result.returncode == 1
    assert "User site-packages are disabled for this Python." in result.stderr


@pytest.mark.parametrize("fixture", ["demo-pkg", "demo-plat", "demo-app", "demo-ns"])
def test_same_landing_and_uninstall_as_pip(pyz: Path, tmp_path: Path, wheelhouse: Path, fixture: str) -> None:
    homes = {}
    for installer in ("pip", "reference"):
        home = tmp_path / installer
        home.mkdir()
        (home / "keep").write_text("")
        tool = ["-m", "pip"] if installer == "pip" else [str(pyz)]
        result = run(
            [PY311, *tool, "install", "--user", "--no-index", "-f", wheelhouse, fixture], home, PIP_ENV
        )
        assert result.returncode == 0, result.stderr
        homes[installer] = home
    assert tree(homes["reference"]) == tree(homes["pip"])
    for installer, home in homes.items():
        tool = ["-m", "pip"] if installer == "pip" else [str(pyz)]
        for dist in (fixture, "demo-base") if fixture == "demo-app" else (fixture,):
            result = run([PY311, *tool, "uninstall", "-y", dist], home, PIP_ENV)
            assert result.returncode == 0, result.stderr
    assert tree(homes["reference"]) == tree(homes["pip"])


@pytest.fixture
def shared_dir(pyz: Path, wheelhouse: Path) -> Iterator[Path]:
    """A directory another user can read (pytest's tmp dirs are private to root), removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix="reference-e2e-"))
    try:
        root.chmod(0o755)
        shutil.copy(pyz, root / "reference.pyz")
        shutil.copytree(wheelhouse, root / "wheelhouse")
        for path in [root, *root.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        for name in ("home-pip", "home-reference"):
            (root / name).mkdir()
            os.chown(root / name, 65534, 65534)
        yield root
    finally:
        shutil.rmtree(root)


@needs_root
@pytest.mark.skipif(
    not Path("/usr/lib/python3.11/EXTERNALLY-MANAGED").exists() or not DEBIAN_PYTHON.exists(),
    reason="needs Debian bookworm's own python3 with its PEP 668 marker",
)
def test_debian_python_as_a_normal_user(shared_dir: Path) -> None:
    """Debian's python3 as uid 65534: PEP 668 refuses, and the override falls back to the user scheme."""
    home = shared_dir / "home-reference"
    base = [
        *NOBODY,
        str(DEBIAN_PYTHON),
        str(shared_dir / "reference.pyz"),
        "install",
        "--no-index",
        "-f",
        str(shared_dir / "wheelhouse"),
    ]
    refused = run([*base, "demo-pkg"], home, cwd=shared_dir)
    assert refused.returncode == 1
    assert "externally-managed-environment" in refused.stderr and "--break-system-packages" in refused.stderr
    assert tree(home) == set()
    allowed = run([*base, "--break-system-packages", "demo-pkg"], home, cwd=shared_dir)
    assert allowed.returncode == 0, allowed.stderr
    assert (
        allowed.stdout.splitlines()[0]
        == "Defaulting to user installation because normal site-packages is not writeable"
    )
    assert (home / ".local" / "lib" / "python3.11" / "site-packages" / "demo_pkg").is_dir()
    pip = shared_dir / "home-pip"
    has_pip = subprocess.run([str(DEBIAN_PYTHON), "-m", "pip", "--version"], capture_output=True, check=False)
    if has_pip.returncode == 0:
        argv = [
            *NOBODY,
            str(DEBIAN_PYTHON),
            "-m",
            "pip",
            "install",
            "--break-system-packages",
            "--no-index",
            "-f",
            str(shared_dir / "wheelhouse"),
            "demo-pkg",
        ]
        result = run(argv, pip, PIP_ENV, cwd=shared_dir)
        assert result.returncode == 0, result.stderr
        assert tree(home) == tree(pip)


def test_console_script_of_an_interpreter_path_with_a_space(
    pyz: Path, home: Path, wheelhouse: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "my venv"
    subprocess.run([str(PYTHONS["3.12"]), "-m", "venv", "--without-pip", str(venv)], check=True)
    result = install(pyz, home, "-f", str(wheelhouse), "demo-pkg", python=venv / "bin" / "python")
    assert result.returncode == 0, result.stderr
    script = venv / "bin" / "demo-cli"
    trampoline = f"#!/bin/sh\n'''exec' \"{venv}/bin/python\" \"$0\" \"$@\"\n' '''\n"
    assert script.read_text().startswith(trampoline)
    assert run([script], home).stdout == "demo-cli ok\n"
