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


@pytest.mark.parametrize(("value", "count"), [("1", 1), ("yes", 1), ("off", 0), ("2", 2), ("0", 0)])
def test_counts_take_booleans_or_non_negative_integers(value: str, count: int) -> None:
    assert environ_defaults("install", {"PIP_QUIET": value}) == {"quiet": count}
    assert environ_defaults("list", {"PIP_VERBOSE": value}) == {"verbose": count}


@pytest.mark.parametrize("value", ["-1", "lots"])
def test_invalid_counts_use_pips_wording(value: str) -> None:
    with pytest.raises(ConfigError, match=f"^{value} is not a valid value for quiet option, please instead"):
        environ_defaults("uninstall", {"PIP_QUIET": value})


def test_no_options_store_the_value_as_is() -> None:
    # pip's documented rule: "to enable --no-warn-script-location, falsy values have to be used".
    assert environ_defaults("install", {"PIP_NO_WARN_SCRIPT_LOCATION": "0"}) == {
        "warn_script_location": False
    }
    assert environ_defaults("install", {"PIP_NO_COMPILE": "no"}) == {"compile": False}
    assert environ_defaults("install", {"PIP_NO_DEPS": "1"}) == {"ignore_dependencies": True}
    assert environ_defaults("install", {"PIP_NO_DEPENDENCIES": "1"}) == {"ignore_dependencies": True}


def test_flags_and_lists_of_install() -> None:
    environ = {
        "PIP_UPGRADE": "true",
        "PIP_FORCE_REINSTALL": "1",
        "PIP_FIND_LINKS": "/a  /b",
        "PIP_NO_CACHE_DIR": "1",
    }
    assert environ_defaults("install", environ) == {
        "upgrade": True,
        "force_reinstall": True,
        "find_links": ["/a", "/b"],
        "no_cache_dir": True,
    }
    assert environ_defaults("install", {"PIP_REQUIREMENT": "a.txt b.txt"}) == {
        "requirement_files": ["a.txt", "b.txt"]
    }


def test_only_exact_long_names_count() -> None:
    assert environ_defaults("install", {"PIP_UPGR": "1", "PIP_U": "1"}) == {}
