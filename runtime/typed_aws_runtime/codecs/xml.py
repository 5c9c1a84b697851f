"""The XML decoder: response elements to typed values, per shape.

Shared by the ``query``, ``ec2`` and ``rest-xml`` protocols; it follows
botocore's ``BaseXMLResponseParser`` rule for rule and knows nothing of HTTP
or of where in a document a protocol's output sits.

The API (stable; protocols use nothing else):

* ``parse(raw: bytes) -> Element``: the root element of a response body,
  decoded as UTF-8 whatever the XML declaration says (as botocore);
  malformed XML raises ``ValueError``.
* ``decoder(shape) -> Callable[[Element], Any]``: the typed value an element
  holds as ``shape``: a structure (built with ``structure.build``; a plain
  dict for shapes without a class) from its child elements and attributes, a
  wrapped list from its children (whatever their tag), a wrapped map from its
  ``entry`` children, a scalar from its text.
* ``members_decoder(shape) -> Callable[[Element], dict[str, Any]]``: a
  structure's members by Python name, not built into the class: for a
  protocol that adds members of its own (headers, status code) or reads an
  error's members.
* ``converter(shape) -> Callable[[str], Any] | None``: a scalar's text to
  its typed value (None: the text is the value), for attributes and headers.
* ``local_name(tag) -> str``: a tag without its ``{namespace}``.
* ``children(element) -> dict[str, Element]``: the child elements by local
  name, the first of each name (botocore's ``_build_name_to_xml_node``
  without its lists of repeats), for envelopes (``FooResult``,
  ``ResponseMetadata``, ``Error``).

Decoders raise ``TypeError``/``ValueError``/``KeyError`` on text that cannot
be what the model says (``protocols.base.DECODE_ERRORS``); the protocol turns
them into a ``ResponseParseError``.

The rules (botocore's):

* a member's element is named by its ``locationName`` (the member's, else
  its shape's), else the member's name; a name taken from the shape (botocore)
  leaves the member's own name accepted too, where no other member has it
  (Smithy); namespaces are ignored;
* a flattened list (the member's or the shape's ``flattened``) is every
  element of that name, one item each; its name is the list member's
  ``locationName`` when it has one (botocore), and the member's own name is
  accepted too where no other member has it (Smithy: SimpleDB's ``Item``
  elements of a member ``Items`` need the first, Smithy-made models the
  second); a wrapped list is one element whose children are the items,
  whatever their tag;
* a map is ``entry`` elements (each element of the member's name when
  flattened) holding a ``key`` and a ``value`` (or their ``locationName``);
  any other tag in an entry is an error; an entry without a value is
  dropped (as a null in a JSON map is);
* an ``xmlAttribute`` member is read from the structure's attributes
  (``xsi:type`` matches ``{any namespace}type``) when no child names it,
  converted to its type (botocore keeps the text);
* members with an HTTP location (headers, status code) are left to the
  protocol;
* scalars: an empty element is the empty string; booleans are ``true``
  (anything else is ``False``, as botocore); integers, floats (``NaN``,
  ``Infinity``, ``-Infinity``), timestamps (``wire.parse_timestamp``) and
  base64 blobs; enum values the model does not know stay plain strings;
* a repeated element of a member that is not flattened: the first counts
  (botocore keeps the first structure; for other shapes it has no rule);
* a union whose only child is a member unknown to the model has no field
  set and names it in ``sdk_unknown_member`` (botocore's
  ``SDK_UNKNOWN_MEMBER``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from typed_aws_runtime import wire
from typed_aws_runtime.schema import (
    CompiledCache,
    ListShape,
    MapShape,
    Member,
    Shape,
    StructureShape,
)

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

Decoder = Callable[["Element"], Any]
MembersDecoder = Callable[["Element"], dict[str, Any]]

_DECODERS: CompiledCache[Decoder] = CompiledCache(lambda shape: _compile(shape))
# A structure's members decoder, written while its decoder compiles and read
# only once ``decoder(shape)`` has returned (that is, once it is published).
_MEMBERS: dict[Shape, MembersDecoder] = {}
# Locations botocore's XML parser leaves to the protocol (KNOWN_LOCATIONS).
_LOCATED = frozenset({"header", "headers", "statusCode"})
# How a structure's child is taken in: its text as is, its text converted,
# its text as an enum member (or itself, unknown to the model), decoded
# whole, a wrapped list of plain strings, a wrapped list of items decoded
# each (those take the first of repeated elements), as one item of a
# flattened list, as one flattened map entry; or skipped (no member).
_TEXT, _CONVERT, _ENUM, _ONE, _LIST_TEXT, _LIST, _ITEM, _ENTRY, _SKIP = range(9)
_Spec = tuple[str, int, Any]
_SKIPPED: _Spec = ("", _SKIP, None)
# How many namespaced tags a structure remembers (a bound for odd responses).
_TAG_CACHE = 256
_MISSING: Any = object()
# A document's start up to its root's name (an XML declaration, white space),
# the root's default namespace declaration as its only attribute, the end of
# the start tag. A value the parser could refuse (``}``, ``<``, ``&``, bytes
# outside printable ASCII, the two reserved namespaces) is left to it.
_DEFAULT_NAMESPACE = re.compile(
    rb"((?:<\?xml[^>]*\?>)?[ \t\r\n]*<[A-Za-z_][\w.-]*)[ \t\r\n]+"
    rb'xmlns="([^"<&}\x00-\x1f\x7f-\xff]*)"([ \t\r\n]*/?>)'
)
_RESERVED_NAMESPACES = frozenset(
    {b"http://www.w3.org/XML/1998/namespace", b"http://www.w3.org/2000/xmlns/"}
)


# -- the API ---------------------------------------------------------------------


def parse(raw: bytes) -> Element:
    """The root element of an XML document (decoded as UTF-8, as botocore)."""
    from xml.etree import ElementTree

    found = _DEFAULT_NAMESPACE.match(raw)
    if found is not None and found.group(2) not in _RESERVED_NAMESPACES:
        # Namespaces are ignored (tags are read by local name): the root's
        # default namespace, when it is the root's only attribute, is dropped
        # before parsing, which spares expat resolving every tag against it.
        raw = found.group(1) + found.group(3) + raw[found.end() :]
    try:
        parser = ElementTree.XMLParser(
            target=ElementTree.TreeBuilder(), encoding="utf-8"
        )
        parser.feed(raw)
        return parser.close()
    except ElementTree.ParseError as exc:
        raise ValueError(f"invalid XML ({exc})") from None


def decoder(shape: Shape) -> Decoder:
    """The shape's compiled decoder of one element."""
    return _DECODERS.get(shape)


def members_decoder(shape: StructureShape) -> MembersDecoder:
    """A structure's members (by Python name) from its element, unbuilt."""
    decoder(shape)  # compiled and published first
    return _MEMBERS[shape]


def local_name(tag: str) -> str:
    """``{namespace}Name`` -> ``Name``."""
    return tag[tag.index("}") + 1 :] if tag[:1] == "{" else tag


def children(element: Element) -> dict[str, Element]:
    """The child elements by local name; the first of each name wins."""
    out: dict[str, Element] = {}
    for child in element:
        out.setdefault(local_name(child.tag), child)
    return out


def text(element: Element) -> str:
    """An element's text; an empty element is the empty string."""
    return element.text or ""


# -- compiling -------------------------------------------------------------------


def _compile(shape: Shape) -> Decoder:
    kind = shape.type
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        return _structure(shape)
    if kind == "list":
        assert isinstance(shape, ListShape)
        item_shape = shape.member.shape
        if item_shape.type not in ("structure", "list", "map"):
            convert = converter(item_shape)
            if convert is None:
                return lambda element: [child.text or "" for child in element]
            return lambda element: [convert(child.text or "") for child in element]
        item = decoder(item_shape)
        return lambda element: [item(child) for child in element]
    if kind == "map":
        assert isinstance(shape, MapShape)
        entry = _entry(shape)

        def decode_map(element: Element) -> dict[Any, Any]:
            out: dict[Any, Any] = {}
            for child in element:
                pair = entry(child)
                if pair is not None:
                    out[pair[0]] = pair[1]
            return out

        return decode_map
    return _scalar(shape)


def _scalar(shape: Shape) -> Decoder:
    convert = converter(shape)
    if convert is None:
        return text
    return lambda element: convert(element.text or "")


def converter(shape: Shape) -> Callable[[str], Any] | None:
    """A scalar's text to its typed value; None for plain strings."""
    kind = shape.type
    if kind == "boolean":
        return _true
    if kind in ("integer", "long"):
        return int
    if kind in ("float", "double"):
        return float
    if kind == "timestamp":
        return wire.parse_iso8601  # XML's format; others read as botocore does
    if kind == "blob":
        return wire.b64decode
    if shape.enum_class is not None:
        # Values the model does not know stay plain strings.
        known = shape.enum_class._value2member_map_  # type: ignore[attr-defined]
        return lambda value: known.get(value, value)
    return None


def _true(value: str) -> bool:
    # botocore takes anything but "true" as False; text that is neither is
    # not a boolean (spec: a member of the wrong type is refused).
    if value == "true":
        return True
    if value == "false":
        return False
    raise ValueError(f"expected true or false, got {value[:40]!r}")


def _entry(shape: MapShape) -> Callable[[Element], tuple[Any, Any] | None]:
    """One map entry's (key, value); None for an entry without a value."""
    key_name = shape.key.location_name or "key"
    value_name = shape.value.location_name or "value"
    decode_key = decoder(shape.key.shape)
    decode_value = decoder(shape.value.shape)

    def decode_entry(element: Element) -> tuple[Any, Any] | None:
        key = value = _MISSING
        for part in element:
            tag = local_name(part.tag)
            if tag == key_name:
                key = decode_key(part)
            elif tag == value_name:
                value = decode_value(part)
            else:
                raise ValueError(f"unknown tag in a map entry: {tag!r}")
        if key is _MISSING:
            raise ValueError(f"a map entry without <{key_name}>")
        if value is _MISSING:
            return None
        return key, value

    return decode_entry


def _element_name(member: Member) -> str:
    # botocore's _member_key_name: a flattened list is named by its member.
    shape = member.shape
    if member.flattened and isinstance(shape, ListShape):
        name = shape.member.location_name
        if name is not None:
            return name
    return member.serialized_name


def _structure(shape: StructureShape) -> Decoder:
    # local tag -> (Python name, how it is taken in, decoder)
    fields: dict[str, _Spec] = {}
    # Every tag as parsed -> its spec (``_SKIPPED`` for a tag that is no member):
    # the local tags from the start, namespaced ones (``{ns}Name``) added as
    # they are met, so that each child costs one lookup.
    lookup: dict[str, _Spec] = {}
    attributes: list[tuple[str, str, str | None, Callable[[str], Any] | None]] = []
    cls, union, new = shape.cls, shape.union, object.__new__
    shape_name = shape.name

    def learn(tag: str) -> _Spec:
        spec = fields.get(local_name(tag), _SKIPPED) if tag[:1] == "{" else _SKIPPED
        if len(lookup) < _TAG_CACHE:
            lookup[tag] = spec
        return spec

    def decode(element: Element, members_only: bool = False) -> Any:
        # One function for the members and the structure built from them:
        # a call per structure, not two. The members are written straight
        # into the new instance's ``__dict__``.
        values: dict[str, Any]
        if members_only or cls is None:
            obj = values = {}
        else:
            obj = new(cls)
            values = obj.__dict__
        for child in element:
            try:
                name, how, take = lookup[child.tag]
            except KeyError:
                name, how, take = learn(child.tag)
            # Most frequent first; a repeated element of a member that is
            # not flattened: the first counts (botocore).
            if how == _TEXT:
                if name not in values:
                    values[name] = child.text or ""
            elif how == _CONVERT:
                if name not in values:
                    values[name] = take(child.text or "")
            elif how == _ENUM:
                if name not in values:
                    raw = child.text or ""
                    values[name] = take.get(raw, raw)
            elif how == _LIST:
                if name not in values:
                    decoded: list[Any] = []
                    for c in child:  # (a loop: no comprehension frame on 3.11)
                        decoded.append(take(c))
                    values[name] = decoded
            elif how == _ONE:
                if name not in values:
                    values[name] = take(child)
            elif how == _LIST_TEXT:
                if name not in values:
                    values[name] = [c.text or "" for c in child]
            elif how == _ITEM:
                items = values.get(name)
                if items is None:
                    items = values[name] = []
                items.append(take(child))
            elif how == _ENTRY:
                pair = take(child)
                if pair is not None:
                    entries = values.get(name)
                    if entries is None:
                        entries = values[name] = {}
                    entries[pair[0]] = pair[1]
            # _SKIP: no member of the structure
        if attributes:
            _read_attributes(element, attributes, values)
        if union and not members_only:
            if not values:
                _unknown_union_member(shape, element, obj)
            elif len(values) > 1:
                # botocore: "must have one and only one member set".
                raise ValueError(
                    f"{shape_name}: a union with {len(values)} members set"
                )
        return obj

    # Registered before its members are compiled: shapes may recurse.
    _DECODERS.register(shape, decode)
    _MEMBERS[shape] = lambda element: decode(element, True)
    aliases: list[tuple[str, _Spec]] = []
    for member in shape.members.values():
        if member.location in _LOCATED:
            continue
        if member.xml_attribute:
            name = member.serialized_name
            _, colon, local = name.partition(":")
            attributes.append(
                (member.python, name, local if colon else None, converter(member.shape))
            )
            continue
        target = member.shape
        spec: _Spec
        if member.flattened and isinstance(target, ListShape):
            spec = (member.python, _ITEM, decoder(target.member.shape))
        elif member.flattened and isinstance(target, MapShape):
            spec = (member.python, _ENTRY, _entry(target))
        elif isinstance(target, ListShape) and target.member.shape.type in (
            "structure",
            "list",
            "map",
        ):
            spec = (member.python, _LIST, decoder(target.member.shape))
        elif (
            isinstance(target, ListShape)
            and target.member.shape.type == "string"
            and converter(target.member.shape) is None
        ):
            spec = (member.python, _LIST_TEXT, text)
        elif target.type in ("structure", "list", "map"):
            spec = (member.python, _ONE, decoder(target))
        elif target.type == "string" and target.enum_class is not None:
            known = target.enum_class._value2member_map_  # type: ignore[attr-defined]
            spec = (member.python, _ENUM, known)
        else:
            convert = converter(target)
            spec = (
                (member.python, _TEXT, text)
                if convert is None
                else (member.python, _CONVERT, convert)
            )
        name = _element_name(member)
        fields.setdefault(name, spec)
        if name != member.serialized_name:
            aliases.append((member.serialized_name, spec))
        if member.shape.location_name == member.location_name != member.wire:
            # A name the member takes from its shape (botocore); Smithy names
            # the element after the member.
            aliases.append((member.wire, spec))
    for name, spec in aliases:
        fields.setdefault(name, spec)
    lookup.update(fields)
    return decode


def _read_attributes(
    element: Element,
    attributes: list[tuple[str, str, str | None, Callable[[str], Any] | None]],
    values: dict[str, Any],
) -> None:
    attrib = element.attrib
    for python, name, local, convert in attributes:
        if python in values:
            continue  # a child element of the name came first (botocore)
        raw = attrib.get(name)
        if raw is None and local is not None:
            # ``xsi:type`` is the attribute ``{namespace}type`` after parsing.
            for key, value in attrib.items():
                if key[:1] == "{" and local_name(key) == local:
                    raw = value
                    break
        if raw is not None:
            # botocore keeps an attribute's text as is; typed, it is converted.
            values[python] = raw if convert is None else convert(raw)


def _unknown_union_member(shape: StructureShape, element: Element, obj: Any) -> None:
    """Name a union member unknown to the model (botocore's rule)."""
    tags = {local_name(child.tag) for child in element}
    if len(tags) != 1:
        return
    (tag,) = tags
    known = {_element_name(m) for m in shape.members.values()}
    if tag not in known:
        if isinstance(obj, dict):
            obj["SDK_UNKNOWN_MEMBER"] = {"name": tag}
        else:
            obj.__dict__["sdk_unknown_member"] = tag
