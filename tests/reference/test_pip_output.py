"""The zipapp's output beside pip 26's, line for line: the same inputs, the same home, the same tree.

The same goes for ``freeze`` and ``show``, which read what the set-up installed.

pip is the wheel the matrix runs as pip-latest, unpacked once so that its bytecode is cached between
runs; it is downloaded (once, into the project's cache) at the version the recorded matrix ran. Only the first
``-v`` line, naming the installer, may differ; failures are compared by their first line (the reference
adds a way out).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest

from conformance.backend.staging import download_wheel
from conformance.paths import EXPECTATIONS_DIR
from conformance.record.expectations import Expectations

from .support import PYTHONS, run, tree
from .wheelmaker import make_wheel

PY311 = PYTHONS["3.11"]
#: What pip and the reference both run with: no config, no version check, no root warning, no cache.
ENV = {
    "PIP_CONFIG_FILE": os.devnull,
    "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    "PIP_NO_CACHE_DIR": "1",
    "PIP_ROOT_USER_ACTION": "ignore",
}


pytestmark = pytest.mark.skipif(not PY311.exists(), reason="needs pyenv's Python 3.11 (the machine's own)")


@pytest.fixture(scope="session")
def pip_wheel() -> Path:
    """The pip wheel the recorded matrix ran as pip-latest, downloaded once like staging does."""
    return download_wheel("pip", Expectations.load(EXPECTATIONS_DIR).versions["pip-latest"])


@pytest.fixture(scope="session")
def pip_dir(tmp_path_factory: pytest.TempPathFactory, pip_wheel: Path) -> Path:
    """pip's package, unpacked: ``python <dir>/pip`` puts its parent on sys.path, as from the wheel."""
    root = tmp_path_factory.mktemp("pip")
    with zipfile.ZipFile(pip_wheel) as wheel:
        wheel.extractall(root)
    return root / "pip"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory, wheelhouse: Path) -> Path:
    """The working directory of every run: the fixture wheels, more wheels, requirements files."""
    root = tmp_path_factory.mktemp("pip-output")
    shutil.copytree(wheelhouse, root / "wh")
    links = root / "links"
    make_wheel(links, "aa", requires=["bb>=1"])
    make_wheel(links, "bb", requires=["cc"])
    make_wheel(links, "cc")
    make_wheel(links, "app", requires=["opt; extra == 'x'", "always"], provides_extra=["x"])
    make_wheel(links, "opt")
    make_wheel(links, "always")
    make_wheel(links, "proj", "1.0")
    make_wheel(links, "proj", "2.0")
    (root / "req.txt").write_text("aa  # the chain\n\n-r sub/more.txt\n")
    (root / "sub").mkdir()
    (root / "sub" / "more.txt").write_text("# found beside this file\n-f ../links\napp[x]\nproj==\\\n1.0\n")
    return root


def _run(program: Path, args: Sequence[str], home: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run([PY311, program, "install", "--user", "--no-index", *args], home, ENV, cwd=cwd)


def outcome(
    program: Path, setup: Sequence[Sequence[str]], args: Sequence[str], home: Path, cwd: Path, pyz: Path
) -> tuple[int, list[str], list[str], set[str]]:
    """Exit status, stdout and stderr lines, and the home's tree, after the set-up installs.

    The set-up is the reference's (pip takes seconds to start): what is installed is the same.
    """
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir()
    for before in setup:
        assert _run(pyz, ["-q", *before], home, cwd).returncode == 0
    result = _run(program, args, home, cwd)
    out = result.stdout.splitlines()
    if out and out[0].startswith("Using "):
        out[0] = "Using <installer>"
    return result.returncode, out, result.stderr.splitlines(), tree(home)


SCENARIOS: dict[str, tuple[list[list[str]], list[str]]] = {
    "dependencies-first": ([], ["-f", "wh", "demo-app"]),
    "several-in-pips-order": ([], ["-f", "wh", "demo-pkg", "demo-app", "demo-plat"]),
    "path-warning": ([], ["-f", "wh", "demo-pkg"]),
    "quiet": ([], ["-q", "-f", "wh", "demo-pkg", "demo-app"]),
    "quieter": ([], ["-qq", "-f", "wh", "demo-pkg"]),
    "no-warn-script-location": ([], ["--no-warn-script-location", "-f", "wh", "demo-pkg"]),
    "verbose": ([], ["-v", "-f", "wh", "demo-pkg", "demo-app"]),
    "from-chains": ([], ["-f", "links", "aa >= 0.5"]),
    "already-satisfied": ([["-f", "links", "aa"]], ["-f", "links", "aa"]),
    "upgrade-up-to-date": ([["-f", "wh", "demo-app"]], ["-U", "-f", "wh", "demo-app"]),
    "upgrade-to-newer": ([["-f", "links", "proj==1.0"]], ["--upgrade", "-f", "links", "proj"]),
    "downgrade": ([["-f", "links", "proj"]], ["-f", "links", "proj==1.0"]),
    "force-reinstall": ([["-f", "wh", "demo-app"]], ["--force-reinstall", "-f", "wh", "demo-app"]),
    "force-reinstall-verbose": (
        [["-f", "wh", "demo-base"]],
        ["-v", "--force-reinstall", "-f", "wh", "demo-base"],
    ),
    "force-reinstall-no-deps": (
        [["-f", "wh", "demo-app"]],
        ["--force-reinstall", "--no-deps", "-f", "wh", "demo-app"],
    ),
    "no-deps": ([], ["--no-deps", "-f", "wh", "demo-app"]),
    "requirements-file": ([], ["-r", "req.txt"]),
    "requirements-file-satisfied": ([["-f", "links", "aa"]], ["-r", "req.txt", "-f", "wh", "demo-base"]),
    "wheel-path": ([], ["wh/demo_app-1.0-py3-none-any.whl", "-f", "wh"]),
    "wheel-path-same-version": ([["-f", "wh", "demo-app"]], ["-f", "wh", "wh/demo_app-1.0-py3-none-any.whl"]),
}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_same_output_as_pip(scenario: str, workdir: Path, pyz: Path, pip_dir: Path, tmp_path: Path) -> None:
    setup, args = SCENARIOS[scenario]
    home = tmp_path / "home"
    pip = outcome(pip_dir, setup, args, home, workdir, pyz)
    reference = outcome(pyz, setup, args, home, workdir, pyz)
    assert pip[0] == 0, pip
    assert reference[:3] == pip[:3]
    assert reference[3] == pip[3]


@pytest.mark.parametrize(
    "args",
    [
        ["-r", "missing.txt"],
        ["-f", "wh", "no-such-project"],
        ["-qqq", "-f", "wh", "no-such-project"],
        ["-f", "wh"],
    ],
)
def test_same_first_error_line_as_pip(
    args: list[str], workdir: Path, pyz: Path, pip_dir: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    pip = outcome(pip_dir, [], args, home, workdir, pyz)
    reference = outcome(pyz, [], args, home, workdir, pyz)
    assert (reference[0], reference[2][:1]) == (pip[0], pip[2][:1])
    assert reference[1] == pip[1]


#: Read-only commands, run by both on one home holding demo-app and demo-base (by name) and demo-pkg
#: (by path, so with a direct_url.json). pip runs from its unpacked wheel, whose pip-26.3.dist-info is
#: first on its sys.path: harmless, as freeze skips pip and no project shown depends on it.
QUERIES: dict[str, list[str]] = {
    "freeze": ["freeze"],
    "freeze-user": ["freeze", "--user"],
    "show": ["show", "demo-app", "demo-base"],
    "show-not-found": ["show", "no-such-project"],
    "show-nothing": ["show"],
}


def query(program: Path, args: Sequence[str], home: Path, cwd: Path) -> tuple[int, list[str], list[str]]:
    """Exit status, stdout and stderr lines of a command that installs nothing."""
    result = run([PY311, program, *args], home, ENV, cwd=cwd)
    return result.returncode, result.stdout.splitlines(), result.stderr.splitlines()


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_same_query_output_as_pip(name: str, workdir: Path, pyz: Path, pip_dir: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    for setup in (["-f", "wh", "demo-app"], ["wh/demo_pkg-1.0-py3-none-any.whl"]):
        assert _run(pyz, ["-q", *setup], home, workdir).returncode == 0
    pip = query(pip_dir, QUERIES[name], home, workdir)
    assert query(pyz, QUERIES[name], home, workdir) == pip
    if name == "freeze-user":
        assert [line.partition(" @ ")[0] for line in pip[1]] == [
            "demo-app==1.0",
            "demo-base==1.0",
            "demo-pkg",
        ]
