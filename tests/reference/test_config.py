"""PIP_* environment variables: pip's strtobool, command scoping, order, and the PIP_NO_USER quirk."""

from __future__ import annotations

import pytest

from conformance.reference.config import ConfigError, environ_defaults, strtobool


@pytest.mark.parametrize("value", ["1", "y", "YES", "t", "True", "on"])
def test_truthy_values(value: str) -> None:
    assert strtobool(value) is True


@pytest.mark.parametrize("value", ["0", "n", "No", "f", "FALSE", "off"])
def test_falsy_values(value: str) -> None:
    assert strtobool(value) is False


def test_other_values_are_rejected() -> None:
    with pytest.raises(ValueError):
        strtobool("maybe")


def test_pip_user_sets_the_user_option() -> None:
    assert environ_defaults("install", {"PIP_USER": "1"}) == {"use_user_site": True}
    assert environ_defaults("install", {"PIP_USER": "no"}) == {"use_user_site": False}


def test_pip_no_user_true_means_a_user_install() -> None:
    # pip's documented quirk for --no-* booleans: the value is stored as is, so 1 selects --user.
    assert environ_defaults("install", {"PIP_NO_USER": "1"}) == {"use_user_site": True}
    assert environ_defaults("install", {"PIP_NO_USER": "0"}) == {"use_user_site": False}


def test_empty_values_are_ignored() -> None:
    assert environ_defaults("install", {"PIP_USER": "", "PIP_BREAK_SYSTEM_PACKAGES": ""}) == {}


def test_the_later_variable_wins() -> None:
    assert environ_defaults("install", {"PIP_USER": "1", "PIP_NO_USER": "0"}) == {"use_user_site": False}
    assert environ_defaults("install", {"PIP_NO_USER": "0", "PIP_USER": "1"}) == {"use_user_site": True}


def test_break_system_packages() -> None:
    assert environ_defaults("install", {"PIP_BREAK_SYSTEM_PACKAGES": "1"}) == {"break_system_packages": True}
    assert environ_defaults("uninstall", {"PIP_BREAK_SYSTEM_PACKAGES": "0"}) == {
        "break_system_packages": False
    }


def test_options_a_command_lacks_are_ignored_even_when_invalid() -> None:
    assert environ_defaults("uninstall", {"PIP_USER": "maybe", "PIP_NO_USER": "1"}) == {}
    assert environ_defaults("list", {"PIP_NO_USER": "1", "PIP_USER": "yes"}) == {"user": True}


def test_unrelated_and_config_variables_are_ignored() -> None:
    environ = {
        "PIP_CONFIG_FILE": "/etc/pip.conf",
        "PIP_INDEX_URL": "x",
        "PYTHONUSERBASE": "/x",
        "pip_user": "1",
    }
    assert environ_defaults("install", environ) == {}


def test_invalid_value_uses_pips_wording() -> None:
    with pytest.raises(
        ConfigError, match="maybe is not a valid value for user option, please specify a boolean"
    ):
        environ_defaults("install", {"PIP_USER": "maybe"})
