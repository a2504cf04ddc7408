"""Gathering the interpreter's facts: scheme templates, the writability walk-up, the PEP 668 marker."""

from __future__ import annotations

import locale
import os
import site
import sys
import sysconfig
from collections.abc import Callable
from pathlib import Path

import pytest

from conformance.reference import environment, scheme
from conformance.reference.environment import (
    DEFAULT_EXTERNALLY_MANAGED_ERROR,
    Environment,
    gather,
    is_writable_dir,
    read_marker,
)


def test_gather_reads_the_running_interpreter(tmp_path: Path) -> None:
    env = gather({"PYTHONUSERBASE": str(tmp_path / "ub")})
    assert env.version == sys.version_info[:2]
    assert env.executable == sys.executable
    assert env.in_venv == (sys.prefix != sys.base_prefix)
    assert env.enable_user_site == site.ENABLE_USER_SITE
    assert env.user_base == str(tmp_path / "ub")
    assert env.preferred_prefix_scheme == sysconfig.get_preferred_scheme("prefix")
    assert env.preferred_user_scheme == sysconfig.get_preferred_scheme("user")
    assert scheme.default_paths(env) == sysconfig.get_paths()
    expected = sysconfig.get_paths("posix_user", vars={"userbase": str(tmp_path / "ub")})
    assert scheme.user_scheme(env, "p").purelib == expected["purelib"]
    assert env.marker_path == os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")
    assert env.launcher_kind == "posix"


def test_gather_reads_pyvenv_cfg_in_a_venv(host_env: Environment) -> None:
    if not host_env.in_venv:
        pytest.skip("the test interpreter is not in a venv")
    assert host_env.pyvenv_cfg is not None
    assert "include-system-site-packages" in host_env.pyvenv_cfg


def test_search_path_drops_the_entry_point(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    archive = tmp_path / "reference.pyz"
    archive.write_bytes(b"")
    monkeypatch.setattr(sys, "path", [str(archive), "/usr/lib/python3.11"])
    assert environment._search_path() == ("/usr/lib/python3.11",)
    monkeypatch.setattr(sys, "path", ["", "/a"])
    assert environment._search_path() == ("/a",)
    monkeypatch.setattr(sys, "path", [str(tmp_path), "/a"])
    assert environment._search_path() == (str(tmp_path), "/a")


def test_writability_tests_the_nearest_existing_ancestor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tested: list[str] = []

    def access(path: str, mode: int) -> bool:
        tested.append(path)
        return False

    monkeypatch.setattr(os, "access", access)
    (tmp_path / "usr" / "local").mkdir(parents=True)
    assert (
        is_writable_dir(str(tmp_path / "usr" / "local" / "lib" / "python3.11" / "dist-packages"), "posix")
        is False
    )
    assert tested == [str(tmp_path / "usr" / "local")]


def test_writability_of_an_existing_directory(tmp_path: Path) -> None:
    assert is_writable_dir(str(tmp_path), "posix") is True


def test_windows_writability_probe_leaves_nothing(tmp_path: Path) -> None:
    assert is_writable_dir(str(tmp_path / "missing" / "deeper"), "nt") is True
    assert list(tmp_path.iterdir()) == []


def test_windows_writability_probe_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def deny(path: str, flags: int, mode: int = 0o777) -> int:
        raise PermissionError(path)

    monkeypatch.setattr(os, "open", deny)
    assert is_writable_dir(str(tmp_path), "nt") is False


def test_marker_absent(tmp_path: Path) -> None:
    assert read_marker(str(tmp_path / "EXTERNALLY-MANAGED"), "/usr") is None


def test_marker_error_text(tmp_path: Path) -> None:
    marker = tmp_path / "EXTERNALLY-MANAGED"
    marker.write_text("[externally-managed]\nError=To install Python packages system-wide, try apt install\n")
    assert read_marker(str(marker), "/usr") == "To install Python packages system-wide, try apt install"


def test_marker_localized_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "EXTERNALLY-MANAGED"
    marker.write_text("[externally-managed]\nError=english\nError-de=deutsch\n", encoding="utf-8")
    monkeypatch.setattr(locale, "getlocale", lambda category=None: ("de_DE", "UTF-8"))
    assert read_marker(str(marker), "/usr") == "deutsch"


def test_marker_without_translations_needs_no_locale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "EXTERNALLY-MANAGED"
    marker.write_text("[externally-managed]\nError=english\n", encoding="utf-8")

    def no_locale(category: int | None = None) -> tuple[str, str]:
        raise AssertionError("the locale was looked up")

    monkeypatch.setattr(locale, "getlocale", no_locale)
    assert read_marker(str(marker), "/usr") == "english"


@pytest.mark.parametrize(
    "content", ["", "[other]\nError=x\n", "not an ini file [[[\n", "[externally-managed]\n"]
)
def test_marker_without_usable_error_gets_pips_default(tmp_path: Path, content: str) -> None:
    marker = tmp_path / "EXTERNALLY-MANAGED"
    marker.write_text(content)
    assert read_marker(str(marker), "/usr") == DEFAULT_EXTERNALLY_MANAGED_ERROR.format(prefix="/usr")


def test_probes_use_the_default_scheme(make_env: Callable[..., Environment]) -> None:
    env = make_env()
    stdlib = scheme.default_paths(env)["stdlib"]
    Path(stdlib).mkdir(parents=True)
    Path(stdlib, "EXTERNALLY-MANAGED").write_text("[externally-managed]\nError=managed here\n")
    probed = environment.with_probes(env)
    assert probed.marker_path == os.path.join(stdlib, "EXTERNALLY-MANAGED")
    assert probed.marker_error == "managed here"
    assert probed.default_lib_writable is True
