"""``list [--user]`` and ``freeze [--user] [--all]``: the installed distributions in pip's formats."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import zip_longest

from .environment import Environment
from .installed import InstalledDist, in_usersite, iter_installed
from .names import canonical_name

#: pip's ``stdlib_pkgs``: projects some Pythons ship metadata for, which freeze never shows.
_STDLIB_PROJECTS = frozenset({"python", "wsgiref", "argparse"})
#: A release of plain numbers without leading zeros: its text is already packaging's normal form.
_PLAIN_VERSION = re.compile(r"(?:0|[1-9][0-9]*)(?:\.(?:0|[1-9][0-9]*))*", re.ASCII)


def _found(env: Environment, *, user_only: bool) -> Iterator[InstalledDist]:
    return (d for d in iter_installed(env.sys_path) if not user_only or in_usersite(d, env))


def distributions(env: Environment, *, user_only: bool) -> list[InstalledDist]:
    """Distributions on the search path (only the user site's with ``user_only``), by project name."""
    return sorted(_found(env, user_only=user_only), key=lambda d: d.canonical)


def format_columns(dists: list[InstalledDist]) -> list[str]:
    """pip's ``tabulate``: a Package/Version header, a dashed rule, then left-aligned rows."""
    if not dists:
        return []
    rows = [("Package", "Version"), *((d.name, d.version) for d in dists)]
    sizes = [max(map(len, column)) for column in zip_longest(*rows, fillvalue="")]
    table = [
        " ".join(cell.ljust(size) for cell, size in zip(row, sizes, strict=True)).rstrip() for row in rows
    ]
    return [table[0], " ".join("-" * size for size in sizes), *table[1:]]


def dev_projects(version: tuple[int, int]) -> frozenset[str]:
    """pip's ``_dev_pkgs``, which freeze skips without --all: pip, and the build tools before 3.12."""
    if version < (3, 12):
        return frozenset({"pip", "setuptools", "distribute", "wheel"})
    return frozenset({"pip"})


def _normal_version(text: str) -> str | None:
    """packaging's normal form of a version, None when it is not a PEP 440 version."""
    if _PLAIN_VERSION.fullmatch(text):
        return text  # the usual case, without importing packaging.version for it
    from packaging.version import InvalidVersion, Version

    try:
        return str(Version(text))
    except InvalidVersion:
        return None


def _pinned(dist: InstalledDist) -> str:
    """pip's ``_format_as_name_version``: ``Name==version``, or ``===`` and the raw one if not PEP 440."""
    # pip's version is the one in the .dist-info directory's name, the metadata's only without one.
    stem, suffix = os.path.splitext(os.path.basename(dist.info_dir))
    in_name = stem.partition("-")[2] if suffix == ".dist-info" else ""
    version = _normal_version(in_name or dist.version)
    return f"{dist.name}=={version}" if version is not None else f"{dist.name}==={dist.version}"


@dataclass
class Frozen:
    """What ``freeze`` prints: requirement lines on stdout, warnings on stderr."""

    lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _requirement(dist: InstalledDist, frozen: Frozen) -> str:
    """pip's ``FrozenRequirement.from_dist`` for an install that is not editable."""
    text = dist.read_text("direct_url.json")
    if text is None:
        return _pinned(dist)
    from json import JSONDecodeError

    from .directurl import DirectUrlError, parse_direct_url

    try:
        return parse_direct_url(text).requirement(dist.name)
    except (JSONDecodeError, DirectUrlError) as exc:
        # pip reads the file twice, first to see whether the install is editable, and warns each time.
        frozen.warnings += [f"Error parsing direct_url.json for {dist.canonical}: {exc}"] * 2
        return _pinned(dist)


def freeze(env: Environment, *, user_only: bool, freeze_all: bool) -> Frozen:
    """pip's ``freeze``: a requirement per distribution, by name ignoring case, pip's skips left out."""
    frozen = Frozen()
    # Every distribution's requirement is made, in search-path order, before any is skipped: so are
    # pip's warnings about unreadable direct_url.json files.
    found = [(d, _requirement(d, frozen)) for d in _found(env, user_only=user_only)]
    skip = _STDLIB_PROJECTS if freeze_all else _STDLIB_PROJECTS | dev_projects(env.version)
    ordered = sorted(found, key=lambda f: f[0].name.lower())
    # pip skips by the metadata's name, normalised, as it keys what it found.
    frozen.lines = [line for d, line in ordered if canonical_name(d.name) not in skip]
    return frozen
