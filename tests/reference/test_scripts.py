"""Script wrappers as distlib writes them for pip: shebangs, the /bin/sh trampoline, Windows launchers."""

from __future__ import annotations

import io
import zipfile
from importlib.resources import files

import pytest

from conformance.reference.scripts import LAUNCHERS, enquote, shebang, wrapper
from conformance.reference.wheelfile import EntryPoint

CLI = EntryPoint("demo-cli", "demo_pkg.cli", "main", gui=False)


def test_posix_wrapper_is_pips() -> None:
    name, content = wrapper(CLI, executable="/usr/bin/python3", launcher_kind="posix", platform="linux")
    assert name == "demo-cli"
    assert content == (
        b"#!/usr/bin/python3\n"
        b"import sys\n"
        b"from demo_pkg.cli import main\n"
        b"if __name__ == '__main__':\n"
        b"    sys.argv[0] = sys.argv[0].removesuffix('.exe')\n"
        b"    sys.exit(main())\n"
    )


def test_dotted_attribute() -> None:
    ep = EntryPoint("x", "pkg.mod", "App.run", gui=False)
    _, content = wrapper(ep, executable="/py", launcher_kind="posix", platform="linux")
    assert b"from pkg.mod import App\n" in content
    assert b"sys.exit(App.run())\n" in content


def test_space_in_the_interpreter_path_uses_the_sh_trampoline() -> None:
    assert shebang("/opt/my python/bin/python3", os_name="posix", platform="linux") == (
        b"#!/bin/sh\n'''exec' \"/opt/my python/bin/python3\" \"$0\" \"$@\"\n' '''\n"
    )


def test_long_interpreter_path_uses_the_sh_trampoline() -> None:
    long_path = "/" + "d" * 130 + "/python3"
    assert shebang(long_path, os_name="posix", platform="linux").startswith(b"#!/bin/sh\n")
    # The limit is 127 bytes including "#!" and the newline, 512 on macOS.
    exactly = "/" + "p" * 123
    assert shebang(exactly, os_name="posix", platform="linux") == b"#!" + exactly.encode() + b"\n"
    assert shebang(exactly + "x", os_name="posix", platform="linux").startswith(b"#!/bin/sh")
    assert shebang(long_path, os_name="posix", platform="darwin") == b"#!" + long_path.encode() + b"\n"


def test_non_ascii_interpreter_path() -> None:
    assert (
        shebang("/opt/pythön/bin/python", os_name="posix", platform="linux")
        == "#!/opt/pythön/bin/python\n".encode()
    )


@pytest.mark.parametrize(
    ("executable", "expected"),
    [
        ("/usr/bin/python3", "/usr/bin/python3"),
        ("/a b/python", '"/a b/python"'),
        ('"/a b/python"', '"/a b/python"'),
        ("/usr/bin/env a b", '/usr/bin/env "a b"'),
        ("/usr/bin/env python", "/usr/bin/env python"),
    ],
)
def test_enquote(executable: str, expected: str) -> None:
    assert enquote(executable) == expected


def test_windows_console_wrapper() -> None:
    exe = "C:\\Program Files\\Python313\\python.exe"
    name, content = wrapper(CLI, executable=exe, launcher_kind="win-amd64", platform="win32")
    assert name == "demo-cli.exe"
    launcher = files("installer._scripts").joinpath("t64.exe").read_bytes()
    assert content.startswith(launcher)
    rest = content[len(launcher) :]
    assert rest.startswith(b'#!"C:\\Program Files\\Python313\\python.exe"\n')
    with zipfile.ZipFile(io.BytesIO(rest[rest.index(b"\n") + 1 :])) as archive:
        assert archive.read("__main__.py").startswith(b"import sys\nfrom demo_pkg.cli import main\n")


def test_windows_gui_wrapper_uses_pythonw() -> None:
    ep = EntryPoint("demo-gui", "demo_pkg.gui", "run", gui=True)
    name, content = wrapper(ep, executable="C:\\Py\\python.exe", launcher_kind="win-arm64", platform="win32")
    launcher = files("installer._scripts").joinpath("w64-arm.exe").read_bytes()
    assert name == "demo-gui.exe"
    assert content.startswith(launcher + b"#!C:\\Py\\pythonw.exe\n")


def test_windows_py_suffix_is_dropped() -> None:
    ep = EntryPoint("tool.py", "m", "f", gui=False)
    assert (
        wrapper(ep, executable="C:\\P\\python.exe", launcher_kind="win-ia32", platform="win32")[0]
        == "tool.exe"
    )


def test_every_launcher_ships() -> None:
    for name in LAUNCHERS.values():
        assert files("installer._scripts").joinpath(name).read_bytes()[:2] == b"MZ"
