"""Build ``reference.pyz``: the reference installer, installer and packaging in one deterministic file.

Runs on the controller. The archive holds ``conformance/__init__.py``, the runtime modules of
``conformance/reference`` (not this builder), and the ``installer`` and ``packaging`` packages copied
from the running environment (with installer's Windows launchers and both projects' licences).
"""

from __future__ import annotations

import importlib.metadata
import os
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path

import installer
import packaging

import conformance

SHEBANG = b"#!/usr/bin/env python3\n"
#: The earliest timestamp a zip file can hold: fixed so that rebuilding gives identical bytes.
EPOCH = (1980, 1, 1, 0, 0, 0)
MAIN = b"import sys\n\nfrom conformance.reference.cli import main\n\nsys.exit(main())\n"
_BUILDER = Path(__file__).name


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
        if name.endswith(".py") and name != f"conformance/reference/{_BUILDER}"
    ]
    for module in (installer, packaging):
        assert module.__file__ is not None
        files += _package_files(Path(module.__file__).resolve().parent, module.__name__)
        files += _licences(module.__name__)
    found = [(name, path.read_bytes()) for name, path in files]
    found.append(("__main__.py", MAIN))
    return sorted(found)


def build_zipapp(dest: Path) -> Path:
    """Write the zipapp to ``dest`` (the .pyz file's path) and return it; same inputs, same bytes."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    with partial.open("wb") as f:
        f.write(SHEBANG)
        with zipfile.ZipFile(f, "w") as archive:
            for name, content in entries():
                info = zipfile.ZipInfo(name, date_time=EPOCH)
                info.external_attr = (stat.S_IFREG | 0o644) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, content, compresslevel=9)
    os.chmod(partial, 0o755)
    partial.replace(dest)
    return dest
