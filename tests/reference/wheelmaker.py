"""Small wheels of any shape, including broken ones, for the reference installer's tests."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from conformance.archive import add_file, record_file, record_rows


def make_wheel(
    out_dir: Path,
    name: str,
    version: str = "1.0",
    files: Mapping[str, bytes] | None = None,
    *,
    requires: Sequence[str] = (),
    requires_python: str | None = None,
    provides_extra: Sequence[str] = (),
    console_scripts: Mapping[str, str] | None = None,
    gui_scripts: Mapping[str, str] | None = None,
    root_is_purelib: bool = True,
    tag: str = "py3-none-any",
    executable: Sequence[str] = (),
    record: Callable[[list[str]], list[str]] | None = None,
    extra_members: Mapping[str, bytes] | None = None,
) -> Path:
    """Write ``<name>-<version>-<tag>.whl``; ``record`` may rewrite RECORD's rows, ``extra_members`` are
    added to the archive without a RECORD row."""
    normalized = name.replace("-", "_").replace(".", "_").lower()
    dist_info = f"{normalized}-{version}.dist-info"
    if files is None:
        files = {f"{normalized}/__init__.py": f"VERSION = {version!r}\n".encode()}
    metadata = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    metadata += [f"Provides-Extra: {e}" for e in provides_extra]
    metadata += [f"Requires-Dist: {r}" for r in requires]
    if requires_python:
        metadata.append(f"Requires-Python: {requires_python}")
    members: dict[str, bytes] = dict(files)
    members[f"{dist_info}/METADATA"] = ("\n".join(metadata) + "\n").encode()
    purelib = "true" if root_is_purelib else "false"
    members[f"{dist_info}/WHEEL"] = (
        f"Wheel-Version: 1.0\nGenerator: wheelmaker\nRoot-Is-Purelib: {purelib}\nTag: {tag}\n"
    ).encode()
    sections = []
    for section, scripts in (("console_scripts", console_scripts), ("gui_scripts", gui_scripts)):
        if scripts:
            sections.append(f"[{section}]\n" + "".join(f"{k} = {v}\n" for k, v in scripts.items()))
    if sections:
        members[f"{dist_info}/entry_points.txt"] = "\n".join(sections).encode()
    rows = record_rows(members.items(), f"{dist_info}/RECORD")
    if record is not None:
        rows = record(rows)
    members[f"{dist_info}/RECORD"] = record_file(rows)
    members.update(extra_members or {})
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{normalized}-{version}-{tag}.whl"
    with zipfile.ZipFile(target, "w") as archive:
        for path, data in members.items():
            add_file(archive, path, data, mode=0o755 if path in executable else 0o644)
    return target
