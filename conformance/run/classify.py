"""Error classes, matched loosely on installers' messages because they reword them between versions."""

from __future__ import annotations

import re

#: Checked in order; the first class whose pattern matches wins.
ERROR_CLASSES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        (
            "unsupported-option",
            r"no such option|unexpected argument|unrecognized arguments?|`--user` is unsupported",
        ),
        ("externally-managed", r"externally[- ]managed"),
        ("venv-conflict", r"not visible in this virtualenv|lack sys\.path precedence"),
        # uv, handed a directory that is neither a venv nor an interpreter's prefix (seeds 003 and 004): "...
        # is not a valid Python environment (no Python executable was found)".
        ("not-an-environment", r"not a valid python environment"),
        # uv: "No virtual environment found", or "... or system Python installation found for directory".
        ("no-environment", r"no virtual environment (or system python installation )?found"),
        ("user-site-disabled", r"user site-packages are disabled"),
        # Windows says "Access is denied" (uv: "Access denied. (os error 5)").
        (
            "permission-denied",
            r"permission denied|os error 13|errno 13|not writeable|not writable"
            r"|access (is )?denied|os error 5\b",
        ),
        # pip show: "Package(s) not found: X"; uv pip show: "Package(s) not found for: X".
        ("not-installed", r"package\(s\) not found"),
        # python -m pip in a venv made without pip (uv venv's default).
        ("no-pip", r"no module named pip\b"),
        ("not-found", r"no matching distribution|could not find a version|not found in|no solution found"),
        ("invalid-wheel", r"invalid wheel|bad zip|not a zip file|record.*(mismatch|hash)|corrupt"),
    )
)
OTHER = "other"
_EXCERPT_CHARS = 300


def classify(stdout: str, stderr: str) -> str:
    """The class of a failed command's error, or ``other``."""
    text = f"{stderr}\n{stdout}"
    for name, pattern in ERROR_CLASSES:
        if pattern.search(text):
            return name
    return OTHER


def excerpt(stdout: str, stderr: str) -> str:
    """The error lines a reader needs: the first line naming an error, and what follows it."""
    lines = [line.rstrip() for line in (stderr or stdout).splitlines() if line.strip()]
    for index, line in enumerate(lines):
        if re.search(
            r"error|denied|refus|not supported|unsupported|unexpected|no such option", line, re.IGNORECASE
        ):
            return "\n".join(lines[index : index + 4])[:_EXCERPT_CHARS]
    return "\n".join(lines[-4:])[:_EXCERPT_CHARS]
