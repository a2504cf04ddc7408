"""pip's ``PIP_<OPTION>`` environment variables for the options this installer shares with pip.

Honoured: ``PIP_USER``, ``PIP_NO_USER`` and ``PIP_BREAK_SYSTEM_PACKAGES``, each only for the commands
that have the option, with pip's strtobool values. pip's configuration files (pip.conf,
``PIP_CONFIG_FILE``) are deliberately not read.
"""

from __future__ import annotations

from collections.abc import Mapping

#: Per command: pip's long option name -> destination. ``--user`` and ``--no-user`` share one
#: destination, so ``PIP_NO_USER=1`` sets it to True (a user install), exactly as in pip.
OPTIONS: Mapping[str, Mapping[str, str]] = {
    "install": {
        "user": "use_user_site",
        "no-user": "use_user_site",
        "break-system-packages": "break_system_packages",
    },
    "uninstall": {"break-system-packages": "break_system_packages"},
    "list": {"user": "user"},
}

_TRUE = frozenset({"y", "yes", "t", "true", "on", "1"})
_FALSE = frozenset({"n", "no", "f", "false", "off", "0"})


class ConfigError(ValueError):
    """A PIP_* variable whose value is not a boolean (pip exits with a usage error)."""


def strtobool(value: str) -> bool:
    """pip's strtobool: y/yes/t/true/on/1 and n/no/f/false/off/0, case-insensitive."""
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(f"invalid truth value {value!r}")


def environ_defaults(command: str, environ: Mapping[str, str]) -> dict[str, bool]:
    """Option defaults from ``PIP_*`` variables, in environment order, so a later variable wins."""
    known = OPTIONS[command]
    defaults: dict[str, bool] = {}
    for key, value in environ.items():
        if not key.startswith("PIP_") or not value:
            continue
        name = key[4:].lower().replace("_", "-")
        dest = known.get(name)
        if dest is None:
            continue
        try:
            defaults[dest] = strtobool(value)
        except ValueError:
            raise ConfigError(
                f"{value} is not a valid value for {name} option, please specify a boolean value "
                "like yes/no, true/false or 1/0 instead."
            ) from None
    return defaults
