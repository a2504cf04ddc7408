"""Shared fixtures of the project's own tests: real interpreter facts, and fakes of a container."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conformance.run import probe
from conformance.run.facts import InterpreterFacts

pytest_plugins = ["pytester"]


def run_probe(
    home: Path, *args: str, extra_env: dict[str, str] | None = None, python: str = sys.executable
) -> object:
    """Run the probe with this interpreter (or ``python``), HOME in a temporary directory, nothing else
    from the host."""
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin"), **(extra_env or {})}
    result = subprocess.run(
        [python, "-B", probe.__file__, *args], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(result.stdout)


@pytest.fixture
def host_facts(tmp_path: Path) -> InterpreterFacts:
    """This interpreter's facts from the probe, with a home of its own under tmp_path."""
    raw = run_probe(tmp_path, "facts")
    assert isinstance(raw, dict)
    return InterpreterFacts.from_probe(raw)


@pytest.fixture
def facts_with() -> Callable[..., InterpreterFacts]:
    """Copy facts with some fields replaced (the judge's inputs in situations the host is not in)."""
    from dataclasses import replace

    def make(facts: InterpreterFacts, **changes: object) -> InterpreterFacts:
        return replace(facts, **changes)  # type: ignore[arg-type]

    return make
