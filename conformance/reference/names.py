"""Project names and wheel file names, read without packaging's tags module where a plain name allows it.

Importing ``packaging.utils`` imports ``packaging.tags`` (and with it logging, platform and subprocess),
which takes longer than installing a small wheel. The common file name, ``name-1.2-py3-none-any.whl``,
needs none of it: a strict pattern recognises that shape, whose parse packaging would give the same,
and every other name goes to ``packaging.utils.parse_wheel_filename``.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from packaging.utils import NormalizedName

#: A subset of valid wheel file names: an escaped project name, a release of plain non-zero-padded
#: numbers (so that its text is its normal form), no build tag, and ``pyN-none-<one platform>`` tags
#: (a find-links directory may hold other projects' platform wheels). Whatever it matches, packaging
#: parses to the same name, version and tags.
_PLAIN_WHEEL = re.compile(
    r"(?P<name>[A-Za-z0-9]+(?:[._][A-Za-z0-9]+)*)"
    r"-(?P<version>(?:0|[1-9][0-9]*)(?:\.(?:0|[1-9][0-9]*))*)"
    r"-(?P<tag>py[0-9]+(?:\.py[0-9]+)*-none-[a-z0-9_]+)\.whl",
    re.ASCII,
)


class InvalidWheelName(ValueError):
    """A file name that is not a wheel file name (pip skips such files)."""


def canonical_name(name: str) -> NormalizedName:
    """PEP 503's normal form: runs of ``-``, ``_`` and ``.`` become one ``-``, all lower case."""
    return cast("NormalizedName", re.sub(r"[-_.]+", "-", name).lower())


@dataclass
class WheelName:
    """The parts of a wheel file name, as written; packaging has validated any name not plain."""

    name: NormalizedName
    version: str
    build: str  # "" when there is no build tag
    tag: str  # possibly a compressed tag set, e.g. py2.py3-none-any

    def surely_supported(self) -> bool:
        """True when a ``py<major>-none-any`` tag is in the set: every interpreter of that major supports it.

        packaging's ``compatible_tags`` ends every ``sys_tags()`` with ``py<major>-none-any``. False means
        "ask packaging", not "unsupported".
        """
        interpreters, abi, platform = self.tag.lower().split("-")
        return abi == "none" and platform == "any" and f"py{sys.version_info[0]}" in interpreters.split(".")


def parse_wheel_name(filename: str) -> WheelName:
    """Split a wheel file name into its parts; raises InvalidWheelName as packaging would refuse it."""
    plain = _PLAIN_WHEEL.fullmatch(filename)
    if plain is not None:
        return WheelName(canonical_name(plain["name"]), plain["version"], "", plain["tag"])
    from packaging.utils import InvalidWheelFilename, parse_wheel_filename

    try:
        name, _, _, _ = parse_wheel_filename(filename)
    except InvalidWheelFilename as exc:
        raise InvalidWheelName(str(exc)) from None
    # Valid, so exactly four or five dashes separate its parts.
    parts = filename[: -len(".whl")].split("-")
    build = parts[2] if len(parts) == 6 else ""
    return WheelName(name, parts[1], build, "-".join(parts[-3:]))
