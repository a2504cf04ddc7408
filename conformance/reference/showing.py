"""``show NAME...``: pip's header block for each installed distribution asked about."""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import InvalidRequirement
from .installed import InstalledDist, iter_installed
from .names import canonical_name
from .requirement import Bare, parse

if TYPE_CHECKING:
    from email.message import Message

    from packaging.requirements import Requirement
    from packaging.utils import NormalizedName

    from .environment import Environment

#: PEP 753's normalisation of a Project-URL label drops punctuation and whitespace.
_LABEL_NOISE = str.maketrans("", "", string.punctuation + string.whitespace)


@dataclass
class Shown:
    """pip's ``_PackageInfo``, less the file list: what ``show`` prints of one distribution."""

    name: str
    version: str
    summary: str
    homepage: str
    author: str
    author_email: str
    license: str
    license_expression: str
    metadata_version: str
    location: str
    requires: list[str]
    required_by: list[str]
    installer: str
    classifiers: list[str]
    entry_points: list[str]
    project_urls: list[str]


@dataclass
class Search:
    """The queried names not installed (as typed, sorted) and the blocks of those that are, in query order."""

    missing: list[str] = field(default_factory=list)
    shown: list[Shown] = field(default_factory=list)


def dependencies(dist: InstalledDist) -> list[Requirement | Bare]:
    """pip's ``iter_dependencies()`` without extras: Requires-Dist entries whose marker holds for no extra."""
    found = []
    for text in dist.requires:
        # A wrapped header keeps its line break: pip strips it too.
        req = parse(text.strip())
        if isinstance(req, Bare) or req.marker is None or req.marker.evaluate({"extra": ""}):
            found.append(req)
    return found


def _requires(dist: InstalledDist) -> list[str]:
    try:
        # A set, as in pip: a project required under two markers is listed once.
        return sorted({req.name for req in dependencies(dist)}, key=str.lower)
    except InvalidRequirement:
        return sorted(dist.requires, key=str.lower)


def _dependents(installed: Sequence[InstalledDist]) -> dict[NormalizedName, list[str]] | None:
    """The metadata names of the distributions that depend on each project, in search-path order.

    None when some Requires-Dist does not parse: pip then prints ``#N/A`` as every Required-by.
    """
    dependents: dict[NormalizedName, list[str]] = {}
    for dist in installed:
        try:
            needed = {canonical_name(req.name) for req in dependencies(dist)}
        except InvalidRequirement:
            return None
        for name in needed:
            dependents.setdefault(name, []).append(str(dist.metadata.get("Name") or "UNKNOWN"))
    return dependents


def _homepage(metadata: Message) -> str:
    """Home-page, else the first Project-URL whose label normalises to ``homepage``, as pip looks."""
    homepage = str(metadata.get("Home-page", ""))
    if homepage:
        return homepage
    for entry in metadata.get_all("Project-URL", []):
        label, url = entry.split(",", maxsplit=1)
        if label.translate(_LABEL_NOISE).lower() == "homepage":
            return url.strip()
    return ""


def _installer(dist: InstalledDist) -> str:
    """pip's ``installer``: the first non-blank line of INSTALLER."""
    lines = (line.strip() for line in (dist.read_text("INSTALLER") or "").splitlines())
    return next((line for line in lines if line), "")


def _shown(dist: InstalledDist, required_by: list[str]) -> Shown:
    metadata = dist.metadata
    return Shown(
        name=dist.name,
        version=str(metadata["Version"]),
        summary=str(metadata.get("Summary", "")),
        homepage=_homepage(metadata),
        author=str(metadata.get("Author", "")),
        author_email=str(metadata.get("Author-email", "")),
        license=str(metadata.get("License", "")),
        license_expression=str(metadata.get("License-Expression", "")),
        metadata_version=str(metadata.get("Metadata-Version", "")),
        location=dist.location,
        requires=_requires(dist),
        required_by=required_by,
        installer=_installer(dist),
        classifiers=[str(c) for c in metadata.get_all("Classifier", [])],
        entry_points=(dist.read_text("entry_points.txt") or "").splitlines(),
        project_urls=[str(u) for u in metadata.get_all("Project-URL", [])],
    )


def search(env: Environment, query: Sequence[str]) -> Search:
    """pip's ``search_packages_info``: the first copy on the search path of each project asked about."""
    installed = {dist.canonical: dist for dist in iter_installed(env.sys_path)}
    wanted = [canonical_name(name) for name in query]
    found = Search(missing=sorted(n for n, c in zip(query, wanted, strict=True) if c not in installed))
    if len(found.missing) == len(query):
        return found  # nothing to show: no need to read every distribution's requirements
    dependents = _dependents(list(installed.values()))
    for name in wanted:
        if name in installed:
            required_by = ["#N/A"] if dependents is None else dependents.get(name, [])
            found.shown.append(_shown(installed[name], sorted(required_by, key=str.lower)))
    return found


def format_blocks(shown: Sequence[Shown], *, verbose: bool) -> list[str]:
    """pip's ``print_results``, without --files: the blocks, ``---`` between them; -v adds five fields."""
    lines: list[str] = []
    for index, dist in enumerate(shown):
        if index:
            lines.append("---")
        lines += [
            f"Name: {dist.name}",
            f"Version: {dist.version}",
            f"Summary: {dist.summary}",
            f"Home-page: {dist.homepage}",
            f"Author: {dist.author}",
            f"Author-email: {dist.author_email}",
        ]
        version = tuple(map(int, dist.metadata_version.split("."))) if dist.metadata_version else ()
        if version >= (2, 4) and dist.license_expression:
            lines.append(f"License-Expression: {dist.license_expression}")
        else:
            lines.append(f"License: {dist.license}")
        lines += [
            f"Location: {dist.location}",
            f"Requires: {', '.join(dist.requires)}",
            f"Required-by: {', '.join(dist.required_by)}",
        ]
        if verbose:
            lines += [
                f"Metadata-Version: {dist.metadata_version}",
                f"Installer: {dist.installer}",
                "Classifiers:",
                *(f"  {c}" for c in dist.classifiers),
                "Entry-points:",
                *(f"  {e.strip()}" for e in dist.entry_points),
                "Project-URLs:",
                *(f"  {u}" for u in dist.project_urls),
            ]
    return lines
