"""Which of a project's wheels pip installs on an interpreter: the one whose tag it ranks first."""

from __future__ import annotations

from packaging.tags import Tag, compatible_tags, cpython_tags, parse_tag

from conformance.catalogue.fixtures import Fixture, closure
from conformance.run.facts import InterpreterFacts

#: The legacy names packaging.tags yields after manylinux_2_17, _2_12 and _2_5 on glibc.
_MANYLINUX_ALIASES = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}
#: Windows's platform tag by ``platform.machine()``.
_WINDOWS_PLATFORMS = {"amd64": "win_amd64", "arm64": "win_arm64", "x86": "win32"}


def _version(text: str) -> tuple[int, int]:
    major, _, minor = text.partition(".")
    return int(major), int(minor.partition(".")[0] or 0)


def platforms(facts: InterpreterFacts) -> list[str]:
    """The platform tags the interpreter supports, most specific first, in packaging.tags's order (as pip
    ranks them): the libc's own tags from its version down, then ``linux_<arch>`` (Windows: its one
    platform), then ``any``. Packaging 26 (pip 26's) ranks ``linux_<arch>`` first; that decides only between
    a project's ``linux_<arch>`` wheel and a manylinux one, which an index does not carry side by side."""
    arch = facts.machine
    if facts.os_name == "nt":
        return [_WINDOWS_PLATFORMS.get(arch.lower(), f"win_{arch.lower()}"), "any"]
    name, _, version = facts.libc.partition(" ")
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


def supported_tags(facts: InterpreterFacts) -> list[Tag]:
    """Every wheel tag the interpreter installs, best first, in the order pip ranks them for CPython
    (packaging.tags's ``sys_tags``, computed from the target's facts instead of this process)."""
    version = _version(facts.version)
    specific = [p for p in platforms(facts) if p != "any"]
    interpreter = f"cp{version[0]}{version[1]}"
    own = list(cpython_tags(version, [facts.abi] if facts.abi else [], specific))
    return [*own, *compatible_tags(version, interpreter, specific)]


def best_tag(facts: InterpreterFacts) -> str:
    """The tag the interpreter ranks first, naming it in a reason: ``cp313-cp313-manylinux_2_36_x86_64``."""
    return str(supported_tags(facts)[0])


def installed_wheel(fixture: Fixture, facts: InterpreterFacts) -> Fixture | None:
    """The wheel of ``fixture`` pip picks on this interpreter: the supported one ranked first (None: none of
    its wheels fits the interpreter, so pip finds no matching distribution)."""
    rank = {tag: index for index, tag in enumerate(supported_tags(facts))}
    ranked = []
    for wheel in fixture.wheels:
        fits = [rank[tag] for tag in parse_tag(wheel.tag) if tag in rank]
        if fits:
            ranked.append((min(fits), wheel))
    if not ranked:
        return None
    return min(ranked, key=lambda pair: pair[0])[1]


def installed_wheels(name: str, facts: InterpreterFacts) -> dict[str, Fixture | None]:
    """The wheel pip picks for ``name`` and each project it requires, by project (None: none fits)."""
    return {f.name: installed_wheel(f, facts) for f in closure(name)}


def no_wheel(wheels: dict[str, Fixture | None], facts: InterpreterFacts) -> str | None:
    """Why pip finds no matching distribution among ``wheels`` (None: every project has one that fits)."""
    unfit = [name for name, wheel in wheels.items() if wheel is None]
    return f"no wheel of {', '.join(unfit)} fits this interpreter ({best_tag(facts)})" if unfit else None
