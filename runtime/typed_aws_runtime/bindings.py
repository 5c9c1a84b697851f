"""HTTP bindings: the parts of a request and response that rest-json and
rest-xml share (URI labels, query string, headers and header maps, host
prefix, status code), following botocore's ``BaseRestSerializer`` and
``BaseRestParser``.

The body is the protocol's: :class:`HttpBindings` hands it the body members
(encoded by the protocol's member encoder) and the payload member, and
parses only what sits outside the body.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any, BinaryIO

from typed_aws_runtime import wire
from typed_aws_runtime.errors import ParamValidationError
from typed_aws_runtime.schema import ListShape, Member, Operation, StructureShape
from typed_aws_runtime.transport import HttpResponse
from typed_aws_runtime.validate import LINE_BREAK, has_line_break

_LABEL = re.compile(r"\{([^}]+)\}")
_HOST_LABEL = re.compile(r"^[A-Za-z0-9.-]+$")

Codec = Callable[[Any], Any]
MemberEncoder = Callable[[Member], "Codec | None"]

# Where a member of an input goes.
BODY, PAYLOAD, URI, QUERY, HEADER, HEADERS = range(6)
_LOCATIONS = {
    "uri": URI,
    "querystring": QUERY,
    "header": HEADER,
    "headers": HEADERS,
}
_Step = tuple[str, int, str, "Codec | None", Member]


class BoundRequest:
    """Everything of a request but its body, plus the body's members."""

    __slots__ = ("path", "query", "headers", "body", "host_prefix")

    def __init__(
        self,
        path: str,
        query: str,
        headers: dict[str, str],
        body: dict[str, Any],
        host_prefix: str | None,
    ) -> None:
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body  # body members by serialized name, encoded
        self.host_prefix = host_prefix


class HttpBindings:
    """The HTTP bindings of one protocol; ``member_encoder`` encodes body
    members for its codec (None: values are kept as they are)."""

    def __init__(self, member_encoder: MemberEncoder | None = None) -> None:
        self._member_encoder = member_encoder
        self._plans: dict[Operation, tuple[_Step, ...]] = {}

    def _plan(self, shape: StructureShape, op: Operation) -> tuple[_Step, ...]:
        """The input's members in model order, each with where it goes: the
        order botocore gives a caller who passes them in model order, and the
        order the Smithy suites expect."""
        steps = []
        encode_member = self._member_encoder
        for wire_name, member in shape.members.items():
            location = member.location
            if location is None:
                where: int | None = PAYLOAD if wire_name == shape.payload else BODY
            else:
                where = _LOCATIONS.get(location)
            if where is None:
                continue  # statusCode and the like: nothing to send
            encode = (
                encode_member(member)
                if where == BODY and encode_member is not None
                else None
            )
            steps.append((wire_name, where, member.serialized_name, encode, member))
        plan = tuple(steps)
        self._plans[op] = plan
        return plan

    def bind(self, op: Operation, params: Mapping[str, Any] | None) -> BoundRequest:
        """The path, query, headers and host prefix of a request, and its body
        members (not the payload member: see :func:`raw_payload`)."""
        shape = op.input
        headers: dict[str, str] = {}
        if shape is None:
            return BoundRequest(
                op.path, op.static_query, headers, {}, host_prefix(op, None, {})
            )
        plan = self._plans.get(op) or self._plan(shape, op)
        labels: dict[str, str] = {}
        query: dict[str, str | list[str]] = {}
        body: dict[str, Any] = {}
        params = params or {}
        get = params.get
        broken: list[str] | None = None  # header values with a line break
        for wire_name, where, name, encode, member in plan:
            value = get(wire_name)
            if value is None:
                continue
            if where == BODY:
                body[name] = value if encode is None else encode(value)
            elif where == URI:
                labels[name] = scalar_text(member, value, "iso8601")
            elif where == QUERY:
                _add_query(query, member, value)
            elif where == HEADER:
                if member.shape.type == "list" and not value:
                    continue  # an empty list sends no header at all
                text = header_text(member, value)
                if "\r" in text or "\n" in text:
                    broken = _line_break(broken, f"{op.name}.{member.python}:")
                headers[name] = text
            elif where == HEADERS:
                for key, item in value.items():
                    if has_line_break(key) or has_line_break(item):
                        path = f"{op.name}.{member.python}[{key!r}]"
                        if has_line_break(key):
                            broken = _line_break(broken, f"{path}: the key")
                        if has_line_break(item):
                            broken = _line_break(broken, f"{path}:")
                    headers[name + key] = item
        if broken:
            # Checked even with validation off, as the host labels are: a
            # line break would end the header (and the transport refuses it).
            raise ParamValidationError(broken)
        path = _render_path(op.path_parts, labels) if labels else op.path
        return BoundRequest(
            path,
            _query_string(op.static_query, query) if query else op.static_query,
            headers,
            body,
            host_prefix(op, shape, params) if op.host_prefix is not None else None,
        )


# -- request parts ---------------------------------------------------------------


def scalar_text(member: Member, value: Any, default_ts: str) -> str:
    """A value as it appears in a URI label or a query string."""
    kind = member.shape.type
    if kind == "boolean":
        return wire.bool_text(value)
    if kind == "timestamp":
        return str(wire.format_timestamp(value, member.timestamp_format or default_ts))
    if kind in ("float", "double"):
        return wire.float_text(value)
    return str(value)


def header_text(member: Member, value: Any) -> str:
    shape = member.shape
    kind = shape.type
    if kind == "timestamp":
        # botocore drops the fraction of a second in headers, whatever the format.
        value = value.replace(microsecond=0)
        return str(wire.format_timestamp(value, member.timestamp_format or "rfc822"))
    if kind == "list":
        assert isinstance(shape, ListShape)
        inner = shape.member
        if inner.shape.type == "string":
            return ",".join(_quote_header_item(str(v)) for v in value if v is not None)
        return ",".join(header_text(inner, v) for v in value if v is not None)
    if member.jsonvalue:
        return wire.b64encode(json.dumps(value, separators=(",", ":")))
    if kind == "boolean":
        return wire.bool_text(value)
    if kind in ("float", "double"):
        return wire.float_text(value)
    if kind == "blob":
        return wire.b64encode(value)
    return str(value)


def _line_break(found: list[str] | None, path: str) -> list[str]:
    """``found`` (created on the first problem) with one more."""
    found = found or []
    found.append(f"{path} {LINE_BREAK}")
    return found


def _quote_header_item(value: str) -> str:
    if '"' in value or "," in value:
        return '"' + value.replace('"', '\\"') + '"'
    return value


def _render_path(
    parts: tuple[tuple[str, str, bool], ...], labels: Mapping[str, str]
) -> str:
    # parts: (literal text before a label, the label, whether it is greedy).
    out = []
    for text, name, greedy in parts:
        out.append(text)
        if name:
            out.append(wire.percent_encode(labels[name], safe="/~" if greedy else "~"))
    return "".join(out)


def _add_query(query: dict[str, str | list[str]], member: Member, value: Any) -> None:
    """One member into botocore's dict of query parameters (one entry per key).

    A map of query parameters (``httpQueryParams``) never replaces a named
    query member, whichever comes first: the Smithy rule, where botocore lets
    the later of the two win (see the conformance tests' decisions).
    """
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key not in query:
                query[key] = (
                    [str(i) for i in item]
                    if isinstance(item, (list, tuple))
                    else str(item)
                )
        return
    if member.shape.type == "list":
        assert isinstance(member.shape, ListShape)
        inner = member.shape.member
        query[member.serialized_name] = [
            scalar_text(inner, v, "iso8601") for v in value
        ]
        return
    query[member.serialized_name] = scalar_text(member, value, "iso8601")


def _query_string(static: str, query: Mapping[str, str | list[str]]) -> str:
    parts = [static] if static else []
    encode = wire.percent_encode
    for key, value in query.items():
        name = encode(key)
        if isinstance(value, list):
            parts.extend(f"{name}={encode(v)}" for v in value)
        else:
            parts.append(f"{name}={encode(value)}")
    return "&".join(parts)


def raw_payload(member: Member, value: Any) -> bytes | BinaryIO:
    """A blob or string payload member as the body itself."""
    if isinstance(value, str):
        return value.encode("utf-8")
    return b"" if value is None else value


def has_header(headers: Mapping[str, str], name: str) -> bool:
    name = name.lower()
    return bool(headers) and any(k.lower() == name for k in headers)


def host_prefix(
    op: Operation, shape: StructureShape | None, present: Mapping[str, Any]
) -> str | None:
    """The operation's host prefix with its labels filled (checked even with
    validation off, as botocore does: they become part of a host name)."""
    template = op.host_prefix
    if template is None or shape is None:
        return template
    values = {
        m.wire: present.get(m.wire) for m in shape.members.values() if m.host_label
    }
    bad = [
        name
        for name, v in values.items()
        if not isinstance(v, str) or not _HOST_LABEL.match(v)
    ]
    if bad:
        raise ParamValidationError(
            [
                f"{name}: must contain only alphanumeric characters, hyphen, or period"
                for name in bad
            ]
        )
    return _LABEL.sub(lambda m: str(values.get(m.group(1), "")), template)


# -- responses -------------------------------------------------------------------


LOCATED = ("header", "headers", "statusCode")


def located_members(shape: StructureShape) -> tuple[Member, ...]:
    """The members of an output bound to headers or the status code."""
    return tuple(m for m in shape.members.values() if m.location in LOCATED)


def parse_located(
    members: tuple[Member, ...], response: HttpResponse, values: dict[str, Any]
) -> None:
    """Members bound to headers and the status code, into ``values``."""
    headers = wire.lower_headers(response.headers)
    for member in members:
        location = member.location
        if location == "header":
            raw = headers.get(member.serialized_name.lower())
            if raw is not None:
                values[member.python] = header_value(member, raw)
        elif location == "headers":
            # Without a locationName the map takes every header (botocore).
            prefix = (member.location_name or "").lower()
            found = {
                k[len(prefix) :]: v
                for k, v in response.headers.items()
                if k.lower().startswith(prefix)
            }
            values[member.python] = found  # present even when empty, as in botocore
        elif location == "statusCode":
            values[member.python] = response.status_code


def header_value(member: Member, raw: str) -> Any:
    shape = member.shape
    kind = shape.type
    if member.jsonvalue:
        return json.loads(wire.b64decode(raw))
    if kind == "timestamp":
        return wire.parse_timestamp(raw)
    if kind in ("integer", "long"):
        return int(raw)
    if kind in ("float", "double"):
        return wire.float_in(raw)
    if kind == "boolean":
        # botocore takes anything but "true" as False; we refuse what is
        # neither (spec: a member of the wrong type is refused).
        flag = raw.strip().lower()
        if flag not in ("true", "false"):
            raise ValueError(f"expected true or false, got {raw[:40]!r}")
        return flag == "true"
    if kind == "blob":
        return wire.b64decode(raw)
    if kind == "list":
        assert isinstance(shape, ListShape)
        return [
            header_value(shape.member, item)
            for item in _split_header_list(raw, shape.member)
        ]
    if kind == "string" and shape.enum_class is not None:
        return shape.enum_class._value2member_map_.get(raw, raw)  # type: ignore[attr-defined]
    return raw


def _split_header_list(raw: str, member: Member) -> list[str]:
    if member.shape.type == "timestamp":
        # HTTP dates contain commas: pair them back up.
        parts = [p.strip() for p in raw.split(",")]
        return [f"{parts[i]}, {parts[i + 1]}" for i in range(0, len(parts) - 1, 2)]
    items, current, quoted, escaped = [], "", False, False
    for ch in raw:
        if escaped:
            current += ch
            escaped = False
        elif ch == "\\" and quoted:
            escaped = True
        elif ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            items.append(current.strip())
            current = ""
        else:
            current += ch
    items.append(current.strip())
    return items
