"""The report reads a matrix document alone: importing it loads neither the catalogue nor the judge."""

from __future__ import annotations

import json
import subprocess
import sys

#: The stages before the record: an old run must render with its own rows, not today's catalogue.
_EARLIER_STAGES = ("conformance.catalogue", "conformance.judge", "conformance.matrix", "conformance.run")

_IMPORT_EVERY_REPORT_MODULE = """
import importlib, json, pkgutil, sys
import conformance.report as report
names = [m.name for m in pkgutil.walk_packages(report.__path__, "conformance.report.")]
for name in names:
    importlib.import_module(name)
print(json.dumps({"imported": names, "loaded": sorted(sys.modules)}))
"""


def test_no_report_module_imports_an_earlier_stage() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_EVERY_REPORT_MODULE], capture_output=True, text=True, check=True
    )
    modules = json.loads(result.stdout)
    assert {"conformance.report.html", "conformance.report.write", "conformance.report.diff"} <= set(
        modules["imported"]
    )
    loaded = [m for m in modules["loaded"] if m.startswith(_EARLIER_STAGES)]
    assert loaded == []
