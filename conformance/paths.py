"""Where the project's own inputs and outputs live on the controller."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FIXTURES_DIR = PROJECT_ROOT / "fixtures"
BROKEN_INSTALLERS_DIR = FIXTURES_DIR / "broken-installers"
EXPECTATIONS_DIR = PROJECT_ROOT / "conformance" / "expectations"


def cache_dir() -> Path:
    """The build cache (images' rootfs scratch, tools, wheelhouse): inside the checkout, never in $HOME."""
    override = os.environ.get("CONFORMANCE_CACHE_DIR")
    return Path(override) if override else PROJECT_ROOT / ".cache"


def reports_dir() -> Path:
    """Default output directory of the matrix report."""
    return PROJECT_ROOT / "reports"
