"""Fixture packages, read from ``fixtures/<name>/fixture.toml`` and the file trees beside it."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from conformance.catalogue.scenarios import Scenario
from conformance.paths import FIXTURES_DIR

#: Sub-directories of a fixture that go to a ``<dist>-<ver>.data/<key>/`` directory of the wheel.
DATA_KEYS = ("purelib", "platlib", "scripts", "headers", "data")
#: The sub-directory holding the wheel's root (routed to purelib or platlib by Root-Is-Purelib).
ROOT_DIR = "src"
#: The sub-directory holding, per platform tag, the files only that tag's wheel carries.
TAGS_DIR = "tags"
#: The tag of a fixture's one wheel when its fixture.toml names no ``tags``.
GENERIC_TAG = "py3-none-any"


@dataclass(frozen=True)
class Member:
    """One file the wheel carries: the scheme key it is meant for and its path below that key."""

    key: str  # "root", or one of DATA_KEYS
    path: str  # POSIX path relative to the key's directory
    within: str = ""  # the fixture sub-directory holding the key's directory ("tags/<platform>")

    def scheme_key(self, root_is_purelib: bool) -> str:
        if self.key == "root":
            return "purelib" if root_is_purelib else "platlib"
        return self.key

    @property
    def tree_path(self) -> str:
        """Its path below ``within`` in the fixture's tree: ``src/<path>`` (the root) or ``<key>/<path>``."""
        return f"{ROOT_DIR if self.key == 'root' else self.key}/{self.path}"

    @property
    def mode(self) -> int:
        """Its file mode in a wheel or an sdist: scripts are executable."""
        return 0o755 if self.key == "scripts" else 0o644


@dataclass(frozen=True)
class Fixture:
    """A package the suite builds into a wheel and installs."""

    name: str
    version: str
    import_name: str
    root_is_purelib: bool
    summary: str
    requires: tuple[str, ...]
    console_scripts: tuple[tuple[str, str], ...]
    members: tuple[Member, ...]
    source: Path
    dependency_only: bool = False
    tag: str = GENERIC_TAG
    #: One fixture per wheel when fixture.toml names ``tags``: the same project, its members plus
    #: those under ``tags/<platform>/``, so that what lands shows which wheel an installer picked.
    variants: tuple[Fixture, ...] = ()
    #: A person's own wheel, staged as it is (None: built from the fixture's tree).
    wheel: Path | None = None
    #: The wheel's own .dist-info directory name, when it is not the normalized one.
    dist_info_dir: str = ""
    #: What its console scripts are run with after an install.
    script_args: tuple[str, ...] = ()
    #: The fixture whose package builds it, when it is published as an sdist only (None: as a wheel).
    build_backend: str | None = None
    #: A person's own sdist, staged as it is (its members are those of the wheel it builds).
    sdist: Path | None = None

    @property
    def platform(self) -> str:
        """The platform part of the wheel's tag (``any``, ``manylinux_2_17_x86_64``...)."""
        return self.tag.rsplit("-", 1)[-1]

    @property
    def wheels(self) -> tuple[Fixture, ...]:
        """The fixture of each wheel built for this project."""
        return self.variants or (self,)

    @property
    def normalized(self) -> str:
        """The name as it appears in wheel and dist-info file names."""
        return self.name.replace("-", "_").replace(".", "_").lower()

    @property
    def wheel_name(self) -> str:
        return self.wheel.name if self.wheel else f"{self.normalized}-{self.version}-{self.tag}.whl"

    @property
    def sdist_name(self) -> str:
        """The sdist's file name (PEP 625)."""
        return f"{self.normalized}-{self.version}.tar.gz"

    @property
    def file_name(self) -> str:
        """The file of the wheelhouse an installer finds: the sdist of a fixture published as one, else the
        wheel."""
        if self.sdist is not None:
            return self.sdist.name
        return self.sdist_name if self.build_backend is not None else self.wheel_name

    @property
    def dist_info(self) -> str:
        return self.dist_info_dir or f"{self.normalized}-{self.version}.dist-info"


def _members(source: Path, within: str = "") -> tuple[Member, ...]:
    members: list[Member] = []
    for key, sub in [("root", ROOT_DIR), *[(k, k) for k in DATA_KEYS]]:
        base = source / within / sub
        if base.is_dir():
            members.extend(
                Member(key, p.relative_to(base).as_posix(), within)
                for p in sorted(base.rglob("*"))
                if p.is_file() and "__pycache__" not in p.parts
            )
    return tuple(members)


class FixtureError(ValueError):
    """A fixture directory cannot be built into a wheel; the message names the file and the fix."""


_REQUIRED = {"name": str, "version": str, "import_name": str, "root_is_purelib": bool}


def _validated(source: Path) -> dict[str, Any]:
    path = source / "fixture.toml"
    try:
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise FixtureError(f"{path}: cannot be read as TOML ({error})") from error
    for key, kind in _REQUIRED.items():
        if not isinstance(spec.get(key), kind):
            raise FixtureError(
                f"{path}: '{key}' must be a {kind.__name__} (see fixtures/demo-pkg/fixture.toml)"
            )
    try:
        Version(spec["version"])
        for requirement in spec.get("requires", ()):
            Requirement(requirement)
    except (InvalidVersion, InvalidRequirement) as error:
        raise FixtureError(f"{path}: {error}") from error
    backend = spec.get("build_backend")
    if backend is not None and (not isinstance(backend, str) or spec.get("tags")):
        raise FixtureError(
            f"{path}: 'build_backend' names the fixture that builds this sdist (a str; an sdist has no tags)"
        )
    package = "/".join(spec["import_name"].split("."))
    if not (source / ROOT_DIR / package).is_dir():
        raise FixtureError(f"{path}: no package directory {ROOT_DIR}/{package}/ beside it")
    for tag in spec.get("tags", ()):
        if not isinstance(tag, str) or tag.count("-") != 2:
            raise FixtureError(f"{path}: tag {tag!r} is not a wheel tag like py3-none-any")
    return spec


def _variant(base: Fixture, tag: str) -> Fixture:
    extra = _members(base.source, f"{TAGS_DIR}/{tag.rsplit('-', 1)[-1]}")
    return replace(base, tag=tag, members=base.members + extra)


def load_fixture(source: Path) -> Fixture:
    """Read one fixture directory, checking it first."""
    spec = _validated(source)
    base = Fixture(
        name=spec["name"],
        version=spec["version"],
        import_name=spec["import_name"],
        root_is_purelib=bool(spec["root_is_purelib"]),
        summary=spec.get("summary", ""),
        requires=tuple(spec.get("requires", ())),
        console_scripts=tuple(sorted(spec.get("console_scripts", {}).items())),
        members=_members(source),
        source=source,
        dependency_only=bool(spec.get("dependency_only", False)),
        build_backend=spec.get("build_backend"),
    )
    tags = spec.get("tags", ())
    return replace(base, variants=tuple(_variant(base, t) for t in tags)) if tags else base


#: A person's wheelhouse and requirements file (``--wheelhouse``, ``--requirement``), when they replace
#: ``fixtures/``.
_wheelhouse: tuple[Path, Path | None] | None = None


def use_wheelhouse(directory: Path | None, requirements: Path | None = None) -> None:
    """Make the wheels of ``directory`` the packages of every cell (None: ``fixtures/`` again); a wheelhouse
    the matrix cannot run is refused now, with its reason."""
    global _wheelhouse
    if directory is None and requirements is not None:
        raise FixtureError("--requirement names projects of a --wheelhouse: give both")
    _wheelhouse = None if directory is None else (directory, requirements)
    all_fixtures.cache_clear()
    all_fixtures()


def user_packages() -> bool:
    """Whether cells install a person's own wheels instead of the demo fixtures."""
    return _wheelhouse is not None


@cache
def all_fixtures() -> dict[str, Fixture]:
    """Every package a cell may install, by name: the fixtures under ``fixtures/``, or a wheelhouse's."""
    if _wheelhouse is not None:
        from conformance.catalogue.wheelhouse import load_wheelhouse  # it builds on this module

        return load_wheelhouse(*_wheelhouse)
    found = {f.name: f for f in (load_fixture(p.parent) for p in sorted(FIXTURES_DIR.glob("*/fixture.toml")))}
    for fixture in found.values():
        if fixture.build_backend is not None and fixture.build_backend not in found:
            raise FixtureError(
                f"{fixture.source / 'fixture.toml'}: build_backend {fixture.build_backend!r} is not a fixture"
            )
    return found


def matrix_fixtures() -> tuple[str, ...]:
    """Fixtures that are installed by name in cells (dependencies come along on their own)."""
    return tuple(name for name, f in all_fixtures().items() if not f.dependency_only)


def rows_of(scenario: Scenario) -> tuple[str, ...]:
    """The packages ``scenario`` installs: its own, or every row of a person's wheelhouse (a scenario whose
    set-up installs a demo fixture first has none there)."""
    if not user_packages():
        return scenario.fixtures
    demo_setup = scenario.system_copy is not None or scenario.earlier_user_install is not None
    return () if demo_setup else matrix_fixtures()


def closure(name: str) -> tuple[Fixture, ...]:
    """A fixture and every fixture it requires, transitively, in a stable order."""
    fixtures = {canonicalize_name(f.name): f for f in all_fixtures().values()}
    seen: dict[str, Fixture] = {}
    pending = [name]
    while pending:
        current = fixtures[canonicalize_name(pending.pop(0))]
        if current.name in seen:
            continue
        seen[current.name] = current
        pending.extend(Requirement(r).name for r in current.requires)
    return tuple(seen.values())
