"""``list`` and ``freeze``: pip's formats, its skips and order, and the user-site filter."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from conformance.reference.commands import InstallOptions, run_freeze, run_install, run_list
from conformance.reference.environment import Environment
from conformance.reference.installed import InstalledDist
from conformance.reference.listing import Frozen, dev_projects, distributions, format_columns, freeze

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


def _dist_info(site: Path, dir_name: str, metadata: str, **files: str) -> None:
    info = site / dir_name
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\n{metadata}")
    for name, text in files.items():
        (info / name.replace("_json", ".json")).write_text(text)


def test_freeze_like_pip(make_env: MakeEnv, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    _dist_info(first, "zed-1.0.dist-info", "Name: Zed\nVersion: 1.0\n")
    _dist_info(first, "alpha-1.0.dist-info", "Name: alpha\nVersion: 1.0\n")
    # The version in the directory name wins, normalised; one that is not PEP 440 comes raw, with ===.
    _dist_info(first, "beta-01.0a1.dist-info", "Name: Beta\nVersion: 01.0-alpha1\n")
    _dist_info(first, "odd-nonsense.dist-info", "Name: odd\nVersion: 1.0\n")
    _dist_info(first, "wsgiref-0.1.dist-info", "Name: wsgiref\nVersion: 0.1\n")
    for project in ("pip", "setuptools", "wheel"):
        _dist_info(first, f"{project}-9.dist-info", f"Name: {project}\nVersion: 9\n")
    _dist_info(second, "alpha-2.0.dist-info", "Name: alpha\nVersion: 2.0\n")  # hidden by the first
    env = make_env(sys_path=(str(first), str(second)), version=(3, 11))
    expected = ["alpha==1.0", "Beta==1.0a1", "odd===1.0", "Zed==1.0"]
    assert freeze(env, user_only=False, freeze_all=False) == Frozen(expected, [])
    everything = ["alpha==1.0", "Beta==1.0a1", "odd===1.0", "pip==9", "setuptools==9", "wheel==9", "Zed==1.0"]
    assert freeze(env, user_only=False, freeze_all=True).lines == everything
    newer = make_env(sys_path=(str(first), str(second)), version=(3, 12))
    assert freeze(newer, user_only=False, freeze_all=False).lines == [*everything[:3], *everything[4:]]


def test_freeze_direct_urls(make_env: MakeEnv, tmp_path: Path) -> None:
    site = tmp_path / "site"
    archive = '{"archive_info": {"hash": "sha256=ab", "hashes": {"sha256": "ab"}}, "url": "file:///w/a.whl"}'
    _dist_info(site, "a-1.0.dist-info", "Name: A\nVersion: 1.0\n", direct_url_json=archive)
    _dist_info(site, "b-1.0.dist-info", "Name: b\nVersion: 1.0\n", direct_url_json="{")
    env = make_env(sys_path=(str(site),))
    # pip reads a broken direct_url.json twice, so it warns twice, and pins the version instead.
    warning = "Error parsing direct_url.json for b: Expecting property name enclosed in double quotes"
    assert freeze(env, user_only=False, freeze_all=False) == Frozen(
        ["A @ file:///w/a.whl#sha256=ab", "b==1.0"], [f"{warning}: line 1 column 2 (char 1)"] * 2
    )
    out, err = io.StringIO(), io.StringIO()
    assert run_freeze(user_only=False, freeze_all=False, env=env, out=out, err=err, verbosity=-1) == 0
    assert (
        out.getvalue() == "A @ file:///w/a.whl#sha256=ab\nb==1.0\n"
    )  # -q hides neither: pip prints the lines itself
    assert err.getvalue().count("WARNING: Error parsing") == 2


def test_freeze_user_only(make_env: MakeEnv, wheelhouse: Path) -> None:
    env = make_env()
    run_install(
        InstallOptions(("demo-base",), find_links=(str(wheelhouse),)), env, io.StringIO(), io.StringIO()
    )
    wheel = str(wheelhouse / "demo_pkg-1.0-py3-none-any.whl")
    run_install(InstallOptions((wheel,), use_user_site=True), env, io.StringIO(), io.StringIO())
    user = freeze(env, user_only=True, freeze_all=False).lines
    assert len(user) == 1 and user[0].startswith("demo-pkg @ file:///") and "#sha256=" in user[0], user
    assert freeze(env, user_only=False, freeze_all=False).lines == ["demo-base==1.0", *user]
    assert dev_projects((3, 13)) == {"pip"}
