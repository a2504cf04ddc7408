"""Cells and documents for the report tests, built with the suite's own dataclasses."""

from __future__ import annotations

from dataclasses import replace

from conformance.matrix.selection import Selection
from conformance.record.assemble import assemble
from conformance.record.cell import (
    Cell,
    CommandRun,
    Coordinates,
    Expectation,
    FileChange,
    ImportCheck,
    Judgement,
    Observation,
    ScriptCheck,
)
from conformance.record.document import MatrixDocument
from conformance.vocabulary import Change, FileRole, Outcome, Verdict

#: Installer output that would break the page if it were not escaped.
HOSTILE = "</script><b>bold</b><!-- https://pip.pypa.io/warnings/venv"
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
    environment: dict[str, str] | None = None,
) -> Cell:
    """The cell of a user install of demo-pkg, as a run records it (its test passed).

    A failed command (``exit_code`` > 0) writes nothing and imports nothing; ``extra`` adds files by
    path with their role (a stray lock file, a misplaced header).
    """
    home = "/root" if account == "root" else "/home/user"
    site = f"{home}/.local/lib/python3.11/site-packages"
    installer = "uv" if spelling.startswith("uv-") else spelling
    argv = ["python3", "-m", "pip", "install", "--user", "demo-pkg"]
    ok = exit_code == 0
    files: list[FileChange] = []
    roles: dict[str, FileRole] = {}
    if ok:
        files = [
            FileChange(f"{site}/demo_pkg", Change.ADDED, "dir", _SITE_SLOTS),
            FileChange(f"{site}/demo_pkg/__init__.py", Change.ADDED, "file", _SITE_SLOTS, 0o644, 139),
            FileChange(
                f"{site}/demo_pkg-1.0.dist-info/RECORD", Change.ADDED, "file", _SITE_SLOTS, 0o644, 505
            ),
            FileChange(
                f"{home}/.local/bin/demo-cli",
                Change.ADDED,
                "file",
                ["posix_user:scripts"],
                mode=0o755,
                shebang="#!/usr/bin/python3",
            ),
        ]
        roles = {
            f"{site}/demo_pkg": FileRole.DIR,
            f"{site}/demo_pkg/__init__.py": FileRole.EXPECTED,
            f"{site}/demo_pkg-1.0.dist-info/RECORD": FileRole.GENERATED,
            f"{home}/.local/bin/demo-cli": FileRole.EXPECTED,
        }
        for path, role in (extra or {}).items():
            files.append(FileChange(path, Change.ADDED, "file", _SITE_SLOTS, 0o644, 0))
            roles[path] = FileRole(role)
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
        spec=Coordinates(target, account, scenario, fixture, spelling),
        installer=installer,
        installer_version=installer_version or _VERSIONS[installer],
        command=argv,
        environment={"PIP_CONFIG_FILE": "/dev/null", **(environment or {})},
        facts={
            "python": "3.11.2",
            "externally_managed": True,
            "libc": "glibc 2.36",
            "user_base": f"{home}/.local",
        },
        expectation=Expectation(Outcome.INSTALL, "explicit user install", scheme="posix_user"),
        observation=observation,
        judgement=Judgement(Verdict(verdict), reasons or ["lands in posix_user and works"], roles, landing),
        seconds=1.5,
        expected_verdict=Verdict(expected_verdict) if expected_verdict else None,
        timing={"command": 0.4},
        test_outcome="passed",
    )


def varied() -> list[Cell]:
    """Two targets; a uv spelling that differs, one that refuses with hostile output, a changed verdict."""
    lock = "/home/user/.local/lib/python3.11/site-packages/.lock"
    header = "/home/user/.local/include/site/python3.11/demo-pkg/demo.h"
    return [
        record("pip"),
        record("uv-target", "differs", extra={lock: "stray"}, reasons=[f"stray file(s): {lock}"]),
        record(
            "uv-user",
            "refuses",
            exit_code=2,
            error_class="unsupported-option",
            stderr=f"error: unexpected argument '--user'\n{HOSTILE}\n",
            reasons=["refuses (unsupported-option) where the intent calls for an install"],
        ),
        record("reference", "differs", extra={header: "misplaced"}, expected_verdict="conforms"),
        record("pip", account="root"),
        record("reference", account="root"),
        record("pip", target="ubuntu-noble", installer_version="24.0"),
        record("uv-target", "conforms", target="ubuntu-noble"),
    ]


STARTED = 1_795_000_000.0
SHA = "204f4e9fbb3606a0f9002604cb5e658202132a33"


def document(cells: list[Cell], run_id: str = "768550d0616f") -> MatrixDocument:
    """A matrix document as the recorder builds it, with a fixed git sha so pages are reproducible."""
    built = assemble(cells, Selection(), run_id, STARTED, STARTED + 158)
    return replace(built, run=replace(built.run, git_sha=SHA))
