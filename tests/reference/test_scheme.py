"""Scheme arithmetic against sysconfig's own templates, for Linux, Windows and macOS facts."""

from __future__ import annotations

import ntpath
import posixpath
import string
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.reference import scheme
from conformance.reference.environment import Environment
from conformance.reference.errors import UserSchemeUnavailable

MakeEnv = Callable[..., Environment]
X, Y = sys.version_info[:2]


def windows_env(host_env: Environment, user_base: str, **changes: object) -> Environment:
    """Facts of a CPython 3.13 on Windows, with the nt schemes CPython ships on every platform."""
    templates = dict(host_env.schemes)
    variables = {**host_env.scheme_vars, "py_version_nodot_plat": "313", "implementation": "Python"}
    return replace(
        host_env,
        os_name="nt",
        platform="win32",
        framework="",
        version=(3, 13),
        prefix="C:\\Python313",
        base_prefix="C:\\Python313",
        home="C:\\Users\\u",
        user_base=user_base,
        schemes=templates,
        scheme_vars=variables,
        preferred_user_scheme="nt_user",
        **changes,  # type: ignore[arg-type]
    )


def macos_env(host_env: Environment, user_base: str, **changes: object) -> Environment:
    return replace(
        host_env,
        platform="darwin",
        framework="Python",
        prefix="/Library/Frameworks/Python.framework/Versions/3.12",
        base_prefix="/Library/Frameworks/Python.framework/Versions/3.12",
        user_base=user_base,
        preferred_user_scheme="osx_framework_user",
        **changes,  # type: ignore[arg-type]
    )


def linux_env(host_env: Environment, user_base: str, **changes: object) -> Environment:
    return replace(
        host_env,
        platform="linux",
        prefix="/usr",
        base_prefix="/usr",
        user_base=user_base,
        preferred_user_scheme="posix_user",
        **changes,  # type: ignore[arg-type]
    )


# Absolute POSIX user bases with spaces, non-ASCII, '.' and '..' segments and braces.
posix_segment = st.text(
    st.characters(exclude_characters="/\x00", categories=("L", "M", "N", "P", "S", "Zs")), min_size=1
)
posix_bases = st.lists(posix_segment, min_size=1, max_size=5).map(lambda parts: "/" + "/".join(parts))
windows_segment = st.text(
    st.characters(exclude_characters='\\/:*?"<>|\x00', exclude_categories=("Cs", "Cc")), min_size=1
).filter(lambda s: s.strip(". ") == s and s not in (".", ".."))
windows_bases = st.lists(windows_segment, min_size=1, max_size=4).map(lambda parts: "C:\\" + "\\".join(parts))
dist_names = st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9._-]{0,20}[A-Za-z0-9])?", fullmatch=True)


@pytest.mark.property
@settings(max_examples=150, deadline=None)
@given(user_base=posix_bases, name=dist_names)
def test_posix_user_scheme_is_sysconfigs(host_env: Environment, user_base: str, name: str) -> None:
    expected = sysconfig.get_paths("posix_user", vars={"userbase": user_base})
    got = scheme.user_scheme(linux_env(host_env, user_base), name)
    assert (got.purelib, got.platlib, got.scripts, got.data) == (
        expected["purelib"],
        expected["platlib"],
        expected["scripts"],
        expected["data"],
    )
    assert got.headers == posixpath.join(expected["include"], name)


@pytest.mark.property
@settings(max_examples=100, deadline=None)
@given(user_base=posix_bases, name=dist_names)
def test_macos_framework_user_scheme_is_sysconfigs(host_env: Environment, user_base: str, name: str) -> None:
    expected = sysconfig.get_paths("osx_framework_user", vars={"userbase": user_base})
    got = scheme.user_scheme(macos_env(host_env, user_base), name)
    assert (got.purelib, got.scripts, got.data) == (
        expected["purelib"],
        expected["scripts"],
        expected["data"],
    )
    assert got.headers == posixpath.join(expected["include"], name)


@pytest.mark.property
@settings(max_examples=100, deadline=None)
@given(user_base=windows_bases, name=dist_names)
def test_windows_user_scheme_is_sysconfigs(host_env: Environment, user_base: str, name: str) -> None:
    variables = {"userbase": user_base, "py_version_nodot_plat": "313", "implementation": "Python"}
    expected = {k: ntpath.normpath(v) for k, v in sysconfig.get_paths("nt_user", vars=variables).items()}
    got = scheme.user_scheme(windows_env(host_env, user_base), name)
    assert (got.purelib, got.platlib, got.scripts, got.data) == (
        expected["purelib"],
        expected["platlib"],
        expected["scripts"],
        expected["data"],
    )
    assert got.headers == ntpath.join(expected["include"], name)


@pytest.mark.property
@settings(max_examples=100, deadline=None)
@given(user_base=posix_bases | windows_bases, layout=st.sampled_from(["linux", "macos", "windows"]))
def test_site_user_site_is_the_user_purelib(host_env: Environment, user_base: str, layout: str) -> None:
    make = {"linux": linux_env, "macos": macos_env, "windows": windows_env}[layout]
    env = make(host_env, user_base)
    user_site = scheme.user_site(env)
    assert user_site is not None
    assert scheme.path_module(env.os_name).normpath(user_site) == scheme.user_scheme(env, "x").purelib


def test_windows_layout_spelled_out(host_env: Environment) -> None:
    base = scheme.compute_user_base(
        environ={"APPDATA": "C:\\Users\\Zoë Ünïcode\\AppData\\Roaming"},
        os_name="nt",
        platform="win32",
        framework="",
        version=(3, 13),
        home="C:\\Users\\Zoë Ünïcode",
    )
    assert base == "C:\\Users\\Zoë Ünïcode\\AppData\\Roaming\\Python"
    got = scheme.user_scheme(windows_env(host_env, base), "demo-pkg")
    root = "C:\\Users\\Zoë Ünïcode\\AppData\\Roaming\\Python"
    assert got.purelib == got.platlib == f"{root}\\Python313\\site-packages"
    assert got.scripts == f"{root}\\Python313\\Scripts"
    assert got.headers == f"{root}\\Python313\\Include\\demo-pkg"
    assert got.data == root
    assert scheme.user_site(windows_env(host_env, base)) == f"{root}\\Python313\\site-packages"


def test_windows_32bit_suffix(host_env: Environment) -> None:
    env = windows_env(host_env, "C:\\U\\Python")
    env = replace(env, scheme_vars={**env.scheme_vars, "py_version_nodot_plat": "313-32"})
    assert scheme.user_scheme(env, "p").purelib == "C:\\U\\Python\\Python313-32\\site-packages"


@pytest.mark.parametrize(
    ("environ", "home", "expected"),
    [
        ({"APPDATA": "D:\\Roaming"}, "C:\\Users\\u", "D:\\Roaming\\Python"),
        ({"APPDATA": ""}, "C:\\Users\\u", "C:\\Users\\u\\Python"),
        ({}, "C:\\Users\\u", "C:\\Users\\u\\Python"),
        ({"PYTHONUSERBASE": "E:\\base", "APPDATA": "D:\\R"}, "C:\\Users\\u", "E:\\base"),
    ],
)
def test_windows_user_base(environ: dict[str, str], home: str, expected: str) -> None:
    got = scheme.compute_user_base(
        environ=environ, os_name="nt", platform="win32", framework="", version=(3, 12), home=home
    )
    assert got == expected


@pytest.mark.parametrize(
    ("platform", "framework", "expected"),
    [
        ("darwin", "Python", "/Users/u/Library/Python/3.12"),
        ("darwin", "", "/Users/u/.local"),
        ("linux", "", "/Users/u/.local"),
    ],
)
def test_posix_user_base(platform: str, framework: str, expected: str) -> None:
    got = scheme.compute_user_base(
        environ={}, os_name="posix", platform=platform, framework=framework, version=(3, 12), home="/Users/u"
    )
    assert got == expected


@pytest.mark.parametrize(
    ("environ", "home", "expected"),
    [
        ({"PYTHONUSERBASE": "rel/base"}, "/h", "rel/base"),  # used verbatim, even relative
        ({"PYTHONUSERBASE": ""}, "/h", "/h/.local"),  # empty is ignored
        ({}, "/", "/.local"),
        ({}, "/h/", "/h/.local"),
    ],
)
def test_user_base_edge_cases(environ: dict[str, str], home: str, expected: str) -> None:
    got = scheme.compute_user_base(
        environ=environ, os_name="posix", platform="linux", framework="", version=(3, 11), home=home
    )
    assert got == expected


@pytest.mark.parametrize("platform", ["emscripten", "wasi", "ios"])
def test_no_user_base_on_platforms_without_home(platform: str) -> None:
    got = scheme.compute_user_base(
        environ={}, os_name="posix", platform=platform, framework="", version=(3, 13), home="/"
    )
    assert got is None


@pytest.mark.parametrize("environ", [{}, {"PYTHONUSERBASE": "/opt/ub space/é"}])
def test_user_base_matches_site_py(tmp_path: Path, environ: dict[str, str]) -> None:
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", **environ}
    out = subprocess.run(
        [sys.executable, "-c", "import site; print(site.getuserbase()); print(site.getusersitepackages())"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout.splitlines()
    base = scheme.compute_user_base(
        environ=environ,
        os_name="posix",
        platform=sys.platform,
        framework="",
        version=(X, Y),
        home=str(tmp_path),
    )
    assert base == out[0]


def test_headers_use_the_name_as_typed(make_env: MakeEnv) -> None:
    env = make_env()
    assert scheme.user_scheme(env, "DEMO.pkg").headers == f"{env.user_base}/include/python{X}.{Y}/DEMO.pkg"


def test_unnamed_headers_outside_a_venv(make_env: MakeEnv) -> None:
    assert scheme.user_scheme(make_env(), "").headers.endswith("/UNKNOWN")


def test_venv_user_headers_use_the_user_base(make_env: MakeEnv) -> None:
    # pip reads "userbase" from the vars dict sysconfig filled in: the real user base, not sys.prefix.
    env = make_env()
    env = replace(env, prefix=env.prefix + "/venv")
    assert (
        scheme.user_scheme(env, "demo-pkg").headers == f"{env.user_base}/include/site/python{X}.{Y}/demo-pkg"
    )


def test_venv_default_headers_use_the_base(make_env: MakeEnv) -> None:
    env = make_env()
    base = env.scheme_vars["base"]
    env = replace(env, prefix=base + "/venv")
    assert scheme.default_scheme(env, "demo-pkg").headers == f"{base}/include/site/python{X}.{Y}/demo-pkg"


def test_missing_user_scheme(make_env: MakeEnv) -> None:
    with pytest.raises(UserSchemeUnavailable, match="User base directory is not specified"):
        scheme.user_scheme(make_env(preferred_user_scheme=None), "x")


def test_debian_posix_local(host_env: Environment) -> None:
    debian = {
        "purelib": "{base}/local/lib/python{py_version_short}/dist-packages",
        "platlib": "{platbase}/local/lib/python{py_version_short}/dist-packages",
        "scripts": "{base}/local/bin",
        "data": "{base}/local",
        "include": "{installed_base}/include/python{py_version_short}{abiflags}",
        "stdlib": "{installed_base}/{platlibdir}/python{py_version_short}",
    }
    variables = {**host_env.scheme_vars, "base": "/usr", "platbase": "/usr", "installed_base": "/usr"}
    variables.update(py_version_short="3.11", abiflags="", platlibdir="lib")
    env = replace(
        linux_env(host_env, "/home/u/.local"),
        schemes={**host_env.schemes, "posix_local": debian},
        scheme_vars=variables,
        preferred_prefix_scheme="posix_local",
    )
    got = scheme.default_scheme(env, "demo-pkg")
    assert got.purelib == "/usr/local/lib/python3.11/dist-packages"
    assert got.scripts == "/usr/local/bin"
    assert got.headers == "/usr/include/python3.11/demo-pkg"
    assert scheme.default_paths(env)["stdlib"] == "/usr/lib/python3.11"


def test_free_threaded_313_user_scheme(host_env: Environment) -> None:
    templates = {
        "purelib": "{userbase}/lib/{implementation_lower}{py_version_short}{abi_thread}/site-packages",
        "platlib": "{userbase}/lib/{implementation_lower}{py_version_short}{abi_thread}/site-packages",
        "include": "{userbase}/include/{implementation_lower}{py_version_short}{abi_thread}",
        "scripts": "{userbase}/bin",
        "data": "{userbase}",
    }
    variables = {"implementation_lower": "python", "py_version_short": "3.13", "abi_thread": "t"}
    env = replace(
        linux_env(host_env, "/h/.local"),
        version=(3, 13),
        schemes={**host_env.schemes, "posix_user": templates},
        scheme_vars={**host_env.scheme_vars, **variables},
    )
    got = scheme.user_scheme(env, "p")
    assert got.purelib == "/h/.local/lib/python3.13t/site-packages"
    assert got.headers == "/h/.local/include/python3.13t/p"
    assert scheme.user_site(env) == "/h/.local/lib/python3.13t/site-packages"


def test_template_names() -> None:
    assert scheme.template_names(["{a}/x/{b}", "{c}"]) == {"a", "b", "c"}


def test_template_names_of_every_sysconfig_scheme_are_what_format_reads() -> None:
    schemes = sysconfig.get_scheme_names()
    templates = [t for name in schemes for t in sysconfig.get_paths(name, expand=False).values()]
    fields = {f for t in templates for _, f, _, _ in string.Formatter().parse(t) if f}
    assert scheme.template_names(templates) == fields


@pytest.mark.parametrize(
    ("path", "home", "os_name", "expected"),
    [
        ("~/x", "/h", "posix", "/h/x"),
        ("~", "/", "posix", "/"),
        ("~other/x", "/h", "posix", "~other/x"),
        ("~\\x", "C:\\H", "nt", "C:\\H\\x"),
        ("~/x", "C:\\H", "nt", "C:\\H/x"),
        ("a/~", "/h", "posix", "a/~"),
    ],
)
def test_expand_home(path: str, home: str, os_name: str, expected: str) -> None:
    assert scheme.expand_home(path, home, os_name) == expected
