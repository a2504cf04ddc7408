"""Command line shaped like pip's: ``install``, ``uninstall``, ``list``, ``--version``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, TextIO

from .. import __version__
from .config import ConfigError, environ_defaults
from .errors import ReferenceFailure

if TYPE_CHECKING:
    from .environment import Environment

DESCRIPTION = """\
The reference implementation of user-scheme installs: pip's decision rules (--user, --no-user,
the fallback to the user scheme when site-packages is not writeable, refusals in a venv, with the
user site disabled, or under a PEP 668 marker) applied to wheels, without network access.

Honoured environment variables: PIP_USER, PIP_NO_USER and PIP_BREAK_SYSTEM_PACKAGES, with pip's
boolean values (PIP_NO_USER=1 means a user install, as in pip). pip's configuration files
(pip.conf, PIP_CONFIG_FILE) are NOT read.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reference", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"conformance-reference {__version__} (python {sys.version_info[0]}.{sys.version_info[1]})",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    install = commands.add_parser("install", help="install wheels (by name from -f DIR, or by path)")
    # Not mutually exclusive: as in pip, the last of --user/--no-user wins.
    install.add_argument(
        "--user",
        dest="use_user_site",
        action="store_true",
        default=None,
        help="install into the user scheme (site.USER_BASE)",
    )
    install.add_argument(
        "--no-user",
        dest="use_user_site",
        action="store_false",
        default=None,
        help="never install into the user scheme",
    )
    install.add_argument(
        "--break-system-packages",
        action="store_true",
        default=None,
        help="install even under a PEP 668 EXTERNALLY-MANAGED marker",
    )
    install.add_argument(
        "--no-index", action="store_true", help="accepted for pip compatibility: no index is ever read"
    )
    install.add_argument(
        "-f",
        "--find-links",
        action="append",
        default=[],
        metavar="DIR",
        help="a directory of wheels (or a wheel file) to look in; repeatable",
    )
    install.add_argument(
        "-U", "--upgrade", action="store_true", help="upgrade requested projects to the newest version found"
    )
    install.add_argument(
        "--force-reinstall",
        action="store_true",
        help="reinstall every project even when it is already up to date",
    )
    install.add_argument("--no-compile", dest="compile", action="store_false", help="do not write .pyc files")
    install.add_argument("--prefix", help="only checked against --user, as pip does; not carried out")
    install.add_argument("-t", "--target", help="only checked against --user, as pip does; not carried out")
    install.add_argument(
        "requirements",
        nargs="*",
        metavar="REQ",
        help="a project name with an optional specifier, or the path of a .whl file",
    )

    uninstall = commands.add_parser("uninstall", help="uninstall distributions")
    uninstall.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")
    uninstall.add_argument(
        "--break-system-packages",
        action="store_true",
        default=None,
        help="uninstall even under a PEP 668 EXTERNALLY-MANAGED marker",
    )
    uninstall.add_argument("names", nargs="*", metavar="NAME")

    listing = commands.add_parser("list", help="list installed distributions")
    listing.add_argument(
        "--user", action="store_true", default=None, help="only distributions in the user site"
    )
    return parser


def _apply_environ(
    parser: argparse.ArgumentParser, args: argparse.Namespace, environ: Mapping[str, str]
) -> None:
    """Fill the options the command line left unset from PIP_* variables, as pip's defaults are."""
    try:
        defaults = environ_defaults(args.command, environ)
    except ConfigError as exc:
        parser.error(str(exc))
    for dest, value in defaults.items():
        if getattr(args, dest) is None:
            setattr(args, dest, value)


def main(
    argv: Sequence[str] | None = None,
    *,
    env: Environment | None = None,
    environ: Mapping[str, str] | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run one command; refusals print ``ERROR: ...`` on stderr and return 1, usage errors exit 2."""
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    environ = os.environ if environ is None else environ
    parser = build_parser()
    args = parser.parse_args(argv)
    _apply_environ(parser, args, environ)
    # Only now: --version, --help and usage errors have exited without loading what commands need.
    from .commands import InstallOptions, ask_proceed, run_install, run_list, run_uninstall
    from .environment import gather

    try:
        env = gather(environ) if env is None else env
        if args.command == "install":
            options = InstallOptions(
                requirements=tuple(args.requirements),
                use_user_site=args.use_user_site,
                break_system_packages=bool(args.break_system_packages),
                find_links=tuple(args.find_links),
                force_reinstall=args.force_reinstall,
                upgrade=args.upgrade,
                compile=args.compile,
                prefix=args.prefix,
                target=args.target,
            )
            return run_install(options, env, out, err)
        if args.command == "uninstall":
            return run_uninstall(
                tuple(args.names),
                yes=args.yes,
                break_system_packages=bool(args.break_system_packages),
                env=env,
                out=out,
                err=err,
                ask=ask_proceed,
            )
        return run_list(user_only=bool(args.user), env=env, out=out)
    except ReferenceFailure as exc:
        print(f"ERROR: {exc}", file=err)
        return 1
