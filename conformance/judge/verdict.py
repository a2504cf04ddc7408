"""Judge an observation against the intent's expectation: one verdict from a small fixed set, with reasons."""

from __future__ import annotations

from packaging.utils import canonicalize_name

from conformance.catalogue.fixtures import Fixture
from conformance.catalogue.scenarios import Action
from conformance.judge.layout import DistLayout, dist_layout
from conformance.judge.paths import rules
from conformance.record.cell import Expectation, FileChange, ImportCheck, Judgement, Observation
from conformance.run.facts import InterpreterFacts
from conformance.vocabulary import Change, FileRole, Outcome, Verdict

#: Installer state that is listed but not judged.
_STATE_DIRS = ("/tmp", "/var/tmp", "/run", "/var/cache")
#: Roles of the package's own files, which an uninstall must remove.
_PACKAGE_ROLES = (FileRole.EXPECTED, FileRole.GENERATED, FileRole.MISPLACED)
#: Roles of paths that are not the command's own writes: the judge lists them and looks no further.
_NOT_WRITTEN = (FileRole.DIR, FileRole.STATE, FileRole.BYTECODE)


def _is_state(change: FileChange, facts: InterpreterFacts) -> bool:
    """Temporary or cache files outside every scheme (a scheme directory is never state, even under /tmp)."""
    if change.slots:
        return False
    path_rules = rules(facts)
    if path_rules.nt:
        # The interpreter's own temporary directory (%TEMP%); Windows has no ~/.cache convention.
        return facts.temp is not None and path_rules.inside(change.path, facts.temp)
    dirs = (*_STATE_DIRS, path_rules.flavour.join(facts.home, ".cache"))
    return any(change.path == d or change.path.startswith(d + "/") for d in dirs)


def _misplaced_of(path: str, layouts: list[DistLayout]) -> str | None:
    """The wheel member (or generated file) this path is a copy of, when it is not where it belongs."""
    for layout in layouts:
        r = layout.rules
        if r.has_dir(path, r.flavour.basename(layout.dist_info_dir)):
            return f"{layout.dist}:dist-info"
        for name, expected in layout.scripts.items():
            if r.basename(path) == r.basename(expected):
                return f"{layout.dist}:script:{name}"
        for member in layout.members.values():
            if r.ends_with(path, member.split(":", 1)[1]):
                return f"{layout.dist}:{member}"
        if r.basename(r.dirname(path)) == "__pycache__" and r.key(path).endswith(".pyc"):
            # PEP 3147: <dir>/__pycache__/<module>.<tag>.pyc caches <dir>/<module>.py.
            module = r.flavour.basename(path).split(".", 1)[0] + ".py"
            source = r.flavour.join(r.dirname(r.dirname(path)), module)
            if any(r.ends_with(source, m.split(":", 1)[1]) for m in layout.members.values()):
                return f"{layout.dist}:bytecode"
    return None


def file_roles(
    files: list[FileChange], layouts: list[DistLayout], facts: InterpreterFacts
) -> dict[str, FileRole]:
    """expected, generated, misplaced, bytecode, stray, state, dir, replaced or preexisting, per path."""
    key = rules(facts).key
    expected = {key(p) for layout in layouts for p in (*layout.members, *layout.scripts.values())}
    roles: dict[str, FileRole] = {}
    for change in files:
        path = change.path
        owned = key(path) in expected or any(layout.owns_generated(path) for layout in layouts)
        if change.type == "dir":
            role = FileRole.DIR
        elif change.change != Change.ADDED:
            if owned or _misplaced_of(path, layouts) is not None:
                role = FileRole.REPLACED
            else:
                role = FileRole.STATE if _is_state(change, facts) else FileRole.PREEXISTING
        elif key(path) in expected:
            role = FileRole.EXPECTED
        elif owned:
            role = FileRole.GENERATED
        elif _misplaced_of(path, layouts) is not None:
            role = FileRole.MISPLACED
        elif change.bytecode_of is not None:
            role = FileRole.BYTECODE
        elif _is_state(change, facts):
            role = FileRole.STATE
        else:
            role = FileRole.STRAY
        roles[path] = role
    return roles


def _duplicates(
    roles: dict[str, FileRole], satisfied: list[Fixture], facts: InterpreterFacts, scheme: str
) -> dict[str, str]:
    """The stray paths that are files of a dependency pip finds satisfied, with its name."""
    found: dict[str, str] = {}
    for fixture in satisfied:
        layout = dist_layout(fixture, facts, scheme)
        for path, role in roles.items():
            if role == FileRole.STRAY and (layout.owns_generated(path) or _misplaced_of(path, [layout])):
                found[path] = fixture.name
    return found


def _landing(files: list[FileChange], layouts: list[DistLayout]) -> tuple[dict[str, list[str]], list[str]]:
    """Where each kind of member landed (scheme slots, or a directory outside them all); what is missing."""
    landing: dict[str, set[str]] = {}
    missing = []
    for layout in layouts:
        r = layout.rules
        by_path = {r.key(f.path): f for f in files if f.type != "dir" and f.change != Change.DELETED}
        wanted = [(path, member) for path, member in layout.members.items()]
        wanted += [(path, f"scripts:{r.flavour.basename(path)}") for path in layout.scripts.values()]
        for path, member in wanted:
            key, rel = member.split(":", 1)
            found = by_path.get(r.key(path)) or next(
                (f for f in by_path.values() if r.ends_with(f.path, rel)), None
            )
            if found is None:
                missing.append(f"{layout.dist}:{member}")
                continue
            where = found.slots or [f"(no scheme) {r.dirname(found.path)}"]
            landing.setdefault(key, set()).update(where)
    return {k: sorted(v) for k, v in sorted(landing.items())}, missing


def judge_install(
    expectation: Expectation, observation: Observation, fixtures: tuple[Fixture, ...], facts: InterpreterFacts
) -> Judgement:
    """Verdict of an install command (``fixtures``: the package and its dependencies)."""
    scheme = expectation.scheme or facts.preferred_user
    layouts = [dist_layout(f, facts, scheme) for f in fixtures if f.name not in expectation.satisfied]
    roles = file_roles(observation.files, layouts, facts)
    duplicated = _duplicates(roles, [f for f in fixtures if f.name in expectation.satisfied], facts, scheme)
    landing, missing = _landing(observation.files, layouts)
    command = observation.command
    written = [p for p, r in roles.items() if r not in _NOT_WRITTEN]
    reasons = []
    if command.exit_code != 0:
        if written:
            return Judgement(
                Verdict.DAMAGES,
                [f"failed ({command.error_class}) after writing {len(written)} file(s)"],
                roles,
                landing,
            )
        if expectation.outcome == Outcome.REFUSE and command.error_class == expectation.error_class:
            return Judgement(
                Verdict.CONFORMS, [f"refuses as pip does: {command.error_class}"], roles, landing
            )
        if expectation.outcome == Outcome.REFUSE:
            why = f"refuses ({command.error_class}), not for pip's reason ({expectation.error_class})"
        elif expectation.outcome == Outcome.SATISFIED:
            why = f"fails ({command.error_class}) where pip succeeds doing nothing ({expectation.reason})"
        else:
            why = f"refuses ({command.error_class}) where pip installs ({expectation.reason})"
        return Judgement(Verdict.REFUSES, [why], roles, landing)
    same = next((c for c in observation.imports if c.who == "same"), None)
    if expectation.outcome == Outcome.SATISFIED:
        return _judge_satisfied(expectation, written, same, roles, landing)
    total = sum(len(layout.members) + len(layout.scripts) for layout in layouts)
    if len(missing) == total:
        return Judgement(Verdict.BROKEN, ["exit 0 but nothing of the package landed"], roles, landing)
    if missing:
        reasons.append(f"partial install, missing: {', '.join(missing)}")
    preexisting = sorted(p for p, r in roles.items() if r == FileRole.PREEXISTING)
    if preexisting:
        reasons.append(f"changed files that were there before: {', '.join(preexisting[:5])}")
    if reasons:
        return Judgement(Verdict.DAMAGES, reasons, roles, landing)
    imports = same is not None and same.ok
    failing = [s for s in observation.scripts if s.exit_code != 0]
    if not imports:
        reasons.append(f"does not import as the same account: {same.error if same else 'not checked'}")
    elif same is not None and expectation.version not in (None, same.metadata_version):
        reasons.append(
            f"the same account imports version {same.metadata_version} ({same.file}), "
            f"not the {expectation.version} it installed"
        )
        imports = False
    reasons += [f"script {s.name} does not run (exit {s.exit_code})" for s in failing]
    if expectation.outcome == Outcome.REFUSE:
        reasons.append(f"installs where pip refuses ({expectation.error_class}: {expectation.reason})")
    if not imports or failing:
        return Judgement(Verdict.BROKEN, reasons, roles, landing)
    misplaced = sorted(p for p, r in roles.items() if r == FileRole.MISPLACED)
    stray = sorted(p for p, r in roles.items() if r == FileRole.STRAY)
    if misplaced:
        slots = {f.path: " ".join(f.slots) or "no scheme" for f in observation.files}
        where = ", ".join(f"{p} ({slots[p]})" for p in misplaced[:3])
        reasons.append(f"{len(misplaced)} file(s) not where pip puts them in {scheme}: {where}")
    if duplicated:
        names = ", ".join(sorted(set(duplicated.values())))
        count = len(duplicated)
        reasons.append(f"installs {names} again, which an installed copy satisfies ({count} file(s))")
        stray = [p for p in stray if p not in duplicated]
    if stray:
        more = f" and {len(stray) - 3} more" if len(stray) > 3 else ""
        reasons.append(f"stray file(s): {', '.join(stray[:3])}{more}")
    if reasons:
        return Judgement(Verdict.DIFFERS, reasons, roles, landing)
    return Judgement(Verdict.CONFORMS, [f"lands in {scheme} and works"], roles, landing)


def _uninstall_role(change: FileChange, installed: set[str], facts: InterpreterFacts) -> FileRole:
    """removed | collateral | bytecode | stray | state | dir, for a path an uninstall touched."""
    if change.type == "dir":
        return FileRole.DIR
    if change.change == Change.DELETED and change.path in installed:
        return FileRole.REMOVED
    if change.change == Change.ADDED and change.bytecode_of is not None:
        return FileRole.BYTECODE
    if _is_state(change, facts):
        return FileRole.STATE
    return FileRole.STRAY if change.change == Change.ADDED else FileRole.COLLATERAL


def lists(output: str, fixture: Fixture) -> bool:
    """Whether a list's output has a line naming the project (in any spelling of its name) and its version,
    as pip's columns, uv's and ``name==version`` all do."""
    wanted = canonicalize_name(fixture.name)
    for line in output.splitlines():
        words = line.replace("==", " ").split()
        if len(words) >= 2 and canonicalize_name(words[0]) == wanted and words[1] == fixture.version:
            return True
    return False


def shows(output: str, fixture: Fixture) -> bool:
    """Whether a show's output has a record whose ``Name:`` is the project and whose ``Version:`` is its
    version, as pip's and uv's both print them."""
    records = ("\n" + output).split("\n---\n")
    for record in records:
        fields = dict(line.split(": ", 1) for line in record.splitlines() if ": " in line)
        name, version = fields.get("Name", ""), fields.get("Version", "")
        if canonicalize_name(name) == canonicalize_name(fixture.name) and version.strip() == fixture.version:
            return True
    return False


def judge_query(
    observation: Observation, action: Action, fixture: Fixture, facts: InterpreterFacts
) -> Judgement:
    """Verdict of a list, show or freeze after the set-up's user install: it names the package at its
    version, and changes nothing."""
    setup = observation.setup[-1] if observation.setup else None
    if setup is not None and setup.exit_code != 0:
        return Judgement(
            Verdict.REFUSES, [f"the set-up install failed ({setup.error_class}); nothing to {action}"]
        )
    # Nothing was the query's to write or remove: whatever it deleted or changed is collateral.
    roles = {f.path: _uninstall_role(f, set(), facts) for f in observation.files}
    command = observation.command
    changed = sorted(p for p, r in roles.items() if r == FileRole.COLLATERAL)
    if changed:
        return Judgement(Verdict.DAMAGES, [f"changed files in a {action}: {', '.join(changed[:3])}"], roles)
    if command.exit_code != 0:
        return Judgement(
            Verdict.REFUSES, [f"{action} exits {command.exit_code} ({command.error_class})"], roles
        )
    named = shows(command.stdout, fixture) if action == Action.SHOW else lists(command.stdout, fixture)
    if not named:
        return Judgement(
            Verdict.BROKEN,
            [f"exit 0, but its {action} does not name {fixture.name} {fixture.version}"],
            roles,
        )
    stray = sorted(p for p, r in roles.items() if r == FileRole.STRAY)
    if stray:
        return Judgement(Verdict.DIFFERS, [f"names it, but wrote: {', '.join(stray[:3])}"], roles)
    return Judgement(Verdict.CONFORMS, [f"{action} names {fixture.name} {fixture.version}"], roles)


def judge_uninstall(
    observation: Observation, fixtures: tuple[Fixture, ...], facts: InterpreterFacts
) -> Judgement:
    """Verdict of an uninstall of what the same spelling installed at set-up."""
    setup = observation.setup[-1] if observation.setup else None
    if setup is not None and setup.exit_code != 0:
        return Judgement(
            Verdict.REFUSES, [f"the set-up install failed ({setup.error_class}); nothing to uninstall"]
        )
    layouts = [dist_layout(f, facts, facts.preferred_user) for f in fixtures]
    installed_roles = file_roles(observation.installed, layouts, facts)
    # pip uninstalls the project named, never its dependencies: their files stay, and removing one is
    # collateral damage. A file the project itself claims is the project's.
    own = file_roles(observation.installed, layouts[:1], facts)
    dependencies = file_roles(observation.installed, layouts[1:], facts)
    kept = {p for p, r in dependencies.items() if r in _PACKAGE_ROLES and own[p] not in _PACKAGE_ROLES}
    installed = {p for p, r in installed_roles.items() if r not in _NOT_WRITTEN} - kept
    roles = {f.path: _uninstall_role(f, installed, facts) for f in observation.files}
    removed = {p for p, r in roles.items() if r == FileRole.REMOVED}
    residue = sorted(installed - removed)
    collateral = sorted(p for p, r in roles.items() if r == FileRole.COLLATERAL)
    command = observation.command
    if command.exit_code != 0:
        if removed:
            return Judgement(
                Verdict.DAMAGES,
                [f"failed ({command.error_class}) after removing {len(removed)} file(s)"],
                roles,
            )
        return Judgement(Verdict.REFUSES, [f"refuses to uninstall ({command.error_class})"], roles)
    if collateral:
        return Judgement(
            Verdict.DAMAGES, [f"removed files it had not installed: {', '.join(collateral[:3])}"], roles
        )
    if not removed:
        return Judgement(Verdict.BROKEN, ["exit 0 but nothing was removed"], roles)
    package_left = [p for p in residue if installed_roles[p] in _PACKAGE_ROLES]
    if package_left:
        return Judgement(
            Verdict.DAMAGES,
            [f"left {len(package_left)} package file(s): {', '.join(package_left[:3])}"],
            roles,
        )
    if residue:
        return Judgement(Verdict.DIFFERS, [f"removed the package but left: {', '.join(residue[:3])}"], roles)
    return Judgement(Verdict.CONFORMS, ["removed every file the install added"], roles)


def _judge_satisfied(
    expectation: Expectation,
    written: list[str],
    same: ImportCheck | None,
    roles: dict[str, FileRole],
    landing: dict[str, list[str]],
) -> Judgement:
    """Verdict of an install that pip finds already satisfied by an installed copy: nothing to write."""
    if same is None or not same.ok:
        error = same.error if same else "not checked"
        return Judgement(Verdict.BROKEN, [f"does not import as the same account: {error}"], roles, landing)
    now = f"the account now imports version {same.metadata_version}, not {expectation.version}"
    if not written:
        if same.metadata_version != expectation.version:
            return Judgement(Verdict.BROKEN, [f"installs nothing, yet {now}"], roles, landing)
        return Judgement(
            Verdict.CONFORMS, [f"installs nothing, as pip: {expectation.reason}"], roles, landing
        )
    schemes = sorted({slot.split(":", 1)[0] for slots in landing.values() for slot in slots})
    where = f" in {', '.join(schemes)}" if schemes else ""
    reasons = [f"writes {len(written)} file(s){where} where pip installs nothing ({expectation.reason})"]
    if same.metadata_version != expectation.version:
        reasons.append(now)
    return Judgement(Verdict.DIFFERS, reasons, roles, landing)
