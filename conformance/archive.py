"""Reproducible zip members and wheel RECORDs: the same members give the same bytes.

Shared by the fixture wheels, the reference's test wheels and the reference zipapp's builder; it lives
outside ``conformance/reference`` so that the zipapp does not carry it.
"""

from __future__ import annotations

import base64
import hashlib
import stat
import zipfile
from collections.abc import Iterable

#: The earliest timestamp a zip file can hold: fixed so that rebuilding gives identical bytes.
EPOCH = (1980, 1, 1, 0, 0, 0)


def add_file(
    archive: zipfile.ZipFile,
    name: str,
    content: bytes,
    *,
    mode: int = 0o644,
    compression: int = zipfile.ZIP_STORED,
) -> None:
    """Write ``content`` as the regular file ``name`` with ``mode``, dated ``EPOCH``."""
    info = zipfile.ZipInfo(name, date_time=EPOCH)
    info.external_attr = (stat.S_IFREG | mode) << 16
    info.compress_type = compression
    archive.writestr(info, content)


def record_hash(data: bytes) -> str:
    """RECORD's hash field for ``data``: sha256, urlsafe base64 without padding."""
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return f"sha256={digest.decode('ascii')}"


def record_rows(members: Iterable[tuple[str, bytes]], record_name: str) -> list[str]:
    """RECORD's rows for ``members``, then RECORD's own row (which has no hash)."""
    rows = [f"{name},{record_hash(data)},{len(data)}" for name, data in members]
    return [*rows, f"{record_name},,"]


def record_file(rows: Iterable[str]) -> bytes:
    """RECORD's content: one row a line."""
    return ("\n".join(rows) + "\n").encode("utf-8")
