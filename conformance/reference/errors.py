"""Typed refusals and failures: pip's own wording first, then a sentence naming the way out."""

from __future__ import annotations

import errno
from collections.abc import Sequence


class ReferenceFailure(Exception):
    """An error the user can act on; the CLI prints it after ``ERROR: `` and exits with status 1."""

    def __init__(self, message: str, way_out: str) -> None:
        super().__init__(message)
        self.message = message
        self.way_out = way_out

    def __str__(self) -> str:
        return f"{self.message}\n{self.way_out}"


class CommandError(ReferenceFailure):
    """Options that cannot go together (pip's CommandError)."""


class UserSiteInvisible(ReferenceFailure):
    """``--user`` inside a virtual environment that does not see the user site."""

    def __init__(self) -> None:
        super().__init__(
            "Can not perform a '--user' install. User site-packages are not visible in this virtualenv.",
            "Install into the virtualenv without --user, or recreate it with "
            "'python3 -m venv --system-site-packages' to make the user site visible.",
        )


class UserSiteDisabled(ReferenceFailure):
    """``--user`` while ``site.ENABLE_USER_SITE`` is false or None."""

    def __init__(self) -> None:
        super().__init__(
            "Can not perform a '--user' install. User site-packages are disabled for this Python.",
            "Run Python without -s/-I, unset PYTHONNOUSERSITE, make the real and effective user and "
            "group ids match, or install without --user.",
        )


class UserSchemeUnavailable(ReferenceFailure):
    """The platform has no user base, so no user scheme (pip's UserInstallationInvalid)."""

    def __init__(self) -> None:
        super().__init__(
            "User base directory is not specified",
            "This Python has no user scheme on this platform; install without --user.",
        )


class ExternallyManaged(ReferenceFailure):
    """PEP 668: the interpreter's stdlib directory holds an EXTERNALLY-MANAGED marker."""

    NOTE = (
        "note: If you believe this is a mistake, please contact your Python installation or OS "
        "distribution provider. You can override this, at the risk of breaking your Python "
        "installation or OS, by passing --break-system-packages."
    )

    def __init__(self, marker_error: str) -> None:
        super().__init__(
            "externally-managed-environment\n\nThis environment is externally managed\n\n"
            f"{marker_error}\n\n{self.NOTE}\nhint: See PEP 668 for the detailed specification.",
            "Create a virtual environment (python3 -m venv DIR) and install there, or pass "
            "--break-system-packages (or set PIP_BREAK_SYSTEM_PACKAGES=1) to install anyway.",
        )


class InstallOSError(ReferenceFailure):
    """Writing the files failed; worded like pip's ``create_os_error_message``."""

    def __init__(self, error: OSError, *, suggest_user: bool) -> None:
        if error.errno == errno.EACCES:
            way_out = (
                "Consider using the `--user` option or check the permissions."
                if suggest_user
                else "Check the permissions."
            )
        else:
            way_out = "Check that the destination exists, is a directory tree you own, and has free space."
        super().__init__(f"Could not install packages due to an OSError: {error}", way_out)
        self.error = error


class UninstallOSError(ReferenceFailure):
    """Moving an installed distribution's files away failed; whatever was moved is back in place."""

    def __init__(self, name: str, error: OSError) -> None:
        super().__init__(
            f"Could not uninstall {name} due to an OSError: {error}",
            "Check the permissions of the directories it lives in; nothing was removed.",
        )


class InvalidRequirement(ReferenceFailure):
    """A command-line or Requires-Dist requirement that does not parse."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(
            f"Invalid requirement: {text!r}: {reason}",
            "Give a project name with an optional version specifier (for example 'demo-pkg>=1.0') "
            "or the path of a .whl file.",
        )


class WheelNotFound(ReferenceFailure):
    """A requirement that names a wheel file which does not exist."""

    def __init__(self, path: str) -> None:
        super().__init__(
            f"Requirement {path!r} looks like a filename, but the file does not exist",
            "Check the path of the wheel, or give a project name to look up in --find-links directories.",
        )


class RequirementNotFound(ReferenceFailure):
    """No wheel in the --find-links directories satisfies a requirement."""

    def __init__(
        self, requirement: str, versions: list[str], *, links: tuple[str, ...], sdists: Sequence[str] = ()
    ) -> None:
        found = ", ".join(versions) if versions else "none"
        if sdists:
            where = (
                f"Only its sdist is there ({', '.join(sdists)}), and the reference installer installs wheels "
                "only: build a wheel from it (python3 -m pip wheel --no-deps --no-index -f DIR -w DIR "
                "PROJECT) and install that."
            )
        elif links:
            joined = ", ".join(links)
            where = f"Put a compatible wheel for it into one of the --find-links directories ({joined})."
        else:
            where = "Pass -f/--find-links DIR with a directory of wheels."
        super().__init__(
            "Could not find a version that satisfies the requirement "
            f"{requirement} (from versions: {found})\n"
            f"ERROR: No matching distribution found for {requirement}",
            f"{where} The reference installer never reads a package index (it runs as if --no-index).",
        )


class UnsupportedWheel(ReferenceFailure):
    """A wheel whose file name does not parse or whose tags this interpreter does not support."""

    def __init__(self, message: str) -> None:
        super().__init__(
            message,
            "Use a wheel built for this interpreter and platform (see 'python3 -m pip debug --verbose' "
            "for the supported tags).",
        )


class InvalidWheel(ReferenceFailure):
    """A wheel that is broken, inconsistent with its RECORD, or tries to write outside its scheme."""

    def __init__(self, wheel: str, reason: str) -> None:
        super().__init__(
            f"Wheel {wheel!r} is invalid: {reason}",
            "Rebuild or download the wheel again; nothing was installed.",
        )


class RequiresPython(ReferenceFailure):
    """The chosen wheel's Requires-Python excludes the running interpreter."""

    def __init__(self, name: str, running: str, specifier: str) -> None:
        super().__init__(
            f"Package {name!r} requires a different Python: {running} not in {specifier!r}",
            "Provide a version of the package that supports this Python, or run the installer with a "
            "matching interpreter.",
        )


class ResolutionImpossible(ReferenceFailure):
    """Two requirements on one project cannot both hold (no backtracking is attempted)."""

    def __init__(self, wanting: str, chosen: str, causes: list[str]) -> None:
        lines = "\n".join(f"    {cause}" for cause in causes)
        super().__init__(
            f"Cannot install {wanting} and {chosen} because these package versions have conflicting "
            f"dependencies.\nThe conflict is caused by:\n{lines}",
            "To fix this you could try to: 1. loosen the range of package versions you've specified "
            "2. remove package versions to allow the installer to attempt to solve the dependency conflict.",
        )


class NoPrecedence(ReferenceFailure):
    """A user install from a venv would be shadowed by the venv's own copy."""

    def __init__(self, name: str, location: str) -> None:
        super().__init__(
            f"Will not install to the user site because it will lack sys.path precedence to {name} "
            f"in {location}",
            "Install into the virtualenv without --user, or uninstall the virtualenv's copy first.",
        )


class UnsupportedOption(ReferenceFailure):
    """A request the reference installer deliberately does not carry out."""


class UninstallMissingRecord(ReferenceFailure):
    """An installed distribution without a RECORD file cannot be uninstalled safely."""

    def __init__(self, name: str, version: str, installer: str) -> None:
        message = f"Cannot uninstall {name} {version}, RECORD file not found."
        if installer and installer != "pip":
            message += f" Hint: The package was installed by {installer}."
        super().__init__(
            message,
            f"You might be able to recover from this via: 'pip install --force-reinstall --no-deps "
            f"{name}=={version}'.",
        )


class UninstallOutsideSchemes(ReferenceFailure):
    """An installed distribution whose location is not a site directory of any known scheme."""

    def __init__(self, name: str, location: str) -> None:
        super().__init__(
            f"Cannot uninstall {name}: {location} is not the purelib or platlib directory of any "
            "installation scheme of this interpreter.",
            "Remove it with the tool that installed it, or delete its files by hand.",
        )


class RequirementsFileError(ReferenceFailure):
    """A requirements file that cannot be read, loops, or holds a line the reference does not carry out."""

    #: What a requirements file may hold for the reference installer.
    SUPPORTED = (
        "Requirements files may hold requirements, wheel paths, -r/--requirement FILE (relative to the "
        "file naming it), -f/--find-links DIR and --no-index."
    )

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(message, f"{where}{self.SUPPORTED}")
