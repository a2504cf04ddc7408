"""Requirements files (``-r FILE``) read as pip reads them, for the lines the reference carries out.

Comments, blank lines, ``\\`` continuations, ``${VAR}`` expansion, BOMs and PEP 263 coding lines, nested
``-r`` relative to the file naming it (with pip's recursion check), ``-f`` relative to the file when that
path exists, and ``--no-index``. pip's other options (``-e``, ``-c``, ``-i``, ``--hash``, ...) are refused
with the line named, not silently ignored: the reference would not do what they ask.
"""

from __future__ import annotations

import codecs
import os
import re
import shlex
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .argv import Command, Option, UsageError, parse_options
from .errors import RequirementsFileError, UnsupportedOption

_COMMENT = re.compile(r"(^|\s+)#.*$")
_ENV_VAR = re.compile(r"(?P<var>\$\{(?P<name>[A-Z0-9_]+)\})")
_SCHEME = re.compile(r"^(http|https|file):", re.I)
_CODING = re.compile(rb"coding[:=]\s*([-\w.]+)")
#: UTF-16's BOM is a prefix of UTF-32's: the longer ones are tried first, as pip does.
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF16, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)


def _unsupported(names: tuple[str, ...], takes_value: bool) -> Option:
    # The destination is the option's spellings, so that the error names it however it was typed.
    return Option(names, "/".join(names), "store" if takes_value else "true", "")


#: pip's requirements-file options (``SUPPORTED_OPTIONS`` and ``SUPPORTED_OPTIONS_REQ``), as a line parser.
LINE = Command(
    "requirements file",
    "",
    "args",
    "ARG",
    (
        Option(("-r", "--requirement"), "requirements", "append", ""),
        Option(("-f", "--find-links"), "find_links", "append", ""),
        Option(("--no-index",), "no_index", "true", ""),
        _unsupported(("-i", "--pypi-url", "--index-url"), True),
        _unsupported(("--extra-index-url",), True),
        _unsupported(("-c", "--constraint"), True),
        _unsupported(("-e", "--editable"), True),
        _unsupported(("--no-binary",), True),
        _unsupported(("--only-binary",), True),
        _unsupported(("--prefer-binary",), False),
        _unsupported(("--require-hashes",), False),
        _unsupported(("--no-require-hashes",), False),
        _unsupported(("--pre",), False),
        _unsupported(("--all-releases",), True),
        _unsupported(("--only-final",), True),
        _unsupported(("--trusted-host",), True),
        _unsupported(("--use-feature",), True),
        _unsupported(("--hash",), True),
        _unsupported(("-C", "--config-settings"), True),
    ),
    with_help=False,
)
_DEFAULTS: dict[str, Any] = {o.dest: [] if o.action == "append" else None for o in LINE.options}


@dataclass
class FileRequirement:
    """One requirement line, and pip's two ways of naming where it came from."""

    text: str
    comes_from: str  # "-r FILE (line N)": pip's "(from ...)"
    line_source: str  # "line N of FILE": ends an invalid requirement's message


@dataclass
class RequirementFiles:
    """Everything the files named by -r asked for, in pip's order."""

    requirements: list[FileRequirement] = field(default_factory=list)
    find_links: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def decode(data: bytes, path: str, warnings: list[str]) -> str:
    """pip's ``_decode_req_file``: a BOM, a PEP 263 line among the first two, UTF-8, or the locale's."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding)
    for line in data.split(b"\n")[:2]:
        if line[:1] == b"#" and (found := _CODING.search(line)) is not None:
            return data.decode(found.group(1).decode("ascii"))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        import locale  # only for a file that is not UTF-8

        fallback = locale.getpreferredencoding(False)
        warnings.append(
            f"unable to decode data from {path} with default encoding utf-8, falling back to encoding "
            f"from locale: {fallback}. If this is intentional you should specify the encoding with a "
            f"PEP-263 style comment, e.g. '# -*- coding: {fallback} -*-'"
        )
        return data.decode(fallback, errors="replace")


def logical_lines(content: str, environ: Mapping[str, str]) -> Iterator[tuple[int, str]]:
    """pip's ``preprocess``: join continuations, drop comments and blank lines, expand ``${VAR}``."""
    joined: list[str] = []
    first = 0
    pending: list[tuple[int, str]] = []
    for number, line in enumerate(content.splitlines(), start=1):
        # A comment line ends a continuation and is never continued itself.
        if not line.endswith("\\") or _COMMENT.match(line):
            if _COMMENT.match(line):
                line = " " + line
            if joined:
                pending.append((first, "".join([*joined, line])))
                joined = []
            else:
                pending.append((number, line))
        else:
            if not joined:
                first = number
            joined.append(line.strip("\\"))
    if joined:
        pending.append((first, "".join(joined)))
    for number, line in pending:
        line = _COMMENT.sub("", line).strip()
        if not line:
            continue
        for var, name in _ENV_VAR.findall(line):
            value = environ.get(name)
            if value:
                line = line.replace(var, value)
        yield number, line


def split_line(line: str) -> tuple[str, list[str]]:
    """pip's ``break_args_options``: the requirement before the first word starting with '-', then options."""
    tokens = line.split(" ")
    args: list[str] = []
    for token in tokens:
        if token.startswith("-"):
            break
        args.append(token)
    rest = " ".join(tokens[len(args) :])
    try:
        options = shlex.split(rest)
    except ValueError:
        raise RequirementsFileError(f"Invalid requirement: {line}\nCould not split options: {rest}") from None
    return " ".join(args), options


def _options(line: str, options: list[str], where: str) -> dict[str, object]:
    import io  # parse_options writes help only, which a requirements file's parser does not have

    try:
        return parse_options(LINE, options, _DEFAULTS, io.StringIO())
    except UsageError as exc:
        raise RequirementsFileError(f"Invalid requirement: {line}\nreference: error: {exc}", where) from None


def _refuse_unsupported(values: Mapping[str, object], where: str) -> None:
    used = [dest for dest, value in values.items() if dest.startswith("-") and value is not None]
    if used:
        raise RequirementsFileError(
            f"{used[0]} is not supported in requirements files by the reference installer", where
        )


def _is_pylock(path: str) -> bool:
    name = os.path.basename(path)
    return name == "pylock.toml" or (name.startswith("pylock.") and name.endswith(".toml"))


def _read(path: str, warnings: list[str]) -> str:
    if _SCHEME.search(path):
        raise UnsupportedOption(
            f"{path!r} is a URL",
            "The reference installer reads no network: download the requirements file and pass its path.",
        )
    if _is_pylock(path):
        raise UnsupportedOption(
            f"{path!r} is a pylock.toml lock file",
            "The reference installer reads plain requirements files only.",
        )
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        raise RequirementsFileError(f"Could not open requirements file: {exc}") from None
    return decode(data, path, warnings)


def _parse(
    path: str, parsed: dict[str, str | None], found: RequirementFiles, environ: Mapping[str, str]
) -> None:
    content = _read(path, found.warnings)
    for number, line in logical_lines(content, environ):
        where = f"Line {number} of {path}: "
        text, options = split_line(line)
        values = _options(line, options, where)
        if text:
            # On a requirement line pip applies only --hash and --config-settings, and ignores the rest.
            _refuse_unsupported({k: values[k] for k in ("--hash", "-C/--config-settings")}, where)
            found.requirements.append(
                FileRequirement(text, f"-r {path} (line {number})", f"line {number} of {path}")
            )
            continue
        _refuse_unsupported(values, where)
        nested = values["requirements"]
        if isinstance(nested, list) and nested:
            # Only the first -r of a line counts, relative to this file, made absolute to spot loops.
            child = str(nested[0])
            if not _SCHEME.search(child):
                child = os.path.abspath(os.path.join(os.path.dirname(path), child))
            if child in parsed:
                tail = f" and again in {parsed[child]}" if parsed[child] is not None else ""
                raise RequirementsFileError(f"{child} recursively references itself in {path}{tail}", where)
            _parse(child, {**parsed, child: path}, found, environ)
            continue
        links = values["find_links"]
        if isinstance(links, list) and links:
            # pip takes the first -f of a line, relative to the file when such a path exists there.
            value = str(links[0])
            beside = os.path.join(os.path.dirname(os.path.abspath(path)), value)
            found.find_links.append(beside if os.path.exists(beside) else value)


def read_requirement_files(paths: list[str], environ: Mapping[str, str]) -> RequirementFiles:
    """The requirements and find-links of the files given to -r, each file in order, nested files in place."""
    found = RequirementFiles()
    for path in paths:
        _parse(path, {os.path.abspath(path): None}, found, environ)
    return found
