"""The zipapp's ``__main__``: load bundled bytecode for this Python, then run the reference CLI.

zipimport compiles every module from source on each run (it cannot write a cache into the archive),
which costs more than the install itself. The archive carries ``__pycache__/<module>.<cache_tag>.pyc``
for the Pythons it was built with; this finder serves those, and leaves any other module or Python
version to zipimport. Stdlib only, Python 3.10+.
"""

from __future__ import annotations

import importlib.util
import marshal
import os
import sys
import zipimport
from importlib.machinery import ModuleSpec  # runpy has imported it already
from types import CodeType, ModuleType

_HEADER = 16  # magic, flags, and the source hash of an unchecked hash-based pyc


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


def main() -> int:
    archive = os.path.dirname(__file__)
    if os.path.isfile(archive):
        sys.meta_path.insert(0, BundledBytecode(archive))
    from conformance.reference.cli import main as cli

    return cli()


if __name__ == "__main__":
    sys.exit(main())
