"""The install, uninstall and list commands, in pip's order of checks and with pip's messages."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from .decision import InstallRequest, check_uninstall_allowed, decide_install
from .errors import InstallOSError, ReferenceFailure, UninstallOSError, UnsupportedOption

if TYPE_CHECKING:
    from .environment import Environment
    from .uninstall import Stash

# Each command imports what only it needs, and only once it needs it: installer, packaging and the
# resolver make up most of the start-up time, and refusals, list and uninstall use little or none of them.


@dataclass
class InstallOptions:
    """What ``install`` was asked to do, as its command line says it."""

    requirements: tuple[str, ...]
    use_user_site: bool | None = None
    break_system_packages: bool = False
    find_links: tuple[str, ...] = ()
    force_reinstall: bool = False
    upgrade: bool = False
    compile: bool = True
    prefix: str | None = None
    target: str | None = None


def run_install(options: InstallOptions, env: Environment, out: TextIO, err: TextIO) -> int:
    request = InstallRequest(
        options.use_user_site, options.break_system_packages, options.prefix, options.target
    )
    decision = decide_install(request, env)
    if decision.notice:
        print(decision.notice, file=out)
    if options.prefix is not None or options.target is not None:
        raise UnsupportedOption(
            "--prefix and --target installs are not implemented by the reference installer",
            "Use pip for them, or install into the user scheme with --user.",
        )
    if not options.requirements:
        raise ReferenceFailure(
            'You must give at least one requirement to install (see "pip help install")',
            "Name a project (with -f DIR holding its wheels) or the path of a .whl file.",
        )
    from . import scheme
    from .finder import Finder, scan_links
    from .install import install_wheel
    from .resolve import parse_requested, resolve
    from .wheelfile import vet

    requested = [parse_requested(text) for text in options.requirements]
    if options.find_links:
        print(f"Looking in links: {', '.join(options.find_links)}", file=out)
    links, warnings = scan_links(options.find_links)
    for warning in warnings:
        print(f"WARNING: {warning}", file=err)
    finder = Finder(links, locations=options.find_links)
    plan = resolve(
        requested,
        finder=finder,
        env=env,
        user=decision.user,
        upgrade=options.upgrade,
        force_reinstall=options.force_reinstall,
    )
    for message in plan.messages:
        print(message, file=out)
    if not plan.items:
        return 0
    choose = scheme.user_scheme if decision.user else scheme.default_scheme
    schemes = [choose(env, item.typed_name) for item in plan.items]
    for item, target in zip(plan.items, schemes, strict=True):
        vet(item.info, target)
    print(f"Installing collected packages: {', '.join(item.typed_name for item in plan.items)}", file=out)
    for item, target in zip(plan.items, schemes, strict=True):
        stash: Stash | None = None
        try:
            if item.replaces is not None:
                from .uninstall import uninstall  # only an upgrade or reinstall removes a copy

                print(f"  Attempting uninstall: {item.typed_name}", file=out)
                stash = uninstall(item.replaces, env, out, indent="    ")
            install_wheel(
                item.info, target, env, requested=item.requested, direct=item.direct, compile=options.compile
            )
        except BaseException as exc:
            if stash is not None:
                stash.rollback()
            if isinstance(exc, OSError):
                raise InstallOSError(exc, suggest_user=not env.in_venv and not decision.user) from None
            raise
        if stash is not None:
            stash.commit()
    done = sorted(plan.items, key=lambda item: item.typed_name)
    print(f"Successfully installed {' '.join(f'{i.typed_name}-{i.info.version}' for i in done)}", file=out)
    return 0


def run_uninstall(
    names: tuple[str, ...],
    *,
    yes: bool,
    break_system_packages: bool,
    env: Environment,
    out: TextIO,
    err: TextIO,
    ask: Callable[[list[str]], bool],
) -> int:
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
            print(f"WARNING: Skipping {name} as it is not installed.", file=err)
            continue
        try:
            stash = uninstall(dist, env, out, confirm=None if yes else ask)
        except OSError as exc:
            raise UninstallOSError(name, exc) from None
        if stash is not None:
            stash.commit()
    return 0


def run_list(*, user_only: bool, env: Environment, out: TextIO) -> int:
    from .listing import distributions, format_columns

    for line in format_columns(distributions(env, user_only=user_only)):
        print(line, file=out)
    return 0


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
