"""Run the command the command line names: usage errors exit 2, refusals print ``ERROR:`` and return 1."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, TextIO

from .argv import PROG, USAGE, UsageError, parse_command, parse_options
from .config import ConfigError, environ_defaults
from .errors import ReferenceFailure
from .output import Output

if TYPE_CHECKING:
    from .environment import Environment


def _usage_error(exc: UsageError, err: TextIO) -> SystemExit:
    prog, usage = (f"{PROG} {exc.command.name}", exc.command.usage) if exc.command else (PROG, USAGE)
    print(f"usage: {usage}\n{prog}: error: {exc}", file=err)
    return SystemExit(2)


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
    try:
        command, rest = parse_command(sys.argv[1:] if argv is None else argv, out)
        try:
            # PIP_* variables are the options' defaults, as in pip: the command line counts on from them.
            defaults = {**command.defaults, **environ_defaults(command.name, environ)}
        except ConfigError as exc:
            raise UsageError(str(exc), command) from None
        args = parse_options(command, rest, defaults, out)
    except UsageError as exc:
        raise _usage_error(exc, err) from None
    verbosity = args["verbose"] - args["quiet"]
    # Only now: --version, --help and usage errors have exited without loading what commands need.
    from .commands import (
        InstallOptions,
        ask_proceed,
        run_freeze,
        run_install,
        run_list,
        run_show,
        run_uninstall,
    )
    from .environment import gather

    try:
        env = gather(environ) if env is None else env
        if command.name == "install":
            options = InstallOptions(
                requirements=tuple(args["requirements"]),
                use_user_site=args["use_user_site"],
                break_system_packages=bool(args["break_system_packages"]),
                find_links=tuple(args["find_links"]),
                requirement_files=tuple(args["requirement_files"]),
                force_reinstall=bool(args["force_reinstall"]),
                upgrade=bool(args["upgrade"]),
                ignore_dependencies=bool(args["ignore_dependencies"]),
                compile=bool(args["compile"]),
                warn_script_location=bool(args["warn_script_location"]),
                prefix=args["prefix"],
                target=args["target"],
                verbosity=verbosity,
                environ=environ,
            )
            return run_install(options, env, out, err)
        if command.name == "uninstall":
            return run_uninstall(
                tuple(args["names"]),
                yes=bool(args["yes"]),
                break_system_packages=bool(args["break_system_packages"]),
                env=env,
                out=out,
                err=err,
                ask=ask_proceed,
                verbosity=verbosity,
            )
        if command.name == "freeze":
            return run_freeze(
                user_only=bool(args["user"]),
                freeze_all=bool(args["freeze_all"]),
                env=env,
                out=out,
                err=err,
                verbosity=verbosity,
            )
        if command.name == "show":
            return run_show(
                tuple(args["names"]),
                env=env,
                out=out,
                err=err,
                verbosity=verbosity,
                verbose=bool(args["verbose"]),
            )
        return run_list(user_only=bool(args["user"]), env=env, out=out, verbosity=verbosity)
    except ReferenceFailure as exc:
        # pip reports a failed command at CRITICAL, so even -qqq shows it.
        Output(out, err).critical(str(exc))
        return 1
