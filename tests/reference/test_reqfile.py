"""Requirements files as pip reads them: lines, continuations, comments, nesting, -f, and refusals."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from conformance.reference.errors import RequirementsFileError, UnsupportedOption
from conformance.reference.reqfile import decode, logical_lines, read_requirement_files, split_line


def lines(text: str, environ: dict[str, str] | None = None) -> list[tuple[int, str]]:
    return list(logical_lines(text, environ or {}))


def test_comments_and_blank_lines_are_dropped() -> None:
    text = "# a comment\n\nalpha  # trailing\n   \nbeta#not-a-comment\n"
    assert lines(text) == [(3, "alpha"), (5, "beta#not-a-comment")]


def test_continuations_join_and_keep_the_first_line_number() -> None:
    assert lines("alpha \\\n  >=1.0 \\\n  ,<2\nbeta\n") == [(1, "alpha   >=1.0   ,<2"), (4, "beta")]
    # A continuation on the last line still counts.
    assert lines("alpha\\") == [(1, "alpha")]


def test_a_comment_line_ends_a_continuation_and_is_never_continued() -> None:
    assert lines("alpha \\\n# comment \\\nbeta\n") == [(1, "alpha"), (3, "beta")]


def test_environment_variables_in_pips_form_only() -> None:
    environ = {"PKG": "alpha", "lower": "x", "EMPTY": ""}
    assert lines("${PKG}>=1 $PKG ${lower} ${EMPTY} ${UNSET}", environ) == [
        (1, "alpha>=1 $PKG ${lower} ${EMPTY} ${UNSET}")
    ]


def test_split_line_keeps_markers_out_of_shlex() -> None:
    assert split_line("alpha; python_version >= '3' --hash=sha256:x") == (
        "alpha; python_version >= '3'",
        ["--hash=sha256:x"],
    )
    assert split_line("-r 'other file.txt'") == ("", ["-r", "other file.txt"])
    with pytest.raises(RequirementsFileError, match="Could not split options"):
        split_line("-r 'unclosed")


def test_decoding() -> None:
    warnings: list[str] = []
    assert decode(codecs.BOM_UTF8 + "é".encode(), "f", warnings) == "é"
    assert decode(codecs.BOM_UTF16_LE + "é".encode("utf-16-le"), "f", warnings) == "é"
    assert decode("# -*- coding: latin-1 -*-\né\n".encode("latin-1"), "f", warnings).endswith("é\n")
    assert decode(b"plain\n", "f", warnings) == "plain\n"
    assert warnings == []


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_nested_files_are_relative_to_the_file_naming_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "req.txt", "alpha\n-r sub/more.txt\ngamma\n")
    write(tmp_path / "sub" / "more.txt", "--requirement=deeper.txt\nbeta\n")
    write(tmp_path / "sub" / "deeper.txt", "delta==1\n")
    found = read_requirement_files(["req.txt"], {})
    more, deeper = str(tmp_path / "sub" / "more.txt"), str(tmp_path / "sub" / "deeper.txt")
    assert [(r.text, r.comes_from, r.line_source) for r in found.requirements] == [
        ("alpha", "-r req.txt (line 1)", "line 1 of req.txt"),
        ("delta==1", f"-r {deeper} (line 1)", f"line 1 of {deeper}"),
        ("beta", f"-r {more} (line 2)", f"line 2 of {more}"),
        ("gamma", "-r req.txt (line 3)", "line 3 of req.txt"),
    ]


def test_a_file_may_be_named_twice_but_not_inside_itself(tmp_path: Path) -> None:
    common = write(tmp_path / "common.txt", "alpha\n")
    top = write(tmp_path / "top.txt", f"-r {common}\n-r {common}\n")
    assert [r.text for r in read_requirement_files([str(top)], {}).requirements] == ["alpha", "alpha"]
    loop = write(tmp_path / "loop.txt", "-r again.txt\n")
    write(tmp_path / "again.txt", "-r loop.txt\n")
    with pytest.raises(RequirementsFileError) as caught:
        read_requirement_files([str(loop)], {})
    # pip names where the file was first included: the top file was included by nobody.
    assert caught.value.message == f"{loop} recursively references itself in {tmp_path / 'again.txt'}"
    three = write(tmp_path / "three.txt", "-r loop.txt\n")
    with pytest.raises(RequirementsFileError) as caught:
        read_requirement_files([str(three)], {})
    assert caught.value.message == (
        f"{loop} recursively references itself in {tmp_path / 'again.txt'} and again in {three}"
    )


def test_find_links_relative_to_the_file_when_it_exists_there(tmp_path: Path) -> None:
    (tmp_path / "sub" / "wheels").mkdir(parents=True)
    req = write(tmp_path / "sub" / "req.txt", "-f wheels\n--find-links=elsewhere\n--no-index\n-f a -f b\n")
    found = read_requirement_files([str(req)], {})
    assert found.find_links == [str(tmp_path / "sub" / "wheels"), "elsewhere", "a"]
    assert found.requirements == []


def test_options_on_a_requirement_line_are_ignored_except_hash(tmp_path: Path) -> None:
    ok = write(tmp_path / "ok.txt", "alpha -f ignored\n")
    found = read_requirement_files([str(ok)], {})
    assert [r.text for r in found.requirements] == ["alpha"] and found.find_links == []
    hashed = write(tmp_path / "hashed.txt", "alpha --hash=sha256:abc\n")
    with pytest.raises(RequirementsFileError, match="--hash is not supported in requirements files"):
        read_requirement_files([str(hashed)], {})


@pytest.mark.parametrize(
    ("line", "named"),
    [
        ("-e .", "-e/--editable"),
        ("--editable=.", "-e/--editable"),
        ("-i https://example.invalid/simple", "-i/--pypi-url/--index-url"),
        ("--extra-index-url https://example.invalid/simple", "--extra-index-url"),
        ("-c constraints.txt", "-c/--constraint"),
        ("--pre", "--pre"),
        ("--only-binary :all:", "--only-binary"),
        ("--trusted-host example.invalid", "--trusted-host"),
    ],
)
def test_unsupported_options_are_refused_with_the_line(tmp_path: Path, line: str, named: str) -> None:
    req = write(tmp_path / "req.txt", f"alpha\n{line}\n")
    with pytest.raises(RequirementsFileError) as caught:
        read_requirement_files([str(req)], {})
    message = f"{named} is not supported in requirements files by the reference installer"
    assert caught.value.message == message
    assert caught.value.way_out.startswith(f"Line 2 of {req}: Requirements files may hold requirements")


def test_unknown_options_in_pips_words(tmp_path: Path) -> None:
    req = write(tmp_path / "req.txt", "--frobnicate\n")
    with pytest.raises(RequirementsFileError) as caught:
        read_requirement_files([str(req)], {})
    assert caught.value.message == (
        "Invalid requirement: --frobnicate\nreference: error: no such option: --frobnicate"
    )
    # No -h in a requirements file: pip's line parser has no help option.
    help_line = write(tmp_path / "help.txt", "-h\n")
    with pytest.raises(RequirementsFileError, match="no such option: -h"):
        read_requirement_files([str(help_line)], {})


def test_missing_file_in_pips_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(RequirementsFileError) as caught:
        read_requirement_files(["nope.txt"], {})
    assert caught.value.message == (
        "Could not open requirements file: [Errno 2] No such file or directory: 'nope.txt'"
    )


@pytest.mark.parametrize("path", ["https://example.invalid/req.txt", "file:///req.txt", "pylock.toml"])
def test_urls_and_lock_files_are_refused(path: str) -> None:
    with pytest.raises(UnsupportedOption):
        read_requirement_files([path], {})


def test_variables_come_from_the_environment_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NAME", "process")
    req = write(tmp_path / "req.txt", "${NAME}\n")
    assert read_requirement_files([str(req)], {"NAME": "alpha"}).requirements[0].text == "alpha"
