"""pip's installation order: leaves first round by round, names descending within a round, cycles broken."""

from __future__ import annotations

from conformance.reference.order import installation_order, topological_weights


def test_a_dependency_comes_before_its_dependent() -> None:
    graph = {None: {"app"}, "app": {"base"}}
    assert installation_order(graph, ["app", "base"]) == ["base", "app"]


def test_independent_projects_go_by_name_descending() -> None:
    # pip: "Installing collected packages: demo-pkg, demo-base" for "install demo-base demo-pkg".
    graph: dict[str | None, set[str]] = {None: {"demo-base", "demo-pkg"}}
    assert installation_order(graph, ["demo-base", "demo-pkg"]) == ["demo-pkg", "demo-base"]


def test_rounds_of_leaves() -> None:
    # pip 26.3 for demo-pkg, demo-app (needs demo-base) and demo-plat.
    graph = {None: {"demo-pkg", "demo-app", "demo-plat"}, "demo-app": {"demo-base"}}
    keys = ["demo-pkg", "demo-app", "demo-plat", "demo-base"]
    assert installation_order(graph, keys) == ["demo-plat", "demo-pkg", "demo-base", "demo-app"]


def test_projects_not_installed_still_shape_the_rounds() -> None:
    # "aa" is satisfied by an installed copy: it is in the graph but gets no weight.
    graph = {None: {"aa", "zz"}, "aa": {"bb"}, "bb": {"cc"}}
    assert installation_order(graph, ["zz", "bb", "cc"]) == ["zz", "cc", "bb"]


def test_a_requires_python_node_delays_its_project_by_a_round() -> None:
    graph = {None: {"aaa", "zzz"}, "aaa": {"<Python from Requires-Python>"}}
    assert installation_order(graph, ["aaa", "zzz"]) == ["zzz", "aaa"]


def test_cycles_are_weighed_by_depth() -> None:
    graph = {None: {"a"}, "a": {"b"}, "b": {"a"}}
    weights = topological_weights(graph, {"a", "b"})
    assert weights == {"a": 1, "b": 2}
    assert installation_order(graph, ["a", "b"]) == ["b", "a"]


def test_only_keys_get_weights() -> None:
    graph = {None: {"a", "b"}, "a": {"c"}}
    assert set(topological_weights(graph, {"a"})) == {"a"}
