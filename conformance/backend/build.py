"""Shared steps of image builders: logged commands, build containers, the accounts, and labels."""

from __future__ import annotations

import shlex
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docker
import docker.errors
from docker.models.containers import Container

from conformance.catalogue.accounts import ACCOUNTS
from conformance.catalogue.targets import Target

#: The C compiler's flags for the CPython builds, in place of configure's "-DNDEBUG -g -O3 -Wall" (and, in
#: the official image's build, dpkg-buildflags' -O2 after it): -O1 without debug info took a third of the
#: compiler's CPU time on CPython's six largest files, and compiling CPython was the largest part of a cold
#: CI run's image builds. The interpreter is a little slower; where files land does not change.
CPYTHON_OPT = "-DNDEBUG -O1 -Wall"

LABEL_TARGET = "io.conformance.target"
LABEL_RECIPE = "io.conformance.recipe"


def image_exists(client: docker.DockerClient, tag: str) -> bool:
    """Whether the engine has an image of this tag."""
    try:
        client.images.get(tag)
    except docker.errors.ImageNotFound:
        return False
    return True


class ImageBuildError(RuntimeError):
    """An image could not be built; the message carries the tail of the build log."""


@dataclass(frozen=True)
class BuildContext:
    """What a builder gets: the engine, the tag to produce, its log, and other targets' images."""

    client: docker.DockerClient
    tag: str
    log_path: Path
    image_of: Callable[[Target], str]  # another target's image tag, built first if need be

    def labels(self, target: Target) -> str:
        """The Dockerfile LABEL line every target image carries."""
        return f'LABEL {LABEL_TARGET}="{target.name}" {LABEL_RECIPE}="{self.tag.rpartition(":")[2]}"'

    def commit(self, container: Container, target: Target, changes: Sequence[str] = ()) -> None:
        """Commit a finished build container as this context's tag, labelled, idling by default; ``changes``
        are more Dockerfile instructions."""
        repository, _, version = self.tag.partition(":")
        label = f"LABEL {LABEL_TARGET}={target.name} {LABEL_RECIPE}={version}"
        container.commit(
            repository=repository, tag=version, changes=['CMD ["sleep", "infinity"]', label, *changes]
        )


def accounts_script() -> str:
    """Shell that creates every non-root account (replacing a registry image's own uid-1000 login), then
    each account's venv, owned by it: made once here, not in every venv cell."""
    steps = []
    for account in ACCOUNTS.values():
        if account.uid == 0:
            continue
        steps.append(
            f"old=$(getent passwd {account.uid} | cut -d: -f1); "
            f'if [ -n "$old" ]; then userdel -r "$old"; fi; '
            f"useradd --create-home --uid {account.uid} --user-group --shell /bin/sh {account.name}"
        )
    for account in ACCOUNTS.values():
        venv = f"python3 -m venv {shlex.quote(account.venv)}"
        steps.append(venv if account.uid == 0 else f"runuser -u {account.name} -- {venv}")
    return " && ".join(steps)


def run_logged(argv: list[str], log_path: Path) -> None:
    with log_path.open("ab") as out:
        out.write(f"$ {shlex.join(argv)}\n".encode())
        out.flush()
        result = subprocess.run(argv, stdout=out, stderr=subprocess.STDOUT, check=False)
    if result.returncode != 0:
        raise ImageBuildError(f"`{shlex.join(argv)}` failed ({result.returncode}):\n{tail(log_path)}")


def tail(path: Path, lines: int = 25) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


@contextmanager
def build_step(
    client: docker.DockerClient, image: str, command: list[str], log_path: Path, what: str, **kwargs: Any
) -> Iterator[Container]:
    """Run a build command in a container on the host's network; yield it if it succeeded; remove it."""
    started = time.monotonic()
    container = client.containers.run(image, command, network_mode="host", detach=True, **kwargs)
    try:
        status = container.wait()
        with log_path.open("ab") as out:
            out.write(container.logs())
            # Cold-build figures in the README come from these lines.
            out.write(f"== {what}: {time.monotonic() - started:.0f} s\n".encode())
        if status.get("StatusCode") != 0:
            raise ImageBuildError(f"{what} failed:\n{tail(log_path)}")
        yield container
    finally:
        container.remove(force=True)
