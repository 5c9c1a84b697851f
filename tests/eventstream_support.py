"""Event-stream frames for tests, written by our encoder
(``typed_aws_runtime.eventstream.encode_message``), which
``tests/runtime/test_eventstream_framing.py`` checks against botocore's
decoder."""

from __future__ import annotations

import json
from typing import Any

from typed_aws_runtime.eventstream import encode_message

JSON = "application/json"


def event(
    kind: str, payload: bytes = b"", content_type: str = JSON, **headers: Any
) -> bytes:
    """An ``event`` message of type ``kind``."""
    return encode_message(
        {
            ":message-type": "event",
            ":event-type": kind,
            ":content-type": content_type,
            **headers,
        },
        payload,
    )


def json_event(kind: str, body: Any) -> bytes:
    return event(kind, json.dumps(body).encode())


def exception(kind: str, body: Any, content_type: str = JSON) -> bytes:
    """A modelled error (``:message-type: exception``)."""
    payload = body if isinstance(body, bytes) else json.dumps(body).encode()
    return encode_message(
        {
            ":message-type": "exception",
            ":exception-type": kind,
            ":content-type": content_type,
        },
        payload,
    )


def error(code: str, message: str) -> bytes:
    """An unmodelled error (``:message-type: error``)."""
    return encode_message(
        {":message-type": "error", ":error-code": code, ":error-message": message}
    )


def broken_crc(frame: bytes) -> bytes:
    """``frame`` with its last payload byte changed: the message CRC fails."""
    data = bytearray(frame)
    data[-5] ^= 0x55
    return bytes(data)
