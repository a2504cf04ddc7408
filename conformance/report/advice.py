"""What to type, per target and account, and where each spelling departs from pip: from the cells alone."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from conformance.record.cell import Cell
from conformance.report.table import TargetTable
from conformance.vocabulary import Outcome, Verdict

BASELINE = "pip"


@dataclass(frozen=True)
class Choice:
    """One spelling's best cell for an account on a target: the command as run, and how it went."""

    spelling: str
    cell: Cell

    @property
    def verdict(self) -> Verdict:
        return self.cell.verdict

    @property
    def kind(self) -> str:
        """installs, differs, refused (pip's own refusal included) or breaks."""
        if self.verdict in (Verdict.BROKEN, Verdict.DAMAGES):
            return "breaks"
        if not self.installs:
            return "refused"
        return "installs" if self.verdict == Verdict.CONFORMS else "differs"

    @property
    def shown_as(self) -> Verdict:
        """The verdict whose glyph and colour the advice shows: a refusal, even pip's own, is one."""
        return Verdict.REFUSES if self.kind == "refused" else self.verdict

    @property
    def installs(self) -> bool:
        """It put a working package somewhere (rather than refusing or failing)."""
        return self.cell.observation.command.exit_code == 0 and self.verdict in (
            Verdict.CONFORMS,
            Verdict.DIFFERS,
        )


@dataclass(frozen=True)
class Advice:
    """For one target and account: the spellings that work as pip's rules say, differ, fail or break."""

    target: str
    account: str
    fixture: str
    choices: list[Choice]

    @property
    def groups(self) -> list[tuple[str, list[Choice]]]:
        """The choices under what they mean for the reader, best first; empty groups left out."""
        titles = {
            "installs": "Installs as pip's rules say",
            "differs": "Installs, but not as pip would",
            "refused": "Does not install here",
            "breaks": "Breaks: do not use",
        }
        grouped: dict[str, list[Choice]] = {}
        for choice in self.choices:
            grouped.setdefault(choice.kind, []).append(choice)
        return [(title, grouped[kind]) for kind, title in titles.items() if kind in grouped]


@dataclass(frozen=True)
class Departure:
    """Rows where a spelling's verdict is not pip's, by the pair of verdicts, with one example cell."""

    pip: Verdict
    this: Verdict
    rows: int
    example: Cell


@dataclass(frozen=True)
class SpellingSummary:
    """Where one spelling departs from pip over the whole document."""

    spelling: str
    compared: int  # rows that have both this spelling and pip
    departures: list[Departure]

    @property
    def departing(self) -> int:
        return sum(d.rows for d in self.departures)


def _preference(choice: Choice) -> tuple[int, int, int]:
    # Installs first, then the better verdict, then "for myself" (the user scheme) over system-wide.
    for_me = choice.cell.expectation.scheme == choice.cell.facts.get("user_scheme")
    return (0 if choice.installs else 1, choice.verdict.rank, 0 if for_me else 1)


def _plain(choices: list[Choice]) -> list[Choice]:
    """The choices run with no more environment than the spelling's own: advice shows the command alone,
    so a row that also needed ``PIP_USER=1`` or ``PYTHONUSERBASE`` would not be the whole story."""
    least = min((c.cell.environment for c in choices), key=len)
    return [c for c in choices if c.cell.environment == least]


def advise(table: TargetTable) -> list[Advice]:
    """Per account, each spelling's best command among the rows of the target as it comes (no venv, nothing
    installed at set-up), for the commonest fixture."""
    fixture = Counter(row[2] for row in table.rows).most_common(1)[0][0] if table.rows else ""
    by_account: dict[str, dict[str, list[Choice]]] = {}
    for (account, _, row_fixture), cells in table.rows.items():
        by_account.setdefault(account, {})
        for spelling, cell in cells.items():
            if row_fixture != fixture or cell.expectation.outcome in (Outcome.UNINSTALL, Outcome.FIND):
                continue
            # Advice is for a target as it comes: not a venv, not one where set-up installed something first.
            if cell.facts.get("in_venv") or cell.observation.setup:
                continue
            by_account[account].setdefault(spelling, []).append(Choice(spelling, cell))
    return [
        Advice(
            table.target,
            account,
            fixture,
            sorted(
                (min(_plain(choices), key=_preference) for choices in spellings.values()),
                key=lambda c: (_preference(c), table.columns.index(c.spelling)),
            ),
        )
        for account, spellings in by_account.items()
    ]


def summarize(tables: list[TargetTable]) -> list[SpellingSummary]:
    """For each spelling but pip: on how many rows its verdict is not pip's, grouped by the verdict pair."""
    columns = list(dict.fromkeys(s for t in tables for s in t.columns if s != BASELINE))
    summaries = []
    for spelling in columns:
        pairs: Counter[tuple[Verdict, Verdict]] = Counter()
        examples: dict[tuple[Verdict, Verdict], Cell] = {}
        compared = 0
        for table in tables:
            for cells in table.rows.values():
                if spelling not in cells or BASELINE not in cells:
                    continue
                compared += 1
                pair = (cells[BASELINE].verdict, cells[spelling].verdict)
                if pair[0] != pair[1]:
                    pairs[pair] += 1
                    examples.setdefault(pair, cells[spelling])
        departures = [Departure(p, t, n, examples[(p, t)]) for (p, t), n in pairs.most_common()]
        summaries.append(SpellingSummary(spelling, compared, departures))
    return summaries
