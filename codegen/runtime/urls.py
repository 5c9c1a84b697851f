"""URL path handling shared by the signer and the endpoint rules."""

from __future__ import annotations


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
