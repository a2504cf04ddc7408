"""Target images: built once from a hashed recipe (debootstrap, or a registry base) and cached."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shlex
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

import docker
import docker.errors
from docker.models.containers import Container
from filelock import FileLock

from conformance.backend.engine import ensure_host_packages
from conformance.catalogue.accounts import ACCOUNTS
from conformance.catalogue.targets import TARGETS, UBUNTU_BUILDER_BASE, Target
from conformance.paths import cache_dir

log = logging.getLogger(__name__)

#: Bump when the build steps below change in a way the recipe fields do not show.
RECIPE_VERSION = 3  # 3: each account's venv is made in the image
ImageSource = Literal["debootstrap", "registry"]
IMAGE_SOURCES: tuple[ImageSource, ...] = ("debootstrap", "registry")
LABEL_TARGET = "io.conformance.target"
LABEL_RECIPE = "io.conformance.recipe"
#: What a debootstrap inside a container needs on these machines (--privileged is refused here).
_BUILDER_SECURITY = {"cap_add": ["SYS_ADMIN"], "security_opt": ["seccomp=unconfined", "apparmor=unconfined"]}


class ImageBuildError(RuntimeError):
    """An image could not be built; the message carries the tail of the build log."""


@dataclass(frozen=True)
class BuiltImage:
    """A target image ready to start: its tag, and how long getting it took."""

    target: str
    tag: str
    seconds: float
    cached: bool


def _accounts_script() -> str:
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


def recipe(target: Target, source: ImageSource) -> dict[str, object]:
    """Everything that decides the image's content; its hash names the image."""
    return {
        "recipe_version": RECIPE_VERSION,
        "source": source,
        "target": asdict(target),
        "accounts": [asdict(a) for a in ACCOUNTS.values()],
    }


def image_tag(target: Target, source: ImageSource) -> str:
    digest = hashlib.sha256(json.dumps(recipe(target, source), sort_keys=True).encode()).hexdigest()
    return f"conformance/{target.name}:{source}-{digest[:12]}"


def host_debian_mirror(
    apt: Path = Path("/etc/apt"), os_release: Path = Path("/etc/os-release"), pocket: str = ""
) -> str | None:
    """The Debian archive the host apt uses for ``pocket`` ("" or "-security"); no mirror is named here."""
    codename = _os_release(os_release).get("VERSION_CODENAME", "") + pocket
    for path in sorted(apt.glob("sources.list.d/*.sources")):
        for stanza in path.read_text(encoding="utf-8", errors="replace").split("\n\n"):
            fields = dict(
                (k.strip(), v.strip())
                for k, _, v in (
                    line.partition(":") for line in stanza.splitlines() if not line.startswith("#")
                )
            )
            if (
                fields.get("Types", "").split()[:1] == ["deb"]
                and codename in fields.get("Suites", "").split()
            ):
                return fields.get("URIs", "").split()[0]
    lists = [apt / "sources.list", *sorted(apt.glob("sources.list.d/*.list"))]
    for path in lists:
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            words = [w for w in line.split() if not w.startswith("[")]
            if len(words) >= 3 and words[0] == "deb" and words[2] == codename:
                return words[1]
    return None


def _os_release(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    pairs = (line.partition("=") for line in path.read_text().splitlines() if "=" in line)
    return {k: v.strip('"') for k, _, v in pairs}


def _debootstrap_args(target: Target, rootfs: str) -> list[str]:
    return [
        "debootstrap",
        "--variant=minbase",
        f"--components={','.join(target.components)}",
        f"--include={','.join(target.packages)}",
        target.suite,
        rootfs,
    ]


def _run_logged(argv: list[str], log_path: Path) -> None:
    with log_path.open("ab") as out:
        out.write(f"$ {shlex.join(argv)}\n".encode())
        out.flush()
        result = subprocess.run(argv, stdout=out, stderr=subprocess.STDOUT, check=False)
    if result.returncode != 0:
        raise ImageBuildError(f"`{shlex.join(argv)}` failed ({result.returncode}):\n{_tail(log_path)}")


def _tail(path: Path, lines: int = 25) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


# debootstrap leaves only the release pocket; registry images also carry -updates and -security.
# The mirror is the one debootstrap wrote; SECURITY is the security archive (empty: the same mirror).
_POCKETS = """
set -e
set -- $(grep -m1 '^deb ' /etc/apt/sources.list)
mirror=$2 suite=$3
shift 3
echo "deb $mirror $suite-updates $*" >> /etc/apt/sources.list
echo "deb ${SECURITY:-$mirror} $suite-security $*" >> /etc/apt/sources.list
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get -y -qq upgrade
"""


@contextmanager
def _build_step(
    client: docker.DockerClient, image: str, command: list[str], log_path: Path, what: str, **kwargs: Any
) -> Iterator[Container]:
    """Run a build command in a container on the host's network; yield it if it succeeded; remove it."""
    container = client.containers.run(image, command, network_mode="host", detach=True, **kwargs)
    try:
        status = container.wait()
        with log_path.open("ab") as out:
            out.write(container.logs())
        if status.get("StatusCode") != 0:
            raise ImageBuildError(f"{what} failed:\n{_tail(log_path)}")
        yield container
    finally:
        container.remove(force=True)


def _finish_image(client: docker.DockerClient, base: str, tag: str, target: Target, log_path: Path) -> None:
    """Add the update pockets and upgrade, create the accounts, drop apt's caches; commit as ``tag``."""
    security = host_debian_mirror(pocket="-security") if target.distro == "debian" else None
    script = f"{_POCKETS} {_accounts_script()} && apt-get clean && rm -rf /var/lib/apt/lists/*"
    command = ["/bin/sh", "-c", script]
    with _build_step(
        client, base, command, log_path, f"Finishing {tag}", environment={"SECURITY": security or ""}
    ) as done:
        repository, _, version = tag.partition(":")
        label = f"LABEL {LABEL_TARGET}={target.name} {LABEL_RECIPE}={version}"
        done.commit(repository=repository, tag=version, changes=['CMD ["sleep", "infinity"]', label])


def _import_rootfs(client: docker.DockerClient, rootfs: Path, tag: str, log_path: Path) -> None:
    archive = rootfs.with_suffix(".tar")
    _run_logged(["tar", "--numeric-owner", "-C", str(rootfs), "-cf", str(archive), "."], log_path)
    repository, _, version = tag.partition(":")
    try:
        client.api.import_image_from_file(str(archive), repository=repository, tag=version)
    finally:
        archive.unlink(missing_ok=True)


def _builder_tag(base: str) -> str:
    return f"conformance/builder-ubuntu:{base.rpartition(':')[2]}"


def _ubuntu_builder(client: docker.DockerClient, log_path: Path) -> str:
    """An image of the Debian builder suite with debootstrap and ubuntu-keyring added."""
    base = ensure_image(client, TARGETS[UBUNTU_BUILDER_BASE], "debootstrap").tag
    tag = _builder_tag(base)
    # Both Ubuntu targets need it; under xdist they may be built at the same time.
    with FileLock(str(cache_dir() / "locks" / "builder-ubuntu.lock")):
        if not _image_exists(client, tag):
            _prepare_ubuntu_builder(client, base, tag, log_path)
    return tag


def _prepare_ubuntu_builder(client: docker.DockerClient, base: str, tag: str, log_path: Path) -> None:
    script = (
        "apt-get update -qq && DEBIAN_FRONTEND=noninteractive "
        "apt-get install -y -qq debootstrap ubuntu-keyring"
    )
    with _build_step(
        client, base, ["/bin/sh", "-c", script], log_path, "Preparing the Ubuntu builder"
    ) as done:
        repository, _, version = tag.partition(":")
        done.commit(repository=repository, tag=version, changes=['CMD ["sleep", "infinity"]'])


def _debootstrap_ubuntu(client: docker.DockerClient, target: Target, rootfs: Path, log_path: Path) -> None:
    builder = _ubuntu_builder(client, log_path)
    # debootstrap's own default Ubuntu mirror is used: no mirror is named in the suite.
    volumes = {str(rootfs): {"bind": "/rootfs", "mode": "rw"}}
    args = _debootstrap_args(target, "/rootfs")
    with _build_step(
        client,
        builder,
        args,
        log_path,
        f"debootstrap of {target.suite}",
        volumes=volumes,
        **_BUILDER_SECURITY,
    ):
        pass  # the rootfs is in the bind-mounted directory; nothing to keep from the container


def _build_from_debootstrap(client: docker.DockerClient, target: Target, tag: str, log_path: Path) -> None:
    scratch = cache_dir() / "rootfs"
    scratch.mkdir(parents=True, exist_ok=True)
    rootfs = Path(tempfile.mkdtemp(prefix=f"{target.name}-", dir=scratch))
    try:
        if target.distro == "debian":
            ensure_host_packages(("debootstrap", "debootstrap"))
            mirror = host_debian_mirror()
            _run_logged(_debootstrap_args(target, str(rootfs)) + ([mirror] if mirror else []), log_path)
        else:
            _debootstrap_ubuntu(client, target, rootfs, log_path)
        base = f"{tag}-rootfs"
        _import_rootfs(client, rootfs, base, log_path)
    finally:
        shutil.rmtree(rootfs, ignore_errors=True)
    try:
        _finish_image(client, base, tag, target, log_path)
    finally:
        client.images.remove(base, force=True)


def _build_from_registry(client: docker.DockerClient, target: Target, tag: str, log_path: Path) -> None:
    packages = " ".join(target.packages)
    dockerfile = (
        f"FROM {target.registry_image}\n"
        f"RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "
        f"{packages} && rm -rf /var/lib/apt/lists/* && {_accounts_script()}\n"
        f'LABEL {LABEL_TARGET}="{target.name}" {LABEL_RECIPE}="{tag.rpartition(":")[2]}"\n'
        'CMD ["sleep", "infinity"]\n'
    )
    with tempfile.TemporaryDirectory() as context:
        Path(context, "Dockerfile").write_text(dockerfile)
        try:
            _, output = client.images.build(path=context, tag=tag, network_mode="host", rm=True)
        except docker.errors.BuildError as error:
            raise ImageBuildError(f"Building {tag} from {target.registry_image} failed: {error}") from error
        with log_path.open("a") as out:
            out.writelines(str(chunk.get("stream", "")) for chunk in output)


def _image_exists(client: docker.DockerClient, tag: str) -> bool:
    try:
        client.images.get(tag)
    except docker.errors.ImageNotFound:
        return False
    return True


def ensure_image(client: docker.DockerClient, target: Target, source: ImageSource) -> BuiltImage:
    """Return the target's image, building it once even when many workers ask at the same time."""
    start = time.monotonic()
    tag = image_tag(target, source)
    if _image_exists(client, tag):
        return BuiltImage(target.name, tag, time.monotonic() - start, cached=True)
    locks = cache_dir() / "locks"
    locks.mkdir(parents=True, exist_ok=True)
    with FileLock(str(locks / f"image-{target.name}.lock")):
        if _image_exists(client, tag):
            return BuiltImage(target.name, tag, time.monotonic() - start, cached=True)
        log_dir = cache_dir() / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        log_path = log_dir / f"image-{target.name}.log"
        log_path.write_text("")
        log.info("building %s (%s), log in %s", tag, source, log_path)
        if source == "registry":
            _build_from_registry(client, target, tag, log_path)
        else:
            if os.geteuid() != 0:
                raise ImageBuildError(
                    f"Building {tag} with debootstrap needs root (chroot, device nodes); run as root, "
                    "or use --image-source=registry where a registry answers."
                )
            _build_from_debootstrap(client, target, tag, log_path)
    return BuiltImage(target.name, tag, time.monotonic() - start, cached=False)


def stale_images(client: docker.DockerClient) -> list[str]:
    """Tags of target and builder images that no current recipe names (left by an older recipe)."""
    current = {image_tag(t, source) for t in TARGETS.values() for source in IMAGE_SOURCES}
    current.add(_builder_tag(image_tag(TARGETS[UBUNTU_BUILDER_BASE], "debootstrap")))
    tags = (tag for image in client.images.list() for tag in image.tags)
    return sorted(t for t in tags if t.startswith("conformance/") and t not in current)
