"""query: a form body (``Action``, ``Version`` and the parameters) and XML
responses (botocore's ``QuerySerializer`` and ``QueryParser``).

The output sits in ``<OpResponse><OpResult>`` (the operation's
``resultWrapper``); an error is ``<ErrorResponse><Error><Code>`` with its
``Message`` and modelled members, and ``<RequestId>`` beside the ``Error``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from typed_aws_runtime import bindings, wire
from typed_aws_runtime.codecs import form
from typed_aws_runtime.codecs import xml as xml_codec
from typed_aws_runtime.protocols.base import (
    DECODE_ERRORS,
    ParsedError,
    SerializedRequest,
    parse_failure,
    read_body,
    response_request_id,
)
from typed_aws_runtime.schema import Operation, ServiceSchema, StructureShape
from typed_aws_runtime.structure import build
from typed_aws_runtime.transport import HttpResponse

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8"


class Query:
    # ec2 differs in its form rules, where errors sit and the request id's name.
    EC2 = False
    REQUEST_ID = "RequestId"

    def __init__(self, schema: ServiceSchema) -> None:
        self._version = str(schema.metadata.get("apiVersion", ""))

    # -- requests ----------------------------------------------------------------

    def serialize(
        self, op: Operation, params: Mapping[str, Any] | None
    ) -> SerializedRequest:
        pairs = [("Action", op.name), ("Version", self._version)]
        shape = op.input
        params = params or {}
        if shape is not None:
            form.input_encoder(shape, self.EC2)(pairs, params)
        prefix = (
            bindings.host_prefix(op, shape, params)
            if op.host_prefix is not None
            else None
        )
        # botocore sends every query request to the endpoint's own path.
        body = form.urlencode(pairs).encode("ascii")
        return SerializedRequest(
            op.method, "/", "", {"Content-Type": CONTENT_TYPE}, body, prefix
        )

    # -- responses ---------------------------------------------------------------

    def parse_output(self, op: Operation, response: HttpResponse) -> Any:
        shape = op.output
        assert shape is not None
        if not shape.members:
            return build(shape.cls, {})  # nothing to read (botocore: an empty dict)
        root = _document(response)
        start = root
        if op.result_wrapper:
            wrapped = xml_codec.children(root).get(op.result_wrapper)
            if wrapped is None:
                raise parse_failure(f"no <{op.result_wrapper}> element", response)
            start = wrapped
        try:
            return xml_codec.decoder(shape)(start)
        except DECODE_ERRORS as exc:
            raise parse_failure(f"{shape.name}: {exc}", response) from exc

    def parse_error(self, response: HttpResponse) -> ParsedError:
        status = response.status_code
        raw = read_body(response).strip()
        header_id = response_request_id(response)
        if status >= 500 and (not raw or raw.startswith(b"<html>")):
            # botocore's generic error: the status is the code, its reason the message.
            return ParsedError(str(status), wire.status_reason(status), header_id, None)
        try:
            root = xml_codec.parse(raw)
        except ValueError:
            # Not XML (a proxy's page): the status and the text, not a parse failure.
            return ParsedError(
                str(status), raw.decode("utf-8", "replace"), header_id, None
            )
        error = self.error_element(root)
        fields = xml_codec.children(error)
        code = _text(fields.get("Code"))
        request_id = _text(xml_codec.children(root).get(self.REQUEST_ID))
        return ParsedError(
            code or str(status),  # botocore: the code as sent, never cleaned
            _text(fields.get("Message")) or "",
            request_id or header_id,
            error,
        )

    @staticmethod
    def error_element(root: Element) -> Element:
        """``<ErrorResponse><Error>`` (the root's ``Error``, else the root)."""
        return xml_codec.children(root).get("Error", root)

    def error_members(
        self, shape: StructureShape, response: HttpResponse, error: ParsedError
    ) -> dict[str, Any]:
        if error.body is None:
            return {}
        try:
            return xml_codec.members_decoder(shape)(error.body)
        except DECODE_ERRORS as exc:
            raise parse_failure(f"{shape.name}: {exc}", response) from exc


def _document(response: HttpResponse) -> Element:
    try:
        return xml_codec.parse(read_body(response))
    except ValueError as exc:
        raise parse_failure(str(exc), response) from exc


def _text(element: Element | None) -> str | None:
    return None if element is None else (element.text or "")
