"""With no engine and no way to start one, the error says what to do."""

from __future__ import annotations

import gc
import os
import socket
from pathlib import Path

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


def _denied(path: str) -> OSError | None:
    return PermissionError(13, "Permission denied")


def test_an_engine_whose_socket_this_account_may_not_use_is_named_as_such(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # As a normal user with an engine running as root, connect() on its socket fails with EACCES.
    monkeypatch.setenv("CONFORMANCE_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/docker.sock")
    monkeypatch.setattr(engine, "_connect_error", _denied)
    monkeypatch.setattr(engine, "_is_debian_root", lambda: False)
    problem = engine.engine_problem()
    assert problem is not None
    assert f"{tmp_path}/docker.sock, but this account" in problem
    assert "permission denied" in problem and "No Docker engine answers" not in problem
    for way_out in ("usermod -aG", "DOCKER_HOST", "host rows"):
        assert way_out in problem
    with pytest.raises(engine.EngineUnavailable) as raised:
        engine.ensure_engine()
    assert str(raised.value) == problem


@pytest.mark.skipif(os.geteuid() == 0, reason="root connects to any socket: the fake above stands in")
def test_a_real_socket_without_permission_is_refused_as_denied(tmp_path: Path) -> None:
    path = str(tmp_path / "docker.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(path)
        server.listen()
        os.chmod(path, 0)
        assert isinstance(engine._connect_error(path), PermissionError)


def test_no_engine_problem_when_one_answers_or_can_be_started(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "_connect_error", lambda path: None)
    monkeypatch.setattr(engine, "engine_client", lambda: None)
    monkeypatch.setattr(engine, "_is_debian_root", lambda: True)
    assert engine.engine_problem() is None
