"""pip's install-location decision (rows 0-10 of the research notes' table) and PEP 668 ordering."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.reference.decision import (
    FALLBACK_NOTICE,
    Decision,
    InstallRequest,
    check_uninstall_allowed,
    decide_install,
    virtualenv_no_global,
)
from conformance.reference.environment import Environment
from conformance.reference.errors import (
    CommandError,
    ExternallyManaged,
    ReferenceFailure,
    UserSiteDisabled,
    UserSiteInvisible,
)

MakeEnv = Callable[..., Environment]
NO_GLOBAL = "home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.2\n"
WITH_GLOBAL = "home = /usr/bin\ninclude-system-site-packages = true\n"


def venv(make_env: MakeEnv, cfg: str | None, **changes: object) -> Environment:
    env = make_env(**changes)
    return make_env(prefix=env.prefix + "/venv", pyvenv_cfg=cfg, **changes)


# Row 0: --user (from any source) with --target.
def test_row0_user_and_target(make_env: MakeEnv) -> None:
    with pytest.raises(CommandError, match="Can not combine '--user' and '--target'"):
        decide_install(InstallRequest(True, target="/t"), make_env())


def test_row0_comes_before_pep668(make_env: MakeEnv) -> None:
    with pytest.raises(CommandError, match="--target"):
        decide_install(InstallRequest(True, target="/t"), make_env(marker_error="managed"))


# Row 1: PEP 668 refuses user installs too, before any --user check.
@pytest.mark.parametrize("use_user_site", [None, True, False])
def test_row1_marker_refuses_every_install(make_env: MakeEnv, use_user_site: bool | None) -> None:
    with pytest.raises(ExternallyManaged) as caught:
        decide_install(InstallRequest(use_user_site), make_env(marker_error="Use apt."))
    text = str(caught.value)
    assert "externally-managed-environment" in text
    assert "Use apt." in text
    assert "--break-system-packages" in text


def test_row1_comes_before_user_site_disabled(make_env: MakeEnv) -> None:
    with pytest.raises(ExternallyManaged):
        decide_install(InstallRequest(True), make_env(marker_error="x", enable_user_site=False))


def test_row1_override_allows(make_env: MakeEnv) -> None:
    decision = decide_install(InstallRequest(True, break_system_packages=True), make_env(marker_error="x"))
    assert decision == Decision(user=True)


@pytest.mark.parametrize(
    "request_", [InstallRequest(None, prefix="/somewhere"), InstallRequest(None, target="/somewhere")]
)
def test_row1_skipped_for_prefix_and_target(make_env: MakeEnv, request_: InstallRequest) -> None:
    assert decide_install(request_, make_env(marker_error="x")) == Decision(user=False)


def test_row1_skipped_in_a_venv(make_env: MakeEnv) -> None:
    env = venv(make_env, WITH_GLOBAL, marker_error="x")
    assert decide_install(InstallRequest(True), env) == Decision(user=True)


# Row 2: explicit non-user.
def test_row2_no_user(make_env: MakeEnv) -> None:
    env = make_env(default_lib_writable=False)
    assert decide_install(InstallRequest(False), env) == Decision(user=False)


# Row 3: --user with --prefix.
def test_row3_user_and_prefix(make_env: MakeEnv) -> None:
    with pytest.raises(CommandError, match="Can not combine '--user' and '--prefix' as they imply different"):
        decide_install(InstallRequest(True, prefix="/p"), make_env())


# Row 4: --user in a venv that does not see the global site.
def test_row4_venv_without_system_site(make_env: MakeEnv) -> None:
    with pytest.raises(
        UserSiteInvisible, match=re.escape("User site-packages are not visible in this virtualenv.")
    ):
        decide_install(InstallRequest(True), venv(make_env, NO_GLOBAL))


def test_row4_unreadable_pyvenv_cfg_counts_as_no_global(make_env: MakeEnv) -> None:
    assert virtualenv_no_global(venv(make_env, None)) is True


def test_row4_capital_false_is_not_matched(make_env: MakeEnv) -> None:
    # pip's regex is case-sensitive; site.py lower-cases, so such a venv has the user site disabled.
    env = venv(make_env, "include-system-site-packages = False\n", enable_user_site=False)
    assert virtualenv_no_global(env) is False
    with pytest.raises(UserSiteDisabled):
        decide_install(InstallRequest(True), env)


# Row 5: the user site is disabled (False: -s, PYTHONNOUSERSITE; None: uid/gid mismatch).
@pytest.mark.parametrize("enable_user_site", [False, None])
def test_row5_user_site_disabled(make_env: MakeEnv, enable_user_site: bool | None) -> None:
    with pytest.raises(UserSiteDisabled, match=re.escape("User site-packages are disabled for this Python.")):
        decide_install(InstallRequest(True), make_env(enable_user_site=enable_user_site))


# Row 6: explicit user.
def test_row6_user(make_env: MakeEnv) -> None:
    assert decide_install(InstallRequest(True), make_env()) == Decision(user=True)


def test_row6_user_in_a_venv_with_system_site(make_env: MakeEnv) -> None:
    assert decide_install(InstallRequest(True), venv(make_env, WITH_GLOBAL)) == Decision(user=True)


# Row 7: implicit with --prefix or --target.
@pytest.mark.parametrize("request_", [InstallRequest(None, prefix="/x"), InstallRequest(None, target="/x")])
def test_row7_prefix_or_target(make_env: MakeEnv, request_: InstallRequest) -> None:
    env = make_env(default_lib_writable=False)
    assert decide_install(request_, env) == Decision(user=False)


# Row 8: implicit with the user site disabled never falls back.
@pytest.mark.parametrize("enable_user_site", [False, None])
def test_row8_no_fallback_when_disabled(make_env: MakeEnv, enable_user_site: bool | None) -> None:
    env = make_env(enable_user_site=enable_user_site, default_lib_writable=False)
    assert decide_install(InstallRequest(None), env) == Decision(user=False)


def test_row8_venv_implicit(make_env: MakeEnv) -> None:
    env = venv(make_env, NO_GLOBAL, enable_user_site=False)
    assert decide_install(InstallRequest(None), env) == Decision(user=False)


# Rows 9 and 10: the writability fallback.
def test_row9_writable(make_env: MakeEnv) -> None:
    assert decide_install(InstallRequest(None), make_env(default_lib_writable=True)) == Decision(user=False)


def test_row10_fallback_prints_pips_line(make_env: MakeEnv) -> None:
    decision = decide_install(InstallRequest(None), make_env(default_lib_writable=False))
    assert decision == Decision(user=True, notice=FALLBACK_NOTICE)
    assert FALLBACK_NOTICE == "Defaulting to user installation because normal site-packages is not writeable"


def test_uninstall_pep668(make_env: MakeEnv) -> None:
    with pytest.raises(ExternallyManaged):
        check_uninstall_allowed(False, make_env(marker_error="x"))
    check_uninstall_allowed(True, make_env(marker_error="x"))
    check_uninstall_allowed(False, venv(make_env, NO_GLOBAL, marker_error="x"))


@dataclass(frozen=True)
class Case:
    use_user_site: bool | None
    prefix: bool
    target: bool
    override: bool
    in_venv: bool
    cfg: str | None
    enable: bool | None
    writable: bool
    marker: bool


def oracle(c: Case) -> str:
    """The research notes' table, first matching row wins, written independently of decision.py."""
    no_global = c.in_venv and (c.cfg is None or "include-system-site-packages = false" in c.cfg)
    rows = [
        (bool(c.use_user_site) and c.target, "CommandError"),
        (
            not c.in_venv and c.marker and not c.override and not c.prefix and not c.target,
            "ExternallyManaged",
        ),
        (c.use_user_site is False, "non-user"),
        (bool(c.use_user_site) and c.prefix, "CommandError"),
        (bool(c.use_user_site) and no_global, "UserSiteInvisible"),
        (bool(c.use_user_site) and not c.enable, "UserSiteDisabled"),
        (bool(c.use_user_site), "user"),
        (c.prefix or c.target, "non-user"),
        (not c.enable, "non-user"),
        (c.writable, "non-user"),
        (True, "user+notice"),
    ]
    return next(outcome for matched, outcome in rows if matched)


cases = st.builds(
    Case,
    use_user_site=st.sampled_from([None, True, False]),
    prefix=st.booleans(),
    target=st.booleans(),
    override=st.booleans(),
    in_venv=st.booleans(),
    cfg=st.sampled_from([None, NO_GLOBAL, WITH_GLOBAL, "include-system-site-packages = False\n"]),
    enable=st.sampled_from([True, False, None]),
    writable=st.booleans(),
    marker=st.booleans(),
)


@pytest.mark.property
@settings(max_examples=300, deadline=None)
@given(case=cases)
def test_decision_matches_the_table(host_env: Environment, case: Case) -> None:
    env = replace(
        host_env,
        prefix="/venv" if case.in_venv else "/usr",
        base_prefix="/usr",
        pyvenv_cfg=case.cfg if case.in_venv else None,
        enable_user_site=case.enable,
        default_lib_writable=case.writable,
        marker_error="managed" if case.marker else None,
    )
    request = InstallRequest(
        case.use_user_site, case.override, "/p" if case.prefix else None, "/t" if case.target else None
    )
    try:
        decision = decide_install(request, env)
    except ReferenceFailure as exc:
        outcome = type(exc).__name__
    else:
        outcome = "user+notice" if decision.notice else ("user" if decision.user else "non-user")
    assert outcome == oracle(case)


@pytest.mark.parametrize(
    ("use_user_site", "changes", "reason"),
    [
        (False, {}, "Non-user install by explicit request"),
        (True, {}, "User install by explicit request"),
        (None, {"enable_user_site": False}, "Non-user install because user site-packages disabled"),
        (None, {}, "Non-user install because site-packages writeable"),
        (None, {"default_lib_writable": False}, None),  # the fallback says so at INFO instead
    ],
)
def test_pips_debug_reasons(
    make_env: MakeEnv, use_user_site: bool | None, changes: dict[str, object], reason: str | None
) -> None:
    decision = decide_install(InstallRequest(use_user_site), make_env(**changes))
    assert decision.reason == reason


def test_prefix_and_target_reason(make_env: MakeEnv) -> None:
    decision = decide_install(InstallRequest(None, prefix="/p"), make_env())
    assert decision.reason == "Non-user install due to --prefix or --target option"
