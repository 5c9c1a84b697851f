"""The framing of ``application/vnd.amazon.eventstream``: messages, and
nothing about what they mean.

A message is ``total length (4) | headers length (4) | prelude CRC (4) |
headers | payload | message CRC (4)``, integers big-endian; the prelude CRC
covers the first 8 bytes, the message CRC everything before it (CRC-32,
as zlib computes it). A header is ``name length (1) | name | type (1) |
value``. :class:`MessageDecoder` reads them from bytes fed in any pieces (it
does no I/O, so a synchronous and an asynchronous stream share it), as
botocore's ``EventStreamBuffer`` reads them, with its limits; header values
come back as botocore gives them (a timestamp as its integer milliseconds, a
UUID as its 16 bytes). :func:`encode_message` writes one message.
"""

from __future__ import annotations

import datetime
import struct
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, TypeAlias
from zlib import crc32

from typed_aws_runtime.errors import FrameError

if TYPE_CHECKING:
    import uuid

# A header value as decoded; what encode_message also takes (bool, int as a
# long, str, bytes, datetime as a timestamp, UUID), or a TypedHeader.
HeaderValue: TypeAlias = bool | int | str | bytes

_PRELUDE = struct.Struct("!III")
_PRELUDE_LENGTH = 12
# botocore's limits (_MAX_HEADERS_LENGTH, _MAX_PAYLOAD_LENGTH).
MAX_HEADERS_LENGTH = 128 * 1024
MAX_PAYLOAD_LENGTH = 16 * 1024**2
# Header value types.
TRUE, FALSE, BYTE, SHORT, INTEGER, LONG, BYTES, STRING, TIMESTAMP, UUID = range(10)
_FIXED = {
    BYTE: struct.Struct("!b"),
    SHORT: struct.Struct("!h"),
    INTEGER: struct.Struct("!i"),
    LONG: struct.Struct("!q"),
    TIMESTAMP: struct.Struct("!q"),
}
_U16 = struct.Struct("!H")
_U32 = struct.Struct("!I")


class Message:
    """One message: its headers (name -> value) and its payload."""

    __slots__ = ("headers", "payload")

    def __init__(self, headers: dict[str, HeaderValue], payload: bytes) -> None:
        self.headers = headers
        self.payload = payload

    def __repr__(self) -> str:
        return f"Message(headers={self.headers!r}, payload={len(self.payload)} bytes)"


class MessageDecoder:
    """Messages from bytes fed in pieces of any size.

    ``feed`` adds bytes; iterating gives every complete message fed so far
    (and stops when the next one is incomplete); ``pending`` says whether
    part of a message is still waiting for its remaining bytes.
    """

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> None:
        self._buffer += data

    @property
    def pending(self) -> bool:
        return bool(self._buffer)

    def __iter__(self) -> Iterator[Message]:
        while True:
            message = self.next_message()
            if message is None:
                return
            yield message

    def next_message(self) -> Message | None:
        """The next complete message, or None until more bytes are fed."""
        buffer = self._buffer
        if len(buffer) < _PRELUDE_LENGTH:
            return None
        total, headers_length, prelude_crc = _PRELUDE.unpack_from(buffer)
        _check_crc(buffer[:8], prelude_crc, 0, "prelude")
        if headers_length > MAX_HEADERS_LENGTH:
            raise FrameError(f"headers of {headers_length} bytes (at most 128 KiB)")
        payload_length = total - headers_length - _PRELUDE_LENGTH - 4
        if payload_length > MAX_PAYLOAD_LENGTH:
            raise FrameError(f"a payload of {payload_length} bytes (at most 16 MiB)")
        if payload_length < 0:
            raise FrameError(
                f"a message of {total} bytes cannot hold {headers_length} "
                "bytes of headers"
            )
        if len(buffer) < total:
            return None
        (message_crc,) = _U32.unpack_from(buffer, total - 4)
        _check_crc(buffer[8 : total - 4], message_crc, prelude_crc, "message")
        headers_end = _PRELUDE_LENGTH + headers_length
        headers = _decode_headers(bytes(buffer[_PRELUDE_LENGTH:headers_end]))
        payload = bytes(buffer[headers_end : total - 4])
        del buffer[:total]
        return Message(headers, payload)


def _check_crc(data: bytes | bytearray, expected: int, start: int, part: str) -> None:
    computed = crc32(data, start) & 0xFFFFFFFF
    if computed != expected:
        raise FrameError(
            f"the {part} CRC does not match (expected {expected:#010x}, "
            f"computed {computed:#010x})"
        )


def _decode_headers(data: bytes) -> dict[str, HeaderValue]:
    headers: dict[str, HeaderValue] = {}
    i, end = 0, len(data)
    try:
        while i < end:
            size = data[i]
            name = data[i + 1 : i + 1 + size].decode("utf-8")
            i += 1 + size
            kind = data[i]
            i += 1
            value: HeaderValue
            if kind == TRUE:
                value = True
            elif kind == FALSE:
                value = False
            elif kind in _FIXED:
                fixed = _FIXED[kind]
                (value,) = fixed.unpack_from(data, i)
                i += fixed.size
            elif kind in (BYTES, STRING):
                (length,) = _U16.unpack_from(data, i)
                raw = data[i + 2 : i + 2 + length]
                if len(raw) != length:
                    raise FrameError("a header value runs past the headers")
                i += 2 + length
                value = raw.decode("utf-8") if kind == STRING else raw
            elif kind == UUID:
                value = data[i : i + 16]
                if len(value) != 16:
                    raise FrameError("a header value runs past the headers")
                i += 16
            else:
                raise FrameError(f"header {name!r} has unknown type {kind}")
            if i > end:
                raise FrameError("a header runs past the headers")
            if name in headers:
                raise FrameError(f"duplicate header {name!r}")
            headers[name] = value
    except (IndexError, struct.error) as exc:
        raise FrameError(f"truncated headers ({exc})") from None
    except UnicodeDecodeError as exc:
        raise FrameError(f"a header is not UTF-8 ({exc})") from None
    return headers


# -- encoding ----------------------------------------------------------------------


class TypedHeader:
    """A header value with an explicit type (``BYTE``, ``SHORT``, ``INTEGER``,
    ``LONG``, ``TIMESTAMP`` in milliseconds, ``UUID``...)."""

    __slots__ = ("kind", "value")

    def __init__(self, kind: int, value: HeaderValue) -> None:
        self.kind = kind
        self.value = value


def encode_message(
    headers: Mapping[str, HeaderValue | datetime.datetime | uuid.UUID | TypedHeader],
    payload: bytes = b"",
) -> bytes:
    """One message. Values are typed by their Python type (bool, int as a
    long, str, bytes, datetime as a timestamp, UUID) unless a
    :class:`TypedHeader` says otherwise."""
    encoded = b"".join(_header(name, value) for name, value in headers.items())
    total = _PRELUDE_LENGTH + len(encoded) + len(payload) + 4
    head = struct.pack("!II", total, len(encoded))
    prelude_crc = crc32(head) & 0xFFFFFFFF
    message = head + _U32.pack(prelude_crc) + encoded + payload
    return message + _U32.pack(crc32(message[8:], prelude_crc) & 0xFFFFFFFF)


def _header(
    name: str, value: HeaderValue | datetime.datetime | uuid.UUID | TypedHeader
) -> bytes:
    import uuid  # only encoding needs it (a cold start reads, never writes)

    raw_name = name.encode("utf-8")
    if len(raw_name) > 255:
        raise ValueError(f"header name {name[:40]!r}... is longer than 255 bytes")
    start = bytes([len(raw_name)]) + raw_name
    kind: int
    if isinstance(value, TypedHeader):
        kind, inner = value.kind, value.value
    elif isinstance(value, bool):
        kind, inner = (TRUE if value else FALSE), value
    elif isinstance(value, int):
        kind, inner = LONG, value
    elif isinstance(value, str):
        kind, inner = STRING, value
    elif isinstance(value, bytes):
        kind, inner = BYTES, value
    elif isinstance(value, datetime.datetime):
        kind, inner = TIMESTAMP, round(value.timestamp() * 1000)
    elif isinstance(value, uuid.UUID):
        kind, inner = UUID, value.bytes
    else:
        raise TypeError(f"header {name!r}: cannot encode {type(value).__name__}")
    if kind in (TRUE, FALSE):
        return start + bytes([kind])
    if kind in _FIXED:
        return start + bytes([kind]) + _FIXED[kind].pack(inner)
    if kind in (BYTES, STRING):
        if not isinstance(inner, (str, bytes)):
            raise ValueError(f"header {name!r}: {type(inner).__name__} as type {kind}")
        data = inner.encode("utf-8") if isinstance(inner, str) else inner
        if len(data) > 0xFFFF:
            raise ValueError(f"header {name!r}: a value longer than 65535 bytes")
        return start + bytes([kind]) + _U16.pack(len(data)) + data
    if kind == UUID and isinstance(inner, bytes) and len(inner) == 16:
        return start + bytes([kind]) + inner
    raise ValueError(f"header {name!r}: cannot encode {inner!r} as type {kind}")
