"""The HTML page: self-contained, escaped, a table per target, and a linkable detail for every cell."""

from __future__ import annotations

import base64
import gzip
import html
import json
import re
from dataclasses import replace
from html.parser import HTMLParser

import pytest

from conformance.record.cell import Expectation, FileChange
from conformance.record.document import MatrixDocument, SpellingInfo, TargetInfo
from conformance.report.html import compare, outcome, render_html
from conformance.vocabulary import Change, Outcome, Verdict
from tests.report.records import HOSTILE, document, record, varied

ROW = "debian-bookworm/user/explicit-user-bsp/demo-pkg"
_VOID = {"meta", "input", "br", "hr", "img", "link", "wbr"}


@pytest.fixture(scope="module")
def doc() -> MatrixDocument:
    return document(varied())


@pytest.fixture(scope="module")
def raw(doc: MatrixDocument) -> str:
    return render_html(doc)


@pytest.fixture(scope="module")
def page(raw: str) -> str:
    """The page with each target's evidence unpacked where it sits, as the browser does on demand."""
    return _EVIDENCE.sub(lambda m: gzip.decompress(base64.b64decode(m.group(1))).decode(), raw)


_EVIDENCE = re.compile(
    r'<script type="application/gzip" class="evidence" data-target="[^"]+">([^<]*)</script>'
)


def test_evidence_is_packed_per_target(raw: str, doc: MatrixDocument) -> None:
    assert {m.group(0).split('data-target="')[1].split('"')[0] for m in _EVIDENCE.finditer(raw)} == {
        c.spec.target for c in doc.cells
    }
    assert '<section class="detail"' not in raw


class _Collector(HTMLParser):
    """Every start tag with its attributes, and whether each end tag closes the element it should."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.mismatches: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.mismatches.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()


def _parse(page: str) -> _Collector:
    collector = _Collector()
    collector.feed(page)
    collector.close()
    return collector


def _attrs(page: str, tag: str, **match: str) -> list[dict[str, str | None]]:
    return [a for t, a in _parse(page).tags if t == tag and all(a.get(k) == v for k, v in match.items())]


def test_the_page_is_well_formed(page: str) -> None:
    parsed = _parse(page)
    assert parsed.mismatches == []
    assert parsed.stack == []


def test_a_table_per_target(page: str) -> None:
    assert [a["id"] for a in _attrs(page, "section") if a.get("class") == "target"] == [
        "target-debian-bookworm",
        "target-ubuntu-noble",
    ]
    assert len(_attrs(page, "table", **{"class": "matrix"})) == 2


def test_every_cell_has_an_anchor_and_a_link_to_it(page: str, doc: MatrixDocument) -> None:
    details = {a["id"] for a in _attrs(page, "section", **{"class": "detail"})}
    links = {a["href"] for a in _attrs(page, "a")}
    cells = {a["data-id"] for a in _attrs(page, "td") if a.get("data-id")}
    ids = {c.id for c in doc.cells}
    assert details == ids
    assert cells == ids
    assert {f"#{i}" for i in ids} <= links


def test_run_header(page: str) -> None:
    assert "<code>768550d0616f</code>, suite 0.1.0" in page
    assert "204f4e9fbb36" in page
    assert "(2 min 38 s)" in page
    assert "<b>reference</b> 0.1.0 · <b>uv</b> 0.13.9" in page
    assert "How a verdict is reached" in page


def test_legend_shows_glyph_colour_and_words(page: str, doc: MatrixDocument) -> None:
    assert [term.verdict for term in doc.verdicts] == list(Verdict)
    for term in doc.verdicts:
        card = page.split(f'<div class="card v-{term.verdict}">', 1)[1].split("</div>", 1)[0]
        assert term.verdict.glyph in card
        assert term.verdict in card
        assert html.escape(term.description) in card
        assert f"<b>What to do:</b> {term.verdict.hint}" in html.unescape(card)


def test_verdicts_run_best_to_worst_even_from_sorted_json(doc: MatrixDocument) -> None:
    # matrix.json is written with sorted keys: the order must not come from a mapping's keys.
    loaded = MatrixDocument.from_json(json.loads(json.dumps(doc.to_json(), sort_keys=True)))
    legend = render_html(loaded).split('<section id="legend">', 1)[1]
    positions = [
        legend.index(f'class="card v-{v}"') for v in ("conforms", "differs", "broken", "refuses", "damages")
    ]
    assert positions == sorted(positions)


def test_column_tallies(page: str) -> None:
    bookworm = page.split('id="target-debian-bookworm"', 1)[1].split('id="target-ubuntu-noble"', 1)[0]
    tally = bookworm.split('<tr class="tally">', 1)[1].split("</tr>", 1)[0]
    assert '<td data-spelling="pip"><span class="k">2</span>/<span class="n">2</span>' in tally
    assert '<td data-spelling="uv-target"><span class="k">0</span>/<span class="n">1</span>' in tally


def test_parity_and_its_differences(page: str) -> None:
    parity = page.split('<section id="parity">', 1)[1].split("</section>", 1)[0]
    assert "1/2</span>" in parity and "1 row(s) differ" in parity
    assert f'href="#{ROW}/reference"' in parity
    assert "/home/user/.local/include/site/python3.11/demo-pkg/demo.h" in parity


def test_installer_output_is_escaped(page: str, raw: str) -> None:
    assert HOSTILE not in raw
    assert HOSTILE not in page
    assert "<b>bold</b>" not in page
    assert html.escape(HOSTILE, quote=False) in page
    assert page.count("<script") == 1
    assert page.count("</script>") == 1


def test_no_external_resources(page: str) -> None:
    tags = _parse(page).tags
    assert not [t for t, _ in tags if t in ("link", "img", "iframe", "object", "embed", "base")]
    assert not [a for _, a in tags if {"src", "srcset", "action", "formaction"} & a.keys()]
    hrefs = [a["href"] for t, a in tags if t == "a"]
    assert all(h and h.startswith("#") for h in hrefs)
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    script = page.split("<script>", 1)[1].split("</script>", 1)[0]
    assert "url(" not in style and "@import" not in style
    assert "http" not in script and "fetch(" not in script and "import(" not in script


def test_a_changed_verdict_is_highlighted(page: str) -> None:
    [cell] = [a for a in _attrs(page, "td") if a.get("data-changed")]
    assert cell["data-id"] == f"{ROW}/reference"
    assert "changed" in (cell["class"] or "")
    assert "⚑ recorded: conforms" in page
    assert "verdicts changed from the recording ⚑ (1)" in page


def test_rows_where_spellings_disagree_are_marked(page: str) -> None:
    bookworm = page.split('id="target-debian-bookworm"', 1)[1].split('id="target-ubuntu-noble"', 1)[0]
    rows = bookworm.split('<tr class="row"')[1:]
    assert ["≠" in row.split("</th>", 1)[0] for row in rows] == [False, True]


def test_filters_cover_every_dimension(page: str) -> None:
    names = {a["name"] for a in _attrs(page, "input") if a.get("type") == "checkbox" and a.get("name")}
    # One scenario and one fixture in this document: nothing to filter on there.
    assert names == {"verdict", "spelling", "account", "target", "disagree", "changed"}
    form = _attrs(page, "form", id="filters")[0]
    assert "hidden" in form  # shown by the script: without it, the tables stand alone


def test_cell_detail(page: str) -> None:
    detail = page.split(f'<section class="detail" id="{ROW}/uv-user"', 1)[1].split("</section>", 1)[0]
    assert "refuses (unsupported-option) where the intent calls for an install" in detail
    assert "What to do:" in detail
    assert (
        "<pre><code>PIP_CONFIG_FILE=/dev/null python3 -m pip install --user demo-pkg</code></pre>" in detail
    )
    assert 'data-copy="PIP_CONFIG_FILE=/dev/null python3 -m pip install --user demo-pkg"' in detail
    assert "Exit code <b>2</b>, error class <b>unsupported-option</b>" in detail
    assert "<dt>outcome</dt><dd>install</dd>" in detail and "<dt>scheme</dt><dd>posix_user</dd>" in detail
    assert "Imports" in detail and "ModuleNotFoundError" in detail
    assert "Console scripts" in detail
    assert "How this differs from pip" in detail
    assert f'<a href="#{ROW}/pip">pip</a>' in detail


def test_files_show_change_role_and_slots_with_directories_hidden(page: str) -> None:
    detail = page.split(f'<section class="detail" id="{ROW}/uv-target"', 1)[1].split("</section>", 1)[0]
    files = detail.split('<div class="files">', 1)[1]
    stray = files.split(".lock", 1)[0].rsplit("<tr", 1)[1]
    assert 'class="file notable"' in stray and "⚠ stray" in stray
    assert '<tr class="dir">' in detail
    assert "show 1 directory" in detail
    assert "posix_user:platlib posix_user:purelib" in detail


def test_pip_has_no_comparison_with_itself(page: str) -> None:
    detail = page.split(f'<section class="detail" id="{ROW}/pip"', 1)[1].split("</section>", 1)[0]
    assert "How this differs from pip" not in detail


def test_a_document_read_back_renders_the_same_page(raw: str, doc: MatrixDocument) -> None:
    assert render_html(MatrixDocument.from_json(json.loads(json.dumps(doc.to_json())))) == raw


def test_outcome_words() -> None:
    assert outcome(record("pip")) == "exit 0 · posix_user"
    assert (
        outcome(record("uv-user", exit_code=2, error_class="unsupported-option"))
        == "exit 2 · unsupported-option"
    )


def test_outcome_words_of_a_query() -> None:
    find = Expectation(Outcome.FIND, "list names the user install", scheme="posix_user")
    named = replace(record("uv-prefix", scenario="list-pip-installed"), expectation=find)
    assert outcome(named) == "exit 0 · names it"
    missed = replace(record("uv-system", "broken", scenario="list-pip-installed"), expectation=find)
    assert outcome(missed) == "exit 0 · not named"


def test_comparison_with_pip_marks_what_differs() -> None:
    lock = "/home/user/.local/.lock"
    aspects = {
        a.name: a for a in compare(record("uv-prefix", "differs", extra={lock: "stray"}), record("pip"))
    }
    assert aspects["verdict"].differs and aspects["verdict"].this == "↪️ differs"
    assert aspects["files by role"].this == "2 expected, 1 generated, 1 stray"
    assert not aspects["imports (same)"].differs
    assert not aspects["script demo-cli"].differs


def test_comparison_of_an_uninstall_shows_what_was_left() -> None:
    left, gone = "/home/user/.local/.lock", "/home/user/.local/bin/demo-cli"
    cell = record("uv-prefix", "differs")
    installed = [FileChange(p, Change.ADDED, "file", []) for p in (left, gone)]
    files = [FileChange(gone, Change.DELETED, "file", [])]
    cell = replace(cell, observation=replace(cell.observation, installed=installed, files=files))
    [aspect] = [a for a in compare(cell, record("pip")) if a.name == "installed at set-up, not removed"]
    assert (aspect.this, aspect.pip) == (left, "—")


def test_the_command_shows_the_environment_the_suite_set(page: str) -> None:
    assert "PIP_CONFIG_FILE=/dev/null python3 -m pip install --user demo-pkg" in html.unescape(page)


def test_words_come_from_the_document(doc: MatrixDocument) -> None:
    old = replace(
        doc,
        scenarios={"explicit-user-bsp": "as an old run described it"},
        spellings={"uv-target": SpellingInfo(["uv pip install --old-flag"], "an old note")},
        targets={"debian-bookworm": TargetInfo("debian:old", "bookworm", "an old Debian")},
        columns=["uv-target", "pip", "uv-user", "reference"],
    )
    page = render_html(old)
    assert '<span class="desc">as an old run described it</span>' in page
    assert "<code>uv pip install --old-flag</code>" in page and "an old note" in page
    assert "<code>debian:old</code>" in page
    bookworm = page.split('id="target-debian-bookworm"', 1)[1].split("</thead>", 1)[0]
    assert [a["data-spelling"] for a in _attrs(bookworm, "th") if a.get("data-spelling")] == [
        "uv-target",
        "pip",
        "uv-user",
        "reference",
    ]


def test_advice_types_a_spellings_variables_before_its_command() -> None:
    cell = record("uv-system-env", scenario="implicit", installer_version="0.13.9")
    cell = replace(cell, installer="uv", command=["/opt/conformance/tools/uv", "pip", "install", "demo-pkg"])
    advice = render_html(document([cell])).split('<section id="advice">', 1)[1].split("</section>", 1)[0]
    assert "<code>UV_SYSTEM_PYTHON=1 /opt/conformance/tools/uv pip install demo-pkg</code>" in advice


def test_advice_types_a_spellings_variables_as_the_cell_set_them() -> None:
    # The catalogue's UV_PROJECT_ENVIRONMENT={user_base} is the account's own user base in its cells.
    cell = record(
        "uv-sync", scenario="explicit-user", environment={"UV_PROJECT_ENVIRONMENT": "/home/user/.local"}
    )
    cell = replace(cell, installer="uv", command=["uv", "sync", "--project", "/home/user/cell-project"])
    advice = render_html(document([cell])).split('<section id="advice">', 1)[1].split("</section>", 1)[0]
    assert (
        "<code>UV_PROJECT_ENVIRONMENT=/home/user/.local uv sync --project /home/user/cell-project</code>"
        in advice
    )


def test_a_quick_run_says_so_in_the_run_facts(doc: MatrixDocument) -> None:
    def run_facts(page: str) -> str:
        return page.split('<section id="run">', 1)[1].split("</dl>", 1)[0]

    assert "quick selection" not in run_facts(render_html(doc))
    quick = run_facts(render_html(replace(doc, run=replace(doc.run, quick=True))))
    assert "<dt>Selection</dt><dd>the quick selection (the test command's" in quick
