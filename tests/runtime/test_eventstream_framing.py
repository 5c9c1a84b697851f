"""The event-stream framing (runtime/eventstream.py) against botocore's.

botocore's ``EventStreamBuffer`` is the oracle: what our encoder writes it
reads back as written, and what our decoder reads from any bytes (split into
any pieces) is what botocore reads from them; a broken CRC, either of them,
is refused by both.
"""

from __future__ import annotations

import datetime
import struct
import uuid
from typing import Any

import pytest
from botocore import eventstream as botocore_eventstream
from hypothesis import given, settings
from hypothesis import strategies as st

from typed_aws_runtime.errors import FrameError
from typed_aws_runtime.eventstream import (
    BYTE,
    INTEGER,
    SHORT,
    TIMESTAMP,
    MessageDecoder,
    TypedHeader,
    encode_message,
)

_names = st.text(min_size=1, max_size=20).filter(lambda n: len(n.encode()) < 256)
_values = st.one_of(
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.text(max_size=40),
    st.binary(max_size=40),
    st.uuids(),
    st.builds(TypedHeader, st.just(BYTE), st.integers(-128, 127)),
    st.builds(TypedHeader, st.just(SHORT), st.integers(-(2**15), 2**15 - 1)),
    st.builds(TypedHeader, st.just(INTEGER), st.integers(-(2**31), 2**31 - 1)),
    st.builds(TypedHeader, st.just(TIMESTAMP), st.integers(0, 2**50)),
)
_messages = st.tuples(
    st.dictionaries(_names, _values, max_size=5), st.binary(max_size=300)
)


def _expected(value: Any) -> Any:
    """A header value as botocore's decoder gives it back."""
    if isinstance(value, TypedHeader):
        return value.value
    if isinstance(value, uuid.UUID):
        return value.bytes
    return value


def _botocore(data: bytes, pieces: list[int] | None = None) -> list[Any]:
    buffer = botocore_eventstream.EventStreamBuffer()
    out = []
    cuts = sorted(set(pieces or [])) + [len(data)]
    start = 0
    for cut in cuts:
        buffer.add_data(data[start:cut])
        start = cut
        out.extend((m.headers, m.payload) for m in buffer)
    return out


def _ours(data: bytes, pieces: list[int] | None = None) -> list[Any]:
    decoder = MessageDecoder()
    out = []
    cuts = sorted(set(pieces or [])) + [len(data)]
    start = 0
    for cut in cuts:
        decoder.feed(data[start:cut])
        start = cut
        out.extend((m.headers, m.payload) for m in decoder)
    assert not decoder.pending
    return out


@settings(max_examples=40, deadline=None)
@given(st.lists(_messages, max_size=4), st.lists(st.integers(0, 2000), max_size=6))
def test_encoder_output_reads_back_through_botocore_and_ours(
    messages: list[tuple[dict[str, Any], bytes]], pieces: list[int]
) -> None:
    data = b"".join(encode_message(h, p) for h, p in messages)
    expected = [({k: _expected(v) for k, v in h.items()}, p) for h, p in messages]
    assert _botocore(data) == expected
    assert _ours(data, pieces) == expected


def test_a_datetime_header_is_a_timestamp_in_milliseconds() -> None:
    moment = datetime.datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=datetime.UTC)
    data = encode_message({"at": moment})
    assert _botocore(data) == [({"at": 1714979289123}, b"")]
    assert data[15] == TIMESTAMP  # after the prelude, name length and name


def test_the_all_header_types_vector_of_botocore_s_tests() -> None:
    # Reference data: botocore's unit tests' ``ALL_HEADERS_TYPES`` frame,
    # every header type once, with the values its decoder gives.
    data = (
        b"\x00\x00\x00\x62\x00\x00\x00\x52\x03\xb5\xcb\x9c"
        b"\x010\x00\x011\x01\x012\x02\x02\x013\x03\x00\x03"
        b"\x014\x04\x00\x00\x00\x04\x015\x05\x00\x00\x00\x00\x00\x00\x00\x05"
        b"\x016\x06\x00\x05bytes\x017\x07\x00\x04utf8"
        b"\x018\x08\x00\x00\x00\x00\x00\x00\x00\x08\x019\x090123456789abcdef"
        b"\x63\x35\x36\x71"
    )
    headers = {
        "0": True,
        "1": False,
        "2": 0x02,
        "3": 0x03,
        "4": 0x04,
        "5": 0x05,
        "6": b"bytes",
        "7": "utf8",
        "8": 0x08,
        "9": b"0123456789abcdef",
    }
    assert _botocore(data) == _ours(data) == [(headers, b"")]
    typed = {
        "0": True,
        "1": False,
        "2": TypedHeader(BYTE, 2),
        "3": TypedHeader(SHORT, 3),
        "4": TypedHeader(INTEGER, 4),
        "5": 5,
        "6": b"bytes",
        "7": "utf8",
        "8": TypedHeader(TIMESTAMP, 8),
        "9": uuid.UUID(bytes=b"0123456789abcdef"),
    }
    assert encode_message(typed) == data


@settings(max_examples=30, deadline=None)
@given(_messages, st.data())
def test_a_flipped_bit_anywhere_is_refused_as_botocore_refuses_it(
    message: tuple[dict[str, Any], bytes], data: st.DataObject
) -> None:
    frame = bytearray(encode_message(*message))
    index = data.draw(st.integers(0, len(frame) - 1))
    frame[index] ^= 1 << data.draw(st.integers(0, 7))
    broken = bytes(frame)
    try:
        botocore_result: Any = _botocore(broken)
    except botocore_eventstream.ParserError:
        botocore_result = "refused"
    try:
        ours: Any = _ours_lenient(broken)
    except FrameError:
        ours = "refused"
    if botocore_result != "refused":
        # A flip in the length fields can make both wait for more bytes.
        assert botocore_result == ours == []
    else:
        assert ours == "refused"


def _ours_lenient(data: bytes) -> list[Any]:
    decoder = MessageDecoder()
    decoder.feed(data)
    return [(m.headers, m.payload) for m in decoder]


@pytest.mark.parametrize("where", ["prelude", "message"])
def test_each_crc_is_checked(where: str) -> None:
    frame = bytearray(encode_message({":event-type": "x"}, b"{}"))
    index = 8 if where == "prelude" else len(frame) - 1
    frame[index] ^= 0xFF
    decoder = MessageDecoder()
    decoder.feed(bytes(frame))
    with pytest.raises(FrameError, match=f"the {where} CRC does not match"):
        decoder.next_message()
    with pytest.raises(botocore_eventstream.ChecksumMismatch):
        _botocore(bytes(frame))


def test_limits_are_botocore_s() -> None:
    too_long = struct.pack("!II", 16 + 128 * 1024 + 1, 128 * 1024 + 1)
    import zlib

    frame = too_long + struct.pack("!I", zlib.crc32(too_long))
    decoder = MessageDecoder()
    decoder.feed(frame)
    with pytest.raises(FrameError, match="headers of"):
        decoder.next_message()
    with pytest.raises(botocore_eventstream.InvalidHeadersLength):
        _botocore(frame)
