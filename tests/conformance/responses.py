"""Responses for the differential tests, per protocol, written from
*botocore's* shape model (not from our schema), so that the element and key
names come from an implementation we did not write.

A drawn value is in botocore's form (member names, datetimes, bytes); the
encoders turn it into ``(status, headers, body)`` as a service would send it,
following what botocore's parsers read (``parsers.py``): JSON bodies for
json/rest-json, XML for query (``<OpResponse><OpResult>``), ec2
(``<OpResponse>`` and ``requestId``) and rest-xml (headers plus a root
element or a raw payload).
"""

from __future__ import annotations

import base64
import datetime
import email.utils
import json
from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape, quoteattr

REQUEST_ID = "req-0123456789"


def timestamp_text(value: datetime.datetime, fmt: str) -> Any:
    fmt = fmt.lower()
    if fmt == "iso8601":
        return value.strftime("%Y-%m-%dT%H:%M:%S") + (
            f".{value.microsecond // 1000:03d}Z" if value.microsecond else "Z"
        )
    if fmt == "rfc822":
        return email.utils.format_datetime(value, usegmt=True)
    seconds = value.timestamp()
    return int(seconds) if seconds == int(seconds) else seconds


def header_text(shape: Any, value: Any) -> str:
    """A header-bound value as botocore's rest parsers read it."""
    serialization = shape.serialization
    if serialization.get("jsonvalue"):
        return base64.b64encode(json.dumps(value).encode()).decode()
    kind = shape.type_name
    if kind == "timestamp":
        fmt = serialization.get("timestampFormat") or "rfc822"
        return str(timestamp_text(value, fmt))
    if kind == "list":
        return ",".join(header_text(shape.member, v) for v in value)
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "blob":
        return base64.b64encode(value).decode()
    return str(value)


# -- JSON --------------------------------------------------------------------------


def json_value(shape: Any, value: Any) -> Any:
    kind = shape.type_name
    if kind == "structure":
        if shape.metadata.get("document"):
            return value
        return {
            shape.members[m].serialization.get("name", m): json_value(
                shape.members[m], v
            )
            for m, v in value.items()
        }
    if kind == "list":
        return [json_value(shape.member, v) for v in value]
    if kind == "map":
        return {k: json_value(shape.value, v) for k, v in value.items()}
    if kind == "timestamp":
        fmt = shape.serialization.get("timestampFormat") or "unixtimestamp"
        return timestamp_text(value, fmt)
    if kind == "blob":
        return base64.b64encode(value).decode()
    return value


# -- XML ---------------------------------------------------------------------------


def _raw_text(shape: Any, value: Any) -> str:
    kind = shape.type_name
    if kind == "timestamp":
        fmt = shape.serialization.get("timestampFormat") or "iso8601"
        return str(timestamp_text(value, fmt))
    if kind == "blob":
        return base64.b64encode(value).decode()
    if kind == "boolean":
        return "true" if value else "false"
    if kind in ("float", "double"):
        return repr(float(value))
    return str(value)


def _text(shape: Any, value: Any) -> str:
    return escape(_raw_text(shape, value))


def _element_name(shape: Any, name: str) -> str:
    """botocore's ``_member_key_name``."""
    if shape.type_name in ("list", "map") and shape.serialization.get("flattened"):
        inner = shape.member if shape.type_name == "list" else None
        if inner is not None and inner.serialization.get("name"):
            return str(inner.serialization["name"])
    return str(shape.serialization.get("name", name))


def xml_member(shape: Any, name: str, value: Any) -> str:
    """One member as the element(s) botocore's XML parser reads."""
    tag = _element_name(shape, name)
    kind = shape.type_name
    if kind == "list" and shape.serialization.get("flattened"):
        return "".join(xml_member_inner(shape.member, tag, v) for v in value)
    if kind == "map" and shape.serialization.get("flattened"):
        return "".join(
            f"<{tag}>{_entry(shape, k, v)}</{tag}>" for k, v in value.items()
        )
    return xml_member_inner(shape, tag, value)


def xml_member_inner(shape: Any, tag: str, value: Any) -> str:
    kind = shape.type_name
    if kind == "structure":
        attrs, children = xml_structure(shape, value)
        return f"<{tag}{attrs}>{children}</{tag}>"
    if kind == "list":
        item = shape.member.serialization.get("name", "member")
        inner = "".join(xml_member_inner(shape.member, item, v) for v in value)
        return f"<{tag}>{inner}</{tag}>"
    if kind == "map":
        inner = "".join(
            f"<entry>{_entry(shape, k, v)}</entry>" for k, v in value.items()
        )
        return f"<{tag}>{inner}</{tag}>"
    return f"<{tag}>{_text(shape, value)}</{tag}>"


def _entry(shape: Any, key: Any, value: Any) -> str:
    key_tag = shape.key.serialization.get("name", "key")
    value_tag = shape.value.serialization.get("name", "value")
    return xml_member_inner(shape.key, key_tag, key) + xml_member_inner(
        shape.value, value_tag, value
    )


def xml_structure(shape: Any, value: Mapping[str, Any]) -> tuple[str, str]:
    """(attributes, children) of a structure's element."""
    attrs = []
    children = []
    for name, item in value.items():
        member = shape.members[name]
        if member.serialization.get("xmlAttribute"):
            attr = member.serialization.get("name", name)
            attrs.append(f" {attr}={quoteattr(_raw_text(member, item))}")
        else:
            children.append(xml_member(member, name, item))
    return "".join(attrs), "".join(children)


# -- per protocol -------------------------------------------------------------------


def _split_located(
    shape: Any, value: Mapping[str, Any]
) -> tuple[dict[str, str], dict[str, Any]]:
    headers: dict[str, str] = {}
    body: dict[str, Any] = {}
    for name, item in value.items():
        member = shape.members[name]
        location = member.serialization.get("location")
        if location == "header":
            headers[member.serialization.get("name", name)] = header_text(member, item)
        elif location == "headers":
            for key, text in item.items():
                headers[member.serialization.get("name", "") + key] = text
        elif location is None:
            body[name] = item
    return headers, body


def encode(
    protocol: str, operation: Any, value: Mapping[str, Any], status: int
) -> tuple[int, dict[str, str], bytes]:
    """The response a service speaking ``protocol`` sends for ``value``."""
    shape = operation.output_shape
    name = operation.name
    headers: dict[str, str] = {"x-amzn-RequestId": REQUEST_ID}
    if shape is None:
        # An operation without output: what the service sends anyway.
        body = {
            "query": (
                f"<{name}Response><ResponseMetadata><RequestId>{REQUEST_ID}"
                f"</RequestId></ResponseMetadata></{name}Response>"
            ).encode(),
            "ec2": (
                f"<{name}Response><requestId>{REQUEST_ID}</requestId>"
                f"</{name}Response>"
            ).encode(),
            "json": b"{}",
        }.get(protocol, b"")
        return status, headers, body
    if protocol in ("json", "rest-json"):
        located, members = _split_located(shape, value)
        headers.update(located)
        payload = shape.serialization.get("payload")
        if payload is not None:
            member = shape.members[payload]
            item = value.get(payload)
            if member.type_name in ("blob", "string"):
                body = (
                    b""
                    if item is None
                    else item if isinstance(item, bytes) else item.encode()
                )
            else:
                body = (
                    b""
                    if item is None
                    else json.dumps(json_value(member, item)).encode()
                )
        else:
            body = json.dumps(json_value(shape, members)).encode()
    elif protocol == "query":
        attrs, children = xml_structure(shape, value)
        wrapper = shape.serialization.get("resultWrapper") or f"{name}Result"
        body = (
            f'<{name}Response xmlns="https://example.com/doc/">'
            f"<{wrapper}{attrs}>{children}</{wrapper}>"
            f"<ResponseMetadata><RequestId>{REQUEST_ID}</RequestId></ResponseMetadata>"
            f"</{name}Response>"
        ).encode()
    elif protocol == "ec2":
        attrs, children = xml_structure(shape, value)
        body = (
            f'<{name}Response xmlns="https://example.com/doc/"{attrs}>'
            f"<requestId>{REQUEST_ID}</requestId>{children}</{name}Response>"
        ).encode()
    elif protocol == "rest-xml":
        located, members = _split_located(shape, value)
        headers.update(located)
        payload = shape.serialization.get("payload")
        if payload is not None:
            member = shape.members[payload]
            item = value.get(payload)
            if member.type_name in ("blob", "string"):
                body = (
                    b""
                    if item is None
                    else item if isinstance(item, bytes) else item.encode()
                )
            elif item is None:
                body = b""
            else:
                body = xml_member_inner(
                    member, member.serialization.get("name", payload), item
                ).encode()
        else:
            attrs, children = xml_structure(shape, members)
            body = f"<{name}Response{attrs}>{children}</{name}Response>".encode()
    else:
        raise AssertionError(f"no response encoder for {protocol}")
    for key in headers:
        if key.lower() == "content-length":
            # A modelled Content-Length must tell the truth: botocore checks it.
            headers[key] = str(len(body))
    return status, headers, body
