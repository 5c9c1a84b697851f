"""The rpc-v2-cbor protocol beyond the suites: the envelope of a request, the
code, message and request id of an error (compared with botocore's
``RpcV2CBORParser`` where botocore can parse the response), and responses
that cannot be what the model says.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from botocore.awsrequest import HeadersDict

from typed_aws_runtime.codecs import cbor
from typed_aws_runtime.errors import ResponseParseError, ServiceError
from typed_aws_runtime.transport import HttpResponse, InMemoryTransport

from . import support

MODEL: dict[str, Any] = {
    "version": "2.0",
    "metadata": {
        "apiVersion": "2020-07-14",
        "protocol": "smithy-rpc-v2-cbor",
        "protocols": ["smithy-rpc-v2-cbor"],
        "targetPrefix": "SampleService",
        "serviceId": "Cbor Sample",
        "endpointPrefix": "cborsample",
        "signingName": "cborsample",
        "signatureVersion": "v4",
    },
    "operations": {
        "Put": {
            "name": "Put",
            "http": {"method": "POST", "requestUri": "/"},
            "input": {"shape": "PutInput"},
            "output": {"shape": "PutOutput"},
            "errors": [{"shape": "Conflict"}],
        },
        "Ping": {"name": "Ping", "http": {"method": "POST", "requestUri": "/"}},
    },
    "shapes": {
        "PutInput": {
            "type": "structure",
            "members": {
                "name": {"shape": "String"},
                "at": {"shape": "Timestamp"},
            },
        },
        "PutOutput": {
            "type": "structure",
            "members": {
                "names": {"shape": "Names"},
                "at": {"shape": "Timestamp"},
                "choice": {"shape": "Choice"},
            },
        },
        "Choice": {
            "type": "structure",
            "union": True,
            "members": {"a": {"shape": "String"}, "b": {"shape": "String"}},
        },
        "Conflict": {
            "type": "structure",
            "members": {
                "message": {"shape": "String"},
                "resource": {"shape": "String"},
            },
            "error": {"httpStatusCode": 409},
            "exception": True,
        },
        "Names": {"type": "list", "member": {"shape": "String"}},
        "String": {"type": "string"},
        "Timestamp": {"type": "timestamp"},
    },
}


def _client(*responses: HttpResponse) -> tuple[Any, InMemoryTransport]:
    package = support.generated(MODEL, prefix="cbor_protocol")
    transport = InMemoryTransport(responses)
    client = support.client_class(package)(
        region_name="us-east-1",
        endpoint_url="https://cborsample.example.com",
        aws_access_key_id="AKID",
        aws_secret_access_key="SECRET",
        transport=transport,
        max_attempts=1,
    )
    return client, transport


def _encode(value: dict[str, Any]) -> bytes:
    return cbor.dumps_plain(value)


# -- requests --------------------------------------------------------------------


def test_request_envelope_matches_botocore() -> None:
    from botocore.model import ServiceModel
    from botocore.serialize import RpcV2CBORSerializer

    when = datetime.datetime(2024, 5, 1, 12, 0, 7, tzinfo=datetime.UTC)
    client, transport = _client(HttpResponse(200, {}, b"\xa0"))
    client.put(name="x", at=when)
    request = transport.last
    expected = RpcV2CBORSerializer().serialize_to_request(
        {"name": "x", "at": when}, ServiceModel(MODEL).operation_model("Put")
    )
    assert request.method == expected["method"] == "POST"
    assert request.url == "https://cborsample.example.com" + expected["url_path"]
    assert request.body == expected["body"]
    for name, value in expected["headers"].items():
        assert request.headers[name] == value
    assert "x-amzn-query-mode" not in request.headers


def test_no_input_sends_no_body_and_no_content_type() -> None:
    client, transport = _client()
    client.ping()
    request = transport.last
    assert request.url.endswith("/service/SampleService/operation/Ping")
    assert request.body == b""
    assert "Content-Type" not in request.headers
    assert request.headers["Accept"] == "application/cbor"


# -- errors ----------------------------------------------------------------------

ERRORS: list[tuple[int, dict[str, str], bytes]] = [
    (409, {}, _encode({"__type": "com.example#Conflict", "message": "taken"})),
    (409, {}, _encode({"__type": "com.example#Conflict:http://x/", "Message": "m"})),
    (400, {}, _encode({"__type": "Other", "message": "no"})),
    (400, {}, _encode({"message": "no code"})),
    (400, {"x-amzn-query-error": "Customized;Sender"}, _encode({"__type": "A#B"})),
    (400, {"x-amzn-query-error": "A;B;C"}, _encode({"__type": "A#B"})),
    (400, {"x-amzn-query-error": ";Sender"}, _encode({"__type": "A#B"})),
    (500, {}, b""),
    (503, {}, b"  <html><body>busy</body></html>"),
    (500, {}, _encode({"__type": "InternalError"})),
]


@pytest.mark.parametrize("status, headers, body", ERRORS)
def test_errors_as_botocore_reads_them(
    status: int, headers: dict[str, str], body: bytes
) -> None:
    from botocore.parsers import RpcV2CBORParser

    headers = {"x-amzn-requestid": "rid", **headers}
    client, _ = _client(HttpResponse(status, headers, body))
    with pytest.raises(ServiceError) as info:
        client.put()
    expected = RpcV2CBORParser().parse(
        {"status_code": status, "headers": HeadersDict(headers), "body": body}, None
    )
    assert info.value.code == expected["Error"]["Code"]
    assert info.value.message == expected["Error"]["Message"]
    assert info.value.request_id == "rid"


def test_modelled_error_and_its_members() -> None:
    body = _encode({"__type": "ns#Conflict", "message": "taken", "resource": "r1"})
    client, _ = _client(HttpResponse(409, {"x-amzn-RequestId": "rid"}, body))
    with pytest.raises(ServiceError) as info:
        client.put()
    error = info.value
    assert type(error).__name__ == "Conflict"
    assert (error.code, error.message, error.request_id) == ("Conflict", "taken", "rid")
    assert error.resource == "r1"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "status, body, code, message",
    [
        # botocore fails on these (an empty 4xx body; text that is not CBOR).
        (400, b"", "400", ""),
        (403, b"Forbidden by a proxy", "403", "Forbidden by a proxy"),
        (400, _encode({"x": 1})[:2], "400", None),
    ],
)
def test_error_bodies_botocore_cannot_read(
    status: int, body: bytes, code: str, message: str | None
) -> None:
    client, _ = _client(HttpResponse(status, {}, body))
    with pytest.raises(ServiceError) as info:
        client.put()
    assert info.value.code == code
    if message is not None:
        assert info.value.message == message


# -- responses that are not what the model says ------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"\xbf\x61",  # truncated
        b"\x83\x01\x02\x03",  # an array, not a map
        _encode({"names": "not a list"}),
        _encode({"names": [1, {"a": 1}]})[:-1],
        b"\xa1\x62at\xc1\x61x",  # tag 1 over text
        _encode({"choice": {"a": "1", "b": "2"}}),  # a union with two members
        _encode({"choice": {}}),  # ... and with none
    ],
)
def test_malformed_responses_raise_response_parse_error(body: bytes) -> None:
    client, _ = _client(HttpResponse(200, {"x-amzn-requestid": "rid"}, body))
    with pytest.raises(ResponseParseError) as info:
        client.put()
    assert info.value.status_code == 200
    assert info.value.request_id == "rid"


def test_empty_body_is_an_empty_output() -> None:
    client, _ = _client(HttpResponse(200, {}, b""))
    result = client.put()
    assert result.names is None and result.at is None


def test_output_values() -> None:
    body = _encode({"names": ["a", None, "b"], "at": 1.5, "choice": {"z": "new"}})
    client, _ = _client(HttpResponse(200, {}, body))
    result = client.put()
    assert result.names == ["a", None, "b"]  # a sparse list keeps its nulls
    # An untagged number is still epoch seconds.
    assert result.at == datetime.datetime(1970, 1, 1, 0, 0, 1, 500000, datetime.UTC)
    assert result.choice.sdk_unknown_member == "z"


def test_wide_structures_match_botocore() -> None:
    """Maps of 24 members and more take a longer head, written afterwards."""
    from botocore.model import ServiceModel
    from botocore.serialize import RpcV2CBORSerializer

    members = {f"m{i:02d}": {"shape": "String"} for i in range(30)}
    model = {
        **MODEL,
        "operations": {
            "Wide": {
                "name": "Wide",
                "http": {"method": "POST", "requestUri": "/"},
                "input": {"shape": "WideInput"},
            }
        },
        "shapes": {
            "WideInput": {
                "type": "structure",
                "members": {**members, "inner": {"shape": "Inner"}},
            },
            "Inner": {"type": "structure", "members": members},
            "String": {"type": "string"},
        },
    }
    package = support.generated(model, prefix="cbor_wide")
    schema = support.wire_schema(package)
    for count in (0, 23, 24, 30):
        params = {f"m{i:02d}": f"v{i}" for i in range(count)}
        plain = {**params, "inner": params}
        op = schema.operation("Wide")
        typed = support.typed_kwargs(op.input, plain)
        ours = cbor.InputEncoder(op.input)(
            {m.wire: typed.get(m.python) for m in op.input.members.values()}
        )
        theirs = RpcV2CBORSerializer().serialize_to_request(
            plain, ServiceModel(model).operation_model("Wide")
        )["body"]
        assert ours == theirs
        assert cbor.loads(ours) == plain
