"""Cell coordinates: every (target, account, scenario, fixture, spelling) of the catalogue, sorted."""

from __future__ import annotations

from dataclasses import dataclass

from conformance.catalogue.accounts import ACCOUNTS
from conformance.catalogue.fixtures import rows_of
from conformance.catalogue.installers import SPELLINGS, Spelling, spellings_for
from conformance.catalogue.scenarios import SCENARIOS
from conformance.catalogue.targets import TARGETS
from conformance.record.cell import Coordinates


@dataclass(frozen=True, order=True)
class CellSpec(Coordinates):
    """A cell's coordinates, resolved against the catalogue (records keep plain ``Coordinates``)."""

    def resolve_spelling(self) -> Spelling:
        intent = SCENARIOS[self.scenario].intent
        return next(s for s in SPELLINGS if s.name == self.spelling and s.intent == intent)


def all_specs(targets: list[str]) -> list[CellSpec]:
    """Every cell of the catalogue for the given targets (a next stage only on container targets), in a
    stable order."""
    specs = []
    for target in targets:
        for account in ACCOUNTS:
            for scenario in SCENARIOS.values():
                if scenario.next_stage and target not in TARGETS:
                    continue  # a machine's own interpreter has no fresh copy of itself to copy into
                for fixture in rows_of(scenario):
                    for spelling in spellings_for(scenario, fixture):
                        specs.append(CellSpec(target, account, scenario.name, fixture, spelling.name))
    return sorted(specs)
