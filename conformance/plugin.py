"""The pytest plugin: options and markers, cell parametrization, shared resources, and the matrix report."""

from __future__ import annotations

import functools
import json
import os
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import docker
import pytest
from filelock import FileLock

from conformance.backend.container import remove_run_containers, sweep_stale_containers
from conformance.backend.engine import engine_client, engine_problem, ensure_engine
from conformance.backend.host import (
    HostAccounts,
    HostTarget,
    default_pythons,
    host_targets,
    machine_description,
)
from conformance.backend.images import IMAGE_SOURCES, ImageSource, ensure_image
from conformance.backend.pool import ContainerPool
from conformance.backend.staging import Toolset, stage
from conformance.catalogue.accounts import ACCOUNTS, Account
from conformance.catalogue.fixtures import FixtureError, use_wheelhouse
from conformance.catalogue.installers import INSTALLERS
from conformance.catalogue.platforms import platform_of
from conformance.catalogue.targets import TARGETS
from conformance.matrix.cells import CellSpec
from conformance.matrix.selection import Selection, SelectionError
from conformance.paths import EXPECTATIONS_DIR, reports_dir
from conformance.record.cell import Cell
from conformance.record.expectations import Expectations
from conformance.record.recorder import CELL_PROPERTY, MatrixCollector
from conformance.run.cell import CellNotRun, run_cell
from conformance.run.host import run_host_cell
from conformance.run.observe import begin
from conformance.run.retry import run_retrying_crashes

RUN_ID_KEY = "conformance_run_id"
ENGINE_PROBLEM_KEY = "conformance_engine_problem"
NOT_RUN_KEY = "conformance_not_run"
_SELECTORS = ("targets", "accounts", "scenarios", "fixtures", "installers", "spellings")
#: pytest itself owns --fixtures.
_OPTION_NAMES = {"fixtures": "packages"}
selection_key = pytest.StashKey[Selection]()
run_id_key = pytest.StashKey[str]()
host_key = pytest.StashKey[dict[str, HostTarget]]()
#: Why the container rows cannot run here (None: they can), decided once by the controller.
engine_problem_key = pytest.StashKey[str | None]()
not_run_key = pytest.StashKey[list[str]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance", "user-scheme install conformance matrix")
    for name in _SELECTORS:
        group.addoption(
            f"--{_OPTION_NAMES.get(name, name)}",
            dest=f"conformance_{name}",
            default=None,
            metavar="NAMES",
            help=f"comma-separated {name} to run (default: all); a wrong name lists the valid ones",
        )
    group.addoption(
        "--quick",
        dest="conformance_quick",
        action="store_true",
        help="the test command's selection: the six core scenarios with demo-pkg on every target (venv-user "
        "on one target of each kind and the host); each other scenario on its home target, and the other "
        "packages in explicit-user-bsp, on one target of each kind",
    )
    group.addoption(
        "--wheelhouse",
        dest="conformance_wheelhouse",
        default=None,
        metavar="DIR",
        help="install your own packages instead of the demo fixtures: a directory of wheels (one per "
        "interpreter and platform, for a compiled project) and their dependencies, or pure sdists with "
        "their build requirements' wheels (pip download --dest DIR PROJECT...); cells stay offline",
    )
    group.addoption(
        "--requirement",
        dest="conformance_requirement",
        default=None,
        metavar="FILE",
        help="with --wheelhouse: the projects to make rows of, one per line (default: the wheels no other "
        "wheel there requires)",
    )
    group.addoption(
        "--update-expectations",
        action="store_true",
        help="record the observed verdicts in conformance/expectations/ instead of failing on changes",
    )
    group.addoption(
        "--expectations-dir",
        default=None,
        metavar="DIR",
        help="where the recorded verdicts live (default: conformance/expectations/)",
    )
    group.addoption(
        "--keep-containers",
        action="store_true",
        help="leave each cell's container running for debugging (removed by the next run's sweep)",
    )
    group.addoption(
        "--image-source",
        choices=IMAGE_SOURCES,
        default="local",
        help="build targets here (default), or from the registry images they stand for",
    )
    group.addoption(
        "--installer-versions",
        choices=("newest", "recorded"),
        default="newest",
        help="newest releases of pip-latest and uv, or the versions the expectations were recorded with",
    )
    group.addoption("--uv-version", default=None, help="an exact uv version (overrides --installer-versions)")
    group.addoption(
        "--pip-latest-version",
        default=None,
        help="an exact pip version for pip-latest (overrides --installer-versions)",
    )
    group.addoption(
        "--host-python",
        default=None,
        metavar="PATHS",
        help="comma-separated interpreters of this machine to run as host targets (default: the python3, "
        "or py, found on PATH outside any venv; 'none': no host rows)",
    )
    group.addoption(
        "--host-name-suffix",
        default="",
        metavar="SUFFIX",
        help="appended to host target names (host-macos-cpython3.13-image): tells apart two shards' Pythons",
    )
    group.addoption(
        "--host-allow-system-writes",
        action="store_true",
        help="let host cells write into the interpreter's own site-packages (only on a throwaway machine)",
    )
    group.addoption(
        "--reports-dir",
        default=None,
        help="where matrix.json, summary.md and index.html go (default: reports/)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "docker: needs a Docker engine and target images (set up automatically)"
    )
    hosts = config.stash[host_key] = _host_targets(config)
    _use_wheelhouse(config)
    try:
        selection = Selection.from_options(
            {n: config.getoption(f"conformance_{n}") for n in _SELECTORS},
            list(hosts),
            quick=config.getoption("conformance_quick"),
        )
    except (SelectionError, FixtureError) as error:
        raise pytest.UsageError(str(error)) from error
    config.stash[selection_key] = selection
    update = config.getoption("update_expectations")
    chosen = config.getoption("expectations_dir")
    if chosen and not update and not Path(chosen).is_dir():
        # Otherwise every cell would fail on its own, as "nothing recorded".
        raise pytest.UsageError(
            f"--expectations-dir {chosen}: no such directory. Name a directory of recorded verdicts "
            "(the default is conformance/expectations/), or add --update-expectations to record this run's "
            "verdicts there."
        )
    workerinput = getattr(config, "workerinput", None)
    config.stash[run_id_key] = workerinput[RUN_ID_KEY] if workerinput else uuid.uuid4().hex[:12]
    if workerinput:
        config.stash[engine_problem_key] = workerinput[ENGINE_PROBLEM_KEY]
    if workerinput is None:
        # Only the controller (or a run without xdist) assembles the matrix.
        out = Path(config.getoption("reports_dir") or reports_dir())
        config.pluginmanager.register(
            MatrixCollector(
                out, selection, config.stash[run_id_key], expectations_dir(config) if update else None
            ),
            "conformance-matrix",
        )


def _use_wheelhouse(config: pytest.Config) -> None:
    """Make a person's own wheels the rows of the run, when the command line names them."""
    wheelhouse, requirement = (config.getoption(f"conformance_{n}") for n in ("wheelhouse", "requirement"))
    if wheelhouse is None and requirement is None:
        return
    if config.getoption("update_expectations"):
        raise pytest.UsageError(
            "--update-expectations records the demo fixtures' verdicts; a run of --wheelhouse is reported, "
            "not recorded"
        )
    here = config.invocation_params.dir
    try:
        use_wheelhouse(here / wheelhouse if wheelhouse else None, here / requirement if requirement else None)
    except FixtureError as error:
        raise pytest.UsageError(str(error)) from error


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    node.workerinput[RUN_ID_KEY] = node.config.stash[run_id_key]
    node.workerinput[ENGINE_PROBLEM_KEY] = _engine_problem(node.config)


def _engine_problem(config: pytest.Config) -> str | None:
    """Why the container rows cannot run (None: they can); asked once, by the controller, for its workers."""
    if engine_problem_key not in config.stash:
        selected = any(spec.target in TARGETS for spec in config.stash[selection_key].cells())
        config.stash[engine_problem_key] = engine_problem() if selected else None
    return config.stash[engine_problem_key]


def _host_targets(config: pytest.Config) -> dict[str, HostTarget]:
    """This machine's interpreters named on the command line (or the one found), as host targets."""
    option = config.getoption("host_python")
    if option is not None and option.strip() == "none":
        return {}
    pythons = [p.strip() for p in option.split(",") if p.strip()] if option else default_pythons()
    try:
        return host_targets(pythons, config.getoption("host_name_suffix"))
    except (OSError, ValueError) as error:
        raise pytest.UsageError(f"--host-python: {error}") from error


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "cell_spec" in metafunc.fixturenames:
        specs = metafunc.config.stash[selection_key].cells()
        metafunc.parametrize("cell_spec", specs, ids=[s.id for s in specs])


def _cell_target(item: pytest.Item) -> str | None:
    callspec = getattr(item, "callspec", None)
    spec = callspec.params.get("cell_spec") if callspec is not None else None
    return spec.target if isinstance(spec, CellSpec) else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    kept, dropped = [], []
    for item in items:
        target = _cell_target(item)
        if target in TARGETS:
            item.add_marker(pytest.mark.docker)
            if _engine_problem(config) is not None:
                dropped.append(item)
                continue
        kept.append(item)
    config.stash[not_run_key] = sorted({str(_cell_target(item)) for item in dropped})
    if hasattr(config, "workeroutput"):  # the controller says it, once for every worker
        config.workeroutput[NOT_RUN_KEY] = config.stash[not_run_key]
    if dropped:
        # Not one error per cell: the cause is said once, at the end of the run.
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    not_run = set(node.config.stash.get(not_run_key, [])) | set(node.workeroutput.get(NOT_RUN_KEY, []))
    node.config.stash[not_run_key] = sorted(not_run)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    not_run = config.stash.get(not_run_key, [])
    if not_run:
        terminalreporter.write_sep("=", "container rows not run")
        terminalreporter.write_line(f"{', '.join(not_run)}: {config.stash[engine_problem_key]}")


def pytest_unconfigure(config: pytest.Config) -> None:
    if (
        hasattr(config, "workerinput")
        or config.getoption("keep_containers")
        or run_id_key not in config.stash
    ):
        return
    client = engine_client()
    if client is None:
        return  # no engine was ever used: nothing to clean
    try:
        remove_run_containers(client, config.stash[run_id_key])
    finally:
        client.close()


def expectations_dir(config: pytest.Config) -> Path:
    option = config.getoption("expectations_dir")
    return Path(option) if option else EXPECTATIONS_DIR


def _shared_dir(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """A directory every xdist worker of this run sees (the pytest-xdist once-per-session recipe)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if worker_id != "master" else base


@pytest.fixture(scope="session")
def run_id(pytestconfig: pytest.Config) -> str:
    return pytestconfig.stash[run_id_key]


@pytest.fixture(scope="session")
def docker_client(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[docker.DockerClient]:
    """A running engine (started if need be); stale containers of dead runs are swept once per run."""
    client = ensure_engine()
    shared = _shared_dir(tmp_path_factory, worker_id)
    with FileLock(str(shared / "sweep.lock")):
        flag = shared / "swept"
        if not flag.exists():
            sweep_stale_containers(client)
            flag.touch()
    yield client
    client.close()


def _requested_versions(config: pytest.Config) -> dict[str, str | None]:
    """Versions to stage, by installer name: an exact option, else the recorded one (None: the newest)."""
    recorded: dict[str, str] = {}
    if config.getoption("installer_versions") == "recorded":
        recorded = Expectations.load(expectations_dir(config)).versions
    exact = {"uv": config.getoption("uv_version"), "pip-latest": config.getoption("pip_latest_version")}
    return {name: exact.get(name) or recorded.get(name) for name, i in INSTALLERS.items() if i.fetched}


@pytest.fixture(scope="session")
def toolset(pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Toolset:
    """The staged installers, wheelhouse and probe; resolved once per run and shared by every worker."""
    shared = _shared_dir(tmp_path_factory, worker_id)
    with FileLock(str(shared / "toolset.lock")):
        record = shared / "toolset.json"
        if record.exists():
            return Toolset.from_json(record.read_text())
        staged = stage(_requested_versions(pytestconfig))
        record.write_text(staged.to_json())
        return staged


@pytest.fixture(scope="session")
def target_images(pytestconfig: pytest.Config, docker_client: docker.DockerClient) -> Callable[[str], str]:
    """Image tag of a target, built on first use (once per machine, under a file lock)."""
    source: ImageSource = pytestconfig.getoption("image_source")
    tags: dict[str, str] = {}

    def image(target: str) -> str:
        if target not in tags:
            tags[target] = ensure_image(docker_client, TARGETS[target], source).tag
        return tags[target]

    return image


@pytest.fixture(scope="session")
def container_pool(
    pytestconfig: pytest.Config, toolset: Toolset, run_id: str, docker_client: docker.DockerClient
) -> Iterator[ContainerPool]:
    """This worker's containers: the next one starts and takes its first snapshot while a cell runs."""
    keep = bool(pytestconfig.getoption("keep_containers"))
    with ContainerPool(toolset.root, run_id, begin, keep=keep) as pool:
        yield pool


@pytest.fixture
def cell_runner(request: pytest.FixtureRequest, toolset: Toolset) -> Callable[[CellSpec], Cell]:
    """Run a cell: on this machine for a host target, else in a fresh container of its target (removed
    afterwards); the record names the machine that ran it."""
    hosts = request.config.stash[host_key]
    allow = bool(request.config.getoption("host_allow_system_writes"))

    def execute(spec: CellSpec) -> Cell:
        host = hosts.get(spec.target)
        if host is not None:
            try:
                accounts = _host_accounts(host, toolset.root)
                cell = run_host_cell(spec, host, toolset, accounts, allow_system_writes=allow)
            except CellNotRun as reason:
                pytest.skip(str(reason))
        else:
            images: Callable[[str], str] = request.getfixturevalue("target_images")
            pool: ContainerPool = request.getfixturevalue("container_pool")

            def in_container() -> Cell:
                container = pool.take(images(spec.target))
                try:
                    return run_cell(
                        spec, container, toolset, next_stage=functools.partial(pool.next_stage, container)
                    )
                finally:
                    pool.release(container)

            try:
                cell = run_retrying_crashes(in_container, under_wine=platform_of(spec.target).windows)
            except CellNotRun as reason:
                pytest.skip(str(reason))
        cell.machine = machine_description()
        return cell

    return execute


@functools.cache
def _host_accounts(target: HostTarget, tools: str) -> HostAccounts:
    return HostAccounts.here().for_target(target, tools)


@pytest.fixture
def cell_account(pytestconfig: pytest.Config, toolset: Toolset) -> Callable[[CellSpec], Account | None]:
    """Who a cell's probe must prove it ran as (None: the machine's kernel cannot tell: no /proc)."""
    hosts = pytestconfig.stash[host_key]

    def account(spec: CellSpec) -> Account | None:
        host = hosts.get(spec.target)
        if host is None:
            return ACCOUNTS[spec.account]
        if sys.platform != "linux":
            return None
        return _host_accounts(host, toolset.root).accounts[spec.account]

    return account


@pytest.fixture(scope="session")
def expectations(pytestconfig: pytest.Config) -> Expectations:
    return Expectations.load(expectations_dir(pytestconfig))


@pytest.fixture
def record_cell(record_property: Callable[[str, object], None]) -> Callable[[Cell], None]:
    """Attach a cell's record to the test report; the controller assembles the matrix from them."""

    def record(cell: Cell) -> None:
        record_property(CELL_PROPERTY, json.dumps(cell.to_json(), sort_keys=True))

    return record


def pytest_report_header(config: pytest.Config) -> str | None:
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return None
    selection = config.stash[selection_key]
    chosen = {k: v for k, v in selection.as_dict().items() if v}
    quick = " (quick)" if selection.quick else ""
    return f"conformance: run {config.stash[run_id_key]}, selection {chosen or 'all'}{quick}"
