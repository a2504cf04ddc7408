"""The conformance matrix: one test per cell, judged against the recorded expectations."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conformance.catalogue.accounts import Account
from conformance.catalogue.fixtures import user_packages
from conformance.catalogue.targets import TARGETS
from conformance.matrix.cells import CellSpec
from conformance.record.cell import Cell
from conformance.record.expectations import Expectations


def test_cell(
    cell_spec: CellSpec,
    cell_runner: Callable[[CellSpec], Cell],
    cell_account: Callable[[CellSpec], Account | None],
    expectations: Expectations,
    record_cell: Callable[[Cell], None],
    pytestconfig: pytest.Config,
) -> None:
    cell = cell_runner(cell_spec)
    cell.expected_verdict = expectations.get(cell_spec)
    record_cell(cell)
    account = cell_account(cell_spec)
    if account is not None:
        _check_account(cell, account)
    # A host row is this machine's, a wheelhouse row a person's own package: each is checked where its
    # verdicts were recorded, else only reported.
    recorded = cell.expected_verdict is not None or (cell_spec.target in TARGETS and not user_packages())
    if recorded and not pytestconfig.getoption("update_expectations"):
        expectations.check(cell)


def _check_account(cell: Cell, account: Account) -> None:
    """The kernel's word on who ran the cell's probe: the account's ids, no capabilities unless root."""
    proof = cell.facts["proof"]
    assert isinstance(proof, dict), proof
    assert proof["Uid"].split() == [str(account.uid)] * 4, proof
    assert proof["Gid"].split() == [str(account.gid)] * 4, proof
    if account.uid != 0:
        assert int(proof["CapEff"], 16) == 0, proof
