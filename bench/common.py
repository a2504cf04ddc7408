"""What every benchmark needs: an engine, a target image, the staged tools, and median/ratio printing."""

from __future__ import annotations

import statistics
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import docker

from conformance.backend.container import TargetContainer, remove_run_containers
from conformance.backend.engine import ensure_engine
from conformance.backend.images import ensure_image
from conformance.backend.pool import ContainerPool
from conformance.backend.staging import Toolset, stage
from conformance.catalogue.targets import TARGETS
from conformance.run.observe import begin


@dataclass
class Bench:
    """A benchmark session: containers it starts carry its run id and are removed at the end."""

    client: docker.DockerClient
    image: str
    toolset: Toolset
    run_id: str

    def container(self) -> TargetContainer:
        return TargetContainer(self.image, self.toolset.root, self.run_id)

    def pool(self) -> ContainerPool:
        """Containers as the matrix gets them: started and snapshotted ahead, removed off the clock."""
        return ContainerPool(self.toolset.root, self.run_id, begin)


@contextmanager
def bench_session(target: str) -> Iterator[Bench]:
    client = ensure_engine()
    image = ensure_image(client, TARGETS[target], "local").tag
    session = Bench(client, image, stage({}), f"bench-{uuid.uuid4().hex[:8]}")
    try:
        yield session
    finally:
        remove_run_containers(client, session.run_id)


def median(values: list[float]) -> float:
    return statistics.median(values)


def print_table(title: str, rows: dict[str, list[float]], baseline: str | None = None) -> None:
    """Medians per row, with min/max, and each row's ratio to ``baseline``."""
    print(f"\n{title}")
    base = median(rows[baseline]) if baseline else None
    for name, values in rows.items():
        ratio = f"  x{median(values) / base:6.2f} of {baseline}" if base else ""
        print(
            f"  {name:<28} median {median(values) * 1000:8.1f} ms"
            f"  (min {min(values) * 1000:7.1f}, max {max(values) * 1000:7.1f}, n={len(values)}){ratio}"
        )
