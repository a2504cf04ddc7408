"""The command line in-process: exit statuses, ERROR lines, PIP_* variables, pip's wording."""

from __future__ import annotations

import errno
import io
import sys
from collections.abc import Callable
from dataclasses import replace
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
    assert "PIP_<OPTION> for each long option" in text
    assert "PIP_NO_USER=1 means a user install" in text
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


def path_warning(env: Environment) -> str:
    bin_dir = scheme.user_scheme(env, "x").scripts
    return (
        f"  WARNING: The script demo-cli is installed in '{Path(bin_dir).resolve()}' which is not on PATH.\n"
        "  Consider adding this directory to PATH or, if you prefer to suppress this warning, use "
        "--no-warn-script-location.\n"
    )


def test_path_warning_for_console_scripts(make_env: MakeEnv, wheelhouse: Path) -> None:
    env = make_env()
    code, _, err = cli(env, "install", "--user", "-f", str(wheelhouse), "demo-pkg")
    assert code == 0
    assert err == path_warning(env)


def test_no_path_warning_when_the_directory_is_on_path(make_env: MakeEnv, wheelhouse: Path) -> None:
    env = make_env()
    env = replace(env, path_entries=("/usr/bin", scheme.user_scheme(env, "x").scripts))
    code, _, err = cli(env, "install", "--user", "-f", str(wheelhouse), "demo-pkg")
    assert (code, err) == (0, "")


@pytest.mark.parametrize(
    ("argv", "environ"),
    [(["--no-warn-script-location"], {}), ([], {"PIP_NO_WARN_SCRIPT_LOCATION": "0"})],
)
def test_no_warn_script_location(
    make_env: MakeEnv, wheelhouse: Path, argv: list[str], environ: dict[str, str]
) -> None:
    code, _, err = cli(
        make_env(), "install", "--user", *argv, "-f", str(wheelhouse), "demo-pkg", environ=environ
    )
    assert (code, err) == (0, "")


def test_quiet_keeps_warnings_and_errors(make_env: MakeEnv, wheelhouse: Path) -> None:
    env = make_env()
    code, out, err = cli(env, "install", "--user", "-q", "-f", str(wheelhouse), "demo-pkg")
    assert (code, out, err) == (0, "", path_warning(env))
    code, out, err = cli(
        make_env(), "install", "--user", "-qq", "-f", str(wheelhouse), "demo-pkg", "demo-base"
    )
    assert (code, out, err) == (0, "", "")
    # A failed command is reported even with -qqq, as pip reports it at CRITICAL.
    code, out, err = cli(env, "install", "--user", "-qqq", "-f", str(wheelhouse), "no-such-project")
    assert code == 1 and out == "" and err.startswith("ERROR: Could not find a version that satisfies")


def test_quiet_from_the_environment_and_the_command_line_add_up(make_env: MakeEnv, wheelhouse: Path) -> None:
    env = make_env()
    argv = ("install", "--user", "-f", str(wheelhouse), "demo-pkg")
    assert cli(env, *argv, "-q", environ={"PIP_QUIET": "1"})[1:] == ("", "")
    assert cli(env, "uninstall", "-y", "demo-pkg", "-v", environ={"PIP_QUIET": "1"})[1].startswith("Found")


def test_verbose_lines(make_env: MakeEnv, wheelhouse: Path) -> None:
    env = make_env()
    code, out, _ = cli(env, "install", "--user", "-v", "-f", str(wheelhouse), "demo-pkg")
    lines = out.splitlines()
    assert code == 0
    assert lines[0].startswith("Using conformance-reference ")
    assert lines[0].endswith(f" (python {sys.version_info[0]}.{sys.version_info[1]})")
    assert "User install by explicit request" not in out  # pip's DEBUG line: -vv
    if sys.platform != "win32":
        script = Path(scheme.user_scheme(env, "x").scripts) / "demo-cli"
        assert f"  changing mode of {script} to 755" in lines
    code, out, _ = cli(env, "uninstall", "-y", "-vv", "demo-pkg")
    assert "  Removing file or directory " in out
    code, out, _ = cli(make_env(), "install", "--user", "-vv", "-f", str(wheelhouse), "demo-base")
    assert out.splitlines()[1] == "User install by explicit request"


def test_blank_line_where_pips_progress_bar_was(make_env: MakeEnv, wheelhouse: Path) -> None:
    code, out, _ = cli(make_env(), "install", "--user", "-f", str(wheelhouse), "demo-app")
    assert code == 0
    assert out.endswith(
        "Installing collected packages: demo-base, demo-app\n\n"
        "Successfully installed demo-app-1.0 demo-base-1.0\n"
    )
    code, out, _ = cli(make_env(), "install", "--user", "-f", str(wheelhouse), "demo-plat")
    assert out.endswith("Installing collected packages: demo-plat\nSuccessfully installed demo-plat-1.0\n")


def test_no_deps_and_no_cache_dir(make_env: MakeEnv, wheelhouse: Path) -> None:
    env = make_env()
    code, out, _ = cli(
        env, "install", "--user", "--no-deps", "--no-cache-dir", "-f", str(wheelhouse), "demo-app"
    )
    assert code == 0 and "Successfully installed demo-app-1.0\n" in out
    assert not (user_site(env) / "demo_base").exists()


def test_requirement_files(make_env: MakeEnv, wheelhouse: Path, tmp_path: Path) -> None:
    env = make_env()
    (tmp_path / "reqs").mkdir()
    (tmp_path / "reqs" / "main.txt").write_text(
        f"# the app\n-f {wheelhouse}\ndemo-app \\\n  >=1.0\n-r more.txt\n"
    )
    (tmp_path / "reqs" / "more.txt").write_text("demo-pkg  # and the demo\n")
    code, out, err = cli(env, "install", "--user", "-r", str(tmp_path / "reqs" / "main.txt"))
    assert code == 0, err
    main, more = tmp_path / "reqs" / "main.txt", tmp_path / "reqs" / "more.txt"
    assert out.splitlines()[:4] == [
        f"Looking in links: {wheelhouse}",
        f"Processing {wheelhouse}/demo_app-1.0-py3-none-any.whl (from -r {main} (line 3))",
        f"Processing {wheelhouse}/demo_pkg-1.0-py3-none-any.whl (from -r {more} (line 1))",
        f"Processing {wheelhouse}/demo_base-1.0-py3-none-any.whl (from demo-app>=1.0->-r {main} (line 3))",
    ]
    assert "Installing collected packages: demo-pkg, demo-base, demo-app\n" in out
    assert (user_site(env) / "demo_pkg").is_dir()


def test_requirement_file_errors(make_env: MakeEnv, tmp_path: Path) -> None:
    env = make_env()
    code, _, err = cli(env, "install", "--user", "-r", str(tmp_path / "missing.txt"))
    assert code == 1 and err.startswith("ERROR: Could not open requirements file: [Errno 2]")
    (tmp_path / "edit.txt").write_text("-e .\n")
    code, _, err = cli(env, "install", "--user", "-r", str(tmp_path / "edit.txt"))
    assert code == 1 and "-e/--editable is not supported in requirements files" in err
    assert tree(tmp_path / "home") == set()


def test_no_requirement_with_find_links_suggests_what_was_meant(make_env: MakeEnv) -> None:
    code, _, err = cli(make_env(), "install", "--user", "-f", "wheels", "-f", "more")
    assert code == 1
    assert err.startswith(
        "ERROR: You must give at least one requirement to install "
        '(maybe you meant "pip install wheels more"?)'
    )
