"""Judge an observation against the intent's expectation: one verdict from a small fixed set, with reasons."""

from __future__ import annotations

import posixpath

from conformance.catalogue.fixtures import Fixture
from conformance.judge.layout import DistLayout, dist_layout
from conformance.record.cell import Expectation, FileChange, Judgement, Observation
from conformance.run.facts import InterpreterFacts

CONFORMS, DIFFERS, BROKEN, REFUSES, DAMAGES = "conforms", "differs", "broken", "refuses", "damages"
VERDICTS: dict[str, str] = {
    CONFORMS: "does what the intent calls for: lands in the intended scheme and works, or refuses like pip",
    DIFFERS: "works, but lands elsewhere (or leaves extra files), or installs where pip refuses",
    BROKEN: "reports success, but the package does not import, its script does not run, or nothing landed",
    REFUSES: "fails cleanly, nothing written, where pip installs (or refuses for another reason)",
    DAMAGES: "leaves partial files, writes then fails, or changes files that were there before",
}
#: Installer state that is listed but not judged.
_STATE_DIRS = ("/tmp", "/var/tmp", "/run", "/var/cache")


def _is_state(change: FileChange, facts: InterpreterFacts) -> bool:
    """Temporary or cache files outside every scheme (a scheme directory is never state, even under /tmp)."""
    if change.slots:
        return False
    dirs = (*_STATE_DIRS, posixpath.join(facts.home, ".cache"))
    return any(change.path == d or change.path.startswith(d + "/") for d in dirs)


def _misplaced_of(path: str, layouts: list[DistLayout]) -> str | None:
    """The wheel member (or generated file) this path is a copy of, when it is not where it belongs."""
    for layout in layouts:
        if f"/{posixpath.basename(layout.dist_info_dir)}/" in path:
            return f"{layout.dist}:dist-info"
        for name in layout.scripts:
            if posixpath.basename(path) == name:
                return f"{layout.dist}:script:{name}"
        for member in layout.members.values():
            if path.endswith("/" + member.split(":", 1)[1]):
                return f"{layout.dist}:{member}"
        if "/__pycache__/" in path and path.endswith(".pyc"):
            module = posixpath.basename(path).split(".", 1)[0] + ".py"
            if any(m.endswith("/" + module) or m.endswith(":" + module) for m in layout.members.values()):
                return f"{layout.dist}:bytecode"
    return None


def file_roles(files: list[FileChange], layouts: list[DistLayout], facts: InterpreterFacts) -> dict[str, str]:
    """expected | generated | misplaced | stray | state | dir | replaced | preexisting, per path."""
    expected = {p for layout in layouts for p in (*layout.members, *layout.scripts.values())}
    roles = {}
    for change in files:
        path = change.path
        owned = path in expected or any(layout.owns_generated(path) for layout in layouts)
        if change.type == "dir":
            role = "dir"
        elif change.change != "added":
            if owned or _misplaced_of(path, layouts) is not None:
                role = "replaced"
            else:
                role = "state" if _is_state(change, facts) else "preexisting"
        elif path in expected:
            role = "expected"
        elif owned:
            role = "generated"
        elif _misplaced_of(path, layouts) is not None:
            role = "misplaced"
        elif _is_state(change, facts):
            role = "state"
        else:
            role = "stray"
        roles[path] = role
    return roles


def _landing(files: list[FileChange], layouts: list[DistLayout]) -> tuple[dict[str, list[str]], list[str]]:
    """Where each kind of member landed (scheme slots, or a directory outside them all); what is missing."""
    by_path = {f.path: f for f in files if f.type != "dir" and f.change != "deleted"}
    landing: dict[str, set[str]] = {}
    missing = []
    for layout in layouts:
        wanted = [(path, member) for path, member in layout.members.items()]
        wanted += [(path, f"scripts:{name}") for name, path in layout.scripts.items()]
        for path, member in wanted:
            key, rel = member.split(":", 1)
            found = by_path.get(path) or next((f for p, f in by_path.items() if p.endswith("/" + rel)), None)
            if found is None:
                missing.append(f"{layout.dist}:{member}")
                continue
            where = found.slots or [f"(no scheme) {posixpath.dirname(found.path)}"]
            landing.setdefault(key, set()).update(where)
    return {k: sorted(v) for k, v in sorted(landing.items())}, missing


def judge_install(
    expectation: Expectation, observation: Observation, fixtures: tuple[Fixture, ...], facts: InterpreterFacts
) -> Judgement:
    """Verdict of an install command."""
    scheme = expectation.scheme or facts.preferred_user
    layouts = [dist_layout(f, facts, scheme) for f in fixtures]
    roles = file_roles(observation.files, layouts, facts)
    landing, missing = _landing(observation.files, layouts)
    command = observation.command
    written = [p for p, r in roles.items() if r not in ("dir", "state")]
    reasons = []
    if command.exit_code != 0:
        if written:
            return Judgement(
                DAMAGES,
                [f"failed ({command.error_class}) after writing {len(written)} file(s)"],
                roles,
                landing,
            )
        if expectation.outcome == "refuse" and command.error_class == expectation.error_class:
            return Judgement(CONFORMS, [f"refuses as pip does: {command.error_class}"], roles, landing)
        if expectation.outcome == "refuse":
            why = f"refuses ({command.error_class}), not for pip's reason ({expectation.error_class})"
        else:
            why = f"refuses ({command.error_class}) where pip installs ({expectation.reason})"
        return Judgement(REFUSES, [why], roles, landing)
    total = sum(len(layout.members) + len(layout.scripts) for layout in layouts)
    if len(missing) == total:
        return Judgement(BROKEN, ["exit 0 but nothing of the package landed"], roles, landing)
    if missing:
        reasons.append(f"partial install, missing: {', '.join(missing)}")
    preexisting = sorted(p for p, r in roles.items() if r == "preexisting")
    if preexisting:
        reasons.append(f"changed files that were there before: {', '.join(preexisting[:5])}")
    if reasons:
        return Judgement(DAMAGES, reasons, roles, landing)
    same = next((c for c in observation.imports if c.who == "same"), None)
    if same is None or not same.ok:
        reasons.append(f"does not import as the same account: {same.error if same else 'not checked'}")
    reasons += [
        f"script {s.name} does not run (exit {s.exit_code})" for s in observation.scripts if s.exit_code != 0
    ]
    if expectation.outcome == "refuse":
        reasons.append(f"installs where pip refuses ({expectation.error_class}: {expectation.reason})")
    if any(r.startswith(("does not import", "script ")) for r in reasons):
        return Judgement(BROKEN, reasons, roles, landing)
    misplaced = sorted(p for p, r in roles.items() if r == "misplaced")
    stray = sorted(p for p, r in roles.items() if r == "stray")
    if misplaced:
        slots = {f.path: " ".join(f.slots) or "no scheme" for f in observation.files}
        where = ", ".join(f"{p} ({slots[p]})" for p in misplaced[:3])
        reasons.append(f"{len(misplaced)} file(s) not where pip puts them in {scheme}: {where}")
    if stray:
        reasons.append(f"stray file(s): {', '.join(stray[:3])}")
    if reasons:
        return Judgement(DIFFERS, reasons, roles, landing)
    return Judgement(CONFORMS, [f"lands in {scheme} and works"], roles, landing)


def _uninstall_role(change: FileChange, installed: set[str], facts: InterpreterFacts) -> str:
    """removed | collateral | stray | state | dir, for a path an uninstall touched."""
    if change.type == "dir":
        return "dir"
    if change.change == "deleted" and change.path in installed:
        return "removed"
    if _is_state(change, facts):
        return "state"
    return "stray" if change.change == "added" else "collateral"


def judge_uninstall(
    observation: Observation, fixtures: tuple[Fixture, ...], facts: InterpreterFacts
) -> Judgement:
    """Verdict of an uninstall of what the same spelling installed at set-up."""
    setup = observation.setup[-1] if observation.setup else None
    if setup is not None and setup.exit_code != 0:
        return Judgement(REFUSES, [f"the set-up install failed ({setup.error_class}); nothing to uninstall"])
    layouts = [dist_layout(f, facts, facts.preferred_user) for f in fixtures]
    installed_roles = file_roles(observation.installed, layouts, facts)
    installed = {p for p, r in installed_roles.items() if r not in ("dir", "state")}
    roles = {f.path: _uninstall_role(f, installed, facts) for f in observation.files}
    removed = {p for p, r in roles.items() if r == "removed"}
    residue = sorted(installed - removed)
    collateral = sorted(p for p, r in roles.items() if r == "collateral")
    command = observation.command
    if command.exit_code != 0:
        if removed:
            return Judgement(
                DAMAGES, [f"failed ({command.error_class}) after removing {len(removed)} file(s)"], roles
            )
        return Judgement(REFUSES, [f"refuses to uninstall ({command.error_class})"], roles)
    if collateral:
        return Judgement(DAMAGES, [f"removed files it had not installed: {', '.join(collateral[:3])}"], roles)
    if not removed:
        return Judgement(BROKEN, ["exit 0 but nothing was removed"], roles)
    package_left = [p for p in residue if installed_roles[p] in ("expected", "generated", "misplaced")]
    if package_left:
        return Judgement(
            DAMAGES, [f"left {len(package_left)} package file(s): {', '.join(package_left[:3])}"], roles
        )
    if residue:
        return Judgement(DIFFERS, [f"removed the package but left: {', '.join(residue[:3])}"], roles)
    return Judgement(CONFORMS, ["removed every file the install added"], roles)
