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


def test_the_next_stage_is_a_fresh_container_with_only_the_copied_directory(
    target_images: Callable[[str], str],
    toolset: Toolset,
    docker_client: docker.DockerClient,
    host_facts: InterpreterFacts,
) -> None:
    run = "test-pool-next-stage"
    user = ACCOUNTS["user"]
    base = f"{user.home}/.local"
    with ContainerPool(toolset.root, run, begin) as pool:
        source = pool.take(target_images(TARGET))
        made = (
            f"mkdir -p {base}/bin && echo hi > {base}/bin/x && chmod 750 {base}/bin/x && ln -s x {base}/bin/y"
        )
        assert source.exec(["sh", "-c", made], user).exit_code == 0
        source.exec(["touch", "/etc/not-copied"], ACCOUNTS["root"])
        with pool.next_stage(source, base) as stage:
            assert stage.id != source.id
            listing = stage.exec(
                ["sh", "-c", f"stat -c '%n %u %a %F' {base}/bin/*; readlink {base}/bin/y"], user
            )
            assert listing.stdout.splitlines() == [
                f"{base}/bin/x {user.uid} 750 regular file",
                f"{base}/bin/y {user.uid} 777 symbolic link",
                "x",
            ]
            # Its first snapshot was taken before the copy: the copy is what it shows, beside the files the
            # engine rewrites for the container when anything is copied into it (not the source's /etc).
            changed = {f.path for f in observe(stage, host_facts).files}
            copied = sorted(p for p in changed if p.startswith(base))
            assert copied == [base, f"{base}/bin", f"{base}/bin/x", f"{base}/bin/y"]
            assert changed - set(copied) <= {"/etc/hostname", "/etc/hosts", "/etc/resolv.conf"}
        with pool.next_stage(source, None) as empty:
            assert observe(empty, host_facts).files == []
        pool.release(source)
    assert _of_run(docker_client, run) == []
