"""What the user asked to install: a requirement or a wheel path, and where it was written."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import UnsupportedOption, WheelNotFound
from .finder import WheelLink, parse_link
from .requirement import Bare, parse

if TYPE_CHECKING:
    from packaging.requirements import Requirement


@dataclass
class Requested:
    """One requirement the user gave: a project with a specifier, or a wheel file."""

    requirement: Requirement | Bare
    link: WheelLink | None = None  # set when a wheel file was named
    comes_from: str | None = (
        None  # "-r FILE (line N)" for a requirements file's line, None on the command line
    )


def parse_requested(text: str, comes_from: str | None = None, line_source: str | None = None) -> Requested:
    """A wheel path (anything ending in .whl) or a PEP 508 requirement without a URL.

    ``line_source`` ("line N of FILE") ends the message of an invalid requirement from a file, as in pip.
    """
    if "://" in text:
        raise UnsupportedOption(
            f"{text!r} is a URL",
            "The reference installer reads no network: download the wheel and pass its path, or put it "
            "in a --find-links directory.",
        )
    # "name @ file.whl" is a direct reference, not a path, unless such a file exists.
    if text.lower().endswith(".whl") and (os.path.isfile(text) or "@" not in text):
        if not os.path.isfile(text):
            raise WheelNotFound(text)
        link = parse_link(text)
        return Requested(parse(f"{link.name}=={link.version}"), link, comes_from)
    if os.path.exists(text) and (os.sep in text or text.startswith(".")):
        raise UnsupportedOption(
            f"{text!r} is a source tree or archive, not a wheel",
            "The reference installer installs wheels only: build one first (python3 -m pip wheel .).",
        )
    requirement = parse(text, f" (from {line_source})" if line_source else "")
    if not isinstance(requirement, Bare) and requirement.url:
        raise UnsupportedOption(
            f"{text!r} is a direct URL requirement",
            "Pass the wheel's path instead, or put the wheel in a --find-links directory.",
        )
    return Requested(requirement, comes_from=comes_from)
