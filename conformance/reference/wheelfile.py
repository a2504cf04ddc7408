"""Read a wheel's metadata, and vet the whole wheel against its scheme before anything is written."""

from __future__ import annotations

import configparser
import ntpath
import os
import posixpath
import re
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import Message
from email.parser import HeaderParser

from installer.exceptions import InstallerError
from installer.sources import WheelFile

from .errors import InvalidWheel
from .names import canonical_name
from .scheme import SCHEME_KEYS, Scheme

# What distlib (and so pip) accepts as an entry point value: "module[:attr]" plus optional "[extras]".
# A string, compiled (and cached by re) on first use: only wheels with entry points need it.
_ENTRY_POINT = r"^(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+))?\s*(\[.*\])?\s*$"

#: Errors a damaged archive raises while being read.
_BROKEN_ARCHIVE = (zipfile.BadZipFile, zlib.error, EOFError, OSError, UnicodeDecodeError, KeyError)


@dataclass
class EntryPoint:
    """A console or gui script to generate."""

    name: str
    module: str
    attr: str
    gui: bool


@dataclass
class WheelInfo:
    """What the installer needs from a wheel's .dist-info."""

    path: str
    name: str  # the metadata Name field
    version: str
    dist_info: str
    data_dir: str
    root_is_purelib: bool
    requires_dist: tuple[str, ...]
    requires_python: str | None
    entry_points: tuple[EntryPoint, ...]
    provides_extra: tuple[str, ...] = ()

    def wrapper_names(self) -> frozenset[str]:
        """Script names pip skips in .data/scripts because it generates them from entry points."""
        return frozenset(ep.name for ep in self.entry_points)


def _parse_entry_points(text: str, wheel: str) -> tuple[EntryPoint, ...]:
    parser = configparser.ConfigParser(delimiters=("=",), interpolation=None)
    parser.optionxform = str  # type: ignore[assignment, method-assign]  # keep the names' case
    try:
        parser.read_string(text)
    except configparser.Error as exc:
        raise InvalidWheel(wheel, f"entry_points.txt does not parse: {exc}") from None
    found = []
    for section, gui in (("console_scripts", False), ("gui_scripts", True)):
        if not parser.has_section(section):
            continue
        for name, value in parser.items(section):
            match = re.match(_ENTRY_POINT, value)
            if match is None or match.group("attr") is None:
                raise InvalidWheel(
                    wheel,
                    f"Invalid script entry point: {name} = {value} - A callable suffix is required. See "
                    "https://packaging.python.org/specifications/entry-points/#use-for-scripts for more "
                    "information.",
                )
            found.append(EntryPoint(name, match.group("module"), match.group("attr"), gui))
    return tuple(found)


def _headers(source: WheelFile, filename: str, wheel: str) -> Message:
    try:
        return HeaderParser().parsestr(source.read_dist_info(filename))
    except KeyError:
        raise InvalidWheel(wheel, f"{source.dist_info_dir}/{filename} is missing") from None


def read_wheel(path: str) -> WheelInfo:
    """Open a wheel and read its metadata; a damaged or inconsistent wheel raises InvalidWheel."""
    wheel = os.path.basename(path)
    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                if posixpath.isabs(member) or ntpath.splitdrive(member)[0]:
                    raise InvalidWheel(
                        wheel,
                        f"The wheel has a file {member!r} trying to install outside the target directory",
                    )
            source = WheelFile(archive)
            wheel_meta = _headers(source, "WHEEL", wheel)
            metadata = _headers(source, "METADATA", wheel)
            entry_text = (
                source.read_dist_info("entry_points.txt")
                if "entry_points.txt" in source.dist_info_filenames
                else ""
            )
            dist_info, data_dir = source.dist_info_dir, source.data_dir
    except InvalidWheel:
        raise
    except (*_BROKEN_ARCHIVE, InstallerError, ValueError) as exc:
        raise InvalidWheel(wheel, str(exc) or type(exc).__name__) from None
    wheel_version = wheel_meta.get("Wheel-Version", "")
    if not wheel_version.startswith("1."):
        raise InvalidWheel(wheel, f"Wheel-Version {wheel_version!r} is not supported (only 1.x)")
    name, version = metadata.get("Name"), metadata.get("Version")
    if not name or not version:
        raise InvalidWheel(wheel, "METADATA lacks Name or Version")
    if canonical_name(name) != canonical_name(source.distribution):
        raise InvalidWheel(wheel, f"METADATA names {name!r}, the file name {source.distribution!r}")
    if version != source.version and not _same_version(version, source.version):
        raise InvalidWheel(wheel, f"METADATA has version {version!r}, the file name {source.version!r}")
    return WheelInfo(
        path=path,
        name=name,
        version=version,
        dist_info=dist_info,
        data_dir=data_dir,
        root_is_purelib=wheel_meta.get("Root-Is-Purelib", "").lower() == "true",
        requires_dist=tuple(metadata.get_all("Requires-Dist") or ()),
        requires_python=metadata.get("Requires-Python"),
        entry_points=_parse_entry_points(entry_text, wheel),
        provides_extra=tuple(metadata.get_all("Provides-Extra") or ()),
    )


def is_within(directory: str, target: str) -> bool:
    """pip's ``is_within_directory``: the absolute target is the directory or below it."""
    abs_directory = os.path.abspath(directory)
    abs_target = os.path.abspath(target)
    try:
        return os.path.commonpath([abs_directory, abs_target]) == abs_directory
    except ValueError:  # different drives
        return False


def destination(info: WheelInfo, scheme: Mapping[str, str], member: str) -> str:
    """Where an archive member lands, refusing anything outside its scheme directory."""
    wheel = os.path.basename(info.path)
    top, _, rest = member.partition("/")
    if top == info.data_dir:
        key, _, sub = rest.partition("/")
        if key not in SCHEME_KEYS or not sub:
            raise InvalidWheel(
                wheel,
                f"Unexpected file {member!r}: .data directory contents should be named like "
                f"'<scheme key>/<path>' with a scheme key among {', '.join(SCHEME_KEYS)}.",
            )
        root, relative = scheme[key], sub
    else:
        root, relative = scheme["purelib" if info.root_is_purelib else "platlib"], member
    target = os.path.join(root, os.path.normpath(relative))
    if not is_within(root, target) or os.path.abspath(target) == os.path.abspath(root):
        raise InvalidWheel(
            wheel, f"The wheel has a file {member!r} trying to install outside the target directory {root!r}"
        )
    return target


def vet(info: WheelInfo, scheme: Scheme) -> None:
    """Check everything that could fail half-way through an install, before writing anything.

    Stricter than pip, which installs files whose hash or size disagrees with RECORD, or that
    RECORD does not list: the reference refuses such wheels.
    """
    wheel = os.path.basename(info.path)
    paths = scheme.as_dict()
    try:
        with zipfile.ZipFile(info.path) as archive:
            # Destinations first: a traversal attempt is named as such, not as a RECORD oddity.
            targets = {
                os.path.normcase(destination(info, paths, m)): m
                for m in archive.namelist()
                if not m.endswith("/")
            }
            WheelFile(archive).validate_record(validate_contents=True)
    except InvalidWheel:
        raise
    except (*_BROKEN_ARCHIVE, InstallerError, ValueError) as exc:
        issues = getattr(exc, "issues", None)
        reason = "; ".join(issues) if issues else (str(exc) or type(exc).__name__)
        raise InvalidWheel(wheel, reason) from None
    for target, member in targets.items():
        parent = os.path.dirname(target)
        while parent != os.path.dirname(parent):
            if parent in targets:
                raise InvalidWheel(
                    wheel, f"{targets[parent]!r} is both a file and the directory of {member!r}"
                )
            parent = os.path.dirname(parent)
    for ep in info.entry_points:
        target = os.path.join(scheme.scripts, ep.name)
        if os.path.abspath(target) == os.path.abspath(scheme.scripts) or not is_within(
            scheme.scripts, target
        ):
            raise InvalidWheel(
                wheel,
                f"Invalid script entry point name {ep.name!r}: the script would be installed outside the "
                f"scripts directory ({scheme.scripts}).",
            )


def _same_version(a: str, b: str) -> bool:
    # Equal texts need no parsing; anything else is compared as packaging normalises it.
    from packaging.utils import canonicalize_version

    return canonicalize_version(a) == canonicalize_version(b)
