"""Errors the generator reports for bad input (exit status 2)."""

from __future__ import annotations

from collections.abc import Sequence


def json_path(parts: Sequence[str | int]) -> str:
    """Render a JSON path such as ``$.shapes.Foo.members.bar``."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.isidentifier():
            out += f".{part}"
        else:
            out += f"[{part!r}]"
    return out


class ModelError(Exception):
    """A model file the generator cannot use, located by file and JSON path."""

    def __init__(self, file: str, path: Sequence[str | int], message: str) -> None:
        self.file = file
        self.path = json_path(path)
        # One line, always (a wrapped library's message may hold several).
        self.message = " ".join(message.split())
        super().__init__(f"{file}: {self.path}: {self.message}")
