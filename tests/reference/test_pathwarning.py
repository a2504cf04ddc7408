"""pip's warning for console scripts outside PATH: grouping, wording, PATH matching, the tilde note."""

from __future__ import annotations

import os
from pathlib import Path

from conformance.reference.pathwarning import message_about_scripts_not_on_path

CONSIDER = (
    "Consider adding this directory to PATH or, if you prefer to suppress this warning, use "
    "--no-warn-script-location."
)


def test_no_scripts_no_message(tmp_path: Path) -> None:
    assert message_about_scripts_not_on_path([], (), str(tmp_path / "python")) is None


def test_one_script_in_a_directory_not_on_path(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    message = message_about_scripts_not_on_path(
        [str(bin_dir / "demo-cli")], ("/usr/bin",), "/usr/bin/python3"
    )
    assert message == f"The script demo-cli is installed in '{bin_dir}' which is not on PATH.\n{CONSIDER}"


def test_several_scripts_are_listed_sorted(tmp_path: Path) -> None:
    scripts = [str(tmp_path / name) for name in ("zeta", "alpha", "mid")]
    message = message_about_scripts_not_on_path(scripts, (), "/usr/bin/python3")
    assert message is not None
    assert message.splitlines()[0] == (
        f"The scripts alpha, mid and zeta are installed in '{tmp_path}' which is not on PATH."
    )


def test_two_directories_say_these_directories(tmp_path: Path) -> None:
    scripts = [str(tmp_path / "a" / "one"), str(tmp_path / "b" / "two")]
    message = message_about_scripts_not_on_path(scripts, (), "/usr/bin/python3")
    assert message is not None
    lines = message.splitlines()
    assert len(lines) == 3
    assert lines[2].startswith("Consider adding these directories to PATH")


def test_a_directory_on_path_as_written_or_resolved_does_not_warn(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    script = str(real / "demo-cli")
    assert message_about_scripts_not_on_path([script], (str(real),), "/usr/bin/python3") is None
    assert message_about_scripts_not_on_path([script], (str(link),), "/usr/bin/python3") is None


def test_the_interpreters_own_directory_does_not_warn(tmp_path: Path) -> None:
    venv_bin = tmp_path / "venv" / "bin"
    message = message_about_scripts_not_on_path([str(venv_bin / "demo-cli")], (), str(venv_bin / "python"))
    assert message is None


def test_an_unset_path_stands_for_the_working_directory() -> None:
    # pip splits "" into [""], which resolves to the working directory.
    cwd = Path.cwd()
    assert message_about_scripts_not_on_path([str(cwd / "x")], ("",), "/usr/bin/python3") is None


def test_tilde_in_path_adds_a_note(tmp_path: Path) -> None:
    message = message_about_scripts_not_on_path(
        [str(tmp_path / "demo-cli")], ("~/bin", "/usr/bin"), "/usr/bin/python3"
    )
    assert message is not None
    assert message.splitlines()[-1] == (
        "NOTE: The current PATH contains path(s) starting with `~`, which may not be expanded by all "
        "applications."
    )


def test_paths_are_split_by_the_platform_separator() -> None:
    from conformance.reference.environment import gather

    env = gather({"PATH": os.pathsep.join(["/a", "/b"])})
    assert env.path_entries == ("/a", "/b")
    assert gather({}).path_entries == ("",)
