"""Platforms: the Wine target runs its interpreter and the staged tools as Windows programs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conformance.backend.staging import Toolset
from conformance.catalogue.accounts import ACCOUNTS
from conformance.catalogue.installers import SPELLINGS
from conformance.catalogue.platforms import POSIX, WINE_LAUNCHER, platform_of, shared_dir, windows_venv
from conformance.catalogue.scenarios import SCENARIOS
from conformance.catalogue.targets import TARGETS, WineCPython
from conformance.run.invocation import install_invocation, scenario_env, venv_setup
from tests.windows_facts import USER_BASE, windows_facts

WINE = platform_of("windows-cpython3.13-wine")
TOOLS = Toolset(
    "/stage", {"uv": "0.13.9"}, {"uv": "/opt/conformance/tools/uv", "wheelhouse": "/opt/conformance/wh"}
)


def test_linux_targets_and_unlabelled_images_are_posix() -> None:
    assert platform_of("debian-bookworm") == POSIX
    assert platform_of(None) == POSIX
    assert POSIX.python({"VIRTUAL_ENV": "/v"}) == ("python3",)


def test_the_wine_target_runs_its_install_or_the_venv_python_through_wine() -> None:
    assert WINE.python({}) == (*WINE_LAUNCHER, "C:\\Program Files\\Python313\\python.exe")
    venv = windows_venv(ACCOUNTS["user"])
    assert venv == "C:\\users\\user\\venv"
    assert WINE.python({"VIRTUAL_ENV": venv}) == (*WINE_LAUNCHER, f"{venv}\\Scripts\\python.exe")
    assert WINE.native("/opt/conformance/probe.py") == "Z:\\opt\\conformance\\probe.py"


def test_the_venv_scenario_puts_the_venv_scripts_first_on_the_windows_path() -> None:
    env = scenario_env(SCENARIOS["venv-user"], ACCOUNTS["user"], WINE)
    assert env == {"VIRTUAL_ENV": "C:\\users\\user\\venv", "WINEPATH": "C:\\users\\user\\venv\\Scripts"}


def test_uv_runs_as_its_windows_build_with_windows_paths() -> None:
    spelling = next(s for s in SPELLINGS if s.name == "uv-prefix")
    scenario = SCENARIOS["explicit-user"]
    invocation = install_invocation(
        spelling, scenario, ACCOUNTS["user"], "demo-pkg", TOOLS, windows_facts(), WINE
    )
    assert invocation.argv[: len(WINE_LAUNCHER) + 5] == (
        *WINE_LAUNCHER,
        "Z:\\opt\\conformance\\tools\\uv.exe",
        "pip",
        "install",
        "--prefix",
        USER_BASE,
    )
    assert "Z:\\opt\\conformance\\wh" in invocation.argv


def test_the_shared_install_mirrors_its_windows_path() -> None:
    recipe = TARGETS["windows-cpython3.13-wine"].recipe
    assert isinstance(recipe, WineCPython)
    assert shared_dir(recipe) == "/opt/wine-shared/Program Files/Python313"


def test_the_custom_user_base_is_in_the_accounts_windows_profile() -> None:
    env = scenario_env(SCENARIOS["custom-userbase"], ACCOUNTS["user"], WINE)
    assert env == {"PYTHONUSERBASE": "C:\\users\\user\\custom-base"}


def test_the_system_site_venv_is_a_copy_of_the_accounts_own_with_the_flag_on() -> None:
    # A venv of the embeddable CPython sees no system site-packages, so no pip: the image's venv has one.
    made = venv_setup(SCENARIOS["venv-system-site-user"], ACCOUNTS["user"], WINE)
    assert made is not None
    venv = "C:\\users\\user\\venv-system-site"
    launcher = len(WINE_LAUNCHER)
    assert made.argv[: launcher + 2] == (*WINE_LAUNCHER, "C:\\Program Files\\Python313\\python.exe", "-c")
    assert made.argv[launcher + 3 :] == ("C:\\users\\user\\venv", venv)
    env = scenario_env(SCENARIOS["venv-system-site-user"], ACCOUNTS["user"], WINE)
    assert env == {"VIRTUAL_ENV": venv, "WINEPATH": f"{venv}\\Scripts"}


def test_the_venv_copy_turns_system_site_packages_on(tmp_path: Path) -> None:
    source = tmp_path / "venv"
    source.mkdir()
    (source / "pyvenv.cfg").write_text("home = C:\\Python\ninclude-system-site-packages = false\n")
    made = venv_setup(SCENARIOS["venv-system-site-user"], ACCOUNTS["user"], WINE)
    assert made is not None
    copy = tmp_path / "copy"
    code = made.argv[len(WINE_LAUNCHER) + 2]
    subprocess.run([sys.executable, "-c", code, str(source), str(copy)], check=True)
    assert (copy / "pyvenv.cfg").read_text().splitlines()[1] == "include-system-site-packages = true"


def test_a_windows_path_is_found_in_the_accounts_own_wine_prefix() -> None:
    user = ACCOUNTS["user"]
    assert WINE.container_path("C:\\users\\user\\AppData\\Roaming\\Python", user) == (
        f"{user.home}/.wine/drive_c/users/user/AppData/Roaming/Python"
    )
    assert WINE.container_path("Z:\\opt\\x", user) == "/opt/x"
    assert POSIX.container_path("/root/.local", ACCOUNTS["root"]) == "/root/.local"
    with pytest.raises(ValueError, match="only C: and Z:"):
        WINE.container_path("D:\\x", user)
