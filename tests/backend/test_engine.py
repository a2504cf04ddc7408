"""With no engine and no way to start one, the error says what to do."""

from __future__ import annotations

import gc

import pytest

from conformance.backend import engine


def test_no_engine_and_not_root_explains_the_way_out(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.setenv("CONFORMANCE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(engine, "engine_client", lambda: None)
    monkeypatch.setattr(engine, "_is_debian_root", lambda: False)
    with pytest.raises(
        engine.EngineUnavailable, match=r"No Docker engine answers at .*dockerd --bridge=none"
    ):
        engine.ensure_engine()


def test_missing_host_commands_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "_is_debian_root", lambda: False)
    with pytest.raises(engine.EngineUnavailable, match="no-such-package-xyz"):
        engine.ensure_host_packages(("no-such-command-xyz", "no-such-package-xyz"))


def test_a_failed_ping_leaves_no_socket_open(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    # An unclosed client's socket surfaces later as an unraisable ResourceWarning, which pytest fails on.
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-engine.sock")
    assert engine.engine_client() is None
    gc.collect()
