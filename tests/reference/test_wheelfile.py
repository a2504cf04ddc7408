"""Reading and vetting wheels: broken archives, RECORD mismatches, path traversal, bad entry points."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from conformance.archive import record_hash
from conformance.reference.errors import InvalidWheel
from conformance.reference.scheme import Scheme
from conformance.reference.wheelfile import destination, read_wheel, vet

from .wheelmaker import make_wheel


def scheme_in(root: Path) -> Scheme:
    return Scheme(
        purelib=str(root / "lib"),
        platlib=str(root / "plat"),
        headers=str(root / "include" / "p"),
        scripts=str(root / "bin"),
        data=str(root),
    )


def test_read_wheel(tmp_path: Path) -> None:
    wheel = make_wheel(
        tmp_path,
        "Demo.Pkg",
        "2.0",
        requires=["dep>=1", "other; extra == 'x'"],
        requires_python=">=3.8",
        console_scripts={"demo": "demo_pkg.cli:main"},
        gui_scripts={"demo-gui": "demo_pkg.gui:run [extra]"},
        root_is_purelib=False,
    )
    info = read_wheel(str(wheel))
    assert (info.name, info.version, info.root_is_purelib) == ("Demo.Pkg", "2.0", False)
    assert info.dist_info == "demo_pkg-2.0.dist-info"
    assert info.data_dir == "demo_pkg-2.0.data"
    assert info.requires_dist == ("dep>=1", "other; extra == 'x'")
    assert info.requires_python == ">=3.8"
    assert [(e.name, e.module, e.attr, e.gui) for e in info.entry_points] == [
        ("demo", "demo_pkg.cli", "main", False),
        ("demo-gui", "demo_pkg.gui", "run", True),
    ]
    assert info.wrapper_names() == {"demo", "demo-gui"}


def test_not_a_zip(tmp_path: Path) -> None:
    wheel = tmp_path / "broken-1.0-py3-none-any.whl"
    wheel.write_bytes(b"this is not a zip file")
    with pytest.raises(InvalidWheel, match=re.escape("broken-1.0-py3-none-any.whl")):
        read_wheel(str(wheel))


def test_truncated_zip(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path, "cut")
    wheel.write_bytes(wheel.read_bytes()[:-40])
    with pytest.raises(InvalidWheel):
        read_wheel(str(wheel))


def test_no_dist_info(tmp_path: Path) -> None:
    wheel = tmp_path / "nometa-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("nometa/__init__.py", "")
    with pytest.raises(InvalidWheel, match=re.escape("exactly one .dist-info")):
        read_wheel(str(wheel))


def test_missing_metadata(tmp_path: Path) -> None:
    wheel = tmp_path / "nometa-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("nometa-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\n")
    with pytest.raises(InvalidWheel, match="METADATA is missing"):
        read_wheel(str(wheel))


def test_unsupported_wheel_version(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path, "future")
    with zipfile.ZipFile(wheel) as source:
        members = {n: source.read(n) for n in source.namelist()}
    members["future-1.0.dist-info/WHEEL"] = b"Wheel-Version: 2.0\nRoot-Is-Purelib: true\n"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with pytest.raises(InvalidWheel, match=re.escape("Wheel-Version '2.0' is not supported")):
        read_wheel(str(wheel))


def test_metadata_name_must_match_the_file_name(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path, "right")
    wrong = wheel.with_name("wrong-1.0-py3-none-any.whl")
    wheel.rename(wrong)
    with pytest.raises(InvalidWheel):
        read_wheel(str(wrong))


def test_entry_point_without_callable(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path, "ep", console_scripts={"bad": "module_only"})
    with pytest.raises(
        InvalidWheel, match="Invalid script entry point: bad = module_only - A callable suffix"
    ):
        read_wheel(str(wheel))


def test_vet_accepts_a_good_wheel(tmp_path: Path) -> None:
    wheel = make_wheel(
        tmp_path, "ok", files={"ok/__init__.py": b"", "ok-1.0.data/scripts/tool": b"#!python\n"}
    )
    vet(read_wheel(str(wheel)), scheme_in(tmp_path / "scheme"))


def _tamper(rows: list[str]) -> list[str]:
    return [r.replace(record_hash(b"VERSION = '1.0'\n"), record_hash(b"other")) for r in rows]


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (_tamper, "didn't match RECORD"),
        (lambda rows: [r for r in rows if "__init__" not in r], "is not mentioned in RECORD"),
        (lambda rows: [*rows[:-1], "x,y"], "Unable to retrieve `RECORD`"),
    ],
)
def test_vet_rejects_record_mismatches(
    tmp_path: Path, record: Callable[[list[str]], list[str]], message: str
) -> None:
    wheel = make_wheel(tmp_path, "rec", record=record)
    with pytest.raises(InvalidWheel, match=message):
        vet(read_wheel(str(wheel)), scheme_in(tmp_path / "scheme"))


def test_vet_rejects_members_outside_record(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path, "extra", extra_members={"extra/sneaky.py": b"x"})
    with pytest.raises(InvalidWheel, match=re.escape("sneaky.py is not mentioned in RECORD")):
        vet(read_wheel(str(wheel)), scheme_in(tmp_path / "scheme"))


@pytest.mark.parametrize(
    "member",
    [
        "../escape.py",
        "pkg/../../escape.py",
        "/etc/escape.py",
        "trav-1.0.data/scripts/../../escape",
        "trav-1.0.data/data/../../../escape",
        "trav-1.0.data/headers/../../../../escape.h",
    ],
)
def test_vet_rejects_path_traversal(tmp_path: Path, member: str) -> None:
    wheel = make_wheel(tmp_path, "trav", files={member: b"x", "trav/__init__.py": b""})
    with pytest.raises(InvalidWheel, match="trying to install outside the target directory"):
        vet(read_wheel(str(wheel)), scheme_in(tmp_path / "scheme"))
    assert not (tmp_path / "scheme").exists()


@pytest.mark.parametrize("member", ["bad-1.0.data/unknown/x", "bad-1.0.data/scripts"])
def test_vet_rejects_unknown_data_keys(tmp_path: Path, member: str) -> None:
    wheel = make_wheel(tmp_path, "bad", files={member: b"x"})
    with pytest.raises(InvalidWheel, match="Unexpected file"):
        vet(read_wheel(str(wheel)), scheme_in(tmp_path / "scheme"))


@pytest.mark.parametrize("name", ["../evil", "sub/../../evil", "."])
def test_vet_rejects_entry_point_names_outside_scripts(tmp_path: Path, name: str) -> None:
    wheel = make_wheel(tmp_path, "eps", console_scripts={name: "eps:main"})
    with pytest.raises(InvalidWheel, match="would be installed outside the scripts directory"):
        vet(read_wheel(str(wheel)), scheme_in(tmp_path / "scheme"))


def test_destination_routes_every_key(tmp_path: Path) -> None:
    info = read_wheel(str(make_wheel(tmp_path, "route", root_is_purelib=False)))
    paths = scheme_in(tmp_path).as_dict()
    assert destination(info, paths, "route/x.py") == str(tmp_path / "plat" / "route" / "x.py")
    for key in ("purelib", "platlib", "scripts", "headers", "data"):
        got = destination(info, paths, f"route-1.0.data/{key}/sub/f")
        assert got == str(Path(paths[key]) / "sub" / "f")


def test_vet_rejects_a_file_that_is_also_a_directory(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path, "clash", files={"clash/x": b"file", "clash/x/y.py": b""})
    with pytest.raises(
        InvalidWheel, match=re.escape("'clash/x' is both a file and the directory of 'clash/x/y.py'")
    ):
        vet(read_wheel(str(wheel)), scheme_in(tmp_path / "scheme"))


@pytest.mark.parametrize("member", ["C:/windows/evil.dll", "/abs/evil.py"])
def test_read_wheel_rejects_absolute_members(tmp_path: Path, member: str) -> None:
    wheel = make_wheel(tmp_path, "abs", files={member: b"x"})
    with pytest.raises(InvalidWheel, match="trying to install outside the target directory"):
        read_wheel(str(wheel))


def test_metadata_version_must_match_the_file_name(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path, "ver", "1.0")
    renamed = wheel.with_name("ver-2.0-py3-none-any.whl")
    wheel.rename(renamed)
    with pytest.raises(InvalidWheel, match=re.escape("METADATA has version '1.0', the file name '2.0'")):
        read_wheel(str(renamed))
