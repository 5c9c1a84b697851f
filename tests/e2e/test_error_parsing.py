"""Error responses parsed as botocore parses them.

Each canned response is fed to our client (through an in-memory transport)
and to a botocore client (through a ``before-send`` handler); the exception
class, code, message, status, request id and modelled members must agree.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import boto3
import botocore.config
import botocore.exceptions
import pytest
from botocore.awsrequest import AWSResponse

from generated.iot import IoTClient
from generated.location import LocationClient, shapes
from tests.e2e.support import ACCESS_KEY, REGION, SECRET_KEY, python_name, to_wire
from typed_aws_runtime.errors import ClientError, ResponseParseError, ServiceError
from typed_aws_runtime.transport import HttpResponse, InMemoryTransport

ENDPOINT = "http://localhost:1"  # never contacted: both sides are canned

JSON = {"Content-Type": "application/json"}
HTML = b"<html><body><b>Http/1.1 Service Unavailable</b></body></html>"


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Any:
        yield self._body


def _botocore(
    service: str, status: int, headers: Mapping[str, str], body: bytes
) -> Any:
    client = boto3.session.Session().client(
        service,
        endpoint_url=ENDPOINT,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=botocore.config.Config(
            retries={"mode": "standard", "total_max_attempts": 1}
        ),
    )

    def answer(request: Any, **_: Any) -> AWSResponse:
        return AWSResponse(request.url, status, dict(headers), _Raw(body))

    client.meta.events.register("before-send", answer)
    return client


def _ours(cls: type[Any], status: int, headers: Mapping[str, str], body: bytes) -> Any:
    transport = InMemoryTransport([HttpResponse(status, dict(headers), body)])
    return cls(
        endpoint_url=ENDPOINT,
        region_name=REGION,
        max_attempts=1,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        transport=transport,
    )


def _location_call(client: Any) -> None:
    client.get_job(job_id="job-1")


def _location_boto(client: Any) -> None:
    client.get_job(JobId="job-1")


def _iot_call(client: Any) -> None:
    client.describe_job(job_id="job-1")


def _iot_boto(client: Any) -> None:
    client.describe_job(jobId="job-1")


def _j(value: Any) -> bytes:
    return json.dumps(value).encode()


# (id, service, status, headers, body)
CASES: list[tuple[str, str, int, dict[str, str], bytes]] = [
    (
        "header-with-colon-suffix",
        "location",
        400,
        {
            **JSON,
            "x-amzn-ErrorType": "ValidationException:http://internal.amazon.com/"
            "coral/com.amazon.coral.validate/",
            "x-amzn-RequestId": "rid-1",
        },
        _j(
            {
                "message": "1 validation error",
                "reason": "FieldValidationFailed",
                "fieldList": [{"name": "JobId", "message": "too long"}],
            }
        ),
    ),
    (
        "type-with-namespace",
        "location",
        404,
        {**JSON, "x-amzn-RequestId": "rid-2"},
        _j(
            {
                "__type": "com.amazonaws.geo#ResourceNotFoundException",
                "message": "job-1 not found",
            }
        ),
    ),
    (
        "code-in-body",
        "location",
        409,
        JSON,
        _j({"code": "ConflictException", "message": "busy"}),
    ),
    (
        "Code-and-Message-capitalised",
        "location",
        403,
        JSON,
        _j({"Code": "AccessDeniedException", "Message": "Denied"}),
    ),
    (
        "header-wins-over-body",
        "location",
        429,
        {**JSON, "x-amzn-errortype": "ThrottlingException"},
        _j(
            {
                "__type": "aws#InternalServerException",
                "code": "Other",
                "message": "slow",
            }
        ),
    ),
    ("5xx-empty-body", "location", 503, {"x-amzn-RequestId": "rid-3"}, b""),
    ("5xx-html-body", "location", 502, {"Content-Type": "text/html"}, HTML),
    (
        "5xx-html-body-with-header-code",
        "location",
        500,
        {"Content-Type": "text/html", "x-amzn-ErrorType": "InternalServerException"},
        HTML,
    ),
    ("5xx-json-no-code", "location", 500, JSON, _j({"message": "internal"})),
    ("4xx-empty-body-no-code", "location", 400, {}, b""),
    ("4xx-json-no-code", "location", 404, JSON, _j({"message": "nothing here"})),
    ("4xx-text-body", "location", 400, {"Content-Type": "text/plain"}, b"Bad Request"),
    (
        "unmodelled-code",
        "location",
        400,
        {**JSON, "x-amzn-ErrorType": "ShinyNewException"},
        _j({"message": "from the future", "extra": 1}),
    ),
    (
        "request-id-x-amz-request-id",
        "location",
        404,
        {**JSON, "x-amz-request-id": "rid-s3-style"},
        _j({"__type": "ResourceNotFoundException", "message": "gone"}),
    ),
    (
        "iot-members",
        "iot",
        409,
        {**JSON, "x-amzn-ErrorType": "ResourceAlreadyExistsException"},
        _j(
            {
                "message": "exists",
                "resourceId": "job-1",
                "resourceArn": "arn:aws:iot:us-east-1:123456789012:job/job-1",
            }
        ),
    ),
    (
        "iot-unknown-members-ignored",
        "iot",
        409,
        {**JSON, "x-amzn-ErrorType": "ConflictException"},
        _j({"message": "conflict", "resourceId": "r", "notModelled": True}),
    ),
]

# Where we deliberately differ from botocore (decided in restjson.parse_error):
# - a 5xx "generic" error (empty or HTML body) keeps the request id header,
#   which botocore drops with the rest of its ResponseMetadata;
# - such a response with an ``x-amzn-errortype`` header raises the error it
#   names, with an empty message (Smithy's RestJsonFooErrorUsingXAmznErrorType
#   case), where botocore says "500" / "Internal Server Error";
# - ``x-amz-request-id`` is a request id when ``x-amzn-requestid`` is absent
#   (botocore's rest parsers read it on success, its JSON error parser not).
DEVIATIONS: dict[str, dict[str, Any]] = {
    "5xx-empty-body": {"request_id": "rid-3"},
    "5xx-html-body-with-header-code": {
        "class": "InternalServerException",
        "code": "InternalServerException",
        "message": "",
    },  # the Smithy suites
    "request-id-x-amz-request-id": {"request_id": "rid-s3-style"},
}

SERVICES = {
    "location": (LocationClient, _location_call, _location_boto),
    "iot": (IoTClient, _iot_call, _iot_boto),
}


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_error_matches_botocore(
    case: tuple[str, str, int, dict[str, str], bytes],
) -> None:
    _, service, status, headers, body = case
    cls, call, boto_call = SERVICES[service]
    boto_client = _botocore(service, status, headers, body)
    with pytest.raises(botocore.exceptions.ClientError) as boto_caught:
        boto_call(boto_client)
    with pytest.raises(ServiceError) as caught:
        call(_ours(cls, status, headers, body))
    response = boto_caught.value.response
    error = caught.value

    deviation = DEVIATIONS.get(case[0], {})
    # The same class: the modelled one for a modelled code, else the base.
    modelled = type(boto_caught.value) is not botocore.exceptions.ClientError
    base_name = {"location": "LocationError", "iot": "IoTError"}[service]
    if "class" in deviation:
        assert type(error).__name__ == deviation["class"]
        assert type(error).__mro__[1].__name__ == base_name
    elif modelled:
        assert type(error).__name__ == type(boto_caught.value).__name__
        assert type(error).__mro__[1].__name__ == base_name
    else:
        assert type(error).__name__ == base_name
    assert error.code == deviation.get("code", response["Error"]["Code"])
    assert error.message == deviation.get("message", response["Error"]["Message"])
    assert error.status_code == status == response["ResponseMetadata"]["HTTPStatusCode"]
    assert error.request_id == deviation.get(
        "request_id", response["ResponseMetadata"].get("RequestId")
    )

    # Modelled members: what botocore puts next to "Error", as attributes.
    if modelled:
        shape = boto_client.meta.service_model.shape_for_error_code(error.code)
        for wire, member in shape.members.items():
            if wire.lower() == "message":
                continue
            ours = getattr(error, python_name(wire))
            assert to_wire(ours, member) == response.get(wire)
    assert not hasattr(error, "not_modelled") and not hasattr(error, "extra")


def test_modelled_members_are_typed() -> None:
    body = _j(
        {
            "message": "bad",
            "reason": "CannotParse",
            "fieldList": [{"name": "a", "message": "b"}],
        }
    )
    headers = {**JSON, "x-amzn-ErrorType": "ValidationException"}
    from generated.location import enums, errors

    with pytest.raises(errors.ValidationException) as caught:
        _location_call(_ours(LocationClient, 400, headers, body))
    assert caught.value.reason is enums.ValidationExceptionReason.CANNOTPARSE
    assert caught.value.field_list == [
        shapes.ValidationExceptionField(name="a", message="b")
    ]
    assert isinstance(caught.value, ClientError)
    text = str(caught.value)
    assert "ValidationException" in text and "HTTP 400" in text and "bad" in text


@pytest.mark.parametrize(
    "body",
    [b"<html>not json</html>", b'{"JobId": ', b"\xff\xfe"],
    ids=["html", "truncated", "binary"],
)
def test_success_with_invalid_json_raises_clear_error(body: bytes) -> None:
    client = _ours(
        LocationClient, 200, {**JSON, "x-amzn-RequestId": "rid-bad-json"}, body
    )
    with pytest.raises(ResponseParseError) as caught:
        _location_call(client)
    error = caught.value
    assert error.status_code == 200 and error.request_id == "rid-bad-json"
    assert "HTTP 200" in str(error) and "rid-bad-json" in str(error)
    assert "JSON" in str(error)
    assert isinstance(error, ClientError)


def test_success_with_wrong_json_type_raises_clear_error() -> None:
    body = _j({"JobId": "j", "CreatedAt": "not a date", "Status": "Pending"})
    client = _ours(
        LocationClient, 200, {**JSON, "x-amzn-RequestId": "rid-bad-date"}, body
    )
    with pytest.raises(ResponseParseError) as caught:
        _location_call(client)
    assert caught.value.request_id == "rid-bad-date"
    assert "CreatedAt" in str(caught.value)
