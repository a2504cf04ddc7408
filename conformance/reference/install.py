"""Write one vetted wheel into a scheme as pip lays it out, through PyPA installer's destination."""

from __future__ import annotations

import base64
import compileall
import contextlib
import csv
import hashlib
import importlib.util
import io
import os
import posixpath
import sys
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, cast

from installer import install
from installer.destinations import SchemeDictionaryDestination
from installer.records import Hash, RecordEntry
from installer.sources import WheelFile
from installer.utils import Scheme as SchemeKey
from installer.utils import copyfileobj_with_hashing, make_file_executable

from . import scripts
from .environment import Environment
from .journal import Journal
from .scheme import Scheme
from .wheelfile import EntryPoint, WheelInfo

if TYPE_CHECKING:
    from installer.scripts import LauncherKind, ScriptSection

#: The INSTALLER file names this installer, as pip's names pip.
INSTALLER = b"conformance-reference\n"


class WrittenScripts:
    """The wrappers generated for entry points: what pip's PATH warning and its -v lines talk about."""

    # A plain class: making a dataclass costs about half a millisecond at import, on every run.
    def __init__(self) -> None:
        self.console: list[str] = []  # console-script wrappers, in the order written
        self.mode_changes: list[tuple[str, int]] = []  # distlib's "changing mode of"


class _Unwritten(RecordEntry):
    """A wheel file pip deliberately skips but keeps in RECORD under its archive path."""


def _is_entry_point_wrapper(name: str, wrappers: frozenset[str]) -> bool:
    # pip's is_entrypoint_wrapper: EP, EP.exe, EP-script.py, EP.pya are setuptools' own wrappers.
    lowered = name.lower()
    for suffix in (".exe", "-script.py", ".pya"):
        if lowered.endswith(suffix):
            return name[: -len(suffix)] in wrappers
    return name in wrappers


def record_path(path: str, lib_dir: str) -> str:
    """pip's ``_fs_to_record_path``: relative to the lib dir unless on another drive, with '/'."""
    if os.path.splitdrive(path)[0].lower() == os.path.splitdrive(lib_dir)[0].lower():
        path = os.path.relpath(path, lib_dir)
    return path.replace(os.path.sep, "/")


@dataclass
class PipLayoutDestination(SchemeDictionaryDestination):
    """installer's destination, writing what pip writes: its wrappers, shebangs, pyc files and RECORD."""

    platform: str = sys.platform
    wrapper_names: frozenset[str] = frozenset()
    data_dir: str = ""
    compile: bool = True
    journal: Journal = field(default_factory=Journal)
    scripts: WrittenScripts = field(default_factory=WrittenScripts)
    _generated: set[str] = field(default_factory=set)

    def write_to_fs(self, scheme: SchemeKey, path: str, stream: BinaryIO, is_executable: bool) -> RecordEntry:
        # Like pip, replace an existing file; unlike installer, remember everything for a rollback.
        target = str(self._path_with_destdir(scheme, path))
        self.journal.make_parents(os.path.dirname(target))
        self.journal.replace(target)
        self.journal.created(target)
        with open(target, "wb") as f:
            digest, size = copyfileobj_with_hashing(stream, f, self.hash_algorithm)
        if is_executable:
            make_file_executable(Path(target))
        return RecordEntry(path, Hash(self.hash_algorithm, digest), size)

    def write_file(
        self, scheme: SchemeKey, path: str | os.PathLike[str], stream: BinaryIO, is_executable: bool
    ) -> RecordEntry:
        path_ = os.fspath(path)
        if scheme != "scripts":
            return self.write_to_fs(scheme, path_, stream, is_executable)
        data = stream.read()
        if _is_entry_point_wrapper(posixpath.basename(path_), self.wrapper_names):
            digest = base64.urlsafe_b64encode(hashlib.new(self.hash_algorithm, data).digest())
            value = digest.decode("ascii").rstrip("=")
            return _Unwritten(f"{self.data_dir}/scripts/{path_}", Hash(self.hash_algorithm, value), len(data))
        if data.startswith(b"#!python"):
            # pip's fix_script: the first line becomes #!<sys.executable> and the OS line separator.
            newline = data.find(b"\n")
            rest = data[newline + 1 :] if newline >= 0 else b""
            data = b"#!" + os.fsencode(self.interpreter) + os.linesep.encode("ascii") + rest
        return self.write_to_fs(scheme, path_, io.BytesIO(data), is_executable)

    def write_script(self, name: str, module: str, attr: str, section: ScriptSection) -> RecordEntry:
        ep = EntryPoint(name, module, attr, section == "gui")
        filename, content = scripts.wrapper(
            ep, executable=self.interpreter, launcher_kind=self.script_kind, platform=self.platform
        )
        entry = self.write_to_fs(SchemeKey("scripts"), filename, io.BytesIO(content), is_executable=False)
        target = str(self._path_with_destdir(SchemeKey("scripts"), filename))
        if os.name == "posix":
            # distlib's set_mode: add r-x for everyone to the default mode (0o644 -> 0o755).
            mode = (os.stat(target).st_mode | 0o555) & 0o7777
            os.chmod(target, mode)
            self.scripts.mode_changes.append((target, mode))
        if section == "console":
            self.scripts.console.append(target)  # pip warns about these only, not gui scripts
        self._generated.add(filename)
        return entry

    def finalize_installation(
        self, scheme: SchemeKey, record_file_path: str, records: Iterable[tuple[SchemeKey, RecordEntry]]
    ) -> None:
        lib_dir = self.scheme_dict[scheme]
        rows: list[tuple[str, str, str]] = []
        sources: set[str] = set()
        for file_scheme, entry in records:
            if isinstance(entry, _Unwritten):
                rows.append(entry.to_row())
                continue
            target = os.path.join(self.scheme_dict[file_scheme], os.path.normpath(entry.path))
            _, digest, size = entry.to_row()
            rows.append((record_path(target, lib_dir), digest, size))
            generated = file_scheme == "scripts" and entry.path in self._generated
            if target.endswith(".py") and not generated:
                sources.add(target)
        if self.compile:
            rows.extend((record_path(pyc, lib_dir), "", "") for pyc in self._compile(sorted(sources)))
        text = io.StringIO()
        csv.writer(text).writerows(sorted(rows))  # excel dialect: "\r\n" line ends, as pip writes
        self.write_to_fs(scheme, record_file_path, io.BytesIO(text.getvalue().encode("utf-8")), False)

    def _compile(self, sources: list[str]) -> list[str]:
        """pip's byte-compilation: every .py file from the wheel, with the interpreter's defaults."""
        written = []
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for source in sources:
                pyc = importlib.util.cache_from_source(source)
                cache_dir = os.path.dirname(pyc)
                cache_dir_existed = os.path.isdir(cache_dir)
                self.journal.replace(pyc)
                self.journal.created(pyc)
                ok = compileall.compile_file(source, force=True, quiet=1)
                if not cache_dir_existed and os.path.isdir(cache_dir):
                    self.journal.created_dirs.append(cache_dir)
                if ok:
                    written.append(pyc)
        return written


def direct_url(path: str) -> bytes:
    """pip's PEP 610 direct_url.json for a local wheel file: its sha256 and file: URL."""
    # Imported here: only a wheel given by path needs them, and urllib.request alone costs about 30 ms.
    import json
    import urllib.parse
    import urllib.request

    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    url = urllib.parse.urljoin(
        "file://", urllib.request.pathname2url(os.path.normpath(os.path.abspath(path)))
    )
    document = {"archive_info": {"hash": f"sha256={digest}", "hashes": {"sha256": digest}}, "url": url}
    return json.dumps(document, sort_keys=True).encode("utf-8")


def install_wheel(
    info: WheelInfo, scheme: Scheme, env: Environment, *, requested: bool, direct: bool, compile: bool
) -> WrittenScripts:
    """Install one wheel; on any failure remove what was written and restore what was overwritten."""
    journal = Journal()
    destination = PipLayoutDestination(
        scheme_dict=scheme.as_dict(),
        interpreter=env.executable,
        script_kind=cast("LauncherKind", env.launcher_kind),
        platform=env.platform,
        wrapper_names=info.wrapper_names(),
        data_dir=info.data_dir,
        # With PYTHONPYCACHEPREFIX the pyc files would land outside the scheme: leave them out.
        compile=compile and not sys.pycache_prefix,
        journal=journal,
    )
    metadata = {"INSTALLER": INSTALLER}
    if direct:
        metadata["direct_url.json"] = direct_url(info.path)
    if requested:
        metadata["REQUESTED"] = b""
    try:
        with zipfile.ZipFile(info.path) as archive:
            install(WheelFile(archive), destination, metadata)
    except BaseException:
        journal.rollback()
        raise
    journal.commit()
    return destination.scripts
