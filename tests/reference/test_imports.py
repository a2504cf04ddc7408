"""Each command of the zipapp imports only what its path needs: imports are most of an install's time.

Checked with ``-X importtime`` on the real command line, minus what the interpreter imports on its own
(site hooks of the host). No timings are asserted here; speed is measured by the benchmarks.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .support import PYTHONS, run

#: Not needed to install a project by name with a bare requirement, no dependencies and nothing to replace.
NOT_FOR_INSTALL = (
    # A bare name needs no requirement parser or specifiers, one plain py3-none-any wheel no version
    # parsing or tags: packaging.tags alone (logging, platform, subprocess) outweighs the install.
    "packaging",
    "argparse",  # argv.py parses the command line
    "logging",  # packaging.tags' only
    "importlib.metadata",  # only installed copies have their metadata read
    "json",  # only a wheel given by path gets a direct_url.json
    "urllib.request",
    "conformance.reference.uninstall",  # nothing is replaced
    "conformance.reference.listing",
    "conformance.reference.reqfile",  # only -r reads requirements files
)
#: ``list`` reads installed metadata; it installs and resolves nothing.
NOT_FOR_LIST = (
    "installer",
    "packaging.requirements",
    "packaging.specifiers",
    "conformance.reference.install",
    "conformance.reference.resolve",
    "conformance.reference.finder",
    "conformance.reference.wheelfile",
    "conformance.reference.uninstall",
)
#: ``--version`` exits while parsing the command line.
NOT_FOR_VERSION = (
    "installer",
    "packaging",
    "conformance.reference.commands",
    "conformance.reference.environment",
)


def modules_of(result: subprocess.CompletedProcess[str]) -> set[str]:
    """The modules named by ``-X importtime`` on stderr (its first line is a header)."""
    lines = [line for line in result.stderr.splitlines() if line.startswith("import time:")]
    return {line.rpartition("|")[2].strip() for line in lines[1:]}


def imported(
    python: Path, argv: list[str], home: Path, extra: dict[str, str] | None = None, status: int = 0
) -> set[str]:
    """Every module the command imports that ``python -c pass`` does not import by itself."""
    result = run([python, "-X", "importtime", *argv], home, extra)
    assert result.returncode == status, result.stderr
    baseline = run([python, "-X", "importtime", "-c", "pass"], home, extra)
    return modules_of(result) - modules_of(baseline)


def within(modules: set[str], packages: tuple[str, ...]) -> list[str]:
    """The modules that are one of the packages or below one."""
    return sorted(m for m in modules if any(m == p or m.startswith(f"{p}.") for p in packages))


@pytest.fixture(params=sorted(PYTHONS))
def python(request: pytest.FixtureRequest) -> Path:
    path = PYTHONS[request.param]
    if not path.exists():
        pytest.skip(f"no Python {request.param} here")
    return path


def test_install_by_name(python: Path, pyz: Path, home: Path, wheelhouse: Path) -> None:
    modules = imported(
        python, [str(pyz), "install", "--user", "--no-index", "-f", str(wheelhouse), "demo-pkg"], home
    )
    assert {"installer", "conformance.reference.install"} <= modules  # it did install
    assert within(modules, NOT_FOR_INSTALL) == []


def test_refused_install(python: Path, pyz: Path, home: Path, wheelhouse: Path) -> None:
    argv = [str(pyz), "install", "--user", "--no-index", "-f", str(wheelhouse), "demo-pkg"]
    modules = imported(python, argv, home, {"PYTHONNOUSERSITE": "1"}, status=1)
    assert "conformance.reference.decision" in modules  # it got as far as the refusal
    assert within(modules, ("installer", "packaging", "conformance.reference.resolve")) == []


def test_list(python: Path, pyz: Path, home: Path) -> None:
    modules = imported(python, [str(pyz), "list"], home)
    assert "conformance.reference.listing" in modules
    assert within(modules, NOT_FOR_LIST) == []


def test_version(python: Path, pyz: Path, home: Path) -> None:
    assert within(imported(python, [str(pyz), "--version"], home), NOT_FOR_VERSION) == []
