"""Pure scheme arithmetic: the user base, and the five install paths pip's sysconfig backend picks.

Everything here works on injected facts (an ``Environment``) and the path module those facts name
(``ntpath`` for ``os_name == "nt"``, else ``posixpath``), so Windows and macOS layouts are computed and
tested on any host.
"""

from __future__ import annotations

import ntpath
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from .errors import UserSchemeUnavailable

if TYPE_CHECKING:
    from .environment import Environment

#: Platforms on which CPython's site/sysconfig define no user base (3.10-3.14 union).
NO_USER_BASE_PLATFORMS = frozenset({"emscripten", "ios", "tvos", "vxworks", "wasi", "watchos"})

#: The keys of a wheel install scheme (pip's SCHEME_KEYS, installer's SCHEME_NAMES).
SCHEME_KEYS = ("purelib", "platlib", "headers", "scripts", "data")


@dataclass
class Scheme:
    """Where each kind of wheel file goes."""

    purelib: str
    platlib: str
    headers: str
    scripts: str
    data: str

    def as_dict(self) -> dict[str, str]:
        return {key: getattr(self, key) for key in SCHEME_KEYS}


def path_module(os_name: str) -> ModuleType:
    """The ``os.path`` flavour of an operating system family."""
    return ntpath if os_name == "nt" else posixpath


def expand_home(path: str, home: str, os_name: str) -> str:
    """``os.path.expanduser`` for a leading ``~`` with the home directory given, not looked up."""
    pm = path_module(os_name)
    seps = ("\\", "/") if os_name == "nt" else ("/",)
    if not path.startswith("~") or (len(path) > 1 and path[1] not in seps):
        # ``~user`` forms need a password database lookup; CPython's own templates never use them.
        return path
    if os_name == "nt":
        return home + path[1:]
    return (home.rstrip(pm.sep) + path[1:]) or pm.sep


def compute_user_base(
    *,
    environ: Mapping[str, str],
    os_name: str,
    platform: str,
    framework: str,
    version: tuple[int, int],
    home: str,
) -> str | None:
    """site.py's ``_getuserbase()``: PYTHONUSERBASE verbatim, else the platform's default."""
    env_base = environ.get("PYTHONUSERBASE")
    if env_base:
        return env_base
    if platform in NO_USER_BASE_PLATFORMS:
        return None
    pm = path_module(os_name)
    if os_name == "nt":
        base = environ.get("APPDATA") or "~"
        return expand_home(pm.join(base, "Python"), home, os_name)
    if platform == "darwin" and framework:
        return expand_home(pm.join("~", "Library", framework, f"{version[0]}.{version[1]}"), home, os_name)
    return expand_home(pm.join("~", ".local"), home, os_name)


def template_names(templates: Iterable[str]) -> set[str]:
    """The ``{names}`` a set of sysconfig path templates refers to."""
    # sysconfig's templates hold bare {name} fields only (no specs, no nesting), so a pattern will do;
    # string.Formatter would import string, whose Template class compiles a regex at import.
    return {name for template in templates for name in re.findall(r"\{([^{}]*)\}", template) if name}


def expand(
    templates: Mapping[str, str], variables: Mapping[str, str], *, home: str, os_name: str
) -> dict[str, str]:
    """sysconfig's ``_expand_vars``: expand ``~``, substitute the variables, normalise."""
    pm = path_module(os_name)
    return {
        key: pm.normpath(expand_home(template, home, os_name).format(**variables))
        for key, template in templates.items()
    }


def scheme_paths(
    env: Environment, scheme_name: str, overrides: Mapping[str, str] | None = None
) -> dict[str, str]:
    """``sysconfig.get_paths(scheme_name, vars=overrides)`` of the interpreter the facts describe."""
    variables = {**env.scheme_vars, **(overrides or {})}
    return expand(env.schemes[scheme_name], variables, home=env.home, os_name=env.os_name)


def default_paths(env: Environment) -> dict[str, str]:
    """``sysconfig.get_paths()``: the interpreter's preferred 'prefix' scheme, unchanged variables."""
    return scheme_paths(env, env.preferred_prefix_scheme)


def _scheme(env: Environment, paths: Mapping[str, str], base: str, dist_name: str) -> Scheme:
    pm = path_module(env.os_name)
    include = paths["include"]
    if env.in_venv:
        include = pm.join(base, "include", "site", f"python{env.version[0]}.{env.version[1]}")
    elif not dist_name:
        dist_name = "UNKNOWN"
    return Scheme(
        purelib=paths["purelib"],
        platlib=paths["platlib"],
        headers=pm.join(include, dist_name),
        scripts=paths["scripts"],
        data=paths["data"],
    )


def user_scheme(env: Environment, dist_name: str) -> Scheme:
    """pip's ``get_scheme(dist_name, user=True)`` (sysconfig backend).

    In a venv pip puts headers under ``<base>/include/site/pythonX.Y``, reading ``base`` from the
    variables dict it passed to sysconfig; sysconfig has filled that dict with its config vars by then,
    so ``base`` is the real user base, not ``sys.prefix``.
    """
    if env.preferred_user_scheme is None or env.user_base is None:
        raise UserSchemeUnavailable()
    paths = scheme_paths(env, env.preferred_user_scheme, {"userbase": env.user_base})
    return _scheme(env, paths, env.user_base, dist_name)


def default_scheme(env: Environment, dist_name: str) -> Scheme:
    """pip's ``get_scheme(dist_name)`` for a plain (non-user, no prefix/home/root) install."""
    paths = default_paths(env)
    return _scheme(env, paths, env.scheme_vars.get("base", env.prefix), dist_name)


def user_site(env: Environment) -> str | None:
    """site.py's ``getusersitepackages()`` for the facts' user base (not normalised, like site.py)."""
    base = env.user_base
    if base is None:
        return None
    implementation = env.scheme_vars.get("implementation", "Python")
    if env.os_name == "nt":
        nodot = env.scheme_vars.get("py_version_nodot_plat", "")
        return f"{base}\\{implementation}{nodot}\\site-packages"
    if env.platform == "darwin" and env.framework:
        return f"{base}/lib/{implementation.lower()}/site-packages"
    thread = env.scheme_vars.get("abi_thread", "")
    return f"{base}/lib/python{env.version[0]}.{env.version[1]}{thread}/site-packages"
