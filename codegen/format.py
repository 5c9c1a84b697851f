"""black, applied one class or one method at a time.

black costs about a millisecond a line and more on long files, so formatting
whole modules makes a one-line model change re-format ten thousand lines.
Templates mark where each top-level statement or method starts with a
``CHUNK`` line; each chunk is formatted on its own (at its depth's line
length), cached by its text, and the chunks are joined with the blank lines
black itself puts between them. The result is what black gives for the whole
file (a test checks this on the generated packages), so ``black --check``
passes on the output.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

LINE_LENGTH = 88
INDENT = "    "
# A line no rendered model text can contain: literals escape control characters.
MARK = "\x00chunk"
CHUNK = MARK + "0\n"
METHOD = MARK + "1\n"

Chunk = tuple[int, str]  # (depth, source dedented to depth 0)


def split(source: str) -> list[Chunk]:
    """The chunks of a rendered module; text before the first mark is depth 0."""
    chunks: list[Chunk] = []
    depth, lines = 0, list[str]()
    for line in source.splitlines(keepends=True):
        if line.startswith(MARK):
            chunks.append((depth, "".join(lines)))
            depth, lines = int(line[len(MARK) :]), list[str]()
        else:
            lines.append(line)
    chunks.append((depth, "".join(lines)))
    return [(d, _dedent(text, d)) for d, text in chunks if text.strip()]


def strip_marks(source: str) -> str:
    return "".join(
        line for line in source.splitlines(keepends=True) if not line.startswith(MARK)
    )


def _dedent(text: str, depth: int) -> str:
    prefix = INDENT * depth
    out = []
    for line in text.splitlines(keepends=True):
        out.append(line[len(prefix) :] if line.startswith(prefix) else line.lstrip(" "))
    return "".join(out)


def _indent(text: str, depth: int) -> str:
    prefix = INDENT * depth
    return "".join(
        prefix + line if line.strip() else line
        for line in text.splitlines(keepends=True)
    )


def format_chunk(chunk: Chunk) -> str:
    import black
    from black.mode import Mode, TargetVersion

    depth, text = chunk
    mode = Mode(
        line_length=LINE_LENGTH - len(INDENT) * depth,
        target_versions={TargetVersion.PY311},
    )
    return _indent(black.format_str(text, mode=mode), depth)


def join(chunks: list[tuple[int, str]]) -> str:
    """Formatted chunks with black's blank lines: two between top-level
    statements, one between methods."""
    out = ""
    for depth, text in chunks:
        if out:
            out += "\n" if depth else "\n\n"
        out += text
    return out


class Formatter:
    """Formats modules chunk by chunk, from a cache on disk where it can."""

    def __init__(self, cache: Path, jobs: int | None = None) -> None:
        self.cache = cache
        self.jobs = jobs or os.cpu_count() or 1

    def format_modules(self, sources: dict[str, str]) -> dict[str, str]:
        split_sources = {path: split(text) for path, text in sources.items()}
        unique = {c for chunks in split_sources.values() for c in chunks}
        done = self._format(unique)
        return {
            path: join([(d, done[(d, t)]) for d, t in chunks])
            for path, chunks in split_sources.items()
        }

    def _format(self, chunks: Iterable[Chunk]) -> dict[Chunk, str]:
        done: dict[Chunk, str] = {}
        todo: list[Chunk] = []
        for chunk in chunks:
            cached = self._path(chunk)
            if cached.is_file():
                done[chunk] = cached.read_text(encoding="utf-8")
            else:
                todo.append(chunk)
        for chunk, text in zip(todo, self._run(todo), strict=True):
            done[chunk] = text
            self._store(chunk, text)
        return done

    def _run(self, todo: list[Chunk]) -> list[str]:
        workers = min(self.jobs, max(1, len(todo) // 20))
        if workers <= 1:
            return [format_chunk(c) for c in todo]
        import multiprocessing

        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            return list(pool.map(format_chunk, todo, chunksize=16))

    def _path(self, chunk: Chunk) -> Path:
        depth, text = chunk
        digest = hashlib.sha256(f"{depth}\n{text}".encode()).hexdigest()
        return self.cache / digest[:2] / digest[2:]

    def _store(self, chunk: Chunk, text: str) -> None:
        target = self._path(chunk)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, target)
        except OSError:
            pass  # a cache that cannot be written only costs time
