"""A record of what one wheel install wrote, so that a failure can undo it."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field


@dataclass
class Journal:
    """Files created, directories created and files set aside (overwritten), in order."""

    created_files: list[str] = field(default_factory=list)
    created_dirs: list[str] = field(default_factory=list)
    set_aside: list[tuple[str, str]] = field(default_factory=list)  # (original path, backup path)
    _backup_root: str | None = None

    def make_parents(self, directory: str) -> None:
        """Create a directory and its missing ancestors, remembering each one created."""
        missing = []
        while not os.path.isdir(directory):
            missing.append(directory)
            parent = os.path.dirname(directory)
            if parent == directory:
                break
            directory = parent
        for path in reversed(missing):
            os.mkdir(path)
            self.created_dirs.append(path)

    def replace(self, path: str) -> None:
        """Move an existing file out of the way before it is overwritten (pip unlinks it)."""
        if not os.path.lexists(path):
            return
        if self._backup_root is None:
            import tempfile  # executed only when a file is replaced (the zipapp defers it)

            self._backup_root = tempfile.mkdtemp(prefix="reference-backup-")
        backup = os.path.join(self._backup_root, str(len(self.set_aside)))
        shutil.move(path, backup)
        self.set_aside.append((path, backup))

    def created(self, path: str) -> None:
        self.created_files.append(path)

    def rollback(self) -> None:
        """Remove what was written, put back what was set aside, remove the directories made."""
        for path in reversed(self.created_files):
            if os.path.lexists(path):
                os.unlink(path)
        for original, backup in reversed(self.set_aside):
            shutil.move(backup, original)
        for directory in reversed(self.created_dirs):
            try:
                os.rmdir(directory)
            except OSError:
                continue  # not empty: something else lives there now
        self._drop_backups()

    def commit(self) -> None:
        self._drop_backups()

    def _drop_backups(self) -> None:
        if self._backup_root is not None:
            shutil.rmtree(self._backup_root, ignore_errors=True)
            self._backup_root = None
        self.created_files.clear()
        self.created_dirs.clear()
        self.set_aside.clear()
