"""botocore's rest-json protocol suites, run against generated clients.

Every case becomes its own test: its model (suite metadata and shapes plus the
case's operation) is generated into a throwaway package, a client is built
over an :class:`InMemoryTransport`, and the request it sends (input cases) or
the value it returns or raises (output cases) is compared the way botocore's
``tests/unit/test_protocols.py`` compares them:

* the method, the path and query exactly; the body as JSON when both sides are
  JSON, else byte for byte, and only when the case gives one; every expected
  header present and equal (names case-insensitive), every ``forbidHeaders``
  name absent; the host after the host prefix is applied to the endpoint;
* list-valued headers compare with ``", "`` normalised to ``","`` as botocore's
  runner does (Smithy writes ``"a, b"``, botocore sends ``"a,b"``; both are the
  same HTTP list);
* an expected ``Content-Type`` other than ``application/json`` (a blob or
  string payload) is not required, as botocore's runner drops it: botocore
  sets none of its own there, and neither do we;
* ``forbidHeaders`` are checked on the request handed to the transport, as
  botocore checks its serializer's output; ``requireHeaders`` (always
  ``Content-Length``) on the headers that go on the wire, after the default
  transport adds the length, as botocore's preparer does;
* output cases compare the typed result, converted back to botocore's shape
  (wire names, epoch timestamps, blobs as text), with the expected result, and
  errors by code, message and modelled members.

Cases on botocore's ignore list, and any case we do not pass, carry a written
decision: ``DECISIONS`` (keyed ``input:<test id>`` / ``output:<test id>``) skips
a case with its reason, ``IGNORE_LIST_DECISIONS`` says what we do with every
entry of botocore's ignore list, passing or not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import pytest

import codegen.runtime.client as runtime_client
from codegen.runtime.errors import ServiceError
from codegen.runtime.http import _wire_headers
from codegen.runtime.transport import HttpResponse, InMemoryTransport

from . import support
from .support import ProtocolCase

# The idempotency token the Smithy suites expect when the caller gives none.
FIXED_TOKEN = "00000000-0000-4000-8000-000000000000"

_FOLLOW = "follows botocore (on its ignore list): "

# Cases whose outcome differs from the suite, each with the reason. "skip":
# we deliberately follow botocore where it deviates from Smithy; "xfail": a
# known gap.
DECISIONS: dict[str, tuple[str, str]] = {
    "input:RestJsonHttpChecksumRequired": (
        "skip",
        _FOLLOW
        + (
            "botocore >= 1.36 sends x-amz-checksum-crc32 (not Content-MD5) for "
            "httpChecksumRequired operations; no rest-json model in botocore uses the "
            "trait and we send neither header (an open gap, for any future model)"
        ),
    ),
    "input:RestJsonHttpPayloadWithUnsetUnion": (
        "skip",
        _FOLLOW
        + (
            "an unset structure or union payload is sent as '{}', as botocore sends "
            "it and every service has accepted it; Smithy wants an empty body"
        ),
    ),
    "input:MediaTypeHeaderInputBase64": (
        "skip",
        _FOLLOW
        + (
            "a jsonvalue header carries a JSON document (our parameter is a Document): "
            "json.dumps then base64, as botocore; Smithy base64s the raw string"
        ),
    ),
    "input:RestJsonNullAndEmptyHeaders": (
        "skip",
        _FOLLOW
        + (
            "an empty list header is not sent at all, as botocore; Smithy sends an "
            "empty X-C header"
        ),
    ),
    "input:SDKAppliedContentEncoding_restJson1": (
        "skip",
        _FOLLOW
        + (
            "request compression (requestcompression trait) is not implemented: "
            "botocore skips this suite and no rest-json model in botocore uses it"
        ),
    ),
    "input:SDKAppendedGzipAfterProvidedEncoding_restJson1": (
        "skip",
        _FOLLOW
        + (
            "request compression (requestcompression trait) is not implemented: "
            "botocore skips this suite and no rest-json model in botocore uses it"
        ),
    ),
    "output:RestJsonHttpPayloadTraitsWithNoBlobBody": (
        "skip",
        _FOLLOW
        + (
            "an empty body gives an empty blob/string payload (b'' / ''), as botocore "
            "gives it, rather than leaving the member unset as Smithy does: code "
            "written against boto3 never sees None there"
        ),
    ),
    "output:MediaTypeHeaderOutputBase64": (
        "skip",
        _FOLLOW
        + (
            "a jsonvalue header is base64-decoded and parsed as JSON, as botocore "
            "does; Smithy's mediaType string keeps the decoded text"
        ),
    ),
    "output:legacy-00.0-Scalar members": (
        "skip",
        (
            "uses the pre-Smithy 'character' shape type, which no botocore model "
            "uses any more; the generator rejects unknown shape types (spec: exit 2)"
        ),
    ),
}

# botocore's ignore list for rest-json, and what we do with each entry.
IGNORE_LIST_DECISIONS: dict[str, str] = {
    # general
    "suite:Test cases for PutWithContentEncoding operation": "skipped: see DECISIONS",
    "suite:Test cases for QueryIdempotencyTokenAutoFill operation": (
        "implemented (Smithy): a missing idempotency token is filled with a "
        "UUID4; the test pins uuid4 to the expected value"
    ),
    "suite:Test cases for HostWithPathOperation operation": (
        "implemented (Smithy): the path of a custom endpoint_url is kept in front "
        "of the operation's path, as botocore's client (not its runner) does"
    ),
    "suite:Idempotency token auto fill": "implemented (Smithy), as the suite above",
    # input
    "input:MediaTypeHeaderInputBase64": "skipped: see DECISIONS",
    "input:RestJsonHttpChecksumRequired": "skipped: see DECISIONS",
    "input:RestJsonNullAndEmptyHeaders": "skipped: see DECISIONS",
    "input:RestJsonQueryPrecedence": (
        "implemented (Smithy): a named query member wins over the same key in a "
        "map of query parameters whatever the member order; botocore lets the "
        "later member win, which a user with a typed API cannot even control"
    ),
    "input:RestJsonHttpPayloadWithUnsetUnion": "skipped: see DECISIONS",
    "input:DocumentTypeAsPayloadInputString": (
        "implemented (Smithy): a document payload is the body itself; botocore "
        'sends {"null": <document>}, a bug a user would hit'
    ),
    "input:DocumentTypeAsPayloadInput": "implemented (Smithy), as above",
    # output
    "output:RestJsonFooErrorUsingXAmznErrorType": (
        "implemented (Smithy): a 5xx with an empty body but an X-Amzn-Errortype "
        "header raises the modelled error; botocore reports code '500'. Without "
        "the header we give botocore's code (the status) and message (its reason)"
    ),
    "output:RestJsonFooErrorUsingXAmznErrorTypeWithUri": "implemented, as above",
    "output:RestJsonFooErrorUsingXAmznErrorTypeWithUriAndNamespace": (
        "implemented (Smithy), as above"
    ),
    "output:RestJsonHttpPayloadTraitsWithNoBlobBody": "skipped: see DECISIONS",
    "output:RestJsonHttpPayloadWithUnsetUnion": (
        "implemented (Smithy) for output: an empty body leaves a union payload "
        "unset (botocore raises ResponseParserError: a union needs one member)"
    ),
    "output:RestJsonInputAndOutputWithTimestampHeaders": (
        "implemented (Smithy): a list of HTTP dates in a header is split into "
        "dates (botocore splits on every comma and fails)"
    ),
    "output:RestJsonInputAndOutputWithQuotedStringHeaders": (
        "implemented (Smithy): quoted items of a header list are unquoted "
        "(botocore splits inside the quotes)"
    ),
    "output:RestJsonDeserializesDenseSetMapAndSkipsNull": (
        "implemented (Smithy): a null value in a map is dropped (botocore keeps "
        "None, which the typed Mapping[str, X] would not admit)"
    ),
    "output:MediaTypeHeaderOutputBase64": "skipped: see DECISIONS",
}


def _params(cases: list[ProtocolCase]) -> list[Any]:
    out = []
    for case in cases:
        marks = []
        decision = DECISIONS.get(f"{case.direction}:{case.test_id}")
        if decision is not None:
            kind, reason = decision
            if kind == "skip":
                marks.append(pytest.mark.skip(reason=reason))
            else:
                marks.append(pytest.mark.xfail(reason=reason, strict=True))
        out.append(pytest.param(case, id=case.test_id, marks=marks))
    return out


INPUT_SMITHY = support.load_cases("input", "smithy")
INPUT_LEGACY = support.load_cases("input", "legacy")
OUTPUT_SMITHY = support.load_cases("output", "smithy")
OUTPUT_LEGACY = support.load_cases("output", "legacy")


def test_suite_sizes() -> None:
    """The fixtures are botocore's complete rest-json suites."""
    assert (len(INPUT_SMITHY), len(INPUT_LEGACY)) == (113, 56)
    assert (len(OUTPUT_SMITHY), len(OUTPUT_LEGACY)) == (91, 33)


def test_every_ignore_list_entry_has_a_decision() -> None:
    data = support.botocore_ignore_list()
    names = {f"suite:{name}" for name in data["general"]["input"]["suites"]}
    for direction in ("input", "output"):
        names |= {
            f"{direction}:{c}"
            for c in data["protocols"]["rest-json"][direction]["cases"]
        }
    assert names == set(IGNORE_LIST_DECISIONS)
    cases = INPUT_SMITHY + INPUT_LEGACY + OUTPUT_SMITHY + OUTPUT_LEGACY
    for key, decision in IGNORE_LIST_DECISIONS.items():
        kind, _, name = key.partition(":")
        covered = [
            f"{c.direction}:{c.test_id}"
            for c in cases
            if (c.description if kind == "suite" else f"{c.direction}:{c.case_id}")
            == (name if kind == "suite" else key)
        ]
        assert covered, key
        skipped = [k for k in covered if k in DECISIONS]
        assert (
            decision.startswith("skipped") and skipped == covered
        ) or not skipped, key
    ignored = [
        c
        for c in INPUT_SMITHY + INPUT_LEGACY + OUTPUT_SMITHY + OUTPUT_LEGACY
        if support.botocore_ignores(c)
    ]
    assert len(ignored) == 23  # 16 cases by id, 7 in the four suites


def test_every_decision_names_a_case() -> None:
    ids = {
        f"{c.direction}:{c.test_id}"
        for c in INPUT_SMITHY + INPUT_LEGACY + OUTPUT_SMITHY + OUTPUT_LEGACY
    }
    assert set(DECISIONS) <= ids
    assert all(
        kind in ("skip", "xfail") and reason for kind, reason in DECISIONS.values()
    )


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
    client.sleep = lambda _delay: None
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


def run_input_case(case: ProtocolCase, monkeypatch: pytest.MonkeyPatch) -> None:
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
        actual_body, expected_body = support.json_or_bytes_equal(
            body, expected["body"].encode("utf-8")
        )
        assert actual_body == expected_body

    actual = _lower(request.headers)
    lists = _list_header_names(case, package)
    for name, value in expected.get("headers", {}).items():
        key = name.lower()
        if key == "content-type" and value != "application/json":
            # botocore sets no Content-Type of its own on a blob or string
            # payload (its runner drops this expectation too); we follow it.
            continue
        assert key in actual, f"missing header {name}"
        got = actual[key]
        if key in lists:
            value = value.replace(", ", ",")
            if lists[key]:
                got = got.replace(", ", ",")
        assert got == value, f"header {name}"
    for name in expected.get("forbidHeaders", ()):
        assert name.lower() not in actual, f"forbidden header {name} sent"
    wire = _lower(_wire_headers(request))
    for name in expected.get("requireHeaders", ()):
        assert name.lower() in wire, f"required header {name} not sent"

    if "host" in expected:
        host, _, base = expected["host"].partition("/")
        assert url.netloc == host
        if base:
            assert url.path.startswith(f"/{base}/")


@pytest.mark.parametrize("case", _params(INPUT_SMITHY))
def test_input_smithy(case: ProtocolCase, monkeypatch: pytest.MonkeyPatch) -> None:
    run_input_case(case, monkeypatch)


@pytest.mark.parametrize("case", _params(INPUT_LEGACY))
def test_input_legacy(case: ProtocolCase, monkeypatch: pytest.MonkeyPatch) -> None:
    run_input_case(case, monkeypatch)


# -- output ------------------------------------------------------------------------


def run_output_case(case: ProtocolCase) -> None:
    raw = case.case["response"]
    response = HttpResponse(
        raw.get("status_code", 200),
        dict(raw.get("headers", {})),
        raw.get("body", "").encode("utf-8"),
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


@pytest.mark.parametrize("case", _params(OUTPUT_SMITHY))
def test_output_smithy(case: ProtocolCase) -> None:
    run_output_case(case)


@pytest.mark.parametrize("case", _params(OUTPUT_LEGACY))
def test_output_legacy(case: ProtocolCase) -> None:
    run_output_case(case)
