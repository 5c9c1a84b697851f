"""rest-json: the HTTP bindings with a JSON body (botocore's
``RestJSONSerializer`` and ``RestJSONParser``, rule for rule)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, BinaryIO

from typed_aws_runtime import bindings, wire
from typed_aws_runtime.codecs import json as json_codec
from typed_aws_runtime.protocols.base import (
    DECODE_ERRORS,
    ParsedError,
    SerializedRequest,
    parse_failure,
    read_body,
)
from typed_aws_runtime.schema import Member, Operation, ServiceSchema, StructureShape
from typed_aws_runtime.streaming import streaming_body
from typed_aws_runtime.structure import build
from typed_aws_runtime.transport import HttpResponse

_Fields = dict[str, tuple[str, "json_codec.Codec | None", type]]


class _OutputPlan:
    """What parsing one output shape needs, decided once."""

    __slots__ = ("located", "payload", "body")

    def __init__(self, shape: StructureShape) -> None:
        self.located = bindings.located_members(shape)
        self.payload = shape.members[shape.payload] if shape.payload else None
        # Body members by JSON key, each with its decoder (None: kept as is).
        self.body: _Fields | None = (
            json_codec.body_fields(shape)
            if any(m.location is None for m in shape.members.values())
            else None
        )


class RestJson:
    def __init__(self, schema: ServiceSchema) -> None:
        self._schema = schema
        self._bindings = bindings.HttpBindings(json_codec.member_encoder)
        self._outputs: dict[StructureShape, _OutputPlan] = {}

    # -- requests ----------------------------------------------------------------

    def serialize(
        self, op: Operation, params: Mapping[str, Any] | None
    ) -> SerializedRequest:
        bound = self._bindings.bind(op, params)
        shape = op.input
        body = (
            self._body(shape, params or {}, bound.body, bound.headers)
            if shape is not None
            else b""
        )
        return SerializedRequest(
            op.method, bound.path, bound.query, bound.headers, body, bound.host_prefix
        )

    @staticmethod
    def _body(
        shape: StructureShape,
        params: Mapping[str, Any],
        body: dict[str, Any],
        headers: dict[str, str],
    ) -> bytes | BinaryIO:
        payload = shape.payload
        if payload is not None:
            member = shape.members[payload]
            value = params.get(payload)
            if member.shape.type in ("blob", "string"):
                return bindings.raw_payload(member, value)
            if value is None:
                result = b"{}"
            else:
                result = json_codec.dumps(json_codec.encode(member.shape, value))
        elif body:
            result = json_codec.dumps(body)
        elif shape.by_serialized:  # the shape has body members, none of them set
            result = b"{}"
        else:
            result = b""
        if result and not bindings.has_header(headers, "content-type"):
            headers["Content-Type"] = "application/json"
        return result

    # -- responses ---------------------------------------------------------------

    def parse_output(self, op: Operation, response: HttpResponse) -> Any:
        shape = op.output
        assert shape is not None
        plan = self._outputs.get(shape)
        if plan is None:
            plan = self._outputs[shape] = _OutputPlan(shape)
        values: dict[str, Any] = {}
        try:
            if plan.located:
                bindings.parse_located(plan.located, response, values)
        except DECODE_ERRORS as exc:
            raise parse_failure(f"a header: {exc}", response) from exc
        member = plan.payload
        if member is not None:
            if member.shape.event_stream:
                values[member.python] = _event_stream(member, response, self._schema)
            else:
                self._parse_payload(member, response, values)
        elif plan.body is not None:
            data = _json_body(response)
            if data is not None:
                _parse_body(plan.body, data, response, values)
        return build(shape.cls, values)

    @staticmethod
    def _parse_payload(
        member: Member, response: HttpResponse, values: dict[str, Any]
    ) -> None:
        kind = member.shape.type
        if kind == "blob" and member.shape.streaming:
            values[member.python] = streaming_body(response.body)
        elif kind in ("blob", "string"):
            # An empty body is an empty value, as in botocore (Smithy: unset).
            content = read_body(response)
            try:
                values[member.python] = (
                    content if kind == "blob" else content.decode("utf-8")
                )
            except UnicodeDecodeError as exc:
                raise parse_failure(f"the payload: {exc}", response) from exc
        else:
            data = _json_body(response)
            if data is not None or not getattr(member.shape, "union", False):
                # An empty body still parses to an empty structure, as in
                # botocore; an empty union is left unset (botocore raises).
                try:
                    values[member.python] = json_codec.decode(
                        member.shape, {} if data is None else data
                    )
                except DECODE_ERRORS as exc:
                    raise parse_failure(
                        f"member {member.serialized_name!r}: {exc}", response
                    ) from exc

    def parse_error(self, response: HttpResponse) -> ParsedError:
        """The code, message and body of an error response, as botocore reads
        them (the ``x-amzn-errortype`` header first, then the body)."""
        headers = wire.lower_headers(response.headers)
        raw = read_body(response)
        status = response.status_code
        stripped = raw.strip()
        code: Any = headers.get("x-amzn-errortype")
        body: dict[str, Any] = {}
        if status >= 500 and (not stripped or stripped.startswith(b"<html>")):
            # botocore's "generic" error (a proxy's page, an empty body): the
            # status is the code and its reason the message. A modelled error
            # type header still names the error (Smithy; botocore ignores it).
            if code is None:
                return ParsedError(
                    str(status),
                    wire.status_reason(status),
                    wire.request_id(headers),
                    body,
                )
        elif stripped:
            body = json_codec.error_object(raw)
        shape_code = None
        if code is None:
            code = body.get("code", body.get("Code", body.get("__type")))
            if "code" not in body and "Code" not in body:
                # botocore: the awsQueryCompatible code replaces one from
                # __type (or the status), not the header's or the body's code.
                query_code = _query_code(headers)
                if query_code is not None:
                    shape_code = (
                        None if code is None else wire.clean_error_code(str(code))
                    )
                    code = query_code
        # Without any code botocore uses the status code.
        code = str(status) if code is None else wire.clean_error_code(str(code))
        message = body.get("message", body.get("Message", ""))
        return ParsedError(
            code,
            str(message or ""),
            wire.request_id(headers),
            body,
            shape_code=shape_code,
        )

    def error_members(
        self, shape: StructureShape, response: HttpResponse, error: ParsedError
    ) -> dict[str, Any]:
        """The modelled members of an error, from its body and headers."""
        values: dict[str, Any] = {}
        bindings.parse_located(bindings.located_members(shape), response, values)
        body: Mapping[str, Any] = error.body
        for member in shape.members.values():
            if member.location is None:
                raw_value = body.get(member.serialized_name)
                if raw_value is not None:
                    values[member.python] = json_codec.decode(member.shape, raw_value)
        return values


def _event_stream(member: Member, response: HttpResponse, schema: ServiceSchema) -> Any:
    """The payload is an event stream: read as the caller iterates."""
    from typed_aws_runtime import events
    from typed_aws_runtime.protocols.eventcodecs import for_codec

    assert isinstance(member.shape, StructureShape)
    return events.open_stream(member.shape, response, for_codec("json"), schema)


def _query_code(headers: Mapping[str, str]) -> str | None:
    """The awsQueryCompatible code, as botocore reads it: ``Code;Type`` with
    exactly two parts and a code (a duplicated header, joined with a comma,
    has three and is ignored)."""
    value = headers.get("x-amzn-query-error")
    if value is None:
        return None
    parts = value.split(";")
    return parts[0] if len(parts) == 2 and parts[0] else None


def _parse_body(
    fields: _Fields, data: Any, response: HttpResponse, values: dict[str, Any]
) -> None:
    if type(data) is not dict:
        raise parse_failure("expected a JSON object", response)
    try:
        json_codec.take(fields, data, values)
    except DECODE_ERRORS as exc:
        raise parse_failure(f"the body: {exc}", response) from exc


def _json_body(response: HttpResponse) -> Any:
    raw = read_body(response)
    if not raw.strip():
        return None
    try:
        return json_codec.loads(raw)
    except ValueError as exc:
        raise parse_failure(f"the body is not JSON ({exc})", response) from exc
