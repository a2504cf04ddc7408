"""The cell record survives matrix.json: every nested record and vocabulary value comes back typed."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.record.cell import (
    Cell,
    CommandRun,
    Coordinates,
    Expectation,
    FileChange,
    ImportCheck,
    Judgement,
    Observation,
    ScriptCheck,
)
from conformance.vocabulary import Change, FileRole, Outcome, Verdict
from tests.report.records import varied

_text = st.text(max_size=12)
_maybe_text = st.none() | _text
# matrix.json keeps a cell's seconds to the millisecond.
_seconds = st.integers(0, 10**7).map(lambda n: n / 1000)
_commands = st.builds(
    CommandRun,
    argv=st.lists(_text, max_size=3),
    exit_code=st.integers(-15, 255),
    seconds=_seconds,
    stdout=_text,
    stderr=_text,
    error_class=_maybe_text,
    error_excerpt=_maybe_text,
)
_changes = st.builds(
    FileChange,
    path=_text,
    change=st.sampled_from(Change),
    type=st.sampled_from(["file", "dir", "symlink"]),
    slots=st.lists(_text, max_size=2),
    mode=st.none() | st.integers(0, 0o7777),
    size=st.none() | st.integers(0, 10**9),
    sha256=_maybe_text,
    shebang=_maybe_text,
)
_observations = st.builds(
    Observation,
    command=_commands,
    files=st.lists(_changes, max_size=3),
    setup=st.lists(_commands, max_size=2),
    imports=st.lists(
        st.builds(
            ImportCheck,
            who=st.sampled_from(["same", "other", "same -s"]),
            account=_text,
            ok=st.booleans(),
            file=_maybe_text,
            error=_maybe_text,
            metadata_version=_maybe_text,
        ),
        max_size=3,
    ),
    scripts=st.lists(
        st.builds(
            ScriptCheck,
            name=_text,
            path=_maybe_text,
            shebang=_maybe_text,
            exit_code=st.none() | st.integers(-15, 255),
            output=_maybe_text,
            on_login_path=st.none() | st.booleans(),
        ),
        max_size=2,
    ),
    installed=st.lists(_changes, max_size=3),
    project=st.none() | _commands,
)
_cells = st.builds(
    Cell,
    spec=st.builds(Coordinates, _text, _text, _text, _text, _text),
    installer=_text,
    installer_version=_maybe_text,
    command=st.lists(_text, max_size=4),
    environment=st.dictionaries(_text, _text, max_size=2),
    facts=st.dictionaries(_text, st.none() | st.booleans() | st.integers() | _text, max_size=3),
    expectation=st.builds(
        Expectation,
        outcome=st.sampled_from(Outcome),
        reason=_text,
        scheme=_maybe_text,
        error_class=_maybe_text,
    ),
    observation=_observations,
    judgement=st.builds(
        Judgement,
        verdict=st.sampled_from(Verdict),
        reasons=st.lists(_text, max_size=2),
        roles=st.dictionaries(_text, st.sampled_from(FileRole), max_size=3),
        landing=st.dictionaries(_text, st.lists(_text, max_size=2), max_size=2),
    ),
    seconds=_seconds,
    expected_verdict=st.none() | st.sampled_from(Verdict),
    timing=st.dictionaries(_text, st.floats(allow_nan=False, allow_infinity=False), max_size=2),
    test_outcome=st.none() | st.sampled_from(["passed", "failed"]),
)


def _through_json(cell: Cell) -> Cell:
    return Cell.from_json(json.loads(json.dumps(cell.to_json(), sort_keys=True)))


def _assert_typed(cell: Cell) -> None:
    """Equality alone cannot tell: a vocabulary value also equals its plain string."""
    assert type(cell.spec) is Coordinates
    assert type(cell.verdict) is Verdict
    assert cell.expected_verdict is None or type(cell.expected_verdict) is Verdict
    assert type(cell.expectation.outcome) is Outcome
    assert all(type(role) is FileRole for role in cell.judgement.roles.values())
    changes = [*cell.observation.files, *cell.observation.installed]
    assert all(type(change.change) is Change for change in changes)


@pytest.mark.property
@settings(max_examples=150, deadline=None)
@given(cell=_cells)
def test_any_cell_round_trips(cell: Cell) -> None:
    back = _through_json(cell)
    assert back == cell
    _assert_typed(back)


@pytest.mark.parametrize("cell", varied(), ids=lambda c: c.id)
def test_the_report_tests_cells_round_trip(cell: Cell) -> None:
    back = _through_json(cell)
    assert back == cell
    _assert_typed(back)


def test_the_record_is_flat_as_matrix_json_has_it() -> None:
    [cell] = [c for c in varied() if c.spec.spelling == "uv-user"]
    record = cell.to_json()
    assert record["id"] == cell.id == "debian-bookworm/user/explicit-user-bsp/demo-pkg/uv-user"
    assert (record["target"], record["spelling"], record["verdict"]) == (
        "debian-bookworm",
        "uv-user",
        "refuses",
    )
    assert record["reasons"] == cell.judgement.reasons
    assert "spec" not in record and "judgement" not in record
    assert record["observation"]["command"]["exit_code"] == 2


def test_a_record_missing_a_field_is_refused() -> None:
    record = varied()[0].to_json()
    del record["observation"]["command"]
    with pytest.raises(KeyError):
        Cell.from_json(record)


def test_an_unknown_verdict_is_refused() -> None:
    record = {**varied()[0].to_json(), "verdict": "works"}
    with pytest.raises(ValueError, match="'works' is not a valid Verdict"):
        Cell.from_json(record)


def test_a_record_from_before_syncing_spellings_has_no_project() -> None:
    record = varied()[0].to_json()
    del record["observation"]["project"]
    assert Cell.from_json(record).observation.project is None
