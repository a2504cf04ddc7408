"""pip's install-location decision: the --target check, PEP 668, then ``decide_user_install``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .environment import Environment
from .errors import CommandError, ExternallyManaged, UserSiteDisabled, UserSiteInvisible

#: pip's INFO line (shown by default) when it falls back to the user scheme.
FALLBACK_NOTICE = "Defaulting to user installation because normal site-packages is not writeable"

# re.match at line start and case-sensitive, like pip: "= False" does not count as false. A string,
# compiled (and cached by re) on first use: only venvs read it.
_INCLUDE_SYSTEM_SITE = r"include-system-site-packages\s*=\s*(?P<value>true|false)"


@dataclass
class InstallRequest:
    """The options that decide where an install goes."""

    use_user_site: bool | None  # --user True, --no-user False, neither None (after PIP_* variables)
    break_system_packages: bool = False
    prefix: str | None = None
    target: str | None = None


@dataclass
class Decision:
    """The outcome: user scheme or not, and what pip would say about it."""

    user: bool
    notice: str | None = None  # printed on stdout
    reason: str | None = field(default=None, compare=False)  # pip's DEBUG line for the choice (-vv)


def virtualenv_no_global(env: Environment) -> bool:
    """pip's ``virtualenv_no_global``: a venv whose pyvenv.cfg says include-system-site-packages = false."""
    if not env.in_venv:
        return False
    if env.pyvenv_cfg is None:
        # pip warns that pyvenv.cfg is unreadable and assumes the global site is not visible.
        return True
    return any(
        (m := re.match(_INCLUDE_SYSTEM_SITE, line)) is not None and m.group("value") == "false"
        for line in env.pyvenv_cfg.splitlines()
    )


def check_externally_managed(env: Environment) -> None:
    """pip's ``check_externally_managed``: refuse outside a venv when the marker exists."""
    if env.in_venv or env.marker_error is None:
        return
    raise ExternallyManaged(env.marker_error)


def check_uninstall_allowed(break_system_packages: bool, env: Environment) -> None:
    """pip's uninstall runs the same PEP 668 check, whatever scheme the distribution lives in."""
    if not break_system_packages:
        check_externally_managed(env)


def check_install_location(request: InstallRequest, env: Environment) -> None:
    """The checks ``InstallCommand.run`` makes before it decides: --user with --target, then PEP 668."""
    if request.use_user_site and request.target is not None:
        raise CommandError(
            "Can not combine '--user' and '--target'",
            "Drop --user to install into the --target directory, or drop --target to install into "
            "the user site.",
        )
    into_current_environment = request.target is None and request.prefix is None
    if into_current_environment and not request.break_system_packages:
        check_externally_managed(env)


def decide_user_install(request: InstallRequest, env: Environment) -> Decision:
    """pip's ``decide_user_install``, with its debug line as the decision's reason."""
    use_user_site = request.use_user_site
    if use_user_site is not None and not use_user_site:
        return Decision(user=False, reason="Non-user install by explicit request")
    if use_user_site:
        if request.prefix:
            raise CommandError(
                "Can not combine '--user' and '--prefix' as they imply different installation locations",
                "Drop --user to install under the --prefix, or drop --prefix to install into the user site.",
            )
        if virtualenv_no_global(env):
            raise UserSiteInvisible()
        # pip >= 25.3: False (-s, PYTHONNOUSERSITE, venv) and None (uid/gid mismatch) both refuse.
        if not env.enable_user_site:
            raise UserSiteDisabled()
        return Decision(user=True, reason="User install by explicit request")

    if request.prefix or request.target:
        return Decision(user=False, reason="Non-user install due to --prefix or --target option")
    if not env.enable_user_site:
        return Decision(user=False, reason="Non-user install because user site-packages disabled")
    if env.default_lib_writable:
        return Decision(user=False, reason="Non-user install because site-packages writeable")
    return Decision(user=True, notice=FALLBACK_NOTICE)


def decide_install(request: InstallRequest, env: Environment) -> Decision:
    """The checks of pip's ``InstallCommand.run`` in pip's order, ending in ``decide_user_install``."""
    check_install_location(request, env)
    return decide_user_install(request, env)
