"""The install, uninstall, list, freeze and show commands, in pip's order of checks and with its messages."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from .. import __version__
from .decision import InstallRequest, check_install_location, check_uninstall_allowed, decide_user_install
from .errors import InstallOSError, ReferenceFailure, UninstallOSError, UnsupportedOption
from .output import INFO, WARNING, Output, level_for

if TYPE_CHECKING:
    from .environment import Environment
    from .requested import Requested
    from .resolve import Item
    from .scheme import Scheme
    from .uninstall import Stash

# Each command imports what only it needs, and only once it needs it: installer, packaging and the
# resolver make up most of the start-up time, and refusals, list, freeze, show and uninstall use little or
# none of them.


@dataclass
class InstallOptions:
    """What ``install`` was asked to do, as its command line says it."""

    requirements: tuple[str, ...]
    use_user_site: bool | None = None
    break_system_packages: bool = False
    find_links: tuple[str, ...] = ()
    requirement_files: tuple[str, ...] = ()
    force_reinstall: bool = False
    upgrade: bool = False
    ignore_dependencies: bool = False
    compile: bool = True
    warn_script_location: bool = True
    prefix: str | None = None
    target: str | None = None
    verbosity: int = 0  # -v minus -q, as pip counts them
    environ: Mapping[str, str] = field(default_factory=dict)  # for ${VAR} in requirements files


def using_line() -> str:
    """pip's -v line naming the installer: its package directory, as ``get_pip_version`` names pip's."""
    here = os.path.dirname(os.path.abspath(__file__))
    python = f"{sys.version_info[0]}.{sys.version_info[1]}"
    return f"Using conformance-reference {__version__} from {here} (python {python})"


def _requested(options: InstallOptions, output: Output) -> tuple[list[Requested], list[str]]:
    """pip's ``get_requirements``: the command line's requirements, then each file's; and the find-links."""
    from .requested import parse_requested

    requested = [parse_requested(text) for text in options.requirements if text.strip()]
    find_links = list(options.find_links)
    if options.requirement_files:
        from .reqfile import read_requirement_files

        files = read_requirement_files(list(options.requirement_files), options.environ)
        for warning in files.warnings:
            output.warning(warning)
        requested += [parse_requested(r.text, r.comes_from, r.line_source) for r in files.requirements]
        find_links += files.find_links
    if not (options.requirements or options.requirement_files):
        hint = (
            f'maybe you meant "pip install {" ".join(options.find_links)}"?'
            if options.find_links
            else 'see "pip help install"'
        )
        raise ReferenceFailure(
            f"You must give at least one requirement to install ({hint})",
            "Name a project (with -f DIR holding its wheels), the path of a .whl file, or -r FILE.",
        )
    return requested, find_links


def run_install(options: InstallOptions, env: Environment, out: TextIO, err: TextIO) -> int:
    output = Output(out, err, level_for(options.verbosity))
    request = InstallRequest(
        options.use_user_site, options.break_system_packages, options.prefix, options.target
    )
    check_install_location(request, env)
    output.verbose(using_line())
    decision = decide_user_install(request, env)
    if decision.reason:
        output.debug(decision.reason)
    if decision.notice:
        output.info(decision.notice)
    if options.prefix is not None or options.target is not None:
        raise UnsupportedOption(
            "--prefix and --target installs are not implemented by the reference installer",
            "Use pip for them, or install into the user scheme with --user.",
        )
    requested, find_links = _requested(options, output)
    from . import scheme
    from .finder import Finder, scan_links
    from .resolve import resolve
    from .wheelfile import vet

    if find_links:
        output.info(f"Looking in links: {', '.join(find_links)}")
    links, warnings = scan_links(find_links)
    for warning in warnings:
        output.warning(warning)
    finder = Finder(links, locations=tuple(find_links))
    plan = resolve(
        requested,
        finder=finder,
        env=env,
        user=decision.user,
        upgrade=options.upgrade,
        force_reinstall=options.force_reinstall,
        ignore_dependencies=options.ignore_dependencies,
    )
    for message in plan.messages:
        output.info(message)
    for warning in plan.warnings:
        output.warning(warning)
    if not plan.items:
        return 0
    choose = scheme.user_scheme if decision.user else scheme.default_scheme
    schemes = [choose(env, item.typed_name) for item in plan.items]
    for item, target in zip(plan.items, schemes, strict=True):
        vet(item.info, target)
    output.info(f"Installing collected packages: {', '.join(item.typed_name for item in plan.items)}")
    with output.indented():
        for item, target in zip(plan.items, schemes, strict=True):
            _install_one(item, target, env, options, output, decision.user)
    if len(plan.items) > 1 and output.enabled(INFO) and not _is_terminal(out):
        # pip draws a progress bar over several installs; off a terminal, rich leaves an empty line.
        print("", file=out)
    done = sorted(plan.items, key=lambda item: item.typed_name)
    output.info(f"Successfully installed {' '.join(f'{i.typed_name}-{i.info.version}' for i in done)}")
    return 0


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _install_one(
    item: Item, target: Scheme, env: Environment, options: InstallOptions, output: Output, user: bool
) -> None:
    """pip's loop body in ``install_given_reqs``: uninstall what it replaces, install, undo on failure."""
    from .install import install_wheel

    stash: Stash | None = None
    try:
        if item.replaces is not None:
            from .uninstall import uninstall  # only an upgrade or reinstall removes a copy

            output.info(f"Attempting uninstall: {item.typed_name}")
            with output.indented():
                stash = uninstall(item.replaces, env, output)
        scripts = install_wheel(
            item.info, target, env, requested=item.requested, direct=item.direct, compile=options.compile
        )
    except BaseException as exc:
        if stash is not None:
            stash.rollback()
        if isinstance(exc, OSError):
            raise InstallOSError(exc, suggest_user=not env.in_venv and not user) from None
        raise
    if stash is not None:
        stash.commit()
    for path, mode in scripts.mode_changes:
        output.verbose(f"changing mode of {path} to {mode:o}")
    if options.warn_script_location and scripts.console and output.enabled(WARNING):
        from .pathwarning import message_about_scripts_not_on_path

        message = message_about_scripts_not_on_path(scripts.console, env.path_entries, env.executable)
        if message is not None:
            output.warning(message)


def run_uninstall(
    names: tuple[str, ...],
    *,
    yes: bool,
    break_system_packages: bool,
    env: Environment,
    out: TextIO,
    err: TextIO,
    ask: Callable[[list[str]], bool],
    verbosity: int = 0,
) -> int:
    output = Output(out, err, level_for(verbosity))
    from .names import canonical_name
    from .requirement import parse

    projects: dict[str, str] = {}
    for text in names:
        name = parse(text).name
        projects.setdefault(canonical_name(name), name)
    if not projects:
        raise ReferenceFailure(
            'You must give at least one requirement to uninstall (see "pip help uninstall")',
            "Name the installed projects to remove.",
        )
    check_uninstall_allowed(break_system_packages, env)
    from .installed import find_installed
    from .uninstall import uninstall

    for name in projects.values():
        dist = find_installed(env.sys_path, name)
        if dist is None:
            output.warning(f"Skipping {name} as it is not installed.")
            continue
        try:
            stash = uninstall(dist, env, output, confirm=None if yes else ask)
        except OSError as exc:
            raise UninstallOSError(name, exc) from None
        if stash is not None:
            stash.commit()
    return 0


def run_list(*, user_only: bool, env: Environment, out: TextIO, verbosity: int = 0) -> int:
    from .listing import distributions, format_columns

    # pip writes the table at INFO: -q hides it.
    output = Output(out, out, level_for(verbosity))
    for line in format_columns(distributions(env, user_only=user_only)):
        output.info(line)
    return 0


def run_freeze(
    *, user_only: bool, freeze_all: bool, env: Environment, out: TextIO, err: TextIO, verbosity: int = 0
) -> int:
    from .listing import freeze

    output = Output(out, err, level_for(verbosity))
    frozen = freeze(env, user_only=user_only, freeze_all=freeze_all)
    for warning in frozen.warnings:
        output.warning(warning)
    # pip writes the requirements to stdout itself, not through its logging: -q does not hide them.
    for line in frozen.lines:
        print(line, file=out)
    return 0


def run_show(
    names: tuple[str, ...],
    *,
    env: Environment,
    out: TextIO,
    err: TextIO,
    verbosity: int = 0,
    verbose: bool = False,
) -> int:
    """pip's ``show``: status 1 when it printed nothing; ``verbose`` is any -v, whatever -q says."""
    output = Output(out, err, level_for(verbosity))
    if not names:
        # pip logs this at WARNING, so its "ERROR: " follows the "WARNING: " prefix.
        output.warning("ERROR: Please provide a package name or names.")
        return 1
    from .showing import format_blocks, search

    found = search(env, names)
    if found.missing:
        output.warning(f"Package(s) not found: {', '.join(found.missing)}")
    # pip writes the blocks at INFO: -q hides them.
    for line in format_blocks(found.shown, verbose=verbose):
        output.info(line)
    return 0 if found.shown else 1


def ask_proceed(paths: list[str]) -> bool:
    """pip's confirmation: list what would go, then ``Proceed (Y/n)?`` until y, n or empty."""
    print("  Would remove:")
    for path in paths:
        print(f"    {path}")
    while True:
        try:
            answer = input("Proceed (Y/n)? ").strip().lower()
        except EOFError:
            print("", file=sys.stderr)
            return False
        if answer in ("y", "n", ""):
            return answer != "n"
