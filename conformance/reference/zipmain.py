"""The zipapp's ``__main__``: fast imports (bundled bytecode, deferred stdlib), then the reference CLI.

Imports are most of an install's time. zipimport compiles every module from source on each run (it
cannot write a cache into the archive): the archive carries ``__pycache__/<module>.<cache_tag>.pyc``
for the Pythons it was built with, served by one finder, which leaves any other module or Python
version to zipimport. And installer, packaging and the stdlib modules they use import at module level
many modules that an install never uses: a second finder gives those a lazy loader. Stdlib only,
Python 3.10+.
"""

from __future__ import annotations

import importlib.util
import marshal
import os
import sys
import zipimport
from importlib.machinery import ModuleSpec, PathFinder, SourceFileLoader  # runpy has imported them
from types import CodeType, ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

_HEADER = 16  # magic, flags, and the source hash of an unchecked hash-based pyc
#: The top-level packages inside the archive (zipapp.py bundles exactly these).
BUNDLED = ("conformance", "installer", "packaging")
#: Standard-library modules imported on the way to an install (by installer, packaging, email,
#: dataclasses, ...) whose contents a plain install never touches on at least one target Python: each
#: is executed only when one of its attributes is first read. Chosen by tracing installs on the
#: targets; a module that is touched after all simply loads then. Not threading, nor what it imports:
#: LazyLoader itself uses it on 3.13.
DEFERRED = frozenset(
    {
        "ast",  # inspect's
        "bisect",  # random's
        "calendar",  # email._parseaddr's
        "copy",
        "datetime",  # email.utils'
        "dis",  # inspect's
        "email.base64mime",  # email.charset's
        "email.header",
        "email.quoprimime",
        "filecmp",  # compileall's
        "inspect",  # dataclasses' (3.10, 3.11: only for a class without a docstring)
        "ipaddress",  # urllib.parse's
        "linecache",
        "random",  # tempfile's
        "shlex",  # installer.scripts'
        "socket",  # email.utils'
        "tempfile",  # importlib.resources'
        "textwrap",  # traceback's
        "token",
        "tokenize",
        "traceback",  # py_compile's
    }
)


# Not derived from importlib.abc's MetaPathFinder and Loader: importing importlib.abc pulls in
# importlib.resources (pathlib, tempfile, typing, ...) before any command has started, and the import
# system only calls the methods defined here.
class BundledBytecode:
    """Find modules of the archive that have bytecode for this interpreter's cache tag."""

    def __init__(self, archive: str) -> None:
        self.archive = os.path.abspath(archive)
        # The path exactly as sys.path holds it: zipimport then reuses the directory it has already read.
        self.zip = zipimport.zipimporter(archive)
        self.tag = sys.implementation.cache_tag
        self.code: dict[str, CodeType] = {}

    def _bytecode(self, stem: str) -> CodeType | None:
        directory, _, name = stem.rpartition("/")
        cached = f"{directory}/__pycache__/{name}.{self.tag}.pyc".lstrip("/")
        try:
            data = self.zip.get_data(cached)
        except OSError:
            return None
        if data[:4] != importlib.util.MAGIC_NUMBER:
            return None
        code = marshal.loads(data[_HEADER:])
        return code if isinstance(code, CodeType) else None

    def find_spec(
        self, fullname: str, path: object = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname.partition(".")[0] not in BUNDLED:
            return None  # the stdlib's, without two failed lookups in the archive each
        base = fullname.replace(".", "/")
        for stem, is_package in ((f"{base}/__init__", True), (base, False)):
            code = self._bytecode(stem)
            if code is None:
                continue
            self.code[fullname] = code
            origin = os.path.join(self.archive, *f"{stem}.py".split("/"))
            # typeshed wants importlib.abc.Loader's deprecated load_module, which exec_module replaces.
            spec = importlib.util.spec_from_loader(
                fullname,
                self,  # type: ignore[arg-type]
                origin=origin,
                is_package=is_package,
            )
            if spec is None:
                return None
            spec.has_location = True
            if is_package:
                spec.submodule_search_locations = [os.path.join(self.archive, *base.split("/"))]
            return spec
        return None

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        exec(self.code.pop(module.__name__), module.__dict__)


class DeferredStdlib:
    """Find the DEFERRED modules as the path finder does, and load them lazily."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname not in DEFERRED:
            return None
        spec = PathFinder.find_spec(fullname, path, target)
        # Source (or its cached bytecode) only: extension modules cannot be executed later.
        if spec is not None and isinstance(spec.loader, SourceFileLoader):
            spec.loader = importlib.util.LazyLoader(spec.loader)
        return spec


def install_finders(archive: str) -> None:
    """Put the bundled-bytecode finder first, and the deferring one just before the path finder."""
    if os.path.isfile(archive):
        sys.meta_path.insert(0, BundledBytecode(archive))
    if PathFinder in sys.meta_path:  # built-in and frozen modules are found before it, as ever
        sys.meta_path.insert(sys.meta_path.index(PathFinder), DeferredStdlib())


def main() -> int:
    install_finders(os.path.dirname(__file__))
    from conformance.reference.cli import main as cli

    return cli()


if __name__ == "__main__":
    sys.exit(main())
