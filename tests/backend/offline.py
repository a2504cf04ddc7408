"""Staging without the package index: stand-in pip and uv wheels already in a fresh download cache."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

PIP_LATEST, UV = "26.3", "0.13.9"
#: Exact versions, both already downloaded: staging asks no index.
REQUESTED: dict[str, str | None] = {"pip-latest": PIP_LATEST, "uv": UV}


def offline_cache(monkeypatch: pytest.MonkeyPatch, cache: Path) -> None:
    """Point the build cache at ``cache``, which holds wheels of the REQUESTED versions."""
    monkeypatch.setenv("CONFORMANCE_CACHE_DIR", str(cache))
    downloads = cache / "downloads"
    downloads.mkdir(parents=True)
    with zipfile.ZipFile(downloads / f"pip-{PIP_LATEST}-py3-none-any.whl", "w") as wheel:
        wheel.writestr("pip/__main__.py", "")
    with zipfile.ZipFile(downloads / f"uv-{UV}-py3-none-manylinux_2_17_x86_64.whl", "w") as wheel:
        wheel.writestr(f"uv-{UV}.data/scripts/uv", "#!/bin/sh\n")
