"""Requirements: a bare project name as is, anything more parsed by packaging's ``Requirement``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import InvalidRequirement

if TYPE_CHECKING:
    from packaging.requirements import Requirement
    from packaging.version import Version

#: A PEP 508 name and nothing around it (ASCII only, no whitespace): packaging parses such a text to a
#: Requirement with exactly that name and no extras, specifier, marker or URL.
_BARE_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"


@dataclass
class Bare:
    """A requirement that is only a project name: any version, no extras, no marker, no URL.

    Stands in for ``Requirement(name)`` so that the common ``install NAME`` needs neither packaging's
    requirement parser nor its specifiers, which take longer to import than the install takes.
    """

    name: str
    extras: frozenset[str] = frozenset()

    def __str__(self) -> str:
        return self.name


def parse(text: str, where: str = "") -> Requirement | Bare:
    """A bare name, else ``Requirement(text)``; invalid text raises InvalidRequirement (``where`` ends it)."""
    if re.fullmatch(_BARE_NAME, text):
        return Bare(text)
    from packaging.requirements import InvalidRequirement as PackagingInvalidRequirement
    from packaging.requirements import Requirement

    try:
        return Requirement(text)
    except PackagingInvalidRequirement as exc:
        raise InvalidRequirement(text, f"{exc}{where}") from None


def allows(requirement: Requirement | Bare, version: Version | None) -> bool:
    """Whether the requirement's specifier admits the version, pre-releases included."""
    if version is None:
        return False
    return isinstance(requirement, Bare) or requirement.specifier.contains(version, prereleases=True)
