"""Decide what to install: requested wheels, their Requires-Dist, minus what is already satisfied.

No backtracking: the first choice made for a project is final (the specifiers of every requirement
for it that is already queued are combined first), and a later requirement that excludes that choice
is reported as a conflict.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING

from .errors import (
    NoPrecedence,
    RequirementNotFound,
    RequiresPython,
    ResolutionImpossible,
    UnsupportedOption,
    UnsupportedWheel,
    WheelNotFound,
)
from .finder import Finder, WheelLink, parse_link
from .installed import InstalledDist, in_site_packages, in_usersite, iter_installed
from .names import canonical_name
from .requirement import Bare, allows, parse
from .wheelfile import WheelInfo, read_wheel

if TYPE_CHECKING:
    from packaging.requirements import Requirement
    from packaging.utils import NormalizedName
    from packaging.version import Version

    from .environment import Environment


@dataclass
class Requested:
    """One command-line requirement: a project with a specifier, or a wheel file."""

    requirement: Requirement | Bare
    link: WheelLink | None = None  # set when a wheel file was named


@dataclass
class Item:
    """A wheel to install, and the installed copy it replaces."""

    info: WheelInfo
    typed_name: str  # the name as the requirement spelt it: pip's headers directory name
    requested: bool  # named on the command line: gets a REQUESTED file
    direct: bool  # a wheel file path: gets direct_url.json
    replaces: InstalledDist | None


@dataclass
class Plan:
    """The wheels to install, in order, and what pip would have printed while choosing them."""

    items: tuple[Item, ...]  # dependencies before their dependents
    messages: tuple[str, ...]  # pip's progress lines for stdout


def display_path(path: str) -> str:
    """pip's ``display_path``: relative to the working directory when below it."""
    path = os.path.normcase(os.path.abspath(path))
    cwd = os.getcwd() + os.sep
    return "." + path[len(cwd) - 1 :] if path.startswith(cwd) else path


def parse_requested(text: str) -> Requested:
    """A wheel path (anything ending in .whl) or a PEP 508 requirement without a URL."""
    if "://" in text:
        raise UnsupportedOption(
            f"{text!r} is a URL",
            "The reference installer reads no network: download the wheel and pass its path, or put it "
            "in a --find-links directory.",
        )
    # "name @ file.whl" is a direct reference, not a path, unless such a file exists.
    if text.lower().endswith(".whl") and (os.path.isfile(text) or "@" not in text):
        if not os.path.isfile(text):
            raise WheelNotFound(text)
        link = parse_link(text)
        return Requested(parse(f"{link.name}=={link.version}"), link)
    if os.path.exists(text) and (os.sep in text or text.startswith(".")):
        raise UnsupportedOption(
            f"{text!r} is a source tree or archive, not a wheel",
            "The reference installer installs wheels only: build one first (python3 -m pip wheel .).",
        )
    requirement = parse(text)
    if not isinstance(requirement, Bare) and requirement.url:
        raise UnsupportedOption(
            f"{text!r} is a direct URL requirement",
            "Pass the wheel's path instead, or put the wheel in a --find-links directory.",
        )
    return Requested(requirement)


def _version(text: str) -> Version | None:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(text)
    except InvalidVersion:
        return None


def dist_to_uninstall(
    installed: InstalledDist | None, env: Environment, *, user: bool
) -> InstalledDist | None:
    """pip's ``get_dist_to_uninstall``: what an install into the chosen scheme replaces."""
    if installed is None:
        return None
    if not user or in_usersite(installed, env):
        return installed
    if env.in_venv and in_site_packages(installed, env):
        raise NoPrecedence(installed.name, installed.location)
    return None  # a global copy outside a venv stays, shadowed by the user copy


@dataclass
class _Node:
    """A project chosen for the plan (or kept as installed), and what it depends on."""

    name: str
    version_text: str  # as the metadata has it: parsed only if another requirement has to be checked
    requires: tuple[str, ...]
    item: Item | None  # None: satisfied by an installed copy
    deps: list[NormalizedName] = field(default_factory=list)
    extras: set[str] = field(default_factory=set)

    @cached_property
    def version(self) -> Version | None:
        return _version(self.version_text)

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}"


@dataclass
class _Resolver:
    """One resolution: a breadth-first walk of the requirements, one choice per project."""

    finder: Finder
    env: Environment
    user: bool
    upgrade: bool
    force_reinstall: bool
    installed: dict[NormalizedName, InstalledDist]
    nodes: dict[NormalizedName, _Node] = field(default_factory=dict)
    causes: dict[NormalizedName, list[str]] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    queue: deque[tuple[Requirement | Bare, bool, _Node | None, WheelLink | None]] = field(
        default_factory=deque
    )

    def run(self, requested: Sequence[Requested]) -> Plan:
        self.queue.extend((r.requirement, True, None, r.link) for r in requested)
        roots = [canonical_name(r.requirement.name) for r in requested]
        while self.queue:
            self._visit(*self.queue.popleft())
        return Plan(tuple(self._order(roots)), tuple(self.messages))

    def _visit(
        self, req: Requirement | Bare, requested: bool, parent: _Node | None, link: WheelLink | None
    ) -> None:
        canon = canonical_name(req.name)
        self.causes.setdefault(canon, []).append(
            f"The user requested {req}" if parent is None else f"{parent.label} depends on {req}"
        )
        node = self.nodes.get(canon)
        if node is None:
            node = self.nodes[canon] = self._choose(canon, req, requested, parent, link)
            extras = {"", *req.extras}
        else:
            if not allows(req, node.version) or (link is not None and link.version != node.version):
                wanting = str(req) if parent is None else f"{parent.name}=={parent.version}"
                chosen = f"{node.name}=={node.version}"
                raise ResolutionImpossible(wanting, chosen, self.causes[canon])
            if requested and node.item is not None:
                node.item = replace(node.item, requested=True)
            extras = set(req.extras) - node.extras
        node.extras |= extras
        if extras:
            self._enqueue_dependencies(node, extras)

    def _enqueue_dependencies(self, node: _Node, extras: set[str]) -> None:
        for text in node.requires:
            dep = parse(text, f" (in the metadata of {node.label})")
            marker = None if isinstance(dep, Bare) else dep.marker
            if marker is None or any(marker.evaluate({"extra": e}) for e in extras):
                node.deps.append(canonical_name(dep.name))
                self.queue.append((dep, False, node, None))

    def _combined(self, canon: NormalizedName, req: Requirement | Bare) -> Requirement | Bare:
        # Merge the specifiers of every queued requirement for this project into one choice. A bare
        # name has none to add, and when every requirement is one, any version will do.
        others = [
            o for o, _, _, _ in self.queue if not isinstance(o, Bare) and canonical_name(o.name) == canon
        ]
        if isinstance(req, Bare) and not others:
            return req
        from packaging.requirements import Requirement  # already imported: some requirement is one

        combined = Requirement(str(req))
        for other in others:
            combined.specifier &= other.specifier
        return combined

    def _satisfied(self, installed: InstalledDist, req: Requirement | Bare, parent: _Node | None) -> _Node:
        source = f" (from {parent.name})" if parent else ""
        self.messages.append(
            f"Requirement already satisfied: {req} in {display_path(installed.location)}{source} "
            f"({installed.version})"
        )
        return self._installed_node(installed)

    @staticmethod
    def _installed_node(installed: InstalledDist) -> _Node:
        return _Node(installed.name, installed.version, tuple(installed.requires), None)

    def _choose(
        self,
        canon: NormalizedName,
        req: Requirement | Bare,
        requested: bool,
        parent: _Node | None,
        link: WheelLink | None,
    ) -> _Node:
        installed = self.installed.get(canon)
        wanted = self._combined(canon, req)
        direct = link is not None
        if link is not None and not self.finder.supports(link):
            raise UnsupportedWheel(f"{link.filename} is not a supported wheel on this platform.")
        if link is None:
            version = _version(installed.version) if installed is not None else None
            keep = installed if not self.force_reinstall and allows(wanted, version) else None
            if keep is not None and not (self.upgrade and requested):
                return self._satisfied(keep, req, parent)
            link = self.finder.best(wanted)
            # With --upgrade pip keeps the installed copy unless a newer version is on offer.
            if keep is not None and version is not None and (link is None or link.version <= version):
                return self._satisfied(keep, req, parent)
            if link is None:
                raise RequirementNotFound(
                    str(wanted), self.finder.versions(req.name), links=self.finder.locations
                )
        self.messages.append(f"Processing {display_path(link.path)}")
        info = read_wheel(link.path)
        self._check_requires_python(info)
        replaces = dist_to_uninstall(installed, self.env, user=self.user)
        if (
            replaces is not None
            and not self.force_reinstall
            and _version(replaces.version) == _version(info.version)
        ):
            self.messages.append(
                f"{req.name} is already installed with the same version as the provided wheel. Use "
                "--force-reinstall to force an installation of the wheel."
            )
            return self._installed_node(replaces)
        # pip names the headers directory after the requirement as typed; a wheel path has no typed
        # name, so the metadata Name is used.
        item = Item(info, info.name if direct else req.name, requested, direct, replaces)
        return _Node(info.name, info.version, info.requires_dist, item)

    @staticmethod
    def _check_requires_python(info: WheelInfo) -> None:
        if not info.requires_python:
            return
        from packaging.specifiers import InvalidSpecifier, SpecifierSet  # only for a Requires-Python

        try:
            specifier = SpecifierSet(info.requires_python)
        except InvalidSpecifier:
            return  # pip ignores an invalid Requires-Python
        running = ".".join(str(part) for part in sys.version_info[:3])
        if not specifier.contains(running, prereleases=True):
            raise RequiresPython(info.name, running, info.requires_python)

    def _order(self, roots: Iterable[NormalizedName]) -> list[Item]:
        ordered: list[Item] = []
        seen: set[NormalizedName] = set()

        def visit(canon: NormalizedName) -> None:
            if canon in seen:
                return
            seen.add(canon)
            node = self.nodes[canon]
            for dep in node.deps:
                visit(dep)
            if node.item is not None:
                ordered.append(node.item)

        for root in roots:
            visit(root)
        return ordered


def resolve(
    requested: Sequence[Requested],
    *,
    finder: Finder,
    env: Environment,
    user: bool,
    upgrade: bool = False,
    force_reinstall: bool = False,
) -> Plan:
    """The install plan for the requested projects, in pip's order, with pip's progress lines."""
    installed = {d.canonical: d for d in iter_installed(env.sys_path)}
    resolver = _Resolver(finder, env, user, upgrade, force_reinstall, installed)
    return resolver.run(requested)
