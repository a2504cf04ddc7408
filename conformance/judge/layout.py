"""Where each file of a fixture should land in a scheme, computed from the interpreter's sysconfig."""

from __future__ import annotations

from dataclasses import dataclass, field

from conformance.catalogue.fixtures import Fixture
from conformance.judge.paths import PathRules, rules, script_name
from conformance.run.facts import InterpreterFacts


@dataclass(frozen=True)
class DistLayout:
    """Expected landing of one distribution: wheel members, entry-point scripts and its dist-info."""

    dist: str
    lib_dir: str
    dist_info_dir: str
    members: dict[str, str]  # expected absolute path -> "key:path in wheel"
    scripts: dict[str, str]  # console script name -> expected absolute path
    rules: PathRules = field(default=PathRules(nt=False))

    def owns_generated(self, path: str) -> bool:
        """Files an installer legitimately adds beyond the wheel's: dist-info extras and bytecode."""
        key, sep = self.rules.key, self.rules.sep
        if key(path).startswith(key(self.dist_info_dir) + sep):
            return True
        if self.rules.has_dir(path, "__pycache__") and key(path).endswith(".pyc"):
            # <dir>/__pycache__/<module>.<tag>.pyc is the bytecode of <dir>/<module>.py: another
            # distribution's module in the same directory has bytecode there too.
            source_dir = self.rules.dirname(self.rules.dirname(path))
            module = self.rules.basename(path).split(".", 1)[0]
            return key(self.rules.join(source_dir, f"{module}.py")) in {key(p) for p in self.members}
        return False


def headers_dir(facts: InterpreterFacts, scheme: str, dist_name: str) -> str:
    """pip's headers: ``<include>/<name as typed>``, or ``<base>/include/site/pythonX.Y/<name>`` in a venv."""
    join = rules(facts).flavour.join
    if facts.in_venv:
        base = facts.user_base if scheme == facts.preferred_user else facts.prefix
        return str(join(base, "include", "site", f"python{facts.version_short}", dist_name))
    return str(join(facts.schemes[scheme]["include"], dist_name))


def dist_layout(fixture: Fixture, facts: InterpreterFacts, scheme: str) -> DistLayout:
    """The expected paths of ``fixture`` installed into ``scheme`` of this interpreter."""
    path_rules = rules(facts)
    flavour = path_rules.flavour
    paths = {k: flavour.normpath(v) for k, v in facts.schemes[scheme].items()}
    lib_dir = paths["purelib" if fixture.root_is_purelib else "platlib"]
    members = {}
    for member in fixture.members:
        key = member.scheme_key(fixture.root_is_purelib)
        base = headers_dir(facts, scheme, fixture.name) if key == "headers" else paths[key]
        members[path_rules.join(base, member.path)] = f"{key}:{member.path}"
    scripts = {
        name: flavour.join(paths["scripts"], script_name(facts, name)) for name, _ in fixture.console_scripts
    }
    dist_info = flavour.join(lib_dir, fixture.dist_info)
    return DistLayout(fixture.name, lib_dir, dist_info, members, scripts, path_rules)
