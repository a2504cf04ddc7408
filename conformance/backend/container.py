"""The Docker backend: one target container, exec as an account, no network, removal that always happens."""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Mapping, Sequence
from types import TracebackType

import docker
import docker.errors
from testcontainers.core.config import testcontainers_config
from testcontainers.core.container import DockerContainer

from conformance.backend.build import LABEL_TARGET
from conformance.backend.protocol import ExecResult
from conformance.backend.staging import MOUNT_POINT
from conformance.catalogue.accounts import ACCOUNTS, Account
from conformance.catalogue.platforms import POSIX, Platform, platform_of

log = logging.getLogger(__name__)

# Ryuk's image cannot be pulled here; containers are labelled and removed by this module instead.
testcontainers_config.ryuk_disabled = True

LABEL_RUN = "io.conformance.run"
LABEL_PID = "io.conformance.pid"
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#: tmpfs in every container: outside the root filesystem that the probe walks.
SCRATCH = "/dev/shm/conformance"
#: An image label naming a command that readies a started container (run as root, before any snapshot).
LABEL_READY = "io.conformance.ready"


def account_env(account: Account, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """A login-like environment for ``account``: nothing from the host leaks in."""
    env = {
        "HOME": account.home,
        "USER": account.name,
        "LOGNAME": account.name,
        "PATH": DEFAULT_PATH,
    }
    env.update(extra or {})
    return env


class TargetContainer:
    """A container of a target image with the staged tools mounted read-only and no network."""

    tools = MOUNT_POINT
    roots = ("/",)
    scratch = SCRATCH

    def __init__(self, image: str, stage_dir: str, run_id: str, *, keep: bool = False) -> None:
        self.image = self.identity = image
        self.keep = keep
        self.platform: Platform = POSIX
        self._container = (
            DockerContainer(image, command="sleep infinity")
            .with_volume_mapping(stage_dir, MOUNT_POINT, "ro")
            # One with_kwargs call: testcontainers replaces, not merges, these.
            .with_kwargs(
                network="none",
                labels={LABEL_RUN: run_id, LABEL_PID: str(os.getpid())},
            )
        )

    def start(self) -> TargetContainer:
        """Start the container; if starting fails half-way, remove what was created."""
        try:
            self._container.start()
            labels = self._container.get_wrapped_container().image.labels or {}
            self.platform = platform_of(labels.get(LABEL_TARGET))
            if LABEL_READY in labels:
                self._ready(labels[LABEL_READY])
        except BaseException:
            self._remove()
            raise
        return self

    def _ready(self, command: str) -> None:
        result = self.exec([command], ACCOUNTS["root"])
        if result.exit_code != 0:
            raise RuntimeError(f"{command} failed in {self.image}: {(result.stdout + result.stderr)[-800:]}")

    def __enter__(self) -> TargetContainer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Remove the container (or leave it, with --keep-containers, for the next run's sweep)."""
        if self.keep:
            log.warning("keeping container %s (--keep-containers)", self.id)
            self._container.get_docker_client().client.close()
            return
        self._remove()

    def _remove(self) -> None:
        with contextlib.suppress(docker.errors.NotFound):
            self._container.stop(force=True, delete_volume=True)

    @property
    def id(self) -> str:
        return str(self._container.get_wrapped_container().id)

    def archive(self, directory: str) -> bytes:
        """The tree at ``directory`` as a tar stream, its own name at the top (what ``docker cp`` reads)."""
        stream, _ = self._container.get_wrapped_container().get_archive(directory)
        return b"".join(stream)

    def unpack(self, data: bytes, parent: str) -> None:
        """Extract a tar stream made by ``archive`` into ``parent`` (what ``docker cp`` writes)."""
        if not self._container.get_wrapped_container().put_archive(parent, data):
            raise RuntimeError(f"could not unpack a tree into {parent} of {self.image}")

    def exec(
        self,
        argv: Sequence[str],
        account: Account,
        env: Mapping[str, str] | None = None,
    ) -> ExecResult:
        """Run ``argv`` as ``account`` with a clean login-like environment plus ``env``."""
        start = time.monotonic()
        exit_code, (out, err) = self._container.get_wrapped_container().exec_run(
            list(argv),
            user=account.user_spec,
            environment=account_env(account, env),
            workdir=account.home,
            demux=True,
        )
        return ExecResult(
            tuple(argv),
            int(exit_code),
            (out or b"").decode("utf-8", "replace"),
            (err or b"").decode("utf-8", "replace"),
            time.monotonic() - start,
        )


def remove_run_containers(client: docker.DockerClient, run_id: str) -> int:
    """Remove every container this run started (the end-of-run safety net); returns how many."""
    containers = client.containers.list(all=True, filters={"label": f"{LABEL_RUN}={run_id}"})
    for container in containers:
        container.remove(force=True, v=True)
    return len(containers)


def sweep_stale_containers(client: docker.DockerClient) -> int:
    """Remove containers left by earlier runs whose controller process is gone."""
    removed = 0
    # Other runs on this engine remove their own containers meanwhile: one gone already is not an error.
    for container in client.containers.list(all=True, filters={"label": LABEL_RUN}, ignore_removed=True):
        pid = container.labels.get(LABEL_PID, "")
        if pid.isdigit() and _alive(int(pid)):
            continue
        with contextlib.suppress(docker.errors.NotFound):
            container.remove(force=True, v=True)
            removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A killed run's controller may linger as a zombie until init reaps it: that run is over.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return True
