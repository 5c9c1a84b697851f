"""Run one case of a botocore protocol suite against a generated client.

Shared by the suite tests of every protocol: the request it sends (input
cases) or the value it returns or raises (output cases) is compared the way
botocore's ``tests/unit/test_protocols.py`` compares them. What differs by
protocol (how bodies compare, which expected headers botocore's runner
drops) comes in as a :class:`Rules`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

import typed_aws_runtime.client as runtime_client
from typed_aws_runtime.errors import ServiceError
from typed_aws_runtime.http import wire_headers
from typed_aws_runtime.transport import HttpRequest, HttpResponse, InMemoryTransport

from . import support
from .support import ProtocolCase

# The idempotency token the Smithy suites expect when the caller gives none.
FIXED_TOKEN = "00000000-0000-4000-8000-000000000000"


def _json_content_type_only(name: str, value: str) -> bool:
    # botocore sets no Content-Type of its own on a blob or string payload
    # (its runner drops this expectation too); we follow it.
    return name == "content-type" and value != "application/json"


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


@dataclass(frozen=True)
class Rules:
    """How one protocol's cases compare."""

    # (actual body, expected body) -> the two in comparable form.
    body: Callable[[bytes, bytes], tuple[Any, Any]] = support.json_or_bytes_equal
    # (lower-cased header name, expected value) -> whether to skip it.
    skip_header: Callable[[str, str], bool] = _json_content_type_only
    # (lower-cased header name, expected value) -> the value to expect.
    expected_header: Callable[[str, str], str] = lambda _name, value: value
    # An output case's response body as the suite writes it -> its bytes.
    response_body: Callable[[str], bytes] = _utf8


REST_JSON = Rules()


def _form_pairs(actual: bytes, expected: bytes) -> tuple[Any, Any]:
    # botocore's runner percent-encodes its serializer's pairs ("%20") and
    # compares bytes; its client sends urlencode()'s ("+"). Both parse to
    # the same ordered pairs, which is what is compared.
    def pairs(body: bytes) -> list[tuple[str, str]]:
        return parse_qsl(body.decode("utf-8"), keep_blank_values=True)

    return pairs(actual), pairs(expected)


def _form_content_type(name: str, value: str) -> str:
    # As botocore's runner: the suites leave out the charset botocore sends.
    if name == "content-type" and "charset=utf-8" not in value:
        return value + "; charset=utf-8"
    return value


# query and ec2: form bodies compared as ordered pairs.
FORM = Rules(
    body=_form_pairs,
    skip_header=lambda _name, _value: False,
    expected_header=_form_content_type,
)


def _params(
    cases: list[ProtocolCase], decisions: Mapping[str, tuple[str, str]]
) -> list[Any]:
    out = []
    for case in cases:
        marks = []
        decision = decisions.get(f"{case.direction}:{case.test_id}")
        if decision is not None:
            kind, reason = decision
            if kind == "skip":
                marks.append(pytest.mark.skip(reason=reason))
            else:
                marks.append(pytest.mark.xfail(reason=reason, strict=True))
        out.append(pytest.param(case, id=case.test_id, marks=marks))
    return out


params = _params


# -- input -------------------------------------------------------------------------


def _client(case: ProtocolCase, transport: InMemoryTransport, endpoint: str) -> Any:
    package = support.generated(support.service_model(case))
    cls = support.client_class(package)
    client = cls(
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id="AKID",
        aws_secret_access_key="SECRET",
        transport=transport,
        max_attempts=1,
    )
    client._codegen_sleep = lambda _delay: None
    return client, package


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


def _list_header_names(case: ProtocolCase, package: Any) -> dict[str, bool]:
    """Header names of list members -> whether the list holds timestamps."""
    op = support.wire_schema(package).operation(case.operation_name)
    out: dict[str, bool] = {}
    if op.input is None:
        return out
    for m in op.input.members.values():
        if m.location == "header" and m.shape.type == "list":
            out[m.serialized_name.lower()] = m.shape.member.shape.type == "timestamp"  # type: ignore[attr-defined]
    return out


def run_input_case(
    case: ProtocolCase, monkeypatch: pytest.MonkeyPatch, rules: Rules = REST_JSON
) -> HttpRequest:
    """Check the request a case's call sends; returns it for further checks."""
    monkeypatch.setattr(runtime_client, "_uuid4", lambda: FIXED_TOKEN)
    endpoint = case.suite.get("clientEndpoint") or "https://example.com"
    transport = InMemoryTransport()
    client, package = _client(case, transport, endpoint)
    op = support.wire_schema(package).operation(case.operation_name)
    kwargs = support.typed_kwargs(op.input, case.case.get("params", {}))
    getattr(client, support.method_name(case.operation_name))(**kwargs)
    assert len(transport.requests) == 1
    request = transport.last
    expected = case.case["serialized"]
    url = urlsplit(request.url)

    if "method" in expected:
        assert request.method == expected["method"]
    uri = url.path + (f"?{url.query}" if url.query else "")
    assert uri == expected.get("uri", "")

    if "body" in expected:
        body = request.body if isinstance(request.body, bytes) else request.body.read()
        actual_body, expected_body = rules.body(body, expected["body"].encode("utf-8"))
        assert actual_body == expected_body

    actual = _lower(request.headers)
    lists = _list_header_names(case, package)
    for name, value in expected.get("headers", {}).items():
        key = name.lower()
        if rules.skip_header(key, value):
            continue
        value = rules.expected_header(key, value)
        assert key in actual, f"missing header {name}"
        got = actual[key]
        if key in lists:
            value = value.replace(", ", ",")
            if lists[key]:
                got = got.replace(", ", ",")
        assert got == value, f"header {name}"
    for name in expected.get("forbidHeaders", ()):
        assert name.lower() not in actual, f"forbidden header {name} sent"
    wire = _lower(wire_headers(request))
    for name in expected.get("requireHeaders", ()):
        assert name.lower() in wire, f"required header {name} not sent"

    if "host" in expected:
        host, _, base = expected["host"].partition("/")
        assert url.netloc == host
        if base:
            assert url.path.startswith(f"/{base}/")
    return request


# -- output ------------------------------------------------------------------------


def run_output_case(case: ProtocolCase, rules: Rules = REST_JSON) -> None:
    raw = case.case["response"]
    response = HttpResponse(
        raw.get("status_code", 200),
        dict(raw.get("headers", {})),
        rules.response_body(raw.get("body", "")),
    )
    transport = InMemoryTransport([response])
    client, package = _client(case, transport, "https://example.com")
    schema = support.wire_schema(package)
    op = schema.operation(case.operation_name)
    method = getattr(client, support.method_name(case.operation_name))
    if "error" in case.case:
        with pytest.raises(ServiceError) as info:
            method()
        error = info.value
        shape = schema.error_shapes().get(error.code)
        if shape is not None:
            assert isinstance(error, shape.error_class)  # type: ignore[arg-type]
        expected = {
            "Error": {
                "Code": case.case.get("errorCode", ""),
                "Message": case.case.get("errorMessage", ""),
            },
            **case.case["error"],
        }
        assert support.error_plain(error, shape) == expected
        return
    result = method()
    actual = {} if result is None else support.to_plain(op.output, result)  # type: ignore[arg-type]
    assert actual == case.case["result"]
