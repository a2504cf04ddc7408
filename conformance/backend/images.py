"""Target images: each recipe kind's builder, tags from hashed recipes, built once under a lock, cached."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

import docker
import docker.errors
from filelock import FileLock

from conformance.backend import cpython, debootstrap, musl, wine
from conformance.backend.build import BuildContext, ImageBuildError, image_exists
from conformance.catalogue.accounts import ACCOUNTS
from conformance.catalogue.targets import TARGETS, CPythonSource, Distro, MuslCPython, Target, WineCPython
from conformance.paths import cache_dir

log = logging.getLogger(__name__)

#: Bump when the shared build steps (build.py) change in a way the recipe fields do not show.
RECIPE_VERSION = 3  # 3: each account's venv is made in the image
#: "local": built here from package archives and sources; "registry": from the image it stands for.
ImageSource = Literal["local", "registry"]
IMAGE_SOURCES: tuple[ImageSource, ...] = ("local", "registry")


@dataclass(frozen=True)
class Builder:
    """How one kind of recipe becomes an image: built locally, or a Dockerfile from its registry image."""

    build: Callable[[Target, BuildContext], None]
    dockerfile: Callable[[Target, BuildContext], str]
    #: Bump when this builder's steps change in a way the recipe fields do not show.
    revision: int = 1
    needs_root: bool = True  # chroots, device nodes, bind mounts on the host
    #: Tags of the helper images it makes (kept by ``prune``), given a way to name any target's image.
    helpers: Callable[[Callable[[Target], str]], list[str]] = field(default=lambda image_of: [])


#: One builder per kind of recipe (catalogue/targets.py ``Recipe``).
BUILDERS: dict[type, Builder] = {
    Distro: Builder(debootstrap.build, debootstrap.dockerfile, helpers=debootstrap.helpers),
    # 2: no test modules, no debug info; 3: -O1.
    CPythonSource: Builder(cpython.build, cpython.dockerfile, revision=3),
    WineCPython: Builder(wine.build, wine.dockerfile),
    MuslCPython: Builder(musl.build, musl.dockerfile, revision=3),  # 3: -O1 without debug info
}


@dataclass(frozen=True)
class BuiltImage:
    """A target image ready to start: its tag, and how long getting it took."""

    target: str
    tag: str
    seconds: float
    cached: bool


def recipe(target: Target, source: ImageSource) -> dict[str, object]:
    """Everything that decides the image's content; its hash names the image."""
    return {
        "recipe_version": RECIPE_VERSION,
        "builder_revision": BUILDERS[type(target.recipe)].revision,
        "source": source,
        "target": asdict(target),
        "accounts": [asdict(a) for a in ACCOUNTS.values()],
    }


def image_tag(target: Target, source: ImageSource) -> str:
    digest = hashlib.sha256(json.dumps(recipe(target, source), sort_keys=True).encode()).hexdigest()
    return f"conformance/{target.name}:{source}-{digest[:12]}"


def ensure_image(client: docker.DockerClient, target: Target, source: ImageSource) -> BuiltImage:
    """Return the target's image, building it once even when many workers ask at the same time."""
    start = time.monotonic()
    tag = image_tag(target, source)
    if image_exists(client, tag):
        return BuiltImage(target.name, tag, time.monotonic() - start, cached=True)
    locks = cache_dir() / "locks"
    locks.mkdir(parents=True, exist_ok=True)
    with FileLock(str(locks / f"image-{target.name}.lock")):
        if image_exists(client, tag):
            return BuiltImage(target.name, tag, time.monotonic() - start, cached=True)
        log_dir = cache_dir() / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        log_path = log_dir / f"image-{target.name}.log"
        log_path.write_text("")
        log.info("building %s (%s), log in %s", tag, source, log_path)
        builder = BUILDERS[type(target.recipe)]
        context = BuildContext(client, tag, log_path, lambda other: ensure_image(client, other, source).tag)
        if source == "registry":
            _build_from_registry(target, context, builder.dockerfile(target, context))
        else:
            if builder.needs_root and os.geteuid() != 0:
                raise ImageBuildError(
                    f"Building {tag} here needs root (chroot, device nodes); run as root, "
                    "or use --image-source=registry where a registry answers."
                )
            builder.build(target, context)
    return BuiltImage(target.name, tag, time.monotonic() - start, cached=False)


def _build_from_registry(target: Target, context: BuildContext, dockerfile: str) -> None:
    with tempfile.TemporaryDirectory() as directory:
        Path(directory, "Dockerfile").write_text(dockerfile)
        try:
            _, output = context.client.images.build(
                path=directory, tag=context.tag, network_mode="host", rm=True
            )
        except docker.errors.BuildError as error:
            raise ImageBuildError(
                f"Building {context.tag} from {target.registry_image} failed: {error}"
            ) from error
        with context.log_path.open("a") as out:
            out.writelines(str(chunk.get("stream", "")) for chunk in output)


def stale_images(client: docker.DockerClient) -> list[str]:
    """Tags of target and builder images that no current recipe names (left by an older recipe)."""
    current = {image_tag(t, source) for t in TARGETS.values() for source in IMAGE_SOURCES}
    for builder in BUILDERS.values():
        current.update(builder.helpers(lambda other: image_tag(other, "local")))
    tags = (tag for image in client.images.list() for tag in image.tags)
    return sorted(t for t in tags if t.startswith("conformance/") and t not in current)
