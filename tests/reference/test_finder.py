"""Finding wheels in --find-links locations: compatibility, ranking, pre-releases, bad names."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.tags import Tag, sys_tags

from conformance.reference.errors import UnsupportedWheel
from conformance.reference.finder import IGNORED_LOCATION, Finder, parse_link, scan_links
from conformance.reference.requirement import Bare

from .wheelmaker import make_wheel


def finder_for(directory: Path) -> Finder:
    links, warnings = scan_links([str(directory)])
    assert warnings == []
    return Finder(links, list(sys_tags()), (str(directory),))


def test_scan_ignores_other_files_and_bad_names(tmp_path: Path) -> None:
    make_wheel(tmp_path, "good")
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "not-a-wheel.whl").write_text("x")
    links, warnings = scan_links([str(tmp_path)])
    assert [link.name for link in links] == ["good"]
    assert warnings == []


def test_scan_warns_about_missing_locations(tmp_path: Path) -> None:
    links, warnings = scan_links([str(tmp_path / "nowhere")])
    assert links == []
    assert warnings == [IGNORED_LOCATION.format(tmp_path / "nowhere")]


def test_scan_accepts_a_wheel_file(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path, "single")
    links, _ = scan_links([str(wheel)])
    assert [link.path for link in links] == [str(wheel)]


def test_highest_allowed_version_wins(tmp_path: Path) -> None:
    for version in ("1.0", "2.0", "1.5"):
        make_wheel(tmp_path, "proj", version)
    finder = finder_for(tmp_path)
    assert str(finder.best(Requirement("proj")).version) == "2.0"  # type: ignore[union-attr]
    assert str(finder.best(Requirement("proj<2")).version) == "1.5"  # type: ignore[union-attr]
    assert finder.best(Requirement("proj>3")) is None
    assert finder.versions("proj") == ["1.0", "1.5", "2.0"]


def test_pre_releases_only_when_nothing_else_fits(tmp_path: Path) -> None:
    make_wheel(tmp_path, "proj", "1.0")
    make_wheel(tmp_path, "proj", "2.0b1")
    finder = finder_for(tmp_path)
    assert str(finder.best(Requirement("proj")).version) == "1.0"  # type: ignore[union-attr]
    assert str(finder.best(Requirement("proj>1")).version) == "2.0b1"  # type: ignore[union-attr]


def test_incompatible_tags_are_not_candidates(tmp_path: Path) -> None:
    make_wheel(tmp_path, "proj", "9.0", tag="cp27-cp27mu-manylinux1_x86_64")
    make_wheel(tmp_path, "proj", "1.0")
    finder = finder_for(tmp_path)
    assert str(finder.best(Requirement("proj")).version) == "1.0"  # type: ignore[union-attr]
    assert finder.versions("proj") == ["1.0"]


def test_better_tag_wins_at_equal_version(tmp_path: Path) -> None:
    best = next(iter(sys_tags()))
    make_wheel(tmp_path, "proj", "1.0")
    specific = make_wheel(tmp_path, "proj", "1.0", tag=str(best))
    finder = finder_for(tmp_path)
    assert finder.best(Requirement("proj")).path == str(specific)  # type: ignore[union-attr]


def test_names_are_compared_canonically(tmp_path: Path) -> None:
    make_wheel(tmp_path, "Demo.Pkg_X")
    assert finder_for(tmp_path).best(Requirement("demo-pkg-x")) is not None


def test_tag_priority_of_unsupported_wheel(tmp_path: Path) -> None:
    link = parse_link(str(make_wheel(tmp_path, "p", tag="py3-none-any")))
    finder = Finder([link], [Tag("cp311", "cp311", "linux_x86_64")])
    assert finder.tag_priority(link) is None


def test_supports_trusts_py3_none_any_only_for_this_interpreter(tmp_path: Path) -> None:
    pure = parse_link(str(make_wheel(tmp_path, "p", tag="py3-none-any")))
    other = parse_link(str(make_wheel(tmp_path, "q", tag="cp27-cp27mu-manylinux1_i686")))
    assert Finder([pure, other]).supports(pure)
    assert not Finder([pure, other]).supports(other)
    assert not Finder([pure], [Tag("cp311", "cp311", "linux_x86_64")]).supports(pure)


def test_one_pure_wheel_is_chosen_without_parsing_its_version(tmp_path: Path) -> None:
    link = parse_link(str(make_wheel(tmp_path, "p", tag="py3-none-any")))
    assert Finder([link]).best(Bare("p")) is link
    assert "version" not in vars(link)  # the cached property was never computed


def test_parse_link_rejects_bad_names() -> None:
    with pytest.raises(UnsupportedWheel, match="is not a valid wheel filename"):
        parse_link("/x/nonsense.whl")
