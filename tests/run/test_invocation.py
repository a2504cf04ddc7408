"""Spellings render into exact commands; the override is a flag in install scenarios, an env var in set-up."""

from __future__ import annotations

from conformance.backend.staging import Toolset
from conformance.catalogue.accounts import ACCOUNTS
from conformance.catalogue.installers import SPELLINGS
from conformance.catalogue.scenarios import SCENARIOS, Intent
from conformance.run.facts import InterpreterFacts
from conformance.run.invocation import install_invocation, uninstall_invocation

TOOLS = Toolset("/stage", "0.13.9", "26.3", "0.1.0")


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
    action = uninstall_invocation(_spelling("pip"), scenario, ACCOUNTS["user"], "demo-pkg", TOOLS, host_facts)
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
