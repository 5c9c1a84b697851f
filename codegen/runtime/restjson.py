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
import json
import math
import re
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any, BinaryIO
from urllib.parse import quote

from codegen.runtime.errors import ParamValidationError, ResponseParseError
from codegen.runtime.schema import (
    CompiledCache,
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
_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*").fullmatch
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
    # Letters, digits and "-_.~" are never encoded, whatever ``safe`` says:
    # most labels and query values are only that, and skip ``quote``.
    if _UNRESERVED(value):
        return value
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
        from email.utils import formatdate  # see _reason: a costly import

        return formatdate(seconds, usegmt=True)
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
#
# Each shape's encoder (typed value -> the JSON value botocore would put in the
# body) and decoder (JSON value -> typed value) is compiled once from the
# schema into a closure. ``None`` stands for "unchanged": most members are
# strings and numbers, copied with no call at all.

_Codec = Callable[[Any], Any]
_ENCODERS: CompiledCache[_Codec | None] = CompiledCache(
    lambda shape: _compile_encoder(shape)
)
_DECODERS: CompiledCache[_Codec | None] = CompiledCache(
    lambda shape: _compile_decoder(shape)
)


def _member_encoder(member: Member) -> _Codec | None:
    # A member's timestamp format wins over its shape's (botocore).
    if member.shape.type == "timestamp":
        fmt = member.timestamp_format or "unixtimestamp"
        return lambda value: format_timestamp(value, fmt)
    return encoder(member.shape)


def encoder(shape: Shape) -> _Codec | None:
    """The shape's compiled encoder; None when values go to JSON unchanged."""
    return _ENCODERS.get(shape)


def _compile_encoder(shape: Shape) -> _Codec | None:
    kind = shape.type
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        return None if shape.document else _structure_encoder(shape)
    if kind == "list":
        assert isinstance(shape, ListShape)
        item = _member_encoder(shape.member)
        if item is None:
            return list
        return lambda value: [item(v) for v in value]
    if kind == "map":
        assert isinstance(shape, MapShape)
        entry = _member_encoder(shape.value)
        if entry is None:
            return dict
        return lambda value: {k: entry(v) for k, v in value.items()}
    if kind == "timestamp":
        fmt = shape.timestamp_format or "unixtimestamp"
        return lambda value: format_timestamp(value, fmt)
    if kind == "blob":
        return _b64
    if kind in ("float", "double"):
        return _float
    return None


def _structure_encoder(shape: StructureShape) -> _Codec:
    fields: dict[str, tuple[str, _Codec | None]] = {}
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
        fields[member.python] = (member.serialized_name, _member_encoder(member))
    return encode


# -- requests ------------------------------------------------------------------

# Where a member of an input goes.
_BODY, _PAYLOAD, _URI, _QUERY, _HEADER, _HEADERS = range(6)
_LOCATIONS = {
    "uri": _URI,
    "querystring": _QUERY,
    "header": _HEADER,
    "headers": _HEADERS,
}
_Step = tuple[str, int, str, "_Codec | None", Member]
_PLANS: dict[Operation, tuple[_Step, ...]] = {}


def _plan(op: Operation, shape: StructureShape) -> tuple[_Step, ...]:
    """The input's members in model order, each with where it goes: the
    order botocore gives a caller who passes them in model order, and the
    order the Smithy suites expect."""
    steps = []
    for wire, member in shape.members.items():
        location = member.location
        if location is None:
            where: int | None = _PAYLOAD if wire == shape.payload else _BODY
        else:
            where = _LOCATIONS.get(location)
        if where is None:
            continue  # statusCode and the like: nothing to send
        steps.append(
            (wire, where, member.serialized_name, _member_encoder(member), member)
        )
    plan = tuple(steps)
    _PLANS[op] = plan
    return plan


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
    plan = _PLANS.get(op) or _plan(op, shape)
    labels: dict[str, str] = {}
    query: dict[str, str | list[str]] = {}
    body: dict[str, Any] = {}
    params = params or {}
    get = params.get
    for wire, where, name, encode, member in plan:
        value = get(wire)
        if value is None:
            continue
        if where == _BODY:
            body[name] = value if encode is None else encode(value)
        elif where == _URI:
            labels[name] = _scalar_text(member, value, "iso8601")
        elif where == _QUERY:
            _add_query(query, member, value)
        elif where == _HEADER:
            if member.shape.type == "list" and not value:
                continue  # an empty list sends no header at all
            headers[name] = _header_text(member, value)
        elif where == _HEADERS:
            for key, item in value.items():
                headers[name + key] = item
        # _PAYLOAD: the body itself, see _payload.
    path = _render_path(op.path_parts, labels) if labels else op.path
    payload_body = _payload(shape, params, body, headers)
    return SerializedRequest(
        op.method,
        path,
        _query_string(op.static_query, query) if query else op.static_query,
        headers,
        payload_body,
        _host_prefix(op, shape, params) if op.host_prefix is not None else None,
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
            encode = encoder(member.shape)
            result = json.dumps(value if encode is None else encode(value)).encode(
                "utf-8"
            )
    elif body:
        result = json.dumps(body).encode("utf-8")
    elif shape.by_serialized:  # the shape has body members, none of them set
        result = b"{}"
    else:
        result = b""
    if result and not (headers and any(k.lower() == "content-type" for k in headers)):
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
        from email.utils import parsedate_to_datetime  # see _reason

        parsed = parsedate_to_datetime(text)
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
    decode = decoder(shape)
    return value if decode is None else decode(value)


def decoder(shape: Shape) -> _Codec | None:
    """The shape's compiled decoder; None when JSON values are kept unchanged."""
    return _DECODERS.get(shape)


def _compile_decoder(shape: Shape) -> _Codec | None:
    kind = shape.type
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        return None if shape.document else _structure_decoder(shape)
    if kind == "list":
        assert isinstance(shape, ListShape)
        item = decoder(shape.member.shape)
        if item is None:
            return list
        return lambda value: [None if v is None else item(v) for v in value]
    if kind == "map":
        assert isinstance(shape, MapShape)
        entry = decoder(shape.value.shape)
        # A null in a map is dropped, as Smithy's clients do (botocore keeps it).
        if entry is None:
            return lambda value: {k: v for k, v in value.items() if v is not None}
        return lambda value: {k: entry(v) for k, v in value.items() if v is not None}
    if kind == "timestamp":
        return parse_timestamp
    if kind == "blob":
        return base64.b64decode
    if kind in ("float", "double"):
        return _parse_float
    if kind == "string" and shape.enum_class is not None:
        # Values the model does not know stay plain strings.
        known = shape.enum_class._value2member_map_  # type: ignore[attr-defined]
        return lambda value: known.get(value, value)
    return None


def _structure_decoder(shape: StructureShape) -> _Codec:
    # Nested JSON ignores locations, as botocore's parser does.
    fields: dict[str, tuple[str, _Codec | None]] = {}
    name, cls, union = shape.name, shape.cls, shape.union

    def decode(value: Any) -> Any:
        if type(value) is not dict and not isinstance(value, Mapping):
            raise TypeError(
                f"expected an object for {name}, got {type(value).__name__}"
            )
        values = {}
        for key, item in value.items():
            spec = fields.get(key)
            if spec is None or item is None:
                continue
            field, decode_item = spec
            values[field] = item if decode_item is None else decode_item(item)
        obj = _build(cls, values)
        if union:
            _unknown_union_member(shape, value, obj)
        return obj

    # Registered before its members are compiled: shapes may recurse.
    _DECODERS.register(shape, decode)
    for key, member in shape.by_wire_name.items():
        fields[key] = (member.python, decoder(member.shape))
    return decode


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


def _build(cls: type | None, values: dict[str, Any]) -> Any:
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


class _OutputPlan:
    """What parsing one output shape needs, decided once."""

    __slots__ = ("located", "payload", "body")

    def __init__(self, shape: StructureShape) -> None:
        located = ("header", "headers", "statusCode")
        self.located = tuple(m for m in shape.members.values() if m.location in located)
        self.payload = shape.members[shape.payload] if shape.payload else None
        # Body members by JSON key, each with its decoder (None: kept as is).
        self.body: dict[str, tuple[str, _Codec | None]] | None = (
            {
                key: (m.python, decoder(m.shape))
                for key, m in shape.by_serialized.items()
            }
            if any(m.location is None for m in shape.members.values())
            else None
        )


_OUTPUTS: dict[StructureShape, _OutputPlan] = {}


def parse_output(shape: StructureShape, response: HttpResponse, stream: bool) -> Any:
    """The typed output of a successful response."""
    plan = _OUTPUTS.get(shape)
    if plan is None:
        plan = _OUTPUTS[shape] = _OutputPlan(shape)
    values: dict[str, Any] = {}
    if plan.located:
        _parse_located(plan.located, response, values)
    member = plan.payload
    if member is not None:
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
            data = _json_body(response)
            if data is not None or not getattr(member.shape, "union", False):
                # An empty body still parses to an empty structure, as in
                # botocore; an empty union is left unset (botocore raises).
                values[member.python] = _from_json_checked(
                    member, {} if data is None else data, response
                )
    elif plan.body is not None:
        data = _json_body(response)
        if data is not None:
            _parse_body(plan.body, data, response, values)
    return _build(shape.cls, values)


def _parse_located(
    members: tuple[Member, ...], response: HttpResponse, values: dict[str, Any]
) -> None:
    """Members bound to headers and the status code."""
    headers = _lower(response.headers)
    for member in members:
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
        else:
            values[member.python] = response.status_code


def _parse_body(
    fields: Mapping[str, tuple[str, _Codec | None]],
    data: Any,
    response: HttpResponse,
    values: dict[str, Any],
) -> None:
    if type(data) is not dict and not isinstance(data, Mapping):
        raise ResponseParseError(
            "expected a JSON object",
            status_code=response.status_code,
            request_id=_request_id_of(response),
        )
    key = None
    try:
        for key, raw in data.items():
            spec = fields.get(key)
            if spec is None or raw is None:
                continue
            name, decode = spec
            values[name] = raw if decode is None else decode(raw)
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        raise ResponseParseError(
            f"member {key!r}: {exc}",
            status_code=response.status_code,
            request_id=_request_id_of(response),
        ) from exc


def _from_json_checked(member: Member, value: Any, response: HttpResponse) -> Any:
    try:
        return from_json(member.shape, value)
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        raise ResponseParseError(
            f"member {member.serialized_name!r}: {exc}",
            status_code=response.status_code,
            request_id=_request_id_of(response),
        ) from exc


def _request_id_of(response: HttpResponse) -> str | None:
    return request_id(_lower(response.headers))


def _json_body(response: HttpResponse) -> Any:
    raw = _read_body(response)
    if not raw.strip():
        return None
    try:
        # Decoded as UTF-8 first, as botocore does (json.loads would also
        # guess UTF-16 and UTF-32 from bytes, at a cost on every call).
        return json.loads(raw.decode("utf-8"))
    except ValueError as exc:
        raise ResponseParseError(
            f"the body is not JSON ({exc})",
            status_code=response.status_code,
            request_id=_request_id_of(response),
        ) from exc


def _reason(status: int) -> str:
    # http.client.responses without importing http.client: it pulls in ssl
    # and email (about 25 ms), which a client's first call should not pay.
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


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
                _reason(status),
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
