"""Streaming response bodies."""

from __future__ import annotations

import io
from collections.abc import Iterator
from types import TracebackType
from typing import BinaryIO


class StreamingBody:
    """A binary response body read incrementally; close it (or use ``with``)."""

    def __init__(self, raw: BinaryIO | bytes) -> None:
        self._raw: BinaryIO = io.BytesIO(raw) if isinstance(raw, bytes) else raw

    def read(self, amt: int | None = None) -> bytes:
        return self._raw.read() if amt is None else self._raw.read(amt)

    def iter_chunks(self, chunk_size: int = 65536) -> Iterator[bytes]:
        while chunk := self._raw.read(chunk_size):
            yield chunk

    def __iter__(self) -> Iterator[bytes]:
        return self.iter_chunks()

    def close(self) -> None:
        self._raw.close()

    def __enter__(self) -> StreamingBody:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return "StreamingBody()"
