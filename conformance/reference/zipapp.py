"""Build ``reference.pyz``: the reference installer, installer and packaging in one deterministic file.

Runs on the controller. The archive holds ``conformance/__init__.py``, the runtime modules of
``conformance/reference`` (not this builder), and the ``installer`` and ``packaging`` packages copied
from the running environment (with installer's Windows launchers and both projects' licences).
"""

from __future__ import annotations

import base64
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import installer
import packaging

import conformance
from conformance.archive import add_file

SHEBANG = b"#!/usr/bin/env python3\n"
_BUILDER = Path(__file__).name
#: Becomes the archive's ``__main__.py`` and is not a module of the package inside it.
_ZIPMAIN = "zipmain.py"
_RUNTIME_ONLY = (_BUILDER, _ZIPMAIN)
#: Minor versions of Python 3 the targets run; bytecode is added for each one found on this machine.
BYTECODE_MINORS = range(10, 15)
#: Packages holding data files read through importlib.resources: left to zipimport, which serves them.
_NO_BYTECODE = ("installer/_scripts/",)
# Runs under each interpreter: unchecked hash-based pycs need no source mtime, which a zip cannot give.
_COMPILE = """
import base64, importlib.util, json, sys
from importlib._bootstrap_external import _code_to_hash_pyc
out = {}
for name, source in json.load(sys.stdin):
    code = compile(source, name, "exec", dont_inherit=True)
    data = _code_to_hash_pyc(code, importlib.util.source_hash(source.encode()), False)
    out[name] = base64.b64encode(bytes(data)).decode()
json.dump({"tag": sys.implementation.cache_tag, "pyc": out}, sys.stdout)
"""


def _package_files(package_dir: Path, arc_root: str) -> Iterator[tuple[str, Path]]:
    for path in sorted(package_dir.rglob("*")):
        relative = path.relative_to(package_dir)
        if path.is_file() and "__pycache__" not in relative.parts and path.suffix != ".pyc":
            yield f"{arc_root}/{relative.as_posix()}", path


def _licences(distribution: str) -> Iterator[tuple[str, Path]]:
    files = importlib.metadata.distribution(distribution).files or []
    for file in sorted(files, key=str):
        in_dist_info = file.parts[0].endswith(".dist-info")
        if in_dist_info and file.name.upper().startswith(("LICENSE", "COPYING")):
            located = Path(str(file.locate()))
            if located.is_file():
                yield f"LICENSES/{distribution}/{file.name}", located


def entries() -> list[tuple[str, bytes]]:
    """Every (archive name, content) of the zipapp, sorted by name."""
    reference_dir = Path(__file__).resolve().parent
    files: list[tuple[str, Path]] = [("conformance/__init__.py", Path(conformance.__file__).resolve())]
    files += [
        (name, path)
        for name, path in _package_files(reference_dir, "conformance/reference")
        if name.endswith(".py") and name.rpartition("/")[2] not in _RUNTIME_ONLY
    ]
    for module in (installer, packaging):
        assert module.__file__ is not None
        files += _package_files(Path(module.__file__).resolve().parent, module.__name__)
        files += _licences(module.__name__)
    found = [(name, path.read_bytes()) for name, path in files]
    found.append(("__main__.py", (reference_dir / _ZIPMAIN).read_bytes()))
    found += bytecode([(n, c) for n, c in found if n.endswith(".py") and n != "__main__.py"])
    return sorted(found)


def _candidates(minor: int) -> list[str]:
    """Interpreters that may be Python 3.<minor>: on PATH, then pyenv's (its shims run one version)."""
    found = [path] if (path := shutil.which(f"python3.{minor}")) else []
    pyenv = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    found += [str(p) for p in sorted(pyenv.glob(f"3.{minor}.*/bin/python3.{minor}"), reverse=True)]
    return found


def bytecode_interpreters() -> dict[int, list[str]]:
    """Candidate interpreters per supported minor version (this one first for its own version)."""
    found = {minor: _candidates(minor) for minor in BYTECODE_MINORS}
    found.setdefault(sys.version_info.minor, []).insert(0, sys.executable)
    return {minor: paths for minor, paths in sorted(found.items()) if paths}


def _compile_with(python: str, sources: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    payload = json.dumps([(name, content.decode("utf-8")) for name, content in sources])
    result = subprocess.run(
        # Not -I: it would ignore PYTHONHASHSEED. -s -S and cwd / keep the host's site and files out.
        [python, "-s", "-S", "-c", _COMPILE],
        input=payload,
        capture_output=True,
        text=True,
        check=False,
        cwd="/",
        # Set and frozenset constants are marshalled in hash order: a fixed seed gives the same bytes.
        env={"PYTHONHASHSEED": "0", "PATH": os.environ.get("PATH", "")},
    )
    if result.returncode != 0:
        return []  # an interpreter that cannot compile these sources just gets no bytecode
    compiled = json.loads(result.stdout)
    tag = compiled["tag"]
    entries = []
    for name, data in compiled["pyc"].items():
        directory, _, file = name.rpartition("/")
        cached = f"{directory}/__pycache__/{file[:-3]}.{tag}.pyc".lstrip("/")
        entries.append((cached, base64.b64decode(data)))
    return entries


def bytecode(sources: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """``__pycache__`` entries for every module, for each Python found here (see ``zipmain.py``)."""
    wanted = [(n, c) for n, c in sources if not n.startswith(_NO_BYTECODE)]
    entries: list[tuple[str, bytes]] = []
    for candidates in bytecode_interpreters().values():
        for python in candidates:
            compiled = _compile_with(python, wanted)
            if compiled:
                entries += compiled
                break
    return entries


def build_zipapp(dest: Path) -> Path:
    """Write the zipapp to ``dest`` (the .pyz file's path) and return it; same inputs, same bytes."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    with partial.open("wb") as f:
        f.write(SHEBANG)
        with zipfile.ZipFile(f, "w") as archive:
            for name, content in entries():
                # Stored, not deflated: every run reads its modules from here, and inflating them costs
                # more than the bigger file does.
                add_file(archive, name, content, compression=zipfile.ZIP_STORED)
    os.chmod(partial, 0o755)
    partial.replace(dest)
    return dest
