"""Project and wheel file names: the fast reading agrees with packaging's wherever it answers."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st
from packaging.tags import parse_tag, sys_tags
from packaging.utils import InvalidWheelFilename, canonicalize_name, parse_wheel_filename

from conformance.reference.names import InvalidWheelName, canonical_name, parse_wheel_name

_MAJOR = sys.version_info[0]

# Pieces close to the fast pattern's edges: zero padding, case, separators, pre-releases, build tags.
_name = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,8}", fullmatch=True) | st.text(max_size=6)
_version = st.sampled_from(["1", "1.0", "0.10", "01", "1.0a1", "1!2", "1.0.post1", "2.0.dev3", "x", ""])
_build = st.sampled_from(["", "-1", "-12abc", "-x"])
_tag = st.sampled_from(
    ["py3-none-any", "py2.py3-none-any", "PY3-none-any", "py2-none-any", "py30-none-any",
     "cp311-cp311-linux_x86_64", "py3-abi3-any", "py3-none-linux_x86_64", "py3-none", "py3..py2-none-any"]
)  # fmt: skip


@pytest.mark.property
@given(name=_name, version=_version, build=_build, tag=_tag)
def test_wheel_names_parse_as_packaging_parses_them(name: str, version: str, build: str, tag: str) -> None:
    filename = f"{name}-{version}{build}-{tag}.whl"
    try:
        expected = parse_wheel_filename(filename)
    except InvalidWheelFilename:
        with pytest.raises(InvalidWheelName):
            parse_wheel_name(filename)
        return
    got = parse_wheel_name(filename)
    assert got.name == expected[0]
    assert str(expected[1]) == str(type(expected[1])(got.version))
    assert bool(got.build) == bool(expected[2])
    assert parse_tag(got.tag) == expected[3]


@pytest.mark.property
@given(tag=_tag)
def test_surely_supported_only_when_sys_tags_has_it(tag: str) -> None:
    try:
        wheel = parse_wheel_name(f"p-1.0-{tag}.whl")
    except InvalidWheelName:
        return
    if wheel.surely_supported():
        assert parse_tag(tag) & set(sys_tags())


def test_the_plain_universal_wheel_is_surely_supported() -> None:
    assert parse_wheel_name(f"demo_pkg-1.0-py{_MAJOR}-none-any.whl").surely_supported()
    assert parse_wheel_name(f"demo_pkg-1.0-py2.py{_MAJOR}-none-any.whl").surely_supported()
    assert not parse_wheel_name("demo_pkg-1.0-py2-none-any.whl").surely_supported()
    assert not parse_wheel_name("demo_plat-1.0-cp311-cp311-linux_x86_64.whl").surely_supported()


def test_build_tags_and_tag_sets_keep_their_text() -> None:
    wheel = parse_wheel_name("Demo.Pkg-1.0-7b-py2.py3-none-any.whl")
    parts = (wheel.name, wheel.version, wheel.build, wheel.tag)
    assert parts == ("demo-pkg", "1.0", "7b", "py2.py3-none-any")


@pytest.mark.property
@given(name=st.text(max_size=12))
def test_canonical_name_is_packagings(name: str) -> None:
    assert canonical_name(name) == canonicalize_name(name)
