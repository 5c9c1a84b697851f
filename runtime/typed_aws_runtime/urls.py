"""URL path handling shared by the signer, the endpoint rules and the schema."""

from __future__ import annotations

import re

_LABEL = re.compile(r"\{([^}]+)\}")


def remove_dot_segments(path: str) -> str:
    """RFC 3986 5.2.4 dot-segment removal, plus AWS's collapsing of empty
    segments; ``""`` becomes ``"/"``."""
    if not path:
        return "/"
    output: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if output:
                output.pop()
        elif segment and segment != ".":
            output.append(segment)
    first = "/" if path[0] == "/" else ""
    last = "/" if path[-1] == "/" and output else ""
    return first + "/".join(output) + last


def path_parts(template: str) -> tuple[tuple[str, str, bool], ...]:
    """A URI template split once into literals and labels."""
    parts = []
    position = 0
    for match in _LABEL.finditer(template):
        name = match.group(1)
        greedy = name.endswith("+")
        parts.append((template[position : match.start()], name.rstrip("+"), greedy))
        position = match.end()
    parts.append((template[position:], "", False))
    return tuple(parts)
