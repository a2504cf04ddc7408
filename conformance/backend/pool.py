"""Containers started ahead: the next cell's container starts and is prepared while the current one runs."""

from __future__ import annotations

import io
import logging
import posixpath
import tarfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

from conformance.backend.container import TargetContainer
from conformance.backend.protocol import Placement
from conformance.catalogue.accounts import Account

log = logging.getLogger(__name__)

#: Runs in the background on a started container before a cell takes it (the probe's first snapshot).
Prepare = Callable[[TargetContainer], None]


class ContainerPool:
    """Hands out fresh, prepared containers of an image, one spare kept warm; removes them off the clock.

    Every container is still used by exactly one cell. ``close`` waits for the background work, then
    removes every container the pool started that is still there (a removal that failed in the
    background is tried again), so nothing it started outlives it; the run's label sweep is the last net.
    """

    def __init__(self, stage_dir: str, run_id: str, prepare: Prepare, *, keep: bool = False) -> None:
        self._stage_dir = stage_dir
        self._run_id = run_id
        self._prepare = prepare
        self._keep = keep
        # Two threads: one starts the spare while the other removes the last cell's container.
        self._executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="containers")
        self._spare: tuple[str, Future[TargetContainer]] | None = None
        self._started: set[TargetContainer] = set()  # not yet removed
        self._lock = threading.Lock()
        self._closed = False

    def _ready(self, image: str) -> TargetContainer:
        container = TargetContainer(image, self._stage_dir, self._run_id, keep=self._keep)
        with self._lock:
            self._started.add(container)
        container.start()
        try:
            self._prepare(container)
        except BaseException:
            self._remove(container)
            raise
        return container

    def _remove(self, container: TargetContainer) -> None:
        try:
            container.close()
        except Exception as error:  # the engine is slow or busy: ``close`` tries again
            log.warning("could not remove container %s yet: %s", container.image, error)
            return
        with self._lock:
            self._started.discard(container)

    def take(self, image: str) -> TargetContainer:
        """A started, prepared container of ``image``; a spare of the same image starts behind it."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the container pool is closed")
            spare, self._spare = self._spare, None
        container = None
        if spare is not None:
            spare_image, future = spare
            if spare_image == image:
                container = future.result()
            else:
                self._executor.submit(self._remove_when_ready, future)
        if container is None:
            container = self._ready(image)
        with self._lock:
            if not self._closed:
                self._spare = (image, self._executor.submit(self._ready, image))
        return container

    def release(self, container: TargetContainer) -> None:
        """Remove a used container in the background (``close`` makes sure it is gone)."""
        try:
            self._executor.submit(self._remove, container)
        except RuntimeError:  # the executor is shut down: remove it here
            self._remove(container)

    @contextmanager
    def next_stage(
        self, source: TargetContainer, directory: str | None, to: Placement | None = None
    ) -> Iterator[TargetContainer]:
        """A fresh, prepared container of ``source``'s image with ``directory`` of ``source`` (if any) copied
        in, at the same path with owners and modes kept, or at ``to`` owned by its account; released when
        the block ends."""
        stage = self.take(source.image)
        try:
            if directory is not None:
                data = source.archive(directory)
                if to is not None:
                    data = moved(data, posixpath.basename(to.path), to.account)
                stage.unpack(data, posixpath.dirname(to.path if to else directory))
            yield stage
        finally:
            self.release(stage)

    def _remove_when_ready(self, future: Future[TargetContainer]) -> None:
        try:
            container = future.result()
        except BaseException as error:  # it failed to start: _ready removed what it made
            log.debug("a spare container failed to start: %s", error)
            return
        self._remove(container)

    def close(self) -> None:
        """Wait for background starts and removals, then remove the spare and anything left."""
        with self._lock:
            self._closed = True
            spare, self._spare = self._spare, None
        if spare is not None:
            self._executor.submit(self._remove_when_ready, spare[1])
        self._executor.shutdown(wait=True)
        for container in list(self._started):
            container.close()  # a second failure is the caller's to see

    def __enter__(self) -> ContainerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def moved(data: bytes, name: str, account: Account) -> bytes:
    """A tar stream made by ``archive`` with its top directory renamed ``name`` and every member owned by
    ``account``, modes kept: what ``COPY --from=... --chown`` gives."""
    out = io.BytesIO()
    with (
        tarfile.open(fileobj=io.BytesIO(data)) as source,
        tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as target,
    ):
        for member in source.getmembers():
            member.name = _renamed(member.name, name)
            if member.islnk():  # a hard link names another member; a symbolic link's text is kept
                member.linkname = _renamed(member.linkname, name)
            member.uid, member.gid, member.uname, member.gname = account.uid, account.gid, "", ""
            target.addfile(member, source.extractfile(member) if member.isreg() else None)
    return out.getvalue()


def _renamed(member: str, top: str) -> str:
    _, slash, below = member.partition("/")
    return f"{top}{slash}{below}"
