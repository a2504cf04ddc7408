"""``list [--user]``: the distributions pip's ``list`` shows, in pip's column format."""

from __future__ import annotations

from itertools import zip_longest

from .environment import Environment
from .installed import InstalledDist, in_usersite, iter_installed


def distributions(env: Environment, *, user_only: bool) -> list[InstalledDist]:
    """Distributions on the search path (only the user site's with ``user_only``), by project name."""
    found = (d for d in iter_installed(env.sys_path) if not user_only or in_usersite(d, env))
    return sorted(found, key=lambda d: d.canonical)


def format_columns(dists: list[InstalledDist]) -> list[str]:
    """pip's ``tabulate``: a Package/Version header, a dashed rule, then left-aligned rows."""
    if not dists:
        return []
    rows = [("Package", "Version"), *((d.name, d.version) for d in dists)]
    sizes = [max(map(len, column)) for column in zip_longest(*rows, fillvalue="")]
    table = [
        " ".join(cell.ljust(size) for cell, size in zip(row, sizes, strict=True)).rstrip() for row in rows
    ]
    return [table[0], " ".join("-" * size for size in sizes), *table[1:]]
