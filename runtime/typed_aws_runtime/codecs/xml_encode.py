"""The XML encoder: typed values to the XML botocore's ``RestXMLSerializer``
writes, byte for byte.

botocore builds an ElementTree and writes it with
``ElementTree.tostring(root, encoding="utf-8")``: no XML declaration, no
whitespace between elements, attributes in the order they were set (the
element's ``xmlns`` first, then ``xmlAttribute`` members), an element with
neither text nor children written ``<Name />``, text escaped for ``&``, ``<``
and ``>``, attribute values also for ``"``, CR, LF and tab. This module writes
the same bytes straight from strings, each shape compiled once into closures.

The rules, as ``RestXMLSerializer._serialize_*``:

* an element's name is its member's ``locationName`` (else the member's name);
  its ``xmlns`` (``xmlns:prefix``) comes from the member's ``xmlNamespace``,
  else its shape's;
* a list is wrapped (``<Name><member>..</member></Name>``, the item name
  being the list member's ``locationName``, else ``member``), or flattened:
  each item is an element named as the list (and the list's namespace goes on
  the enclosing element, as botocore puts it there);
* a map is ``<Name><entry><key>..</key><value>..</value></entry></Name>`` (key
  and value names from their ``locationName``), or flattened: each entry is an
  element named as the map;
* ``xmlAttribute`` members are attributes of their structure's element;
* timestamps are ISO 8601 unless the member (or its shape) names a format;
  blobs base64; booleans ``true``/``false``; NaN and the infinities spelled
  ``NaN``, ``Infinity``, ``-Infinity``.

Members are written in model order (botocore writes them in the order the
caller's dict has them; a typed call has no such order, and model order is
the order Smithy's suites and the services' schemas expect). A member whose
value is None is left out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from typed_aws_runtime import wire
from typed_aws_runtime.schema import (
    CompiledCache,
    ListShape,
    MapShape,
    Member,
    Shape,
    StructureShape,
)

# Appends one value's element(s) to the output.
Emit = Callable[[Any, list[str]], None]
# Appends a structure's children; may set attributes of its element.
Fill = Callable[[Any, list[str], "dict[str, str] | None"], None]
# A scalar value as element text.
Text = Callable[[Any], str]

_FILLS: CompiledCache[tuple[Fill, bool]] = CompiledCache(
    lambda shape: _compile_fill(shape)  # type: ignore[arg-type]
)


# -- escaping (ElementTree's _escape_cdata and _escape_attrib) --------------------


def escape_text(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def escape_attribute(text: str) -> str:
    text = escape_text(text)
    if '"' in text:
        text = text.replace('"', "&quot;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    if "\n" in text:
        text = text.replace("\n", "&#10;")
    if "\t" in text:
        text = text.replace("\t", "&#09;")
    return text


def namespace_attribute(namespace: Mapping[str, str] | str | None) -> tuple[str, str]:
    """The ``xmlns`` attribute an ``xmlNamespace`` trait adds (botocore's
    ``_add_xml_namespace``); ("", "") for none."""
    if isinstance(namespace, str):
        return "xmlns", namespace
    if isinstance(namespace, Mapping) and "uri" in namespace:
        prefix = namespace.get("prefix")
        return ("xmlns:" + prefix if prefix else "xmlns"), namespace["uri"]
    return "", ""


def _attributes(attrs: Mapping[str, str]) -> str:
    return "".join(f' {k}="{escape_attribute(v)}"' for k, v in attrs.items())


# -- public entry points -------------------------------------------------------------


def root_name(shape: StructureShape | None, member: Member | None = None) -> str:
    """The root element of a body: the payload member's ``locationName`` (or
    its shape's), else the input shape's, else the shape's name (botocore
    requires one; Smithy's default is the shape name)."""
    if member is not None:
        return member.location_name or member.shape.location_name or member.shape.name
    assert shape is not None
    return shape.location_name or shape.name


def member_emitter(member: Member, name: str | None = None) -> Emit:
    """The emitter of one member's element(s), named ``name`` (default: the
    member's serialized name)."""
    return _emitter(
        member.shape,
        member.serialized_name if name is None else name,
        member.xml_namespace,
        member.flattened,
        member.timestamp_format,
    )


def payload_document(member: Member, value: Any) -> bytes:
    """A structure payload member's value as a whole XML document, its root
    named by :func:`root_name` and namespaced by the member (or its shape)."""
    out: list[str] = []
    root = root_name(None, member)
    _emitter(member.shape, root, member.xml_namespace, False, None)(value, out)
    return "".join(out).encode("utf-8")


class InputDocument:
    """The body of an input shape without a payload member: its body members
    (by wire name, from the call's parameters) under the input's root
    element, decided once per input shape."""

    __slots__ = ("_members", "_name", "_open", "_empty", "_close", "_attrs", "_dynamic")

    def __init__(self, shape: StructureShape) -> None:
        self._name = name = root_name(shape)
        attrs: dict[str, str] = {}
        key, uri = namespace_attribute(shape.xml_namespace)
        if key:
            attrs[key] = uri
        self._attrs = attrs
        steps, self._dynamic = _fill_steps(shape, by_wire=True)
        self._members = steps
        static = _attributes(attrs)
        self._open = f"<{name}{static}>"
        self._empty = f"<{name}{static} />"
        self._close = f"</{name}>"

    def encode(self, params: Mapping[str, Any]) -> bytes:
        """The document; empty when no body member is set (botocore)."""
        get = params.get
        if not any(get(step[0]) is not None for step in self._members):
            return b""
        out: list[str] = [""]
        attrs = dict(self._attrs) if self._dynamic else None
        _run_steps(self._members, get, out, attrs)
        if attrs is not None:
            head = f"<{self._name}{_attributes(attrs)}"
            out[0] = head + (">" if len(out) > 1 else " />")
        else:
            out[0] = self._open if len(out) > 1 else self._empty
        if len(out) > 1:
            out.append(self._close)
        return "".join(out).encode("utf-8")


# -- compiling -----------------------------------------------------------------------

# How a structure member is written: (key, kind, emitter or text, attribute).
_CHILD, _ATTRIBUTE, _FLAT_NAMESPACED = range(3)
_Step = tuple[str, int, Any, tuple[str, str]]


def _fill_steps(shape: StructureShape, by_wire: bool) -> tuple[tuple[_Step, ...], bool]:
    """A structure's body members in model order, and whether any of them
    sets an attribute of the structure's element."""
    steps: list[_Step] = []
    dynamic = False
    for wire_name, member in shape.members.items():
        if by_wire and member.location is not None:
            continue  # bound to the URI, query or headers
        key = wire_name if by_wire else member.python
        if member.xml_attribute:
            steps.append((key, _ATTRIBUTE, _text(member), (member.serialized_name, "")))
            dynamic = True
            continue
        emit = member_emitter(member)
        ns = ("", "")
        if member.shape.type == "list" and member.flattened:
            ns = namespace_attribute(member.xml_namespace)
        if ns[0]:
            steps.append((key, _FLAT_NAMESPACED, emit, ns))
            dynamic = True
        else:
            steps.append((key, _CHILD, emit, ns))
    return tuple(steps), dynamic


def _run_steps(
    steps: tuple[_Step, ...],
    get: Callable[[str], Any],
    out: list[str],
    attrs: dict[str, str] | None,
) -> None:
    for key, kind, emit, attribute in steps:
        value = get(key)
        if value is None:
            continue
        if kind == _CHILD:
            emit(value, out)
        elif kind == _ATTRIBUTE:
            assert attrs is not None
            attrs[attribute[0]] = emit(value)
        else:
            # botocore adds a flattened list's namespace to the element the
            # items go into: the enclosing structure's.
            assert attrs is not None
            attrs[attribute[0]] = attribute[1]
            emit(value, out)


def _compile_fill(shape: StructureShape) -> tuple[Fill, bool]:
    steps: tuple[_Step, ...] = ()
    name = shape.name

    def fill(value: Any, out: list[str], attrs: dict[str, str] | None) -> None:
        try:
            get = value.__dict__.get
        except AttributeError:
            raise TypeError(f"expected {name}, got {type(value).__name__}") from None
        _run_steps(steps, get, out, attrs)

    # Registered before its members are compiled: shapes may recurse. Whether
    # it sets attributes is known only after them: a recursive reference to a
    # shape being compiled reads the flag as True (the general path).
    _FILLS.register(shape, (fill, True))
    steps, dynamic = _fill_steps(shape, by_wire=False)
    return fill, dynamic


def _emitter(
    shape: Shape,
    name: str,
    namespace: Mapping[str, str] | str | None,
    flattened: bool,
    timestamp_format: str | None,
) -> Emit:
    key, uri = namespace_attribute(namespace)
    static = f' {key}="{escape_attribute(uri)}"' if key else ""
    kind = shape.type
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        return _structure_emitter(shape, name, {key: uri} if key else {})
    if kind == "list":
        assert isinstance(shape, ListShape)
        return _list_emitter(shape, name, static, flattened)
    if kind == "map":
        assert isinstance(shape, MapShape)
        return _map_emitter(shape, name, static, flattened)
    text = _scalar_text(shape, timestamp_format)
    open_tag, empty, close = f"<{name}{static}>", f"<{name}{static} />", f"</{name}>"
    if text is None:

        def emit_string(value: Any, out: list[str]) -> None:
            text = escape_text(str(value))
            out.append(open_tag + text + close if text else empty)

        return emit_string

    def emit_scalar(value: Any, out: list[str]) -> None:
        text = escape_text(text_of(value))
        out.append(open_tag + text + close if text else empty)

    text_of = text
    return emit_scalar


def _structure_emitter(shape: StructureShape, name: str, attrs: dict[str, str]) -> Emit:
    fill, dynamic = _FILLS.get(shape)
    static = _attributes(attrs)
    open_tag, empty, close = f"<{name}{static}>", f"<{name}{static} />", f"</{name}>"
    head = f"<{name}"

    if not dynamic:

        def emit(value: Any, out: list[str]) -> None:
            i = len(out)
            out.append(empty)
            fill(value, out, None)
            if len(out) > i + 1:
                out[i] = open_tag
                out.append(close)

        return emit

    def emit_with_attributes(value: Any, out: list[str]) -> None:
        i = len(out)
        out.append("")
        own = dict(attrs)
        fill(value, out, own)
        if len(out) > i + 1:
            out[i] = head + _attributes(own) + ">"
            out.append(close)
        else:
            out[i] = head + _attributes(own) + " />"

    return emit_with_attributes


def _list_emitter(shape: ListShape, name: str, static: str, flattened: bool) -> Emit:
    item = shape.member
    if flattened:
        # Items named as the list; the list's namespace is the caller's to add.
        emit_flat = member_emitter(item, name)

        def emit_items(value: Any, out: list[str]) -> None:
            for v in value:
                emit_flat(v, out)

        return emit_items
    emit_item = member_emitter(item, item.location_name or "member")
    open_tag, empty, close = f"<{name}{static}>", f"<{name}{static} />", f"</{name}>"

    def emit(value: Any, out: list[str]) -> None:
        if not value:
            out.append(empty)
            return
        out.append(open_tag)
        for v in value:
            emit_item(v, out)
        out.append(close)

    return emit


def _map_emitter(shape: MapShape, name: str, static: str, flattened: bool) -> Emit:
    emit_key = member_emitter(shape.key, shape.key.location_name or "key")
    emit_value = member_emitter(shape.value, shape.value.location_name or "value")
    # botocore writes no namespace on a flattened map's entries.
    entry = name if flattened else "entry"
    entry_open, entry_close = f"<{entry}>", f"</{entry}>"

    def emit_entries(value: Mapping[Any, Any], out: list[str]) -> None:
        for k, v in value.items():
            out.append(entry_open)
            emit_key(k, out)
            emit_value(v, out)
            out.append(entry_close)

    if flattened:
        return emit_entries
    open_tag, empty, close = f"<{name}{static}>", f"<{name}{static} />", f"</{name}>"

    def emit(value: Mapping[Any, Any], out: list[str]) -> None:
        if not value:
            out.append(empty)
            return
        out.append(open_tag)
        emit_entries(value, out)
        out.append(close)

    return emit


def _scalar_text(shape: Shape, timestamp_format: str | None) -> Text | None:
    """A scalar's text before escaping; None: ``str`` (strings, integers)."""
    kind = shape.type
    if kind == "boolean":
        return wire.bool_text
    if kind in ("float", "double"):
        return wire.float_text
    if kind == "timestamp":
        fmt = timestamp_format or "iso8601"
        return lambda value: str(wire.format_timestamp(value, fmt))
    if kind == "blob":
        return wire.b64encode
    return None


def _text(member: Member) -> Text:
    """An attribute member's value as text (botocore sets the value as it is,
    which ElementTree writes only for strings; other scalars are spelled as
    element text would be)."""
    text = _scalar_text(member.shape, member.timestamp_format)
    return str if text is None else text
