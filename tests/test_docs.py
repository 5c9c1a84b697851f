"""Tests for codegen.docs: botocore documentation HTML to docstring text."""

from __future__ import annotations

import functools
import html
import re
import string
import unicodedata
from collections.abc import Iterator

import botocore.session
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codegen.docs import first_sentence, html_to_text

# -- paragraphs, whitespace, wrapping -----------------------------------------


@pytest.mark.parametrize(
    "source", ["", " ", "\n\t  \r\n", "<p> </p>", "<p></p><ul></ul>"]
)
def test_empty_input_gives_empty_string(source: str) -> None:
    assert html_to_text(source) == ""


def test_paragraphs_are_separated_by_one_blank_line() -> None:
    source = "\n  <p>First.</p>\n\n<p>Second.</p><p></p><p>Third.</p>  "
    assert html_to_text(source) == "First.\n\nSecond.\n\nThird."


def test_stray_whitespace_and_newlines_collapse() -> None:
    source = "<p>  Some\n     text\tspread   over\r\n lines.  </p>"
    assert html_to_text(source) == "Some text spread over lines."


def test_text_is_wrapped_to_width() -> None:
    words = " ".join(f"word{i}" for i in range(40))
    out = html_to_text(f"<p>{words}</p>", width=30)
    lines = out.split("\n")
    assert len(lines) > 1
    assert all(len(line) <= 30 for line in lines)
    assert " ".join(lines) == words


def test_long_urls_and_hyphenated_words_are_never_split() -> None:
    url = "https://docs.aws.amazon.com/" + "a" * 90 + ".html"
    out = html_to_text(
        f"<p>See {url} and a well-known-hyphenated-identifier.</p>", width=20
    )
    assert url in out.split("\n")
    assert "well-known-hyphenated-identifier." in out.split("\n")


def test_entities_are_decoded() -> None:
    out = html_to_text("<p>a &amp; b &lt;tag&gt; &quot;q&quot; &#39;s&#39; &nbsp;x</p>")
    assert out == "a & b <tag> \"q\" 's' x"


def test_quotes_backslashes_and_triple_quotes_are_kept() -> None:
    source = r'<p>Use """ or \'\'\' and C:\path\n with "x" \ end</p>'
    assert html_to_text(source) == r'Use """ or \'\'\' and C:\path\n with "x" \ end'


def test_no_leading_trailing_blank_lines_or_trailing_spaces() -> None:
    out = html_to_text("<p> </p><p>a </p><ul><li> b </li></ul><p> </p>")
    assert out == "a\n\n- b"


def test_width_must_be_positive() -> None:
    with pytest.raises(ValueError, match="width"):
        html_to_text("<p>x</p>", width=0)


def test_is_deterministic() -> None:
    source = "<p>a <code>b</code></p><ul><li>c<ul><li>d</li></ul></li></ul>"
    assert html_to_text(source) == html_to_text(source)


# -- inline markup ------------------------------------------------------------


def test_code_becomes_single_backticks() -> None:
    out = html_to_text("<p>Set <code>status</code> to <code> IN_PROGRESS </code>.</p>")
    assert out == "Set `status` to `IN_PROGRESS` ."


def test_code_with_nested_markup_and_empty_code() -> None:
    source = "<p><code>$aws/things/<i>THING</i>/jobs</code><code> </code>end</p>"
    assert html_to_text(source) == "`$aws/things/THING/jobs` end"


def test_nested_code_gets_one_pair_of_backticks() -> None:
    assert html_to_text("<code>a<code>b</code>c</code>") == "`abc`"


def test_emphasis_tags_become_plain_text() -> None:
    source = "<p><b>bold</b> <i>it</i> <strong>strong</strong> <em>em</em></p>"
    assert html_to_text(source) == "bold it strong em"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('<a href="https://x.io/doc">the doc</a>', "the doc (https://x.io/doc)"),
        ('<a href="http://x.io">site</a>', "site (http://x.io)"),
        ('<a href="https://x.io/">https://x.io</a>', "https://x.io"),
        (
            '<a href="https://x.io/y"><code>https://x.io/y</code></a>',
            "`https://x.io/y`",
        ),
        ('<a href="https://x.io/y"></a>', "https://x.io/y"),
        ('<a href="/location/latest/API.html">relative</a>', "relative"),
        ('<a href="mailto:a@b.c">mail</a>', "mail"),
        ("<a>CreateThing</a>", "CreateThing"),
        ('<a href="https://x.io"><code>Op</code></a>', "`Op` (https://x.io)"),
    ],
)
def test_links(source: str, expected: str) -> None:
    assert html_to_text(source) == expected


def test_link_href_whitespace_is_removed_so_url_stays_one_word() -> None:
    assert html_to_text('<a href=" https://x.io/\n a ">t</a>') == "t (https://x.io/a)"


def test_br_forces_line_breaks_inside_a_paragraph() -> None:
    out = html_to_text("<p>one<br/>two<br>three</br>four<br/><br/>five</p>")
    assert out == "one\ntwo\nthree\nfour\nfive"


def test_br_in_list_item_keeps_continuation_indent() -> None:
    assert html_to_text("<ul><li>a<br/>b</li></ul>") == "- a\n  b"


# -- lists --------------------------------------------------------------------


def test_bullet_list_after_paragraph() -> None:
    out = html_to_text(
        "<p>Values:</p> <ul> <li> <p>A</p> </li> <li><p>B</p></li> </ul>"
    )
    assert out == "Values:\n\n- A\n- B"


def test_bullet_continuation_lines_indent_two_spaces() -> None:
    out = html_to_text("<ul><li>" + "word " * 20 + "</li></ul>", width=30)
    first, *rest = out.split("\n")
    assert first.startswith("- word")
    assert rest
    assert all(line.startswith("  word") for line in rest)
    assert all(len(line) <= 30 for line in out.split("\n"))


def test_nested_lists_indent_further() -> None:
    source = "<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li><li>d</li></ul>"
    assert html_to_text(source) == "- a\n  - b\n    - c\n- d"


def test_nested_list_continuation_lines_align_with_text() -> None:
    out = html_to_text(
        "<ul><li>a<ul><li>" + "word " * 12 + "</li></ul></li></ul>", width=30
    )
    lines = out.split("\n")
    assert lines[1].startswith("  - word")
    assert all(line.startswith("    word") for line in lines[2:])


def test_ordered_list_numbers_items() -> None:
    source = "<ol><li>first</li><li>second " + "x " * 40 + "</li></ol>"
    lines = html_to_text(source, width=40).split("\n")
    assert lines[0] == "1. first"
    assert lines[1].startswith("2. second")
    assert all(line.startswith("   x") for line in lines[2:])


def test_ordered_list_start_attribute_and_nested_bullets() -> None:
    source = '<ol start="3"><li>c<ul><li>sub</li></ul></li><li>d</li></ol>'
    assert html_to_text(source) == "3. c\n   - sub\n4. d"


def test_item_with_several_paragraphs_makes_the_list_loose() -> None:
    source = "<ul><li><p>a</p><p>more a</p></li><li><p>b</p></li></ul>"
    assert html_to_text(source) == "- a\n\n  more a\n\n- b"


def test_paragraph_after_list_is_separated() -> None:
    assert html_to_text("<ul><li>a</li></ul><p>after</p>") == "- a\n\nafter"


def test_item_starting_with_nested_list_shares_the_line() -> None:
    assert html_to_text("<ul><li><ul><li>deep</li></ul></li></ul>") == "- - deep"


def test_deep_nesting_keeps_room_for_text() -> None:
    source = "<ul><li>x" * 40 + "</li></ul>" * 40
    lines = html_to_text(source, width=40).split("\n")
    assert len(lines) == 40
    assert max(len(line) for line in lines) <= 40


# -- notes, definitions, verbatim ---------------------------------------------


def test_note_and_important_become_labelled_paragraphs() -> None:
    source = (
        "<p>Intro.</p><note><p>Careful here.</p><p>Second.</p></note>"
        "<important>Really.</important>"
    )
    assert (
        html_to_text(source)
        == "Intro.\n\nNote: Careful here.\n\nSecond.\n\nImportant: Really."
    )


def test_note_before_list_stands_alone_and_empty_note_is_dropped() -> None:
    assert (
        html_to_text("<note><ul><li>x</li></ul></note><note> </note>") == "Note:\n\n- x"
    )


def test_note_inside_list_item() -> None:
    source = "<ul><li><p>a</p><note><p>careful</p></note></li></ul>"
    assert html_to_text(source) == "- a\n\n  Note: careful"


def test_preformatted_directly_in_definition() -> None:
    assert html_to_text("<dl><dt>T</dt><dd><pre>x</pre></dd></dl>") == "T\n        x"


def test_definition_list() -> None:
    source = (
        "<p>Values:</p><dl><dt>ON</dt><dd><p>Enabled.</p></dd>"
        "<dt>OFF</dt><dd>No.</dd></dl>"
    )
    assert html_to_text(source) == "Values:\n\nON\n    Enabled.\n\nOFF\n    No."


@pytest.mark.parametrize("tag", ["pre", "programlisting"])
def test_preformatted_is_verbatim_and_indented(tag: str) -> None:
    body = "\n  {\n    &quot;a&quot;: [1,   2]," + " x" * 50 + "\n  }\n"
    out = html_to_text(f"<p>Example:</p><{tag}>{body}</{tag}><p>Done.</p>", width=40)
    long_line = '      "a": [1,   2],' + " x" * 50
    assert out == f"Example:\n\n    {{\n{long_line}\n    }}\n\nDone."


def test_preformatted_ignores_inner_markup_but_keeps_breaks() -> None:
    out = html_to_text("<pre><code>a = 1<br/>b = <b>2</b></code></pre>")
    assert out == "    a = 1\n    b = 2"


def test_preformatted_inside_list_item() -> None:
    assert html_to_text("<ul><li><pre>code</pre></li></ul>") == "-\n      code"


def test_docbook_examples_function_fullname_para() -> None:
    source = (
        "<fullname>Amazon Thing</fullname><examples><example>"
        "<function>CreateThing</function><para>Makes one.</para>"
        "</example></examples><para/>"
    )
    assert html_to_text(source) == "Amazon Thing\n\n`CreateThing`\n\nMakes one."


def test_table_cells_are_separated() -> None:
    source = "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>"
    assert html_to_text(source) == "a b\n\nc"


# -- malformed input and odd characters ---------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<p>unclosed <code>code <b>bold", "unclosed `code bold`"),
        ("<p>a<p>b</p></p></li></ul></code>", "a\n\nb"),
        ("<ul><li>a<li>b</ul>tail", "- a\n- b\n\ntail"),
        ("<p><code>open</p><p>next</code></p>", "`open`\n\nnext"),
        ("<dl><dt>T<dd>D<dt>U<dd>E</dl>", "T\n    D\n\nU\n    E"),
        ("<pre>never closed\n  x", "    never closed\n      x"),
        ("a < b and c<d", "a < b and c<d"),
        ("<![foo[ bar", "<![foo[ bar"),
        ("x<!-- hidden -->y<![CDATA[<z>]]>", "xy<z>"),
        ("<li>orphan item</li>", "- orphan item"),
    ],
)
def test_malformed_markup(source: str, expected: str) -> None:
    assert html_to_text(source) == expected


def test_unknown_tags_are_kept_as_written() -> None:
    # botocore writes ARN placeholders and XML samples without escaping.
    source = (
        '<p>arn:aws:x:<region>:<account-id>:thing/<uuid> adds <Role value="s"/>.</p>'
    )
    expected = 'arn:aws:x:<region>:<account-id>:thing/<uuid> adds <Role value="s"/>.'
    assert html_to_text(source) == expected


@pytest.mark.parametrize(
    "sep",
    ["\r\n", "\r", "\u2028", "\u2029", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85"],
)
def test_line_separators_become_spaces_in_prose(sep: str) -> None:
    assert html_to_text(f"<p>a{sep}b</p>") == "a b"


@pytest.mark.parametrize(
    "sep", ["\r\n", "\r", "\u2028", "\u2029", "\x0b", "\x0c", "\x1e", "\x85"]
)
def test_line_separators_become_newlines_in_pre(sep: str) -> None:
    assert html_to_text(f"<pre>a{sep}b</pre>") == "    a\n    b"


def test_control_characters_are_dropped_and_tabs_become_spaces() -> None:
    assert html_to_text("<p>a\x00b\x07c\x1bd\x7fe\x9ff</p>") == "abcdef"
    assert html_to_text("<pre>a\tb</pre>") == "    a b"


def test_control_characters_from_entities_are_normalised() -> None:
    assert html_to_text("<p>a&#x2028;b&#12;c&#x85;d</p>") == "a b c\u2026d"
    assert html_to_text("<pre>a&#x2029;b</pre>") == "    a\n    b"


# -- first_sentence -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("Gets a thing. Then more.", "Gets a thing."),
        ("Is it? Yes.", "Is it?"),
        ("No period at all", "No period at all"),
        ("Spans\nlines here. Next.", "Spans lines here."),
        ("First para\n\nSecond para. More.", "First para"),
        ("\n\n  Leading blank. X.", "Leading blank."),
        (
            "Use e.g. this, i.e. that, etc. as needed. Next.",
            "Use e.g. this, i.e. that, etc. as needed.",
        ),
        ("In the U.S. region. Next.", "In the U.S. region."),
        ("Name `a. b` matters. Next.", "Name `a. b` matters."),
        ("Ends with a link (see `X`). Next.", "Ends with a link (see `X`)."),
        ("Note: Careful. Rest.", "Note: Careful."),
    ],
)
def test_first_sentence(text: str, expected: str) -> None:
    assert first_sentence(text) == expected


def test_first_sentence_cuts_long_sentences_at_a_word_boundary() -> None:
    text = "This sentence " + "goes on " * 30 + "and ends."
    summary = first_sentence(text)
    assert len(summary) <= 100
    assert summary.endswith("...")
    assert text.startswith(summary[:-3])
    assert text[len(summary) - 3] == " "


def test_first_sentence_trims_punctuation_before_ellipsis_and_honours_max_len() -> None:
    summary = first_sentence("alpha, " * 20, max_len=30)
    assert summary == "alpha, alpha, alpha, alpha..."


def test_first_sentence_hard_cuts_a_single_huge_word() -> None:
    assert first_sentence("x" * 300) == "x" * 97 + "..."


def test_first_sentence_of_converted_docs() -> None:
    text = html_to_text(
        "<p>Lists <code>Things</code>. Requires permission.</p><p>More.</p>"
    )
    assert first_sentence(text) == "Lists `Things`."


# -- every documentation string of a few real services ------------------------

SERVICES = ["emr-serverless", "emr-containers", "location", "omics", "iot"]
KNOWN_TAGS = (
    "p|code|a|ul|ol|li|b|i|strong|em|note|important|br|dl|dt|dd|pre|"
    "programlisting|examples|example|function|fullname|para"
)
TAG_REMNANT = re.compile(rf"</?(?:{KNOWN_TAGS})\b[^<>]*>", re.IGNORECASE)
ANY_TAG = re.compile(r"<[^>]*>")
LIST_MARKERS = re.compile(r"^(?:- |\d+\. )+")
WIDTH = 76


def _walk_docs(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "documentation" and isinstance(value, str):
                yield value
            else:
                yield from _walk_docs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk_docs(item)


@functools.cache
def _service_docs(service: str) -> tuple[str, ...]:
    loader = botocore.session.get_session().get_component("data_loader")
    model = loader.load_service_model(service, "service-2")
    # Operations, shapes and members all carry "documentation" keys.
    return tuple(dict.fromkeys(_walk_docs(model)))


def _words(source: str) -> list[str]:
    text = html.unescape(ANY_TAG.sub(" ", source))
    words = (word.strip(string.punctuation) for word in text.split())
    return [word for word in words if word]


def _check_line(line: str, in_pre: bool) -> None:
    assert line == line.rstrip(), line
    if len(line) > WIDTH and not in_pre:
        # Only one unbreakable word (URL, identifier) may overflow.
        assert len(LIST_MARKERS.sub("", line.strip()).split()) == 1, line


def _check_words_in_order(source: str, out: str) -> None:
    pos = 0
    for word in _words(source):
        found = out.find(word, pos)
        assert found >= 0, (word, source, out)
        pos = found + len(word)


@pytest.mark.parametrize("service", SERVICES)
def test_real_service_documentation(service: str) -> None:
    docs = _service_docs(service)
    assert len(docs) > 50
    for source in docs:
        out = html_to_text(source, WIDTH)
        assert not TAG_REMNANT.search(out), (source, out)
        assert out == out.strip("\n")
        assert "\n\n\n" not in out
        for line in out.split("\n"):
            _check_line(line, in_pre="<pre" in source)
        _check_words_in_order(source, out)
        summary = first_sentence(out)
        assert "\n" not in summary
        assert len(summary) <= 100


# -- random HTML-ish input ----------------------------------------------------

RANDOM_TAGS = [
    "p", "code", "a", "ul", "ol", "li", "b", "i", "strong", "em", "note",
    "important", "br", "dl", "dt", "dd", "pre", "programlisting", "examples",
    "example", "function", "fullname", "para", "region", "table", "td",
]  # fmt: skip
TEXT_PIECES = [
    *"ab yz.,:-\"'`\\/&;#<>=!?[]\n\t", "\r\n", "\u2028", "\u2029", "\x0b", "\x0c",
    "\x1c", "\x1d", "\x1e", "\x85", "\x00", "\x07", "\x7f", "\x9f", "&amp;", "&lt;",
    "&quot;", "&#x2028;", "&#12;", "&#133;", "&#0;", "<![x[", "<!--", "'\'\'", '"""',
    "https://a.io/x", "word",
]  # fmt: skip
ODD_TEXT = st.lists(st.sampled_from(TEXT_PIECES), max_size=12).map("".join)


@st.composite
def _tags(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(RANDOM_TAGS))
    kind = draw(st.sampled_from(["open", "close", "self"]))
    attrs = draw(
        st.sampled_from(["", ' href="https://x.io/p"', " href='/rel'", ' start="2"'])
    )
    return {
        "open": f"<{name}{attrs}>",
        "close": f"</{name}>",
        "self": f"<{name}{attrs}/>",
    }[kind]


RANDOM_HTML = st.lists(st.one_of(_tags(), ODD_TEXT), max_size=30).map("".join)
BAD_CHARS = {"Cc", "Zl", "Zp"}


@settings(max_examples=300, deadline=None)
@given(source=RANDOM_HTML, width=st.integers(min_value=8, max_value=100))
def test_random_html_never_breaks_the_output_contract(source: str, width: int) -> None:
    out = html_to_text(source, width)
    bad = [c for c in out if c != "\n" and unicodedata.category(c) in BAD_CHARS]
    assert not bad, (source, out)
    assert not out or out.splitlines() == out.split("\n")
    assert out == out.strip("\n")
    assert all(line == line.rstrip() for line in out.split("\n"))
    assert html_to_text(source, width) == out
    assert "\n" not in first_sentence(out)
