"""Matrix records and documents for the report tests, built with the suite's own dataclasses."""

from __future__ import annotations

from typing import Any

from conformance.matrix.cells import CellSpec
from conformance.matrix.selection import Selection
from conformance.record.cell import (
    Cell,
    CommandRun,
    Expectation,
    FileChange,
    ImportCheck,
    Judgement,
    Observation,
    ScriptCheck,
)
from conformance.report.document import build_document

_SITE_SLOTS = ["posix_user:platlib", "posix_user:purelib"]
_VERSIONS = {"pip": "23.0.1", "pip-latest": "26.3", "uv": "0.13.9", "reference": "0.1.0"}


def record(
    spelling: str = "pip",
    verdict: str = "conforms",
    *,
    target: str = "debian-bookworm",
    account: str = "user",
    scenario: str = "explicit-user-bsp",
    fixture: str = "demo-pkg",
    exit_code: int = 0,
    error_class: str | None = None,
    stderr: str = "",
    extra: dict[str, str] | None = None,
    reasons: list[str] | None = None,
    expected_verdict: str | None = None,
    installer_version: str | None = None,
) -> dict[str, Any]:
    """A matrix.json record of a user install of demo-pkg, built with the suite's own dataclasses.

    A failed command (``exit_code`` > 0) writes nothing and imports nothing; ``extra`` adds files by
    path with their role (a stray lock file, a misplaced header).
    """
    home = "/root" if account == "root" else "/home/user"
    site = f"{home}/.local/lib/python3.11/site-packages"
    installer = "uv" if spelling.startswith("uv-") else spelling
    argv = ["python3", "-m", "pip", "install", "--user", "demo-pkg"]
    ok = exit_code == 0
    files, roles = [], {}
    if ok:
        files = [
            FileChange(f"{site}/demo_pkg", "added", "dir", _SITE_SLOTS),
            FileChange(f"{site}/demo_pkg/__init__.py", "added", "file", _SITE_SLOTS, 0o644, 139),
            FileChange(f"{site}/demo_pkg-1.0.dist-info/RECORD", "added", "file", _SITE_SLOTS, 0o644, 505),
            FileChange(
                f"{home}/.local/bin/demo-cli",
                "added",
                "file",
                ["posix_user:scripts"],
                mode=0o755,
                shebang="#!/usr/bin/python3",
            ),
        ]
        roles = {
            f"{site}/demo_pkg": "dir",
            f"{site}/demo_pkg/__init__.py": "expected",
            f"{site}/demo_pkg-1.0.dist-info/RECORD": "generated",
            f"{home}/.local/bin/demo-cli": "expected",
        }
        for path, role in (extra or {}).items():
            files.append(FileChange(path, "added", "file", _SITE_SLOTS, 0o644, 0))
            roles[path] = role
    module = f"{site}/demo_pkg/__init__.py"
    missing = "ModuleNotFoundError: No module named 'demo_pkg'"
    other = "root" if account == "user" else "user"
    imports = [
        ImportCheck("same", account, ok, module if ok else None, None if ok else missing, "1.0"),
        ImportCheck("other", other, False, None, missing, None),
    ]
    scripts = (
        [ScriptCheck("demo-cli", f"{home}/.local/bin/demo-cli", "#!/usr/bin/python3", 0, "demo-cli ok", True)]
        if ok
        else [ScriptCheck("demo-cli", None)]
    )
    observation = Observation(
        command=CommandRun(
            argv, exit_code, 0.4, "Successfully installed demo-pkg-1.0\n", stderr, error_class, None
        ),
        files=files,
        imports=imports,
        scripts=scripts,
    )
    landing = {"purelib": _SITE_SLOTS, "scripts": ["posix_user:scripts"]} if ok else {}
    return Cell(
        spec=CellSpec(target, account, scenario, fixture, spelling),
        installer=installer,
        installer_version=installer_version or _VERSIONS[installer],
        command=argv,
        environment={"PIP_CONFIG_FILE": "/dev/null"},
        facts={
            "python": "3.11.2",
            "externally_managed": True,
            "libc": "glibc 2.36",
            "user_base": f"{home}/.local",
        },
        expectation=Expectation("install", "explicit user install", scheme="posix_user"),
        observation=observation,
        judgement=Judgement(verdict, reasons or ["lands in posix_user and works"], roles, landing),
        seconds=1.5,
        expected_verdict=expected_verdict,
        timing={"command": 0.4},
    ).to_record()


STARTED = 1_795_000_000.0
SHA = "204f4e9fbb3606a0f9002604cb5e658202132a33"


def document(records: list[dict[str, Any]], run_id: str = "768550d0616f") -> dict[str, Any]:
    """A matrix document as the recorder builds it, with a fixed git sha so pages are reproducible."""
    built = build_document(records, {}, Selection(), run_id, STARTED, STARTED + 158)
    built["run"]["git_sha"] = SHA
    return built
