"""pip's warning for console scripts installed into a directory that is not on PATH, word for word."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


def message_about_scripts_not_on_path(
    scripts: Sequence[str], path_entries: Sequence[str], executable: str
) -> str | None:
    """pip's ``message_about_scripts_not_on_PATH``: None when every script's directory is on PATH.

    A directory is on PATH when it is an entry as written or once both are resolved; the directory of
    the interpreter itself never warns (a venv's bin, used without activating the venv).
    """
    if not scripts:
        return None
    grouped: dict[Path, set[str]] = {}
    for script in scripts:
        path = Path(script)
        grouped.setdefault(path.parent.resolve(), set()).add(path.name)
    executable_dir = Path(executable).parent.resolve()
    warn_for = {
        directory: names
        for directory, names in grouped.items()
        if directory != executable_dir and str(directory) not in path_entries
    }
    # Resolving every PATH entry can be slow (network mounts), so pip does it only for what is left.
    if warn_for:
        resolved = {Path(entry).resolve() for entry in path_entries}
        warn_for = {d: names for d, names in warn_for.items() if d not in resolved}
    if not warn_for:
        return None
    lines = []
    for directory, names in warn_for.items():
        ordered = sorted(names)
        if len(ordered) == 1:
            start = f"script {ordered[0]} is"
        else:
            start = "scripts {} are".format(", ".join(ordered[:-1]) + " and " + ordered[-1])
        lines.append(f"The {start} installed in '{directory}' which is not on PATH.")
    these = "this directory" if len(lines) == 1 else "these directories"
    lines.append(
        f"Consider adding {these} to PATH or, if you prefer to suppress this warning, use "
        "--no-warn-script-location."
    )
    if any(entry[0] == "~" for entry in path_entries if entry):
        lines.append(
            "NOTE: The current PATH contains path(s) starting with `~`, which may not be expanded by all "
            "applications."
        )
    return "\n".join(lines)
