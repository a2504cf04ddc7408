"""pip's installation order: the resolver's graph weighted by ``get_topological_weights``, heaviest first."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

#: The graph's root: the parent of every requirement the user gave.
ROOT = None


def topological_weights(graph: Mapping[str | None, Iterable[str]], keys: set[str]) -> dict[str, int]:
    """pip's ``get_topological_weights``: leaves first, pruned round after round; cycles by depth.

    ``graph`` maps each node (ROOT included) to its children; only ``keys`` (the projects to install)
    get a weight. Each round of leaves weighs ``len(graph) - 1`` at that round, so a project is
    installed after every project it depends on, and a cycle is broken by how deep it is found.
    """
    children = {node: set(kids) for node, kids in graph.items()}
    for kids in list(children.values()):
        for kid in kids:
            children.setdefault(kid, set())
    weights: dict[str, list[int]] = {}
    while True:
        leaves = {node for node, kids in children.items() if node is not None and not kids}
        if not leaves:
            break
        weight = len(children) - 1
        for leaf in leaves:
            if leaf in keys:
                weights[leaf] = [weight]
        for leaf in leaves:
            del children[leaf]
        for kids in children.values():
            kids -= leaves
    path: set[str | None] = set()

    def visit(node: str | None) -> None:
        if node in path:
            return  # a cycle: broken here
        found = weights.get(node, []) if node is not None else []
        # pip caps the visits per node to keep densely connected graphs linear.
        if len(found) >= 5:
            return
        path.add(node)
        for kid in sorted(children.get(node, ())):  # sorted: pip's order here follows set hashing
            visit(kid)
        path.remove(node)
        if node is None or node not in keys:
            return
        found.append(len(path))
        weights[node] = found

    visit(ROOT)
    return {node: max(found) for node, found in weights.items()}


def installation_order(graph: Mapping[str | None, Iterable[str]], keys: Iterable[str]) -> list[str]:
    """pip's ``get_installation_order``: by (weight, name), both descending."""
    wanted = set(keys)
    weights = topological_weights(graph, wanted)
    return sorted(wanted, key=lambda key: (weights.get(key, 0), key), reverse=True)
