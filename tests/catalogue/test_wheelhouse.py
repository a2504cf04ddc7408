"""A person's own wheels as the matrix's packages: read from real PyPI wheels, refused with a reason."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from packaging.tags import parse_tag

from conformance import test_matrix
from conformance.backend.host import describe
from conformance.backend.staging import Toolset
from conformance.backend.wheels import build_wheelhouse
from conformance.catalogue.fixtures import Member, all_fixtures, closure, rows_of, use_wheelhouse
from conformance.catalogue.scenarios import SCENARIOS
from conformance.catalogue.wheelhouse import SCRIPT_ARGS, WheelhouseError, load_wheel, load_wheelhouse
from conformance.judge.intent import expect
from conformance.judge.tags import installed_wheel
from conformance.matrix.selection import Selection
from conformance.run.facts import InterpreterFacts
from conformance.vocabulary import Outcome
from tests.reference.wheelmaker import make_wheel
from tests.windows_facts import windows_facts

#: flake8 and its dependencies: packages and a top-level module, console scripts, requirements with
#: version ranges. Pinned so that what they carry, and so the verdicts below, stay the same.
REAL_WHEELS = ("flake8==7.5.0", "pyflakes==4.1.0", "pycodestyle==2.15.0", "mccabe==0.7.0")
#: A pure project published here as its sdist, and the one wheel its build needs (flit_core).
SDIST = "tomli==2.3.0"
SDIST_BUILD = "flit_core>=3.2,<4"
#: A compiled extension (Root-Is-Purelib: false): markupsafe's wheels for the targets' interpreters and
#: platforms, and none for Python 3.12 (so a target with it has no wheel that fits).
COMPILED = "markupsafe==3.0.3"
COMPILED_WHEELS = (
    ("3.10", "cp310", "manylinux_2_17_x86_64"),
    ("3.11", "cp311", "manylinux_2_17_x86_64"),
    ("3.13", "cp313", "manylinux_2_17_x86_64"),
    ("3.13", "cp313", "musllinux_1_2_x86_64"),
    ("3.13", "cp313", "win_amd64"),
)
MATRIX = str(Path(test_matrix.__file__))
HOST_PYTHON = str(getattr(sys, "_base_executable", sys.executable))


@pytest.fixture(scope="module")
def real_wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real wheels, downloaded once from the package index pip is configured with."""
    out = tmp_path_factory.mktemp("real-wheels")
    download = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:"]
    subprocess.run([*download, "--dest", str(out), *REAL_WHEELS], check=True)
    return out


@pytest.fixture(scope="module")
def compiled_wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A compiled project's wheels for several interpreters and platforms, downloaded once."""
    out = tmp_path_factory.mktemp("compiled-wheels")
    for version, abi, platform in COMPILED_WHEELS:
        download = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:"]
        wanted = ["--python-version", version, "--abi", abi, "--platform", platform, "--implementation", "cp"]
        subprocess.run([*download, *wanted, "--dest", str(out), COMPILED], check=True)
    return out


@pytest.fixture(scope="module")
def sdist_wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project's sdist and its build backend's wheel, downloaded once."""
    out = tmp_path_factory.mktemp("sdist")
    download = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--dest", str(out)]
    subprocess.run([*download, "--no-binary=:all:", SDIST], check=True)
    subprocess.run([*download, "--only-binary=:all:", SDIST_BUILD], check=True)
    return out


@pytest.fixture
def wheelhouse_in_use() -> Iterator[None]:
    yield
    use_wheelhouse(None)


def test_a_real_wheel_is_read_from_its_record_and_metadata(real_wheelhouse: Path) -> None:
    (wheel,) = real_wheelhouse.glob("flake8-*.whl")
    flake8 = load_wheel(wheel)
    assert (flake8.name, flake8.version, flake8.import_name) == ("flake8", "7.5.0", "flake8")
    assert flake8.root_is_purelib and flake8.wheel == wheel and flake8.wheel_name == wheel.name
    assert flake8.dist_info == "flake8-7.5.0.dist-info"
    assert ("flake8", "flake8.main.cli:main") in flake8.console_scripts
    assert {r.split("<")[0].split(">")[0] for r in flake8.requires} == {"mccabe", "pycodestyle", "pyflakes"}
    assert Member("root", "flake8/__init__.py") in flake8.members
    assert not any(m.path.startswith("flake8-7.5.0.dist-info") for m in flake8.members)
    assert flake8.script_args == SCRIPT_ARGS
    (module,) = real_wheelhouse.glob("pycodestyle-*.whl")
    assert load_wheel(module).import_name == "pycodestyle"  # a single top-level module


def test_rows_are_the_wheels_nothing_else_requires(real_wheelhouse: Path) -> None:
    fixtures = load_wheelhouse(real_wheelhouse)
    assert [n for n, f in fixtures.items() if not f.dependency_only] == ["flake8"]
    assert sorted(fixtures) == ["flake8", "mccabe", "pycodestyle", "pyflakes"]


def test_a_requirements_file_chooses_the_rows(real_wheelhouse: Path, tmp_path: Path) -> None:
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("# mine\npyflakes>=3  # the checker\n\nPyCodeStyle\n")
    fixtures = load_wheelhouse(real_wheelhouse, requirements)
    assert [n for n, f in fixtures.items() if not f.dependency_only] == ["pycodestyle", "pyflakes"]


def test_the_matrix_runs_them_in_every_scenario_that_installs_no_demo_fixture_first(
    real_wheelhouse: Path, tmp_path: Path, wheelhouse_in_use: None
) -> None:
    use_wheelhouse(real_wheelhouse)
    assert [f.name for f in closure("flake8")] == ["flake8", "mccabe", "pycodestyle", "pyflakes"]
    for scenario in SCENARIOS.values():
        demo_first = scenario.system_copy or scenario.earlier_user_install
        assert rows_of(scenario) == (() if demo_first else ("flake8",)), scenario.name
    cells = Selection.from_options({"targets": "debian-bookworm", "accounts": "user"}).cells()
    assert {c.fixture for c in cells} == {"flake8"}
    # The pip workarounds shown for demo-pkg alone are columns of a person's own rows.
    assert "debian-bookworm/user/explicit-user/flake8/pip-latest-target" in {c.id for c in cells}
    built = build_wheelhouse(tmp_path / "staged")
    assert sorted(p.name for p in built) == sorted(p.name for p in real_wheelhouse.glob("*.whl"))
    assert all(p.read_bytes() == (real_wheelhouse / p.name).read_bytes() for p in built)
    use_wheelhouse(None)
    assert "demo-pkg" in all_fixtures()


@pytest.mark.parametrize(
    ("arrange", "message"),
    [
        (lambda d: None, "no wheels (*.whl) or sdists (*.tar.gz)"),
        (lambda d: (d / "mine-1.0.tar.gz").write_bytes(b""), "mine-1.0.tar.gz: not a readable sdist"),
        (lambda d: make_wheel(d, "app", requires=["lib>=1"]), "app requires lib>=1, which has no wheel"),
        (
            lambda d: (make_wheel(d, "app", requires=["lib>=2"]), make_wheel(d, "lib")),
            "app requires lib>=2, the wheel there is 1.0",
        ),
        (lambda d: (make_wheel(d, "app"), make_wheel(d, "app", "2.0")), "wheels of app at 1.0 and 2.0"),
        (
            lambda d: make_wheel(d, "app").rename(d / "app-1.0-1-py3-none-any.whl") and make_wheel(d, "app"),
            "app-1.0-1-py3-none-any.whl and app-1.0-py3-none-any.whl are both app for py3-none-any",
        ),
        (lambda d: (d / "bad-1.0-py3-none-any.whl").write_bytes(b"not a zip"), "not a readable wheel"),
        (
            lambda d: make_wheel(d, "bare", files={"bare-1.0.data/data/share/bare.txt": b""}),
            "no importable top-level package or module",
        ),
    ],
)
def test_a_wheelhouse_the_matrix_cannot_run_is_refused_with_the_way_out(
    tmp_path: Path, arrange: object, message: str
) -> None:
    assert callable(arrange)
    arrange(tmp_path)
    with pytest.raises(WheelhouseError, match=re.escape(message)):
        load_wheelhouse(tmp_path)


def test_a_requirements_file_must_name_wheels_that_are_there(tmp_path: Path) -> None:
    make_wheel(tmp_path, "app")
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("app\nother\n")
    with pytest.raises(WheelhouseError, match="no wheel of other in --wheelhouse"):
        load_wheelhouse(tmp_path, requirements)
    requirements.write_text("-r more.txt\n")
    with pytest.raises(WheelhouseError, match=r"requirements.txt:1: options \(-r\) are not read here"):
        load_wheelhouse(tmp_path, requirements)
    with pytest.raises(WheelhouseError, match="cannot be read"):
        load_wheelhouse(tmp_path, tmp_path / "missing.txt")


def test_a_bad_wheelhouse_is_one_usage_error(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess(
        "-p", "conformance.plugin", MATRIX, "--collect-only", "-q", "--wheelhouse", "no-such-dir",
    )  # fmt: skip
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--wheelhouse */no-such-dir: no such directory*"])
    result = pytester.runpytest_subprocess(
        "-p", "conformance.plugin", MATRIX, "--collect-only", "-q", "--requirement", "r.txt",
    )  # fmt: skip
    result.stderr.fnmatch_lines(["*--requirement names projects of a --wheelhouse: give both*"])


@pytest.mark.docker
def test_real_wheels_in_a_container_and_on_the_host(
    pytester: pytest.Pytester, toolset: Toolset, real_wheelhouse: Path
) -> None:
    """The same verdicts as demo-pkg's, with a project whose dependencies land and stay on uninstall."""
    host = describe(HOST_PYTHON).name
    account = "root" if os.geteuid() == 0 else "user"
    reports = pytester.path / "reports"
    result = pytester.runpytest_subprocess(
        "-p", "conformance.plugin", MATRIX, "--wheelhouse", str(real_wheelhouse),
        "--host-python", HOST_PYTHON, "--targets", f"debian-bookworm,{host}", "--accounts", account,
        "--scenarios", "explicit-user-bsp,uninstall", "--spellings", "pip-latest,uv-target,reference",
        "--uv-version", toolset.versions["uv"], "--pip-latest-version", toolset.versions["pip-latest"],
        "--reports-dir", str(reports),
    )  # fmt: skip
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()[-2000:]
    document = json.loads((reports / "matrix.json").read_text())
    assert document["rows"]["fixtures"] == ["flake8"]
    for target in ("debian-bookworm", host):
        verdicts = {
            c["id"].removeprefix(f"{target}/{account}/"): c["verdict"]
            for c in document["cells"]
            if c["target"] == target
        }
        assert verdicts == {
            "explicit-user-bsp/flake8/pip-latest": "conforms",
            "explicit-user-bsp/flake8/reference": "conforms",
            "explicit-user-bsp/flake8/uv-target": "differs",  # scripts inside site-packages
            "uninstall/flake8/pip-latest": "conforms",  # the dependencies stay
            "uninstall/flake8/reference": "conforms",
            "uninstall/flake8/uv-target": "differs",  # its .lock stays
        }, target


def test_a_compiled_projects_wheels_are_one_row_and_each_target_expects_the_one_pip_picks(
    compiled_wheelhouse: Path, host_facts: InterpreterFacts
) -> None:
    fixtures = load_wheelhouse(compiled_wheelhouse)
    assert list(fixtures) == ["MarkupSafe"]
    project = fixtures["MarkupSafe"]
    assert len(project.variants) == len(COMPILED_WHEELS) and not project.root_is_purelib
    assert any(m.path.startswith("markupsafe/_speedups.") for m in project.members)
    linux = replace(host_facts, libc="glibc 2.36", machine="x86_64", os_name="posix")
    cases = [
        (replace(linux, version="3.11.2", abi="cp311"), "cp311-cp311-manylinux_2_17_x86_64"),
        (
            replace(linux, version="3.13.5", abi="cp313", libc="musl 1.2.5"),
            "cp313-cp313-musllinux_1_2_x86_64",
        ),
        (replace(windows_facts(), version="3.13.9", abi="cp313"), "cp313-cp313-win_amd64"),
    ]
    for facts, tag in cases:
        wheel = installed_wheel(project, facts)
        assert wheel is not None and tag in map(str, parse_tag(wheel.tag)), (facts.version, facts.libc)
        (extension,) = [m.path for m in wheel.members if m.path.endswith((".so", ".pyd"))]
        assert extension.endswith(".pyd" if facts.os_name == "nt" else ".so")


def test_where_no_wheel_fits_pip_is_expected_to_find_no_matching_distribution(
    compiled_wheelhouse: Path, host_facts: InterpreterFacts, wheelhouse_in_use: None
) -> None:
    use_wheelhouse(compiled_wheelhouse)
    system = replace(host_facts, in_venv=False, enable_user_site=True, machine="x86_64")
    noble = replace(system, version="3.12.3", abi="cp312", libc="glibc 2.39")
    expectation = expect(SCENARIOS["explicit-user-bsp"], noble, "MarkupSafe")
    assert (expectation.outcome, expectation.error_class) == (Outcome.REFUSE, "not-found")
    assert (
        "no wheel of MarkupSafe fits this interpreter (cp312-cp312-manylinux_2_39_x86_64)"
        in expectation.reason
    )
    bookworm = replace(noble, version="3.11.2", abi="cp311", libc="glibc 2.36")
    assert expect(SCENARIOS["explicit-user-bsp"], bookworm, "MarkupSafe").outcome == Outcome.INSTALL


@pytest.mark.docker
def test_compiled_wheels_in_containers_where_one_fits_and_where_none_does(
    pytester: pytest.Pytester, toolset: Toolset, compiled_wheelhouse: Path
) -> None:
    """Each target installs the wheel built for its interpreter and platform, or finds none (Python 3.12)."""
    reports = pytester.path / "reports"
    targets = ("debian-bookworm", "ubuntu-noble", "windows-cpython3.13-wine")
    result = pytester.runpytest_subprocess(
        "-p", "conformance.plugin", MATRIX, "--wheelhouse", str(compiled_wheelhouse),
        "--host-python", "none", "--targets", ",".join(targets), "--accounts", "user",
        "--scenarios", "explicit-user-bsp", "--spellings", "pip-latest,uv-prefix,reference",
        "--uv-version", toolset.versions["uv"], "--pip-latest-version", toolset.versions["pip-latest"],
        "--reports-dir", str(reports),
    )  # fmt: skip
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()[-2000:]
    cells = {c["id"]: c for c in json.loads((reports / "matrix.json").read_text())["cells"]}
    verdicts = {f"{c['target']}/{c['spelling']}": c["verdict"] for c in cells.values()}
    assert verdicts == {
        "debian-bookworm/pip-latest": "conforms",
        "debian-bookworm/reference": "conforms",
        "debian-bookworm/uv-prefix": "differs",  # its .lock stays
        # No cp312 wheel: pip finds no matching distribution; uv has written its .lock when it says so.
        "ubuntu-noble/pip-latest": "conforms",
        "ubuntu-noble/reference": "conforms",
        "ubuntu-noble/uv-prefix": "damages",
        "windows-cpython3.13-wine/pip-latest": "conforms",
        "windows-cpython3.13-wine/reference": "conforms",
        "windows-cpython3.13-wine/uv-prefix": "broken",  # <user base>\Lib\site-packages is not on sys.path
    }
    for target, suffix in (("debian-bookworm", ".cpython-311-x86_64-linux-gnu.so"), ("windows", ".pyd")):
        (cell,) = [
            c for c in cells.values() if c["target"].startswith(target) and c["spelling"] == "pip-latest"
        ]
        extension = [path for path, role in cell["roles"].items() if path.endswith(suffix)]
        assert len(extension) == 1 and cell["roles"][extension[0]] == "expected", cell["roles"]
    (noble,) = [c for c in cells.values() if c["target"] == "ubuntu-noble" and c["spelling"] == "pip-latest"]
    assert noble["expectation"]["error_class"] == "not-found"
    assert "no wheel of MarkupSafe fits this interpreter (cp312-cp312-" in noble["expectation"]["reason"]


def test_an_sdist_is_a_row_read_from_the_wheel_it_builds_offline_and_its_backend_is_not(
    sdist_wheelhouse: Path, tmp_path: Path
) -> None:
    fixtures = load_wheelhouse(sdist_wheelhouse)
    assert [(n, f.dependency_only) for n, f in fixtures.items()] == [("tomli", False), ("flit_core", True)]
    tomli = fixtures["tomli"]
    assert (
        tomli.sdist == next(sdist_wheelhouse.glob("tomli-*.tar.gz")) and tomli.file_name == tomli.sdist.name
    )
    assert Member("root", "tomli/__init__.py") in tomli.members and tomli.import_name == "tomli"
    staged = {p.name for p in build_wheelhouse(tmp_path / "staged", fixtures.values())}
    assert staged == {tomli.sdist.name, next(sdist_wheelhouse.glob("flit_core-*.whl")).name}
    # Without its build backend's wheel the cells could not build it either: refused, saying what to add.
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / tomli.sdist.name).write_bytes(tomli.sdist.read_bytes())
    with pytest.raises(
        WheelhouseError, match=r"cannot be built offline from --wheelhouse .* build requirements"
    ):
        load_wheelhouse(alone)


@pytest.mark.docker
def test_an_sdist_in_a_container_is_built_there_by_pip_and_uv(
    pytester: pytest.Pytester, toolset: Toolset, sdist_wheelhouse: Path
) -> None:
    reports = pytester.path / "reports"
    result = pytester.runpytest_subprocess(
        "-p", "conformance.plugin", MATRIX, "--wheelhouse", str(sdist_wheelhouse),
        "--host-python", "none", "--targets", "debian-bookworm", "--accounts", "user",
        "--scenarios", "explicit-user-bsp", "--spellings", "pip-latest,uv-prefix,reference",
        "--uv-version", toolset.versions["uv"], "--pip-latest-version", toolset.versions["pip-latest"],
        "--reports-dir", str(reports),
    )  # fmt: skip
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()[-2000:]
    cells = json.loads((reports / "matrix.json").read_text())["cells"]
    assert {c["spelling"]: c["verdict"] for c in cells} == {
        "pip-latest": "conforms",
        "uv-prefix": "differs",  # its .lock stays
        "reference": "refuses",  # it installs wheels only, by design
    }
