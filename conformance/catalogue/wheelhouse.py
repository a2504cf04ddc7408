"""A person's own packages: each wheel of a directory read into a Fixture from its RECORD and metadata."""

from __future__ import annotations

import configparser
import csv
import io
import os
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import zipfile
from dataclasses import replace
from email.parser import BytesParser
from pathlib import Path, PurePosixPath

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import InvalidWheelFilename, canonicalize_name, parse_wheel_filename

from conformance.catalogue.fixtures import DATA_KEYS, Fixture, FixtureError, Member

#: What a real wheel's console scripts are run with: a bare call of most programs fails on purpose
#: (no input given), while ``--help`` shows that the script starts and its entry point imports.
SCRIPT_ARGS = ("--help",)


class WheelhouseError(FixtureError):
    """A wheelhouse or requirements file the matrix cannot run; the message says what to do instead."""


def _read(archive: zipfile.ZipFile, name: str, wheel: Path) -> bytes:
    try:
        return archive.read(name)
    except KeyError:
        raise WheelhouseError(f"{wheel.name}: no {name} in the wheel; rebuild it") from None


def _dist_info(names: list[str], wheel: Path) -> str:
    found = sorted({n.split("/", 1)[0] for n in names if n.split("/", 1)[0].endswith(".dist-info")})
    if len(found) != 1:
        raise WheelhouseError(f"{wheel.name}: {len(found)} .dist-info directories, a wheel has one")
    return found[0]


def _record_paths(record: bytes, dist_info: str, wheel: Path) -> list[str]:
    try:
        rows = list(csv.reader(io.StringIO(record.decode("utf-8"))))
    except (UnicodeDecodeError, csv.Error) as error:
        raise WheelhouseError(f"{wheel.name}: its RECORD cannot be read ({error})") from error
    return [row[0] for row in rows if row and not row[0].startswith(f"{dist_info}/")]


def _members(paths: list[str], wheel: Path) -> tuple[Member, ...]:
    """Each file the RECORD lists, routed as the wheel spec routes it: ``<name>.data/<key>/`` or the root."""
    members = []
    for path in paths:
        top, _, rest = path.partition("/")
        if top.endswith(".data") and rest:
            key, _, below = rest.partition("/")
            if key not in DATA_KEYS or not below:
                raise WheelhouseError(f"{wheel.name}: {path} is under no scheme key ({', '.join(DATA_KEYS)})")
            members.append(Member(key, below))
        else:
            members.append(Member("root", path))
    return tuple(members)


def _import_name(members: tuple[Member, ...], top_level: bytes | None, project: str, wheel: Path) -> str:
    """The module a user imports: top_level.txt's, else a top-level package or module of the wheel's root;
    the one named like the project when there are several."""
    if top_level is not None:
        names = [n.strip() for n in top_level.decode("utf-8").splitlines() if n.strip()]
    else:
        roots = [PurePosixPath(m.path) for m in members if m.key in ("root", "purelib", "platlib")]
        names = sorted(
            {p.parts[0] for p in roots if len(p.parts) > 1} | {p.stem for p in roots if len(p.parts) == 1}
        )
    names = [n for n in names if n.isidentifier() and not n.startswith("_")]
    if not names:
        raise WheelhouseError(f"{wheel.name}: no importable top-level package or module")
    wanted = canonicalize_name(project).replace("-", "_")
    return next((n for n in names if n.lower() == wanted), names[0])


def _requires(metadata: dict[str, list[str]], wheel: Path) -> tuple[str, ...]:
    """Requires-Dist without the extras' requirements; other markers are evaluated for this machine's
    Python (the targets' own may differ: a requirement for an older Python is then left out)."""
    kept = []
    for text in metadata.get("Requires-Dist", []):
        try:
            requirement = Requirement(text)
        except InvalidRequirement as error:
            raise WheelhouseError(f"{wheel.name}: Requires-Dist {text!r}: {error}") from error
        if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
            requirement.marker = None  # decided: the closure and the judge read plain requirements
            kept.append(str(requirement))
    return tuple(kept)


def _console_scripts(entry_points: bytes | None) -> tuple[tuple[str, str], ...]:
    if entry_points is None:
        return ()
    parser = configparser.ConfigParser(delimiters=("=",), interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(entry_points.decode("utf-8"))
    found = {}
    for section in ("console_scripts", "gui_scripts"):  # pip generates both kinds of script
        if parser.has_section(section):
            found.update({name: target.strip() for name, target in parser.items(section)})
    return tuple(sorted(found.items()))


def load_wheel(wheel: Path) -> Fixture:
    """A Fixture for one wheel, from its WHEEL, METADATA, RECORD, entry points and top_level.txt."""
    try:
        name, _, _, _ = parse_wheel_filename(wheel.name)
    except InvalidWheelFilename as error:
        raise WheelhouseError(f"{wheel.name}: {error}") from error
    try:
        with zipfile.ZipFile(wheel) as archive:
            names = archive.namelist()
            dist_info = _dist_info(names, wheel)
            metadata_bytes = _read(archive, f"{dist_info}/METADATA", wheel)
            wheel_file = _read(archive, f"{dist_info}/WHEEL", wheel).decode("utf-8")
            record = _read(archive, f"{dist_info}/RECORD", wheel)
            optional = {
                n: archive.read(f"{dist_info}/{n}") if f"{dist_info}/{n}" in names else None
                for n in ("entry_points.txt", "top_level.txt")
            }
    except (zipfile.BadZipFile, OSError) as error:
        raise WheelhouseError(f"{wheel.name}: not a readable wheel ({error})") from error
    parsed = BytesParser().parsebytes(metadata_bytes, headersonly=True)
    metadata = {key: parsed.get_all(key) or [] for key in ("Name", "Version", "Summary", "Requires-Dist")}
    if not metadata["Name"] or not metadata["Version"]:
        raise WheelhouseError(f"{wheel.name}: its METADATA has no Name or Version")
    members = _members(_record_paths(record, dist_info, wheel), wheel)
    project = metadata["Name"][0]
    if canonicalize_name(project) != name:
        raise WheelhouseError(f"{wheel.name}: its METADATA names the project {project!r}, not the file's")
    return Fixture(
        name=project,
        version=metadata["Version"][0],
        import_name=_import_name(members, optional["top_level.txt"], project, wheel),
        root_is_purelib="root-is-purelib: true" in wheel_file.lower(),
        summary=(metadata["Summary"] or [""])[0],
        requires=_requires(metadata, wheel),
        console_scripts=_console_scripts(optional["entry_points.txt"]),
        members=members,
        source=wheel.parent,
        tag="-".join(wheel.name.removesuffix(".whl").split("-")[-3:]),
        wheel=wheel,
        dist_info_dir=dist_info,
        script_args=SCRIPT_ARGS,
    )


def _requested(requirements: Path) -> list[str]:
    """Project names of a requirements file: one requirement per line, comments and blank lines skipped."""
    try:
        lines = requirements.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise WheelhouseError(f"--requirement {requirements}: cannot be read ({error.strerror})") from error
    names = []
    for number, line in enumerate(lines, 1):
        text = line.split(" #", 1)[0].strip()
        if not text or text.startswith("#"):
            continue
        if text.startswith("-"):
            raise WheelhouseError(
                f"--requirement {requirements}:{number}: options ({text.split()[0]}) are not read here; "
                "list one project per line"
            )
        try:
            names.append(Requirement(text).name)
        except InvalidRequirement as error:
            raise WheelhouseError(f"--requirement {requirements}:{number}: {error}") from error
    if not names:
        raise WheelhouseError(f"--requirement {requirements}: names no project")
    return names


#: What pip builds an sdist without a pyproject.toml (or without its [build-system]) with.
_LEGACY_BUILD_REQUIRES = ("setuptools>=40.8.0",)


def _build_requires(sdist: Path) -> tuple[str, ...]:
    """The build requirements the sdist's pyproject.toml names (pip's default without one)."""
    try:
        with tarfile.open(sdist) as archive:
            member = next(
                (
                    m
                    for m in archive.getmembers()
                    if m.name.count("/") == 1 and m.name.endswith("/pyproject.toml")
                ),
                None,
            )
            extracted = archive.extractfile(member) if member is not None else None
            text = extracted.read().decode("utf-8") if extracted is not None else ""
        requires = tomllib.loads(text).get("build-system", {}).get("requires")
    except (tarfile.TarError, OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise WheelhouseError(f"{sdist.name}: not a readable sdist ({error})") from error
    return tuple(requires) if isinstance(requires, list) else _LEGACY_BUILD_REQUIRES


def load_sdist(sdist: Path, directory: Path) -> Fixture:
    """A Fixture for a person's pure sdist: the members of the wheel it builds here, offline, with its build
    requirements from ``directory`` only (as the cells build it); staged as the sdist."""
    with tempfile.TemporaryDirectory() as out:
        build = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-index"]
        where = ["--find-links", str(directory), "--wheel-dir", out, str(sdist)]
        # The machine's pip configuration must not lend the build what the wheelhouse lacks.
        env = {**os.environ, "PIP_CONFIG_FILE": os.devnull}
        built = subprocess.run([*build, *where], capture_output=True, text=True, env=env, check=False)
        wheels = sorted(Path(out).glob("*.whl"))
        if built.returncode != 0 or len(wheels) != 1:
            why = (built.stderr.strip().splitlines() or ["no wheel"])[-1]
            raise WheelhouseError(
                f"{sdist.name}: its wheel cannot be built offline from --wheelhouse {directory} ({why}); "
                "put the wheels of its build requirements there too (pip download setuptools)"
            )
        fixture = load_wheel(wheels[0])
    if not fixture.root_is_purelib or fixture.tag.split("-", 1)[1] != "none-any":
        raise WheelhouseError(
            f"{sdist.name}: it builds {wheels[0].name}, which is not pure: each target would compile it; "
            "build its wheels for the targets and give those instead"
        )
    return replace(fixture, wheel=None, sdist=sdist)


def _project(wheels: list[Fixture], directory: Path) -> Fixture:
    """One project's wheels: one Fixture, whose variants are its wheels for several interpreters or
    platforms (the judge expects the one pip picks on each target)."""
    first = wheels[0]
    if len(wheels) == 1:
        return first
    versions = sorted({w.version for w in wheels})
    if len(versions) > 1:
        raise WheelhouseError(
            f"--wheelhouse {directory}: wheels of {first.name} at {' and '.join(versions)}; keep one "
            "version, so that every installer finds the same"
        )
    by_tag: dict[str, str] = {}
    for wheel in wheels:
        other = by_tag.setdefault(wheel.tag, wheel.file_name)
        if other != wheel.file_name:
            raise WheelhouseError(
                f"--wheelhouse {directory}: {other} and {wheel.file_name} are both {first.name} for "
                f"{wheel.tag} (an sdist counts as the wheel it builds); keep one"
            )
    return replace(first, variants=tuple(wheels))


def load_wheelhouse(directory: Path, requirements: Path | None = None) -> dict[str, Fixture]:
    """Every wheel of ``directory``, by project name; the rows are the requirements file's projects (else
    those no other wheel requires), and the rest are their dependencies."""
    if not directory.is_dir():
        raise WheelhouseError(f"--wheelhouse {directory}: no such directory")
    wheels: dict[str, list[Fixture]] = {}
    for wheel in sorted(directory.glob("*.whl")):
        fixture = load_wheel(wheel)
        wheels.setdefault(canonicalize_name(fixture.name), []).append(fixture)
    # A build requirement is there to build an sdist in the cells, not a row of its own.
    build_requires: set[str] = set()
    for sdist in sorted(directory.glob("*.tar.gz")):
        build_requires.update(canonicalize_name(Requirement(r).name) for r in _build_requires(sdist))
        fixture = load_sdist(sdist, directory)
        wheels.setdefault(canonicalize_name(fixture.name), []).append(fixture)
    if not wheels:
        raise WheelhouseError(
            f"--wheelhouse {directory}: no wheels (*.whl) or sdists (*.tar.gz); get some with pip download"
        )
    fixtures = {key: _project(found, directory) for key, found in wheels.items()}
    for fixture in fixtures.values():
        for requirement in map(Requirement, fixture.requires):
            dependency = fixtures.get(canonicalize_name(requirement.name))
            if dependency is None:
                raise WheelhouseError(
                    f"--wheelhouse {directory}: {fixture.name} requires {requirement}, which has no wheel "
                    "there; download the dependencies too (pip download without --no-deps)"
                )
            if not requirement.specifier.contains(dependency.version, prereleases=True):
                raise WheelhouseError(
                    f"--wheelhouse {directory}: {fixture.name} requires {requirement}, the wheel there is "
                    f"{dependency.version}"
                )
    required = {canonicalize_name(Requirement(r).name) for f in fixtures.values() for r in f.requires}
    if requirements is None:
        rows = [key for key in fixtures if key not in required and key not in build_requires]
    else:
        rows = [canonicalize_name(n) for n in _requested(requirements)]
        missing = [n for n in rows if n not in fixtures]
        if missing:
            raise WheelhouseError(
                f"--requirement {requirements}: no wheel of {', '.join(missing)} in --wheelhouse {directory}"
            )
    return {
        fixture.name: replace(fixture, dependency_only=key not in rows)
        for key, fixture in sorted(fixtures.items(), key=lambda item: (item[0] not in rows, item[0]))
    }
