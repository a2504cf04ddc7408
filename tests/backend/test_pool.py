"""Containers started ahead: each cell gets a fresh, snapshotted one, and nothing outlives the pool."""

from __future__ import annotations

from collections.abc import Callable

import docker
import pytest

from conformance.backend.container import LABEL_RUN
from conformance.backend.pool import ContainerPool
from conformance.backend.staging import Toolset
from conformance.catalogue.accounts import ACCOUNTS
from conformance.run.facts import InterpreterFacts
from conformance.run.observe import begin, observe

pytestmark = pytest.mark.docker
TARGET = "debian-bookworm"


def _of_run(client: docker.DockerClient, run: str) -> list[str]:
    return [c.id for c in client.containers.list(all=True, filters={"label": f"{LABEL_RUN}={run}"})]


def test_each_take_is_a_fresh_snapshotted_container_and_close_removes_all(
    target_images: Callable[[str], str],
    toolset: Toolset,
    docker_client: docker.DockerClient,
    host_facts: InterpreterFacts,
) -> None:
    run = "test-pool-run"
    image = target_images(TARGET)
    with ContainerPool(toolset.root, run, begin) as pool:
        first = pool.take(image)
        first.exec(["touch", "/etc/first"], ACCOUNTS["root"])
        assert [f.path for f in observe(first, host_facts).files] == ["/etc/first"]
        pool.release(first)
        second = pool.take(image)
        assert second.id != first.id
        # Fresh: the first cell's write is not here, and the snapshot was taken before this cell.
        assert observe(second, host_facts).files == []
        assert len(_of_run(docker_client, run)) >= 2  # this one and the spare starting behind it
        pool.release(second)
    assert _of_run(docker_client, run) == []


def test_a_spare_of_another_image_is_removed_not_used(
    target_images: Callable[[str], str], toolset: Toolset, docker_client: docker.DockerClient
) -> None:
    run = "test-pool-switch"
    bookworm, trixie = target_images(TARGET), target_images("debian-trixie")
    with ContainerPool(toolset.root, run, begin) as pool:
        pool.release(pool.take(bookworm))
        other = pool.take(trixie)
        assert other.image == trixie
        pool.release(other)
    assert _of_run(docker_client, run) == []
