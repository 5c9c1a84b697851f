"""rest-xml: the HTTP bindings with an XML body (botocore's
``RestXMLSerializer`` and ``RestXMLParser``, rule for rule; S3's own
customizations live elsewhere)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO

from codegen.runtime import bindings, wire
from codegen.runtime.codecs import xml, xml_encode
from codegen.runtime.protocols.base import (
    DECODE_ERRORS,
    ParsedError,
    SerializedRequest,
    parse_failure,
    read_body,
)
from codegen.runtime.schema import Member, Operation, ServiceSchema, StructureShape
from codegen.runtime.streaming import StreamingBody
from codegen.runtime.structure import build
from codegen.runtime.transport import HttpResponse

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element


class _OutputPlan:
    """What parsing one output shape needs, decided once."""

    __slots__ = ("located", "payload", "body")

    def __init__(self, shape: StructureShape) -> None:
        self.located = bindings.located_members(shape)
        self.payload = shape.members[shape.payload] if shape.payload else None
        # Members bound to the URI or query are read from the body (botocore).
        has_body = any(
            m.location not in bindings.LOCATED for m in shape.members.values()
        )
        self.body = xml.members_decoder(shape) if has_body else None


class RestXml:
    def __init__(self, schema: ServiceSchema) -> None:
        # Body members are written by the XML encoder, not by the bindings.
        self._bindings = bindings.HttpBindings(None)
        self._inputs: dict[StructureShape, xml_encode.InputDocument] = {}
        self._outputs: dict[StructureShape, _OutputPlan] = {}

    # -- requests ----------------------------------------------------------------

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
        # botocore sets no Content-Type for rest-xml, and neither do we.
        payload = shape.payload
        if payload is not None:
            member = shape.members[payload]
            value = params.get(payload)
            if member.shape.type in ("blob", "string"):
                return bindings.raw_payload(member, value)
            if value is None:
                return b""  # botocore's empty body, for a structure too
            return xml_encode.structure_document(
                member.shape,  # type: ignore[arg-type]
                value,
                xml_encode.root_name(None, member),
                member.xml_namespace,
            )
        document = self._inputs.get(shape)
        if document is None:
            document = self._inputs[shape] = xml_encode.InputDocument(shape)
        if not document.has_members:
            return b""
        return document.encode(params) or b""

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
            _parse_payload(member, response, values)
        elif plan.body is not None:
            root = _xml_body(response)
            if root is not None:
                try:
                    values.update(plan.body(root))
                except DECODE_ERRORS as exc:
                    raise parse_failure(f"the body: {exc}", response) from exc
        return build(shape.cls, values)

    def parse_error(self, response: HttpResponse) -> ParsedError:
        """Code, message and request id as botocore's ``RestXMLParser`` reads
        them: ``<ErrorResponse><Error>`` (route53, cloudfront; the request id
        in ``<RequestId>``) or a bare ``<Error>`` (the request id in the
        headers); a 5xx HTML page, an empty body or invalid XML gives the
        status as the code and its reason as the message."""
        headers = wire.lower_headers(response.headers)
        raw = read_body(response)
        status = response.status_code
        stripped = raw.strip()
        generic = status >= 500 and (not stripped or stripped.startswith(b"<html>"))
        root = None
        if raw and not generic:
            try:
                root = xml.parse(raw)
            except ValueError:
                root = None
        if root is None:
            return ParsedError(
                str(status), wire.status_reason(status), wire.request_id(headers), None
            )
        fields = xml.children(root)
        error = fields.get("Error")
        body_id = _text(fields.get("RequestId"))
        if xml.local_name(root.tag) == "Error":
            error, body_id = root, _text(xml.children(root).get("RequestId"))
            request_id = wire.request_id(headers) or body_id
        else:
            request_id = body_id or wire.request_id(headers)
        parts = xml.children(error) if error is not None else {}
        return ParsedError(
            _text(parts.get("Code")) or "",
            _text(parts.get("Message")) or "",
            request_id,
            root,
        )

    def error_members(
        self, shape: StructureShape, response: HttpResponse, error: ParsedError
    ) -> dict[str, Any]:
        """The modelled members of an error: its headers, and the children of
        its ``<Error>`` element (botocore's ``_get_error_root``)."""
        values: dict[str, Any] = {}
        bindings.parse_located(bindings.located_members(shape), response, values)
        root: Element | None = error.body
        if root is not None:
            if xml.local_name(root.tag) == "ErrorResponse":
                root = xml.children(root).get("Error", root)
            values.update(xml.members_decoder(shape)(root))
        return values


def _parse_payload(
    member: Member, response: HttpResponse, values: dict[str, Any]
) -> None:
    kind = member.shape.type
    if kind == "blob" and member.shape.streaming:
        values[member.python] = StreamingBody(response.body)
    elif kind in ("blob", "string"):
        # An empty body is an empty value, as in botocore.
        content = read_body(response)
        try:
            values[member.python] = (
                content if kind == "blob" else content.decode("utf-8")
            )
        except UnicodeDecodeError as exc:
            raise parse_failure(f"the payload: {exc}", response) from exc
    else:
        root = _xml_body(response)
        if root is None and getattr(member.shape, "union", False):
            return  # an empty union is left unset (botocore raises)
        try:
            values[member.python] = (
                build(member.shape.cls, {})  # type: ignore[attr-defined]
                if root is None
                else xml.decoder(member.shape)(root)
            )
        except DECODE_ERRORS as exc:
            raise parse_failure(
                f"member {member.serialized_name!r}: {exc}", response
            ) from exc


def _xml_body(response: HttpResponse) -> Element | None:
    raw = read_body(response)
    if not raw.strip():
        return None
    try:
        return xml.parse(raw)
    except ValueError as exc:
        raise parse_failure(f"the body is not XML ({exc})", response) from exc


def _text(element: Element | None) -> str | None:
    if element is None:
        return None
    return element.text or ""
