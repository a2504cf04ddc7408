"""The Wine target's image: Windows CPython and its pip, one prefix per account, the install read-only to
the standard user, and a wineserver that keeps Windows processes cheap."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from conformance.backend.container import TargetContainer
from conformance.backend.staging import Toolset
from conformance.catalogue.accounts import ACCOUNTS
from conformance.catalogue.platforms import windows_venv

pytestmark = pytest.mark.docker
TARGET = "windows-cpython3.13-wine"


@pytest.fixture
def wine(target_images: Callable[[str], str], toolset: Toolset, run_id: str) -> Iterator[TargetContainer]:
    with TargetContainer(target_images(TARGET), toolset.root, run_id) as container:
        yield container


def _python(container: TargetContainer, account: str, code: str, venv: bool = False) -> str:
    env = {"VIRTUAL_ENV": windows_venv(ACCOUNTS[account])} if venv else {}
    argv = [*container.platform.python(env), "-c", code]
    result = container.exec(argv, ACCOUNTS[account])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "", "Wine printed its own chatter"
    return result.stdout.strip()


def test_each_account_runs_the_windows_install_from_its_own_prefix(wine: TargetContainer) -> None:
    code = (
        "import os, pip, site, sys; print(sys.prefix, pip.__version__, site.getuserbase(), os.name, sep='|')"
    )
    for name in ("root", "user"):
        prefix, pip, user_base, os_name = _python(wine, name, code).split("|")
        assert (prefix, pip, os_name) == ("C:\\Program Files\\Python313", "24.3.1", "nt")
        assert user_base == f"C:\\users\\{name}\\AppData\\Roaming\\Python"


def test_the_standard_user_cannot_write_the_install(wine: TargetContainer) -> None:
    code = (
        "import os, sysconfig\ntry:\n    open(os.path.join(sysconfig.get_path('purelib'), 'x'), 'w')\n"
        "except PermissionError:\n    print('denied')\nelse:\n    print('written')"
    )
    assert _python(wine, "user", code) == "denied"
    assert _python(wine, "root", code) == "written"


def test_each_account_has_a_windows_venv_without_system_site_packages(wine: TargetContainer) -> None:
    code = "import sys; print(sys.prefix != sys.base_prefix, sys.prefix)"
    assert _python(wine, "user", code, venv=True) == f"True {windows_venv(ACCOUNTS['user'])}"


def test_a_windows_process_is_cheap_once_the_container_is_ready(wine: TargetContainer) -> None:
    result = wine.exec([*wine.platform.python({}), "-c", "pass"], ACCOUNTS["user"])
    assert result.exit_code == 0
    assert result.seconds < 2.0
