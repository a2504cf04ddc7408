"""Helpers of the reference installer's tests: a relocated Environment, subprocess runs, tree listings."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from conformance.reference import scheme
from conformance.reference.environment import Environment

PYENV = Path("/root/.pyenv/versions")
PYTHONS = {
    v: PYENV / full / "bin" / "python"
    for v, full in {"3.10": "3.10.13", "3.11": "3.11.7", "3.12": "3.12.1", "3.13": "3.13.0"}.items()
}

_PREFIX_VARS = ("base", "platbase", "installed_base", "installed_platbase", "prefix", "exec_prefix")


def relocated_env(host_env: Environment, root: Path, **changes: object) -> Environment:
    """The host interpreter's facts moved under ``root``: its prefix, home and user base all in tmp."""
    prefix = root / "prefix"
    home = root / "home"
    variables = dict(host_env.scheme_vars)
    variables.update({k: str(prefix) for k in _PREFIX_VARS if k in variables})
    env = replace(
        host_env,
        prefix=str(prefix),
        base_prefix=str(prefix),
        pyvenv_cfg=None,
        enable_user_site=True,
        home=str(home),
        user_base=str(home / ".local"),
        scheme_vars=variables,
        preferred_user_scheme="posix_user",
        preferred_prefix_scheme="posix_prefix",
        default_lib_writable=True,
        marker_path=str(prefix / "lib" / "EXTERNALLY-MANAGED"),
        marker_error=None,
        launcher_kind="posix",
    )
    user_site = scheme.user_site(env)
    assert user_site is not None
    env = replace(env, sys_path=(user_site, scheme.default_paths(env)["purelib"]))
    return replace(env, **changes)  # type: ignore[arg-type]


def clean_env(home: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """A minimal environment for a subprocess: HOME in tmp, nothing from the host's PIP_* or PYTHON*."""
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "LC_ALL": "C.UTF-8", **(extra or {})}


def run(
    argv: Sequence[str | os.PathLike[str]],
    home: Path,
    extra: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in argv],
        capture_output=True,
        text=True,
        env=clean_env(home, extra),
        cwd=cwd,
        check=False,
        timeout=120,
    )


def tree(root: Path) -> set[str]:
    """Every file, symlink and directory below ``root``, relative, directories with a trailing '/'."""
    if not root.exists():
        return set()
    found: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root):
        base = Path(dirpath)
        found.update(str((base / d).relative_to(root)) + "/" for d in dirnames)
        found.update(str((base / f).relative_to(root)) for f in filenames)
    return found
