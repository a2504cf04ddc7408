"""Reproducible zip members and RECORD rows, as wheels and the zipapp write them."""

from __future__ import annotations

import io
import stat
import zipfile

import pytest

from conformance.archive import EPOCH, add_file, record_file, record_rows

#: sha256 of no bytes, as every RECORD spells it.
EMPTY = "sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU"


def _written(**options: int) -> tuple[bytes, zipfile.ZipInfo]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        add_file(archive, "pkg/tool", b"#!/bin/sh\n" * 20, **options)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        return buffer.getvalue(), archive.getinfo("pkg/tool")


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_a_member_is_a_dated_regular_file(compression: int) -> None:
    _, info = _written(mode=0o755, compression=compression)
    assert info.date_time == EPOCH
    assert info.compress_type == compression
    assert stat.S_ISREG(info.external_attr >> 16)
    assert stat.S_IMODE(info.external_attr >> 16) == 0o755


def test_the_default_is_a_stored_plain_file() -> None:
    _, info = _written()
    assert (info.compress_type, stat.S_IMODE(info.external_attr >> 16)) == (zipfile.ZIP_STORED, 0o644)


def test_the_same_member_gives_the_same_bytes() -> None:
    assert _written(compression=zipfile.ZIP_DEFLATED)[0] == _written(compression=zipfile.ZIP_DEFLATED)[0]


def test_record_rows_end_with_records_own() -> None:
    rows = record_rows([("pkg/__init__.py", b""), ("pkg/data", b"ab")], "pkg-1.0.dist-info/RECORD")
    assert rows[0] == f"pkg/__init__.py,{EMPTY},0"
    assert rows[1].startswith("pkg/data,sha256=") and rows[1].endswith(",2")
    assert rows[2] == "pkg-1.0.dist-info/RECORD,,"
    assert record_file(rows) == ("\n".join(rows) + "\n").encode()
