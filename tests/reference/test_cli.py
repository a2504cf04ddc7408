"""The command line in-process: exit statuses, ERROR lines, PIP_* variables, pip's wording."""

from __future__ import annotations

import errno
import io
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conformance.reference import scheme
from conformance.reference.cli import main
from conformance.reference.decision import FALLBACK_NOTICE
from conformance.reference.environment import Environment
from conformance.reference.errors import InstallOSError
from conformance.reference.journal import Journal

from .support import tree
from .wheelmaker import make_wheel

MakeEnv = Callable[..., Environment]
PY = f"python{sys.version_info[0]}.{sys.version_info[1]}"


def cli(env: Environment, *argv: str, environ: dict[str, str] | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), env=env, environ=environ or {}, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def user_site(env: Environment) -> Path:
    return Path(scheme.user_scheme(env, "x").purelib)


def default_site(env: Environment) -> Path:
    return Path(scheme.default_paths(env)["purelib"])


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.startswith("conformance-reference ")


def test_unknown_option_is_a_usage_error(make_env: MakeEnv) -> None:
    err = io.StringIO()
    with pytest.raises(SystemExit) as caught:
        main(["install", "--frobnicate", "x"], env=make_env(), environ={}, err=err)
    assert caught.value.code == 2
    assert err.getvalue() == (
        "usage: reference install [options] REQ...\nreference install: error: no such option: --frobnicate\n"
    )


def test_help_names_the_honoured_variables(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    assert "PIP_USER, PIP_NO_USER and PIP_BREAK_SYSTEM_PACKAGES" in text
    assert "NOT read" in text


def test_invalid_pip_user_is_a_usage_error(make_env: MakeEnv) -> None:
    err = io.StringIO()
    with pytest.raises(SystemExit) as caught:
        main(["install", "demo-pkg"], env=make_env(), environ={"PIP_USER": "maybe"}, err=err)
    assert caught.value.code == 2
    assert "maybe is not a valid value for user option" in err.getvalue()


def test_refusals_print_error_and_return_1(make_env: MakeEnv) -> None:
    code, _, err = cli(make_env(), "install", "--user", "--target", "/t", "demo-pkg")
    assert code == 1
    assert err.startswith("ERROR: Can not combine '--user' and '--target'\n")
    assert "Drop --user" in err


def test_pip_user_with_target(make_env: MakeEnv) -> None:
    code, _, err = cli(make_env(), "install", "--target", "/t", "x", environ={"PIP_USER": "1"})
    assert code == 1 and "Can not combine '--user' and '--target'" in err


def test_pip_user_with_prefix(make_env: MakeEnv) -> None:
    code, _, err = cli(make_env(), "install", "--prefix", "/p", "x", environ={"PIP_USER": "yes"})
    assert code == 1 and "Can not combine '--user' and '--prefix' as they imply different" in err


def test_prefix_alone_is_not_carried_out(make_env: MakeEnv) -> None:
    code, _, err = cli(make_env(), "install", "--prefix", "/p", "x")
    assert code == 1 and "--prefix and --target installs are not implemented" in err


def test_no_requirement(make_env: MakeEnv) -> None:
    code, _, err = cli(make_env(), "install", "--user")
    assert code == 1 and "You must give at least one requirement to install" in err


@pytest.mark.parametrize(
    ("argv", "environ", "user"),
    [
        (["--user"], {}, True),
        ([], {"PIP_USER": "1"}, True),
        ([], {"PIP_NO_USER": "1"}, True),  # pip's quirk
        ([], {"PIP_NO_USER": "0"}, False),
        (["--no-user"], {"PIP_USER": "1"}, False),  # the command line wins
        (["--user", "--no-user"], {}, False),  # the last option wins
        ([], {}, False),
    ],
)
def test_where_it_lands(
    make_env: MakeEnv, wheelhouse: Path, argv: list[str], environ: dict[str, str], user: bool
) -> None:
    env = make_env()
    code, _, err = cli(
        env, "install", *argv, "--no-index", "-f", str(wheelhouse), "demo-base", environ=environ
    )
    assert code == 0, err
    assert (user_site(env) / "demo_base").is_dir() is user
    assert (default_site(env) / "demo_base").is_dir() is not user


def test_fallback_line_and_landing(make_env: MakeEnv, wheelhouse: Path) -> None:
    env = make_env(default_lib_writable=False)
    code, out, _ = cli(env, "install", "-f", str(wheelhouse), "demo-base")
    assert code == 0
    assert out.splitlines()[0] == FALLBACK_NOTICE
    assert (user_site(env) / "demo_base").is_dir()


def test_break_system_packages_variable(make_env: MakeEnv, wheelhouse: Path) -> None:
    env = make_env(marker_error="Use the distribution's packages.")
    code, _, err = cli(env, "install", "--user", "-f", str(wheelhouse), "demo-base")
    assert code == 1 and "externally-managed-environment" in err and "Use the distribution's packages." in err
    code, _, _ = cli(
        env,
        "install",
        "--user",
        "-f",
        str(wheelhouse),
        "demo-base",
        environ={"PIP_BREAK_SYSTEM_PACKAGES": "1"},
    )
    assert code == 0


def test_broken_wheel_leaves_nothing(make_env: MakeEnv, wheelhouse: Path, tmp_path: Path) -> None:
    env = make_env()
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "demo_base-1.0-py3-none-any.whl").write_bytes(b"PK\x03\x04 truncated")
    code, _, err = cli(env, "install", "--user", "-f", str(broken), "demo-base")
    assert code == 1 and "is invalid" in err and "nothing was installed" in err
    code, _, err = cli(env, "install", "--user", str(tmp_path / "missing-1.0-py3-none-any.whl"))
    assert code == 1 and "looks like a filename, but the file does not exist" in err
    assert tree(tmp_path / "home") == set()
    assert tree(tmp_path / "prefix") == set()


def test_a_bad_dependency_stops_the_install_before_any_write(
    make_env: MakeEnv, wheelhouse: Path, tmp_path: Path
) -> None:
    env = make_env()
    links = tmp_path / "links"
    links.mkdir()
    (links / "demo_app-1.0-py3-none-any.whl").write_bytes(
        (wheelhouse / "demo_app-1.0-py3-none-any.whl").read_bytes()
    )
    make_wheel(links, "demo-base", record=lambda rows: [r.replace("sha256=", "sha256=AAAA", 1) for r in rows])
    code, _, err = cli(env, "install", "--user", "-f", str(links), "demo-app")
    assert code == 1
    assert "demo_base/__init__.py didn't match RECORD" in err
    assert tree(tmp_path / "home") == set()


def test_permission_denied(make_env: MakeEnv, wheelhouse: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def deny(self: Journal, directory: str) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", directory)

    monkeypatch.setattr(Journal, "make_parents", deny)
    code, _, err = cli(make_env(), "install", "--no-user", "-f", str(wheelhouse), "demo-base")
    assert code == 1
    assert "Could not install packages due to an OSError: [Errno 13] Permission denied" in err
    assert "Consider using the `--user` option or check the permissions." in err
    code, _, err = cli(make_env(), "install", "--user", "-f", str(wheelhouse), "demo-base")
    assert "Permission denied" in err and err.rstrip().endswith("Check the permissions.")


def test_os_error_without_eacces() -> None:
    message = str(InstallOSError(OSError(errno.ENOSPC, "No space left on device"), suggest_user=True))
    assert "Could not install packages due to an OSError: [Errno 28] No space left on device" in message
    assert "--user" not in message


def test_list_user_from_pip_user(make_env: MakeEnv, wheelhouse: Path) -> None:
    env = make_env()
    cli(env, "install", "--user", "-f", str(wheelhouse), "demo-pkg")
    cli(env, "install", "--no-user", "-f", str(wheelhouse), "demo-base")
    assert cli(env, "list", "--user")[1] == "Package  Version\n-------- -------\ndemo-pkg 1.0\n"
    assert (
        cli(env, "list", environ={"PIP_USER": "1"})[1] == "Package  Version\n-------- -------\ndemo-pkg 1.0\n"
    )
    assert "demo-base" in cli(env, "list")[1]


def test_uninstall_round_trip(make_env: MakeEnv, wheelhouse: Path) -> None:
    env = make_env()
    cli(env, "install", "--user", "-f", str(wheelhouse), "demo-pkg")
    code, out, _ = cli(env, "uninstall", "-y", "demo-pkg")
    assert code == 0 and "Successfully uninstalled demo-pkg-1.0" in out
    code, _, err = cli(env, "uninstall", "-y", "demo-pkg")
    assert code == 0 and "WARNING: Skipping demo-pkg as it is not installed." in err


def test_uninstall_needs_a_name(make_env: MakeEnv) -> None:
    code, _, err = cli(make_env(), "uninstall", "-y")
    assert code == 1 and "You must give at least one requirement to uninstall" in err
