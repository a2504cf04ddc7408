"""Expected landing paths come from sysconfig, with pip's headers rule."""

from __future__ import annotations

import posixpath
from collections.abc import Callable

from conformance.catalogue.fixtures import all_fixtures
from conformance.judge.layout import dist_layout, headers_dir
from conformance.run.facts import InterpreterFacts


def test_every_member_lands_below_its_key(host_facts: InterpreterFacts) -> None:
    # headers_dir has its own tests: here every other key must be plain sysconfig paths.
    scheme = host_facts.preferred_user
    paths = host_facts.schemes[scheme]
    layout = dist_layout(all_fixtures()["demo-pkg"], host_facts, scheme)
    for path, member in layout.members.items():
        key, rel = member.split(":", 1)
        base = headers_dir(host_facts, scheme, "demo-pkg") if key == "headers" else paths[key]
        assert path == posixpath.join(base, rel)
    assert layout.scripts == {"demo-cli": posixpath.join(paths["scripts"], "demo-cli")}
    assert layout.dist_info_dir == posixpath.join(paths["purelib"], "demo_pkg-1.0.dist-info")


def test_platlib_wheel_roots_in_platlib(host_facts: InterpreterFacts) -> None:
    layout = dist_layout(all_fixtures()["demo-plat"], host_facts, host_facts.preferred_user)
    assert layout.lib_dir == posixpath.normpath(host_facts.schemes[host_facts.preferred_user]["platlib"])


def test_headers_outside_a_venv_use_the_typed_name(
    host_facts: InterpreterFacts, facts_with: Callable[..., InterpreterFacts]
) -> None:
    facts = facts_with(host_facts, in_venv=False)
    include = facts.schemes[facts.preferred_user]["include"]
    assert headers_dir(facts, facts.preferred_user, "Demo.Pkg") == posixpath.join(include, "Demo.Pkg")


def test_headers_in_a_venv_go_below_the_user_base(
    host_facts: InterpreterFacts, facts_with: Callable[..., InterpreterFacts]
) -> None:
    facts = facts_with(host_facts, in_venv=True)
    expected = posixpath.join(facts.user_base, "include", "site", f"python{facts.version_short}", "demo-pkg")
    assert headers_dir(facts, facts.preferred_user, "demo-pkg") == expected


def test_generated_files_are_dist_info_and_bytecode(host_facts: InterpreterFacts) -> None:
    layout = dist_layout(all_fixtures()["demo-pkg"], host_facts, host_facts.preferred_user)
    package = posixpath.dirname(next(p for p in layout.members if p.endswith("__init__.py")))
    assert layout.owns_generated(posixpath.join(layout.dist_info_dir, "INSTALLER"))
    assert layout.owns_generated(posixpath.join(package, "__pycache__", "__init__.cpython-311.pyc"))
    assert not layout.owns_generated(posixpath.join(package, "stray.txt"))
    # Another distribution's module beside the package's own has its bytecode in the same __pycache__.
    assert not layout.owns_generated(posixpath.join(package, "__pycache__", "other.cpython-311.pyc"))
