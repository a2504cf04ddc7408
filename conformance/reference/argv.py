"""The command line's grammar: pip's options for each command, parsed with pip's (optparse's) wording.

A small table-driven parser rather than argparse: importing argparse and building its parsers (with
the gettext catalogue lookup that comes with them) took about 8 ms in the bookworm target, a tenth of a
whole install. Like optparse, it takes options anywhere among the arguments, unique prefixes of long
options, ``--opt=value``, clustered short options and ``--`` to end the options.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from .. import __version__

PROG = "reference"

DESCRIPTION = """\
The reference implementation of user-scheme installs: pip's decision rules (--user, --no-user,
the fallback to the user scheme when site-packages is not writeable, refusals in a venv, with the
user site disabled, or under a PEP 668 marker) applied to wheels, without network access.

Honoured environment variables: PIP_<OPTION> for each long option a command has (PIP_USER,
PIP_NO_USER, PIP_BREAK_SYSTEM_PACKAGES, PIP_QUIET, PIP_NO_WARN_SCRIPT_LOCATION, ...), read as pip reads
them: boolean values for flags (PIP_NO_USER=1 means a user install, as in pip), counts for -q/-v,
space-separated lists for repeatable options. pip's configuration files (pip.conf, PIP_CONFIG_FILE)
are NOT read.
"""


#: The usage line of the whole command line.
USAGE = f"{PROG} [-h] [--version] COMMAND ..."


class UsageError(Exception):
    """A command line that does not parse: reported with the usage line, exit status 2."""

    def __init__(self, message: str, command: Command | None = None) -> None:
        super().__init__(message)
        self.command = command


@dataclass
class Option:
    """One option: its spellings, where its value goes, and how."""

    names: tuple[str, ...]  # "-f", "--find-links"
    dest: str
    action: str  # "true", "false", "count", "store" or "append"
    help: str
    metavar: str = ""

    @property
    def takes_value(self) -> bool:
        return self.action in ("store", "append")


@dataclass
class Command:
    """A subcommand: its options, its positional arguments, and the values nothing set."""

    name: str
    summary: str
    positional: str  # destination of the positional arguments
    metavar: str
    options: tuple[Option, ...]
    defaults: dict[str, Any] = field(default_factory=dict)
    with_help: bool = True  # False for a requirements file's lines, where pip has no -h

    @property
    def usage(self) -> str:
        return f"{PROG} {self.name} [options] {self.metavar}..."

    @property
    def _all(self) -> tuple[Option, ...]:
        return (HELP, *self.options) if self.with_help else self.options

    def long(self, name: str) -> Option:
        return find_long(self._all, name, self)

    def short(self, letter: str) -> Option:
        for option in self._all:
            if f"-{letter}" in option.names:
                return option
        raise UsageError(f"no such option: -{letter}", self)


def find_long(options: Sequence[Option], name: str, command: Command | None) -> Option:
    """The option spelt ``name`` or, like optparse, the only one ``name`` is a prefix of."""
    spellings = {n: o for o in options for n in o.names if n.startswith("--")}
    if name in spellings:
        return spellings[name]
    matches = sorted(n for n in spellings if n.startswith(name))
    if len(matches) == 1:
        return spellings[matches[0]]
    if matches:
        raise UsageError(f"ambiguous option: {name} ({', '.join(matches)}?)", command)
    raise UsageError(f"no such option: {name}", command)


HELP = Option(("-h", "--help"), "help", "true", "show this help message and exit")
_VERSION = Option(("--version",), "version", "true", "show the version and exit")
_FIND_LINKS = "a directory of wheels (or a wheel file) to look in; repeatable"
#: pip's general options that every command takes: -v and -q add up, as pip's verbosity.
_GENERAL = (
    Option(("-v", "--verbose"), "verbose", "count", "give more output; repeatable (pip's -v, -vv)"),
    Option(("-q", "--quiet"), "quiet", "count", "give less output; repeatable (WARNING, ERROR, CRITICAL)"),
)
_GENERAL_DEFAULTS = {"verbose": 0, "quiet": 0}
COMMANDS = {
    "install": Command(
        "install",
        "install wheels (by name from -f DIR, or by path)",
        "requirements",
        "REQ",
        (
            # Not exclusive: as in pip, the last of --user/--no-user wins.
            Option(("--user",), "use_user_site", "true", "install into the user scheme (site.USER_BASE)"),
            Option(("--no-user",), "use_user_site", "false", "never install into the user scheme"),
            Option(
                ("--break-system-packages",),
                "break_system_packages",
                "true",
                "install even under a PEP 668 EXTERNALLY-MANAGED marker",
            ),
            Option(
                ("--no-index",), "no_index", "true", "accepted for pip compatibility: no index is ever read"
            ),
            Option(("-f", "--find-links"), "find_links", "append", _FIND_LINKS, "DIR"),
            Option(
                ("-r", "--requirement"),
                "requirement_files",
                "append",
                "install from a requirements file (requirements, -r, -f, --no-index lines); repeatable",
                "FILE",
            ),
            Option(
                ("-U", "--upgrade"),
                "upgrade",
                "true",
                "upgrade requested projects to the newest version found",
            ),
            Option(
                ("--force-reinstall",),
                "force_reinstall",
                "true",
                "reinstall every project even when it is already up to date",
            ),
            Option(
                ("--no-deps", "--no-dependencies"),
                "ignore_dependencies",
                "true",
                "install the named projects only, not their dependencies",
            ),
            Option(("--no-compile",), "compile", "false", "do not write .pyc files"),
            Option(
                ("--no-warn-script-location",),
                "warn_script_location",
                "false",
                "do not warn when console scripts land in a directory not on PATH",
            ),
            Option(
                ("--no-cache-dir",),
                "no_cache_dir",
                "true",
                "accepted for pip compatibility: nothing is cached",
            ),
            Option(
                ("--prefix",),
                "prefix",
                "store",
                "only checked against --user, as pip does; not carried out",
                "DIR",
            ),
            Option(
                ("-t", "--target"),
                "target",
                "store",
                "only checked against --user, as pip does; not carried out",
                "DIR",
            ),
            *_GENERAL,
        ),
        {
            **_GENERAL_DEFAULTS,
            "use_user_site": None,
            "break_system_packages": None,
            "no_index": False,
            "find_links": [],
            "requirement_files": [],
            "upgrade": False,
            "force_reinstall": False,
            "ignore_dependencies": False,
            "compile": True,
            "warn_script_location": True,
            "no_cache_dir": False,
            "prefix": None,
            "target": None,
        },
    ),
    "uninstall": Command(
        "uninstall",
        "uninstall distributions",
        "names",
        "NAME",
        (
            Option(("-y", "--yes"), "yes", "true", "do not ask for confirmation"),
            Option(
                ("--break-system-packages",),
                "break_system_packages",
                "true",
                "uninstall even under a PEP 668 EXTERNALLY-MANAGED marker",
            ),
            *_GENERAL,
        ),
        {**_GENERAL_DEFAULTS, "yes": False, "break_system_packages": None},
    ),
    "list": Command(
        "list",
        "list installed distributions",
        "names",
        "",
        (Option(("--user",), "user", "true", "only distributions in the user site"), *_GENERAL),
        {**_GENERAL_DEFAULTS, "user": None},
    ),
    "freeze": Command(
        "freeze",
        "print installed distributions as requirements",
        "names",
        "",
        (
            Option(("--user",), "user", "true", "only distributions in the user site"),
            Option(
                ("--all",),
                "freeze_all",
                "true",
                "do not skip pip (nor setuptools, distribute and wheel before Python 3.12)",
            ),
            *_GENERAL,
        ),
        {**_GENERAL_DEFAULTS, "user": None, "freeze_all": None},
    ),
    "show": Command(
        "show",
        "show information about installed distributions (-v: more fields)",
        "names",
        "NAME",
        _GENERAL,
        dict(_GENERAL_DEFAULTS),
    ),
}


def version() -> str:
    return f"conformance-reference {__version__} (python {sys.version_info[0]}.{sys.version_info[1]})"


def _option_lines(options: Sequence[Option]) -> list[str]:
    lines = []
    for option in options:
        spelt = ", ".join(option.names) + (f" {option.metavar}" if option.metavar else "")
        lines.append(f"  {spelt:<28}{option.help}" if len(spelt) < 28 else f"  {spelt}\n{'':30}{option.help}")
    return lines


def main_help() -> str:
    commands = [f"  {c.name:<12}{c.summary}" for c in COMMANDS.values()]
    options = _option_lines([HELP, _VERSION])
    return "\n".join(
        [
            f"usage: {USAGE}",
            "",
            DESCRIPTION,
            "commands:",
            *commands,
            "",
            "options:",
            *options,
        ]
    )


def command_help(command: Command) -> str:
    lines = [f"usage: {command.usage}", "", command.summary, "", "options:"]
    return "\n".join(lines + _option_lines([HELP, *command.options]))


def _global(argv: list[str], out: TextIO) -> None:
    """Options before the command: only --help and --version, which print and exit."""
    while argv and argv[0].startswith("-") and argv[0] != "-":
        arg = argv.pop(0)
        if arg == "--" or (not arg.startswith("--") and arg != "-h"):
            raise UsageError(f"no such option: {arg}")
        option = HELP if arg == "-h" else find_long((HELP, _VERSION), arg, None)
        print(main_help() if option is HELP else version(), file=out)
        raise SystemExit(0)


def _apply(option: Option, value: str | None, values: dict[str, Any], command: Command, out: TextIO) -> None:
    if option is HELP:
        print(command_help(command), file=out)
        raise SystemExit(0)
    if option.action == "append":
        values[option.dest] = [*values[option.dest], value]
    elif option.action == "count":
        # optparse counts up from the default, which a PIP_* variable may have set.
        values[option.dest] = values[option.dest] + 1
    else:
        values[option.dest] = {"true": True, "false": False}.get(option.action, value)


def _spelling(option: Option, typed: str) -> str:
    """The long name a (possibly abbreviated) ``typed`` option stands for, as optparse names it."""
    return typed if typed in option.names else next(n for n in option.names if n.startswith(typed))


def parse_command(argv: Sequence[str], out: TextIO) -> tuple[Command, list[str]]:
    """The command named and the arguments after it; --help and --version before it print and exit."""
    args = list(argv)
    _global(args, out)
    if not args:
        raise UsageError(f"a command is required: {', '.join(COMMANDS)}")
    name = args.pop(0)
    command = COMMANDS.get(name)
    if command is None:
        raise UsageError(f'unknown command "{name}"')
    return command, args


def parse_options(
    command: Command, argv: Sequence[str], defaults: dict[str, Any], out: TextIO
) -> dict[str, Any]:
    """The command's values: ``defaults`` changed by the options given, plus the positional arguments."""
    args = list(argv)
    values = dict(defaults)
    positionals: list[str] = []
    while args:
        arg = args.pop(0)
        if arg == "--":
            positionals += args
            break
        if arg.startswith("--"):
            typed, has_value, value = arg.partition("=")
            option = command.long(typed)
            spelt = _spelling(option, typed)
            if option.takes_value and not has_value:
                if not args:
                    raise UsageError(f"{spelt} option requires 1 argument", command)
                value = args.pop(0)
            elif has_value and not option.takes_value:
                raise UsageError(f"{spelt} option does not take a value", command)
            _apply(option, value, values, command, out)
        elif arg.startswith("-") and arg != "-":
            for index, letter in enumerate(arg[1:], start=2):
                option = command.short(letter)
                if not option.takes_value:
                    _apply(option, None, values, command, out)
                    continue
                value = arg[index:]
                if not value:
                    if not args:
                        raise UsageError(f"-{letter} option requires 1 argument", command)
                    value = args.pop(0)
                _apply(option, value, values, command, out)
                break
        else:
            positionals.append(arg)
    if positionals and not command.metavar:
        raise UsageError(f"unexpected arguments: {' '.join(positionals)}", command)
    values[command.positional] = positionals
    return values


def parse(argv: Sequence[str], out: TextIO) -> tuple[Command, dict[str, Any]]:
    """The command and its values (defaults for what is not given); UsageError, or SystemExit(0) for help."""
    command, args = parse_command(argv, out)
    return command, parse_options(command, args, command.defaults, out)
