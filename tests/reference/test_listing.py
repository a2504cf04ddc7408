"""``list``: pip's column format and the user-site filter."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from conformance.reference.commands import InstallOptions, run_install, run_list
from conformance.reference.environment import Environment
from conformance.reference.installed import InstalledDist
from conformance.reference.listing import distributions, format_columns

MakeEnv = Callable[..., Environment]


def test_columns_like_pip(tmp_path: Path) -> None:
    dists = []
    for name, version in (("demo-pkg", "1.0"), ("a-much-longer-name", "10.2.3")):
        info = tmp_path / f"{name.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
        dists.append(InstalledDist(name, str(tmp_path), str(info)))  # type: ignore[arg-type]
    assert format_columns(dists) == [
        "Package            Version",
        "------------------ -------",
        "demo-pkg           1.0",
        "a-much-longer-name 10.2.3",
    ]
    assert format_columns([]) == []


def test_user_only(make_env: MakeEnv, wheelhouse: Path) -> None:
    env = make_env()
    for requirement, user in (("demo-pkg", True), ("demo-base", False)):
        opts = InstallOptions((requirement,), use_user_site=user, find_links=(str(wheelhouse),))
        run_install(opts, env, io.StringIO(), io.StringIO())
    assert [d.name for d in distributions(env, user_only=True)] == ["demo-pkg"]
    assert [d.name for d in distributions(env, user_only=False)] == ["demo-base", "demo-pkg"]
    out = io.StringIO()
    run_list(user_only=True, env=env, out=out)
    assert out.getvalue() == "Package  Version\n-------- -------\ndemo-pkg 1.0\n"
