"""The rest-json protocol: requests from typed input, typed output from responses.

It follows botocore's ``RestJSONSerializer`` and ``RestJSONParser`` rule for
rule (locations, timestamp formats, payload members, empty bodies, error
codes), so the same call builds the same request and the same response
parses to the same values.
"""

from __future__ import annotations

import base64
import calendar
import datetime
import email.utils
import http.client
import json
import math
import re
from collections.abc import Mapping
from typing import Any, BinaryIO
from urllib.parse import quote

from codegen.runtime.errors import ParamValidationError, ResponseParseError
from codegen.runtime.schema import (
    ListShape,
    MapShape,
    Member,
    Operation,
    Shape,
    StructureShape,
)
from codegen.runtime.streaming import StreamingBody
from codegen.runtime.structure import Structure
from codegen.runtime.transport import HttpResponse

_LABEL = re.compile(r"\{([^}]+)\}")
_HOST_LABEL = re.compile(r"^[A-Za-z0-9.-]+$")
_UTC = datetime.UTC
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=_UTC)


class SerializedRequest:
    __slots__ = ("method", "path", "query", "headers", "body", "host_prefix")

    def __init__(
        self,
        method: str,
        path: str,
        query: str,
        headers: dict[str, str],
        body: bytes | BinaryIO,
        host_prefix: str | None,
    ) -> None:
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.host_prefix = host_prefix


# -- values -----------------------------------------------------------------


def percent_encode(value: str, safe: str = "-_.~") -> str:
    return quote(value, safe=safe)


def _aware(value: datetime.datetime) -> datetime.datetime:
    # Naive datetimes are UTC, as botocore assumes.
    if value.tzinfo is None:
        return value.replace(tzinfo=_UTC)
    return value.astimezone(_UTC)


def format_timestamp(value: datetime.datetime, fmt: str) -> str | int:
    value = _aware(value)
    fmt = fmt.lower()
    if fmt == "iso8601":
        pattern = "%Y-%m-%dT%H:%M:%S.%fZ" if value.microsecond else "%Y-%m-%dT%H:%M:%SZ"
        return value.strftime(pattern)
    seconds = calendar.timegm(value.timetuple())
    if fmt == "rfc822":
        return email.utils.formatdate(seconds, usegmt=True)
    return int(seconds)


def _float(value: float) -> float | str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def _b64(value: bytes | str) -> str:
    if isinstance(value, str):
        value = value.encode("utf-8")
    return base64.b64encode(value).decode("ascii")


def _scalar_text(member: Member, value: Any, default_ts: str) -> str:
    """A value as it appears in a URI label or a query string."""
    kind = member.shape.type
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "timestamp":
        return str(format_timestamp(value, member.timestamp_format or default_ts))
    if kind in ("float", "double"):
        return str(_float(value))
    return str(value)


def _header_text(member: Member, value: Any) -> str:
    shape = member.shape
    kind = shape.type
    if kind == "timestamp":
        # botocore drops the fraction of a second in headers, whatever the format.
        value = value.replace(microsecond=0)
        return str(format_timestamp(value, member.timestamp_format or "rfc822"))
    if kind == "list":
        assert isinstance(shape, ListShape)
        inner = shape.member
        if inner.shape.type == "string":
            return ",".join(_quote_header_item(str(v)) for v in value if v is not None)
        return ",".join(_header_text(inner, v) for v in value if v is not None)
    if member.jsonvalue:
        return _b64(json.dumps(value, separators=(",", ":")))
    if kind == "boolean":
        return "true" if value else "false"
    if kind in ("float", "double"):
        return str(_float(value))
    if kind == "blob":
        return _b64(value)
    return str(value)


def _quote_header_item(value: str) -> str:
    if '"' in value or "," in value:
        return '"' + value.replace('"', '\\"') + '"'
    return value


# -- JSON bodies ---------------------------------------------------------------


def to_json(shape: Shape, value: Any, timestamp_format: str | None = None) -> Any:
    """A typed value as the JSON value botocore would put in the body."""
    kind = shape.type
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        if shape.document:
            return value
        out = {}
        members = shape.by_python
        # Only what the caller set lives in the instance's __dict__.
        fields = getattr(value, "__dict__", None)
        if fields is None:
            raise TypeError(f"expected {shape.name}, got {type(value).__name__}")
        for name, item in fields.items():
            member = members.get(name)
            if member is None or item is None:
                continue
            target = member.shape
            out[member.serialized_name] = (
                item if target.plain else to_json(target, item, member.timestamp_format)
            )
        return out
    if kind == "list":
        assert isinstance(shape, ListShape)
        inner = shape.member
        if inner.shape.plain:
            return list(value)
        return [to_json(inner.shape, v, inner.timestamp_format) for v in value]
    if kind == "map":
        assert isinstance(shape, MapShape)
        inner = shape.value
        return {
            k: to_json(inner.shape, v, inner.timestamp_format) for k, v in value.items()
        }
    if kind == "timestamp":
        return format_timestamp(value, timestamp_format or "unixtimestamp")
    if kind == "blob":
        return _b64(value)
    if kind in ("float", "double"):
        return _float(value)
    return value


# -- requests ------------------------------------------------------------------


def serialize(op: Operation, params: Mapping[str, Any] | None) -> SerializedRequest:
    """The request botocore's rest-json serializer builds for ``params``."""
    shape = op.input
    headers: dict[str, str] = {}
    if shape is None:
        return SerializedRequest(
            op.method,
            op.path,
            op.static_query,
            headers,
            b"",
            _host_prefix(op, None, {}),
        )
    labels: dict[str, str] = {}
    query: dict[str, str | list[str]] = {}
    body: dict[str, Any] = {}
    present: dict[str, Any] = {}
    params = params or {}
    # Members in model order: the order botocore gives a caller who passes
    # them in model order, and the order the Smithy suites expect.
    for wire, member in shape.members.items():
        value = params.get(wire)
        if value is None:
            continue
        present[wire] = value
        location = member.location
        if location is None:
            if wire == shape.payload:
                continue  # the payload is the body itself: see _payload
            target = member.shape
            body[member.serialized_name] = (
                value
                if target.plain
                else to_json(target, value, member.timestamp_format)
            )
        elif location == "uri":
            labels[member.serialized_name] = _scalar_text(member, value, "iso8601")
        elif location == "querystring":
            _add_query(query, member, value)
        elif location == "header":
            if member.shape.type == "list" and not value:
                continue  # an empty list sends no header at all
            headers[member.serialized_name] = _header_text(member, value)
        elif location == "headers":
            for key, item in value.items():
                headers[member.serialized_name + key] = item
    path = _render_path(op.path_parts, labels) if labels else op.path
    payload_body = _payload(shape, present, body, headers)
    return SerializedRequest(
        op.method,
        path,
        _query_string(op.static_query, query),
        headers,
        payload_body,
        _host_prefix(op, shape, present),
    )


def _render_path(
    parts: tuple[tuple[str, str, bool], ...], labels: Mapping[str, str]
) -> str:
    # parts: (literal text before a label, the label, whether it is greedy).
    out = []
    for text, name, greedy in parts:
        out.append(text)
        if name:
            out.append(percent_encode(labels[name], safe="/~" if greedy else "~"))
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
            _scalar_text(inner, v, "iso8601") for v in value
        ]
        return
    query[member.serialized_name] = _scalar_text(member, value, "iso8601")


def _query_string(static: str, query: Mapping[str, str | list[str]]) -> str:
    parts = [static] if static else []
    for key, value in query.items():
        name = percent_encode(key)
        if isinstance(value, list):
            parts.extend(f"{name}={percent_encode(v)}" for v in value)
        else:
            parts.append(f"{name}={percent_encode(value)}")
    return "&".join(parts)


def _payload(
    shape: StructureShape,
    present: Mapping[str, Any],
    body: dict[str, Any],
    headers: dict[str, str],
) -> bytes | BinaryIO:
    payload = shape.payload
    if payload is not None:
        member = shape.members[payload]
        value = present.get(payload)
        if member.shape.type in ("blob", "string"):
            if isinstance(value, str):
                return value.encode("utf-8")
            return b"" if value is None else value
        if value is None:
            result = b"{}"
        else:
            result = json.dumps(to_json(member.shape, value)).encode("utf-8")
    elif body:
        result = json.dumps(body).encode("utf-8")
    elif shape.by_serialized:  # the shape has body members, none of them set
        result = b"{}"
    else:
        result = b""
    if result and not any(k.lower() == "content-type" for k in headers):
        headers["Content-Type"] = "application/json"
    return result


def _host_prefix(
    op: Operation, shape: StructureShape | None, present: Mapping[str, Any]
) -> str | None:
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
        # botocore checks host labels even with validation off: they become a host name.
        raise ParamValidationError(
            [
                f"{name}: must contain only alphanumeric characters, hyphen, or period"
                for name in bad
            ]
        )
    return _LABEL.sub(lambda m: str(values.get(m.group(1), "")), template)


# -- responses ---------------------------------------------------------------


def parse_timestamp(value: Any) -> datetime.datetime:
    if isinstance(value, (int, float)):
        return _EPOCH + datetime.timedelta(seconds=value)
    text = str(value).strip()
    try:
        return _EPOCH + datetime.timedelta(seconds=float(text))
    except ValueError:
        pass
    try:
        parsed = email.utils.parsedate_to_datetime(text)
        return _aware(parsed)
    except (TypeError, ValueError, IndexError):
        pass
    return _aware(datetime.datetime.fromisoformat(text.replace("Z", "+00:00")))


def _parse_float(value: Any) -> float:
    if isinstance(value, str):
        return float(value)  # "NaN", "Infinity", "-Infinity"
    return float(value)


def from_json(shape: Shape, value: Any) -> Any:
    """A JSON value from a response body as the typed value it models."""
    if value is None:
        return None
    kind = shape.type
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        if shape.document:
            return value
        if type(value) is not dict and not isinstance(value, Mapping):
            raise TypeError(
                f"expected an object for {shape.name}, got {type(value).__name__}"
            )
        values = {}
        # Nested JSON ignores locations, as botocore's parser does.
        members = shape.by_wire_name
        for key, item in value.items():
            member = members.get(key)
            if member is None or item is None:
                continue
            target = member.shape
            values[member.python] = item if target.plain else from_json(target, item)
        obj = _build(shape, values)
        if shape.union:
            _unknown_union_member(shape, value, obj)
        return obj
    if kind == "list":
        assert isinstance(shape, ListShape)
        inner = shape.member.shape
        return [from_json(inner, v) for v in value]
    if kind == "map":
        assert isinstance(shape, MapShape)
        inner = shape.value.shape
        # A null in a map is dropped, as Smithy's clients do (botocore keeps it).
        return {k: from_json(inner, v) for k, v in value.items() if v is not None}
    if kind == "timestamp":
        return parse_timestamp(value)
    if kind == "blob":
        return base64.b64decode(value)
    if kind in ("float", "double"):
        return _parse_float(value)
    if kind == "string" and shape.enum_class is not None:
        # Values the model does not know stay plain strings.
        return shape.enum_class._value2member_map_.get(value, value)  # type: ignore[attr-defined]
    return value


def _unknown_union_member(
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


def _build(shape: StructureShape, values: dict[str, Any]) -> Any:
    cls = shape.cls
    if cls is None:
        return values
    obj: Structure = object.__new__(cls)
    obj.__dict__.update(values)
    return obj


def _header_value(member: Member, raw: str) -> Any:
    shape = member.shape
    kind = shape.type
    if member.jsonvalue:
        return json.loads(base64.b64decode(raw))
    if kind == "timestamp":
        return parse_timestamp(raw)
    if kind in ("integer", "long"):
        return int(raw)
    if kind in ("float", "double"):
        return _parse_float(raw)
    if kind == "boolean":
        return raw.lower() == "true"
    if kind == "blob":
        return base64.b64decode(raw)
    if kind == "list":
        assert isinstance(shape, ListShape)
        return [
            _header_value(shape.member, item)
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


def request_id(headers: Mapping[str, str]) -> str | None:
    return headers.get("x-amzn-requestid") or headers.get("x-amz-request-id")


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


def _read_body(response: HttpResponse) -> bytes:
    body = response.body
    return body if isinstance(body, bytes) else body.read()


def parse_output(shape: StructureShape, response: HttpResponse, stream: bool) -> Any:
    """The typed output of a successful response."""
    headers = _lower(response.headers)
    values: dict[str, Any] = {}
    payload = shape.payload
    for member in shape.members.values():
        location = member.location
        if location == "header":
            raw = headers.get(member.serialized_name.lower())
            if raw is not None:
                values[member.python] = _header_value(member, raw)
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
    if payload is not None:
        member = shape.members[payload]
        kind = member.shape.type
        if kind == "blob" and member.shape.streaming:
            values[member.python] = StreamingBody(response.body)
        elif kind in ("blob", "string"):
            # An empty body is an empty value, as in botocore (Smithy: unset).
            content = _read_body(response)
            values[member.python] = (
                content if kind == "blob" else content.decode("utf-8")
            )
        else:
            data = _json_body(response, headers)
            if data is not None or not getattr(member.shape, "union", False):
                # An empty body still parses to an empty structure, as in
                # botocore; an empty union is left unset (botocore raises).
                values[member.python] = _from_json_checked(
                    member, {} if data is None else data, response, headers
                )
    elif any(m.location is None for m in shape.members.values()):
        data = _json_body(response, headers)
        if data is not None:
            if type(data) is not dict and not isinstance(data, Mapping):
                raise ResponseParseError(
                    "expected a JSON object",
                    status_code=response.status_code,
                    request_id=request_id(headers),
                )
            body_members = shape.by_serialized
            for key, raw_value in data.items():
                body_member = body_members.get(key)
                if body_member is None or raw_value is None:
                    continue
                if body_member.shape.plain:
                    values[body_member.python] = raw_value
                else:
                    values[body_member.python] = _from_json_checked(
                        body_member, raw_value, response, headers
                    )
    return _build(shape, values)


def _from_json_checked(
    member: Member, value: Any, response: HttpResponse, headers: Mapping[str, str]
) -> Any:
    try:
        return from_json(member.shape, value)
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        raise ResponseParseError(
            f"member {member.serialized_name!r}: {exc}",
            status_code=response.status_code,
            request_id=request_id(headers),
        ) from exc


def _json_body(response: HttpResponse, headers: Mapping[str, str]) -> Any:
    raw = _read_body(response)
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise ResponseParseError(
            f"the body is not JSON ({exc})",
            status_code=response.status_code,
            request_id=request_id(headers),
        ) from exc


def parse_error(response: HttpResponse) -> tuple[str, str, dict[str, Any], str | None]:
    """``(code, message, body, request_id)`` of an error response, as botocore
    reads it."""
    headers = _lower(response.headers)
    raw = _read_body(response)
    status = response.status_code
    stripped = raw.strip()
    code: Any = headers.get("x-amzn-errortype")
    body: dict[str, Any] = {}
    if status >= 500 and (not stripped or stripped.startswith(b"<html>")):
        # botocore's "generic" error (a proxy's page, an empty body): the
        # status is the code and its reason the message. A modelled error
        # type header still names the error (Smithy; botocore ignores it).
        if code is None:
            return (
                str(status),
                http.client.responses.get(status, ""),
                body,
                request_id(headers),
            )
    elif stripped:
        try:
            parsed = json.loads(raw)
            body = parsed if isinstance(parsed, dict) else {}
        except ValueError:
            body = {"message": raw.decode("utf-8", "replace")}
    if code is None:
        code = body.get("code", body.get("Code", body.get("__type")))
    # Without any code botocore uses the status code.
    code = str(status) if code is None else str(code)
    code = code.split(":", 1)[0].rsplit("#", 1)[-1]
    message = body.get("message", body.get("Message", ""))
    return code, str(message or ""), body, request_id(headers)


def parse_error_members(
    shape: StructureShape, response: HttpResponse, body: Mapping[str, Any]
) -> dict[str, Any]:
    """The modelled members of an error, from its body and headers."""
    headers = _lower(response.headers)
    values: dict[str, Any] = {}
    for member in shape.members.values():
        if member.location == "header":
            raw = headers.get(member.serialized_name.lower())
            if raw is not None:
                values[member.python] = _header_value(member, raw)
        elif member.location == "statusCode":
            values[member.python] = response.status_code
        elif member.location is None:
            raw_value = body.get(member.serialized_name)
            if raw_value is not None:
                values[member.python] = from_json(member.shape, raw_value)
    return values
