"""What a host cell's processes see, per operating system: a fresh profile in a temporary home, the
interpreter first on PATH, and nothing else of the controller's own environment."""

from __future__ import annotations

import ntpath
import os
import posixpath
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

#: Linux: Debian's default PATH, the containers' too.
_LINUX_PATH = ("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")
#: macOS: /etc/paths, what path_helper puts on every login shell's PATH.
_MACOS_PATH = ("/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin")
#: Windows: a fresh install's system PATH, below its SYSTEMROOT.
_WINDOWS_PATH = ("system32", "", "System32\\Wbem", "System32\\WindowsPowerShell\\v1.0", "System32\\OpenSSH")
#: Windows variables that name the machine, not an account's files: Windows programs expect them (Python
#: needs SYSTEMROOT to start its subprocesses and sockets).
_WINDOWS_MACHINE = (
    "ALLUSERSPROFILE",
    "COMMONPROGRAMFILES",
    "COMMONPROGRAMFILES(X86)",
    "COMMONPROGRAMW6432",
    "COMPUTERNAME",
    "COMSPEC",
    "NUMBER_OF_PROCESSORS",
    "OS",
    "PATHEXT",
    "PROCESSOR_ARCHITECTURE",
    "PROGRAMDATA",
    "PROGRAMFILES",
    "PROGRAMFILES(X86)",
    "PROGRAMW6432",
    "PUBLIC",
    "SYSTEMDRIVE",
    "SYSTEMROOT",
    "WINDIR",
)


@dataclass(frozen=True)
class HostOS:
    """An operating system as CPython tells them apart: ``os.name`` and ``sys.platform``."""

    os_name: str  # "nt" or "posix"
    platform: str  # "win32", "darwin", "linux"

    @property
    def nt(self) -> bool:
        return self.os_name == "nt"

    def program(self, path: str) -> str:
        """A staged program's file: Windows runs its ``.exe`` build beside it."""
        return path + ".exe" if self.nt else path

    def venv_scripts(self, venv: str) -> str:
        """A venv's scripts directory, the one its activation puts first on PATH."""
        return ntpath.join(venv, "Scripts") if self.nt else posixpath.join(venv, "bin")

    def venv_python(self, venv: str) -> str:
        """A venv's interpreter."""
        return ntpath.join(self.venv_scripts(venv), "python.exe") if self.nt else f"{venv}/bin/python3"


#: The system this process runs on.
THIS = HostOS(os.name, sys.platform)


def profile_dirs(host: HostOS, home: str) -> tuple[str, ...]:
    """The directories every account's home has on ``host`` (the user base's parents): Windows' AppData
    (site reads APPDATA; pip's and uv's caches live in LOCALAPPDATA), macOS's ~/Library (a framework build's
    user base is ``~/Library/Python/X.Y``)."""
    if host.nt:
        return (ntpath.join(home, "AppData", "Roaming"), ntpath.join(home, "AppData", "Local"))
    if host.platform == "darwin":
        return (posixpath.join(home, "Library"),)
    return ()


def search_path(host: HostOS, first: Iterable[str], inherited: Mapping[str, str]) -> str:
    """PATH: ``first``, then the system's own directories, each once."""
    if host.nt:
        root = _upper(inherited).get("SYSTEMROOT", "C:\\Windows")
        system: Sequence[str] = [ntpath.join(root, sub) if sub else root for sub in _WINDOWS_PATH]
    else:
        system = _MACOS_PATH if host.platform == "darwin" else _LINUX_PATH
    key = ntpath.normcase if host.nt else str
    seen: set[str] = set()
    chosen = []
    for directory in [*first, *system]:
        if key(directory) not in seen:
            seen.add(key(directory))
            chosen.append(directory)
    return (";" if host.nt else ":").join(chosen)


def cell_environment(
    host: HostOS,
    home: str,
    tmp: str,
    account: str,
    first: Iterable[str] = (),
    inherited: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The environment of a cell's process run as ``account`` whose home is ``home``: every variable CPython
    reads for the user base and the temporary directory points into the cell, ``first`` leads PATH, and of
    ``inherited`` (this process's environment) only Windows' machine-wide names pass."""
    env = {"HOME": home, "PATH": search_path(host, first, inherited or {})}
    if not host.nt:
        # posixpath.expanduser reads HOME: the user base (~/.local, ~/Library/Python/X.Y) follows it.
        return {**env, "USER": account, "LOGNAME": account, "TMPDIR": tmp}
    machine = _upper(inherited or {})
    roaming, local = profile_dirs(host, home)
    drive, rest = ntpath.splitdrive(home)
    return {
        **{name: machine[name] for name in _WINDOWS_MACHINE if name in machine},
        **env,
        # site reads APPDATA for the user base; ntpath.expanduser reads USERPROFILE (HOMEDRIVE and
        # HOMEPATH when it is missing) and, since 3.8, never HOME, which POSIX-minded tools still read.
        "USERPROFILE": home,
        "HOMEDRIVE": drive,
        "HOMEPATH": rest,
        "APPDATA": roaming,
        "LOCALAPPDATA": local,
        "USERNAME": account,
        # tempfile and Windows programs read TEMP and TMP (POSIX's TMPDIR is unset).
        "TEMP": tmp,
        "TMP": tmp,
    }


def _upper(env: Mapping[str, str]) -> dict[str, str]:
    """Windows' variables by their upper-case names (Windows compares them so)."""
    return {key.upper(): value for key, value in env.items()}
