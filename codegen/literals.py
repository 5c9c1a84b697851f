"""Turning model text into Python source text that cannot break out.

Every string from a model reaches generated code through one of these two
functions, so no documentation, name or value can end a literal early,
smuggle in code, or change what the string means.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\x85]")


def string_literal(value: str) -> str:
    """A Python literal whose value is exactly ``value``, in ASCII.

    ``repr`` escapes quotes, backslashes and what ``str.isprintable`` calls
    non-printable, which follows the running Python's Unicode database (3.12
    and 3.13 know characters 3.11 does not); ``ascii`` escapes every non-ASCII
    character as well, so the text is the same under every Python.
    """
    return ascii(value)


def docstring_body(text: str) -> str:
    """``text`` escaped to sit between triple double quotes, unchanged in value."""
    text = text.replace("\\", "\\\\")
    text = _CONTROL.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}"
            if ord(m.group()) < 256
            else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )
    text = text.replace('"""', '\\"\\"\\"')
    if text.endswith('"'):
        text = text[:-1] + '\\"'
    return text
