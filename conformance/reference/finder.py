"""Find wheels in --find-links locations and pick the best compatible one for a requirement."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from .errors import UnsupportedWheel
from .names import InvalidWheelName, WheelName, canonical_name, parse_wheel_name
from .requirement import Bare

if TYPE_CHECKING:
    from packaging.requirements import Requirement
    from packaging.tags import Tag
    from packaging.utils import BuildTag, NormalizedName
    from packaging.version import Version

#: The file names pip builds as sdists.
SDIST_SUFFIXES = (".tar.gz", ".zip")
#: pip's warning for a --find-links location that is neither a directory nor a file.
IGNORED_LOCATION = "Location '{}' is ignored: it is either a non-existing path or lacks a specific scheme."


@dataclass
class WheelLink:
    """A wheel file and what its name says about it, parsed by packaging only when first asked for."""

    path: str
    wheel: WheelName

    @property
    def name(self) -> NormalizedName:
        return self.wheel.name

    @property
    def filename(self) -> str:
        return os.path.basename(self.path)

    @cached_property
    def version(self) -> Version:
        from packaging.version import Version

        return Version(self.wheel.version)

    @cached_property
    def build(self) -> BuildTag:
        if not self.wheel.build:
            return ()
        from packaging.utils import parse_wheel_filename

        return parse_wheel_filename(self.filename)[2]

    @cached_property
    def tags(self) -> frozenset[Tag]:
        from packaging.tags import parse_tag

        return parse_tag(self.wheel.tag)


def parse_link(path: str) -> WheelLink:
    """A wheel file's link; UnsupportedWheel when its name is not a wheel file name."""
    filename = os.path.basename(path)
    try:
        return WheelLink(path, parse_wheel_name(filename))
    except InvalidWheelName:
        raise UnsupportedWheel(f"{filename} is not a valid wheel filename.") from None


def scan_links(locations: Iterable[str]) -> tuple[list[WheelLink], list[str]]:
    """Every wheel in the given directories (or wheel files), and pip's warnings for unusable locations."""
    links: list[WheelLink] = []
    warnings: list[str] = []
    for location in locations:
        if os.path.isdir(location):
            paths = [os.path.join(location, n) for n in sorted(os.listdir(location)) if n.endswith(".whl")]
        elif os.path.isfile(location) and location.endswith(".whl"):
            paths = [location]
        else:
            warnings.append(IGNORED_LOCATION.format(location))
            continue
        for path in paths:
            try:
                links.append(parse_link(path))
            except UnsupportedWheel:
                continue  # pip skips files whose names are not wheel names
    return links, warnings


@dataclass
class Finder:
    """Candidates from the scanned links, ranked like pip: version, then tag priority, then build."""

    links: Sequence[WheelLink]
    supported: Sequence[Tag] | None = None  # None: this interpreter's sys_tags(), when first needed
    locations: tuple[str, ...] = ()  # the --find-links arguments, for messages

    @cached_property
    def _priority(self) -> dict[Tag, int]:
        # Computed on demand: a requirement already satisfied, or a wheel given by path, needs no tags.
        supported = self.supported
        if supported is None:
            from packaging.tags import sys_tags

            supported = list(sys_tags())
        priority: dict[Tag, int] = {}
        for index, tag in enumerate(supported):
            priority.setdefault(tag, index)
        return priority

    def tag_priority(self, link: WheelLink) -> int | None:
        """Index of the wheel's best tag among the supported tags; None when none is supported."""
        ranks = [self._priority[t] for t in link.tags if t in self._priority]
        return min(ranks) if ranks else None

    def supports(self, link: WheelLink) -> bool:
        """Whether this interpreter (or the given supported tags) can install the wheel."""
        if self.supported is None and link.wheel.surely_supported():
            return True
        return self.tag_priority(link) is not None

    def candidates(self, name: str) -> list[WheelLink]:
        """Compatible wheels of a project, best first."""
        wanted = canonical_name(name)
        matching = [link for link in self.links if link.name == wanted]
        if len(matching) == 1:
            return matching if self.supports(matching[0]) else []  # nothing to rank
        ranked = [(link, self.tag_priority(link)) for link in matching]
        compatible = [(link, rank) for link, rank in ranked if rank is not None]
        compatible.sort(key=lambda pair: (pair[0].version, -pair[1], pair[0].build), reverse=True)
        return [link for link, _ in compatible]

    def best(self, requirement: Requirement | Bare) -> WheelLink | None:
        """The best wheel whose version the specifier allows (pre-releases only if nothing else fits)."""
        candidates = self.candidates(requirement.name)
        if isinstance(requirement, Bare):
            if len(candidates) <= 1:
                return candidates[0] if candidates else None  # what the filter below gives, unparsed
            # An empty SpecifierSet's filter, without importing packaging.specifiers for it.
            finals = (c for c in candidates if not c.version.is_prerelease)
            return next(finals, candidates[0])
        allowed = set(requirement.specifier.filter(c.version for c in candidates))
        return next((c for c in candidates if c.version in allowed), None)

    def sdists(self, name: str) -> list[str]:
        """The source distributions of a project in the --find-links directories, which pip would build."""
        wanted = canonical_name(name)
        found = []
        for location in self.locations:
            if os.path.isdir(location):
                for filename in sorted(os.listdir(location)):
                    stem = next((filename[: -len(s)] for s in SDIST_SUFFIXES if filename.endswith(s)), None)
                    if stem is not None and "-" in stem and canonical_name(stem.rsplit("-", 1)[0]) == wanted:
                        found.append(filename)
        return found

    def versions(self, name: str) -> list[str]:
        """The compatible versions on offer, oldest first, for pip's "(from versions: ...)"."""
        return [str(v) for v in sorted({c.version for c in self.candidates(name)})]
