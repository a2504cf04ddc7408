"""Spellings render into exact commands; the override is a flag or each installer's variable, as the scenario
says; scenarios add their variables, user base and venv."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from conformance.backend.container import DEFAULT_PATH
from conformance.backend.staging import Toolset
from conformance.catalogue.accounts import ACCOUNTS
from conformance.catalogue.installers import SPELLINGS
from conformance.catalogue.platforms import POSIX, platform_of
from conformance.catalogue.scenarios import SCENARIOS, Intent
from conformance.run.facts import InterpreterFacts
from conformance.run.invocation import (
    after_invocation,
    earlier_install_setup,
    install_earlier,
    install_invocation,
    install_system_copy,
    make_venv,
    project_dir,
    project_setup,
    scenario_env,
    system_copy_setup,
    venv_setup,
    version_of,
)
from tests.conftest import run_probe
from tests.fakes import LocalBackend, local_account

#: As staging names them (tests/backend/test_staging.py checks that it does).
TOOLS = Toolset(
    "/stage",
    {"pip-latest": "26.3", "uv": "0.13.9", "reference": "0.1.0"},
    {
        "pip_latest": "/opt/conformance/tools/pip-26.3-py3-none-any.whl/pip",
        "uv": "/opt/conformance/tools/uv",
        "reference": "/opt/conformance/tools/reference.pyz",
        "broken": "/opt/conformance/tools/broken",
        "wheelhouse": "/opt/conformance/wheelhouse",
        "system_copies": "/opt/conformance/system-copies",
    },
)
USER_BASE = "/home/user/.local"
USER_SITE = "/home/user/.local/lib/python3.11/site-packages"
_SOURCE = "--no-index --find-links /opt/conformance/wheelhouse demo-pkg"
_PIP = "python3 -m pip"
_PIP_LATEST = "python3 /opt/conformance/tools/pip-26.3-py3-none-any.whl/pip"
_REFERENCE = "python3 /opt/conformance/tools/reference.pyz"
_UV = "/opt/conformance/tools/uv pip"
#: Every spelling's install and uninstall command, byte for byte as the suite has always typed them.
RENDERED: dict[tuple[str, Intent], tuple[str, str | None]] = {
    ("pip", Intent.IMPLICIT): (f"{_PIP} install {_SOURCE}", None),
    ("pip", Intent.USER): (f"{_PIP} install --user {_SOURCE}", f"{_PIP} uninstall -y demo-pkg"),
    ("pip-latest", Intent.IMPLICIT): (f"{_PIP_LATEST} install {_SOURCE}", None),
    ("pip-latest", Intent.USER): (
        f"{_PIP_LATEST} install --user {_SOURCE}",
        f"{_PIP_LATEST} uninstall -y demo-pkg",
    ),
    ("uv-system", Intent.IMPLICIT): (f"{_UV} install --system {_SOURCE}", None),
    ("uv-system", Intent.USER): (f"{_UV} install --system {_SOURCE}", None),  # lists, never installs
    ("uv-user", Intent.USER): (f"{_UV} install --user {_SOURCE}", None),
    ("uv-prefix", Intent.USER): (
        f"{_UV} install --prefix {USER_BASE} {_SOURCE}",
        f"{_UV} uninstall --system --prefix {USER_BASE} demo-pkg",
    ),
    ("uv-target", Intent.USER): (
        f"{_UV} install --target {USER_SITE} {_SOURCE}",
        f"{_UV} uninstall --system --target {USER_SITE} demo-pkg",
    ),
    ("reference", Intent.IMPLICIT): (f"{_REFERENCE} install {_SOURCE}", None),
    ("reference", Intent.USER): (
        f"{_REFERENCE} install --user {_SOURCE}",
        f"{_REFERENCE} uninstall -y demo-pkg",
    ),
    ("pip", Intent.NOT_USER): (f"{_PIP} install --no-user {_SOURCE}", None),
    ("pip-latest", Intent.NOT_USER): (f"{_PIP_LATEST} install --no-user {_SOURCE}", None),
    ("reference", Intent.NOT_USER): (f"{_REFERENCE} install --no-user {_SOURCE}", None),
    ("pip-prefix", Intent.USER): (f"{_PIP} install --prefix {USER_BASE} {_SOURCE}", None),
    ("pip-target", Intent.USER): (f"{_PIP} install --target {USER_SITE} {_SOURCE}", None),
    ("pip-latest-prefix", Intent.USER): (f"{_PIP_LATEST} install --prefix {USER_BASE} {_SOURCE}", None),
    ("pip-latest-target", Intent.USER): (f"{_PIP_LATEST} install --target {USER_SITE} {_SOURCE}", None),
    ("uv-system-env", Intent.IMPLICIT): (f"{_UV} install {_SOURCE}", None),  # UV_SYSTEM_PYTHON=1: below
    ("uv-plain", Intent.IMPLICIT): (f"{_UV} install {_SOURCE}", None),  # in the active venv
    ("uv-python-user-base", Intent.USER): (f"{_UV} install --python {USER_BASE} {_SOURCE}", None),
    # UV_PROJECT_ENVIRONMENT at the user base, and the requirement in the project: below.
    ("uv-sync", Intent.USER): (
        "/opt/conformance/tools/uv sync --project /home/user/cell-project --no-index --find-links "
        "/opt/conformance/wheelhouse",
        None,
    ),
}
#: The scenario each intent's spellings are rendered in (all of them without an override flag).
_RENDERED_IN = {
    Intent.IMPLICIT: "implicit",
    Intent.USER: "explicit-user",
    Intent.NOT_USER: "no-user-override",
}


def _spelling(name: str, intent: Intent = Intent.USER):  # type: ignore[no-untyped-def]
    return next(s for s in SPELLINGS if s.name == name and s.intent == intent)


def test_uv_prefix_uses_the_interpreters_user_base(host_facts: InterpreterFacts) -> None:
    invocation = install_invocation(
        _spelling("uv-prefix"), SCENARIOS["explicit-user"], ACCOUNTS["user"], "demo-pkg", TOOLS, host_facts
    )
    assert invocation.argv[:5] == (
        "/opt/conformance/tools/uv",
        "pip",
        "install",
        "--prefix",
        host_facts.user_base,
    )
    assert invocation.argv[-1] == "demo-pkg"
    assert invocation.env["UV_NO_CONFIG"] == "1"


def test_bsp_scenarios_pass_the_flag(host_facts: InterpreterFacts) -> None:
    invocation = install_invocation(
        _spelling("pip"), SCENARIOS["explicit-user-bsp"], ACCOUNTS["user"], "demo-pkg", TOOLS, host_facts
    )
    assert "--break-system-packages" in invocation.argv
    assert "PIP_BREAK_SYSTEM_PACKAGES" not in invocation.env


def test_uninstall_setup_uses_the_environment_override(host_facts: InterpreterFacts) -> None:
    scenario = SCENARIOS["uninstall"]
    setup = install_invocation(_spelling("pip"), scenario, ACCOUNTS["user"], "demo-pkg", TOOLS, host_facts)
    action = after_invocation(_spelling("pip"), scenario, ACCOUNTS["user"], "demo-pkg", TOOLS, host_facts)
    assert "--break-system-packages" not in setup.argv
    assert setup.env["PIP_BREAK_SYSTEM_PACKAGES"] == action.env["PIP_BREAK_SYSTEM_PACKAGES"] == "1"
    assert action.argv == ("python3", "-m", "pip", "uninstall", "-y", "demo-pkg")


def test_venv_scenarios_activate_the_venv(host_facts: InterpreterFacts) -> None:
    invocation = install_invocation(
        _spelling("pip"), SCENARIOS["venv-user"], ACCOUNTS["user"], "demo-pkg", TOOLS, host_facts
    )
    assert invocation.env["VIRTUAL_ENV"] == "/home/user/venv"
    assert invocation.env["PATH"].startswith("/home/user/venv/bin:")


def test_pip_latest_runs_from_its_wheel(host_facts: InterpreterFacts) -> None:
    invocation = install_invocation(
        _spelling("pip-latest", Intent.IMPLICIT),
        SCENARIOS["implicit"],
        ACCOUNTS["root"],
        "demo-pkg",
        TOOLS,
        host_facts,
    )
    assert invocation.argv[1] == "/opt/conformance/tools/pip-26.3-py3-none-any.whl/pip"
    assert "--user" not in invocation.argv


def _joined(argv: tuple[str, ...]) -> str:
    assert all(" " not in part for part in argv), argv  # so that the joined line is exact
    return " ".join(argv)


def test_every_spelling_renders_as_it_always_has(
    host_facts: InterpreterFacts, facts_with: Callable[..., InterpreterFacts]
) -> None:
    facts = facts_with(host_facts, user_base=USER_BASE, user_site=USER_SITE)
    user, removal = ACCOUNTS["user"], SCENARIOS["uninstall"]
    rendered: dict[tuple[str, Intent], tuple[str, str | None]] = {}
    for spelling in SPELLINGS:
        scenario = SCENARIOS[_RENDERED_IN[spelling.intent]]
        install = _joined(install_invocation(spelling, scenario, user, "demo-pkg", TOOLS, facts).argv)
        uninstall = None
        if spelling.uninstall is not None:
            uninstall = _joined(after_invocation(spelling, removal, user, "demo-pkg", TOOLS, facts).argv)
        rendered[spelling.name, spelling.intent] = (install, uninstall)
    assert rendered == RENDERED


def test_each_installer_version_comes_from_its_source(host_facts: InterpreterFacts) -> None:
    staged = {name: version_of(name, TOOLS, host_facts) for name in ("pip-latest", "uv", "reference")}
    assert staged == {"pip-latest": "26.3", "uv": "0.13.9", "reference": "0.1.0"}
    assert version_of("pip", TOOLS, host_facts) == host_facts.pip_version  # the target's own
    assert version_of("broken", TOOLS, host_facts) is None  # the oracle's: nothing to record


def test_scenarios_with_the_override_in_the_environment_set_each_installers_variable(
    host_facts: InterpreterFacts,
) -> None:
    scenario, user = SCENARIOS["pip-user-env"], ACCOUNTS["user"]
    pip = install_invocation(_spelling("pip", Intent.IMPLICIT), scenario, user, "demo-pkg", TOOLS, host_facts)
    uv = install_invocation(
        _spelling("uv-system", Intent.IMPLICIT), scenario, user, "demo-pkg", TOOLS, host_facts
    )
    assert "--break-system-packages" not in pip.argv + uv.argv
    assert (pip.env["PIP_USER"], pip.env["PIP_BREAK_SYSTEM_PACKAGES"]) == ("1", "1")
    # uv reads neither PIP_ variable; the scenario's own variables reach it all the same.
    assert (uv.env["PIP_USER"], uv.env["UV_BREAK_SYSTEM_PACKAGES"]) == ("1", "1")


def test_no_user_override_types_no_user_over_pip_user(host_facts: InterpreterFacts) -> None:
    invocation = install_invocation(
        _spelling("pip", Intent.NOT_USER),
        SCENARIOS["no-user-override"],
        ACCOUNTS["root"],
        "demo-pkg",
        TOOLS,
        host_facts,
    )
    assert invocation.argv[3:5] == ("install", "--no-user")
    assert invocation.env["PIP_USER"] == "1"


def test_the_custom_user_base_is_in_each_accounts_home() -> None:
    scenario = SCENARIOS["custom-userbase"]
    assert scenario_env(scenario, ACCOUNTS["user"]) == {"PYTHONUSERBASE": "/home/user/custom-base"}
    assert scenario_env(scenario, ACCOUNTS["root"]) == {"PYTHONUSERBASE": "/root/custom-base"}


def test_user_spellings_follow_the_custom_user_base_the_probe_reports(
    tmp_path: Path, facts_with: Callable[..., InterpreterFacts]
) -> None:
    # The facts are probed with the scenario's environment: the user base and site come from there.
    base = str(tmp_path / "custom-base")
    raw = run_probe(tmp_path, "facts", extra_env={"PYTHONUSERBASE": base})
    assert isinstance(raw, dict)
    facts = InterpreterFacts.from_probe(raw)
    assert facts.user_base == base and facts.user_site.startswith(base + "/")
    scenario, user = SCENARIOS["custom-userbase"], ACCOUNTS["user"]
    prefix = install_invocation(_spelling("uv-prefix"), scenario, user, "demo-pkg", TOOLS, facts)
    target = install_invocation(_spelling("uv-target"), scenario, user, "demo-pkg", TOOLS, facts)
    assert prefix.argv[3:5] == ("--prefix", base)
    assert target.argv[3:5] == ("--target", facts.user_site)


def test_pythonnousersite_is_set_for_the_installer_and_the_probe() -> None:
    assert scenario_env(SCENARIOS["no-user-site"], ACCOUNTS["user"]) == {"PYTHONNOUSERSITE": "1"}


def test_the_system_site_venv_is_made_at_set_up_beside_the_accounts_own(host_facts: InterpreterFacts) -> None:
    scenario, user = SCENARIOS["venv-system-site-user"], ACCOUNTS["user"]
    venv = "/home/user/venv-system-site"
    assert scenario_env(scenario, user) == {"VIRTUAL_ENV": venv, "PATH": f"{venv}/bin:{DEFAULT_PATH}"}
    made = venv_setup(scenario, user)
    assert made is not None
    assert made.argv == ("python3", "-m", "venv", "--system-site-packages", "--without-pip", venv)
    pip = install_invocation(_spelling("pip"), scenario, user, "demo-pkg", TOOLS, host_facts)
    assert pip.env["VIRTUAL_ENV"] == venv
    assert "--break-system-packages" not in pip.argv and "PIP_BREAK_SYSTEM_PACKAGES" not in pip.env


def test_the_uv_venv_is_made_by_the_staged_uv_for_the_targets_interpreter(
    host_facts: InterpreterFacts,
) -> None:
    scenario, user = SCENARIOS["uv-venv"], ACCOUNTS["user"]
    venv = "/home/user/uv-venv"
    assert scenario_env(scenario, user)["VIRTUAL_ENV"] == venv
    made = venv_setup(scenario, user, toolset=TOOLS)
    assert made is not None
    uv = TOOLS.placeholders["uv"]
    assert made.argv == (uv, "venv", "--allow-existing", "--python", "python3", venv)
    assert made.env["UV_PYTHON_DOWNLOADS"] == "never" and made.env["UV_NO_CONFIG"] == "1"
    with pytest.raises(ValueError, match="no staged uv"):
        venv_setup(scenario, user)
    plain = install_invocation(
        _spelling("uv-plain", Intent.IMPLICIT), scenario, user, "demo-pkg", TOOLS, host_facts
    )
    assert plain.argv[:3] == (uv, "pip", "install") and plain.env["VIRTUAL_ENV"] == venv
    assert "--system" not in plain.argv


def test_scenarios_without_a_venv_of_their_own_make_none() -> None:
    for name in ("venv-user", "explicit-user", "pip-user-env"):
        assert venv_setup(SCENARIOS[name], ACCOUNTS["user"]) is None, name


def test_a_system_copy_is_installed_by_pip_latest_from_its_own_directory() -> None:
    setup = system_copy_setup(SCENARIOS["system-copy-newer"], TOOLS)
    assert setup is not None
    assert " ".join(setup.argv) == (
        f"{_PIP_LATEST} install --no-user --no-index --find-links /opt/conformance/system-copies "
        "demo-pkg==1.1"
    )
    assert setup.env["PIP_BREAK_SYSTEM_PACKAGES"] == "1" and setup.env["PIP_CONFIG_FILE"] == "/dev/null"
    assert system_copy_setup(SCENARIOS["explicit-user"], TOOLS) is None


def test_an_upgrade_scenario_asks_every_installer_for_the_newest(host_facts: InterpreterFacts) -> None:
    scenario = SCENARIOS["system-copy-upgrade"]
    for spelling in (s for s in SPELLINGS if s.applies_to(scenario)):
        argv = install_invocation(spelling, scenario, ACCOUNTS["user"], "demo-pkg", TOOLS, host_facts).argv
        assert "--upgrade" in argv, spelling.name
        assert " ".join(argv).endswith(_SOURCE), spelling.name


def test_a_spellings_variables_are_in_its_environment(host_facts: InterpreterFacts) -> None:
    spelling = _spelling("uv-system-env", Intent.IMPLICIT)
    invocation = install_invocation(
        spelling, SCENARIOS["implicit"], ACCOUNTS["user"], "demo-pkg", TOOLS, host_facts
    )
    assert invocation.env["UV_SYSTEM_PYTHON"] == "1" and invocation.env["UV_NO_CONFIG"] == "1"


def test_pip_reads_no_configuration_file_on_any_platform(host_facts: InterpreterFacts) -> None:
    # pip skips its configuration files only for PIP_CONFIG_FILE == os.devnull, which is "nul" on Windows.
    wine = platform_of("windows-cpython3.13-wine")
    for platform, devnull in ((POSIX, "/dev/null"), (wine, "nul")):
        invocation = install_invocation(
            _spelling("pip-latest"),
            SCENARIOS["explicit-user"],
            ACCOUNTS["user"],
            "demo-pkg",
            TOOLS,
            host_facts,
            platform,
        )
        assert invocation.env["PIP_CONFIG_FILE"] == devnull
        setup = system_copy_setup(SCENARIOS["system-copy-older"], TOOLS, platform)
        assert setup is not None and setup.env["PIP_CONFIG_FILE"] == devnull


def test_a_list_runs_the_spellings_list_command_after_the_installing_spellings_install(
    host_facts: InterpreterFacts,
) -> None:
    scenario = SCENARIOS["list-uv-installed"]
    user = ACCOUNTS["user"]
    setup = install_invocation(_spelling("uv-prefix"), scenario, user, "demo-pkg", TOOLS, host_facts)
    action = after_invocation(_spelling("pip"), scenario, user, "demo-pkg", TOOLS, host_facts)
    assert setup.argv[1:4] == ("pip", "install", "--prefix")
    assert action.argv == ("python3", "-m", "pip", "list")
    uv = after_invocation(_spelling("uv-system"), scenario, user, "demo-pkg", TOOLS, host_facts)
    assert uv.argv[1:] == ("pip", "list", "--system")


@pytest.mark.parametrize(
    ("scenario", "spelling", "argv"),
    [
        ("show-pip-installed", "pip", ("python3", "-m", "pip", "show", "demo-pkg")),
        ("show-pip-installed", "uv-system", ("pip", "show", "--system", "demo-pkg")),
        ("freeze-pip-installed", "pip-latest", ("python3", "{pip_latest}", "freeze")),
        ("freeze-pip-installed", "uv-target", ("pip", "freeze", "--system", "--target", "{user_site}")),
    ],
)
def test_a_show_names_the_package_and_a_freeze_does_not(
    host_facts: InterpreterFacts, scenario: str, spelling: str, argv: tuple[str, ...]
) -> None:
    action = after_invocation(
        _spelling(spelling), SCENARIOS[scenario], ACCOUNTS["user"], "demo-pkg", TOOLS, host_facts
    )
    rendered = argv
    if argv[0] != "python3":  # uv's own path comes first
        rendered = (action.argv[0], *argv)
    values = {"{pip_latest}": action.argv[1], "{user_site}": host_facts.user_site}
    assert action.argv == tuple(values.get(a, a) for a in rendered)


def test_a_syncing_spelling_has_its_requirement_in_a_project_and_its_variables_filled(
    host_facts: InterpreterFacts, facts_with: Callable[..., InterpreterFacts]
) -> None:
    facts = facts_with(host_facts, user_base=USER_BASE, version="3.12.4")
    spelling, user = _spelling("uv-sync"), ACCOUNTS["user"]
    invocation = install_invocation(spelling, SCENARIOS["explicit-user"], user, "demo-pkg", TOOLS, facts)
    assert "demo-pkg" not in invocation.argv
    assert invocation.env["UV_PROJECT_ENVIRONMENT"] == USER_BASE
    setup = project_setup(spelling, user, "demo-pkg>=1", facts)
    assert setup is not None and setup.argv[-2] == project_dir(user) == "/home/user/cell-project"
    project = tomllib.loads(setup.argv[-1])["project"]
    assert project["dependencies"] == ["demo-pkg>=1"] and project["requires-python"] == ">=3.12"
    assert "build-system" not in tomllib.loads(setup.argv[-1])  # a virtual project: its dependencies only
    assert project_setup(_spelling("uv-prefix"), user, "demo-pkg", facts) is None


def test_a_project_is_written_where_the_windows_account_has_its_profile(host_facts: InterpreterFacts) -> None:
    wine = platform_of("windows-cpython3.13-wine")
    setup = project_setup(_spelling("uv-sync"), ACCOUNTS["user"], "demo-pkg", host_facts, wine)
    assert setup is not None and setup.argv[-2].endswith("\\cell-project")
    assert setup.argv[-2] == project_dir(ACCOUNTS["user"], wine)


def test_the_earlier_user_install_is_pip_latests_as_the_account(host_facts: InterpreterFacts) -> None:
    setup = earlier_install_setup(SCENARIOS["user-base-in-use"], ACCOUNTS["user"], TOOLS)
    assert setup is not None
    assert setup.argv[1:] == (
        "/opt/conformance/tools/pip-26.3-py3-none-any.whl/pip",
        "install",
        "--user",
        "--no-index",
        "--find-links",
        "/opt/conformance/wheelhouse",
        "demo-base",
    )
    assert setup.env["PIP_BREAK_SYSTEM_PACKAGES"] == "1"  # the marker is not this scenario's question
    assert earlier_install_setup(SCENARIOS["explicit-user"], ACCOUNTS["user"], TOOLS) is None


def test_a_scenario_without_set_up_never_asks_for_root(tmp_path: Path) -> None:
    # A host run as a normal user has no root account (seen in CI: a KeyError on Windows hosts).
    user = local_account(tmp_path)
    backend = LocalBackend(tmp_path, str(tmp_path / "scratch"), accounts={"user": user})
    scenario = SCENARIOS["explicit-user"]
    toolset = Toolset(str(tmp_path), {}, {})
    assert install_system_copy(backend, scenario, toolset) == []
    assert install_earlier(backend, scenario, user, toolset) == []
    assert make_venv(backend, scenario, user, toolset) == []
