"""PEP 610 ``direct_url.json`` read as pip 26.3 reads it: packaging's ``direct_url`` checks and wording.

packaging only has its ``direct_url`` module from 26.1 on, and the reference runs with packaging 24 or
later, so the checks pip's vendored copy makes are repeated here, with its messages.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


class DirectUrlError(ValueError):
    """packaging's ``DirectUrlValidationError``: the message, then the key it is about."""

    def __init__(self, message: str, context: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.context = context

    def __str__(self) -> str:
        return f"{self.message} in {self.context!r}" if self.context else self.message


@dataclass(frozen=True)
class VcsInfo:
    """A PEP 610 ``vcs_info``: the version control system, and the commit the install was made from."""

    vcs: str
    commit_id: str


@dataclass(frozen=True)
class DirectUrl:
    """What freeze needs of a direct URL; a directory's (``dir_info``) has neither VCS nor archive info."""

    url: str
    vcs_info: VcsInfo | None = None
    archive_hashes: Mapping[str, str] | None = None  # archive_info's, with the legacy "hash" folded in
    subdirectory: str | None = None

    def requirement(self, name: str) -> str:
        """pip's ``direct_url_as_pep440_direct_reference``: ``name @ url`` and its fragments."""
        target = f"{self.vcs_info.vcs}+{self.url}@{self.vcs_info.commit_id}" if self.vcs_info else self.url
        fragments = []
        if self.archive_hashes:
            # The first hash in the file's order, as pip takes it.
            algorithm, value = next(iter(self.archive_hashes.items()))
            fragments.append(f"{algorithm}={value}")
        if self.subdirectory:
            fragments.append(f"subdirectory={self.subdirectory}")
        return f"{name} @ {target}" + (f"#{'&'.join(fragments)}" if fragments else "")


def _get(data: Mapping[str, Any], key: str, expected: type) -> Any:
    value = data.get(key)
    if value is not None and not isinstance(value, expected):
        raise DirectUrlError(f"Unexpected type {type(value).__name__} (expected {expected.__name__})", key)
    return value


def _required(data: Mapping[str, Any], key: str, expected: type) -> Any:
    value = _get(data, key, expected)
    if value is None:
        raise DirectUrlError("Missing required value", key)
    return value


def _vcs_info(data: Mapping[str, Any]) -> VcsInfo:
    vcs = _required(data, "vcs", str)
    _get(data, "requested_revision", str)
    return VcsInfo(vcs, _required(data, "commit_id", str))


def _archive_hashes(data: Mapping[str, Any]) -> Mapping[str, str] | None:
    hashes: Mapping[str, Any] | None = _get(data, "hashes", Mapping)
    if hashes is not None and not all(isinstance(h, str) for h in hashes.values()):
        raise DirectUrlError("Hash values must be strings", "hashes")
    legacy: str | None = _get(data, "hash", str)
    if legacy is None:
        return hashes
    if "=" not in legacy:
        raise DirectUrlError("Invalid hash format (expected '<algorithm>=<hash>')", "hash")
    algorithm, value = legacy.split("=", 1)
    if hashes is None:
        return {algorithm: value}
    if algorithm not in hashes:
        raise DirectUrlError(
            f"Algorithm {algorithm!r} used in hash field is not present in hashes field", "hashes"
        )
    if hashes[algorithm] != value:
        raise DirectUrlError(
            f"Algorithm {algorithm!r} used in hash field has different value in hashes field", "hash"
        )
    return hashes


def _dir_info(data: Mapping[str, Any]) -> None:
    _get(data, "editable", bool)


def _section(
    data: Mapping[str, Any], key: str, check: Callable[[Mapping[str, Any]], object]
) -> Mapping[str, Any] | None:
    """The section ``key`` if there is one, once ``check`` has passed it; its errors name ``key.inner``."""
    section: Mapping[str, Any] | None = _get(data, key, Mapping)
    if section is not None:
        try:
            check(section)
        except DirectUrlError as exc:
            raise DirectUrlError(exc.message, f"{key}.{exc.context}" if exc.context else key) from None
    return section


def parse_direct_url(text: str) -> DirectUrl:
    """packaging's ``DirectUrl.from_dict``, checks in order; raises JSONDecodeError or DirectUrlError."""
    data = json.loads(text)
    url: str = _required(data, "url", str)
    archive = _section(data, "archive_info", _archive_hashes)
    vcs = _section(data, "vcs_info", _vcs_info)
    directory = _section(data, "dir_info", _dir_info)
    subdirectory: str | None = _get(data, "subdirectory", str)
    if sum(section is not None for section in (archive, vcs, directory)) != 1:
        raise DirectUrlError("Exactly one of vcs_info, archive_info, dir_info must be present")
    if directory is not None:
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme != "file":
            raise DirectUrlError("URL scheme must be file:// when dir_info is present", "url")
        if not parsed.path.startswith("/"):
            raise DirectUrlError("File URL must be absolute when dir_info is present", "url")
    return DirectUrl(
        url,
        vcs_info=_vcs_info(vcs) if vcs is not None else None,
        archive_hashes=_archive_hashes(archive) if archive is not None else None,
        subdirectory=subdirectory,
    )
