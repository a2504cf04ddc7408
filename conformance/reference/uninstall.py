"""Remove an installed distribution as pip does: RECORD-driven, stashed first, parents pruned like pip.

pip removes a directory whole when every file in it belongs to the distribution (so ``~/.local/bin``
goes when it only held this distribution's scripts), and after moving a single file away it prunes
the emptied parents (``os.removedirs``). Directories it removes whole are stashed next to themselves,
so their parents stay even when emptied. This module reproduces exactly that, and additionally
refuses to touch anything outside the scheme the distribution lives in.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib.util import cache_from_source

from . import scheme
from .environment import Environment
from .errors import UninstallMissingRecord, UninstallOutsideSchemes
from .installed import InstalledDist, in_usersite, is_local, normalize_path
from .output import Output

_ROOT_KEYS = ("purelib", "platlib", "scripts", "data", "include")


def _scheme_roots(dist: InstalledDist, env: Environment) -> list[str] | None:
    """The directories of the scheme whose purelib or platlib holds the distribution.

    The user scheme is tried first, then the default one, then every other scheme sysconfig knows
    (Debian's deb_system holds /usr/lib/python3/dist-packages, for example).
    """
    names = [env.preferred_user_scheme] if in_usersite(dist, env) else []
    names += [env.preferred_prefix_scheme, *sorted(env.schemes)]
    overrides = {"userbase": env.user_base} if env.user_base else {}
    location = normalize_path(dist.location)
    for name in names:
        if name is None or not all(key in env.schemes[name] for key in _ROOT_KEYS):
            continue
        paths = scheme.scheme_paths(env, name, overrides)
        if location in (normalize_path(paths["purelib"]), normalize_path(paths["platlib"])):
            return [normalize_path(paths[key]) for key in _ROOT_KEYS]
    return None


def _within(path: str, roots: Iterable[str]) -> bool:
    for root in roots:
        try:
            if os.path.commonpath([root, path]) == root:
                return True
        except ValueError:
            continue
    return False


@dataclass
class RemovalSet:
    """pip's UninstallPathSet: the paths to remove and the ones refused."""

    dist: InstalledDist
    paths: set[str] = field(default_factory=set)
    refused: set[str] = field(default_factory=set)

    def add(self, path: str, env: Environment, roots: list[str]) -> None:
        head, tail = os.path.split(path)
        # Resolve symlinked parents but not the file itself: a symlink is removed, not its target.
        path = os.path.join(normalize_path(head), os.path.normcase(tail))
        if not os.path.exists(path):
            return
        if is_local(path, env) and _within(path, roots):
            self.paths.add(path)
        else:
            self.refused.add(path)
        if os.path.splitext(path)[1] == ".py":
            self.add(cache_from_source(path), env, roots)


def _record_entries(dist: InstalledDist) -> Iterator[str]:
    text = dist.read_text("RECORD")
    if text is None:
        raise UninstallMissingRecord(dist.name, dist.version, (dist.read_text("INSTALLER") or "").strip())
    for row in csv.reader(text.splitlines()):
        if row:
            path = os.path.join(dist.location, row[0])
            yield path
            if path.endswith(".py"):
                stem = path[:-3]
                yield stem + ".pyc"
                yield stem + ".pyo"


def _script_names(bin_dir: str, name: str, gui: bool, windows: bool) -> Iterator[str]:
    exe = os.path.join(bin_dir, name)
    yield exe
    if windows:
        yield f"{exe}.exe"
        yield f"{exe}.exe.manifest"
        yield f"{exe}-script.pyw" if gui else f"{exe}-script.py"


def removal_set(dist: InstalledDist, env: Environment) -> RemovalSet:
    """Every file pip would remove for ``dist``, limited to the scheme the distribution lives in."""
    removal = RemovalSet(dist)
    if not is_local(dist.location, env):
        return removal
    roots = _scheme_roots(dist, env)
    if roots is None:
        raise UninstallOutsideSchemes(dist.name, dist.location)
    for path in _record_entries(dist):
        removal.add(path, env, roots)
    if in_usersite(dist, env):
        bin_dir = scheme.user_scheme(env, "").scripts
    elif env.platform == "darwin" and env.prefix.startswith("/System/Library/"):
        bin_dir = "/usr/local/bin"
    else:
        bin_dir = scheme.default_paths(env)["scripts"]
    for name, gui in dist.script_names():
        for path in _script_names(bin_dir, name, gui, env.os_name == "nt"):
            removal.add(path, env, roots)
    return removal


def compact(paths: Iterable[str]) -> set[str]:
    """pip's ``compact``: drop paths that lie below another path of the set."""
    sep = os.path.sep
    short_paths: set[str] = set()
    prefixes: set[str] = set()
    for path in sorted(paths, key=len):
        current = path[:-1] if path.endswith(sep + "*") else path
        parent = current.rstrip(sep)
        while parent:
            if parent in prefixes:
                break
            next_parent = os.path.dirname(parent).rstrip(sep)
            parent = "" if next_parent == parent else next_parent
        else:
            short_paths.add(path)
            prefixes.add(current.rstrip(sep))
    return short_paths


def compress_for_rename(paths: Iterable[str]) -> set[str]:
    """pip's ``compress_for_rename``: whole directories when every file below belongs to the set."""
    case_map = {os.path.normcase(p): p for p in paths}
    remaining = set(case_map)
    unchecked = sorted({os.path.split(p)[0] for p in case_map.values()}, key=len)
    wildcards: set[str] = set()
    for root in unchecked:
        if any(os.path.normcase(root).startswith(w) for w in wildcards):
            continue
        all_files: set[str] = set()
        for dirname, _, files in os.walk(root):
            all_files.update(os.path.normcase(os.path.join(root, dirname, f)) for f in files)
        if not (all_files - remaining):
            remaining.difference_update(all_files)
            wildcards.add(root + os.sep)
    return {case_map[p] for p in remaining} | wildcards


def _renames(old: str, new: str) -> None:
    """pip's ``renames``: move across devices, then prune the emptied parents of the old path."""
    head, tail = os.path.split(new)
    if head and tail and not os.path.exists(head):
        os.makedirs(head)
    shutil.move(old, new)
    head, tail = os.path.split(old)
    if head and tail:
        with contextlib.suppress(OSError):
            os.removedirs(head)


def _adjacent_names(name: str) -> Iterator[str]:
    # pip's AdjacentTempDirectory names: '~' plus characters no project name starts with.
    leading = "-~.=%0123456789"
    for i in range(1, len(name)):
        for candidate in itertools.combinations_with_replacement(leading, i - 1):
            new_name = "~" + "".join(candidate) + name[i:]
            if new_name != name:
                yield new_name


@dataclass
class Stash:
    """pip's StashedUninstallPathSet: removals are moves until committed, so they can be undone."""

    save_dirs: dict[str, str] = field(default_factory=dict)  # stashed root -> stash directory
    moves: list[tuple[str, str]] = field(default_factory=list)  # (original, stashed)

    def _directory_stash(self, path: str) -> str:
        root, name = os.path.split(path.rstrip("/\\"))
        stash = None
        for candidate in _adjacent_names(name):
            try:
                os.mkdir(os.path.join(root, candidate))
            except FileExistsError:
                continue
            except OSError:
                break  # pip falls back to a temporary directory elsewhere
            stash = os.path.realpath(os.path.join(root, candidate))
            break
        if stash is None:
            stash = os.path.realpath(tempfile.mkdtemp(prefix="reference-uninstall-"))
        self.save_dirs[os.path.normcase(path)] = stash
        return stash

    def _file_stash(self, path: str) -> str:
        path = os.path.normcase(path)
        head, old_head = os.path.dirname(path), None
        while head != old_head:
            if head in self.save_dirs:
                save_dir = self.save_dirs[head]
                break
            head, old_head = os.path.dirname(head), head
        else:
            head = os.path.dirname(path)
            save_dir = os.path.realpath(tempfile.mkdtemp(prefix="reference-uninstall-"))
            self.save_dirs[head] = save_dir
        relpath = os.path.relpath(path, head)
        return os.path.join(save_dir, relpath) if relpath and relpath != os.curdir else save_dir

    def stash(self, path: str) -> None:
        is_dir = os.path.isdir(path) and not os.path.islink(path)
        new_path = self._directory_stash(path) if is_dir else self._file_stash(path)
        self.moves.append((path, new_path))
        if is_dir and os.path.isdir(new_path):
            os.rmdir(new_path)
        _renames(path, new_path)

    def commit(self) -> None:
        for save_dir in self.save_dirs.values():
            shutil.rmtree(save_dir, ignore_errors=True)
        self.save_dirs.clear()
        self.moves.clear()

    def rollback(self) -> None:
        for original, stashed in self.moves:
            if os.path.isfile(original) or os.path.islink(original):
                os.unlink(original)
            elif os.path.isdir(original):
                shutil.rmtree(original)
            _renames(stashed, original)
        self.commit()


def remove(removal: RemovalSet, output: Output | None = None) -> Stash:
    """Move the removal set's paths away in pip's order; commit or roll back the returned stash."""
    stash = Stash()
    try:
        for path in sorted(compact(compress_for_rename(removal.paths))):
            stash.stash(path)
            if output is not None:
                output.verbose(f"Removing file or directory {path}")
    except BaseException:
        stash.rollback()
        raise
    return stash


def uninstall(
    dist: InstalledDist,
    env: Environment,
    output: Output,
    *,
    confirm: Callable[[list[str]], bool] | None = None,
) -> Stash | None:
    """pip's ``InstallRequirement.uninstall``: report, optionally confirm, move the files away.

    Returns the stash to commit (or roll back), or None when nothing was removed.
    """
    # Read before the metadata directory is moved away.
    name, version = dist.name, dist.version
    output.info(f"Found existing installation: {name} {version}")
    if not is_local(dist.location, env):
        location = normalize_path(dist.location)
        output.info(f"Not uninstalling {dist.canonical} at {location}, outside environment {env.prefix}")
    removal = removal_set(dist, env)
    if not removal.paths:
        output.info(f"Can't uninstall '{name}'. No files were found to uninstall.")
        return None
    output.info(f"Uninstalling {name}-{version}:")
    with output.indented():
        if confirm is not None and not confirm(sorted(compact(removal.paths))):
            return None
        stash = remove(removal, output)
        output.info(f"Successfully uninstalled {name}-{version}")
    return stash
