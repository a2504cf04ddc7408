"""The command line's grammar: optparse's forms, pip's option names and wording, help and version."""

from __future__ import annotations

import io
from typing import Any

import pytest

from conformance.reference.argv import COMMANDS, UsageError, parse, parse_options


def values(*argv: str) -> tuple[str, dict[str, Any]]:
    command, parsed = parse(list(argv), io.StringIO())
    return command.name, parsed


def test_defaults_are_what_nothing_set() -> None:
    name, parsed = values("install")
    assert name == "install"
    assert parsed == {**COMMANDS["install"].defaults, "requirements": []}
    assert parsed["use_user_site"] is None and parsed["compile"] is True


def test_options_anywhere_among_the_arguments() -> None:
    _, parsed = values("install", "a", "--user", "-f", "/w", "b", "--find-links=/x", "--no-compile")
    assert parsed["requirements"] == ["a", "b"]
    assert parsed["use_user_site"] is True
    assert parsed["find_links"] == ["/w", "/x"]
    assert parsed["compile"] is False


def test_the_last_of_user_and_no_user_wins() -> None:
    assert values("install", "--user", "--no-user")[1]["use_user_site"] is False
    assert values("install", "--no-user", "--user")[1]["use_user_site"] is True


def test_short_options_cluster_and_take_attached_values() -> None:
    _, parsed = values("install", "-Uf", "/w", "-t/t", "x")
    assert parsed["upgrade"] is True
    assert parsed["find_links"] == ["/w"]
    assert parsed["target"] == "/t"
    assert parsed["requirements"] == ["x"]


def test_unique_prefixes_of_long_options() -> None:
    _, parsed = values("install", "--force", "--break", "--find=/w")
    assert parsed["force_reinstall"] is True
    assert parsed["break_system_packages"] is True
    assert parsed["find_links"] == ["/w"]


def test_double_dash_ends_the_options() -> None:
    assert values("install", "--", "--user")[1]["requirements"] == ["--user"]


def test_defaults_are_not_shared_between_parses() -> None:
    values("install", "-f", "/w")
    assert values("install")[1]["find_links"] == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["install", "--frobnicate"], "no such option: --frobnicate"),
        (["install", "-z"], "no such option: -z"),
        (
            ["install", "--no"],
            "ambiguous option: --no (--no-cache-dir, --no-compile, --no-dependencies, --no-deps, --no-index, "
            "--no-user, --no-warn-script-location?)",
        ),
        # optparse counts two spellings of one option as two possibilities, as pip shows.
        (["install", "--no-dep"], "ambiguous option: --no-dep (--no-dependencies, --no-deps?)"),
        (["install", "--find-links"], "--find-links option requires 1 argument"),
        (["install", "-f"], "-f option requires 1 argument"),
        (["install", "--user=yes"], "--user option does not take a value"),
        (["list", "extra"], "unexpected arguments: extra"),
        (["frobnicate"], 'unknown command "frobnicate"'),
        ([], "a command is required: install, uninstall, list, freeze, show"),
        (["--frobnicate"], "no such option: --frobnicate"),
    ],
)
def test_usage_errors_in_pips_words(argv: list[str], message: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse(argv, io.StringIO())
    assert str(caught.value) == message


@pytest.mark.parametrize("argv", [["--help"], ["-h"], ["--he"]])
def test_main_help(argv: list[str]) -> None:
    out = io.StringIO()
    with pytest.raises(SystemExit) as caught:
        parse(argv, out)
    assert caught.value.code == 0
    text = out.getvalue()
    assert text.startswith("usage: reference [-h] [--version] COMMAND ...")
    assert all(f"  {name} " in text for name in COMMANDS)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_command_help_lists_every_option(command: str) -> None:
    out = io.StringIO()
    with pytest.raises(SystemExit) as caught:
        parse([command, "x", "--help"], out)
    assert caught.value.code == 0
    text = out.getvalue()
    assert text.startswith(f"usage: reference {command} [options]")
    assert all(name in text for option in COMMANDS[command].options for name in option.names)


def test_version() -> None:
    out = io.StringIO()
    with pytest.raises(SystemExit) as caught:
        parse(["--version"], out)
    assert caught.value.code == 0
    assert out.getvalue().startswith("conformance-reference ")


def test_quiet_and_verbose_count_up_in_any_form() -> None:
    _, parsed = values("install", "-q", "-qq", "--quiet", "-v", "--verb", "x")
    assert (parsed["quiet"], parsed["verbose"]) == (4, 2)
    _, parsed = values("uninstall", "-vvv", "x")
    assert parsed["verbose"] == 3
    assert values("list", "-q")[1]["quiet"] == 1


def test_counts_start_from_the_defaults_given() -> None:
    command = COMMANDS["install"]
    parsed = parse_options(command, ["-v"], {**command.defaults, "verbose": 2}, io.StringIO())
    assert parsed["verbose"] == 3


def test_the_install_options_people_type_with_user() -> None:
    _, parsed = values(
        "install",
        "--user",
        "-U",
        "--force-reinstall",
        "--no-deps",
        "--no-warn-script-location",
        "--no-cache-dir",
        "-r",
        "a.txt",
        "--requirement=b.txt",
        "-rc.txt",
    )
    assert parsed["upgrade"] is True
    assert parsed["force_reinstall"] is True
    assert parsed["ignore_dependencies"] is True
    assert parsed["warn_script_location"] is False
    assert parsed["no_cache_dir"] is True
    assert parsed["requirement_files"] == ["a.txt", "b.txt", "c.txt"]
    assert values("install", "--no-dependencies")[1]["ignore_dependencies"] is True


def test_messages_name_the_option_in_full() -> None:
    with pytest.raises(UsageError, match=r"^--no-warn-script-location option does not take a value$"):
        parse(["install", "--no-warn=1"], io.StringIO())
    with pytest.raises(UsageError, match=r"^--requirement option requires 1 argument$"):
        parse(["install", "--req"], io.StringIO())
