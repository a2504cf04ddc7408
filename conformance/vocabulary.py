"""The suite's fixed vocabularies: verdicts (with glyph, rank and hint), file roles, outcomes, changes."""

from __future__ import annotations

from enum import StrEnum


class Verdict(StrEnum):
    """A cell's judgement, best first: the order is the rank reports sort and tally by."""

    CONFORMS = "conforms"
    DIFFERS = "differs"
    BROKEN = "broken"
    REFUSES = "refuses"
    DAMAGES = "damages"

    @property
    def glyph(self) -> str:
        return _GLYPHS[self]

    @property
    def description(self) -> str:
        return _DESCRIPTIONS[self]

    @property
    def hint(self) -> str:
        """What a reader choosing a command should do with a cell of this verdict."""
        return _HINTS[self]

    @property
    def rank(self) -> int:
        return list(Verdict).index(self)


_GLYPHS = {
    Verdict.CONFORMS: "✅",
    Verdict.DIFFERS: "↪️",
    Verdict.BROKEN: "💥",
    Verdict.REFUSES: "⛔",
    Verdict.DAMAGES: "☠️",
}
_DESCRIPTIONS = {
    Verdict.CONFORMS: "does what the intent calls for: lands in the intended scheme and works, "
    "or refuses like pip",
    Verdict.DIFFERS: "works, but lands elsewhere (or leaves extra files), or installs where pip refuses",
    Verdict.BROKEN: "reports success, but the package does not import, its script does not run, "
    "or nothing landed",
    Verdict.REFUSES: "fails cleanly, nothing written, where pip installs (or refuses for another reason)",
    Verdict.DAMAGES: "leaves partial files, writes then fails, or changes files that were there before",
}
_HINTS = {
    Verdict.CONFORMS: "Safe to type as is: it does what pip's rules call for here. That may be a clean "
    "refusal (a non-zero exit), so read the outcome under the verdict.",
    Verdict.DIFFERS: "Works, but not as pip would: read the reasons. Files may land outside the intended "
    "scheme (not where other tools look for them), extra files may be left behind, or it installs where "
    "pip refuses, e.g. past a PEP 668 marker.",
    Verdict.BROKEN: "Do not rely on it: it reports success, but the package does not import or its script "
    "does not run for this account. Pick another spelling.",
    Verdict.REFUSES: "This spelling cannot do this job here. It fails cleanly and writes nothing, so it is "
    "safe to retry with another spelling.",
    Verdict.DAMAGES: "Avoid it: it leaves partial or changed files behind. Before retrying, clean up the "
    "files the cell's detail lists.",
}


class Outcome(StrEnum):
    """What pip's rules call for in a cell."""

    INSTALL = "install"
    UNINSTALL = "uninstall"
    FIND = "find"  # a list, show or freeze names the set-up's user install among the installed distributions
    REFUSE = "refuse"
    SATISFIED = "satisfied"  # an installed copy already satisfies the requirement: nothing to install


class Change(StrEnum):
    """How a path differs between two snapshots of a target."""

    ADDED = "added"
    MODIFIED = "modified"
    DELETED = "deleted"


class FileRole(StrEnum):
    """Why a path a command touched is there, as the judge sees it."""

    EXPECTED = "expected"  # a wheel member or script where pip puts it
    GENERATED = "generated"  # dist-info extras and bytecode an installer legitimately adds
    MISPLACED = "misplaced"  # a copy of a member, not where pip puts it
    STRAY = "stray"  # added, and not the package's
    STATE = "state"  # temporary or cache files outside every scheme
    BYTECODE = "bytecode"  # the interpreter's cache of a module that was there before and is unchanged
    DIR = "dir"
    REPLACED = "replaced"  # an existing package file rewritten
    PREEXISTING = "preexisting"  # a file that was there before, changed
    REMOVED = "removed"  # uninstall: a file the install added, now gone
    COLLATERAL = "collateral"  # uninstall: a file it had not installed, changed or removed

    @property
    def notable(self) -> bool:
        """Roles a reader should look at: not where pip would put them, or not the command's own."""
        return self in _NOTABLE


_NOTABLE = frozenset(
    {FileRole.MISPLACED, FileRole.STRAY, FileRole.PREEXISTING, FileRole.REPLACED, FileRole.COLLATERAL}
)
