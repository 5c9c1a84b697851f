"""rest-xml against botocore on a real model: a client generated from
botocore's route53 model sends what botocore's ``RestXMLSerializer`` sends
(method, path, query, body bytes; without botocore's route53 handlers, so
ids are sent as given) and parses responses and errors to botocore's
``RestXMLParser`` values."""

from __future__ import annotations

import copy
import gzip
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import botocore
import pytest
from botocore.awsrequest import HeadersDict
from botocore.model import ServiceModel
from botocore.parsers import create_parser
from botocore.serialize import create_serializer
from botocore.utils import percent_encode_sequence

from tests.conformance import support
from typed_aws_runtime.errors import ServiceError
from typed_aws_runtime.transport import HttpResponse, InMemoryTransport

MODEL = Path(botocore.__file__).parent / "data/route53/2013-04-01/service-2.json.gz"
ENDPOINT = "https://route53.amazonaws.com"
NS = "https://route53.amazonaws.com/doc/2013-04-01/"


@pytest.fixture(scope="module")
def model() -> dict[str, Any]:
    with gzip.open(MODEL, "rt", encoding="utf-8") as f:
        return json.load(f)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def package(model: dict[str, Any]) -> Any:
    return support.generated(model, prefix="route53")


def _client(package: Any, transport: InMemoryTransport) -> Any:
    client = support.client_class(package)(
        region_name="us-east-1",
        endpoint_url=ENDPOINT,
        aws_access_key_id="AKID",
        aws_secret_access_key="SECRET",
        transport=transport,
        max_attempts=1,
    )
    client._codegen_sleep = lambda _delay: None
    return client


def _call(
    package: Any, operation: str, params: dict[str, Any], response: HttpResponse
) -> Any:
    transport = InMemoryTransport([response])
    op = support.wire_schema(package).operation(operation)
    method = getattr(_client(package, transport), support.method_name(operation))
    result = method(**support.typed_kwargs(op.input, params))
    return transport.last, result


def _botocore_request(
    model: dict[str, Any], operation: str, params: dict[str, Any]
) -> Any:
    op = ServiceModel(model, "route53").operation_model(operation)
    return create_serializer("rest-xml").serialize_to_request(copy.deepcopy(params), op)


def _assert_same_request(request: Any, expected: dict[str, Any]) -> None:
    url = urlsplit(request.url)
    assert request.method == expected["method"]
    assert url.path == expected["url_path"]
    assert url.query == percent_encode_sequence(expected["query_string"])
    body = request.body if isinstance(request.body, bytes) else request.body.read()
    assert body == expected["body"]


CHANGE_PARAMS: dict[str, Any] = {
    "HostedZoneId": "Z1D633PJN98FT9",
    "ChangeBatch": {
        "Comment": 'Web & "mail" <servers>',
        "Changes": [
            {
                "Action": "UPSERT",
                "ResourceRecordSet": {
                    "Name": "www.example.com.",
                    "Type": "A",
                    "SetIdentifier": "us-east",
                    "Weight": 100,
                    "TTL": 300,
                    "ResourceRecords": [
                        {"Value": "192.0.2.44"},
                        {"Value": "192.0.2.45"},
                    ],
                    "HealthCheckId": "abcdef11-2222-3333-4444-555555fedcba",
                },
            },
            {
                "Action": "CREATE",
                "ResourceRecordSet": {
                    "Name": "example.com.",
                    "Type": "TXT",
                    "TTL": 60,
                    "ResourceRecords": [
                        {"Value": '"v=spf1 include:_spf.example.com ~all"'}
                    ],
                },
            },
            {
                "Action": "CREATE",
                "ResourceRecordSet": {
                    "Name": "alias.example.com.",
                    "Type": "A",
                    "SetIdentifier": "eu",
                    "GeoLocation": {"ContinentCode": "EU"},
                    "AliasTarget": {
                        "HostedZoneId": "Z2FDTNDATAQYW2",
                        "DNSName": "d111111abcdef8.cloudfront.net.",
                        "EvaluateTargetHealth": False,
                    },
                },
            },
            {
                "Action": "DELETE",
                "ResourceRecordSet": {
                    "Name": "old.example.com.",
                    "Type": "CNAME",
                    "TTL": 0,
                    "ResourceRecords": [{"Value": "target.example.com"}],
                },
            },
        ],
    },
}

CHANGE_RESPONSE = f"""<?xml version="1.0" encoding="UTF-8"?>
<ChangeResourceRecordSetsResponse xmlns="{NS}">
  <ChangeInfo>
    <Id>/change/C2682N5HXP0BZ4</Id>
    <Status>PENDING</Status>
    <SubmittedAt>2017-03-10T01:36:41.958Z</SubmittedAt>
    <Comment>Web &amp; mail</Comment>
  </ChangeInfo>
</ChangeResourceRecordSetsResponse>"""

LIST_RESPONSE = f"""<?xml version="1.0" encoding="UTF-8"?>
<ListResourceRecordSetsResponse xmlns="{NS}">
  <ResourceRecordSets>
    <ResourceRecordSet>
      <Name>example.com.</Name>
      <Type>NS</Type>
      <TTL>172800</TTL>
      <ResourceRecords>
        <ResourceRecord><Value>ns-1.awsdns-01.org.</Value></ResourceRecord>
        <ResourceRecord><Value>ns-2.awsdns-02.co.uk.</Value></ResourceRecord>
      </ResourceRecords>
    </ResourceRecordSet>
    <ResourceRecordSet>
      <Name>www.example.com.</Name>
      <Type>A</Type>
      <SetIdentifier>us-east</SetIdentifier>
      <Weight>100</Weight>
      <TTL>300</TTL>
      <ResourceRecords>
        <ResourceRecord><Value>192.0.2.44</Value></ResourceRecord>
      </ResourceRecords>
      <HealthCheckId>abcdef11-2222-3333-4444-555555fedcba</HealthCheckId>
    </ResourceRecordSet>
    <ResourceRecordSet>
      <Name>\\052.example.com.</Name>
      <Type>A</Type>
      <AliasTarget>
        <HostedZoneId>Z2FDTNDATAQYW2</HostedZoneId>
        <DNSName>d111111abcdef8.cloudfront.net.</DNSName>
        <EvaluateTargetHealth>false</EvaluateTargetHealth>
      </AliasTarget>
    </ResourceRecordSet>
    <ResourceRecordSet>
      <Name>txt.example.com.</Name>
      <Type>TXT</Type>
      <TTL>60</TTL>
      <ResourceRecords>
        <ResourceRecord><Value>"a &amp; b" "&lt;c&gt;"</Value></ResourceRecord>
      </ResourceRecords>
    </ResourceRecordSet>
  </ResourceRecordSets>
  <IsTruncated>true</IsTruncated>
  <NextRecordName>zz.example.com.</NextRecordName>
  <NextRecordType>MX</NextRecordType>
  <MaxItems>4</MaxItems>
</ListResourceRecordSetsResponse>"""


def _botocore_parse(
    model: dict[str, Any], operation: str, response: HttpResponse, shape: Any = None
) -> Any:
    op = ServiceModel(model, "route53").operation_model(operation)
    parsed = create_parser("rest-xml").parse(
        {
            "status_code": response.status_code,
            "headers": HeadersDict(response.headers),
            "body": response.body,
        },
        shape or op.output_shape,
    )
    parsed.pop("ResponseMetadata", None)
    return parsed


def test_change_resource_record_sets(model: dict[str, Any], package: Any) -> None:
    response = HttpResponse(200, {"x-amzn-requestid": "r"}, CHANGE_RESPONSE.encode())
    request, result = _call(
        package, "ChangeResourceRecordSets", CHANGE_PARAMS, response
    )
    expected = _botocore_request(model, "ChangeResourceRecordSets", CHANGE_PARAMS)
    _assert_same_request(request, expected)
    assert request.body.startswith(
        b'<ChangeResourceRecordSetsRequest xmlns="' + NS.encode() + b'"><ChangeBatch>'
    )
    assert "Content-Type" not in request.headers  # botocore sends none
    op = support.wire_schema(package).operation("ChangeResourceRecordSets")
    assert op.output is not None
    assert support.to_botocore(op.output, result) == _botocore_parse(
        model, "ChangeResourceRecordSets", response
    )


def test_members_are_written_in_model_order(
    model: dict[str, Any], package: Any
) -> None:
    """botocore writes a structure's members in the order of the caller's
    dict; a typed call has none, and route53 wants the model's ("The XML
    elements in your request must appear in the order listed")."""
    record = CHANGE_PARAMS["ChangeBatch"]["Changes"][2]["ResourceRecordSet"]
    shuffled = dict(reversed(list(record.items())))
    params = copy.deepcopy(CHANGE_PARAMS)
    params["ChangeBatch"]["Changes"][2]["ResourceRecordSet"] = shuffled
    response = HttpResponse(200, {}, CHANGE_RESPONSE.encode())
    request, _ = _call(package, "ChangeResourceRecordSets", params, response)
    in_order = _botocore_request(model, "ChangeResourceRecordSets", CHANGE_PARAMS)
    assert request.body == in_order["body"]
    assert _botocore_request(model, "ChangeResourceRecordSets", params)["body"] != (
        in_order["body"]
    )


@pytest.mark.parametrize(
    "params",
    [
        {"HostedZoneId": "Z1D633PJN98FT9"},
        {
            "HostedZoneId": "Z1D633PJN98FT9",
            "StartRecordName": "*.example.com.",
            "StartRecordType": "TXT",
            "StartRecordIdentifier": "us east/1",
            "MaxItems": "10",
        },
    ],
)
def test_list_resource_record_sets(
    model: dict[str, Any], package: Any, params: dict[str, Any]
) -> None:
    response = HttpResponse(200, {"x-amzn-requestid": "r"}, LIST_RESPONSE.encode())
    request, result = _call(package, "ListResourceRecordSets", params, response)
    _assert_same_request(
        request, _botocore_request(model, "ListResourceRecordSets", params)
    )
    assert request.body == b""
    op = support.wire_schema(package).operation("ListResourceRecordSets")
    assert op.output is not None
    expected = _botocore_parse(model, "ListResourceRecordSets", response)
    assert support.to_botocore(op.output, result) == expected
    assert len(result.resource_record_sets) == 4
    assert result.resource_record_sets[3].resource_records[0].value == '"a & b" "<c>"'
    assert result.is_truncated is True


@pytest.mark.parametrize(
    ("status", "headers", "body", "code", "message", "request_id"),
    [
        (
            404,
            {"x-amzn-requestid": "hdr-id"},
            f'<?xml version="1.0"?>\n<ErrorResponse xmlns="{NS}">'
            "<Error><Type>Sender</Type><Code>NoSuchHostedZone</Code>"
            "<Message>No hosted zone found with ID: Z1</Message></Error>"
            "<RequestId>body-id</RequestId></ErrorResponse>",
            "NoSuchHostedZone",
            "No hosted zone found with ID: Z1",
            "body-id",
        ),
        (
            400,
            {"x-amz-request-id": "hdr-id"},
            "<Error><Code>InvalidInput</Code><Message>bad</Message>"
            "<RequestId>body-id</RequestId></Error>",
            "InvalidInput",
            "bad",
            "hdr-id",
        ),
        (
            503,
            {"x-amzn-requestid": "r"},
            "<html><body>Service Unavailable</body></html>",
            "503",
            "Service Unavailable",
            "r",
        ),
        (502, {}, "", "502", "Bad Gateway", None),
        (400, {"x-amz-request-id": "r"}, "not xml <", "400", "Bad Request", "r"),
        (404, {"x-amz-request-id": "r"}, "", "404", "Not Found", "r"),
        (
            400,
            {},
            "<ErrorResponse><Error><Code>Throttling</Code></Error></ErrorResponse>",
            "Throttling",
            "",
            None,
        ),
    ],
)
def test_errors(
    model: dict[str, Any],
    package: Any,
    status: int,
    headers: dict[str, str],
    body: str,
    code: str,
    message: str,
    request_id: str | None,
) -> None:
    response = HttpResponse(status, headers, body.encode())
    with pytest.raises(ServiceError) as info:
        _call(package, "ListResourceRecordSets", {"HostedZoneId": "Z1"}, response)
    error = info.value
    assert (error.code, error.message, error.request_id) == (code, message, request_id)
    assert error.status_code == status
    parsed = _botocore_parse(model, "ListResourceRecordSets", response)
    assert (parsed["Error"]["Code"], parsed["Error"]["Message"]) == (code, message)
    if code == "NoSuchHostedZone":
        assert type(error).__name__ == "NoSuchHostedZone"


def test_modelled_error_members(model: dict[str, Any], package: Any) -> None:
    body = (
        f'<ErrorResponse xmlns="{NS}"><Error><Type>Sender</Type>'
        "<Code>InvalidChangeBatch</Code><Message>two problems</Message>"
        "<messages><Message>first</Message><Message>second</Message></messages>"
        "</Error><RequestId>id</RequestId></ErrorResponse>"
    )
    response = HttpResponse(400, {}, body.encode())
    with pytest.raises(ServiceError) as info:
        _call(package, "ChangeResourceRecordSets", CHANGE_PARAMS, response)
    error = info.value
    assert type(error).__name__ == "InvalidChangeBatch"
    shape = support.wire_schema(package).error_shapes()["InvalidChangeBatch"]
    botocore_shape = ServiceModel(model, "route53").shape_for("InvalidChangeBatch")
    expected = _botocore_parse(
        model, "ChangeResourceRecordSets", response, botocore_shape
    )
    # The member ``message`` names an element <message>, which route53 does
    # not send: the message is the error's own, from <Message>.
    assert expected == {"messages": ["first", "second"]}
    assert getattr(error, "messages", None) == ["first", "second"]
    assert support.error_plain(error, shape) == {
        "Error": {"Code": "InvalidChangeBatch", "Message": "two problems"},
        "message": "two problems",
        **expected,
    }


CLOUDFRONT = (
    Path(botocore.__file__).parent / "data/cloudfront/2020-05-31/service-2.json.gz"
)
CF_NS = "http://cloudfront.amazonaws.com/doc/2020-05-31/"


def test_cloudfront_structure_payloads() -> None:
    """A structure payload each way: the request's root is the payload
    member's locationName with its namespace; the response's payload and
    headers parse as botocore parses them."""
    with gzip.open(CLOUDFRONT, "rt", encoding="utf-8") as f:
        model = json.load(f)
    package = support.generated(model, prefix="cloudfront")
    params = {
        "DistributionId": "EDFDVBD6EXAMPLE",
        "InvalidationBatch": {
            "Paths": {"Quantity": 2, "Items": ["/images/a b.jpg", "/c&d/*"]},
            "CallerReference": "ref-1",
        },
    }
    body = (
        f'<?xml version="1.0"?>\n<Invalidation xmlns="{CF_NS}"><Id>I2J0I21PCUYOIK</Id>'
        "<Status>InProgress</Status><CreateTime>2019-12-05T18:40:49.413Z</CreateTime>"
        "<InvalidationBatch><Paths><Quantity>1</Quantity><Items><Path>/a</Path>"
        "</Items></Paths><CallerReference>ref-1</CallerReference></InvalidationBatch>"
        "</Invalidation>"
    )
    response = HttpResponse(
        201, {"Location": "https://x/I2J0I21PCUYOIK"}, body.encode()
    )
    transport = InMemoryTransport([response])
    op = support.wire_schema(package).operation("CreateInvalidation")
    client = _client(package, transport)
    result = client.create_invalidation(**support.typed_kwargs(op.input, params))
    service = ServiceModel(model, "cloudfront")
    botocore_op = service.operation_model("CreateInvalidation")
    expected = create_serializer("rest-xml").serialize_to_request(
        copy.deepcopy(params), botocore_op
    )
    _assert_same_request(transport.last, expected)
    sent = transport.last.body
    assert isinstance(sent, bytes)
    assert sent.startswith(f'<InvalidationBatch xmlns="{CF_NS}">'.encode())
    parsed = create_parser("rest-xml").parse(
        {
            "status_code": 201,
            "headers": HeadersDict(response.headers),
            "body": body.encode(),
        },
        botocore_op.output_shape,
    )
    parsed.pop("ResponseMetadata")
    assert op.output is not None
    assert support.to_botocore(op.output, result) == parsed
    assert result.location == "https://x/I2J0I21PCUYOIK"
