"""Cell coordinates: every catalogue cell of the given targets, in a stable order."""

from __future__ import annotations

from conformance.catalogue.scenarios import SCENARIOS
from conformance.matrix.cells import all_specs

NEXT_STAGE = {name for name, scenario in SCENARIOS.items() if scenario.next_stage}


def test_a_next_stage_is_a_container_targets_only() -> None:
    assert NEXT_STAGE
    container = all_specs(["debian-bookworm"])
    host = all_specs(["host-linux-cpython3.11"])
    assert {s.scenario for s in container} == set(SCENARIOS)
    assert {s.scenario for s in host} == set(SCENARIOS) - NEXT_STAGE


def test_the_order_is_stable() -> None:
    specs = all_specs(["debian-trixie", "debian-bookworm"])
    assert specs == sorted(specs) == all_specs(["debian-bookworm", "debian-trixie"])
