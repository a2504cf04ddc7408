"""Stopping a run is safe: Ctrl-C leaves no container behind, and the next run sweeps a killed run's.

Each test runs the matrix itself, ``pytest -n 2`` on a few cells in a session of its own, and finds that
run's containers by their label, whoever started them and whenever.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import docker
import docker.errors
import pytest
from filelock import FileLock

from conformance.backend.container import LABEL_PID, LABEL_RUN
from conformance.paths import PROJECT_ROOT, cache_dir

pytestmark = pytest.mark.docker

T = TypeVar("T")
TARGET = "debian-bookworm"
_CELLS = ("--targets", TARGET, "--accounts", "user", "--scenarios", "explicit-user")
#: Seventy cells on two workers: still running when the signal comes, seconds after the first container,
#: even on a loaded machine (a cold CI run once finished eight cells before its SIGINT arrived).
SOME_CELLS = (*_CELLS[:-1], "implicit,explicit-user,explicit-user-bsp")
ONE_CELL = (*_CELLS, "--spellings", "uv-prefix", "--packages", "demo-pkg")
#: pytest as a terminal starts it: with SIGINT handled. A shell that started this run in the background
#: (`cmd &` without job control) made its children ignore SIGINT, and an ignored signal stays ignored
#: across exec: the inner run would never see the Ctrl-C this file sends.
_AS_FROM_A_TERMINAL = (
    "import signal, sys, pytest; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "sys.exit(pytest.main())"
)
PYTEST = ("-c", _AS_FROM_A_TERMINAL, "-n", "2", "-p", "no:cacheprovider", "conformance/test_matrix.py")
#: The controller's report header names the run: its containers carry that id.
_RUN_ID = re.compile(r"^conformance: run (\w+),", re.MULTILINE)
#: Before its first container a run starts its workers and stages its tools (downloads them when cold).
START_TIMEOUT = 300.0
#: Far above the 2 to 8 s a group Ctrl-C took here: the bound says "it ends", not how fast.
EXIT_TIMEOUT = 60.0


@dataclass
class InnerRun:
    """A run of the matrix in a session of its own, its output in a file."""

    process: subprocess.Popen[bytes]
    output: Path
    run_id: str = field(default="", init=False)

    def log(self) -> str:
        return self.output.read_text(errors="replace")

    def wait_for_run_id(self) -> str:
        """The run's id, from the header it prints once it has started."""
        self.run_id = _wait_for(
            lambda: _RUN_ID.search(self.log()), "report header", self, START_TIMEOUT
        ).group(1)
        return self.run_id

    def containers(self, client: docker.DockerClient, **filters: str) -> list[dict[str, Any]]:
        """The run's containers as the engine lists them (one call: a run may remove them meanwhile)."""
        found: list[dict[str, Any]] = client.api.containers(
            all=True, filters={"label": f"{LABEL_RUN}={self.run_id}", **filters}
        )
        return found

    def wait_for_a_running_cell(self, client: docker.DockerClient) -> None:
        _wait_for(lambda: self.containers(client, status="running"), "running container", self, START_TIMEOUT)

    def stop(self, signum: signal.Signals) -> None:
        """Send ``signum`` to the whole process group, as a terminal's Ctrl-C does, and wait for the end."""
        start = time.monotonic()
        os.killpg(self.process.pid, signum)
        self.process.wait(timeout=EXIT_TIMEOUT)
        exited = time.monotonic() - start
        self.wait_until_gone()
        gone = time.monotonic() - start
        print(f"{signum.name}: the controller exited after {exited:.1f} s, its workers after {gone:.1f} s")

    def wait_until_gone(self) -> int:
        """The controller's exit status, once its workers have exited too (they may remove containers)."""
        returncode = self.process.wait(timeout=EXIT_TIMEOUT)
        _wait_for(
            lambda: not _session_members(self.process.pid), "workers' exit", self, EXIT_TIMEOUT, running=False
        )
        return returncode


@pytest.fixture
def start_run(
    tmp_path: Path, target_images: Callable[[str], str], docker_client: docker.DockerClient
) -> Iterator[Callable[..., InnerRun]]:
    """Start runs of the given cells; afterwards none is left running, nor any container of theirs."""
    target_images(TARGET)  # built here, so that the runs' time goes to cells
    # Without the variables of this run's own xdist worker, the inner controller is a controller.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    started: list[InnerRun] = []

    def start(*selection: str) -> InnerRun:
        home = tmp_path / f"run-{len(started)}"
        home.mkdir()
        argv = [sys.executable, *PYTEST, "--basetemp", str(home / "basetemp")]
        argv += ["--reports-dir", str(home / "reports"), "--installer-versions", "recorded", *selection]
        with (home / "output.txt").open("wb") as sink:
            process = subprocess.Popen(
                argv, cwd=PROJECT_ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
            )
        started.append(InnerRun(process, home / "output.txt"))
        return started[-1]

    # One such test at a time on this machine: another's run would sweep this one's killed containers.
    cache_dir().mkdir(parents=True, exist_ok=True)
    with FileLock(str(cache_dir() / "stop-tests.lock")):
        yield start
        for run in started:
            if run.process.poll() is None:
                os.killpg(run.process.pid, signal.SIGKILL)
                run.process.wait()
            for container in run.containers(docker_client) if run.run_id else ():
                with contextlib.suppress(docker.errors.NotFound):
                    docker_client.api.remove_container(container["Id"], force=True, v=True)


def test_ctrl_c_ends_the_run_and_leaves_no_container(
    start_run: Callable[..., InnerRun], docker_client: docker.DockerClient
) -> None:
    run = start_run(*SOME_CELLS)
    run.wait_for_run_id()
    run.wait_for_a_running_cell(docker_client)
    run.stop(signal.SIGINT)
    assert run.process.returncode == pytest.ExitCode.INTERRUPTED, run.log()
    assert run.containers(docker_client) == []


def test_a_killed_runs_containers_are_swept_by_the_next_run(
    start_run: Callable[..., InnerRun], docker_client: docker.DockerClient
) -> None:
    killed = start_run(*SOME_CELLS)
    killed.wait_for_run_id()
    killed.wait_for_a_running_cell(docker_client)
    killed.stop(signal.SIGKILL)
    left = killed.containers(docker_client)
    assert left, "kill -9 gave the run no chance to remove its containers"
    pids = {int(c["Labels"][LABEL_PID]) for c in left}
    # Orphaned workers stay zombies until init reaps them, and a zombie still answers kill(pid, 0).
    _wait_for(
        lambda: not any(Path(f"/proc/{p}").exists() for p in pids),
        "reaping",
        killed,
        EXIT_TIMEOUT,
        running=False,
    )

    following = start_run(*ONE_CELL)
    following.wait_for_run_id()
    # The sweep comes before a run's first container: once that exists (or the run ended), it is done.
    _wait_for(
        lambda: following.process.poll() is not None or following.containers(docker_client),
        "first container",
        following,
        START_TIMEOUT,
        running=False,
    )
    assert killed.containers(docker_client) == []
    returncode = following.wait_until_gone()
    assert returncode in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED), following.log()
    assert following.containers(docker_client) == []


def _session_members(session: int) -> list[int]:
    """Processes of ``session`` that have not exited (zombies have)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # After the command name in parentheses: state, ppid, process group, session.
            state, _, _, sid = stat.read_text().rpartition(")")[2].split()[:4]
        except OSError:
            continue  # exited while we looked
        if int(sid) == session and state != "Z":
            members.append(int(stat.parent.name))
    return members


def _wait_for(
    condition: Callable[[], T | None], what: str, run: InnerRun, timeout: float, *, running: bool = True
) -> T:
    """Poll ``condition`` until it holds; fail with the output on time-out, or if a ``running`` run ends."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if running and run.process.poll() is not None:
            pytest.fail(f"the run ended ({run.process.returncode}) before its {what}:\n{run.log()}")
        if time.monotonic() > deadline:
            pytest.fail(f"no {what} after {timeout:.0f} s:\n{run.log()}")
        time.sleep(0.1)
    return value
