"""Path rules of an interpreter's platform: POSIX, or Windows (drive letters, ``\\``, case-insensitive)."""

from __future__ import annotations

import ntpath
import posixpath
from dataclasses import dataclass
from types import ModuleType

from conformance.run.facts import InterpreterFacts


@dataclass(frozen=True)
class PathRules:
    """How the judge compares the paths an interpreter reports with the paths that were observed."""

    nt: bool

    @property
    def flavour(self) -> ModuleType:
        return ntpath if self.nt else posixpath

    @property
    def sep(self) -> str:
        return "\\" if self.nt else "/"

    def key(self, path: str) -> str:
        """What two paths share when they name the same file (POSIX: the path itself)."""
        return ntpath.normcase(ntpath.normpath(path)) if self.nt else path

    def join(self, base: str, relative: str) -> str:
        """``base`` joined with a wheel's ``/``-separated relative path."""
        return str(self.flavour.join(base, *relative.split("/")))

    def inside(self, path: str, directory: str) -> bool:
        """Whether ``path`` is ``directory`` or below it."""
        path, directory = self.key(path), self.key(directory)
        return path == directory or path.startswith(directory.rstrip(self.sep) + self.sep)

    def ends_with(self, path: str, relative: str) -> bool:
        """Whether ``path`` ends with the ``/``-separated ``relative`` path, whole components only."""
        return self.key(path).endswith(self.key(self.sep + relative.replace("/", self.sep)))

    def has_dir(self, path: str, name: str) -> bool:
        """Whether a directory called ``name`` is one of ``path``'s parents."""
        return self.key(self.sep + name + self.sep) in self.key(path)

    def basename(self, path: str) -> str:
        return self.key(self.flavour.basename(path))

    def dirname(self, path: str) -> str:
        return str(self.flavour.dirname(path))


def rules(facts: InterpreterFacts) -> PathRules:
    """The path rules of the interpreter the facts describe."""
    return PathRules(facts.os_name == "nt")


def script_name(facts: InterpreterFacts, name: str) -> str:
    """A console script's file name: on Windows installers write an ``.exe`` launcher."""
    return f"{name}.exe" if facts.os_name == "nt" else name
