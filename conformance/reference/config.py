"""pip's ``PIP_<OPTION>`` environment variables, for every long option a command shares with pip.

Read as pip's ``ConfigOptionParser._update_defaults`` reads them: the variable names the long option
(``PIP_NO_USER`` is ``--no-user``), flags take strtobool values stored as they are (so ``PIP_NO_USER=1``
sets ``--user``'s destination to True, a user install, exactly as in pip), counts take a boolean or a
non-negative integer, repeatable options a space-separated list. pip's configuration files
(pip.conf, ``PIP_CONFIG_FILE``) are deliberately not read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .argv import COMMANDS

_TRUE = frozenset({"y", "yes", "t", "true", "on", "1"})
_FALSE = frozenset({"n", "no", "f", "false", "off", "0"})


class ConfigError(ValueError):
    """A PIP_* variable whose value does not fit its option (pip exits with a usage error)."""


def strtobool(value: str) -> bool:
    """pip's strtobool: y/yes/t/true/on/1 and n/no/f/false/off/0, case-insensitive."""
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(f"invalid truth value {value!r}")


def _count(name: str, value: str) -> int:
    try:
        return int(strtobool(value))
    except ValueError:
        pass
    try:
        count = int(value)
    except ValueError:
        count = -1
    if count < 0:
        raise ConfigError(
            f"{value} is not a valid value for {name} option, please instead specify either a non-negative "
            "integer or a boolean value like yes/no or false/true which is equivalent to 1/0."
        )
    return count


def _value(name: str, action: str, value: str) -> Any:
    if action in ("true", "false"):
        try:
            return strtobool(value)
        except ValueError:
            raise ConfigError(
                f"{value} is not a valid value for {name} option, please specify a boolean value "
                "like yes/no, true/false or 1/0 instead."
            ) from None
    if action == "count":
        return _count(name, value)
    if action == "append":
        return value.split()
    return value


def environ_defaults(command: str, environ: Mapping[str, str]) -> dict[str, Any]:
    """Option values from ``PIP_*`` variables, in environment order, so a later variable wins."""
    # pip looks each variable up by its exact long name: abbreviations do not count here.
    known = {n[2:]: o for o in COMMANDS[command].options for n in o.names if n.startswith("--")}
    defaults: dict[str, Any] = {}
    for key, value in environ.items():
        if not key.startswith("PIP_") or not value:
            continue
        name = key[4:].lower().replace("_", "-")
        option = known.get(name)
        if option is not None:
            defaults[option.dest] = _value(name, option.action, value)
    return defaults
