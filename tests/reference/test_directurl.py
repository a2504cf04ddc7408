"""PEP 610 ``direct_url.json``: freeze's requirement, and packaging's checks with their wording."""

from __future__ import annotations

import pytest

from conformance.reference.directurl import DirectUrlError, parse_direct_url


@pytest.mark.parametrize(
    ("document", "requirement"),
    [
        (
            '{"url": "https://e/p.tar.gz", "archive_info": {"hashes": {"md5": "a", "sha256": "b"}},'
            ' "subdirectory": "sub"}',
            "p @ https://e/p.tar.gz#md5=a&subdirectory=sub",
        ),
        ('{"url": "u", "archive_info": {"hash": "sha1=x"}}', "p @ u#sha1=x"),
        ('{"url": "https://e/x", "archive_info": {}}', "p @ https://e/x"),
        ('{"url": "https://g/y", "vcs_info": {"vcs": "git", "commit_id": "abc"}}', "p @ git+https://g/y@abc"),
        ('{"url": "file:///tmp/x", "dir_info": {"editable": false}}', "p @ file:///tmp/x"),
    ],
)
def test_requirement(document: str, requirement: str) -> None:
    assert parse_direct_url(document).requirement("p") == requirement


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ('{"archive_info": {}}', "Missing required value in 'url'"),
        ('{"url": "u", "archive_info": []}', "Unexpected type list (expected Mapping) in 'archive_info'"),
        ('{"url": "u", "vcs_info": {"vcs": "git"}}', "Missing required value in 'vcs_info.commit_id'"),
        (
            '{"url": "u", "archive_info": {"hashes": {"a": 1}}}',
            "Hash values must be strings in 'archive_info.hashes'",
        ),
        (
            '{"url": "u", "archive_info": {"hash": "nohash"}}',
            "Invalid hash format (expected '<algorithm>=<hash>') in 'archive_info.hash'",
        ),
        (
            '{"url": "u", "archive_info": {"hash": "md5=1", "hashes": {"sha256": "2"}}}',
            "Algorithm 'md5' used in hash field is not present in hashes field in 'archive_info.hashes'",
        ),
        (
            '{"url": "u", "archive_info": {"hash": "sha256=1", "hashes": {"sha256": "2"}}}',
            "Algorithm 'sha256' used in hash field has different value in hashes field "
            "in 'archive_info.hash'",
        ),
        (
            '{"url": "u", "dir_info": {"editable": "yes"}}',
            "Unexpected type str (expected bool) in 'dir_info.editable'",
        ),
        ('{"url": "u"}', "Exactly one of vcs_info, archive_info, dir_info must be present"),
        (
            '{"url": "u", "archive_info": {}, "dir_info": {}}',
            "Exactly one of vcs_info, archive_info, dir_info must be present",
        ),
        (
            '{"url": "https://x", "dir_info": {}}',
            "URL scheme must be file:// when dir_info is present in 'url'",
        ),
        ('{"url": "file:x", "dir_info": {}}', "File URL must be absolute when dir_info is present in 'url'"),
        (
            '{"url": "u", "subdirectory": 5, "archive_info": {}}',
            "Unexpected type int (expected str) in 'subdirectory'",
        ),
    ],
)
def test_invalid(document: str, message: str) -> None:
    # The messages are those pip 26.3 prints (its vendored packaging.direct_url), checked against it.
    with pytest.raises(DirectUrlError) as caught:
        parse_direct_url(document)
    assert str(caught.value) == message
