"""The probe reports this interpreter's own sysconfig and site, and describes files."""

from __future__ import annotations

import os
import shutil
import site
import sys
import sysconfig
from pathlib import Path

from conformance.paths import FIXTURES_DIR
from tests.conftest import run_probe


def test_facts_are_the_interpreters_own(tmp_path: Path) -> None:
    raw = run_probe(tmp_path, "facts")
    assert isinstance(raw, dict)
    assert raw["executable"] == sys.executable
    assert raw["schemes"]["posix_user"] == sysconfig.get_paths(
        "posix_user", vars={"userbase": str(tmp_path / ".local")}
    )
    assert raw["user_base"] == str(tmp_path / ".local")
    assert raw["preferred"]["user"] == sysconfig.get_preferred_scheme("user")


def test_pythonuserbase_moves_the_user_scheme(tmp_path: Path) -> None:
    raw = run_probe(tmp_path, "facts", extra_env={"PYTHONUSERBASE": str(tmp_path / "ub")})
    assert isinstance(raw, dict)
    assert raw["user_site"].startswith(str(tmp_path / "ub"))


def test_check_reports_import_failures(tmp_path: Path) -> None:
    raw = run_probe(tmp_path, "check", "no_such_module_here", "no-such-dist")
    assert raw == {
        "module": "no_such_module_here",
        "dist": "no-such-dist",
        "import": False,
        "error": "ModuleNotFoundError: No module named 'no_such_module_here'",
        "metadata_version": None,
    }
    assert site.ENABLE_USER_SITE is not None  # the test process itself is untouched


def test_check_imports_a_namespace_portion_only_where_site_processed_its_pth(tmp_path: Path) -> None:
    # The interpreter this venv was made from: inside the venv, site reads no user site.
    python = getattr(sys, "_base_executable", sys.executable)
    tree = FIXTURES_DIR / "demo-ns" / "src"
    facts = run_probe(tmp_path, "facts", python=python)
    assert isinstance(facts, dict)
    user_site = Path(facts["user_site"])
    shutil.copytree(tree, user_site)
    raw = run_probe(tmp_path, "check", "demo_ns.part", "demo-ns", python=python)
    assert isinstance(raw, dict)
    assert raw["import"] is True, raw
    assert raw["file"] == str(user_site / "demo_ns" / "part" / "__init__.py")
    # The same files on PYTHONPATH are not a site directory: the .pth there is never read.
    home = tmp_path / "other-home"
    home.mkdir()
    raw = run_probe(
        home, "check", "demo_ns.part", "demo-ns", extra_env={"PYTHONPATH": str(user_site)}, python=python
    )
    assert raw == {
        "module": "demo_ns.part",
        "dist": "demo-ns",
        "import": False,
        "error": "ModuleNotFoundError: No module named 'demo_ns_hook'",
        "metadata_version": None,
    }


def test_facts_carry_the_kernels_proof_of_who_ran_them(tmp_path: Path) -> None:
    raw = run_probe(tmp_path, "facts")
    assert isinstance(raw, dict)
    proof = raw["proof"]
    assert proof["Uid"].split()[0] == str(os.getuid())
    assert set(proof) >= {"Uid", "Gid", "CapEff", "NoNewPrivs"}


def test_a_script_whose_interpreter_cannot_be_started_fails_as_a_shell_reports_it(tmp_path: Path) -> None:
    # A venv's script copied to another home names an interpreter that is gone (127) or that the account
    # may not run (126): the script's result, not the probe's failure.
    from conformance.run import probe

    interpreter = tmp_path / "not-executable"
    interpreter.write_text("")
    run = {
        "uid": os.geteuid(), "gid": os.getegid(), "env": {"PATH": os.defpath}, "home": str(tmp_path),
        "python": [sys.executable], "launcher": [],
    }  # fmt: skip
    for shebang, code, error in ((tmp_path / "gone", 127, "No such file"), (interpreter, 126, "Permission")):
        script = tmp_path / "bin" / "demo"
        script.parent.mkdir(exist_ok=True)
        script.write_text(f"#!{shebang}\n")
        script.chmod(0o755)
        changes = [{"path": str(script), "type": "file", "change": "added"}]
        result = probe._script_result(*probe._script_check(run, "demo", str(script.parent), changes, []))
        assert result["exit_code"] == code
        assert result["output"].startswith(f"{script}: cannot be started: {error}")
