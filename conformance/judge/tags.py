"""Which of a project's wheels pip installs on an interpreter: the one whose tag it ranks first."""

from __future__ import annotations

from conformance.catalogue.fixtures import Fixture
from conformance.run.facts import InterpreterFacts

#: The legacy names packaging.tags yields after manylinux_2_17, _2_12 and _2_5 on glibc.
_MANYLINUX_ALIASES = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}
#: The interpreter and ABI parts this ranking covers: between py3-none-* tags only the platform decides.
RANKED_PREFIX = "py3-none-"


def _version(text: str) -> tuple[int, int]:
    major, _, minor = text.partition(".")
    return int(major), int(minor.partition(".")[0] or 0)


def platforms(facts: InterpreterFacts) -> list[str]:
    """The platform tags the interpreter supports, most specific first, in packaging.tags's order (as pip
    ranks them): the libc's own tags from its version down, then ``linux_<arch>``, then ``any``."""
    name, _, version = facts.libc.partition(" ")
    arch = facts.machine
    specific: list[str] = []
    if name == "glibc" and version:
        major, minor = _version(version)
        for m in range(minor, 4, -1):
            specific.append(f"manylinux_{major}_{m}_{arch}")
            if m in _MANYLINUX_ALIASES:
                specific.append(f"{_MANYLINUX_ALIASES[m]}_{arch}")
    elif name == "musl" and version:
        major, minor = _version(version)
        specific = [f"musllinux_{major}_{m}_{arch}" for m in range(minor, -1, -1)]
    return [*specific, f"linux_{arch}", "any"]


def installed_wheel(fixture: Fixture, facts: InterpreterFacts) -> Fixture:
    """The wheel of ``fixture`` pip picks on this interpreter: the supported one ranked first."""
    if not fixture.variants:
        return fixture
    if any(not v.tag.startswith(RANKED_PREFIX) for v in fixture.variants):
        raise ValueError(f"{fixture.name}: only {RANKED_PREFIX}* tags are ranked here")
    rank = {platform: index for index, platform in enumerate(platforms(facts))}
    supported = [v for v in fixture.variants if v.platform in rank]
    if not supported:
        raise ValueError(f"{fixture.name}: no wheel for {facts.libc} {facts.machine}")
    return min(supported, key=lambda v: rank[v.platform])
