"""Docstrings of generated code: model HTML as text, sections, escaping."""

from __future__ import annotations

import functools
import textwrap
from typing import Any

from codegen.docs import html_to_text
from codegen.literals import docstring_body

DOC_WIDTH = 72


@functools.cache
def _text(html: str, width: int) -> str:
    # Models repeat the same documentation on many members and shapes.
    return html_to_text(html, width)


def text(html: Any, width: int = DOC_WIDTH) -> str:
    """Model documentation (HTML, or absent) as wrapped plain text."""
    return _text(html, width) if isinstance(html, str) else ""


def entry(name: str, doc: str) -> list[str]:
    """One ``name: text`` entry of an Args/Attributes/Raises section."""
    paragraphs = doc.split("\n\n") if doc else [""]
    first, rest = paragraphs[0], paragraphs[1:]
    if first and not first.startswith(("- ", " ")) and "\n " not in first:
        lines = textwrap.wrap(
            " ".join(first.split("\n")),
            width=DOC_WIDTH - 4,
            initial_indent=f"{name}: ",
            subsequent_indent="    ",
            break_long_words=False,
            break_on_hyphens=False,
        )
    else:
        lines = [f"{name}:"] + [f"    {line}" for line in first.split("\n") if first]
    for paragraph in rest:
        lines.append("")
        lines.extend(f"    {line}" if line else "" for line in paragraph.split("\n"))
    return lines


def section(title: str, entries: list[tuple[str, str]]) -> str:
    """A Google-style section: ``Args:`` and its indented entries."""
    lines = [f"{title}:"]
    for name, doc in entries:
        lines.extend(f"    {line}".rstrip() for line in entry(name, doc))
    return "\n".join(lines)


def join(*parts: str) -> str:
    """The parts as one docstring body, escaped; a multi-line one closes on a
    line of its own."""
    body = "\n\n".join(p for p in parts if p) or "No documentation."
    return docstring_body(body + ("\n" if "\n" in body else ""))
