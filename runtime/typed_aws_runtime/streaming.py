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
from typing import Any, BinaryIO


class StreamingBody(io.RawIOBase):
    """A binary response body read incrementally, as botocore's
    ``StreamingBody``: ``read(n)``, ``readinto``, iteration in chunks
    (``iter_chunks``, ``iter_lines``), ``tell``; close it (or use ``with``)
    to give the connection back. A body left half-read closes its connection
    rather than returning it to the pool. A body shorter than its
    ``Content-Length`` raises the transport's ``ConnectionClosedError``.
    """

    def __init__(self, raw: BinaryIO | bytes) -> None:
        super().__init__()
        self._raw: BinaryIO = io.BytesIO(raw) if isinstance(raw, bytes) else raw
        self._amount_read = 0

    def readable(self) -> bool:
        return True

    def read(self, amt: int | None = None) -> bytes:
        """Up to ``amt`` bytes; everything left when ``amt`` is None or
        negative; b"" at the end."""
        data = self._raw.read() if amt is None or amt < 0 else self._raw.read(amt)
        self._amount_read += len(data)
        return data

    def readall(self) -> bytes:
        return self.read()

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        data = self.read(len(view))
        view[: len(data)] = data
        return len(data)

    def tell(self) -> int:
        """Bytes read so far (botocore's ``tell``)."""
        return self._amount_read

    def iter_chunks(self, chunk_size: int = 1024) -> Iterator[bytes]:
        """The body in pieces of at most ``chunk_size`` bytes (botocore's
        default size)."""
        while chunk := self.read(chunk_size):
            yield chunk

    def iter_lines(
        self, chunk_size: int = 1024, keepends: bool = False
    ) -> Iterator[bytes]:
        """The body line by line, as botocore's ``iter_lines``."""
        pending = b""
        for chunk in self.iter_chunks(chunk_size):
            lines = (pending + chunk).splitlines(True)
            for line in lines[:-1]:
                yield line.splitlines(keepends)[0]
            pending = lines[-1]
        if pending:
            yield pending.splitlines(keepends)[0]

    def __iter__(self) -> Iterator[bytes]:
        return self.iter_chunks()

    def __next__(self) -> bytes:
        chunk = self.read(1024)
        if chunk:
            return chunk
        raise StopIteration

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()

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
