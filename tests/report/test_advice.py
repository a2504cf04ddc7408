"""What to type, per target and account, and where spellings depart from pip: read from the cells."""

from __future__ import annotations

from conformance.record.cell import Cell
from conformance.report.advice import advise, summarize
from conformance.report.table import target_tables
from conformance.vocabulary import Verdict
from tests.report.records import document, record, varied


def _advice(cells: list[Cell]) -> dict[tuple[str, str], list[tuple[str, list[str]]]]:
    tables = target_tables(document(cells))
    return {
        (a.target, a.account): [(title, [c.spelling for c in choices]) for title, choices in a.groups]
        for table in tables
        for a in advise(table)
    }


def test_each_account_gets_its_spellings_grouped_best_first() -> None:
    advice = _advice(varied())
    assert advice[("debian-bookworm", "user")] == [
        ("Installs as pip's rules say", ["pip"]),
        ("Installs, but not as pip would", ["uv-target", "reference"]),
        ("Does not install here", ["uv-user"]),
    ]
    assert advice[("debian-bookworm", "root")] == [("Installs as pip's rules say", ["pip", "reference"])]
    assert advice[("ubuntu-noble", "user")] == [("Installs as pip's rules say", ["pip", "uv-target"])]


def test_a_spelling_shows_its_best_cell_and_a_refusal_by_pips_rule_is_not_an_install() -> None:
    cells = [
        record(
            "pip", scenario="explicit-user", verdict="conforms", exit_code=1, error_class="externally-managed"
        ),
        record("pip", scenario="explicit-user-bsp"),
        record(
            "uv-system", scenario="implicit", verdict="conforms", exit_code=1, error_class="permission-denied"
        ),
        record("uv-prefix", scenario="implicit", verdict="broken"),
    ]
    (advice,) = [a for t in target_tables(document(cells)) for a in advise(t)]
    chosen = {c.spelling: c for c in advice.choices}
    assert chosen["pip"].cell.spec.scenario == "explicit-user-bsp"
    assert chosen["uv-system"].kind == "refused" and chosen["uv-system"].shown_as == Verdict.REFUSES
    assert chosen["uv-prefix"].kind == "breaks"
    assert [title for title, _ in advice.groups] == [
        "Installs as pip's rules say",
        "Does not install here",
        "Breaks: do not use",
    ]


def test_a_row_that_needed_more_environment_is_not_advice() -> None:
    # The command shown is the argv alone: PIP_USER=1 would be missing from it.
    cells = [
        record("pip", account="root", scenario="implicit", verdict="differs"),
        record("pip", account="root", scenario="pip-user-env", environment={"PIP_USER": "1"}),
    ]
    (advice,) = [a for t in target_tables(document(cells)) for a in advise(t)]
    assert [c.cell.spec.scenario for c in advice.choices] == ["implicit"]


def test_departures_from_pip_are_counted_by_verdict_pair_with_an_example() -> None:
    summaries = {s.spelling: s for s in summarize(target_tables(document(varied())))}
    assert "pip" not in summaries
    uv_target = summaries["uv-target"]
    assert (uv_target.compared, uv_target.departing) == (2, 1)
    (departure,) = uv_target.departures
    assert (departure.pip, departure.this, departure.rows) == (Verdict.CONFORMS, Verdict.DIFFERS, 1)
    assert departure.example.spec.target == "debian-bookworm"
    assert summaries["reference"].departing == 1  # differs on bookworm as user, agrees as root


def test_a_row_after_a_set_up_install_is_not_advice() -> None:
    # A system copy installed first is a question of its own, not the target as it comes.
    plain = record("uv-prefix", verdict="conforms")
    after = record("uv-prefix", scenario="system-copy-older", verdict="differs")
    after.observation.setup.append(after.observation.command)
    (advice,) = [a for t in target_tables(document([plain, after])) for a in advise(t)]
    assert [c.cell.spec.scenario for c in advice.choices] == ["explicit-user-bsp"]
