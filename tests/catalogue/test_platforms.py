"""Platforms: the Wine target runs its interpreter and the staged tools as Windows programs."""

from __future__ import annotations

from conformance.backend.staging import Toolset
from conformance.catalogue.accounts import ACCOUNTS
from conformance.catalogue.installers import SPELLINGS
from conformance.catalogue.platforms import POSIX, WINE_LOADER, platform_of, shared_dir, windows_venv
from conformance.catalogue.scenarios import SCENARIOS
from conformance.catalogue.targets import TARGETS, WineCPython
from conformance.run.invocation import install_invocation, scenario_env
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
    assert WINE.python({}) == (WINE_LOADER, "C:\\Program Files\\Python313\\python.exe")
    venv = windows_venv(ACCOUNTS["user"])
    assert venv == "C:\\users\\user\\venv"
    assert WINE.python({"VIRTUAL_ENV": venv}) == (WINE_LOADER, f"{venv}\\Scripts\\python.exe")
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
    assert invocation.argv[:6] == (
        WINE_LOADER,
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
