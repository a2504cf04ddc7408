"""Render the self-contained HTML page of a matrix document: advice, tables, filters, each cell's evidence."""

from __future__ import annotations

import base64
import datetime
import gzip
import itertools
import shlex
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import jinja2

from conformance.record.cell import Cell, Expectation
from conformance.record.document import MatrixDocument, Parity, ParityDifference, RunInfo
from conformance.report.advice import advise, summarize
from conformance.report.table import Row, TargetTable, target_tables
from conformance.vocabulary import Change, FileRole, Outcome, Verdict

BASELINE = "pip"


@dataclass(frozen=True)
class Aspect:
    """One line of a cell's side-by-side comparison with the pip cell of its row."""

    name: str
    this: str
    pip: str

    @property
    def differs(self) -> bool:
        return self.this != self.pip


@dataclass(frozen=True)
class ColumnTally:
    """How many cells of one spelling's column got each verdict, in one target's table."""

    spelling: str
    counts: dict[Verdict, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def conforms(self) -> int:
        return self.counts.get(Verdict.CONFORMS, 0)


@dataclass(frozen=True)
class RowView:
    """One row of a target table: account, scenario, fixture, and the cell of each spelling."""

    key: Row
    cells: dict[str, Cell]

    @property
    def disagree(self) -> bool:
        return len({c.verdict for c in self.cells.values()}) > 1

    @property
    def expectation(self) -> Expectation:
        return (self.cells.get(BASELINE) or next(iter(self.cells.values()))).expectation


@dataclass(frozen=True)
class RowGroup:
    """The consecutive rows of one account and scenario, shown under one heading."""

    account: str
    scenario: str
    rows: list[RowView]

    @property
    def expectation(self) -> Expectation | None:
        """The expectation every row of the group shares, if they do."""
        expectations = [r.expectation for r in self.rows]
        return expectations[0] if all(e == expectations[0] for e in expectations) else None


@dataclass(frozen=True)
class TargetView:
    """A target table with what the page shows around it."""

    table: TargetTable
    rows: list[RowView]
    tallies: list[ColumnTally]
    versions: dict[str, str]  # spelling -> "installer version" of its cells

    @property
    def target(self) -> str:
        return self.table.target

    @property
    def groups(self) -> list[RowGroup]:
        return [
            RowGroup(account, scenario, list(rows))
            for (account, scenario), rows in itertools.groupby(self.rows, key=lambda r: r.key[:2])
        ]


@dataclass(frozen=True)
class ParityLine:
    """One aspect on which the reference and pip disagree, lists cut down to what only one side has."""

    aspect: str
    baseline: str
    candidate: str


@dataclass(frozen=True)
class ParityRow:
    """A row where the reference and pip disagree, with every aspect they disagree on."""

    row: str
    lines: list[ParityLine]


def _parity_line(difference: ParityDifference) -> ParityLine:
    ours, theirs = difference.candidate, difference.baseline
    if isinstance(ours, list) and isinstance(theirs, list):
        # Landing lists share most paths; what tells them apart is what only one of them has.
        only_theirs = [p for p in theirs if p not in ours] or ["(none)"]
        only_ours = [p for p in ours if p not in theirs] or ["(none)"]
        return ParityLine(difference.aspect, "\n".join(only_theirs), "\n".join(only_ours))
    return ParityLine(difference.aspect, str(theirs), str(ours))


def parity_rows(parity: Parity) -> list[ParityRow]:
    """The document's parity differences, grouped by row, ready to show."""
    rows: dict[str, list[ParityLine]] = {}
    for difference in parity.differences:
        rows.setdefault(difference.row, []).append(_parity_line(difference))
    return [ParityRow(row, lines) for row, lines in rows.items()]


def is_changed(cell: Cell) -> bool:
    """The cell's verdict is not the one recorded for it (nothing recorded is no change)."""
    return cell.expected_verdict is not None and cell.expected_verdict != cell.verdict


def outcome(cell: Cell) -> str:
    """What the command did, in a few words: its exit code and refusal class, or where the package went."""
    command = cell.observation.command
    if command.exit_code != 0:
        return f"exit {command.exit_code} · {command.error_class or 'error'}"
    if cell.expectation.outcome == Outcome.UNINSTALL:
        return "exit 0 · uninstalled"
    if cell.expectation.outcome == Outcome.FIND:
        return (
            "exit 0 · names it"
            if cell.verdict in (Verdict.CONFORMS, Verdict.DIFFERS)
            else "exit 0 · not named"
        )
    landing = cell.judgement.landing
    slots = landing.get("purelib") or landing.get("platlib") or [s for v in landing.values() for s in v]
    schemes = sorted({s.split(":", 1)[0] if ":" in s else "no scheme" for s in slots})
    return f"exit 0 · {', '.join(schemes)}" if schemes else "exit 0 · nothing landed"


def intent_label(expectation: Expectation) -> str:
    """pip's rule for a row in a few words: what to install where, or which refusal."""
    if expectation.outcome == Outcome.REFUSE:
        return f"refuse: {expectation.error_class}"
    if expectation.outcome == Outcome.INSTALL:
        return f"install in {expectation.scheme}"
    if expectation.outcome == Outcome.SATISFIED:
        return f"nothing: {expectation.version} installed satisfies it"
    return f"{expectation.outcome} from {expectation.scheme}"


def _aspects(cell: Cell) -> dict[str, str]:
    """What the comparison with pip shows of one cell, by aspect name, in a stable order."""
    observation = cell.observation
    command = observation.command
    roles = Counter(r for r in cell.judgement.roles.values() if r != FileRole.DIR)
    values = {
        "verdict": f"{cell.verdict.glyph} {cell.verdict}",
        "exit code": str(command.exit_code),
        "error class": command.error_class or "none",
        "files by role": ", ".join(f"{n} {role}" for role, n in sorted(roles.items())) or "none",
    }
    if observation.installed:
        removed = {f.path for f in observation.files if f.change == Change.DELETED}
        installed = [f.path for f in observation.installed if f.type != "dir"]
        left = [p for p in installed if p not in removed]
        values["installed at set-up, not removed"] = ", ".join(left) or "none"
    for key, slots in cell.judgement.landing.items():
        values[f"{key} landed in"] = ", ".join(slots)
    for check in observation.imports:
        values[f"imports ({check.who})"] = "yes" if check.ok else "no"
    for script in observation.scripts:
        values[f"script {script.name}"] = script.path or "not found"
        if script.path:
            on_path = "yes" if script.on_login_path else "no"
            values[f"script {script.name} runs, on login PATH"] = (
                f"exit {script.exit_code}, on PATH: {on_path}"
            )
    return values


def compare(cell: Cell, pip: Cell) -> list[Aspect]:
    """Every aspect of either cell, side by side; an aspect one of them lacks shows as a dash."""
    ours, theirs = _aspects(cell), _aspects(pip)
    names = list(dict.fromkeys([*ours, *theirs]))
    return [Aspect(name, ours.get(name, "—"), theirs.get(name, "—")) for name in names]


def _target_view(table: TargetTable) -> TargetView:
    rows = [RowView(key, cells) for key, cells in table.rows.items()]
    tallies = [
        ColumnTally(s, dict(Counter(r.cells[s].verdict for r in rows if s in r.cells))) for s in table.columns
    ]
    versions: dict[str, set[str]] = {}
    for row in rows:
        for spelling, cell in row.cells.items():
            version = cell.installer_version or "?"
            versions.setdefault(spelling, set()).add(f"{cell.installer} {version}")
    return TargetView(table, rows, tallies, {s: ", ".join(sorted(v)) for s, v in versions.items()})


def _distinct(values: Iterable[str]) -> list[str]:
    """Each value once, in the order of first appearance (the tables' order, which the document gives)."""
    return list(dict.fromkeys(values))


def _duration(run: RunInfo) -> str:
    try:
        started = datetime.datetime.fromisoformat(run.started)
        finished = datetime.datetime.fromisoformat(run.finished)
    except (TypeError, ValueError):
        return "?"
    minutes, seconds = divmod(int((finished - started).total_seconds()), 60)
    return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"


_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("conformance.report", "templates"),
    autoescape=True,
    keep_trailing_newline=True,
    # A name the template misspells, or a field a record lacks, fails the render instead of showing nothing.
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def invocation(argv: list[str], environment: dict[str, str]) -> str:
    """The command as a shell line, with the variables the suite set in front of it."""
    assignments = [f"{name}={shlex.quote(value)}" for name, value in environment.items()]
    return " ".join([*assignments, shlex.join(argv)])


def _evidence(views: list[TargetView], helpers: dict[str, object]) -> dict[str, str]:
    """Each target's cell panels, gzipped (no timestamp, so a page renders byte for byte alike) and base64."""
    module = _ENVIRONMENT.get_template("evidence.html.j2").make_module(helpers)
    detail = getattr(module, "detail")  # noqa: B009 - a template's macro, unknown to the type checker
    blobs = {}
    for view in views:
        html = "".join(str(detail(cell, view.target)) for row in view.rows for cell in row.cells.values())
        blobs[view.target] = base64.b64encode(gzip.compress(html.encode(), mtime=0)).decode()
    return blobs


def typed_env(cell: Cell, spelling_env: dict[str, str]) -> dict[str, str]:
    """The variables a spelling sets, as the cell set them (a placeholder such as the user base filled)."""
    return {name: cell.environment.get(name, value) for name, value in spelling_env.items()}


def render_html(document: MatrixDocument) -> str:
    """The page: run header, advice, legend, parity, filters, a table per target, each cell's evidence."""
    tables = target_tables(document)
    views = [_target_view(t) for t in tables]
    comparisons = {
        cell.id: compare(cell, row.cells[BASELINE])
        for view in views
        for row in view.rows
        if BASELINE in row.cells
        for spelling, cell in row.cells.items()
        if spelling != BASELINE
    }
    helpers: dict[str, object] = {
        "comparisons": comparisons,
        "baseline": BASELINE,
        "invocation": invocation,
        "typed_env": typed_env,
        "is_changed": is_changed,
        "outcome": outcome,
        "intent_label": intent_label,
    }
    return _ENVIRONMENT.get_template("index.html.j2").render(
        **helpers,
        evidence=_evidence(views, helpers),
        advice={t.target: advise(t) for t in tables},
        summaries=summarize(tables),
        doc=document,
        run=document.run,
        views=views,
        verdicts=[term.verdict for term in document.verdicts],
        targets=document.targets,
        commands={name: spelling.commands for name, spelling in document.spellings.items()},
        notes={name: spelling.note for name, spelling in document.spellings.items() if spelling.note},
        spelling_env={name: spelling.env for name, spelling in document.spellings.items()},
        parities=[(p, parity_rows(p)) for p in document.parity],
        changed_count=sum(is_changed(c) for c in document.cells),
        duration=_duration(document.run),
        dimensions={
            "target": [v.target for v in views],
            "account": _distinct(row.key[0] for v in views for row in v.rows),
            "scenario": _distinct(row.key[1] for v in views for row in v.rows),
            "fixture": _distinct(row.key[2] for v in views for row in v.rows),
        },
        spellings=[s for s in document.columns if any(s in v.table.columns for v in views)],
    )
