"""Turn botocore ``documentation`` HTML fragments into plain docstring text.

The models carry loosely written HTML (plus a few DocBook leftovers such as
``<note>``, ``<fullname>`` or ``<programlisting>``), often with unclosed or
stray tags. :func:`html_to_text` renders it as wrapped plain text: blank
lines between paragraphs, ``- `` bullets, backticked code and ``text (url)``
links. :func:`first_sentence` derives a one-line summary from that text.

The output is plain text: escaping for Python string literals is the job of
whoever embeds it, so quotes and backslashes are left untouched here.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = ["first_sentence", "html_to_text"]

# Stands for <br/> inside a paragraph buffer until the paragraph is wrapped.
# NUL is safe because _clean() deletes every NUL coming from the input.
_BR = "\x00"

# str.splitlines() boundaries besides "\n": in prose they are whitespace, in
# <pre> they must be real newlines, and they must never reach a docstring.
_LINE_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_NEEDS_CLEANING = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def _clean_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {c: None for c in range(0x20)}
    table.update({c: None for c in range(0x7F, 0xA0)})
    table.update({ord(c): "\n" for c in _LINE_BREAKS})
    table[ord("\t")] = " "
    del table[ord("\n")]
    return table


_CLEAN_TABLE = _clean_table()


def _clean(text: str) -> str:
    """Map line separators to ``\\n``, tabs to spaces, drop control chars."""
    if not _NEEDS_CLEANING.search(text):  # the common case: skip the copy
        return text
    return text.replace("\r\n", "\n").translate(_CLEAN_TABLE)


# DocBook and HTML spellings of the same construct share one handler.
_ALIASES = {
    "programlisting": "pre",
    "screen": "pre",
    "literallayout": "pre",
    "itemizedlist": "ul",
    "orderedlist": "ol",
    "listitem": "li",
    "ulink": "a",
    "tt": "code",
    "kbd": "code",
    "samp": "code",
    "literal": "code",
    "function": "code",
    "computeroutput": "code",
    "userinput": "code",
}
# fmt: off
_PARAGRAPH_TAGS = frozenset(
    {
        "p", "para", "simpara", "div", "fullname", "examples", "example", "title", "h1",
        "h2", "h3", "h4", "h5", "h6", "blockquote", "section", "article", "header",
        "footer", "table", "thead", "tbody", "tfoot", "tr", "caption", "hr", "center",
        "figure", "address", "details", "summary",
    }
)
# fmt: on
# Formatting we drop while keeping the text (plain text has no bold).
# fmt: off
_TRANSPARENT_TAGS = frozenset(
    {
        "b", "i", "u", "s", "em", "strong", "emphasis", "span", "sub", "sup", "small",
        "big", "cite", "abbr", "acronym", "dfn", "q", "mark", "ins", "del", "font",
        "replaceable", "filename", "link", "xref", "var", "img", "html", "body", "head",
        "zonbook", "xhtml",
    }
)
# fmt: on
_CELL_TAGS = frozenset({"td", "th"})
_LABELS = {
    "note": "Note:",
    "important": "Important:",
    "warning": "Warning:",
    "tip": "Tip:",
    "caution": "Caution:",
}
_LIST_TAGS = frozenset({"ul", "ol"})
_FRAME_TAGS = _LIST_TAGS | {"li", "dl", "dt", "dd", "pre"} | _LABELS.keys()
_KNOWN_TAGS = (
    _PARAGRAPH_TAGS | _TRANSPARENT_TAGS | _CELL_TAGS | _FRAME_TAGS | {"br", "code", "a"}
)
_PRE_INDENT = "    "
_DD_INDENT = 4


@dataclass(slots=True)
class _Block:
    """One rendered unit: a paragraph, a list item's paragraph or a <pre>."""

    segments: list[str]  # lines forced by <br/> (or verbatim <pre> lines)
    first: str  # prefix of the first line: indentation plus list markers
    rest: str  # prefix of every other line
    tight: bool  # no blank line before it (list items follow each other)
    verbatim: bool
    item_start: bool = False  # first block of a list item


@dataclass(slots=True)
class _Frame:
    """An open block container: list, item, definition, note or <pre>."""

    tag: str
    indent: int  # column where this container's content starts
    marker: str = ""  # "- " or "3. ", printed before the first block
    marker_col: int = 0
    pending: bool = False  # marker (or dd start) not printed yet
    tight: bool = False  # whether the first block hugs the previous one
    label: str = ""  # "Note:" etc. until the first paragraph takes it
    counter: int = 1  # next number of an <ol>
    first_block: int = 0  # len(blocks) when a list opened


@dataclass(slots=True)
class _Inline:
    """An open <code> or <a>, buffered so it can be wrapped at its end."""

    tag: str
    href: str
    parts: list[str] = field(default_factory=list)


class _Converter(HTMLParser):
    """Collects :class:`_Block` objects while the fragment is parsed."""

    def __init__(self, width: int) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[_Block] = []
        self._cap = width // 2  # deep nesting must not eat the whole width
        self._frames: list[_Frame] = []
        self._inline: list[_Inline] = []
        self._buf: list[str] = []
        self._pre: list[str] | None = None  # collecting a <pre> when set
        self._list_run = False  # last block was inside a list
        self._after_dt = False  # last block was a <dt> term

    # -- parser callbacks ---------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        name = _ALIASES.get(tag, tag)
        if self._pre is not None:
            self._pre_tag(self._pre, name, self.get_starttag_text() or "")
        elif name in _PARAGRAPH_TAGS:
            self._flush()
        elif name in _LIST_TAGS:
            self._open_list(name, attrs)
        elif name == "li":
            self._open_item()
        elif name in ("dl", "dt", "dd"):
            self._open_definition(name)
        elif name in _LABELS:
            self._open_frame(_Frame(name, self._indent(), label=_LABELS[name]))
        elif name == "pre":
            self._open_pre()
        else:
            self._inline_start(name, attrs)

    def _inline_start(self, name: str, attrs: list[tuple[str, str | None]]) -> None:
        if name == "br":
            self._line_break()
        elif name == "code":
            self._inline.append(_Inline("code", ""))
        elif name == "a":
            self._inline.append(_Inline("a", _href(attrs)))
        elif name in _CELL_TAGS:
            self._append(" ")
        elif name not in _KNOWN_TAGS:
            # Unknown tags are mostly placeholders written without escaping,
            # e.g. "arn:aws:inspector2:<region>:<account-id>": keep them.
            self._append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        name = _ALIASES.get(tag, tag)
        if self._pre is not None and name != "pre":
            self._pre_tag(self._pre, name, f"</{tag}>")
        elif name in _PARAGRAPH_TAGS:
            self._flush()
        elif name in _FRAME_TAGS:
            self._close_frame(name)
        elif name == "br":  # "</br>" is a line break to browsers too
            self._line_break()
        elif name in ("code", "a"):
            self._close_inline(name)
        elif name in _CELL_TAGS:
            self._append(" ")
        elif name not in _KNOWN_TAGS:
            self._append(f"</{tag}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        # "<br/>" is one break; an unknown "<foo/>" was shown as written.
        name = _ALIASES.get(tag, tag)
        if name in _KNOWN_TAGS and name != "br":
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        data = _clean(data)  # entities such as &#x2028; decode only now
        if self._pre is not None:
            self._pre.append(data)
        else:
            self._append(data)

    def unknown_decl(self, data: str) -> None:
        if data.startswith("CDATA["):
            self.handle_data(data[6:])

    def close(self) -> None:
        super().close()
        self._flush()
        while self._frames:
            self._pop()

    # -- block containers ---------------------------------------------------

    def _indent(self) -> int:
        return self._frames[-1].indent if self._frames else 0

    def _open_frame(self, frame: _Frame) -> None:
        self._flush()
        self._frames.append(frame)

    def _open_list(self, name: str, attrs: list[tuple[str, str | None]]) -> None:
        self._flush()
        self._release_labels()
        start = dict(attrs).get("start") or ""
        counter = int(start) if start.isdigit() else 1
        frame = _Frame(name, self._indent(), counter=counter)
        frame.first_block = len(self.blocks)
        self._frames.append(frame)

    def _open_item(self) -> None:
        self._flush()
        self._close_open("li", stop=_LIST_TAGS)  # "<li>a<li>b": a ends at b
        self._release_labels()
        owner = next((f for f in reversed(self._frames) if f.tag in _LIST_TAGS), None)
        marker = "- "
        if owner is not None and owner.tag == "ol":
            marker = f"{owner.counter}. "
            owner.counter += 1
        col = self._indent()
        indent = min(col + len(marker), max(self._cap, col))
        item = _Frame(
            "li",
            indent,
            marker=marker,
            marker_col=col,
            pending=True,
            tight=self._list_run,
        )
        self._frames.append(item)

    def _open_definition(self, name: str) -> None:
        self._flush()
        if name != "dl":
            self._close_open("dt", "dd", stop=frozenset({"dl"}))
        self._release_labels()
        col = self._indent()
        if name == "dd":
            indent = min(col + _DD_INDENT, max(self._cap, col))
            frame = _Frame(
                "dd", indent, marker_col=indent, pending=True, tight=self._after_dt
            )
        else:
            frame = _Frame(name, col)
        self._frames.append(frame)

    def _open_pre(self) -> None:
        self._flush()
        self._release_labels()
        first, tight = self._take_markers()
        if first is not None and first.strip():  # "<li><pre>": bullet on its own line
            self._add_block([""], first, tight=tight, verbatim=False)
            tight = True
        pre = _Frame("pre", self._indent(), tight=tight)
        self._frames.append(pre)
        self._pre = []

    @staticmethod
    def _pre_tag(pre: list[str], name: str, raw: str) -> None:
        """Tags inside <pre>: only line breaks and unknown placeholders show."""
        if name == "br":
            pre.append("\n")
        elif name not in _KNOWN_TAGS:
            pre.append(raw)

    def _close_open(self, *tags: str, stop: frozenset[str]) -> None:
        """Implicitly close the innermost ``tags`` frame unless ``stop`` is hit."""
        for i in range(len(self._frames) - 1, -1, -1):
            tag = self._frames[i].tag
            if tag in tags:
                self._pop_to(i)
                return
            if tag in stop:
                return

    def _close_frame(self, name: str) -> None:
        self._flush()
        for i in range(len(self._frames) - 1, -1, -1):
            if self._frames[i].tag == name:
                self._pop_to(i)
                return
        # A stray end tag with nothing to close is ignored.

    def _pop_to(self, index: int) -> None:
        while len(self._frames) > index:
            self._pop()

    def _pop(self) -> None:
        frame = self._frames.pop()
        if frame.tag == "pre":
            self._finish_pre(frame.indent, tight=frame.tight)
        elif frame.tag in _LIST_TAGS:
            self._loosen(self.blocks[frame.first_block + 1 :])
            if not self._in_list():
                self._list_run = False  # a new list after this one gets a gap
        elif frame.tag == "dt":
            self._after_dt = True

    @staticmethod
    def _loosen(blocks: list[_Block]) -> None:
        """Blank lines between all items once one item has several paragraphs."""
        if any(not b.tight for b in blocks):
            for block in blocks:
                block.tight = block.tight and not block.item_start

    def _in_list(self) -> bool:
        return any(f.tag in _LIST_TAGS for f in self._frames)

    def _finish_pre(self, indent: int, *, tight: bool) -> None:
        text = textwrap.dedent("".join(self._pre or []))
        self._pre = None
        lines = [line.rstrip() for line in text.split("\n")]
        while lines and not lines[-1]:
            lines.pop()
        start = next((i for i, line in enumerate(lines) if line), len(lines))
        if lines[start:]:
            prefix = " " * indent + _PRE_INDENT
            self._add_block(lines[start:], prefix, tight=tight, verbatim=True)

    # -- paragraphs ---------------------------------------------------------

    def _append(self, text: str) -> None:
        (self._inline[-1].parts if self._inline else self._buf).append(text)

    def _line_break(self) -> None:
        # Inside code or link text a break would split a span: use a space.
        self._append(" " if self._inline else _BR)

    def _close_inline(self, tag: str) -> None:
        for i in range(len(self._inline) - 1, -1, -1):
            if self._inline[i].tag == tag:
                while len(self._inline) > i:
                    self._fold()
                return

    def _fold(self) -> None:
        """Render the innermost open inline element into its parent."""
        span = self._inline.pop()
        raw = "".join(span.parts).replace(_BR, " ")
        body = " ".join(raw.split())
        nested_code = any(s.tag == "code" for s in self._inline)
        if span.tag == "a":
            body = _link(body, span.href)
        elif body and not nested_code:
            body = f"`{body}`"
        # Whitespace just inside the tags still separates words outside.
        lead = " " if raw[:1].isspace() else ""
        trail = " " if raw[-1:].isspace() and body else ""
        self._append(lead + body + trail)

    def _flush(self) -> None:
        """End the current paragraph, turning its text into a block."""
        while self._inline:  # block boundaries close unclosed <code>/<a>
            self._fold()
        if not self._buf:
            return
        raw = "".join(self._buf)
        self._buf.clear()
        segments = [" ".join(s.split()) for s in raw.split(_BR)]
        segments = [s for s in segments if s]
        if not segments:
            return
        label = self._take_labels()
        if label:
            segments[0] = f"{label} {segments[0]}"
        self._emit(segments)

    def _take_labels(self) -> str:
        labels = [f.label for f in self._frames if f.label]
        for frame in self._frames:
            frame.label = ""
        return " ".join(labels)

    def _release_labels(self) -> None:
        """Print a pending "Note:" on its own before a list, table or <pre>."""
        label = self._take_labels()
        if label:
            self._emit([label])

    def _take_markers(self) -> tuple[str | None, bool]:
        """Collect unprinted list markers; "<li><ul><li>x" gives "- - x"."""
        first: _Frame | None = None
        markers = []
        for frame in self._frames:
            if frame.pending:
                first = first or frame
                markers.append(frame.marker)
                frame.pending = False
        if first is None:
            return None, False
        return " " * first.marker_col + "".join(markers), first.tight

    def _emit(self, segments: list[str]) -> None:
        first, tight = self._take_markers()
        prefix = first if first is not None else " " * self._indent()
        self._add_block(segments, prefix, tight=tight, verbatim=False)
        self.blocks[-1].item_start = first is not None

    def _add_block(
        self, segments: list[str], first: str, *, tight: bool, verbatim: bool
    ) -> None:
        rest = " " * self._indent()
        self.blocks.append(
            _Block(segments, first, first if verbatim else rest, tight, verbatim)
        )
        self._list_run = self._in_list()
        self._after_dt = False


def _href(attrs: list[tuple[str, str | None]]) -> str:
    for key, value in attrs:
        if key in ("href", "url") and value:
            # A URL is one unbreakable word; stray whitespace would split it.
            return "".join(_clean(value).split())
    return ""


def _link(text: str, href: str) -> str:
    if not href.lower().startswith(("http://", "https://")):
        return text  # relative or anchor links mean nothing outside the site
    if not text:
        return href
    if text.strip("`").rstrip("/") == href.rstrip("/"):
        return text
    return f"{text} ({href})"


def _parse(html: str, width: int) -> list[_Block]:
    converter = _Converter(width)
    converter.feed(html)
    converter.close()
    return converter.blocks


def _block_lines(block: _Block, wrapper: textwrap.TextWrapper) -> list[str]:
    if block.verbatim:
        return [block.first + line if line else "" for line in block.segments]
    lines: list[str] = []
    prefix = block.first
    for segment in block.segments:
        if len(prefix) + len(segment) <= wrapper.width:
            lines.append(prefix + segment)  # fits: skip textwrap, it is slow
        else:
            wrapper.initial_indent = prefix
            wrapper.subsequent_indent = block.rest
            lines.extend(wrapper.wrap(segment))
        prefix = block.rest
    return lines


def _render(blocks: list[_Block], width: int) -> str:
    wrapper = textwrap.TextWrapper(
        width=width, break_long_words=False, break_on_hyphens=False
    )
    lines: list[str] = []
    for block in blocks:
        if lines and not block.tight:
            lines.append("")
        lines.extend(_block_lines(block, wrapper))
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def html_to_text(html: str, width: int = 76) -> str:
    """Render a botocore documentation fragment as wrapped plain text.

    Paragraphs are separated by one blank line and wrapped to ``width``
    (words and URLs are never split, so a line may exceed ``width`` only when
    it holds a single such word). Lists become ``- item`` / ``1. item``,
    ``<code>`` becomes backticks, absolute links ``text (url)``, notes a
    paragraph starting with ``Note:`` and ``<pre>`` blocks stay verbatim,
    indented four spaces. Malformed markup never raises.
    """
    if width < 1:
        raise ValueError(f"width must be positive, got {width}")
    if not html or html.isspace():
        return ""
    cleaned = _clean(html)
    try:
        blocks = _parse(cleaned, width)
    except AssertionError:
        # _markupbase rejects some "<![...[" marked sections by asserting;
        # no documentation text lives in declarations, so show them as text.
        blocks = _parse(cleaned.replace("<!", "&lt;!"), width)
    return _render(blocks, width)


# Words ending in "." that do not end a sentence.
# fmt: off
_ABBREVIATIONS = frozenset(
    {
        "e.g.", "i.e.", "etc.", "vs.", "cf.", "approx.", "inc.", "ltd.", "co.", "corp.",
        "no.", "mr.", "ms.", "dr.", "st.", "fig.",
    }
)
# fmt: on
_INITIALS = re.compile(r"(?:[A-Za-z]\.){2,}")  # "U.S.", "a.m."
_CLOSERS = "\"')]}*"


def _ends_sentence(word: str) -> bool:
    core = word.rstrip(_CLOSERS)
    if core[-1:] not in (".", "!", "?"):
        return False
    return core.lower() not in _ABBREVIATIONS and not _INITIALS.fullmatch(core)


def _first_paragraph(text: str) -> str:
    for paragraph in re.split(r"\n\s*\n", text):
        words = paragraph.split()
        if words:
            return " ".join(words)
    return ""


def _cut_sentence(paragraph: str) -> str:
    words = paragraph.split(" ")
    in_code = False
    for i, word in enumerate(words):
        if word.count("`") % 2:
            in_code = not in_code
        # A period inside `code` (a file name, "a. b") ends nothing.
        if not in_code and _ends_sentence(word):
            return " ".join(words[: i + 1])
    return paragraph


def _truncate(sentence: str, max_len: int) -> str:
    if len(sentence) <= max_len:
        return sentence
    room = max(max_len - 3, 1)
    # Looking one char past the room tells whether the cut hits a space.
    cut = sentence[: room + 1].rfind(" ")
    head = sentence[:cut] if cut > 0 else sentence[:room]
    return head.rstrip(" ,;:.-") + "..."


def first_sentence(text: str, max_len: int = 100) -> str:
    """One-line summary of plain text (as produced by :func:`html_to_text`).

    Takes the first sentence of the first paragraph; if it is longer than
    ``max_len`` it is cut at a word boundary and ends with ``...``.
    """
    return _truncate(_cut_sentence(_first_paragraph(text)), max_len)
