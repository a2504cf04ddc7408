"""Fixtures of the reference installer's tests: fixture wheels, a relocated Environment, the zipapp."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conformance.backend.wheels import build_wheelhouse
from conformance.reference.environment import Environment, gather
from conformance.reference.zipapp import build_zipapp

from .support import relocated_env


@pytest.fixture(scope="session")
def host_env() -> Environment:
    return gather({})


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's fixtures (their wheels, and demo-sdist's sdist) in a find-links dir."""
    out = tmp_path_factory.mktemp("wheelhouse")
    build_wheelhouse(out)
    return out


@pytest.fixture
def make_env(host_env: Environment, tmp_path: Path) -> Callable[..., Environment]:
    def make(**changes: object) -> Environment:
        return relocated_env(host_env, tmp_path, **changes)

    return make


@pytest.fixture(scope="session")
def pyz(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_zipapp(tmp_path_factory.mktemp("pyz") / "reference.pyz")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """An empty home directory for subprocess runs."""
    path = tmp_path / "home"
    path.mkdir()
    return path
