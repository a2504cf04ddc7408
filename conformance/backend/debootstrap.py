"""The distribution builder: debootstrap a Debian or Ubuntu suite with its python3, upgrade, add accounts."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from filelock import FileLock

from conformance.backend.build import BuildContext, accounts_script, build_step, image_exists, run_logged
from conformance.backend.engine import ensure_host_packages
from conformance.catalogue.targets import TARGETS, UBUNTU_BUILDER_BASE, Distro, Target
from conformance.paths import cache_dir

#: What a debootstrap inside a container needs on these machines (--privileged is refused here).
_BUILDER_SECURITY = {"cap_add": ["SYS_ADMIN"], "security_opt": ["seccomp=unconfined", "apparmor=unconfined"]}


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


def _recipe(target: Target) -> Distro:
    assert isinstance(target.recipe, Distro), target
    return target.recipe


def _debootstrap_args(recipe: Distro, rootfs: str) -> list[str]:
    return [
        "debootstrap",
        "--variant=minbase",
        f"--components={','.join(recipe.components)}",
        f"--include={','.join(recipe.packages)}",
        recipe.suite,
        rootfs,
    ]


# debootstrap leaves only the release pocket; registry images also carry -updates and -security.
# The mirror is the one debootstrap wrote; SECURITY is the security archive (empty: the same mirror).
POCKETS = """
set -e
set -- $(grep -m1 '^deb ' /etc/apt/sources.list)
mirror=$2 suite=$3
shift 3
echo "deb $mirror $suite-updates $*" >> /etc/apt/sources.list
echo "deb ${SECURITY:-$mirror} $suite-security $*" >> /etc/apt/sources.list
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get -y -qq upgrade
"""


def _finish_image(target: Target, base: str, context: BuildContext) -> None:
    """Add the update pockets and upgrade, create the accounts, drop apt's caches; commit as the tag."""
    security = host_debian_mirror(pocket="-security") if _recipe(target).distro == "debian" else None
    script = f"{POCKETS} {accounts_script()} && apt-get clean && rm -rf /var/lib/apt/lists/*"
    with build_step(
        context.client,
        base,
        ["/bin/sh", "-c", script],
        context.log_path,
        f"Finishing {context.tag}",
        environment={"SECURITY": security or ""},
    ) as done:
        context.commit(done, target)


def _import_rootfs(context: BuildContext, rootfs: Path, tag: str) -> None:
    archive = rootfs.with_name(rootfs.name + ".tar")  # names like python-3.13-... have dots
    run_logged(["tar", "--numeric-owner", "-C", str(rootfs), "-cf", str(archive), "."], context.log_path)
    repository, _, version = tag.partition(":")
    try:
        context.client.api.import_image_from_file(str(archive), repository=repository, tag=version)
    finally:
        archive.unlink(missing_ok=True)


def _builder_tag(base: str) -> str:
    return f"conformance/builder-ubuntu:{base.rpartition(':')[2]}"


def helpers(image_of: Callable[[Target], str]) -> list[str]:
    """The Ubuntu builder image, named after the Debian image it is made from."""
    return [_builder_tag(image_of(TARGETS[UBUNTU_BUILDER_BASE]))]


def _ubuntu_builder(context: BuildContext) -> str:
    """An image of the Debian builder suite with debootstrap and ubuntu-keyring added."""
    base = context.image_of(TARGETS[UBUNTU_BUILDER_BASE])
    tag = _builder_tag(base)
    # Both Ubuntu targets need it; under xdist they may be built at the same time.
    with FileLock(str(cache_dir() / "locks" / "builder-ubuntu.lock")):
        if not image_exists(context.client, tag):
            script = (
                "apt-get update -qq && DEBIAN_FRONTEND=noninteractive "
                "apt-get install -y -qq debootstrap ubuntu-keyring"
            )
            command = ["/bin/sh", "-c", script]
            with build_step(
                context.client, base, command, context.log_path, "Preparing the Ubuntu builder"
            ) as done:
                repository, _, version = tag.partition(":")
                done.commit(repository=repository, tag=version, changes=['CMD ["sleep", "infinity"]'])
    return tag


def _debootstrap_ubuntu(target: Target, recipe: Distro, rootfs: Path, context: BuildContext) -> None:
    builder = _ubuntu_builder(context)
    # debootstrap's own default Ubuntu mirror is used: no mirror is named in the suite.
    volumes = {str(rootfs): {"bind": "/rootfs", "mode": "rw"}}
    args = _debootstrap_args(recipe, "/rootfs")
    with build_step(
        context.client,
        builder,
        args,
        context.log_path,
        f"debootstrap of {target.suite}",
        volumes=volumes,
        **_BUILDER_SECURITY,
    ):
        pass  # the rootfs is in the bind-mounted directory; nothing to keep from the container


def bootstrap(target: Target, recipe: Distro, context: BuildContext, tag: str) -> None:
    """debootstrap the suite (Debian's from the host's archive, Ubuntu's in a builder) as image ``tag``."""
    scratch = cache_dir() / "rootfs"
    scratch.mkdir(parents=True, exist_ok=True)
    rootfs = Path(tempfile.mkdtemp(prefix=f"{target.name}-", dir=scratch))
    try:
        if recipe.distro == "debian":
            ensure_host_packages(("debootstrap", "debootstrap"))
            mirror = host_debian_mirror()
            run_logged(
                _debootstrap_args(recipe, str(rootfs)) + ([mirror] if mirror else []), context.log_path
            )
        else:
            _debootstrap_ubuntu(target, recipe, rootfs, context)
        _import_rootfs(context, rootfs, tag)
    finally:
        shutil.rmtree(rootfs, ignore_errors=True)


def build(target: Target, context: BuildContext) -> None:
    """debootstrap the suite, then finish it."""
    base = f"{context.tag}-rootfs"
    bootstrap(target, _recipe(target), context, base)
    try:
        _finish_image(target, base, context)
    finally:
        context.client.images.remove(base, force=True)


def dockerfile(target: Target, context: BuildContext) -> str:
    """The same packages and accounts on the registry image the target stands for."""
    packages = " ".join(_recipe(target).packages)
    return (
        f"FROM {target.registry_image}\n"
        f"RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "
        f"{packages} && rm -rf /var/lib/apt/lists/* && {accounts_script()}\n"
        f"{context.labels(target)}\n"
        'CMD ["sleep", "infinity"]\n'
    )
