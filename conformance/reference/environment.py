"""Facts about the running interpreter, gathered once from sys, site, sysconfig and os."""

from __future__ import annotations

import contextlib
import os
import site
import sys
import sysconfig
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

from . import scheme

#: pip's text when the EXTERNALLY-MANAGED marker has no usable ``Error`` key.
DEFAULT_EXTERNALLY_MANAGED_ERROR = (
    "The Python environment under {prefix} is managed externally, and may not be manipulated by the "
    "user. Please use specific tooling from the distributor of the Python installation to interact "
    "with this environment instead."
)


@dataclass
class Environment:
    """Everything the decision, scheme and install logic needs to know about the interpreter."""

    os_name: str  # os.name
    platform: str  # sys.platform
    framework: str  # sys._framework on a macOS framework build, else ""
    version: tuple[int, int]
    executable: str  # sys.executable, unresolved: pip writes it into script shebangs as is
    prefix: str
    base_prefix: str
    pyvenv_cfg: str | None  # {prefix}/pyvenv.cfg text in a venv; None outside one or when unreadable
    enable_user_site: bool | None  # site.ENABLE_USER_SITE (None: uid/gid mismatch or site not run)
    home: str  # expanduser("~") as the interpreter sees it
    user_base: str | None
    schemes: Mapping[str, Mapping[str, str]]  # sysconfig path templates, by scheme name
    scheme_vars: Mapping[str, str]  # the config vars those templates refer to
    preferred_user_scheme: str | None  # get_preferred_scheme("user"); None when there is none
    preferred_prefix_scheme: str  # get_preferred_scheme("prefix"), distributor patches included
    default_lib_writable: bool  # pip's site_packages_writable(): every default lib dir passes
    marker_path: str  # <stdlib>/EXTERNALLY-MANAGED of the default scheme
    marker_error: str | None  # the marker's error text; None when there is no marker file
    launcher_kind: str  # installer's script launcher kind: "posix" or a Windows launcher
    sys_path: tuple[str, ...]  # where installed distributions are looked for, in order
    path_entries: tuple[str, ...] = ()  # PATH split as pip splits it, for the scripts' PATH warning

    @property
    def in_venv(self) -> bool:
        return self.prefix != self.base_prefix


def is_writable_dir(path: str, os_name: str) -> bool:
    """pip's ``test_writable_dir``: test the nearest existing ancestor of ``path``."""
    while not os.path.isdir(path):
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    if os_name == "posix":
        return os.access(path, os.W_OK)
    return _test_writable_dir_win(path)


def _test_writable_dir_win(path: str) -> bool:
    # os.access ignores Windows ACLs, so pip creates and removes a probe file instead.
    import random  # only here, on Windows: not worth its start-up cost everywhere else

    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    for _ in range(10):
        name = "accesstest_deleteme_fishfingers_custard_" + "".join(random.choice(alphabet) for _ in range(6))
        probe = os.path.join(path, name)
        try:
            fd = os.open(probe, os.O_RDWR | os.O_CREAT | os.O_EXCL)
        except FileExistsError:
            continue
        except PermissionError:
            return False
        os.close(fd)
        os.unlink(probe)
        return True
    raise OSError("Unexpected condition testing for writable directory")


def _marker_error_keys() -> Iterator[str]:
    import locale  # only for a marker with translations, not at every start-up

    try:
        category = locale.LC_MESSAGES
    except AttributeError:
        lang: str | None = None
    else:
        lang, _ = locale.getlocale(category)
    if lang is not None:
        yield f"Error-{lang}"
        for sep in ("-", "_"):
            before, found, _ = lang.partition(sep)
            if found:
                yield f"Error-{before}"
    yield "Error"


def read_marker(path: str, prefix: str) -> str | None:
    """The error text of a PEP 668 marker, chosen by locale as pip does; None when there is no marker."""
    if not os.path.isfile(path):
        return None
    import configparser  # only where a marker exists, not at every start-up

    parser = configparser.ConfigParser(interpolation=None)
    with contextlib.suppress(OSError, UnicodeDecodeError, configparser.Error, KeyError):
        parser.read(path, encoding="utf-8")
        section = parser["externally-managed"]
        # The locale only matters to a marker with translated Error-<lang> keys: most have one Error.
        translated = any(key.startswith("error-") for key in section)  # configparser lower-cases keys
        for key in _marker_error_keys() if translated else ("Error",):
            if key in section:
                return section[key]
    return DEFAULT_EXTERNALLY_MANAGED_ERROR.format(prefix=prefix)


def _read_pyvenv_cfg(prefix: str) -> str | None:
    try:
        with open(os.path.join(prefix, "pyvenv.cfg"), encoding="utf-8") as f:
            return f.read()
    except OSError:
        return None


def _preferred_user_scheme() -> str | None:
    # Platforms without a user base (WASI, Emscripten, iOS) have no user scheme at all.
    try:
        return sysconfig.get_preferred_scheme("user")
    except (KeyError, ValueError):
        return None


def _launcher_kind(os_name: str) -> str:
    # installer's get_launcher_kind answers "posix" outside Windows without looking any further;
    # importing installer for that alone would slow list and uninstall down by about a tenth.
    if os_name != "nt":
        return "posix"
    from installer.utils import get_launcher_kind

    return get_launcher_kind()


def _search_path() -> tuple[str, ...]:
    # pip drops its own entry point's directory ('' or the cwd) from sys.path; the zipapp's entry is
    # the archive itself, which holds no installed distributions either.
    path = list(sys.path)
    if path and (path[0] in ("", os.getcwd()) or not os.path.isdir(path[0])):
        path.pop(0)
    return tuple(path)


def gather(environ: Mapping[str, str] | None = None) -> Environment:
    """Read the facts of the running interpreter (the one pip would run under).

    ``environ`` supplies PYTHONUSERBASE, APPDATA and PATH; the home directory is the interpreter's own.
    """
    environ = os.environ if environ is None else environ
    version = (sys.version_info[0], sys.version_info[1])
    framework = str(getattr(sys, "_framework", "") or "") if sys.platform == "darwin" else ""
    home = os.path.expanduser("~")
    user_base = scheme.compute_user_base(
        environ=environ,
        os_name=os.name,
        platform=sys.platform,
        framework=framework,
        version=version,
        home=home,
    )
    templates = {name: dict(sysconfig.get_paths(name, expand=False)) for name in sysconfig.get_scheme_names()}
    names = scheme.template_names(t for paths in templates.values() for t in paths.values())
    config = sysconfig.get_config_vars()
    scheme_vars = {name: str(config[name]) for name in sorted(names) if config.get(name) is not None}
    # site.py's user-site rule needs these even on versions whose templates do not name them.
    for extra in ("implementation", "py_version_nodot_plat", "abi_thread"):
        if config.get(extra) is not None:
            scheme_vars[extra] = str(config[extra])
    in_venv = sys.prefix != sys.base_prefix
    env = Environment(
        os_name=os.name,
        platform=sys.platform,
        framework=framework,
        version=version,
        executable=sys.executable,
        prefix=sys.prefix,
        base_prefix=sys.base_prefix,
        pyvenv_cfg=_read_pyvenv_cfg(sys.prefix) if in_venv else None,
        enable_user_site=site.ENABLE_USER_SITE,
        home=home,
        user_base=user_base,
        schemes=templates,
        scheme_vars=scheme_vars,
        preferred_user_scheme=_preferred_user_scheme(),
        preferred_prefix_scheme=sysconfig.get_preferred_scheme("prefix"),
        default_lib_writable=False,
        marker_path="",
        marker_error=None,
        launcher_kind=_launcher_kind(os.name),
        sys_path=_search_path(),
        # An unset PATH is one empty entry, as in pip: it stands for the working directory.
        path_entries=tuple(environ.get("PATH", "").split(os.pathsep)),
    )
    return with_probes(env)


def with_probes(env: Environment) -> Environment:
    """Fill in the facts that need the file system: default-scheme writability and the PEP 668 marker."""
    paths = scheme.default_paths(env)
    marker = os.path.join(paths["stdlib"], "EXTERNALLY-MANAGED")
    return replace(
        env,
        default_lib_writable=all(
            is_writable_dir(d, env.os_name) for d in {paths["purelib"], paths["platlib"]}
        ),
        marker_path=marker,
        marker_error=read_marker(marker, env.prefix),
    )
