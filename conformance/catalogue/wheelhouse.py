"""A person's own packages: each wheel of a directory read into a Fixture from its RECORD and metadata."""

from __future__ import annotations

import configparser
import csv
import io
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
    tags = [w.tag for w in wheels]
    if len(set(tags)) < len(tags):
        raise WheelhouseError(f"--wheelhouse {directory}: two wheels of {first.name} with one tag")
    return replace(first, variants=tuple(wheels))


def load_wheelhouse(directory: Path, requirements: Path | None = None) -> dict[str, Fixture]:
    """Every wheel of ``directory``, by project name; the rows are the requirements file's projects (else
    those no other wheel requires), and the rest are their dependencies."""
    if not directory.is_dir():
        raise WheelhouseError(f"--wheelhouse {directory}: no such directory")
    sdists = sorted(p.name for p in directory.glob("*.tar.gz"))
    if sdists:
        raise WheelhouseError(
            f"--wheelhouse {directory}: {sdists[0]} is an sdist; cells install offline from wheels only. "
            f"Build its wheel first: pip wheel --no-deps --wheel-dir {directory} {directory / sdists[0]}"
        )
    wheels: dict[str, list[Fixture]] = {}
    for wheel in sorted(directory.glob("*.whl")):
        fixture = load_wheel(wheel)
        wheels.setdefault(canonicalize_name(fixture.name), []).append(fixture)
    if not wheels:
        raise WheelhouseError(f"--wheelhouse {directory}: no wheels (*.whl); download some with pip download")
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
        rows = [key for key in fixtures if key not in required]
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
