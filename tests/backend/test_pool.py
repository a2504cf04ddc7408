"""Containers started ahead: each cell gets a fresh, snapshotted one, and nothing outlives the pool."""

from __future__ import annotations

import io
import tarfile
from collections.abc import Callable

import docker
import pytest

from conformance.backend.container import LABEL_RUN
from conformance.backend.pool import ContainerPool, moved
from conformance.backend.protocol import Placement
from conformance.backend.staging import Toolset
from conformance.catalogue.accounts import ACCOUNTS
from conformance.run.facts import InterpreterFacts
from conformance.run.observe import begin, observe

TARGET = "debian-bookworm"


def _of_run(client: docker.DockerClient, run: str) -> list[str]:
    return [c.id for c in client.containers.list(all=True, filters={"label": f"{LABEL_RUN}={run}"})]


@pytest.mark.docker
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


@pytest.mark.docker
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


@pytest.mark.docker
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


def _tar(*members: tuple[tarfile.TarInfo, bytes | None]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        for info, content in members:
            archive.addfile(info, io.BytesIO(content) if content is not None else None)
    return out.getvalue()


def _member(name: str, kind: bytes, mode: int, *, content: bytes = b"", link: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.mode, info.uid, info.gid, info.uname = kind, mode, 0, 0, "root"
    info.size, info.linkname = (len(content) if kind == tarfile.REGTYPE else 0), link
    return info


SCRIPT = b"#!/usr/bin/python3\n"


def test_a_moved_tree_is_renamed_at_the_top_and_owned_by_the_account_modes_and_links_kept() -> None:
    data = _tar(
        (_member(".local", tarfile.DIRTYPE, 0o700), None),
        (_member(".local/bin", tarfile.DIRTYPE, 0o755), None),
        (
            _member(".local/bin/demo", tarfile.REGTYPE, 0o750, content=b"#!/usr/bin/python3\n"),
            b"#!/usr/bin/python3\n",
        ),
        (_member(".local/bin/alias", tarfile.SYMTYPE, 0o777, link="/root/.local/bin/demo"), None),
        (_member(".local/bin/twin", tarfile.LNKTYPE, 0o750, link=".local/bin/demo"), None),
    )
    user = ACCOUNTS["user"]
    with tarfile.open(fileobj=io.BytesIO(moved(data, "base", user))) as archive:
        members = {m.name: m for m in archive.getmembers()}
        assert sorted(members) == ["base", "base/bin", "base/bin/alias", "base/bin/demo", "base/bin/twin"]
        assert {(m.uid, m.gid, m.uname) for m in members.values()} == {(user.uid, user.gid, "")}
        assert [members[n].mode for n in ("base", "base/bin", "base/bin/demo")] == [0o700, 0o755, 0o750]
        # A symbolic link's text is the link's own (an absolute one still names the first home).
        assert members["base/bin/alias"].linkname == "/root/.local/bin/demo"
        assert members["base/bin/twin"].linkname == "base/bin/demo"
        demo = archive.extractfile(members["base/bin/demo"])
        assert demo is not None and demo.read() == SCRIPT


@pytest.mark.docker
def test_a_next_stage_in_another_home_holds_the_tree_there_owned_by_that_account(
    target_images: Callable[[str], str], toolset: Toolset, docker_client: docker.DockerClient
) -> None:
    run = "test-pool-next-stage-moved"
    root, user = ACCOUNTS["root"], ACCOUNTS["user"]
    base, there = f"{root.home}/.local", f"{user.home}/.local"
    with ContainerPool(toolset.root, run, begin) as pool:
        source = pool.take(target_images(TARGET))
        made = f"mkdir -p {base}/bin && echo hi > {base}/bin/x && chmod 750 {base}/bin/x"
        assert source.exec(["sh", "-c", made], root).exit_code == 0
        with pool.next_stage(source, base, Placement(there, user)) as stage:
            listing = stage.exec(
                ["sh", "-c", f"stat -c '%n %u %g %a' {there} {there}/bin/x; cat {there}/bin/x"], user
            )
            assert listing.stdout.splitlines() == [
                f"{there} {user.uid} {user.gid} 755",
                f"{there}/bin/x {user.uid} {user.gid} 750",
                "hi",
            ]
            assert stage.exec(["test", "-e", base], root).exit_code != 0
        pool.release(source)
    assert _of_run(docker_client, run) == []
