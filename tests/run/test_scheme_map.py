"""Paths are mapped to the slots of the interpreter's own schemes, longest directory first."""

from __future__ import annotations

import posixpath

from conformance.run.facts import InterpreterFacts
from conformance.run.scheme_map import map_path


def test_a_module_in_the_user_site_maps_to_purelib_and_platlib(host_facts: InterpreterFacts) -> None:
    user = host_facts.schemes[host_facts.preferred_user]
    slots = map_path(posixpath.join(user["purelib"], "pkg", "__init__.py"), host_facts)
    assert f"{host_facts.preferred_user}:purelib" in slots
    assert all(not s.endswith(":data") for s in slots)


def test_a_script_maps_to_scripts_not_to_data(host_facts: InterpreterFacts) -> None:
    user = host_facts.schemes[host_facts.preferred_user]
    assert map_path(posixpath.join(user["scripts"], "tool"), host_facts) == [
        f"{host_facts.preferred_user}:scripts"
    ]


def test_headers_are_named_headers(host_facts: InterpreterFacts) -> None:
    include = host_facts.schemes[host_facts.preferred_user]["include"]
    assert f"{host_facts.preferred_user}:headers" in map_path(
        posixpath.join(include, "dist", "x.h"), host_facts
    )


def test_outside_every_scheme_is_empty(host_facts: InterpreterFacts) -> None:
    assert map_path("/nonexistent-root-for-test/file", host_facts) == []


def test_only_this_platforms_schemes_are_reported(host_facts: InterpreterFacts) -> None:
    assert not any(name.startswith("nt") for name in host_facts.schemes)
