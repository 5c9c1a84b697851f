"""The CBOR codec (RFC 8949): typed values to CBOR bytes and back, per shape.

Encoding is botocore's ``CBORSerializer``, shape by shape: definite lengths,
the shortest integer heads, ``float`` as single and ``double`` as double
precision, NaN and the infinities as half-precision floats, blobs as byte
strings, timestamps as tag 1 over epoch seconds (an integer when whole, as
botocore writes them; a double keeping the fraction of a second botocore
drops). Each shape's encoder is
compiled once into a closure that appends to a ``bytearray``; a structure's
member keys are encoded once, at compile time.

Decoding is in two steps, as for JSON: :func:`loads` turns bytes into plain
values, accepting everything botocore's ``BaseCBORParser`` accepts
(indefinite lengths, half and single floats, ``undefined``, tag 1 as a
UTC datetime; a null map value is dropped) and refusing malformed input with
:class:`CBORDecodeError`; then a shape's compiled decoder turns those values
into typed ones (structure classes, enums).

Hand-written rather than ``cbor2`` (no dependency): the encoder has to be
shape-directed anyway (botocore picks the float width and the timestamp form
from the shape, which a generic encoder cannot know), and botocore's decoding
rules (a null map value dropped, ``undefined`` as null, any tag but 1
refused) are the decoder's own. Measured on CloudWatch's model spoken as
rpc-v2-cbor (median of 7 runs): an 8.5 kB GetMetricData response decodes to
typed values in about 0.5 ms (``cbor2``'s C decoder plus the same typed pass:
0.2 ms; botocore: 6.5 ms), a 20 kB PutMetricData input encodes in 0.36 ms
(botocore: 2.5 ms); a whole call is 12-15x faster than botocore's.
"""

from __future__ import annotations

import datetime
import struct
from collections.abc import Callable, Mapping
from typing import Any

from typed_aws_runtime import wire
from typed_aws_runtime.codecs.checks import enum_decoder, wrong_type
from typed_aws_runtime.codecs.json import unknown_union_member
from typed_aws_runtime.errors import ParamValidationError
from typed_aws_runtime.schema import (
    CompiledCache,
    ListShape,
    MapShape,
    Member,
    Shape,
    StructureShape,
)
from typed_aws_runtime.structure import build

Encoder = Callable[[bytearray, Any], None]
Codec = Callable[[Any], Any]

_ENCODERS: CompiledCache[Encoder] = CompiledCache(lambda shape: _compile_encoder(shape))
_DECODERS: CompiledCache[Codec | None] = CompiledCache(
    lambda shape: _compile_decoder(shape)
)


class CBORDecodeError(ValueError):
    """Bytes that are not the CBOR botocore would parse."""


# -- encoding --------------------------------------------------------------------

_U8 = struct.Struct(">BB").pack
_U16 = struct.Struct(">BH").pack
_U32 = struct.Struct(">BI").pack
_U64 = struct.Struct(">BQ").pack
_FLOAT = struct.Struct(">Bf").pack
_DOUBLE = struct.Struct(">Bd").pack
# botocore writes NaN and the infinities as half-precision floats.
_INF = b"\xf9\x7c\x00"
_NEG_INF = b"\xf9\xfc\x00"
_NAN = b"\xf9\x7e\x00"
_NULL = 0xF6


def _head(out: bytearray, major: int, n: int) -> None:
    """The initial byte of major type ``major`` (already shifted) and its
    argument ``n``, in the fewest bytes."""
    if n < 24:
        out.append(major | n)
    elif n < 0x100:
        out += _U8(major | 24, n)
    elif n < 0x10000:
        out += _U16(major | 25, n)
    elif n < 0x100000000:
        out += _U32(major | 26, n)
    elif n < 0x10000000000000000:
        out += _U64(major | 27, n)
    else:
        raise ParamValidationError([f"integer {n} does not fit in 64 bits"])


def head(major: int, n: int) -> bytes:
    out = bytearray()
    _head(out, major << 5, n)
    return bytes(out)


def _string(out: bytearray, value: str) -> None:
    data = value.encode("utf-8")
    n = len(data)
    if n < 24:
        out.append(0x60 | n)
    else:
        _head(out, 0x60, n)
    out += data


def _integer(out: bytearray, value: int) -> None:
    if value >= 0:
        if value < 24:
            out.append(value)
        else:
            _head(out, 0, value)
    else:
        _head(out, 0x20, -1 - value)


def _boolean(out: bytearray, value: bool) -> None:
    out.append(0xF5 if value else 0xF4)


def _special(out: bytearray, value: float) -> None:
    if value != value:
        out += _NAN
    else:
        out += _INF if value > 0 else _NEG_INF


def _double(out: bytearray, value: float) -> None:
    if value - value == 0:  # neither NaN nor infinite
        out += _DOUBLE(0xFB, value)
    else:
        _special(out, value)


def _float(out: bytearray, value: float) -> None:
    if value - value == 0:
        try:
            out += _FLOAT(0xFA, value)
        except OverflowError:
            # Beyond single precision botocore fails; the value is kept.
            out += _DOUBLE(0xFB, value)
    else:
        _special(out, value)


def _blob(out: bytearray, value: Any) -> None:
    if isinstance(value, str):
        value = value.encode("utf-8")
    elif not isinstance(value, (bytes, bytearray, memoryview)):
        value = value.read()  # a file-like object, as botocore accepts
    n = len(value)
    if n < 24:
        out.append(0x40 | n)
    else:
        _head(out, 0x40, n)
    out += value


def _timestamp(out: bytearray, value: datetime.datetime) -> None:
    # Tag 1 over epoch seconds: an integer when whole (botocore's bytes), a
    # double keeping the fraction otherwise (botocore truncates it).
    seconds = wire.epoch_seconds(value)
    out.append(0xC1)
    if seconds.is_integer():
        _integer(out, int(seconds))
    else:
        out += _DOUBLE(0xFB, seconds)


def _document(out: bytearray, value: Any) -> None:
    """Any JSON-like value, by its Python type (documents, sparse nulls)."""
    if value is None:
        out.append(_NULL)
    elif isinstance(value, str):
        _string(out, value)
    elif isinstance(value, bool):
        _boolean(out, value)
    elif isinstance(value, int):
        _integer(out, value)
    elif isinstance(value, float):
        _double(out, value)
    elif isinstance(value, (bytes, bytearray, memoryview)):
        _blob(out, value)
    elif isinstance(value, datetime.datetime):
        _timestamp(out, value)
    elif isinstance(value, Mapping):
        _head(out, 0xA0, len(value))
        for key, item in value.items():
            _string(out, key)
            _document(out, item)
    else:
        items = list(value)
        _head(out, 0x80, len(items))
        for item in items:
            _document(out, item)


_SCALARS: dict[str, Encoder] = {
    "string": _string,
    "integer": _integer,
    "long": _integer,
    "byte": _integer,
    "short": _integer,
    "boolean": _boolean,
    "float": _float,
    "double": _double,
    "blob": _blob,
    "timestamp": _timestamp,
}


def encoder(shape: Shape) -> Encoder:
    """The shape's compiled encoder: appends a typed value's CBOR to ``out``."""
    return _ENCODERS.get(shape)


def dumps(shape: Shape, value: Any) -> bytes:
    """A typed value of ``shape`` as CBOR bytes."""
    out = bytearray()
    encoder(shape)(out, value)
    return bytes(out)


def dumps_plain(value: Any) -> bytes:
    """A plain value (dicts, lists, scalars, datetimes) as CBOR, by its
    Python types: what a document member holds."""
    out = bytearray()
    _document(out, value)
    return bytes(out)


def _compile_encoder(shape: Shape) -> Encoder:
    kind = shape.type
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        return _document if shape.document else _structure_encoder(shape)
    if kind == "list":
        assert isinstance(shape, ListShape)
        return _list_encoder(encoder(shape.member.shape))
    if kind == "map":
        assert isinstance(shape, MapShape)
        return _map_encoder(encoder(shape.value.shape))
    return _SCALARS.get(kind, _document)


def _list_encoder(item: Encoder) -> Encoder:
    def encode(out: bytearray, value: Any) -> None:
        n = len(value)
        if n < 24:
            out.append(0x80 | n)
        else:
            _head(out, 0x80, n)
        for v in value:
            if v is None:
                out.append(_NULL)  # a sparse list's null
            else:
                item(out, v)

    return encode


def _map_encoder(entry: Encoder) -> Encoder:
    def encode(out: bytearray, value: Any) -> None:
        n = len(value)
        if n < 24:
            out.append(0xA0 | n)
        else:
            _head(out, 0xA0, n)
        for k, v in value.items():
            _string(out, k)
            if v is None:
                out.append(_NULL)
            else:
                entry(out, v)

    return encode


def _key(member: Member) -> bytes:
    out = bytearray()
    _string(out, member.serialized_name)
    return bytes(out)


def _structure_encoder(shape: StructureShape) -> Encoder:
    # Python name -> (the member's encoded key, its value's encoder).
    fields: dict[str, tuple[bytes, Encoder]] = {}
    name = shape.name

    def encode(out: bytearray, value: Any) -> None:
        # Only what the caller set lives in the instance's __dict__.
        try:
            items = value.__dict__.items()
        except AttributeError:
            raise TypeError(f"expected {name}, got {type(value).__name__}") from None
        start = len(out)
        out.append(0xA0)
        n = 0
        for field, item in items:
            if item is None:
                continue
            spec = fields.get(field)
            if spec is not None:
                key, encode_item = spec
                out += key
                encode_item(out, item)
                n += 1
        _count(out, start, n)

    # Registered before its members are compiled: shapes may recurse.
    _ENCODERS.register(shape, encode)
    for member in shape.members.values():
        fields[member.python] = (_key(member), encoder(member.shape))
    return encode


def _count(out: bytearray, start: int, n: int) -> None:
    """Write a map's length into the placeholder head at ``start``."""
    if n < 24:
        out[start] = 0xA0 | n
    else:
        out[start : start + 1] = head(5, n)


class InputEncoder:
    """An operation's input, from the parameters a generated method passes
    (by wire name, ``None`` for unset), as botocore serializes it."""

    __slots__ = ("_fields",)

    def __init__(self, shape: StructureShape) -> None:
        self._fields = tuple(
            (wire_name, _key(m), encoder(m.shape))
            for wire_name, m in shape.members.items()
        )

    def __call__(self, params: Mapping[str, Any]) -> bytes:
        out = bytearray(b"\xa0")
        get = params.get
        n = 0
        for wire_name, key, encode in self._fields:
            value = get(wire_name)
            if value is not None:
                out += key
                encode(out, value)
                n += 1
        _count(out, 0, n)
        return bytes(out)


# -- decoding: bytes to plain values ---------------------------------------------

_UNPACK_U32 = struct.Struct(">I").unpack_from
_UNPACK_U64 = struct.Struct(">Q").unpack_from
_UNPACK_HALF = struct.Struct(">e").unpack_from
_UNPACK_FLOAT = struct.Struct(">f").unpack_from
_UNPACK_DOUBLE = struct.Struct(">d").unpack_from
_datetime = datetime.datetime
_fromtimestamp = _datetime.fromtimestamp
_UTC = datetime.UTC
_SIMPLE = {20: False, 21: True, 22: None, 23: None}


def loads(data: bytes) -> Any:
    """The first CBOR data item of ``data`` as plain Python values (what
    follows it is ignored, as botocore ignores it)."""
    try:
        value, _ = _item(data, 0)
    except CBORDecodeError:
        raise
    except (IndexError, struct.error):
        raise CBORDecodeError("truncated CBOR data") from None
    except RecursionError:
        raise CBORDecodeError("CBOR data nested too deeply") from None
    except UnicodeDecodeError as exc:
        raise CBORDecodeError(f"a text string is not UTF-8 ({exc})") from None
    except TypeError as exc:  # an unhashable map key
        raise CBORDecodeError(f"an invalid map key ({exc})") from None
    return value


def _argument(data: bytes, i: int, info: int) -> tuple[int, int]:
    """The argument of an initial byte whose additional info is >= 24."""
    if info == 24:
        return data[i], i + 1
    if info == 25:
        return (data[i] << 8) | data[i + 1], i + 2
    if info == 26:
        return _UNPACK_U32(data, i)[0], i + 4
    if info == 27:
        return _UNPACK_U64(data, i)[0], i + 8
    raise CBORDecodeError(f"invalid additional information {info}")


def _bytes(data: bytes, i: int, info: int) -> tuple[bytes, int]:
    """A byte (or text) string's bytes; an indefinite one's chunks joined."""
    if info == 31:
        chunks = []
        while data[i] != 0xFF:
            # botocore reads each chunk's length and ignores its major type.
            info = data[i] & 31
            i += 1
            if info >= 24:
                info, i = _argument(data, i, info)
            end = i + info
            if end > len(data):
                raise CBORDecodeError("truncated CBOR data")
            chunks.append(data[i:end])
            i = end
        return b"".join(chunks), i + 1
    if info >= 24:
        info, i = _argument(data, i, info)
    end = i + info
    if end > len(data):
        raise CBORDecodeError("truncated CBOR data")
    return data[i:end], end


def _item(data: bytes, i: int) -> tuple[Any, int]:
    initial = data[i]
    i += 1
    major = initial >> 5
    info = initial & 31
    if major == 3:  # text string
        if info < 24:
            end = i + info
            if end > len(data):
                raise CBORDecodeError("truncated CBOR data")
            return data[i:end].decode("utf-8"), end
        raw, i = _bytes(data, i, info)
        return raw.decode("utf-8"), i
    if major == 5:  # map
        out: dict[Any, Any] = {}
        if info < 24:
            remaining = info
        elif info == 31:
            remaining = -1  # indefinite: up to the break
        else:
            remaining, i = _argument(data, i, info)
        while remaining:
            initial = data[i]
            if 0x60 <= initial < 0x78:  # a short text key, the common case
                end = i + initial - 0x5F
                key = data[i + 1 : end].decode("utf-8")
                i = end
            elif initial == 0xFF and remaining < 0:
                return out, i + 1
            else:
                key, i = _item(data, i)
            value, i = _item(data, i)
            if value is not None:  # botocore drops a null value
                out[key] = value
            remaining -= 1
        return out, i
    if major == 0:
        if info < 24:
            return info, i
        return _argument(data, i, info)
    if major == 4:  # array
        items: list[Any] = []
        append = items.append
        if info < 24:
            remaining = info
        elif info == 31:
            remaining = -1  # indefinite: up to the break
        else:
            remaining, i = _argument(data, i, info)
        while remaining:
            initial = data[i]
            if 0x60 <= initial < 0x78:  # short text and doubles, inline
                end = i + initial - 0x5F
                append(data[i + 1 : end].decode("utf-8"))
                i = end
            elif initial == 0xFB:
                append(_UNPACK_DOUBLE(data, i + 1)[0])
                i += 9
            elif initial == 0xC1:  # a timestamp over 4-byte seconds or a double
                following = data[i + 1]
                if following == 0x1A:
                    append(_epoch(_UNPACK_U32(data, i + 2)[0]))
                    i += 6
                elif following == 0xFB:
                    append(_epoch(_UNPACK_DOUBLE(data, i + 2)[0]))
                    i += 10
                else:
                    value, i = _item(data, i)
                    append(value)
            elif initial == 0xFF and remaining < 0:
                return items, i + 1
            else:
                value, i = _item(data, i)
                append(value)
            remaining -= 1
        return items, i
    if major == 7:
        if info == 27:
            return _UNPACK_DOUBLE(data, i)[0], i + 8
        if info == 26:
            return _UNPACK_FLOAT(data, i)[0], i + 4
        if info == 25:
            return _UNPACK_HALF(data, i)[0], i + 2
        if info in _SIMPLE:
            return _SIMPLE[info], i
        raise CBORDecodeError(f"unsupported simple value or break ({info})")
    if major == 1:
        if info >= 24:
            info, i = _argument(data, i, info)
        return -1 - info, i
    if major == 2:
        return _bytes(data, i, info)
    # major == 6: a tag; botocore knows only tag 1, epoch seconds.
    if info >= 24:
        info, i = _argument(data, i, info)
    value, i = _item(data, i)
    if info != 1:
        raise CBORDecodeError(f"unsupported CBOR tag {info}")
    return _epoch(value), i


def _epoch(value: Any) -> datetime.datetime:
    """Tag 1's item: epoch seconds, as a UTC datetime."""
    if type(value) not in (int, float, bool):  # botocore takes a bool as 0 or 1
        raise CBORDecodeError(f"tag 1 over {type(value).__name__}, not a number")
    try:
        return _fromtimestamp(value, _UTC)
    except (OverflowError, ValueError, OSError):
        raise CBORDecodeError(f"timestamp out of range: {value!r}") from None


# -- decoding: plain values to typed values --------------------------------------


def decoder(shape: Shape) -> Codec | None:
    """The shape's compiled decoder; None when plain values are kept as they are."""
    return _DECODERS.get(shape)


def decode(shape: Shape, value: Any) -> Any:
    if value is None:
        return None
    dec, kind = _checked(shape)
    if dec is not None:
        return dec(value)
    if type(value) is not kind:
        raise wrong_type(kind.__name__, value)
    return value


def _timestamp_in(value: Any) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value
    return wire.parse_timestamp(value)  # an untagged number (or text)


def _blob_in(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    raise TypeError(f"expected a byte string, got {type(value).__name__}")


# The Python type a plain scalar has in CBOR, checked inline by the
# structures, lists and maps that hold it (a bool is not an integer).
_PLAIN_TYPES: dict[str, type] = {
    "string": str,
    "integer": int,
    "long": int,
    "boolean": bool,
}


def _keep(value: Any) -> Any:
    return value


def _checked(shape: Shape) -> tuple[Codec | None, type]:
    """``(None, t)`` for a plain scalar kept when ``type(value) is t``, else
    ``(decoder, object)`` with a decoder that checks what it takes."""
    dec = decoder(shape)
    if dec is not None:
        return dec, object
    kind = _PLAIN_TYPES.get(shape.type)
    if kind is None:  # a document
        return _keep, object
    return None, kind


def _float_in(value: Any) -> Any:
    kind = type(value)
    if kind is float or kind is int:
        return value
    raise wrong_type("a number", value)


def _compile_decoder(shape: Shape) -> Codec | None:
    kind = shape.type
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        return None if shape.document else _structure_decoder(shape)
    if kind == "list":
        assert isinstance(shape, ListShape)
        item, plain = _checked(shape.member.shape)
        if item is None:

            def plain_list(value: Any) -> Any:
                for v in _list(value):
                    if type(v) is not plain and v is not None:
                        raise wrong_type(plain.__name__, v)
                return value

            return plain_list
        if item is _timestamp_in:  # tagged datetimes, the common case, kept
            return lambda value: [
                v if type(v) is _datetime or v is None else _timestamp_in(v)
                for v in _list(value)
            ]
        return lambda value: [None if v is None else item(v) for v in _list(value)]
    if kind == "map":
        assert isinstance(shape, MapShape)
        entry, plain = _checked(shape.value.shape)
        if entry is None:

            def plain_map(value: Any) -> Any:
                for v in _map(value).values():
                    if type(v) is not plain:
                        raise wrong_type(plain.__name__, v)
                return value

            return plain_map
        # Null values were dropped by loads.
        return lambda value: {k: entry(v) for k, v in _map(value).items()}
    if kind == "timestamp":
        return _timestamp_in
    if kind == "blob":
        return _blob_in
    if kind in ("float", "double"):
        return _float_in
    if kind == "string" and shape.enum_class is not None:
        return enum_decoder(shape)
    return None


def _list(value: Any) -> list[Any]:
    if type(value) is not list:
        raise TypeError(f"expected an array, got {type(value).__name__}")
    return value


def _map(value: Any) -> dict[Any, Any]:
    if type(value) is not dict:
        raise TypeError(f"expected a map, got {type(value).__name__}")
    return value


_Fields = dict[str, tuple[str, "Codec | None", type]]


def members(shape: StructureShape, value: Any) -> dict[str, Any]:
    """A structure's members from its CBOR map, by Python name, typed."""
    return _members(_FIELDS.get(shape), value)


def decode_structure(shape: StructureShape, value: Any) -> Any:
    """A structure (an operation's output) from its CBOR map."""
    return build(shape.cls, _members(_FIELDS.get(shape), value))


def _fields(shape: Shape) -> _Fields:
    assert isinstance(shape, StructureShape)
    return {
        wire_name: (m.python, *_checked(m.shape))
        for wire_name, m in shape.members.items()
    }


_FIELDS: CompiledCache[_Fields] = CompiledCache(_fields)


def _members(fields: _Fields, value: Any) -> dict[str, Any]:
    # botocore's RPC v2 parser looks members up by their model name.
    values = {}
    for key, item in _map(value).items():
        spec = fields.get(key)
        if spec is not None:
            field, decode_item, kind = spec
            if decode_item is None:
                if type(item) is not kind:
                    raise TypeError(
                        f"{key}: expected {kind.__name__}, got {type(item).__name__}"
                    )
                values[field] = item
            else:
                values[field] = decode_item(item)
    return values


def _structure_decoder(shape: StructureShape) -> Codec:
    fields: _Fields = {}
    name, cls, union = shape.name, shape.cls, shape.union

    def decode(value: Any) -> Any:
        obj = build(cls, _members(fields, value))
        if union:
            # botocore: a union in a response has exactly one member set.
            if sum(1 for k in value if k != "__type") != 1:
                raise ValueError(f"{name}: a union must have exactly one member set")
            unknown_union_member(shape, value, obj)
        return obj

    # Registered before its members are compiled: shapes may recurse.
    _DECODERS.register(shape, decode)
    for wire_name, member in shape.members.items():
        fields[wire_name] = (member.python, *_checked(member.shape))
    return decode
