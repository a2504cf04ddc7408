"""The matrix document: a JSON round trip, and one clear error for anything that is not a v3 document."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from conformance.record.document import SCHEMA_VERSION, DocumentError, MatrixDocument, load_document
from conformance.vocabulary import Verdict
from tests.report.records import document, varied


def _json() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(json.dumps(document(varied()).to_json(), sort_keys=True))
    return loaded


def test_a_document_round_trips_through_json() -> None:
    built = document(varied())
    back = MatrixDocument.from_json(json.loads(json.dumps(built.to_json(), sort_keys=True)))
    assert back == built
    assert [type(t.verdict) for t in back.verdicts] == [Verdict] * len(Verdict)


def test_it_carries_what_the_report_draws() -> None:
    data = _json()
    assert (data["schema"], data["schema_version"]) == ("conformance-matrix", 4)
    assert [t["verdict"] for t in data["verdicts"]] == [v.value for v in Verdict]
    assert data["rows"]["accounts"] == ["root", "user"]
    assert data["columns"][:2] == ["pip", "pip-latest"]
    assert data["spellings"]["uv-prefix"]["note"].startswith("The workaround from uv#2059")
    assert data["targets"]["ubuntu-noble"] == {
        "registry_image": "ubuntu:24.04",
        "suite": "noble",
        "description": "Ubuntu 24.04 with its python3",
    }
    assert [p["baseline"] for p in data["parity"]] == ["pip-latest", "pip"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("schema", "something-else", "old.json: schema is 'something-else', not 'conformance-matrix'"),
        ("schema", None, "schema is None"),
        (
            "schema_version",
            SCHEMA_VERSION - 1,
            f"old.json: schema_version {SCHEMA_VERSION - 1} is not the one this suite reads "
            f"({SCHEMA_VERSION}); rerun the matrix to regenerate it",
        ),
        ("schema_version", str(SCHEMA_VERSION), f"schema_version '{SCHEMA_VERSION}' is not the one"),
    ],
)
def test_documents_of_another_schema_are_refused(field: str, value: object, message: str) -> None:
    with pytest.raises(DocumentError, match=re.escape(message)):
        MatrixDocument.from_json({**_json(), field: value}, "old.json")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("cells"), "not a matrix document: no 'cells' field"),
        (lambda d: d["cells"][0].pop("observation"), "not a matrix document: no 'observation' field"),
        (lambda d: d["cells"][0].update(verdict="works"), "'works' is not a valid Verdict"),
        (lambda d: d.update(run=[]), "not a matrix document: "),
        (lambda d: d["rows"].update(order=[]), "unexpected keyword argument 'order'"),
    ],
)
def test_a_malformed_document_is_one_error(change: Any, message: str) -> None:
    data = _json()
    change(data)
    with pytest.raises(DocumentError, match=re.escape(message)):
        MatrixDocument.from_json(data)


def test_json_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(DocumentError, match=r"^the document: not a matrix document \(a JSON list\)$"):
        MatrixDocument.from_json([1, 2])


def test_loading_names_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    with pytest.raises(DocumentError, match=rf"^{re.escape(str(missing))}: cannot read it: No such file"):
        load_document(missing)
    garbage = tmp_path / "garbage.json"
    garbage.write_text("<html>")
    with pytest.raises(DocumentError, match=rf"^{re.escape(str(garbage))}: not JSON: Expecting value"):
        load_document(garbage)
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(DocumentError, match=r"binary.json: not JSON: 'utf-8' codec can't decode"):
        load_document(binary)
    good = tmp_path / "matrix.json"
    good.write_text(json.dumps(_json()))
    assert load_document(good) == document(varied())
