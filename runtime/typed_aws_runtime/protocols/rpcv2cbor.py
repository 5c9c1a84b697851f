"""smithy-rpc-v2-cbor: a CBOR body in an RPC envelope (botocore's
``RpcV2CBORSerializer`` and ``RpcV2CBORParser``, rule for rule).

Every call is a POST to ``/service/{targetPrefix}/operation/{Operation}``
with ``smithy-protocol: rpc-v2-cbor``; the whole input is the body, the
whole output comes from the body, and an error is named by the body's
``__type`` (or, for an awsQueryCompatible service, ``x-amzn-query-error``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from typed_aws_runtime import bindings, wire
from typed_aws_runtime.codecs import cbor
from typed_aws_runtime.protocols.base import (
    DECODE_ERRORS,
    ParsedError,
    SerializedRequest,
    parse_failure,
    read_body,
)
from typed_aws_runtime.schema import Operation, ServiceSchema, StructureShape
from typed_aws_runtime.transport import HttpResponse

_CBOR = "application/cbor"
_EVENT_STREAM = "application/vnd.amazon.eventstream"


class RpcV2Cbor:
    def __init__(self, schema: ServiceSchema) -> None:
        self._schema = schema
        metadata = schema.metadata
        # botocore names the service in the path by targetPrefix, and only so.
        if "targetPrefix" not in metadata:
            raise ValueError("an rpc-v2-cbor model needs metadata.targetPrefix")
        self._path = f"/service/{metadata['targetPrefix']}/operation/"
        self._query_compatible = "awsQueryCompatible" in metadata
        self._inputs: dict[StructureShape, cbor.InputEncoder] = {}

    # -- requests ----------------------------------------------------------------

    def serialize(
        self, op: Operation, params: Mapping[str, Any] | None
    ) -> SerializedRequest:
        headers = {"smithy-protocol": "rpc-v2-cbor"}
        if self._query_compatible:
            headers["x-amzn-query-mode"] = "true"
        # botocore: an event-stream output is asked for as such.
        headers["Accept"] = _CBOR if op.event_stream is None else _EVENT_STREAM
        shape = op.input
        body = b""
        if shape is not None:
            encode = self._inputs.get(shape)
            if encode is None:
                encode = self._inputs[shape] = cbor.InputEncoder(shape)
            body = encode(params or {})
            # No input, no body and no Content-Type (botocore).
            headers["Content-Type"] = _CBOR
        prefix = bindings.host_prefix(op, shape, params or {})
        return SerializedRequest(
            "POST", self._path + op.name, "", headers, body, prefix
        )

    # -- responses ---------------------------------------------------------------

    def parse_output(self, op: Operation, response: HttpResponse) -> Any:
        shape = op.output
        assert shape is not None
        if op.event_stream is not None:
            # The body is an event stream; the output comes first in it.
            from typed_aws_runtime import events
            from typed_aws_runtime.protocols.eventcodecs import for_codec

            return events.rpc_output(op, response, for_codec("cbor"), self._schema)
        raw = read_body(response)
        # An empty body is an empty output (botocore fails on it when the
        # output has members; Smithy: clients accept it).
        data = _loads(raw, response) if raw else {}
        try:
            return cbor.decode_structure(shape, data)
        except DECODE_ERRORS as exc:
            raise parse_failure(f"the body: {exc}", response) from exc

    def parse_error(self, response: HttpResponse) -> ParsedError:
        """The code, message and body of an error response, as botocore reads
        them: ``__type`` from the body, else the status code."""
        headers = wire.lower_headers(response.headers)
        request_id = headers.get("x-amzn-requestid")
        raw = read_body(response)
        status = response.status_code
        stripped = raw.strip()
        if status >= 500 and (not stripped or stripped.startswith(b"<html>")):
            # botocore's "generic" error: a proxy's page or an empty body.
            return ParsedError(str(status), wire.status_reason(status), request_id, {})
        body: Any = {}
        if raw:
            try:
                body = cbor.loads(raw)
            except ValueError:
                body = None
            if not isinstance(body, dict):
                # Not a CBOR map (a proxy's text): the status names the error
                # and the text is its message (botocore raises a parse error).
                message = raw.decode("utf-8", "replace")
                return ParsedError(str(status), message, request_id, {})
        code: Any = body.get("__type")
        code = str(status) if code is None else wire.clean_error_code(str(code))
        query_error = headers.get("x-amzn-query-error")
        if query_error is not None:
            # botocore: "Code;Type", taken only when both parts are there.
            parts = query_error.split(";")
            if len(parts) == 2 and parts[0]:
                code = parts[0]
        message = body.get("message", body.get("Message", ""))
        return ParsedError(code, str(message or ""), request_id, body)

    def error_members(
        self, shape: StructureShape, response: HttpResponse, error: ParsedError
    ) -> dict[str, Any]:
        """The modelled members of an error, from its CBOR map."""
        try:
            return cbor.members(shape, error.body)
        except DECODE_ERRORS as exc:
            raise parse_failure(f"error {shape.name}: {exc}", response) from exc


def _loads(raw: bytes, response: HttpResponse) -> Any:
    try:
        return cbor.loads(raw)
    except ValueError as exc:
        raise parse_failure(f"the body is not CBOR ({exc})", response) from exc
