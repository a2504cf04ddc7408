"""Error classes from the messages installers really print."""

from __future__ import annotations

import pytest

from conformance.run.classify import OTHER, classify, excerpt


@pytest.mark.parametrize(
    ("stderr", "expected"),
    [
        (
            # pip's own box-drawing glyph, kept verbatim.
            "error: externally-managed-environment\n\n× This environment is externally managed",  # noqa: RUF001
            "externally-managed",
        ),
        (
            "error: The interpreter at /usr is externally managed, and indicates the following:",
            "externally-managed",
        ),
        ("error: pip's `--user` is unsupported (use a virtual environment instead)", "unsupported-option"),
        ("\nUsage: ...\n\nno such option: --break-system-packages\n", "unsupported-option"),
        ("error: unexpected argument '--user' found", "unsupported-option"),
        (
            "ERROR: Can not perform a '--user' install. "
            "User site-packages are not visible in this virtualenv.",
            "venv-conflict",
        ),
        (
            "ERROR: Can not perform a '--user' install. User site-packages are disabled for this Python.",
            "user-site-disabled",
        ),
        (
            "Caused by: failed to create directory `/usr/local/lib/python3.12/dist-packages/x`: "
            "Permission denied (os error 13)",
            "permission-denied",
        ),
        (
            "ERROR: Could not install packages due to an OSError: "
            "[Errno 13] Permission denied: '/usr/local/lib'",
            "permission-denied",
        ),
        (
            "cause: failed to create directory `C:\\Program Files\\Python313\\Lib\\site-packages\\x`: "
            "Access denied. (os error 5)",
            "permission-denied",
        ),
        ("error: No virtual environment found; run `uv venv` to create an environment", "no-environment"),
        (
            # uv sync with UV_PROJECT_ENVIRONMENT at a user base already in use, as uv 0.13.9 says it.
            "error: Project virtual environment directory `/home/user/.local` cannot be used because it is "
            "not a valid Python environment (no Python executable was found)",
            "not-an-environment",
        ),
        ("ERROR: Could not find a version that satisfies the requirement nope", "not-found"),
        ("/home/user/uv-venv/bin/python3: No module named pip", "no-pip"),
        ("ModuleNotFoundError: No module named 'pip_latest_helper'", OTHER),
        ("Segmentation fault", OTHER),
    ],
)
def test_classify(stderr: str, expected: str) -> None:
    assert classify("", stderr) == expected


def test_excerpt_starts_at_the_error_line() -> None:
    text = (
        "Looking in links: /w\nProcessing x\nERROR: Could not install packages\nConsider --user\nmore\nmore\n"
    )
    assert excerpt("", text).splitlines()[0] == "ERROR: Could not install packages"


def test_uv_finding_no_environment_at_a_python_path_is_no_environment() -> None:
    stderr = (
        "error: No virtual environment or system Python installation found for directory "
        "`/home/user/.local`; run `uv venv` to create an environment"
    )
    assert classify("", stderr) == "no-environment"
