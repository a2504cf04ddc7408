"""Staging: each installer staged by its registered function, in one directory per digest of its files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conformance.backend.staging import STAGERS, ToolError, Toolset, stage
from conformance.catalogue.installers import INSTALLERS, Installer, Staging, VersionSource, known_installers
from conformance.reference import __version__ as reference_version
from tests.backend.offline import PIP_LATEST, REQUESTED, UV, offline_cache

#: The paths spellings have always rendered (tests/run/test_invocation.py renders with these).
PLACEHOLDERS = {
    "pip_latest": "/opt/conformance/tools/pip-26.3-py3-none-any.whl/pip",
    "uv": "/opt/conformance/tools/uv",
    "reference": "/opt/conformance/tools/reference.pyz",
    "broken": "/opt/conformance/tools/broken",
    "wheelhouse": "/opt/conformance/wheelhouse",
    "system_copies": "/opt/conformance/system-copies",
}


def test_stage_names_every_tool_and_reuses_the_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    offline_cache(monkeypatch, tmp_path)
    toolset = stage(REQUESTED)
    assert toolset.placeholders == PLACEHOLDERS
    assert toolset.versions == {"pip-latest": PIP_LATEST, "uv": UV, "reference": reference_version}
    root = Path(toolset.root)
    for path in ("probe.py", f"tools/pip-{PIP_LATEST}-py3-none-any.whl", "tools/reference.pyz"):
        assert (root / path).is_file(), path
    assert os.access(root / "tools" / "uv", os.X_OK)
    assert (root / "tools" / "broken" / "noop.py").is_file()
    assert sorted(root.glob("wheelhouse/*.whl"))
    # The other versions scenarios install system-wide at set-up are never where cells look for wheels.
    assert {p.name for p in root.glob("system-copies/*.whl")} == {
        "demo_base-1.0-py3-none-any.whl",
        "demo_pkg-0.9-py3-none-any.whl",
        "demo_pkg-1.1-py3-none-any.whl",
    }
    assert not list(root.glob("wheelhouse/demo_pkg-0.9*")) and not list(root.glob("wheelhouse/demo_pkg-1.1*"))
    assert stage(REQUESTED) == toolset  # the same files: the same directory


def test_a_toolset_survives_json() -> None:
    toolset = Toolset("/stage", {"uv": UV}, {"uv": "/opt/conformance/tools/uv"})
    assert Toolset.from_json(toolset.to_json()) == toolset


@pytest.mark.parametrize("name", ["reference", "pip", "nothing"])
def test_a_version_is_only_asked_for_installers_fetched_from_the_index(name: str) -> None:
    with pytest.raises(ToolError, match=f"for {name}, only for pip-latest, uv"):
        stage({name: "1.0"})


def test_every_staging_function_the_catalogue_names_is_registered() -> None:
    functions = {i.staging.function for i in known_installers().values() if i.staging}
    assert functions <= set(STAGERS)


def test_an_unregistered_staging_function_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    missing = Installer("missing", VersionSource.STAGED, (), staging=Staging("no-such-function", "missing"))
    monkeypatch.setitem(INSTALLERS, missing.name, missing)
    with pytest.raises(ToolError, match="no staging function 'no-such-function'"):
        stage({})
