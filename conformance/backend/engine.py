"""Find a Docker engine, or install and start one where we may (root on Debian)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import docker
import docker.errors
from filelock import FileLock

from conformance.paths import cache_dir

#: No bridge: containers get no network and the machine gets no private-range addresses.
DOCKERD_ARGS = ("--bridge=none", "--iptables=false", "--ip6tables=false")
_START_TIMEOUT_S = 60.0
DEFAULT_HOST = "unix:///var/run/docker.sock"


class EngineUnavailable(RuntimeError):
    """No Docker engine answers and none could be started here; the message says what to do."""


def _connect_error(path: str) -> OSError | None:
    """Why a unix socket refuses this process (None: it accepts)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(2)
        try:
            probe.connect(path)
        except OSError as error:
            return error
    return None


def _host() -> str:
    return os.environ.get("DOCKER_HOST", DEFAULT_HOST)


def engine_client() -> docker.DockerClient | None:
    """A client of an engine that answers (the caller closes it), or None; never starts one."""
    host = _host()
    # docker-py leaks the socket of a failed unix connect (a ResourceWarning later): look first.
    if host.startswith("unix://") and _connect_error(host.removeprefix("unix://")) is not None:
        return None
    try:
        client = docker.from_env(timeout=120)
    except docker.errors.DockerException:
        return None
    try:
        client.ping()
    except docker.errors.DockerException:
        client.close()
        return None
    return client


def _denied(path: str) -> str | None:
    """The cause and the way out when an engine's socket exists but this account may not use it."""
    if not isinstance(_connect_error(path), PermissionError):
        return None
    try:
        import grp

        group = grp.getgrgid(os.stat(path).st_gid).gr_name
    except (OSError, KeyError, ImportError):
        group = "docker"
    return (
        f"A Docker engine's socket is at {path}, but this account (uid {os.geteuid()}) may not use it: "
        f"permission denied. Add the account to the socket's group (`sudo usermod -aG {group} $USER`, then "
        "log in again), or point DOCKER_HOST at an engine this account may use (a rootless one); the host "
        "rows (this machine's own interpreters) run without an engine."
    )


def engine_problem() -> str | None:
    """Why this run can have no container engine, said once for every container row (None: it can)."""
    host = _host()
    if host.startswith("unix://"):
        denied = _denied(host.removeprefix("unix://"))
        if denied is not None:
            return denied
    client = engine_client()
    if client is not None:
        client.close()
        return None
    if _is_debian_root():
        return None  # ensure_engine installs and starts one
    return _no_engine(host)


def _no_engine(where: str) -> str:
    return (
        f"No Docker engine answers at {where}. Start one (for example "
        f"`sudo dockerd {' '.join(DOCKERD_ARGS)}`), or point DOCKER_HOST at one; "
        "as root on Debian the suite installs docker.io and starts it itself."
    )


def _is_debian_root() -> bool:
    return os.geteuid() == 0 and Path("/etc/debian_version").exists()


def _apt_install(*packages: str) -> None:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=True, env=env)


def ensure_host_packages(*commands_and_packages: tuple[str, str]) -> None:
    """Install the Debian packages providing the missing commands, when we are root on Debian."""
    missing = [pkg for command, pkg in commands_and_packages if shutil.which(command) is None]
    if not missing:
        return
    if not _is_debian_root():
        raise EngineUnavailable(
            f"Missing host commands from Debian packages {', '.join(missing)}; install them "
            "(apt-get install ...) or run the suite as root on Debian so it can."
        )
    lock_dir = cache_dir() / "locks"
    lock_dir.mkdir(parents=True, exist_ok=True)
    # xdist workers may need the same packages at once, and apt allows one dpkg at a time.
    with FileLock(str(lock_dir / "apt.lock")):
        missing = [pkg for command, pkg in commands_and_packages if shutil.which(command) is None]
        if missing:
            _apt_install(*missing)


def _start_dockerd(log_path: Path) -> None:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        # setsid --fork detaches the engine (it outlives this run and its workers) and returns at once,
        # so no child is left running under this process.
        subprocess.run(
            ["setsid", "--fork", "dockerd", *DOCKERD_ARGS],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            check=True,
        )


def ensure_engine() -> docker.DockerClient:
    """Return a client of a running engine, starting Debian's ``docker.io`` if we are root on Debian."""
    client = engine_client()
    if client is not None:
        return client
    lock_dir = cache_dir() / "locks"
    lock_dir.mkdir(parents=True, exist_ok=True)
    with FileLock(str(lock_dir / "engine.lock")):
        client = engine_client()
        if client is not None:
            return client
        where = _host()
        if not _is_debian_root():
            raise EngineUnavailable(engine_problem() or _no_engine(where))
        if shutil.which("dockerd") is None:
            _apt_install("docker.io")
        log_path = cache_dir() / "dockerd.log"
        _start_dockerd(log_path)
        deadline = time.monotonic() + _START_TIMEOUT_S
        while time.monotonic() < deadline:
            client = engine_client()
            if client is not None:
                return client
            time.sleep(0.5)
        raise EngineUnavailable(
            f"Started dockerd but it did not answer at {where} within {_START_TIMEOUT_S:.0f} s; "
            f"see {log_path}."
        )
