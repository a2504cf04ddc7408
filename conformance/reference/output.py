"""What the commands print, filtered by pip's -q/-v levels and indented as pip's ``indent_log`` does."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TextIO

# pip's levels: logging's, plus VERBOSE (15) for what -v adds.
DEBUG = 10
VERBOSE = 15
INFO = 20
WARNING = 30
ERROR = 40
CRITICAL = 50


def level_for(verbosity: int) -> int:
    """pip's ``setup_logging``: -v is VERBOSE, -vv DEBUG; -q WARNING, -qq ERROR, -qqq CRITICAL."""
    if verbosity >= 2:
        return DEBUG
    if verbosity == 1:
        return VERBOSE
    if verbosity == 0:
        return INFO
    return {-1: WARNING, -2: ERROR}.get(verbosity, CRITICAL)


class Output:
    """pip's console handlers: below WARNING on stdout, WARNING and above on stderr with their prefix."""

    # A plain class: making a dataclass costs about half a millisecond at import, on every run.
    def __init__(self, out: TextIO, err: TextIO, level: int = INFO) -> None:
        self.out = out
        self.err = err
        self.level = level
        self.indentation = 0

    def enabled(self, level: int) -> bool:
        return level >= self.level

    def _emit(self, level: int, message: str) -> None:
        if not self.enabled(level):
            return
        start = "ERROR: " if level >= ERROR else "WARNING: " if level >= WARNING else ""
        # Like pip's IndentingFormatter: the prefix once, the indentation on every line.
        indent = " " * self.indentation
        text = "".join(indent + line for line in (start + message).splitlines(True))
        print(text, file=self.err if level >= WARNING else self.out)

    def debug(self, message: str) -> None:
        self._emit(DEBUG, message)

    def verbose(self, message: str) -> None:
        self._emit(VERBOSE, message)

    def info(self, message: str) -> None:
        self._emit(INFO, message)

    def warning(self, message: str) -> None:
        self._emit(WARNING, message)

    def error(self, message: str) -> None:
        self._emit(ERROR, message)

    def critical(self, message: str) -> None:
        """pip reports a failed command at CRITICAL, worded as an error: even -qqq shows it."""
        self._emit(CRITICAL, message)

    @contextlib.contextmanager
    def indented(self, by: int = 2) -> Iterator[None]:
        """pip's ``indent_log``: everything printed inside is indented by two more spaces."""
        self.indentation += by
        try:
            yield
        finally:
            self.indentation -= by
