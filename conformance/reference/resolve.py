"""Decide what to install, in pip's rounds: requested wheels, their Requires-Dist, minus what is satisfied.

The walk follows pip's resolver (resolvelib driven by pip's provider) so that its progress lines come
in pip's order: every requested requirement is looked up first, then one project per round is pinned,
the most preferred first (a wheel path, then ``==`` pins, upper bounds, the order the user gave, any
specifier, the name), and its dependencies are looked up. No backtracking: a requirement that excludes
a project already pinned is reported as a conflict.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from .errors import (
    NoPrecedence,
    RequirementNotFound,
    RequiresPython,
    ResolutionImpossible,
    UnsupportedWheel,
)
from .finder import Finder, WheelLink
from .installed import InstalledDist, in_site_packages, in_usersite, iter_installed
from .names import canonical_name
from .order import installation_order
from .requested import Requested, parse_requested
from .requirement import Bare, allows, parse
from .wheelfile import WheelInfo, read_wheel

if TYPE_CHECKING:
    from packaging.requirements import Requirement
    from packaging.utils import NormalizedName
    from packaging.version import Version

    from .environment import Environment

__all__ = ["Item", "Plan", "Requested", "display_path", "dist_to_uninstall", "parse_requested", "resolve"]

#: The graph node pip adds for a wheel's Requires-Python: it changes which round a project is a leaf in.
REQUIRES_PYTHON = "<Python from Requires-Python>"


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

    items: tuple[Item, ...]  # pip's installation order: dependencies before their dependents
    messages: tuple[str, ...]  # pip's progress lines for stdout
    warnings: tuple[str, ...] = ()  # pip's WARNING lines, for stderr


def display_path(path: str) -> str:
    """pip's ``display_path``: relative to the working directory when below it."""
    path = os.path.normcase(os.path.abspath(path))
    cwd = os.getcwd() + os.sep
    return "." + path[len(cwd) - 1 :] if path.startswith(cwd) else path


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


class _Info:
    """One requirement on a project and who made it (resolvelib's RequirementInformation)."""

    # Plain classes here: making a dataclass costs about half a millisecond at import, on every run.
    __slots__ = ("comes_from", "from_path", "link", "parent", "parent_label", "req")

    def __init__(
        self,
        req: Requirement | Bare,
        parent: NormalizedName | None,  # None: the user asked for it
        parent_label: str,  # "name version" of the parent, for conflict messages
        link: WheelLink | None,  # a wheel file the user named
        comes_from: str | None,  # what pip prints after "(from ": a file's line, or the parent's path
        from_path: str,  # pip's ``InstallRequirement.from_path()``: "req->what it came from"
    ) -> None:
        self.req = req
        self.parent = parent
        self.parent_label = parent_label
        self.link = link
        self.comes_from = comes_from
        self.from_path = from_path


@dataclass
class _Node:
    """The choice for a project: a wheel to install, or the installed copy that satisfies it."""

    name: str
    version_text: str  # as the metadata has it: parsed only if another requirement has to be checked
    requires: tuple[str, ...]
    item: Item | None  # None: satisfied by an installed copy
    requires_python: bool = False  # a wheel with a Requires-Python: one more node in pip's graph
    provides_extra: tuple[str, ...] = ()

    @cached_property
    def version(self) -> Version | None:
        return _version(self.version_text)

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}"


class _Criterion:
    """Everything required of one project so far, and the current choice for it."""

    __slots__ = ("extras", "infos", "node", "pinned")

    def __init__(self, infos: list[_Info], node: _Node, extras: set[str]) -> None:
        self.infos = infos
        self.node = node
        self.extras = extras
        self.pinned = False


@dataclass
class _Resolver:
    """One resolution, in resolvelib's rounds, printing what pip prints on the way."""

    finder: Finder
    env: Environment
    user: bool
    upgrade: bool
    force_reinstall: bool
    ignore_dependencies: bool
    installed: dict[NormalizedName, InstalledDist]
    criteria: dict[NormalizedName, _Criterion] = field(default_factory=dict)
    user_requested: dict[NormalizedName, int] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    late_messages: list[str] = field(default_factory=list)  # printed once resolution is over
    warnings: list[str] = field(default_factory=list)
    _processed: set[str] = field(default_factory=set)  # pip logs each wheel file once (cached candidates)
    _satisfied: set[NormalizedName] = field(default_factory=set)  # ... and each installed copy once

    def run(self, requested: Sequence[Requested]) -> Plan:
        for index, r in enumerate(requested):
            self.user_requested.setdefault(canonical_name(r.requirement.name), index)
        # pip looks requirements with extras up last (a stable sort): it only changes the log's order.
        for r in sorted(requested, key=lambda r: bool(r.requirement.extras)):
            from_path = str(r.requirement) + (f"->{r.comes_from}" if r.comes_from else "")
            self._add(_Info(r.requirement, None, "", r.link, r.comes_from, from_path))
        while True:
            unpinned = [canon for canon, c in self.criteria.items() if not c.pinned]
            if not unpinned:
                break
            canon = min(unpinned, key=self._preference)
            criterion = self.criteria[canon]
            criterion.pinned = True
            self._add_dependencies(canon, criterion, {"", *criterion.extras})
        items: dict[str, Item] = {
            canon: c.node.item for canon, c in self.criteria.items() if c.node.item is not None
        }
        ordered = installation_order(self._graph(), items)
        messages = (*self.messages, *self.late_messages)
        return Plan(tuple(items[canon] for canon in ordered), messages, tuple(self.warnings))

    def _preference(self, canon: NormalizedName) -> tuple[bool, bool, bool, float, bool, str]:
        """pip's ``get_preference``: the smallest key is pinned next."""
        infos = self.criteria[canon].infos
        operators = [
            (spec.operator, spec.version)
            for info in infos
            if info.link is None and not isinstance(info.req, Bare)
            for spec in info.req.specifier
        ]
        direct = any(info.link is not None for info in infos)
        pinned = any(op[:2] == "==" and "*" not in ver for op, ver in operators)
        upper = any(op in ("<", "<=", "~=") or (op == "==" and "*" in ver) for op, ver in operators)
        order = self.user_requested.get(canon, math.inf)
        return (not direct, not pinned, not upper, order, not operators, canon)

    def _add(self, info: _Info) -> None:
        """resolvelib's ``_add_to_criteria``: look the project up again with everything required of it."""
        canon = canonical_name(info.req.name)
        criterion = self.criteria.get(canon)
        if criterion is None:
            node = self._choose(canon, [info])
            self.criteria[canon] = _Criterion([info], node, set(info.req.extras))
            return
        criterion.infos.append(info)
        if not self._fits(info, criterion.node):
            if criterion.pinned:
                node = criterion.node
                wanting = str(info.req) if info.parent is None else info.parent_label.replace(" ", "==", 1)
                causes = [
                    f"{i.parent_label} depends on {i.req}" if i.parent else f"The user requested {i.req}"
                    for i in criterion.infos
                ]
                raise ResolutionImpossible(wanting, f"{node.name}=={node.version}", causes)
            criterion.node = self._choose(canon, criterion.infos)
        if info.parent is None and criterion.node.item is not None:
            criterion.node.item.requested = True
        extras = set(info.req.extras) - criterion.extras
        criterion.extras |= extras
        if criterion.pinned and extras:
            self._add_dependencies(canon, criterion, extras)

    @staticmethod
    def _fits(info: _Info, node: _Node) -> bool:
        if info.link is not None and info.link.version != node.version:
            return False
        return allows(info.req, node.version)

    def _add_dependencies(self, canon: NormalizedName, criterion: _Criterion, extras: set[str]) -> None:
        if self.ignore_dependencies:
            return  # --no-deps: pip asks a pinned project for its Requires-Python only
        node = criterion.node
        provided = {canonical_name(e) for e in node.provides_extra}
        for extra in sorted(e for e in extras if e and canonical_name(e) not in provided):
            self.warnings.append(f"{canon} {node.version} does not provide the extra '{extra}'")
        valid = {e for e in extras if not e or canonical_name(e) in provided}
        base = "" in extras  # else only extras added later: what the base needs is already there
        # The parent's template is the first requirement that found it: its path is what pip prints.
        parent_path = criterion.infos[0].from_path
        for text in node.requires:
            dep = parse(text, f" (in the metadata of {node.label})")
            marker = None if isinstance(dep, Bare) else dep.marker
            if marker is None:
                applies = base
            else:
                applies = any(marker.evaluate({"extra": e}) for e in valid) and (
                    base or not marker.evaluate({"extra": ""})
                )
            if applies:
                self._add(_Info(dep, canon, node.label, None, parent_path, f"{dep}->{parent_path}"))

    @staticmethod
    def _combined(infos: Sequence[_Info]) -> Requirement | Bare:
        # Every specifier on the project narrows one choice; with bare names only, any version will do.
        specified = [i.req for i in infos if not isinstance(i.req, Bare)]
        if not specified:
            return infos[0].req
        from packaging.requirements import Requirement  # already imported: some requirement is one

        combined = Requirement(str(specified[0]))
        for other in specified[1:]:
            combined.specifier &= other.specifier
        return combined

    def _suffix(self, info: _Info) -> str:
        return f" (from {info.comes_from})" if info.comes_from else ""

    def _log_satisfied(self, canon: NormalizedName, installed: InstalledDist, template: _Info) -> None:
        if canon in self._satisfied:
            return
        self._satisfied.add(canon)
        self.messages.append(
            f"Requirement already satisfied: {template.req} in {display_path(installed.location)}"
            f"{self._suffix(template)} ({installed.version})"
        )

    def _log_processing(self, link: WheelLink, template: _Info) -> None:
        if link.path in self._processed:
            return
        self._processed.add(link.path)
        self.messages.append(f"Processing {display_path(link.path)}{self._suffix(template)}")

    @staticmethod
    def _installed_node(installed: InstalledDist) -> _Node:
        requires = tuple(installed.requires)
        return _Node(installed.name, installed.version, requires, None, False, installed.provides_extra)

    def _choose(self, canon: NormalizedName, infos: Sequence[_Info]) -> _Node:
        """pip's ``find_matches`` and the best of what it finds, logging as its candidates are made."""
        template = infos[0]
        link = next((i.link for i in infos if i.link is not None), None)
        requested = any(i.parent is None for i in infos)
        installed = self.installed.get(canon)
        wanted = self._combined(infos)
        direct = link is not None
        if link is not None and not self.finder.supports(link):
            raise UnsupportedWheel(f"{link.filename} is not a supported wheel on this platform.")
        if link is None:
            version = _version(installed.version) if installed is not None else None
            keep = installed if not self.force_reinstall and allows(wanted, version) else None
            if keep is not None:
                # pip makes (and logs) the installed candidate even when an upgrade then replaces it.
                self._log_satisfied(canon, keep, template)
                if not (self.upgrade and canon in self.user_requested):
                    return self._installed_node(keep)
            link = self.finder.best(wanted)
            # With --upgrade pip keeps the installed copy unless a newer version is on offer.
            if keep is not None and version is not None and (link is None or link.version <= version):
                return self._installed_node(keep)
            if link is None:
                raise RequirementNotFound(
                    str(wanted),
                    self.finder.versions(wanted.name),
                    links=self.finder.locations,
                    sdists=self.finder.sdists(wanted.name),
                )
        self._log_processing(link, template)
        info = read_wheel(link.path)
        self._check_requires_python(info)
        replaces = dist_to_uninstall(installed, self.env, user=self.user)
        if (
            replaces is not None
            and not self.force_reinstall
            and _version(replaces.version) == _version(info.version)
        ):
            # pip says so after resolving, and still walks the installed copy's dependencies.
            self.late_messages.append(
                f"{template.req.name} is already installed with the same version as the provided wheel. "
                "Use --force-reinstall to force an installation of the wheel."
            )
            return self._installed_node(replaces)
        # pip names the headers directory after the requirement as typed; a wheel path has no typed
        # name, so the metadata Name is used.
        item = Item(info, info.name if direct else template.req.name, requested, direct, replaces)
        requires_python = bool(info.requires_python)
        return _Node(info.name, info.version, info.requires_dist, item, requires_python, info.provides_extra)

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

    def _graph(self) -> dict[str | None, set[str]]:
        """resolvelib's result graph: the user (None) and each parent to the projects they require."""
        graph: dict[str | None, set[str]] = {None: set()}
        for canon, criterion in self.criteria.items():
            graph.setdefault(canon, set())
            for info in criterion.infos:
                graph.setdefault(info.parent, set()).add(canon)
            if criterion.node.item is not None and criterion.node.requires_python:
                graph[canon].add(REQUIRES_PYTHON)
        return graph


def resolve(
    requested: Sequence[Requested],
    *,
    finder: Finder,
    env: Environment,
    user: bool,
    upgrade: bool = False,
    force_reinstall: bool = False,
    ignore_dependencies: bool = False,
) -> Plan:
    """The install plan for the requested projects, in pip's order, with pip's progress lines."""
    installed = {d.canonical: d for d in iter_installed(env.sys_path)}
    resolver = _Resolver(finder, env, user, upgrade, force_reinstall, ignore_dependencies, installed)
    return resolver.run(requested)
