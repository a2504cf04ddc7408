"""What should happen to an intent in a given interpreter: pip's rules (>= 25.3), stated independently.

The reference installer implements the same rules; this module is kept separate on purpose, so that
the matrix judges the reference instead of agreeing with it by construction.
"""

from __future__ import annotations

from dataclasses import replace

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from conformance.catalogue.fixtures import all_fixtures, closure
from conformance.catalogue.scenarios import MAIN_FIXTURE, Action, Intent, Scenario, SystemCopy
from conformance.judge.tags import installed_wheels, no_wheel
from conformance.record.cell import Expectation
from conformance.run.facts import InterpreterFacts
from conformance.vocabulary import Outcome

#: pip's ``strtobool`` (pip/_internal/utils/misc.py), which reads a boolean option from a PIP_ variable.
_TRUE = frozenset({"y", "yes", "t", "true", "on", "1"})
_FALSE = frozenset({"n", "no", "f", "false", "off", "0"})


def _refuse(error_class: str, reason: str) -> Expectation:
    return Expectation(Outcome.REFUSE, reason, error_class=error_class)


def _install(scheme: str, reason: str) -> Expectation:
    return Expectation(Outcome.INSTALL, reason, scheme=scheme)


def use_user_site(scenario: Scenario) -> bool | None:
    """pip's ``options.use_user_site``: ``--user`` True, ``--no-user`` False, else ``PIP_USER``, else None.

    ``--user`` and ``--no-user`` share one destination (pip/_internal/commands/install.py); a PIP_ variable
    only sets the option's default (``ConfigOptionParser._update_defaults``, pip/_internal/cli/parser.py,
    which drops empty values), so the command line wins.
    """
    if scenario.intent == Intent.USER:
        return True
    if scenario.intent == Intent.NOT_USER:
        return False
    value = scenario.env.get("PIP_USER", "").lower()
    if not value:
        return None
    if value not in _TRUE | _FALSE:
        raise ValueError(f"scenario {scenario.name}: PIP_USER={value!r} is not a boolean pip reads")
    return value in _TRUE


def expect(scenario: Scenario, facts: InterpreterFacts, fixture: str = MAIN_FIXTURE) -> Expectation:
    """Apply pip's decision table to the scenario's flags and environment and the interpreter's facts, then
    its resolver's view of a system copy, for an install of ``fixture``."""
    expectation = _scheme(scenario, facts)
    if expectation.outcome == Outcome.INSTALL:
        # After the PEP 668 check and the choice of scheme, pip's resolver looks for a wheel that fits.
        missing = no_wheel(installed_wheels(fixture, facts), facts)
        if missing is not None:
            return Expectation(
                Outcome.REFUSE,
                f"{missing}: pip finds no matching distribution",
                scheme=expectation.scheme,
                error_class="not-found",
            )
    copy = scenario.system_copy
    if copy is None or expectation.outcome != Outcome.INSTALL:
        return expectation
    if copy.project == fixture:
        return _with_system_copy(expectation, copy, scenario.upgrade)
    return _with_system_dependency(expectation, copy, fixture)


def _with_system_dependency(expectation: Expectation, copy: SystemCopy, fixture: str) -> Expectation:
    """A dependency's installed copy that meets every requirement on it is kept, --upgrade or not (pip's
    default ``--upgrade-strategy only-if-needed`` upgrades only what was asked for)."""
    specifiers = [
        r.specifier
        for f in closure(fixture)
        for r in map(Requirement, f.requires)
        if canonicalize_name(r.name) == canonicalize_name(copy.project)
    ]
    if not specifiers or not all(s.contains(copy.version, prereleases=True) for s in specifiers):
        return expectation
    return replace(
        expectation,
        reason=f"{expectation.reason}; the system copy of {copy.project} ({copy.version}) satisfies it",
        satisfied=[copy.project],
    )


def _with_system_copy(expectation: Expectation, copy: SystemCopy, upgrade: bool) -> Expectation:
    """pip's resolver with an installed copy on sys.path (the system site-packages: every account sees it).

    Without --upgrade the installed copy is preferred whatever its version (the requirement names none); with
    it, the newest candidate wins and the installed one is a candidate too (``Factory._iter_found_candidates``
    in pip/_internal/resolution/resolvelib/factory.py). Installing into the user site never uninstalls a
    system copy outside a venv (``Factory.get_dist_to_uninstall``): the user copy shadows it, because the user
    site comes first on sys.path.
    """
    available = all_fixtures()[copy.project].version
    installed = Version(copy.version)
    if not upgrade or installed >= Version(available):
        why = "--upgrade finds nothing newer than" if upgrade else "the requirement is already satisfied by"
        return Expectation(
            Outcome.SATISFIED,
            f"{why} the system copy ({copy.project} {copy.version}): nothing to install",
            scheme=expectation.scheme,
            version=copy.version,
        )
    return replace(
        expectation,
        reason=f"{expectation.reason}; {available} shadows the system copy ({copy.version}) for this account",
        version=available,
    )


def _scheme(scenario: Scenario, facts: InterpreterFacts) -> Expectation:
    """pip's decision table: the PEP 668 check, then ``decide_user_install``."""
    if scenario.action == Action.UNINSTALL:
        return Expectation(
            Outcome.UNINSTALL, "remove every file the user install added", scheme=facts.preferred_user
        )
    if scenario.action.is_query:
        # pip's list, show and freeze cover every sys.path entry the interpreter has, the user site
        # included (pip/_internal/metadata: get_default_environment() is the running interpreter's sys.path).
        return Expectation(
            Outcome.FIND, f"{scenario.action} names the user install", scheme=facts.preferred_user
        )
    user = use_user_site(scenario)
    # InstallCommand.run: the PEP 668 check (check_externally_managed, a no-op in a venv) comes before
    # decide_user_install, so no choice of scheme gets past the marker.
    if facts.externally_managed and not facts.in_venv and not scenario.break_system_packages:
        why = "--user does not bypass it" if user else "no install outside a venv"
        return _refuse("externally-managed", f"PEP 668 marker present: {why}")
    # decide_user_install, in its order.
    if user is False:
        # "Non-user install by explicit request": no fallback to the user scheme.
        if facts.default_writable:
            return _install(facts.default_scheme, "--no-user: a normal install")
        return _refuse("permission-denied", "--no-user and site-packages not writeable: no fallback")
    if user:
        if facts.in_venv and not facts.venv_system_site:
            return _refuse("venv-conflict", "user site-packages are not visible in this venv")
        # site.ENABLE_USER_SITE False (-s, PYTHONNOUSERSITE) or None (uid != euid): pip >= 25.3 refuses
        # rather than install where the interpreter does not look.
        if not facts.enable_user_site:
            return _refuse("user-site-disabled", "user site-packages are disabled for this interpreter")
        if scenario.intent == Intent.USER:
            return _install(facts.preferred_user, "explicit user install")
        return _install(facts.preferred_user, "PIP_USER: an explicit user install")
    if facts.default_writable:
        return _install(facts.default_scheme, "site-packages writeable: a normal install")
    if facts.enable_user_site:
        return _install(
            facts.preferred_user, "site-packages not writeable: pip falls back to the user scheme"
        )
    return _refuse("permission-denied", "site-packages not writeable and user site disabled")
