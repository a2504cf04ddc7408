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
from dataclasses import asdict, dataclass
from pathlib import Path

from filelock import FileLock

from conformance.backend.wheels import build_wheelhouse
from conformance.paths import BROKEN_INSTALLERS_DIR, cache_dir
from conformance.run import probe

log = logging.getLogger(__name__)

#: Where the staged directory is bind-mounted (read-only) in every container.
MOUNT_POINT = "/opt/conformance"
#: Installers fetched from the package index; ``None`` asks for the newest release.
FETCHED = ("pip", "uv")


class ToolError(RuntimeError):
    """An installer could not be fetched or staged; the message says which and why."""


@dataclass(frozen=True)
class Toolset:
    """A staged directory and the versions of the installers in it."""

    root: str  # host path, mounted at MOUNT_POINT
    uv_version: str
    pip_latest_version: str
    reference_version: str

    def placeholders(self) -> dict[str, str]:
        """Paths of the tools as seen from inside a target."""
        return {
            "pip_latest": f"{MOUNT_POINT}/tools/pip-{self.pip_latest_version}-py3-none-any.whl/pip",
            "uv": f"{MOUNT_POINT}/tools/uv",
            "reference": f"{MOUNT_POINT}/tools/reference.pyz",
            "wheelhouse": f"{MOUNT_POINT}/wheelhouse",
            "broken": f"{MOUNT_POINT}/tools/broken",
        }

    @property
    def probe(self) -> str:
        return f"{MOUNT_POINT}/probe.py"

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Toolset:
        return cls(**json.loads(text))


def _pip(*args: str) -> subprocess.CompletedProcess[str]:
    # The controller's pip, with the machine's own index configuration; no cache so $HOME stays untouched.
    env = {**os.environ, "PIP_NO_CACHE_DIR": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    return subprocess.run(
        [sys.executable, "-m", "pip", *args], capture_output=True, text=True, env=env, check=False
    )


def newest_version(project: str) -> str:
    """The newest release of ``project`` on the configured index."""
    result = _pip("index", "versions", project)
    match = re.match(rf"{re.escape(project)} \(([^)]+)\)", result.stdout.strip())
    if result.returncode != 0 or match is None:
        raise ToolError(f"Could not find the newest {project} on the package index: {result.stderr.strip()}")
    return match.group(1)


def _manylinux_platform() -> str:
    return f"manylinux_2_17_{platform.machine()}"


def _download(project: str, version: str, dest: Path) -> Path:
    """Download one wheel of ``project==version`` into ``dest`` (cached across runs)."""
    dest.mkdir(parents=True, exist_ok=True)
    found = sorted(dest.glob(f"{project}-{version}-*.whl"))
    if found:
        return found[0]
    extra = ["--platform", _manylinux_platform()] if project == "uv" else []
    with tempfile.TemporaryDirectory(dir=dest) as tmp:
        result = _pip(
            "download", "--no-deps", "--only-binary", ":all:", *extra, f"{project}=={version}", "-d", tmp
        )
        wheels = sorted(Path(tmp).glob("*.whl"))
        if result.returncode != 0 or not wheels:
            raise ToolError(f"Could not download {project}=={version}: {result.stderr.strip()[-800:]}")
        target = dest / wheels[0].name
        wheels[0].replace(target)
    return target


def resolve_versions(requested: dict[str, str | None]) -> dict[str, str]:
    """Turn "newest" requests into exact versions, falling back to the newest cached one offline."""
    resolved = {}
    for project in FETCHED:
        wanted = requested.get(project)
        if wanted:
            resolved[project] = wanted
            continue
        try:
            resolved[project] = newest_version(project)
        except ToolError:
            cached = sorted(
                (cache_dir() / "downloads").glob(f"{project}-*.whl"),
                key=lambda p: _version_key(p.name.split("-")[1]),
            )
            if not cached:
                raise
            resolved[project] = cached[-1].name.split("-")[1]
            log.warning("index unreachable: using cached %s %s", project, resolved[project])
    return resolved


def _version_key(text: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else -1 for p in re.split(r"[.+-]", text))


def _extract_uv(wheel: Path, dest: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        member = next(n for n in archive.namelist() if re.fullmatch(r"uv-[^/]+\.data/scripts/uv", n))
        with archive.open(member) as source, dest.open("wb") as out:
            shutil.copyfileobj(source, out)
    dest.chmod(0o755)


def _digest(paths: list[Path]) -> str:
    sha = hashlib.sha256()
    for path in sorted(paths):
        sha.update(path.name.encode())
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


def stage(requested: dict[str, str | None]) -> Toolset:
    """Build (or reuse) the staged directory for the requested installer versions."""
    from conformance.reference import __version__ as reference_version
    from conformance.reference.zipapp import build_zipapp

    versions = resolve_versions(requested)
    downloads = cache_dir() / "downloads"
    stage_root = cache_dir() / "stage"
    stage_root.mkdir(parents=True, exist_ok=True)
    with FileLock(str(stage_root / ".lock")):
        pip_wheel = _download("pip", versions["pip"], downloads)
        uv_wheel = _download("uv", versions["uv"], downloads)
        with tempfile.TemporaryDirectory(dir=stage_root) as tmp:
            work = Path(tmp)
            wheelhouse = build_wheelhouse(work / "wheelhouse")
            tools = work / "tools"
            tools.mkdir()
            shutil.copy2(pip_wheel, tools / pip_wheel.name)
            _extract_uv(uv_wheel, tools / "uv")
            build_zipapp(tools / "reference.pyz")
            skip = shutil.ignore_patterns("*.md", "__pycache__")
            shutil.copytree(BROKEN_INSTALLERS_DIR, tools / "broken", ignore=skip)
            shutil.copy2(probe.__file__, work / "probe.py")
            inputs = [
                *wheelhouse,
                *sorted((tools / "broken").iterdir()),
                tools / pip_wheel.name,
                tools / "uv",
                tools / "reference.pyz",
                work / "probe.py",
            ]
            final = stage_root / _digest(inputs)
            if not final.exists():
                _readable(work)
                work.rename(final)
                work.mkdir()  # TemporaryDirectory cleans up the (now empty) name
    return Toolset(str(final), versions["uv"], versions["pip"], reference_version)
