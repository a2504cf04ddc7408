"""The host backend on Windows, as far as this machine can show it: the Wine target's Windows CPython is the
host and runs the backend itself, controller included (windows_host_driver.py), on its own install."""

from __future__ import annotations

import json
import ntpath
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import conformance
from conformance.backend.container import TargetContainer
from conformance.backend.staging import MOUNT_POINT, Toolset
from conformance.catalogue.accounts import ACCOUNTS
from conformance.judge.paths import PathRules
from conformance.matrix.cells import CellSpec
from conformance.paths import EXPECTATIONS_DIR, FIXTURES_DIR
from conformance.record.expectations import Expectations

pytestmark = pytest.mark.docker
TARGET = "windows-cpython3.13-wine"
#: The standard user's cells run on the Windows host (``scenario:spelling``, fixture demo-pkg).
CELLS = (
    "explicit-user:pip",
    "implicit:pip",
    "implicit:uv-system",
    "explicit-user:uv-prefix",
    "explicit-user:uv-target",
    "uninstall:pip",
)
#: The third-party files this interpreter imports for a host cell: the driver imports them from a copy.
_IMPORTED = (
    "import json, sys, sysconfig, conformance.run.host\n"
    "site = sysconfig.get_paths()['purelib']\n"
    "print(json.dumps([site, sorted({m.__file__ for m in list(sys.modules.values())\n"
    "    if (getattr(m, '__file__', None) or '').startswith(site)})]))"
)
_UNCOPIED = shutil.ignore_patterns("__pycache__", "*.so")


def _dependencies(into: Path) -> None:
    """Copy the pure-Python packages a host cell imports (the ``.so`` modules have pure fallbacks)."""
    result = subprocess.run([sys.executable, "-c", _IMPORTED], capture_output=True, text=True, check=True)
    site, files = json.loads(result.stdout)
    for top in sorted({Path(f).relative_to(site).parts[0] for f in files}):
        source = Path(site, top)
        if source.is_dir():
            shutil.copytree(source, into / top, ignore=_UNCOPIED)
        else:
            shutil.copy2(source, into / top)


@pytest.fixture(scope="module")
def windows_host(
    target_images: Callable[[str], str],
    toolset: Toolset,
    run_id: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Any]:
    """The driver's report: the session's staged tools, this checkout and its dependencies, all mounted."""
    stage = tmp_path_factory.mktemp("windows-host") / "stage"
    shutil.copytree(toolset.root, stage)
    shutil.copytree(Path(conformance.__file__).parent, stage / "src" / "conformance", ignore=_UNCOPIED)
    shutil.copytree(FIXTURES_DIR, stage / "src" / FIXTURES_DIR.name)
    (stage / "deps").mkdir()
    _dependencies(stage / "deps")
    shutil.copy2(Path(__file__).with_name("windows_host_driver.py"), stage / "driver.py")
    with TargetContainer(target_images(TARGET), str(stage), run_id) as container:
        native = container.platform.native
        tools = Toolset(native(MOUNT_POINT), toolset.versions, toolset.placeholders)
        (stage / "toolset.json").write_text(tools.to_json())
        for path in [stage, *stage.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        result = container.exec(
            [
                *container.platform.python({}),
                native(f"{MOUNT_POINT}/driver.py"),
                native(f"{MOUNT_POINT}/toolset.json"),
                *CELLS,
            ],
            ACCOUNTS["user"],
            {
                "PYTHONPATH": f"{native(MOUNT_POINT + '/src')};{native(MOUNT_POINT + '/deps')}",
                "PYTHONDONTWRITEBYTECODE": "1",
            },
        )
    assert result.exit_code == 0, result.stderr[-3000:]
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def test_a_windows_cell_finds_its_user_base_home_and_temp_in_its_own_profile(
    windows_host: dict[str, Any],
) -> None:
    inside = PathRules(nt=True).inside
    home, seen = windows_host["home"], windows_host["seen"]
    for path in [seen["user_base"], seen["user_site"], *seen["nt_user"].values()]:
        assert inside(path, ntpath.join(home, "AppData", "Roaming", "Python")), path
    assert seen["home"] == home
    cell_dir = ntpath.dirname(ntpath.dirname(home))
    assert inside(seen["temp"], cell_dir) and not inside(seen["temp"], home)
    assert "PYTHONPATH" in windows_host["controller"] and "PYTHONPATH" not in seen["names"]
    assert "no setuid" in windows_host["missing"]["root"]


def test_the_interpreter_is_first_on_a_windows_cells_path(windows_host: dict[str, Any]) -> None:
    target = windows_host["target"]
    assert ntpath.normcase(windows_host["seen"]["python"]) == ntpath.normcase(target)
    # uv --system takes the first python on PATH: the target's install, which the user cannot write.
    refused = windows_host["cells"]["implicit:uv-system"]
    assert ntpath.dirname(target) in refused["stderr"] and "Access denied" in refused["stderr"]


def test_windows_cells_judge_as_the_wine_targets_do(windows_host: dict[str, Any]) -> None:
    recorded = Expectations.load(EXPECTATIONS_DIR)
    observed, expected = {}, {}
    for cell, result in windows_host["cells"].items():
        scenario, spelling = cell.split(":")
        observed[cell] = result["verdict"]
        expected[cell] = recorded.get(CellSpec(TARGET, "user", scenario, "demo-pkg", spelling))
    assert observed == expected
    scripts = windows_host["cells"]["explicit-user:pip"]["scripts"]
    assert [(ntpath.basename(path), code, on_path) for path, code, on_path in scripts] == [
        ("demo-cli.exe", 0, False)
    ]
