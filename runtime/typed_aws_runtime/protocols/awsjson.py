"""awsJson 1.0 and 1.1: the JSON codec in an RPC envelope (botocore's
``JSONSerializer`` and ``JSONParser``, rule for rule).

Every request is a POST of a JSON object to ``/`` naming the operation in
``X-Amz-Target``; every member goes in the body, whatever its location. A
response body is the output structure itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from typed_aws_runtime import bindings, wire
from typed_aws_runtime.codecs import json as json_codec
from typed_aws_runtime.protocols.base import (
    DECODE_ERRORS,
    ParsedError,
    SerializedRequest,
    parse_failure,
    read_body,
)
from typed_aws_runtime.schema import Operation, ServiceSchema, StructureShape
from typed_aws_runtime.transport import HttpResponse

# (parameter name, JSON key, encoder or None: sent unchanged)
_Input = tuple[tuple[str, str, "json_codec.Codec | None"], ...]
# (JSON key, Python name, decoder or None: kept unchanged)
_Members = tuple[tuple[str, str, "json_codec.Codec | None", type], ...]


class AwsJson:
    def __init__(self, schema: ServiceSchema) -> None:
        self._schema = schema
        metadata = schema.metadata
        # Missing only in hand-written output suites, which never send.
        self._prefix = metadata.get("targetPrefix", "")
        self._content_type = (
            f"application/x-amz-json-{metadata.get('jsonVersion', '1.0')}"
        )
        self._query_mode = "awsQueryCompatible" in metadata
        self._inputs: dict[Operation, tuple[dict[str, str], _Input]] = {}
        self._errors: dict[StructureShape, _Members] = {}

    # -- requests ----------------------------------------------------------------

    def _plan(self, op: Operation) -> tuple[dict[str, str], _Input]:
        headers = {
            "X-Amz-Target": f"{self._prefix}.{op.name}",
            "Content-Type": self._content_type,
        }
        if self._query_mode:
            headers["x-amzn-query-mode"] = "true"
        shape = op.input
        members: _Input = ()
        if shape is not None:
            # Locations mean nothing here: every member is a body member.
            members = tuple(
                (name, m.serialized_name, json_codec.member_encoder(m))
                for name, m in shape.members.items()
            )
        plan = self._inputs[op] = (headers, members)
        return plan

    def serialize(
        self, op: Operation, params: Mapping[str, Any] | None
    ) -> SerializedRequest:
        headers, members = self._inputs.get(op) or self._plan(op)
        body: dict[str, Any] = {}
        if params:
            get = params.get
            for name, key, encode in members:
                value = get(name)
                if value is not None:
                    body[key] = value if encode is None else encode(value)
        # Always a JSON object, "{}" without input (botocore and Smithy);
        # botocore posts to "/" whatever the model's requestUri.
        return SerializedRequest(
            op.method,
            "/",
            "",
            dict(headers),
            json_codec.dumps(body),
            (
                bindings.host_prefix(op, op.input, params or {})
                if op.host_prefix is not None
                else None
            ),
        )

    # -- responses ---------------------------------------------------------------

    def parse_output(self, op: Operation, response: HttpResponse) -> Any:
        shape = op.output
        assert shape is not None
        if op.event_stream is not None:
            # The body is an event stream; the output comes first in it.
            from typed_aws_runtime import events
            from typed_aws_runtime.protocols.eventcodecs import for_codec

            return events.rpc_output(op, response, for_codec("json"), self._schema)
        raw = read_body(response)
        try:
            # An empty body is an empty output, as in botocore.
            data = json_codec.loads(raw) if raw.strip() else {}
        except ValueError as exc:
            raise parse_failure(f"the body is not JSON ({exc})", response) from exc
        try:
            return json_codec.decode(shape, data)
        except DECODE_ERRORS as exc:
            raise parse_failure(f"the output: {exc}", response) from exc

    def parse_error(self, response: HttpResponse) -> ParsedError:
        """The code, message and body of an error response, as botocore's
        ``BaseJSONParser`` reads them (see the module's notes on the code)."""
        headers = wire.lower_headers(response.headers)
        raw = read_body(response)
        status = response.status_code
        stripped = raw.strip()
        header_code = headers.get("x-amzn-errortype")
        body: dict[str, Any] = {}
        if status >= 500 and (not stripped or stripped.startswith(b"<html>")):
            # botocore's generic error (a proxy's page, an empty body); an
            # x-amzn-errortype header still names a modelled one (Smithy).
            if header_code is None:
                return ParsedError(
                    str(status),
                    wire.status_reason(status),
                    wire.request_id(headers),
                    body,
                )
        elif stripped:
            body = json_codec.error_object(raw)
        # botocore reads only __type; Smithy's header and "code" come next.
        code: Any = body.get("__type") or header_code or body.get("code")
        code = wire.clean_error_code(str(code)) if code else str(status)
        shape_code = None
        query = headers.get("x-amzn-query-error")
        if query is not None and query.count(";") == 1:
            # awsQueryCompatible: the query protocol's code is the code; the
            # JSON one still finds the error class (botocore's SQS override).
            query_code = wire.query_error_code(headers)
            if query_code is not None:
                code, shape_code = query_code, code
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
        """The modelled members of an error, all from its body."""
        members = self._errors.get(shape)
        if members is None:
            members = self._errors[shape] = tuple(
                (key, m.python, *json_codec.checked(m.shape))
                for key, m in shape.by_wire_name.items()
            )
        body: Mapping[str, Any] = error.body
        values: dict[str, Any] = {}
        key = None
        try:
            for key, name, decode, kind in members:
                value = body.get(key)
                if value is None:
                    continue
                if decode is not None:
                    values[name] = decode(value)
                elif type(value) is kind:
                    values[name] = value
                else:
                    raise TypeError(f"expected {kind.__name__}")
        except DECODE_ERRORS as exc:
            raise parse_failure(f"error member {key!r}: {exc}", response) from exc
        return values
