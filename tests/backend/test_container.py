"""The Docker backend: accounts, no network, read-only tools, whole-filesystem observation, and cleanup."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable

import docker
import pytest

from conformance.backend.container import (
    LABEL_PID,
    LABEL_RUN,
    TargetContainer,
    remove_run_containers,
    sweep_stale_containers,
)
from conformance.backend.staging import MOUNT_POINT, Toolset
from conformance.catalogue.accounts import ACCOUNTS
from conformance.run.facts import InterpreterFacts
from conformance.run.observe import begin, observe

pytestmark = pytest.mark.docker
TARGET = "debian-bookworm"


@pytest.fixture
def container(target_images: Callable[[str], str], toolset: Toolset, run_id: str) -> TargetContainer:
    return TargetContainer(target_images(TARGET), toolset.root, run_id)


def test_commands_run_as_the_account(container: TargetContainer) -> None:
    with container:
        result = container.exec(["sh", "-c", 'id -u; echo "$HOME"'], ACCOUNTS["user"])
    assert result.stdout.split() == [str(ACCOUNTS["user"].uid), ACCOUNTS["user"].home]


def test_cells_have_no_network(container: TargetContainer) -> None:
    with container:
        result = container.exec(["ls", "/sys/class/net"], ACCOUNTS["root"])
    assert result.stdout.split() == ["lo"]


def test_the_tools_mount_is_read_only(container: TargetContainer) -> None:
    with container:
        result = container.exec(["touch", f"{MOUNT_POINT}/x"], ACCOUNTS["root"])
    assert result.exit_code != 0
    assert "Read-only" in result.stderr


def test_the_probe_sees_writes_anywhere_on_the_targets_filesystem(
    container: TargetContainer, host_facts: InterpreterFacts
) -> None:
    root, user = ACCOUNTS["root"], ACCOUNTS["user"]
    stray = ["/etc/stray", "/opt/stray", "/var/stray", "/usr/lib/stray", "/tmp/stray"]
    with container:
        begin(container)
        container.exec(["touch", *stray], root)
        container.exec(["touch", f"{user.home}/.local-stray"], user)
        container.exec(["sh", "-c", "echo x >> /etc/passwd"], root)
        files = {f.path: f.change for f in observe(container, host_facts).files}
    assert files == {
        **dict.fromkeys(stray, "added"),
        f"{user.home}/.local-stray": "added",
        "/etc/passwd": "modified",
    }


def test_the_container_is_removed_even_when_the_body_fails(
    container: TargetContainer, docker_client: docker.DockerClient
) -> None:
    with pytest.raises(RuntimeError), container:
        started = container.id
        raise RuntimeError("cell failed")
    assert not docker_client.containers.list(all=True, filters={"id": started})


def test_kept_containers_are_removed_with_the_run(
    target_images: Callable[[str], str], toolset: Toolset, docker_client: docker.DockerClient
) -> None:
    run = "test-keep-run"
    with TargetContainer(target_images(TARGET), toolset.root, run, keep=True) as kept:
        kept_id = kept.id
    assert docker_client.containers.list(all=True, filters={"id": kept_id})
    assert remove_run_containers(docker_client, run) == 1
    assert not docker_client.containers.list(all=True, filters={"id": kept_id})


def test_sweep_removes_only_containers_of_dead_runs(
    target_images: Callable[[str], str], docker_client: docker.DockerClient
) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    image = target_images(TARGET)
    stale = docker_client.containers.create(image, labels={LABEL_RUN: "old", LABEL_PID: str(dead.pid)})
    live = docker_client.containers.create(image, labels={LABEL_RUN: "live", LABEL_PID: str(os.getpid())})
    try:
        sweep_stale_containers(docker_client)
        remaining = {c.id for c in docker_client.containers.list(all=True, filters={"label": LABEL_RUN})}
        assert stale.id not in remaining
        assert live.id in remaining
    finally:
        live.remove(force=True)


def test_a_zombie_controller_counts_as_gone() -> None:
    from conformance.backend.container import _alive

    child = subprocess.Popen(["true"])
    deadline = time.monotonic() + 10
    while _alive(child.pid) and time.monotonic() < deadline:
        time.sleep(0.05)  # exited but not yet waited for: a zombie
    assert not _alive(child.pid)
    child.wait()
    assert _alive(os.getpid())
