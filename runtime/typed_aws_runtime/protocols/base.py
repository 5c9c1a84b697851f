"""What the call pipeline needs of a protocol, and what protocols share.

A protocol object turns an operation's parameters into a
:class:`SerializedRequest`, a successful response into the typed output,
and an error response into a :class:`ParsedError` (and then the modelled
members of the error shape its code names).
"""

from __future__ import annotations

import gc
from collections.abc import Mapping
from typing import Any, BinaryIO, Protocol

from typed_aws_runtime import wire
from typed_aws_runtime.errors import ResponseParseError
from typed_aws_runtime.schema import Operation, StructureShape
from typed_aws_runtime.transport import HttpResponse


class SerializedRequest:
    """A request before the endpoint, signing and the transport: the path is
    the operation's (the endpoint's own path goes in front of it)."""

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


class ParsedError:
    """An error response as the protocol identified it; ``body`` is whatever
    the protocol parsed (a JSON object, an XML element, a CBOR map) and
    needs again for the error's members. ``shape_code``, when set, finds the
    error's shape where ``code`` names none (awsQueryCompatible: the code is
    the query protocol's, the shape is named by the JSON code, as botocore's
    SQS override does)."""

    __slots__ = ("code", "message", "request_id", "body", "shape_code")

    def __init__(
        self,
        code: str,
        message: str,
        request_id: str | None,
        body: Any,
        shape_code: str | None = None,
    ) -> None:
        self.code = code
        self.message = message
        self.request_id = request_id
        self.body = body
        self.shape_code = shape_code


class ClientProtocol(Protocol):
    """The interface of every protocol class in this package."""

    def serialize(
        self, op: Operation, params: Mapping[str, Any] | None
    ) -> SerializedRequest: ...

    def parse_output(self, op: Operation, response: HttpResponse) -> Any: ...

    def parse_error(self, response: HttpResponse) -> ParsedError: ...

    def error_members(
        self, shape: StructureShape, response: HttpResponse, error: ParsedError
    ) -> dict[str, Any]: ...


def read_body(response: HttpResponse) -> bytes:
    body = response.body
    return body if isinstance(body, bytes) else body.read()


def response_request_id(response: HttpResponse) -> str | None:
    return wire.request_id(wire.lower_headers(response.headers))


def parse_failure(reason: str, response: HttpResponse) -> ResponseParseError:
    """The error for a response that cannot be what the model says."""
    return ResponseParseError(
        reason,
        status_code=response.status_code,
        request_id=response_request_id(response),
    )


# What a codec raises on a value of the wrong kind; the protocol turns it
# into a ResponseParseError with the status and request id. ValueError covers
# UnicodeDecodeError and binascii.Error; RecursionError is a body nested
# deeper than the interpreter's stack.
DECODE_ERRORS = (
    TypeError,
    ValueError,
    AttributeError,
    KeyError,
    IndexError,
    OverflowError,
    RecursionError,
)


def parse_output(
    protocol: ClientProtocol, op: Operation, response: HttpResponse
) -> Any:
    """The typed output of a successful response; whatever a codec meets
    raises ResponseParseError (a ``try`` costs nothing when nothing fails)."""
    body = response.body
    if type(body) is bytes and len(body) > _LARGE_BODY and _gc_enabled():
        return _parse_large(protocol, op, response)
    try:
        return protocol.parse_output(op, response)
    except DECODE_ERRORS as exc:
        raise parse_failure(f"{op.name}: {exc}", response) from exc


# A large body decodes into thousands of containers, each of which counts
# towards the cyclic collector's next pass; a pass over a big heap (botocore's
# models, the caller's data) costs more than the decoding. What a decoder
# builds holds no cycle, so the collector is paused while it runs (only when
# it was on: a caller who turned it off keeps it off; one who turns it off on
# another thread during that window finds it on again). 8 KiB: a 17 KiB XML
# body (route53's 100 record sets) is ~600 elements and ~300 decoded
# containers, past the youngest generation's threshold (700), and paid ~30 us
# (8%) of collections per call with the collector on.
_LARGE_BODY = 8 * 1024
_gc_enabled = gc.isenabled


def _parse_large(
    protocol: ClientProtocol, op: Operation, response: HttpResponse
) -> Any:
    gc.disable()
    try:
        return protocol.parse_output(op, response)
    except DECODE_ERRORS as exc:
        raise parse_failure(f"{op.name}: {exc}", response) from exc
    finally:
        gc.enable()


def parse_error(protocol: ClientProtocol, response: HttpResponse) -> ParsedError:
    """The code and message of an error response; an error body that breaks
    the parser itself raises ResponseParseError."""
    try:
        return protocol.parse_error(response)
    except DECODE_ERRORS as exc:
        raise parse_failure(f"the error response: {exc}", response) from exc


def error_members(
    protocol: ClientProtocol,
    shape: StructureShape,
    response: HttpResponse,
    error: ParsedError,
) -> dict[str, Any]:
    """The modelled members of an error response.

    Decision: an error whose code names a modelled error but whose members
    cannot be what the model says is still raised as that typed error (a
    caller's ``except NoSuchThing`` and the retry decision depend on the
    code alone), with its code, message, status and request id and none of
    its modelled members. botocore keeps such members as they came.
    """
    try:
        return protocol.error_members(shape, response, error)
    except (ResponseParseError, *DECODE_ERRORS):
        return {}
