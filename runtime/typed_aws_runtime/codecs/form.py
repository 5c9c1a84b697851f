"""The form codec: typed values to the key-value pairs of a query or ec2
request body, and those pairs urlencoded, per shape.

botocore's ``QuerySerializer`` and ``EC2Serializer`` rule for rule:

* a structure member's key is its ``locationName`` (query) or its
  ``queryName``, else its ``locationName`` capitalised (ec2), else its name
  (capitalised for ec2, as Smithy's ec2QueryName: botocore keeps it, and
  every ec2 member botocore ships starts with a capital), after the
  structure's own key and a dot;
* query lists: ``Key.member.N`` (the list member's ``locationName`` for
  ``member``), from 1; a flattened list is ``Key.N`` with the last part of
  the key replaced by the list member's ``locationName`` when it has one
  (botocore) unless the member has a ``locationName`` of its own (Smithy; no
  model botocore ships has both); an empty list is sent as ``Key=`` (an
  empty value);
* ec2 lists are always flattened (``Key.N``) and an empty one sends nothing;
* maps: ``Key.entry.N.key`` and ``Key.entry.N.value`` (``entry`` left out
  when flattened; ``key``/``value`` the members' ``locationName``,
  capitalised for ec2);
* timestamps in ISO 8601 (the member's ``timestampFormat`` wins), blobs in
  base64, booleans ``true``/``false``, NaN and the infinities as ``NaN``,
  ``Infinity``, ``-Infinity``;
* urlencoding as ``urllib.parse.urlencode`` (``quote_plus``, nothing safe
  but letters, digits and ``_.-~``): the bytes botocore sends.

An encoder is compiled once per shape (``schema.CompiledCache``) into a
closure ``(pairs, key, value) -> None`` that appends ``(key, text)`` pairs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote_plus

from typed_aws_runtime import wire
from typed_aws_runtime.schema import (
    CompiledCache,
    ListShape,
    MapShape,
    Member,
    Shape,
    StructureShape,
)

Pairs = list[tuple[str, str]]
Encoder = Callable[[Pairs, str, Any], None]
InputEncoder = Callable[[Pairs, Mapping[str, Any]], None]

_QUERY: CompiledCache[Encoder] = CompiledCache(lambda shape: _compile(shape, False))
_EC2: CompiledCache[Encoder] = CompiledCache(lambda shape: _compile(shape, True))
_INPUTS: dict[tuple[StructureShape, bool], InputEncoder] = {}
_SAFE = re.compile(r"[A-Za-z0-9_.~-]*").fullmatch
# quote_plus(c, safe="") for every ASCII character, for str.translate.
_ASCII = {
    i: chr(i) if _SAFE(chr(i)) else "+" if i == 32 else f"%{i:02X}" for i in range(128)
}


# -- the API ---------------------------------------------------------------------


def encoder(shape: Shape, ec2: bool = False) -> Encoder:
    """The shape's compiled encoder (query rules, or ec2's)."""
    return (_EC2 if ec2 else _QUERY).get(shape)


def input_encoder(shape: StructureShape, ec2: bool = False) -> InputEncoder:
    """An operation input's encoder: the parameters (by wire name, None for
    unset) in the model's order, each under its key."""
    key = (shape, ec2)
    encode = _INPUTS.get(key)
    if encode is None:
        members = tuple(
            (wire_name, _key(member, wire_name, ec2), member_encoder(member, ec2))
            for wire_name, member in shape.members.items()
        )

        def encode(pairs: Pairs, params: Mapping[str, Any]) -> None:
            get = params.get
            for wire_name, name, encode_member in members:
                value = get(wire_name)
                if value is not None:
                    encode_member(pairs, name, value)

        _INPUTS[key] = encode
    return encode


def member_encoder(member: Member, ec2: bool = False) -> Encoder:
    """A member's encoder: its shape's, with the member's own timestamp
    format and ``flattened``."""
    shape = member.shape
    if shape.type == "timestamp":
        return _timestamp(member.timestamp_format)
    if isinstance(shape, ListShape) and not ec2:
        if member.flattened and member.location_name:
            return _list(shape, True, named=True)
        if member.flattened != shape.flattened:
            return _list(shape, member.flattened)
    if isinstance(shape, MapShape) and member.flattened != shape.flattened:
        return _map(shape, member.flattened, ec2)
    return encoder(shape, ec2)


def urlencode(pairs: Pairs) -> str:
    """``urllib.parse.urlencode(pairs)``, as botocore encodes a body."""
    return "&".join(f"{_quote(k)}={_quote(v)}" for k, v in pairs)


def _quote(text: str) -> str:
    if _SAFE(text):
        return text
    if text.isascii():
        return text.translate(_ASCII)  # quote_plus's result, twice as fast
    return quote_plus(text, safe="")


# -- compiling -------------------------------------------------------------------


def _compile(shape: Shape, ec2: bool) -> Encoder:
    kind = shape.type
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        return _structure(shape, ec2)
    if kind == "list":
        assert isinstance(shape, ListShape)
        return _ec2_list(shape) if ec2 else _list(shape, shape.flattened)
    if kind == "map":
        assert isinstance(shape, MapShape)
        return _map(shape, shape.flattened, ec2)
    if kind == "timestamp":
        return _timestamp(shape.timestamp_format)
    return _scalar(_text(kind))


def _text(kind: str) -> Callable[[Any], str]:
    if kind == "boolean":
        return wire.bool_text
    if kind == "blob":
        return wire.b64encode
    if kind in ("float", "double"):
        return wire.float_text
    return str  # strings (enum members give their value), integers


def _scalar(text: Callable[[Any], str]) -> Encoder:
    if text is str:

        def encode_str(pairs: Pairs, key: str, value: Any) -> None:
            pairs.append((key, value if type(value) is str else str(value)))

        return encode_str

    def encode(pairs: Pairs, key: str, value: Any) -> None:
        pairs.append((key, text(value)))

    return encode


def _timestamp(fmt: str | None) -> Encoder:
    fmt = fmt or "iso8601"

    def encode(pairs: Pairs, key: str, value: Any) -> None:
        pairs.append((key, str(wire.format_timestamp(value, fmt))))

    return encode


def _key(member: Member, default: str, ec2: bool) -> str:
    """botocore's ``_get_serialized_name`` (ec2's, or query's)."""
    if ec2:
        if member.query_name:
            return member.query_name
        # A member without a name of its own is capitalised too (Smithy's
        # ec2QueryName; botocore keeps it, and every ec2 member it ships
        # already starts with a capital).
        name = member.location_name or default
        return name[:1].upper() + name[1:]
    return member.location_name or default


def _structure(shape: StructureShape, ec2: bool) -> Encoder:
    fields: dict[str, tuple[str, Encoder]] = {}
    name = shape.name

    def encode(pairs: Pairs, prefix: str, value: Any) -> None:
        # Only what the caller set lives in the instance's __dict__, in the
        # order they set it (botocore follows the caller's dict order).
        try:
            items = value.__dict__.items()
        except AttributeError:
            raise TypeError(f"expected {name}, got {type(value).__name__}") from None
        for field, item in items:
            if item is None:
                continue
            spec = fields.get(field)
            if spec is not None:
                key, encode_item = spec
                encode_item(pairs, f"{prefix}.{key}" if prefix else key, item)

    # Registered before its members are compiled: shapes may recurse.
    (_EC2 if ec2 else _QUERY).register(shape, encode)
    for wire_name, member in shape.members.items():
        fields[member.python] = (
            _key(member, wire_name, ec2),
            member_encoder(member, ec2),
        )
    return encode


def _list(shape: ListShape, flattened: bool, named: bool = False) -> Encoder:
    """A query list; ``named``: a flattened list under a member with a
    ``locationName`` of its own, which is kept (Smithy) rather than replaced
    by the list member's (botocore; no model botocore ships has both)."""
    item = member_encoder(shape.member)
    name = None if named else shape.member.location_name

    def encode(pairs: Pairs, prefix: str, value: Any) -> None:
        if not value:
            pairs.append((prefix, ""))  # the query protocol sends empty lists
            return
        if not flattened:
            base = f"{prefix}.{name or 'member'}"
        elif name:
            base = f"{prefix.rpartition('.')[0]}.{name}" if "." in prefix else name
        else:
            base = prefix
        for i, element in enumerate(value, 1):
            item(pairs, f"{base}.{i}", element)

    return encode


def _ec2_list(shape: ListShape) -> Encoder:
    item = member_encoder(shape.member, True)

    def encode(pairs: Pairs, prefix: str, value: Any) -> None:
        for i, element in enumerate(value, 1):
            item(pairs, f"{prefix}.{i}", element)

    return encode


def _map(shape: MapShape, flattened: bool, ec2: bool) -> Encoder:
    key_suffix = _key(shape.key, "key", ec2) if shape.key.location_name else "key"
    value_suffix = (
        _key(shape.value, "value", ec2) if shape.value.location_name else "value"
    )
    encode_key = member_encoder(shape.key, ec2)
    encode_value = member_encoder(shape.value, ec2)

    def encode(pairs: Pairs, prefix: str, value: Any) -> None:
        base = prefix if flattened else f"{prefix}.entry"
        for i, (k, v) in enumerate(value.items(), 1):
            encode_key(pairs, f"{base}.{i}.{key_suffix}", k)
            encode_value(pairs, f"{base}.{i}.{value_suffix}", v)

    return encode
