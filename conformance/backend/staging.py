"""Stage what cells need inside a target: installers, the wheelhouse and the probe, in one read-only dir."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from filelock import FileLock

from conformance.backend.wheels import build_system_copies, build_wheelhouse
from conformance.catalogue.installers import Staging, known_installers
from conformance.paths import BROKEN_INSTALLERS_DIR, cache_dir
from conformance.reference import __version__ as reference_version
from conformance.run import probe

log = logging.getLogger(__name__)

#: Where the staged directory is bind-mounted (read-only) in every container.
MOUNT_POINT = "/opt/conformance"
#: The wheels of the versions scenarios install system-wide at set-up (never a find-links of a cell).
SYSTEM_COPIES = "system-copies"
SYSTEM_COPIES_PLACEHOLDER = "system_copies"


class ToolError(RuntimeError):
    """An installer could not be fetched or staged; the message says which and why."""


@dataclass(frozen=True)
class Toolset:
    """A staged directory, the versions of the installers in it, and the placeholders naming its tools."""

    root: str  # host path, mounted at MOUNT_POINT
    versions: dict[str, str]  # installer name -> version, for each installer whose staging resolves one
    placeholders: dict[str, str]  # spelling placeholder -> path inside a target

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Toolset:
        return cls(**json.loads(text))

    def in_place(self) -> Toolset:
        """The same tools named where they are on this machine (the host backend runs them unmounted)."""
        placeholders = {k: v.replace(MOUNT_POINT, self.root, 1) for k, v in self.placeholders.items()}
        return replace(self, placeholders=placeholders)


@dataclass(frozen=True)
class Staged:
    """What a staging function put into the tools directory."""

    path: str  # relative to the tools directory: what the installer's placeholder names
    version: str | None  # None: no version to record


#: A staging function: the catalogue's staging, the version asked for (None: the newest; only installers
#: fetched from the index are asked for one), and the tools directory to write into.
Stager = Callable[[Staging, str | None, Path], Staged]
#: Staging functions by the name the catalogue's ``Staging.function`` gives.
STAGERS: dict[str, Stager] = {}


def stager(name: str) -> Callable[[Stager], Stager]:
    """Register a staging function under ``name``."""

    def register(function: Stager) -> Stager:
        STAGERS[name] = function
        return function

    return register


def _pip(*args: str) -> subprocess.CompletedProcess[str]:
    # The controller's pip, with the machine's own index configuration; no cache so $HOME stays untouched.
    env = {**os.environ, "PIP_NO_CACHE_DIR": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    return subprocess.run(
        [sys.executable, "-m", "pip", *args], capture_output=True, text=True, env=env, check=False
    )


def _downloads() -> Path:
    return cache_dir() / "downloads"


def _version_key(text: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else -1 for p in re.split(r"[.+-]", text))


def _newest(project: str) -> str:
    """The newest release of ``project`` on the configured index; offline, the newest one downloaded."""
    result = _pip("index", "versions", project)
    match = re.match(rf"{re.escape(project)} \(([^)]+)\)", result.stdout.strip())
    if result.returncode == 0 and match is not None:
        return match.group(1)
    cached = sorted(_downloads().glob(f"{project}-*.whl"), key=lambda p: _version_key(p.name.split("-")[1]))
    if not cached:
        raise ToolError(f"Could not find the newest {project} on the package index: {result.stderr.strip()}")
    version = cached[-1].name.split("-")[1]
    log.warning("index unreachable: using cached %s %s", project, version)
    return version


def _download(project: str, version: str, cached: str, produced: str, kind: list[str]) -> Path:
    """One file of ``project==version``: the cached one matching ``cached``, else pip downloads it."""
    dest = _downloads()
    dest.mkdir(parents=True, exist_ok=True)
    found = sorted(dest.glob(cached))
    if found:
        return found[0]
    with tempfile.TemporaryDirectory(dir=dest) as tmp:
        result = _pip("download", "--no-deps", *kind, f"{project}=={version}", "-d", tmp)
        files = sorted(Path(tmp).glob(produced))
        if result.returncode != 0 or not files:
            raise ToolError(f"Could not download {project}=={version}: {result.stderr.strip()[-800:]}")
        target = dest / files[0].name
        files[0].replace(target)
    return target


def download_wheel(project: str, version: str, platform_tag: str | None = None) -> Path:
    """One wheel of ``project==version`` for ``platform_tag`` (None: this machine's), cached across runs."""
    cached = f"{project}-{version}-*{platform_tag}*.whl" if platform_tag else f"{project}-{version}-*.whl"
    extra = ["--platform", platform_tag] if platform_tag else []
    return _download(project, version, cached, "*.whl", ["--only-binary", ":all:", *extra])


def download_sdist(project: str, version: str) -> Path:
    """The source distribution of ``project==version`` (cached across runs)."""
    cached = f"{project.replace('-', '_')}-{version}.tar.gz"
    return _download(project, version, cached, "*.tar.gz", ["--no-binary", ":all:"])


def _fetch(staging: Staging, requested: str | None, platform_tag: str | None = None) -> tuple[Path, str]:
    """A wheel of the staging's project at the version asked for (None: the newest), and that version."""
    if staging.project is None:
        raise ToolError(
            f"staging function {staging.function} fetches a project, and the catalogue names none"
        )
    version = requested or _newest(staging.project)
    return download_wheel(staging.project, version, platform_tag), version


@stager("pypi-wheel")
def _pypi_wheel(staging: Staging, requested: str | None, tools: Path) -> Staged:
    """A pure-Python wheel, run from the wheel file itself as ``python <wheel>/<project>``."""
    wheel, version = _fetch(staging, requested)
    shutil.copy2(wheel, tools / wheel.name)
    return Staged(f"{wheel.name}/{staging.project}", version)


def _extract_uv(wheel: Path, dest: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        pattern = rf"uv-[^/]+\.data/scripts/{re.escape(dest.name)}"
        member = next(n for n in archive.namelist() if re.fullmatch(pattern, n))
        with archive.open(member) as source, dest.open("wb") as out:
            shutil.copyfileobj(source, out)
    dest.chmod(0o755)


def _uv_platform_tag() -> str:
    """The uv wheel for this machine's programs (the host backend runs uv here, unmounted)."""
    machine = platform.machine().lower()
    if sys.platform == "darwin":
        return "macosx_11_0_arm64" if machine == "arm64" else "macosx_10_12_x86_64"
    # On Linux the musllinux binary is static: it runs on a glibc host and in every Linux target alike.
    return f"musllinux_1_1_{machine}"


@stager("uv-binary")
def _uv_binary(staging: Staging, requested: str | None, tools: Path) -> Staged:
    """uv's static binary, taken out of its musllinux wheel (the manylinux wheel's binary needs glibc's
    loader, which the musl target has not; on macOS the macOS wheel's); its Windows build beside it, as
    ``uv.exe``."""
    if sys.platform == "win32":  # the host backend's only uv here
        wheel, version = _fetch(staging, requested, "win_amd64")
        _extract_uv(wheel, tools / "uv.exe")
        return Staged("uv", version)
    wheel, version = _fetch(staging, requested, _uv_platform_tag())
    _extract_uv(wheel, tools / "uv")
    _extract_uv(download_wheel("uv", version, "win_amd64"), tools / "uv.exe")
    return Staged("uv", version)


@stager("reference-zipapp")
def _reference_zipapp(staging: Staging, requested: str | None, tools: Path) -> Staged:
    """This suite's reference installer, built from this tree into one zipapp."""
    # The builder imports installer and packaging, which only staging needs.
    from conformance.reference.zipapp import build_zipapp

    build_zipapp(tools / "reference.pyz")
    return Staged("reference.pyz", reference_version)


@stager("broken-installers")
def _broken_installers(staging: Staging, requested: str | None, tools: Path) -> Staged:
    """The oracle's broken installer scripts, in one directory."""
    shutil.copytree(
        BROKEN_INSTALLERS_DIR, tools / "broken", ignore=shutil.ignore_patterns("*.md", "__pycache__")
    )
    return Staged("broken", None)


def _digest(root: Path) -> str:
    """Every staged file's path and bytes: the same inputs give the same directory."""
    sha = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        sha.update(path.relative_to(root).as_posix().encode())
        sha.update(hashlib.sha256(path.read_bytes()).digest())
    return sha.hexdigest()[:16]


def _readable(root: Path) -> None:
    # uid 1000 inside the container reads this mount: nothing may be private to root.
    for path in [root, *root.rglob("*")]:
        if path.is_dir():
            path.chmod(0o755)
        elif not os.access(path, os.X_OK):
            path.chmod(0o644)
        else:
            path.chmod(0o755)


def _stager(staging: Staging) -> Stager:
    if staging.function not in STAGERS:
        raise ToolError(f"no staging function {staging.function!r}; registered: {', '.join(sorted(STAGERS))}")
    return STAGERS[staging.function]


def stage(requested: dict[str, str | None]) -> Toolset:
    """Build (or reuse) the staged directory; ``requested`` has versions by installer name (None: newest)."""
    plan = [(i.name, s, _stager(s)) for i in known_installers().values() if (s := i.staging) is not None]
    choosable = sorted(i.name for i in known_installers().values() if i.fetched)
    refused = sorted(set(requested) - set(choosable))
    if refused:
        raise ToolError(f"no version can be asked for {', '.join(refused)}, only for {', '.join(choosable)}")
    stage_root = cache_dir() / "stage"
    stage_root.mkdir(parents=True, exist_ok=True)
    with FileLock(str(stage_root / ".lock")), tempfile.TemporaryDirectory(dir=stage_root) as tmp:
        work = Path(tmp)
        build_wheelhouse(work / "wheelhouse")
        build_system_copies(work / SYSTEM_COPIES)
        shutil.copy2(probe.__file__, work / "probe.py")
        tools = work / "tools"
        tools.mkdir()
        staged = {name: function(s, requested.get(name), tools) for name, s, function in plan}
        final = stage_root / _digest(work)
        if not final.exists():
            _readable(work)
            work.rename(final)
            work.mkdir()  # TemporaryDirectory cleans up the (now empty) name
    placeholders = {s.placeholder: f"{MOUNT_POINT}/tools/{staged[name].path}" for name, s, _ in plan}
    return Toolset(
        str(final),
        versions={name: v for name, result in staged.items() if (v := result.version) is not None},
        placeholders={
            "wheelhouse": f"{MOUNT_POINT}/wheelhouse",
            SYSTEM_COPIES_PLACEHOLDER: f"{MOUNT_POINT}/{SYSTEM_COPIES}",
            **placeholders,
        },
    )
