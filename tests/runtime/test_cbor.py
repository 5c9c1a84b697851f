"""The CBOR codec's decoder: RFC 8949's examples, botocore's leniencies, and
malformed input refused with ``CBORDecodeError`` (which botocore refuses too).

Random CBOR (every encoding of every kind botocore reads, then cut short or
with a byte changed) must decode exactly as botocore's own decoder decodes it.
"""

from __future__ import annotations

import datetime
import math
import struct
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from typed_aws_runtime.codecs import cbor

_UTC = datetime.UTC


def botocore_loads(data: bytes) -> Any:
    from botocore.parsers import RpcV2CBORParser

    parser = RpcV2CBORParser()
    return parser.parse_data_item(parser.get_peekable_stream_from_bytes(data))


# RFC 8949, Appendix A (the items botocore reads), and botocore's additions.
EXAMPLES: list[tuple[str, Any]] = [
    ("00", 0),
    ("17", 23),
    ("1818", 24),
    ("1903e8", 1000),
    ("1a000f4240", 1000000),
    ("1b000000e8d4a51000", 1000000000000),
    ("1bffffffffffffffff", 18446744073709551615),
    ("20", -1),
    ("3903e7", -1000),
    ("3bffffffffffffffff", -18446744073709551616),
    ("f90000", 0.0),
    ("f93c00", 1.0),
    ("f97bff", 65504.0),
    ("f90001", 5.960464477539063e-08),
    ("fa47c35000", 100000.0),
    ("fb3ff199999999999a", 1.1),
    ("f97c00", math.inf),
    ("f9fc00", -math.inf),
    ("f4", False),
    ("f5", True),
    ("f6", None),
    ("f7", None),  # undefined, as botocore reads it
    ("40", b""),
    ("4401020304", b"\x01\x02\x03\x04"),
    ("60", ""),
    ("6449455446", "IETF"),
    ("62c3bc", "\u00fc"),
    ("80", []),
    ("83010203", [1, 2, 3]),
    ("8301820203820405", [1, [2, 3], [4, 5]]),
    ("a0", {}),
    ("a201020304", {1: 2, 3: 4}),
    ("a26161016162820203", {"a": 1, "b": [2, 3]}),
    ("5f42010243030405ff", b"\x01\x02\x03\x04\x05"),
    ("7f657374726561646d696e67ff", "streaming"),
    ("9fff", []),
    ("9f018202039f0405ffff", [1, [2, 3], [4, 5]]),
    ("bf61610161629f0203ffff", {"a": 1, "b": [2, 3]}),
    ("bf6346756ef563416d7421ff", {"Fun": True, "Amt": -2}),
    ("c11a514b67b0", datetime.datetime(2013, 3, 21, 20, 4, tzinfo=_UTC)),
    (
        "c1fb41d452d9ec200000",
        datetime.datetime(2013, 3, 21, 20, 4, 0, 500000, tzinfo=_UTC),
    ),
    # botocore reads tag 1 over a boolean as 0 or 1 seconds.
    ("c1f5", datetime.datetime(1970, 1, 1, 0, 0, 1, tzinfo=_UTC)),
    # botocore drops a null (or undefined) map value.
    ("a26161f66162f7", {}),
    # ... and ignores what follows the first item.
    ("0102", 1),
]


@pytest.mark.parametrize("hex_data, expected", EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_decodes_like_rfc_and_botocore(hex_data: str, expected: Any) -> None:
    data = bytes.fromhex(hex_data)
    assert cbor.loads(data) == expected
    assert botocore_loads(data) == expected


def test_nan() -> None:
    for hex_data in ("f97e00", "f97c01", "fa7fc00000", "fb7ff8000000000000"):
        assert math.isnan(cbor.loads(bytes.fromhex(hex_data)))


MALFORMED = [
    "",  # nothing
    "18",  # an argument cut short
    "1901",
    "1a0000",
    "1b00000000",
    "62",  # a string cut short
    "6261",
    "4261",
    "5f41",  # an indefinite string with no break
    "5f4161",
    "82",  # an array cut short
    "9f01",
    "a1",  # a map cut short
    "a16161",
    "bf616101",
    "1c",  # reserved additional information
    "1d",
    "1e",
    "1f",  # indefinite integer
    "3f",
    "ff",  # a break outside an indefinite item
    "f800",  # one-byte simple values
    "f0",  # unassigned simple value
    "fb0000",  # a float cut short
    "c2420100",  # a tag botocore does not know
    "c0",  # a tag with no item
    "c16161",  # tag 1 over text
    "c1fb7ff0000000000000",  # tag 1 over infinity
    "c1fb7ff8000000000000",  # tag 1 over NaN
    "c11bffffffffffffffff",  # tag 1 out of datetime's range
    "62fffe",  # not UTF-8
    "a18001",  # an unhashable key
]


@pytest.mark.parametrize("hex_data", MALFORMED, ids=[h or "empty" for h in MALFORMED])
def test_refuses_malformed_input(hex_data: str) -> None:
    data = bytes.fromhex(hex_data)
    with pytest.raises(cbor.CBORDecodeError):
        cbor.loads(data)
    with pytest.raises(Exception):  # noqa: B017 - botocore refuses it too
        botocore_loads(data)


def test_refuses_deep_nesting() -> None:
    with pytest.raises(cbor.CBORDecodeError):
        cbor.loads(b"\x81" * 100_000 + b"\x00")


# -- random CBOR, decoded by both ----------------------------------------------------


def _head(major: int, n: int, width: int) -> bytes:
    """An initial byte and argument, in the fewest bytes or wider."""
    sizes = [(24, 0, ""), (0x100, 24, ">B"), (0x10000, 25, ">H")]
    sizes += [(0x100000000, 26, ">I"), (2**64, 27, ">Q")]
    for i, (limit, info, fmt) in enumerate(sizes):
        if n < limit and i >= width:
            if not fmt:
                return bytes([major << 5 | n])
            return bytes([major << 5 | info]) + struct.pack(fmt, n)
    raise AssertionError(n)


widths = st.integers(0, 2)


def _string(major: int) -> st.SearchStrategy[bytes]:
    def encode(payload: bytes, width: int, chunks: list[int] | None) -> bytes:
        if chunks is None:
            return _head(major, len(payload), width) + payload
        out = bytes([major << 5 | 31])
        start = 0
        for size in chunks:
            part = payload[start : start + size]
            start += size
            out += _head(major, len(part), width) + part
        rest = payload[start:]
        return out + _head(major, len(rest), 0) + rest + b"\xff"

    payload = (
        st.text(max_size=12).map(str.encode) if major == 3 else st.binary(max_size=12)
    )
    return st.builds(encode, payload, widths, st.none() | st.lists(st.integers(0, 4)))


scalars = st.one_of(
    st.builds(lambda n, w: _head(0, n, w), st.integers(0, 2**64 - 1), widths),
    st.builds(lambda n, w: _head(1, n, w), st.integers(0, 2**64 - 1), widths),
    _string(2),
    _string(3),
    st.floats(width=16).map(lambda f: b"\xf9" + struct.pack(">e", f)),
    st.floats(width=32).map(lambda f: b"\xfa" + struct.pack(">f", f)),
    st.floats().map(lambda f: b"\xfb" + struct.pack(">d", f)),
    st.sampled_from([b"\xf4", b"\xf5", b"\xf6", b"\xf7"]),
    st.builds(lambda n, w: b"\xc1" + _head(0, n, w), st.integers(0, 2**32), widths),
    st.floats(0, 2**32).map(lambda f: b"\xc1\xfb" + struct.pack(">d", f)),
)


def _containers(items: st.SearchStrategy[bytes]) -> st.SearchStrategy[bytes]:
    def array(parts: list[bytes], width: int, indefinite: bool) -> bytes:
        if indefinite:
            return b"\x9f" + b"".join(parts) + b"\xff"
        return _head(4, len(parts), width) + b"".join(parts)

    def mapping(
        pairs: list[tuple[bytes, bytes]], width: int, indefinite: bool
    ) -> bytes:
        body = b"".join(k + v for k, v in pairs)
        if indefinite:
            return b"\xbf" + body + b"\xff"
        return _head(5, len(pairs), width) + body

    keys = st.one_of(
        _string(3), st.builds(lambda n: _head(0, n, 0), st.integers(0, 99))
    )
    return st.one_of(
        st.builds(array, st.lists(items, max_size=4), widths, st.booleans()),
        st.builds(
            mapping, st.lists(st.tuples(keys, items), max_size=4), widths, st.booleans()
        ),
    )


items = st.recursive(scalars, _containers, max_leaves=12)


def _mangle(data: bytes, cut: int | None, flip: tuple[int, int] | None) -> bytes:
    if cut is not None:
        data = data[: cut % (len(data) + 1)]
    if flip is not None and data:
        at, byte = flip
        data = data[: at % len(data)] + bytes([byte]) + data[at % len(data) + 1 :]
    return data


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def _check(data: bytes) -> None:
    try:
        expected = botocore_loads(data)
    except Exception:
        try:
            cbor.loads(data)
        except cbor.CBORDecodeError:
            pass  # refused by both (or botocore alone, which only fails)
        return
    actual = cbor.loads(data)
    if isinstance(expected, datetime.datetime):
        assert actual == expected
    else:
        assert _same(actual, expected)


@settings(max_examples=200, deadline=None)
@given(items)
def test_random_cbor_decodes_as_botocore_decodes_it(data: bytes) -> None:
    _check(data)


@settings(max_examples=200, deadline=None)
@given(
    items,
    st.none() | st.integers(0),
    st.none() | st.tuples(st.integers(0), st.integers(0, 255)),
)
def test_damaged_cbor_is_refused_or_decoded_as_botocore_does(
    data: bytes, cut: int | None, flip: tuple[int, int] | None
) -> None:
    _check(_mangle(data, cut, flip))


@pytest.mark.slow
@settings(max_examples=5000, deadline=None)
@given(
    items,
    st.none() | st.integers(0),
    st.none() | st.tuples(st.integers(0), st.integers(0, 255)),
)
def test_damaged_cbor_slow(
    data: bytes, cut: int | None, flip: tuple[int, int] | None
) -> None:
    _check(_mangle(data, cut, flip))


# -- encoding scalars ----------------------------------------------------------------


def _encode(kind: str, value: Any) -> bytes:
    from typed_aws_runtime.schema import Shape

    return cbor.dumps(Shape(kind, {"type": kind}), value)


@pytest.mark.parametrize(
    "kind, value, hex_data",
    [
        ("integer", 0, "00"),
        ("integer", 23, "17"),
        ("integer", 24, "1818"),
        ("long", 2**64 - 1, "1bffffffffffffffff"),
        ("long", -(2**64), "3bffffffffffffffff"),
        ("integer", -1000, "3903e7"),
        ("float", 7.625, "fa40f40000"),
        ("float", 1e300, "fb7e37e43c8800759c"),  # beyond single precision
        ("double", 1.5, "fb3ff8000000000000"),
        ("double", math.inf, "f97c00"),
        ("float", -math.inf, "f9fc00"),
        ("double", math.nan, "f97e00"),
        ("boolean", True, "f5"),
        ("string", "IETF", "6449455446"),
        ("string", "x" * 24, "7818" + "78" * 24),
        ("blob", b"\x01\x02", "420102"),
        ("blob", "ab", "426162"),
        ("timestamp", datetime.datetime(2013, 3, 21, 20, 4), "c11a514b67b0"),
        (
            "timestamp",
            datetime.datetime(2013, 3, 21, 20, 4, 0, 500000, tzinfo=_UTC),
            "c1fb41d452d9ec200000",
        ),
    ],
)
def test_encodes_scalars(kind: str, value: Any, hex_data: str) -> None:
    assert _encode(kind, value).hex() == hex_data


def test_blob_from_a_file() -> None:
    import io

    assert _encode("blob", io.BytesIO(b"abc")) == b"\x43abc"


def test_integer_beyond_64_bits_is_a_validation_error() -> None:
    from typed_aws_runtime.errors import ParamValidationError

    with pytest.raises(ParamValidationError):
        _encode("long", 2**64)


@pytest.mark.parametrize("width", [0, 1, 2, 3])
def test_every_length_in_every_head_width(width: int) -> None:
    """31 in a one-byte argument is a length, not "indefinite"."""
    for n in range(0, 70):
        if n >= 24 or width > 0:
            head_width = max(width, 1)
        else:
            head_width = 0
        cases = [
            (_head(4, n, head_width) + b"\x01" * n, [1] * n),
            (
                _head(5, n, head_width)
                + b"".join(_head(3, 3, 0) + b"k%02d" % i + b"\xf5" for i in range(n)),
                {f"k{i:02d}": True for i in range(n)},
            ),
            (_head(3, n, head_width) + b"a" * n, "a" * n),
            (_head(2, n, head_width) + b"a" * n, b"a" * n),
        ]
        for data, expected in cases:
            assert cbor.loads(data) == expected == botocore_loads(data), (n, width)
