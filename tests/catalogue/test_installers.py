"""The installer catalogue is consistent: every placeholder known, every scenario has columns."""

from __future__ import annotations

import string

from conformance.catalogue.installers import INSTALLERS, PLACEHOLDERS, SPELLINGS, spellings_for
from conformance.catalogue.scenarios import SCENARIOS, Action


def _fields(parts: tuple[str, ...]) -> set[str]:
    return {f for part in parts for _, f, _, _ in string.Formatter().parse(part) if f}


def test_templates_use_only_known_placeholders() -> None:
    for spelling in SPELLINGS:
        used = (
            _fields(spelling.install)
            | _fields(spelling.uninstall or ())
            | _fields(spelling.installer.source_args)
        )
        assert used <= set(PLACEHOLDERS), spelling


def test_every_scenario_has_spellings_of_every_installer() -> None:
    for scenario in SCENARIOS.values():
        installers = {s.installer.name for s in spellings_for(scenario)}
        assert installers == set(INSTALLERS), scenario.name


def test_uninstall_scenarios_only_take_spellings_that_can_uninstall() -> None:
    for scenario in (s for s in SCENARIOS.values() if s.action == Action.UNINSTALL):
        assert all(s.uninstall is not None for s in spellings_for(scenario))


def test_spelling_names_are_unique_per_intent() -> None:
    keys = [(s.name, s.intent) for s in SPELLINGS]
    assert len(keys) == len(set(keys))
