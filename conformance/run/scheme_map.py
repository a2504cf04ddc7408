"""Map a path to the scheme keys (of the interpreter's own sysconfig schemes) whose directory holds it."""

from __future__ import annotations

from conformance.judge.paths import rules
from conformance.run.facts import InterpreterFacts

#: sysconfig keys as installers call them; stdlib keys are kept so that a write there is named as such.
_KEY_NAMES = {"include": "headers"}
_IGNORED_KEYS = frozenset({"platinclude"})


def map_path(path: str, facts: InterpreterFacts) -> list[str]:
    """``scheme:key`` slots holding ``path``, longest directory first-class only; [] for no scheme."""
    # The judge's own comparison: on Windows case-insensitive, either slash separating.
    path_rules = rules(facts)
    normpath = path_rules.flavour.normpath
    best: list[str] = []
    best_len = -1
    for scheme, paths in sorted(facts.schemes.items()):
        for key, directory in sorted(paths.items()):
            if key in _IGNORED_KEYS or not directory:
                continue
            directory = normpath(directory)
            if not path_rules.inside(path, directory):
                continue
            slot = f"{scheme}:{_KEY_NAMES.get(key, key)}"
            if len(directory) > best_len:
                best, best_len = [slot], len(directory)
            elif len(directory) == best_len and slot not in best:
                best.append(slot)
    return sorted(best)
