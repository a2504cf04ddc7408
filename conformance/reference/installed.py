"""Installed distributions along a search path as pip sees them: the first one per project wins."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, cast

from . import scheme
from .names import canonical_name

if TYPE_CHECKING:
    from email.message import Message
    from importlib.metadata import PathDistribution

    from packaging.utils import NormalizedName

    from .environment import Environment

_SUFFIXES = (".dist-info", ".egg-info")


@dataclass
class InstalledDist:
    """One installed distribution: its metadata directory and the search-path entry holding it."""

    canonical: NormalizedName
    location: str  # the search-path directory (site-packages) the metadata directory is in
    info_dir: str  # the .dist-info or .egg-info directory

    @cached_property
    def _dist(self) -> PathDistribution:
        # importlib.metadata costs more to import than a fresh install takes: only a copy that is
        # already installed (satisfied, replaced, listed or uninstalled) has its metadata read.
        from importlib.metadata import PathDistribution
        from pathlib import Path

        return PathDistribution(Path(self.info_dir))

    @cached_property
    def metadata(self) -> Message:
        """METADATA (or PKG-INFO), parsed once: importlib.metadata's is an email Message, as pip relies on."""
        return cast("Message", self._dist.metadata)

    @cached_property
    def name(self) -> str:
        """The Name field as written in the metadata."""
        return str(self.metadata["Name"] or self.canonical)

    @cached_property
    def version(self) -> str:
        return str(self._dist.version)

    @cached_property
    def requires(self) -> list[str]:
        return list(self._dist.requires or [])

    @cached_property
    def provides_extra(self) -> tuple[str, ...]:
        return tuple(self.metadata.get_all("Provides-Extra") or ())

    def read_text(self, filename: str) -> str | None:
        return self._dist.read_text(filename)

    def script_names(self) -> list[tuple[str, bool]]:
        """(name, is_gui) of every console and gui script entry point."""
        return [
            (ep.name, ep.group == "gui_scripts")
            for ep in self._dist.entry_points
            if ep.group in ("console_scripts", "gui_scripts")
        ]


def _project_of(entry: str) -> NormalizedName:
    # Metadata directory names carry a normalised project name before the first '-'.
    stem = entry.rsplit(".", 1)[0]
    return canonical_name(stem.split("-", 1)[0])


def _scan(directory: str) -> Iterator[InstalledDist]:
    try:
        entries = sorted(os.listdir(directory))
    except OSError:
        return
    for entry in entries:
        if entry.endswith(_SUFFIXES):
            info_dir = os.path.join(directory, entry)
            if os.path.isdir(info_dir):
                yield InstalledDist(_project_of(entry), directory, info_dir)


def iter_installed(search_path: Iterable[str]) -> Iterator[InstalledDist]:
    """Every distribution on the search path, in path order, skipping later copies of a project."""
    seen: set[str] = set()
    for directory in search_path:
        for dist in _scan(directory):
            if dist.canonical not in seen:
                seen.add(dist.canonical)
                yield dist


def find_installed(search_path: Iterable[str], name: str) -> InstalledDist | None:
    """The copy of project ``name`` that ``import`` and pip would see first."""
    wanted = canonical_name(name)
    return next((d for d in iter_installed(search_path) if d.canonical == wanted), None)


def normalize_path(path: str) -> str:
    """pip's ``normalize_path``: absolute, symlinks resolved, case-normalised."""
    return os.path.normcase(os.path.realpath(os.path.expanduser(path)))


def is_under(path: str, directory: str) -> bool:
    """pip's location test: a plain string prefix of the normalised paths."""
    return normalize_path(path).startswith(normalize_path(directory))


def in_usersite(dist: InstalledDist, env: Environment) -> bool:
    """pip's ``in_usersite``: below site.py's user site-packages directory."""
    user_site = scheme.user_site(env)
    return user_site is not None and is_under(dist.location, user_site)


def in_site_packages(dist: InstalledDist, env: Environment) -> bool:
    """pip's ``in_site_packages``: below the default scheme's purelib."""
    return is_under(dist.location, scheme.default_paths(env)["purelib"])


def is_local(path: str, env: Environment) -> bool:
    """pip's ``is_local``: everything outside a venv, only paths under sys.prefix inside one."""
    return not env.in_venv or is_under(path, env.prefix)
