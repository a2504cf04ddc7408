"""How a target runs its own programs: natively, or Windows programs through Wine (chosen per target)."""

from __future__ import annotations

import ntpath
from dataclasses import dataclass

from conformance.catalogue.accounts import ACCOUNTS, Account
from conformance.catalogue.targets import TARGETS, WineCPython

#: Debian's Wine: the 64-bit loader (the ``wine`` wrapper asks for wine32 on every start) and its server.
WINE_LOADER = "/usr/lib/wine/wine64"
WINE_SERVER = "/usr/lib/wine/wineserver"
#: How a cell starts a Windows program: through Wine's ``start /wait /b``, whose exit status is the one the
#: program gave Windows. The loader's own exit status is not: under load about one run in twenty of a
#: failing ``uv.exe`` (a multi-threaded exit) ended with status 0 run directly, none of a hundred through
#: ``start`` (measured side by side; arguments, working directory, environment and output pass unchanged).
WINE_LAUNCHER = (WINE_LOADER, "start", "/wait", "/b")
#: A wine prefix's registry hives and the temporary files it saves them through: the wineserver rewrites
#: them on its own schedule (seconds after any key changed, whichever process changed it), so they are
#: Wine's bookkeeping, not an installer's writes.
_WINE_HIVES = ("*.reg", "reg*.tmp")
#: Where a Wine target keeps what every account's prefix shows at the same Windows path (symlinked in).
_SHARED_ROOT = "/opt/wine-shared"


@dataclass(frozen=True)
class Platform:
    """A target's programs: the command they run under, its interpreter, and how they name its paths."""

    windows: bool = False
    launcher: tuple[str, ...] = ()  # what starts one of the target's programs (Wine's loader)
    interpreter: str = "python3"  # outside a venv; POSIX finds it on PATH, Windows names the install's

    def python(self, env: dict[str, str]) -> tuple[str, ...]:
        """The interpreter a scenario runs: on Windows an activated venv's ``Scripts\\python.exe``."""
        venv = env.get("VIRTUAL_ENV")
        if self.windows and venv:
            return (*self.launcher, ntpath.join(venv, "Scripts", "python.exe"))
        return (*self.launcher, self.interpreter)

    def program(self, path: str) -> tuple[str, ...]:
        """The command that runs a staged program (named as ``native`` names it): on Windows its ``.exe``
        build beside it, through the launcher."""
        return (*self.launcher, path + ".exe") if self.windows else (path,)

    def native(self, path: str) -> str:
        """A path of the container as the target's programs name it (Wine's Z: drive is /)."""
        return "Z:" + path.replace("/", "\\") if self.windows else path

    def container_path(self, path: str, account: Account) -> str:
        """The container's path of a path the target's programs name, as ``account`` runs them: on Windows
        the C: drive is the account's wine prefix's, Z: is /."""
        if not self.windows:
            return path
        drive, rest = ntpath.splitdrive(path)
        below = rest.replace("\\", "/")
        if drive.upper() == "Z:":
            return below
        if drive.upper() != "C:":
            raise ValueError(f"{path}: Wine maps only C: and Z: here")
        return f"{wine_prefix(account)}/drive_c{below}"

    @property
    def devnull(self) -> str:
        """``os.devnull`` as the target's Python has it: pip skips every configuration file only when
        ``PIP_CONFIG_FILE`` is exactly that."""
        return "nul" if self.windows else "/dev/null"

    @property
    def env(self) -> dict[str, str]:
        """Environment every program of the target needs: Wine's own debug chatter silenced."""
        return {"WINEDEBUG": "-all"} if self.windows else {}

    @property
    def unobserved(self) -> tuple[str, ...]:
        """Container files the observation leaves out (``fnmatch`` patterns of a name in a directory): the
        platform's own bookkeeping (Wine's hives)."""
        if not self.windows:
            return ()
        return tuple(f"{wine_prefix(a)}/{hive}" for a in ACCOUNTS.values() for hive in _WINE_HIVES)

    @property
    def walker(self) -> tuple[str, ...]:
        """The container's own Linux interpreter, which walks the filesystem as root."""
        return ("python3",)


POSIX = Platform()


def windows_venv(account: Account) -> str:
    """The account's Windows venv (without system site-packages), made when the image is built."""
    return ntpath.join("C:\\", "users", account.name, "venv")


def wine_prefix(account: Account) -> str:
    """The account's wine prefix: Wine's default, ``~/.wine`` (each account has its own C: drive)."""
    return f"{account.home}/.wine"


def shared_dir(recipe: WineCPython) -> str:
    """The container directory holding the install every prefix shows at ``recipe.install_dir``."""
    return f"{_SHARED_ROOT}/" + "/".join(ntpath.splitdrive(recipe.install_dir)[1].strip("\\").split("\\"))


def platform_of(target_name: str | None) -> Platform:
    """The platform of a target, by name (an unknown or unlabelled image is POSIX)."""
    target = TARGETS.get(target_name or "")
    if target is not None and isinstance(target.recipe, WineCPython):
        return Platform(True, WINE_LAUNCHER, ntpath.join(target.recipe.install_dir, "python.exe"))
    return POSIX
