"""Recorded verdicts, one TOML file per target: a changed verdict fails its test and is a reviewed diff."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from conformance.record.cell import Cell, Coordinates
from conformance.vocabulary import Verdict

_HEADER = (
    '# Recorded verdicts of the {target} cells: ["account/scenario/fixture"] spelling = verdict.\n'
    "# Rewritten by `pytest --update-expectations`; every change here is reviewed like code.\n"
)
VERSIONS_FILE = "installers.toml"
#: Lines of each output stream a mismatch message ends with.
_TAIL_LINES = 6


class ExpectationMismatch(AssertionError):
    """A cell's verdict is not the recorded one."""


@dataclass
class Expectations:
    """The verdicts recorded in a directory of per-target TOML files."""

    directory: Path
    verdicts: dict[str, Verdict] = field(default_factory=dict)  # cell id -> verdict
    versions: dict[str, str] = field(default_factory=dict)  # installer -> version last recorded

    @classmethod
    def load(cls, directory: Path) -> Expectations:
        loaded = cls(directory)
        for path in sorted(directory.glob("*.toml")):
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            if path.name == VERSIONS_FILE:
                loaded.versions = {k: str(v) for k, v in data.get("versions", {}).items()}
                continue
            for row, spellings in data.items():
                for spelling, verdict in spellings.items():
                    try:
                        loaded.verdicts[f"{path.stem}/{row}/{spelling}"] = Verdict(verdict)
                    except ValueError:
                        raise ValueError(
                            f"{path}: [{row!r}] {spelling} = {verdict!r} is not a verdict"
                        ) from None
        return loaded

    def get(self, spec: Coordinates) -> Verdict | None:
        return self.verdicts.get(spec.id)

    def check(self, cell: Cell) -> None:
        """Raise with a readable diff when the observed verdict is not the recorded one."""
        recorded = self.get(cell.spec)
        if recorded == cell.verdict:
            return
        observation = cell.observation.command
        lines = [
            f"{cell.spec.id}: recorded {recorded or '(nothing recorded)'}, observed {cell.verdict}",
            f"  reasons: {'; '.join(cell.judgement.reasons)}",
            f"  command: {' '.join(cell.command)}  -> exit {observation.exit_code}",
            f"  {cell.installer} {cell.installer_version}; expectation: {cell.expectation.outcome} "
            f"({cell.expectation.reason})",
        ]
        if observation.error_excerpt:
            lines.append(f"  error: {observation.error_excerpt}")
        # A mismatch seen once (a CI run's) is diagnosed from this message alone: show what it printed.
        for stream, text in (("stdout", observation.stdout), ("stderr", observation.stderr)):
            tail = [line for line in text.splitlines() if line.strip()][-_TAIL_LINES:]
            lines.append(f"  {stream}: " + ("\n    ".join(tail) if tail else "(empty)"))
        lines.append("  If this change is right, rerun with --update-expectations and review the diff.")
        raise ExpectationMismatch("\n".join(lines))

    def update(self, observed: dict[str, Verdict], versions: dict[str, str]) -> list[Path]:
        """Merge observed verdicts (cell id -> verdict) over the recorded ones and rewrite the files."""
        self.verdicts.update(observed)
        self.versions.update(versions)
        self.directory.mkdir(parents=True, exist_ok=True)
        by_target: dict[str, dict[str, dict[str, Verdict]]] = {}
        for cell_id, verdict in self.verdicts.items():
            target, rest = cell_id.split("/", 1)
            row, spelling = rest.rsplit("/", 1)
            by_target.setdefault(target, {}).setdefault(row, {})[spelling] = verdict
        written = []
        touched = {cell_id.split("/", 1)[0] for cell_id in observed}
        for target in sorted(touched):
            path = self.directory / f"{target}.toml"
            path.write_text(_render(target, by_target[target]), encoding="utf-8")
            written.append(path)
        versions_path = self.directory / VERSIONS_FILE
        body = "".join(f'{k} = "{v}"\n' for k, v in sorted(self.versions.items()))
        versions_path.write_text(
            "# Installer versions the recorded verdicts were last observed with"
            " (used by --installer-versions=recorded).\n[versions]\n" + body,
            encoding="utf-8",
        )
        written.append(versions_path)
        return written


def _render(target: str, rows: dict[str, dict[str, Verdict]]) -> str:
    parts = [_HEADER.format(target=target)]
    for row in sorted(rows):
        body = "".join(f'{spelling} = "{verdict}"\n' for spelling, verdict in sorted(rows[row].items()))
        parts.append(f'\n["{row}"]\n{body}')
    return "".join(parts)
