"""Requirements: a bare name stands for exactly what packaging's Requirement would make of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from packaging.requirements import InvalidRequirement as PackagingInvalidRequirement
from packaging.requirements import Requirement
from packaging.version import Version

from conformance.reference.errors import InvalidRequirement
from conformance.reference.finder import Finder, scan_links
from conformance.reference.requirement import Bare, allows, parse

from .wheelmaker import make_wheel


@pytest.mark.parametrize("text", ["demo-pkg", "Demo_Pkg.x", "a", "1"])
def test_bare_names(text: str) -> None:
    assert parse(text) == Bare(text)
    assert str(parse(text)) == text


@pytest.mark.parametrize(
    "text", ["demo-pkg>=1", "demo-pkg[x]", "demo-pkg; python_version>'3'", " demo-pkg", "demo-pkg_"]
)
def test_anything_more_is_parsed_by_packaging(text: str) -> None:
    parsed = parse(text)
    assert isinstance(parsed, Requirement)
    assert str(parsed) == str(Requirement(text))


def test_invalid_text_names_packaging_reason_and_where() -> None:
    with pytest.raises(PackagingInvalidRequirement) as expected:
        Requirement("demo pkg")
    with pytest.raises(InvalidRequirement) as exc:
        parse("demo pkg", " (in the metadata of x 1.0)")
    assert (
        exc.value.message == f"Invalid requirement: 'demo pkg': {expected.value} (in the metadata of x 1.0)"
    )


# The long s and the Kelvin sign match "s" and "k" case-insensitively: neither is part of a name.
@given(st.text(alphabet="aZ09._- [],;>=<!~@'\"\t\u017f\u212a", max_size=12))
def test_a_bare_name_is_what_packaging_parses(text: str) -> None:
    try:
        parsed = parse(text)
    except InvalidRequirement:
        with pytest.raises(PackagingInvalidRequirement):
            Requirement(text)
        return
    if isinstance(parsed, Bare):
        full = Requirement(text)
        assert (full.name, str(full), full.extras, str(full.specifier), full.marker, full.url) == (
            text,
            text,
            set(),
            "",
            None,
            None,
        )


@pytest.mark.parametrize("version", [None, "1.0", "2.0b1", "1!0.1.post1.dev2"])
def test_allows_like_an_empty_specifier(version: str | None) -> None:
    parsed = Version(version) if version is not None else None
    assert allows(Bare("p"), parsed) == allows(Requirement("p"), parsed)


@pytest.mark.parametrize(
    "versions",
    [(), ("1.0",), ("1.0", "2.0b1"), ("2.0b1",), ("2.0b1", "2.0rc1"), ("1.0", "1.5", "0.9", "3.0.dev1")],
)
def test_finder_picks_for_a_bare_name_what_it_picks_for_the_requirement(
    tmp_path: Path, versions: tuple[str, ...]
) -> None:
    for version in versions:
        make_wheel(tmp_path, "proj", version)
    links, _ = scan_links([str(tmp_path)])
    finder = Finder(links)
    assert finder.best(Bare("proj")) == finder.best(Requirement("proj"))
