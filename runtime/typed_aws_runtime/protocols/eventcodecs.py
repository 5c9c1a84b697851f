"""Event payloads in each protocol's codec (botocore's
``EventStreamJSONParser``, ``EventStreamXMLParser``,
``EventStreamCBORParser``): an empty payload is an empty value."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from typed_aws_runtime.schema import Shape, StructureShape
from typed_aws_runtime.structure import build

if TYPE_CHECKING:
    from typed_aws_runtime.events import PayloadCodec

# JSON key -> (Python name, decoder or None, the type kept unchanged).
_JsonFields = dict[str, tuple[str, Any, type]]


class JsonPayloads:
    """rest-json and json: a JSON object, members by their JSON keys."""

    def __init__(self) -> None:
        from typed_aws_runtime.codecs import json as json_codec

        self._codec = json_codec
        self._fields: dict[StructureShape, _JsonFields] = {}

    def members(self, shape: StructureShape, payload: bytes) -> dict[str, Any]:
        codec = self._codec
        fields = self._fields.get(shape)
        if fields is None:
            fields = self._fields[shape] = {
                key: (m.python, *codec.checked(m.shape))
                for key, m in shape.by_wire_name.items()
            }
        values: dict[str, Any] = {}
        codec.take(fields, codec.loads(payload) if payload.strip() else {}, values)
        return values

    def value(self, shape: Shape, payload: bytes) -> Any:
        codec = self._codec
        return codec.decode(shape, codec.loads(payload) if payload.strip() else {})


class XmlPayloads:
    """rest-xml: an XML document whose root element is the value."""

    def __init__(self) -> None:
        from typed_aws_runtime.codecs import xml

        self._codec = xml

    def members(self, shape: StructureShape, payload: bytes) -> dict[str, Any]:
        if not payload.strip():
            return {}
        return self._codec.members_decoder(shape)(self._codec.parse(payload))

    def value(self, shape: Shape, payload: bytes) -> Any:
        if not payload.strip():
            cls = getattr(shape, "cls", None)
            return build(cls, {}) if isinstance(shape, StructureShape) else None
        return self._codec.decoder(shape)(self._codec.parse(payload))


class CborPayloads:
    """rpc-v2-cbor: a CBOR map, members by their model names."""

    def __init__(self) -> None:
        from typed_aws_runtime.codecs import cbor

        self._codec = cbor

    def members(self, shape: StructureShape, payload: bytes) -> dict[str, Any]:
        if not payload:
            return {}
        return self._codec.members(shape, self._codec.loads(payload))

    def value(self, shape: Shape, payload: bytes) -> Any:
        codec = self._codec
        return codec.decode(shape, codec.loads(payload) if payload else {})


_CODECS: dict[str, PayloadCodec] = {}
_KINDS: dict[str, type[JsonPayloads | XmlPayloads | CborPayloads]] = {
    "json": JsonPayloads,
    "xml": XmlPayloads,
    "cbor": CborPayloads,
}


def for_codec(name: str) -> PayloadCodec:
    """The payload codec by name (``json``, ``xml``, ``cbor``), made once."""
    codec = _CODECS.get(name)
    if codec is None:
        codec = _CODECS[name] = _KINDS[name]()
    return codec
