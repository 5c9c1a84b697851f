"""Generated awsJson clients built from botocore's own models: DynamoDB sends
what botocore's ``JSONSerializer`` builds for the same call; SQS raises a
query-compatible error as botocore raises it."""

from __future__ import annotations

import json
from typing import Any

import botocore.loaders
import botocore.model
import botocore.serialize
import pytest

from tests.conformance import support
from typed_aws_runtime.errors import ResponseParseError, ServiceError
from typed_aws_runtime.transport import HttpResponse, InMemoryTransport

CALLS: dict[str, dict[str, Any]] = {
    "GetItem": {
        "TableName": "music",
        "Key": {"artist": {"S": "Arvo Pärt"}, "year": {"N": "1977"}},
        "ConsistentRead": True,
        "ProjectionExpression": "#t, rating",
        "ExpressionAttributeNames": {"#t": "title"},
        "ReturnConsumedCapacity": "TOTAL",
    },
    "PutItem": {
        "TableName": "music",
        "Item": {
            "artist": {"S": "Arvo Pärt"},
            "year": {"N": "1977"},
            "cover": {"B": b"\x00\xffpng"},
            "live": {"BOOL": False},
            "notes": {"NULL": True},
            "tags": {"SS": ["tintinnabuli", "minimal"]},
            "scores": {"NS": ["1", "2.5"]},
            "blobs": {"BS": [b"a", b"bc"]},
            "tracks": {"L": [{"S": "Fratres"}, {"M": {"len": {"N": "11"}}}]},
        },
        "ConditionExpression": "attribute_not_exists(artist)",
        "ExpressionAttributeValues": {":zero": {"N": "0"}},
        "ReturnValues": "ALL_OLD",
    },
    "Query": {
        "TableName": "music",
        "IndexName": "by-year",
        "KeyConditionExpression": "artist = :a AND #y > :y",
        "ExpressionAttributeNames": {"#y": "year"},
        "ExpressionAttributeValues": {":a": {"S": "Arvo Pärt"}, ":y": {"N": "1970"}},
        "Limit": 25,
        "ScanIndexForward": False,
        "Select": "ALL_ATTRIBUTES",
        "ExclusiveStartKey": {"artist": {"S": "Arvo Pärt"}, "year": {"N": "1976"}},
    },
}


def _model() -> dict[str, Any]:
    loaded: dict[str, Any] = botocore.loaders.Loader().load_service_model(
        "dynamodb", "service-2", "2012-08-10"
    )
    return loaded


@pytest.fixture(scope="module")
def dynamodb() -> tuple[Any, botocore.model.ServiceModel]:
    model = _model()
    package = support.generated(model, prefix="awsjson_dynamodb")
    return package, botocore.model.ServiceModel(model, service_name="dynamodb")


@pytest.mark.parametrize("operation", sorted(CALLS))
def test_request_equals_botocore_serializer(
    operation: str, dynamodb: tuple[Any, botocore.model.ServiceModel]
) -> None:
    package, service_model = dynamodb
    params = CALLS[operation]
    transport = InMemoryTransport()
    client = support.client_class(package)(
        region_name="us-east-1",
        endpoint_url="https://dynamodb.us-east-1.amazonaws.com",
        aws_access_key_id="AKID",
        aws_secret_access_key="SECRET",
        transport=transport,
    )
    op = support.wire_schema(package).operation(operation)
    getattr(client, support.method_name(operation))(
        **support.typed_kwargs(op.input, params)
    )
    sent = transport.last

    serializer = botocore.serialize.create_serializer("json")
    expected = serializer.serialize_to_request(
        params, service_model.operation_model(operation)
    )
    assert sent.method == expected["method"] == "POST"
    assert sent.url == "https://dynamodb.us-east-1.amazonaws.com/"
    for name in ("X-Amz-Target", "Content-Type"):
        assert sent.headers[name] == expected["headers"][name]
    assert sent.headers["X-Amz-Target"] == f"DynamoDB_20120810.{operation}"
    assert isinstance(sent.body, bytes)
    assert json.loads(sent.body) == json.loads(expected["body"])


def test_query_compatible_error_is_raised_as_botocore_raises_it() -> None:
    """SQS (awsJson 1.0, awsQueryCompatible): the code is the query protocol's
    (``x-amzn-query-error``), the class the one ``__type`` names, as botocore's
    SQS handler picks it; the client says it is query-compatible."""
    model = botocore.loaders.Loader().load_service_model(
        "sqs", "service-2", "2012-11-05"
    )
    package = support.generated(model, prefix="awsjson_sqs")
    body = b'{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"no queue"}'
    headers = {
        "x-amzn-query-error": "AWS.SimpleQueueService.NonExistentQueue;Sender",
        "x-amzn-RequestId": "req-1",
    }
    transport = InMemoryTransport([HttpResponse(400, headers, body)])
    client = support.client_class(package)(
        region_name="us-east-1",
        endpoint_url="https://sqs.us-east-1.amazonaws.com",
        aws_access_key_id="AKID",
        aws_secret_access_key="SECRET",
        transport=transport,
    )
    with pytest.raises(ServiceError) as info:
        client.get_queue_url(queue_name="missing")
    error = info.value
    shape = support.wire_schema(package).error_shapes()["QueueDoesNotExist"]
    assert type(error) is shape.error_class
    assert error.code == "AWS.SimpleQueueService.NonExistentQueue"
    assert (error.message, error.request_id) == ("no queue", "req-1")
    sent = transport.last
    assert sent.headers["x-amzn-query-mode"] == "true"
    assert sent.headers["X-Amz-Target"] == "AmazonSQS.GetQueueUrl"
    assert json.loads(sent.body) == {"QueueName": "missing"}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "body",
    [b"<html>busy</html>", b"[1, 2]", b'{"Item": "not a map"}', b'{"Item": {"a": 1}}'],
)
def test_a_response_that_is_not_the_output_raises_response_parse_error(
    body: bytes, dynamodb: tuple[Any, botocore.model.ServiceModel]
) -> None:
    package, _ = dynamodb
    headers = {"x-amzn-RequestId": "req-2"}
    client = support.client_class(package)(
        region_name="us-east-1",
        endpoint_url="https://dynamodb.us-east-1.amazonaws.com",
        aws_access_key_id="AKID",
        aws_secret_access_key="SECRET",
        transport=InMemoryTransport([HttpResponse(200, headers, body)]),
    )
    with pytest.raises(ResponseParseError) as info:
        client.get_item(table_name="music", key={})
    assert (info.value.status_code, info.value.request_id) == (200, "req-2")
