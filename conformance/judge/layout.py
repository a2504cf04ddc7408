"""Where each file of a fixture should land in a scheme, computed from the interpreter's sysconfig."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from conformance.catalogue.fixtures import Fixture
from conformance.run.facts import InterpreterFacts


@dataclass(frozen=True)
class DistLayout:
    """Expected landing of one distribution: wheel members, entry-point scripts and its dist-info."""

    dist: str
    lib_dir: str
    dist_info_dir: str
    members: dict[str, str]  # expected absolute path -> "key:path in wheel"
    scripts: dict[str, str]  # console script name -> expected absolute path

    def owns_generated(self, path: str) -> bool:
        """Files an installer legitimately adds beyond the wheel's: dist-info extras and bytecode."""
        if path.startswith(self.dist_info_dir + "/"):
            return True
        if "/__pycache__/" in path and path.endswith(".pyc"):
            source_dir = path.split("/__pycache__/", 1)[0]
            return any(posixpath.dirname(p) == source_dir for p in self.members if p.endswith(".py"))
        return False


def headers_dir(facts: InterpreterFacts, scheme: str, dist_name: str) -> str:
    """pip's headers: ``<include>/<name as typed>``, or ``<base>/include/site/pythonX.Y/<name>`` in a venv."""
    if facts.in_venv:
        base = facts.user_base if scheme == facts.preferred_user else facts.prefix
        return posixpath.join(base, "include", "site", f"python{facts.version_short}", dist_name)
    return posixpath.join(facts.schemes[scheme]["include"], dist_name)


def dist_layout(fixture: Fixture, facts: InterpreterFacts, scheme: str) -> DistLayout:
    """The expected paths of ``fixture`` installed into ``scheme`` of this interpreter."""
    paths = {k: posixpath.normpath(v) for k, v in facts.schemes[scheme].items()}
    lib_dir = paths["purelib" if fixture.root_is_purelib else "platlib"]
    members = {}
    for member in fixture.members:
        key = member.scheme_key(fixture.root_is_purelib)
        base = headers_dir(facts, scheme, fixture.name) if key == "headers" else paths[key]
        members[posixpath.join(base, member.path)] = f"{key}:{member.path}"
    scripts = {name: posixpath.join(paths["scripts"], name) for name, _ in fixture.console_scripts}
    return DistLayout(fixture.name, lib_dir, posixpath.join(lib_dir, fixture.dist_info), members, scripts)
