"""Streaming response bodies: :class:`StreamingBody` (blocking client) and
:class:`AsyncStreamingBody` (asynchronous client, ``await body.read()``).

The protocols wrap a streaming payload with :func:`streaming_body`, which
picks the kind from what the transport gave: an :class:`AsyncRawStream`
(the asynchronous transport's) or a binary file. Output shapes are shared by
both clients and annotate the member ``StreamingBody``; on the asynchronous
client :func:`as_async_body` gives it its real type for a type checker.
This is also the seam for asynchronous event streams: an event-stream
payload would be decoded from the same :class:`AsyncRawStream`.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Iterator
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


class AsyncRawStream:
    """What an asynchronous transport gives as a streaming body."""

    async def read(self, amt: int | None = None) -> bytes:
        """Up to ``amt`` bytes (everything left when None); b"" at the end."""
        raise NotImplementedError

    def close(self) -> None:
        """Give the connection up (back to the pool once fully read)."""
        raise NotImplementedError


class BytesStream(AsyncRawStream):
    """Bytes already received, read as an asynchronous stream."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    async def read(self, amt: int | None = None) -> bytes:
        return self._data.read() if amt is None else self._data.read(amt)

    def close(self) -> None:
        self._data.close()


class AsyncStreamingBody:
    """A binary response body of the asynchronous client, read with
    ``await body.read()``; close it (or ``async with`` it) to give the
    connection back."""

    def __init__(self, raw: AsyncRawStream | bytes) -> None:
        self._raw = BytesStream(raw) if isinstance(raw, bytes) else raw

    async def read(self, amt: int | None = None) -> bytes:
        return await self._raw.read(amt)

    async def iter_chunks(self, chunk_size: int = 65536) -> AsyncIterator[bytes]:
        while chunk := await self._raw.read(chunk_size):
            yield chunk

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self.iter_chunks()

    def close(self) -> None:
        self._raw.close()

    async def __aenter__(self) -> AsyncStreamingBody:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return "AsyncStreamingBody()"


def streaming_body(raw: object) -> StreamingBody | AsyncStreamingBody:
    """The body object for a streaming payload, by what the transport gave."""
    if isinstance(raw, AsyncRawStream):
        return AsyncStreamingBody(raw)
    return StreamingBody(raw)  # type: ignore[arg-type]


def as_async_body(body: object) -> AsyncStreamingBody:
    """A streaming member of an asynchronous client's output, typed as what
    it is (output shapes annotate it ``StreamingBody``, for both clients)."""
    if not isinstance(body, AsyncStreamingBody):
        raise TypeError(f"not a body of the asynchronous client: {type(body).__name__}")
    return body
