"""The probe names container paths as a wine prefix's Windows programs see them, through its drive mapping."""

from __future__ import annotations

from pathlib import Path

from conformance.run.probe import _drive_map, _windows_path


def _prefix(tmp_path: Path) -> tuple[Path, Path]:
    prefix, shared = tmp_path / "home" / ".wine", tmp_path / "shared" / "Python313"
    (prefix / "dosdevices").mkdir(parents=True)
    (prefix / "drive_c" / "Program Files").mkdir(parents=True)
    shared.mkdir(parents=True)
    (prefix / "dosdevices" / "c:").symlink_to("../drive_c")
    (prefix / "dosdevices" / "z:").symlink_to("/")
    (prefix / "drive_c" / "Program Files" / "Python313").symlink_to(shared)
    return prefix, shared


def test_drives_and_shared_installs_map_to_windows_paths(tmp_path: Path) -> None:
    prefix, shared = _prefix(tmp_path)
    drives = _drive_map(str(prefix))
    c = prefix / "drive_c" / "users" / "user" / "AppData" / "x.txt"
    assert _windows_path(str(c), drives) == "C:\\users\\user\\AppData\\x.txt"
    site = shared / "Lib" / "site-packages" / "m.py"
    assert _windows_path(str(site), drives) == "C:\\Program Files\\Python313\\Lib\\site-packages\\m.py"
    assert _windows_path("/tmp/x", drives) == "Z:\\tmp\\x"


def test_the_walk_leaves_out_what_it_is_told_to(tmp_path: Path) -> None:
    from conformance.run.probe import walk

    for name in ("system.reg", "reg1a2b.tmp", "kept"):
        (tmp_path / name).write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "user.reg").write_text("x")
    found = walk([str(tmp_path)], (f"{tmp_path}/*.reg", f"{tmp_path}/reg*.tmp"))
    assert set(found) == {str(tmp_path / p) for p in ("kept", "sub", "sub/user.reg")}
