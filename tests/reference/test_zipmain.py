"""The zipapp's import machinery: bundled bytecode for the archive only, deferred stdlib modules."""

from __future__ import annotations

import dataclasses
import importlib
import json
import pkgutil
import subprocess
import zipfile
from importlib.machinery import PathFinder, SourceFileLoader
from pathlib import Path

import pytest

import conformance.reference
from conformance.reference.zipmain import BUNDLED, DEFERRED, BundledBytecode, DeferredStdlib

from .support import PYTHONS, clean_env


def test_bundled_names_are_the_archives_top_level(pyz: Path) -> None:
    with zipfile.ZipFile(pyz) as archive:
        tops = {name.split("/")[0] for name in archive.namelist()}
    assert tops - {"__main__.py", "LICENSES"} == set(BUNDLED)


def test_bundled_bytecode_leaves_other_modules_alone(pyz: Path) -> None:
    finder = BundledBytecode(str(pyz))
    assert finder.find_spec("socket") is None
    assert finder.find_spec("email.utils") is None
    spec = finder.find_spec("conformance.reference.names")
    assert spec is not None and spec.origin is not None and spec.origin.startswith(str(pyz))
    assert isinstance(spec.loader, BundledBytecode)


@pytest.mark.parametrize("name", sorted(DEFERRED))
def test_every_deferred_module_is_a_stdlib_source_module(name: str) -> None:
    parent, _, _ = name.rpartition(".")
    spec = PathFinder.find_spec(name, importlib.import_module(parent).__path__ if parent else None)
    assert spec is not None and isinstance(spec.loader, SourceFileLoader), name


def test_threading_is_never_deferred() -> None:
    # LazyLoader uses threading on 3.13: a deferred threading (or its imports) breaks every lazy load.
    assert "threading" not in DEFERRED
    assert not DEFERRED & {"_weakrefset", "functools", "collections", "itertools", "time", "os"}


def test_deferring_finder_ignores_what_it_does_not_defer() -> None:
    assert DeferredStdlib().find_spec("json") is None


def test_every_reference_dataclass_has_a_docstring() -> None:
    # On 3.10 and 3.11 dataclasses calls inspect.signature for a class without one, which executes the
    # deferred inspect (and ast, dis, tokenize) on every run.
    found = []
    for module in pkgutil.iter_modules(conformance.reference.__path__):
        if module.name in ("__main__", "zipmain"):
            continue
        namespace = importlib.import_module(f"conformance.reference.{module.name}")
        classes = [v for v in vars(namespace).values() if isinstance(v, type)]
        for cls in classes:
            if cls.__module__ == namespace.__name__ and dataclasses.is_dataclass(cls):
                found.append(cls)
                assert not (cls.__doc__ or "").startswith(f"{cls.__name__}("), cls
    assert found


#: Run the zipapp's __main__ in-process, then report which of the given modules were executed (imported
#: and not still waiting behind a lazy loader).
_EXECUTED = """
import json, runpy, sys
from importlib.util import _LazyModule
watched, pyz, argv = sys.argv[1].split(","), sys.argv[2], sys.argv[3:]
sys.argv = [pyz, *argv]
try:
    runpy.run_path(pyz, run_name="__main__")
except SystemExit as exc:
    code = exc.code
executed = [n for n in watched if n in sys.modules and type(sys.modules[n]) is not _LazyModule]
print(json.dumps(executed), file=sys.stderr)
sys.exit(code)
"""


@pytest.mark.parametrize("version", sorted(PYTHONS))
def test_an_install_leaves_socket_and_datetime_unexecuted(
    pyz: Path, home: Path, wheelhouse: Path, version: str
) -> None:
    python = PYTHONS[version]
    if not python.exists():
        pytest.skip(f"no Python {version} here")
    # dataclasses uses inspect for annotations from 3.12 on
    watched = ["socket", "datetime", "calendar", "traceback", "textwrap"]
    watched += ["inspect", "ast", "tokenize"] if version in ("3.10", "3.11") else []
    argv = [str(pyz), "install", "--user", "--no-index", "-f", str(wheelhouse), "demo-pkg"]
    result = subprocess.run(
        [python, "-c", _EXECUTED, ",".join(watched), *argv],
        capture_output=True,
        text=True,
        env=clean_env(home),
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stderr.strip().splitlines()[-1]) == []
    assert (home / ".local").is_dir()  # and it did install
