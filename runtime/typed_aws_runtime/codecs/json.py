"""The JSON codec: typed values to JSON values and back, per shape.

Each shape's encoder (typed value -> the JSON value botocore would put in a
body) and decoder (JSON value -> typed value) is compiled once from the
schema into a closure. ``None`` stands for "unchanged": most members are
strings and numbers, copied with no call at all. Used by rest-json and by
awsJson 1.0/1.1; the protocol decides where the JSON goes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from typed_aws_runtime import wire
from typed_aws_runtime.codecs.checks import enum_decoder, wrong_type
from typed_aws_runtime.schema import (
    CompiledCache,
    ListShape,
    MapShape,
    Member,
    Shape,
    StructureShape,
)

Codec = Callable[[Any], Any]
_ENCODERS: CompiledCache[Codec | None] = CompiledCache(
    lambda shape: _compile_encoder(shape)
)
_DECODERS: CompiledCache[Codec | None] = CompiledCache(
    lambda shape: _compile_decoder(shape)
)


# -- encoding --------------------------------------------------------------------


def member_encoder(member: Member) -> Codec | None:
    # A member's timestamp format wins over its shape's (botocore).
    if member.shape.type == "timestamp":
        fmt = member.timestamp_format or "unixtimestamp"
        return lambda value: wire.format_timestamp(value, fmt)
    return encoder(member.shape)


def encoder(shape: Shape) -> Codec | None:
    """The shape's compiled encoder; None when values go to JSON unchanged."""
    return _ENCODERS.get(shape)


def encode(shape: Shape, value: Any) -> Any:
    """A typed value as the JSON value botocore sends."""
    enc = encoder(shape)
    return value if enc is None else enc(value)


def dumps(value: Any) -> bytes:
    return json.dumps(value).encode("utf-8")


def _compile_encoder(shape: Shape) -> Codec | None:
    kind = shape.type
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        return None if shape.document else _structure_encoder(shape)
    if kind == "list":
        assert isinstance(shape, ListShape)
        item = member_encoder(shape.member)
        if item is None:
            return list
        return lambda value: [item(v) for v in value]
    if kind == "map":
        assert isinstance(shape, MapShape)
        entry = member_encoder(shape.value)
        if entry is None:
            return dict
        return lambda value: {k: entry(v) for k, v in value.items()}
    if kind == "timestamp":
        fmt = shape.timestamp_format or "unixtimestamp"
        return lambda value: wire.format_timestamp(value, fmt)
    if kind == "blob":
        return wire.b64encode
    if kind in ("float", "double"):
        return wire.float_out
    return None


def _structure_encoder(shape: StructureShape) -> Codec:
    fields: dict[str, tuple[str, Codec | None]] = {}
    name = shape.name

    def encode(value: Any) -> dict[str, Any]:
        # Only what the caller set lives in the instance's __dict__.
        try:
            items = value.__dict__.items()
        except AttributeError:
            raise TypeError(f"expected {name}, got {type(value).__name__}") from None
        out = {}
        for field, item in items:
            if item is None:
                continue
            spec = fields.get(field)
            if spec is not None:
                key, encode_item = spec
                out[key] = item if encode_item is None else encode_item(item)
        return out

    # Registered before its members are compiled: shapes may recurse.
    _ENCODERS.register(shape, encode)
    for member in shape.members.values():
        fields[member.python] = (member.serialized_name, member_encoder(member))
    return encode


# -- decoding --------------------------------------------------------------------


def decoder(shape: Shape) -> Codec | None:
    """The shape's compiled decoder; None when JSON values are kept unchanged."""
    return _DECODERS.get(shape)


def decode(shape: Shape, value: Any) -> Any:
    """A JSON value from a response as the typed value it models."""
    if value is None:
        return None
    dec, kind = checked(shape)
    if dec is not None:
        return dec(value)
    if type(value) is not kind:
        raise wrong_type(kind.__name__, value)
    return value


def loads(raw: bytes) -> Any:
    # Decoded as UTF-8 first, as botocore does (json.loads would also guess
    # UTF-16 and UTF-32 from bytes, at a cost on every call).
    return json.loads(raw.decode("utf-8"))


# The Python type a plain scalar has in JSON, checked inline by the decoders
# of the structures, lists and maps that hold it (``type(v) is int``: a bool
# is not an integer).
_PLAIN_TYPES: dict[str, type] = {
    "string": str,
    "integer": int,
    "long": int,
    "boolean": bool,
}
_SPECIAL_FLOATS = frozenset(("NaN", "Infinity", "-Infinity"))


def _keep(value: Any) -> Any:
    """A document: any JSON value."""
    return value


def checked(shape: Shape) -> tuple[Codec | None, type]:
    """How a member of this shape is taken from JSON: ``(None, t)`` for a
    plain scalar kept as it is when ``type(value) is t``, else
    ``(decoder, object)`` with a decoder that checks what it takes."""
    dec = decoder(shape)
    if dec is not None:
        return dec, object
    kind = _PLAIN_TYPES.get(shape.type)
    if kind is None:  # a document
        return _keep, object
    return None, kind


def _float_in(value: Any) -> float:
    # JSON numbers (an integer too), and the three strings Smithy sends.
    kind = type(value)
    if kind is float or kind is int:
        return float(value)
    if kind is str and value in _SPECIAL_FLOATS:
        return float(value)
    raise wrong_type("a number", value)


def _timestamp_in(value: Any) -> Any:
    # Epoch seconds as a number (JSON's default format), or text (ISO 8601
    # first, then epoch or an HTTP date).
    kind = type(value)
    if kind is float or kind is int:
        return _epoch_in(value)
    if kind is str:
        return _iso_in(value)
    raise wrong_type("a timestamp", value)


_epoch_in = wire.parse_epoch
_iso_in = wire.parse_iso8601


def _blob_in(value: Any) -> bytes:
    if type(value) is not str:
        raise wrong_type("a base64 string", value)
    return wire.b64decode(value)


def error_object(raw: bytes) -> dict[str, Any]:
    """The JSON object of an error body; other text becomes its message."""
    try:
        parsed = loads(raw)
    except ValueError:  # UnicodeDecodeError included
        return {"message": raw.decode("utf-8", "replace")}
    return parsed if isinstance(parsed, dict) else {}


def _compile_decoder(shape: Shape) -> Codec | None:
    kind = shape.type
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        return None if shape.document else _structure_decoder(shape)
    if kind == "list":
        assert isinstance(shape, ListShape)
        return _list_decoder(shape)
    if kind == "map":
        assert isinstance(shape, MapShape)
        return _map_decoder(shape)
    if kind == "timestamp":
        return _timestamp_in
    if kind == "blob":
        return _blob_in
    if kind in ("float", "double"):
        return _float_in
    if kind == "string" and shape.enum_class is not None:
        return enum_decoder(shape)
    return None


def _list_decoder(shape: ListShape) -> Codec:
    item, kind = checked(shape.member.shape)
    if item is None:

        def plain_list(value: Any) -> Any:
            if type(value) is not list:
                raise wrong_type("an array", value)
            for v in value:
                if type(v) is not kind and v is not None:
                    raise wrong_type(kind.__name__, v)
            return value

        return plain_list

    def decode_list(value: Any) -> Any:
        if type(value) is not list:
            raise wrong_type("an array", value)
        return [None if v is None else item(v) for v in value]

    return decode_list


def _map_decoder(shape: MapShape) -> Codec:
    # A null in a map is dropped, as Smithy's clients do (botocore keeps it).
    entry, kind = checked(shape.value.shape)

    def decode_map(value: Any) -> Any:
        if type(value) is not dict:
            raise wrong_type("an object", value)
        out = {}
        for k, v in value.items():
            if v is None:
                continue
            if entry is None:
                if type(v) is not kind:
                    raise wrong_type(kind.__name__, v)
                out[k] = v
            else:
                out[k] = entry(v)
        return out

    return decode_map


_Fields = dict[str, tuple[str, Codec | None, type]]


def body_fields(shape: StructureShape) -> _Fields:
    """Body members by JSON key, each with its Python name and how it is
    taken (see ``checked``)."""
    return {
        key: (m.python, *checked(m.shape)) for key, m in shape.by_serialized.items()
    }


def take(fields: _Fields, data: Any, values: dict[str, Any]) -> None:
    """The members ``fields`` names from the JSON object ``data`` into
    ``values``, each checked against its shape."""
    if type(data) is not dict:
        raise wrong_type("an object", data)
    for key, item in data.items():
        spec = fields.get(key)
        if spec is None or item is None:
            continue
        field, decode_item, kind = spec
        if decode_item is None:
            if type(item) is not kind:
                raise TypeError(
                    f"{key}: expected {kind.__name__}, got {type(item).__name__}"
                )
            values[field] = item
        else:
            try:
                values[field] = decode_item(item)
            except (TypeError, ValueError, OverflowError) as exc:
                # Name the member on the way out, innermost first.
                raise ValueError(f"{key}: {exc}") from exc


def _structure_decoder(shape: StructureShape) -> Codec:
    # Nested JSON ignores locations, as botocore's parser does.
    fields: _Fields = {}
    name, cls, union, new = shape.name, shape.cls, shape.union, object.__new__

    def decode(value: Any) -> Any:
        values: dict[str, Any] = {}
        take(fields, value, values)
        if cls is None:
            obj: Any = values
        else:
            obj = new(cls)
            obj.__dict__ = values  # a fresh dict: no copy
        if union:
            if not values:
                # Only a union none of whose known members is set can hold an
                # unknown one.
                unknown_union_member(shape, value, obj)
            elif len(values) > 1:
                # botocore: "must have one and only one member set".
                raise ValueError(f"{name}: a union with {len(values)} members set")
        return obj

    # Registered before its members are compiled: shapes may recurse.
    _DECODERS.register(shape, decode)
    for key, member in shape.by_wire_name.items():
        fields[key] = (member.python, *checked(member.shape))
    return decode


def unknown_union_member(
    shape: StructureShape, value: Mapping[str, Any], obj: Any
) -> None:
    """Name a union member unknown to the model (botocore's ``SDK_UNKNOWN_MEMBER``).

    A union whose only member is new to this client parses with no field set
    and ``sdk_unknown_member`` holding the member's wire name.
    """
    known = {m.serialized_name for m in shape.members.values()}
    tags = [k for k, v in value.items() if v is not None and k != "__type"]
    if len(tags) == 1 and tags[0] not in known:
        if isinstance(obj, dict):
            obj["SDK_UNKNOWN_MEMBER"] = {"name": tags[0]}
        else:
            obj.__dict__["sdk_unknown_member"] = tags[0]
