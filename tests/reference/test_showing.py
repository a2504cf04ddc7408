"""``show``: pip's fields, Requires and Required-by, missing names, and the exit status."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from conformance.reference.commands import run_show
from conformance.reference.environment import Environment
from conformance.reference.showing import format_blocks, search

MakeEnv = Callable[..., Environment]


def _dist_info(site: Path, dir_name: str, metadata: str, **files: str) -> None:
    info = site / dir_name
    info.mkdir(parents=True)
    (info / "METADATA").write_text(metadata)
    for name, text in files.items():
        (info / name.replace("_txt", ".txt")).write_text(text)


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    _dist_info(
        site,
        "app-1.0.dist-info",
        "Metadata-Version: 2.4\nName: App\nVersion: 1.0\nSummary: An app\nAuthor: Ann\n"
        "Author-email: ann@example.com\nLicense: MIT text\nLicense-Expression: MIT\n"
        "Project-URL: Source, https://src\nProject-URL: Home_Page, https://home\nClassifier: A :: B\n"
        "Requires-Dist: Zlib\nRequires-Dist: base>=1\nRequires-Dist: base; python_version>'3'\n"
        "Requires-Dist: win; sys_platform == 'nowhere'\nRequires-Dist: opt; extra == 'x'\n",
        INSTALLER="\n  pip  \n",
        entry_points_txt="[console_scripts]\napp = app:main\n",
    )
    _dist_info(
        site,
        "base-2.0.dist-info",
        "Metadata-Version: 2.1\nName: Base\nVersion: 2.0\nHome-page: https://base\nLicense: BSD\n"
        "License-Expression: ignored before 2.4\n",
    )
    _dist_info(
        site, "tool-1.0.dist-info", "Metadata-Version: 2.1\nName: tool\nVersion: 1.0\nRequires-Dist: BASE\n"
    )
    return site


def test_blocks_like_pip(make_env: MakeEnv, tmp_path: Path) -> None:
    site = _site(tmp_path)
    found = search(make_env(sys_path=(str(site),)), ["app", "Nope", "base", "a-b"])
    assert found.missing == ["Nope", "a-b"]
    assert format_blocks(found.shown, verbose=False) == [
        "Name: App",
        "Version: 1.0",
        "Summary: An app",
        "Home-page: https://home",  # the Project-URL whose label normalises to "homepage"
        "Author: Ann",
        "Author-email: ann@example.com",
        "License-Expression: MIT",
        f"Location: {site}",
        "Requires: base, Zlib",  # deduplicated, case-insensitively sorted, for no extra
        "Required-by: ",
        "---",
        "Name: Base",
        "Version: 2.0",
        "Summary: ",
        "Home-page: https://base",
        "Author: ",
        "Author-email: ",
        "License: BSD",  # License-Expression counts from Metadata-Version 2.4 on
        f"Location: {site}",
        "Requires: ",
        "Required-by: App, tool",
    ]


def test_verbose_fields(make_env: MakeEnv, tmp_path: Path) -> None:
    found = search(make_env(sys_path=(str(_site(tmp_path)),)), ["app"])
    assert format_blocks(found.shown, verbose=True)[10:] == [
        "Metadata-Version: 2.4",
        "Installer: pip",
        "Classifiers:",
        "  A :: B",
        "Entry-points:",
        "  [console_scripts]",
        "  app = app:main",
        "Project-URLs:",
        "  Source, https://src",
        "  Home_Page, https://home",
    ]


def test_invalid_requirement_anywhere(make_env: MakeEnv, tmp_path: Path) -> None:
    site = _site(tmp_path)
    _dist_info(
        site, "bad-1.0.dist-info", "Metadata-Version: 2.1\nName: bad\nVersion: 1.0\nRequires-Dist: ==oops\n"
    )
    found = search(make_env(sys_path=(str(site),)), ["bad", "base"])
    # pip lists an unparsable Requires-Dist raw, and then cannot tell any project's dependents.
    assert [(s.requires, s.required_by) for s in found.shown] == [(["==oops"], ["#N/A"]), ([], ["#N/A"])]


def test_exit_status_and_warnings(make_env: MakeEnv, tmp_path: Path) -> None:
    env = make_env(sys_path=(str(_site(tmp_path)),))
    for names, status, stderr in [
        ((), 1, "WARNING: ERROR: Please provide a package name or names.\n"),
        (("zz", "Nope"), 1, "WARNING: Package(s) not found: Nope, zz\n"),
        (("tool", "nope"), 0, "WARNING: Package(s) not found: nope\n"),
    ]:
        out, err = io.StringIO(), io.StringIO()
        assert run_show(names, env=env, out=out, err=err) == status
        assert err.getvalue() == stderr
        assert out.getvalue().startswith("Name: tool\n") == (status == 0)
    quiet = io.StringIO()
    assert run_show(("tool",), env=env, out=quiet, err=io.StringIO(), verbosity=-1) == 0
    assert quiet.getvalue() == ""  # pip logs the blocks at INFO
