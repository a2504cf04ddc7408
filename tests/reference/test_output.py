"""pip's -q/-v levels, its WARNING/ERROR prefixes on stderr, and indent_log's indentation."""

from __future__ import annotations

import io

import pytest

from conformance.reference.output import CRITICAL, DEBUG, ERROR, INFO, VERBOSE, WARNING, Output, level_for


@pytest.mark.parametrize(
    ("verbosity", "level"),
    [
        (3, DEBUG),
        (2, DEBUG),
        (1, VERBOSE),
        (0, INFO),
        (-1, WARNING),
        (-2, ERROR),
        (-3, CRITICAL),
        (-5, CRITICAL),
    ],
)
def test_levels_follow_pips_setup_logging(verbosity: int, level: int) -> None:
    assert level_for(verbosity) == level


def emit_all(level: int) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    output = Output(out, err, level)
    output.debug("debug")
    output.verbose("verbose")
    output.info("info")
    output.warning("warning")
    output.error("error")
    output.critical("critical")
    return out.getvalue(), err.getvalue()


def test_default_level_shows_info_and_up_on_the_right_streams() -> None:
    out, err = emit_all(INFO)
    assert out == "info\n"
    assert err == "WARNING: warning\nERROR: error\nERROR: critical\n"


def test_quiet_levels() -> None:
    assert emit_all(WARNING) == ("", "WARNING: warning\nERROR: error\nERROR: critical\n")
    assert emit_all(ERROR) == ("", "ERROR: error\nERROR: critical\n")
    # A failed command is reported at CRITICAL: -qqq still shows it, as pip does.
    assert emit_all(CRITICAL) == ("", "ERROR: critical\n")


def test_verbose_levels() -> None:
    assert emit_all(VERBOSE)[0] == "verbose\ninfo\n"
    assert emit_all(DEBUG)[0] == "debug\nverbose\ninfo\n"


def test_indentation_applies_to_every_line_and_the_prefix_once() -> None:
    out, err = io.StringIO(), io.StringIO()
    output = Output(out, err)
    with output.indented():
        output.info("a")
        with output.indented():
            output.info("b")
        output.warning("first\nsecond")
    output.info("c")
    assert out.getvalue() == "  a\n    b\nc\n"
    assert err.getvalue() == "  WARNING: first\n  second\n"


def test_indentation_is_restored_after_an_exception() -> None:
    output = Output(io.StringIO(), io.StringIO())
    with pytest.raises(RuntimeError), output.indented():
        raise RuntimeError
    assert output.indentation == 0
