"""The nightly workflow: a shard for every catalogue target, host shards, and one merge that publishes."""

from __future__ import annotations

from typing import Any

import yaml

from conformance.catalogue.targets import TARGETS
from conformance.paths import PROJECT_ROOT

WORKFLOW = PROJECT_ROOT / ".github" / "workflows" / "nightly.yml"


def _workflow() -> dict[Any, Any]:
    loaded: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return loaded


def test_every_catalogue_target_has_a_shard() -> None:
    shards = _workflow()["jobs"]["containers"]["strategy"]["matrix"]["target"]
    assert sorted(shards) == sorted(TARGETS)
    assert len(shards) == len(set(shards))


def test_it_runs_nightly_and_on_demand() -> None:
    # YAML 1.1 reads the key "on" as True.
    triggers = _workflow()[True]
    assert set(triggers) == {"schedule", "workflow_dispatch"}


def test_windows_and_macos_run_the_host_rows() -> None:
    host = _workflow()["jobs"]["host"]
    assert {"windows-2025", "macos-15"} <= set(host["strategy"]["matrix"]["os"])
    shard = next(step["run"] for step in host["steps"] if step.get("name") == "shard")
    assert "--targets host" in shard and "--host-python" in shard


def test_every_shard_is_merged_and_published() -> None:
    jobs = _workflow()["jobs"]
    publish = jobs["publish"]
    assert set(publish["needs"]) == set(jobs) - {"publish"}
    runs = " ".join(step.get("run", "") for step in publish["steps"])
    assert "python -m conformance merge shards/*/ -o site" in runs
    used = [step.get("uses", "").split("@")[0] for step in publish["steps"]]
    assert used[-2:] == ["actions/upload-pages-artifact", "actions/deploy-pages"]


def test_every_action_is_pinned_by_commit() -> None:
    for job in _workflow()["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                _, _, ref = step["uses"].partition("@")
                assert len(ref) == 40 and int(ref, 16) >= 0, step["uses"]
