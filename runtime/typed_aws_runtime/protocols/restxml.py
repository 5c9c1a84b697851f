"""rest-xml: the HTTP bindings with an XML body (botocore's
``RestXMLSerializer`` and ``RestXMLParser``, rule for rule; S3's own
customizations live elsewhere). botocore sets no Content-Type; nor do we."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO

from typed_aws_runtime import bindings, wire
from typed_aws_runtime.codecs import xml, xml_encode
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

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element


class _OutputPlan:
    """What parsing one output shape needs, decided once: its located
    members, and a raw payload member, or the decoder of a structure payload
    (``payload``) or of the body members (members bound to the URI or query
    included, as botocore reads them from the body)."""

    __slots__ = ("located", "raw", "payload", "body", "stream")

    def __init__(self, shape: StructureShape) -> None:
        self.located = bindings.located_members(shape)
        member = shape.members[shape.payload] if shape.payload else None
        # An event-stream payload: read as the caller iterates (events.py).
        self.stream = (
            member if member is not None and member.shape.event_stream else None
        )
        if self.stream is not None:
            member = None
        raw = member is not None and member.shape.type in ("blob", "string")
        self.raw = member if raw else None
        self.payload = member if member is not None and not raw else None
        has_body = any(
            m.location not in bindings.LOCATED for m in shape.members.values()
        )
        self.body = (
            xml.members_decoder(shape)
            if has_body and member is None and self.stream is None
            else None
        )


class RestXml:
    def __init__(self, schema: ServiceSchema) -> None:
        self._schema = schema
        # Body members are written by the XML encoder, not by the bindings.
        self._bindings = bindings.HttpBindings(None)
        self._inputs: dict[StructureShape, xml_encode.InputDocument] = {}
        self._outputs: dict[StructureShape, _OutputPlan] = {}

    def serialize(
        self, op: Operation, params: Mapping[str, Any] | None
    ) -> SerializedRequest:
        bound = self._bindings.bind(op, params)
        shape = op.input
        body = self._body(shape, params or {}) if shape is not None else b""
        return SerializedRequest(
            op.method, bound.path, bound.query, bound.headers, body, bound.host_prefix
        )

    def _body(
        self, shape: StructureShape, params: Mapping[str, Any]
    ) -> bytes | BinaryIO:
        payload = shape.payload
        if payload is None:
            document = self._inputs.get(shape)
            if document is None:
                document = self._inputs[shape] = xml_encode.InputDocument(shape)
            return document.encode(params)
        member, value = shape.members[payload], params.get(payload)
        if member.shape.type in ("blob", "string"):
            return bindings.raw_payload(member, value)
        # An unset structure payload is an empty body (botocore).
        return b"" if value is None else xml_encode.payload_document(member, value)

    def parse_output(self, op: Operation, response: HttpResponse) -> Any:
        shape = op.output
        assert shape is not None
        plan = self._outputs.get(shape)
        if plan is None:
            plan = self._outputs[shape] = _OutputPlan(shape)
        values: dict[str, Any] = {}
        member = plan.payload
        if plan.stream is not None:
            values[plan.stream.python] = _event_stream(
                plan.stream, response, self._schema
            )
        if plan.raw is not None:
            _raw_payload(plan.raw, response, values)
        root = _xml_body(response) if member or plan.body else None
        try:
            if plan.located:
                bindings.parse_located(plan.located, response, values)
            if member is not None:
                if root is not None:
                    values[member.python] = xml.decoder(member.shape)(root)
                elif not getattr(member.shape, "union", False):
                    # An empty body: an empty structure (botocore); a union
                    # is left unset (botocore raises).
                    values[member.python] = build(member.shape.cls, {})  # type: ignore[attr-defined]
            elif root is not None and plan.body is not None:
                values.update(plan.body(root))
        except DECODE_ERRORS as exc:
            raise parse_failure(str(exc), response) from exc
        return build(shape.cls, values)

    def parse_error(self, response: HttpResponse) -> ParsedError:
        """Code, message and request id as botocore's ``RestXMLParser`` reads
        them: ``<ErrorResponse><Error>`` (route53, cloudfront; the request id
        in ``<RequestId>``) or a bare ``<Error>`` (S3: the request id in the
        headers); a 5xx HTML page or empty body, or a body that is not XML,
        gives the status as the code and its reason as the message."""
        headers = wire.lower_headers(response.headers)
        raw = read_body(response)
        stripped, status = raw.strip(), response.status_code
        root = None
        if stripped and not (status >= 500 and stripped.startswith(b"<html>")):
            try:
                root = xml.parse(raw)
            except ValueError:
                pass
        if root is None:
            reason = wire.status_reason(status)
            return ParsedError(str(status), reason, wire.request_id(headers), None)
        fields = xml.children(root)
        body_id, header_id = _text(fields.get("RequestId")), wire.request_id(headers)
        if xml.local_name(root.tag) == "Error":
            error, request_id = fields, header_id or body_id
        else:
            found = fields.get("Error")
            error = xml.children(found) if found is not None else {}
            request_id = body_id or header_id
        code, message = _text(error.get("Code")), _text(error.get("Message"))
        return ParsedError(code or "", message or "", request_id or None, root)

    def error_members(
        self, shape: StructureShape, response: HttpResponse, error: ParsedError
    ) -> dict[str, Any]:
        """The modelled members of an error: its headers, and the children of
        its ``<Error>`` element (botocore's ``_get_error_root``)."""
        values: dict[str, Any] = {}
        root: Element | None = error.body
        try:
            bindings.parse_located(bindings.located_members(shape), response, values)
            if root is not None:
                if xml.local_name(root.tag) == "ErrorResponse":
                    root = xml.children(root).get("Error", root)
                values.update(xml.members_decoder(shape)(root))
        except DECODE_ERRORS as exc:
            raise parse_failure(f"the error: {exc}", response) from exc
        return values


def _event_stream(member: Member, response: HttpResponse, schema: ServiceSchema) -> Any:
    from typed_aws_runtime import events
    from typed_aws_runtime.protocols.eventcodecs import for_codec

    assert isinstance(member.shape, StructureShape)
    return events.open_stream(member.shape, response, for_codec("xml"), schema)


def _raw_payload(
    member: Member, response: HttpResponse, values: dict[str, Any]
) -> None:
    """A blob or string payload: the body itself (empty: an empty value, as
    botocore gives it)."""
    if member.shape.streaming and member.shape.type == "blob":
        values[member.python] = streaming_body(response.body)
        return
    content = read_body(response)
    try:
        values[member.python] = (
            content if member.shape.type == "blob" else content.decode("utf-8")
        )
    except UnicodeDecodeError as exc:
        raise parse_failure(f"the payload: {exc}", response) from exc


def _xml_body(response: HttpResponse) -> Element | None:
    raw = read_body(response)
    if not raw.strip():
        return None
    try:
        return xml.parse(raw)
    except ValueError as exc:
        raise parse_failure(f"the body is not XML ({exc})", response) from exc


def _text(element: Element | None) -> str | None:
    return None if element is None else element.text or ""
