"""DynamoDB (awsJson 1.0) end to end against moto: our client and boto3 agree."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from generated.dynamodb import DynamoDBClient, enums, errors, shapes
from tests.e2e.support import (
    RecordingTransport,
    same_as_boto3,
    same_error_as_boto3,
    same_pages_as_boto3,
)

TABLE = "e2e-orders"


@pytest.fixture
def transport() -> Iterator[RecordingTransport]:
    recording = RecordingTransport()
    yield recording
    recording.close()


@pytest.fixture
def ours(
    client_options: dict[str, Any], transport: RecordingTransport
) -> Iterator[DynamoDBClient]:
    with DynamoDBClient(transport=transport, **client_options) as client:
        yield client


@pytest.fixture
def boto(boto3_client: Callable[[str], Any]) -> Any:
    return boto3_client("dynamodb")


def _s(text: str) -> shapes.AttributeValue:
    return shapes.AttributeValue(s=text)


def _n(number: int | str) -> shapes.AttributeValue:
    return shapes.AttributeValue(n=str(number))


def _create_table(ours: DynamoDBClient) -> shapes.CreateTableOutput:
    return ours.create_table(
        table_name=TABLE,
        attribute_definitions=[
            shapes.AttributeDefinition(
                attribute_name="customer", attribute_type=enums.ScalarAttributeType.S
            ),
            shapes.AttributeDefinition(attribute_name="order", attribute_type="N"),
        ],
        key_schema=[
            shapes.KeySchemaElement(attribute_name="customer", key_type="HASH"),
            shapes.KeySchemaElement(
                attribute_name="order", key_type=enums.KeyType.RANGE
            ),
        ],
        billing_mode=enums.BillingMode.PAY_PER_REQUEST,
        tags=[shapes.Tag(key="team", value="e2e")],
    )


def test_table_item_query_lifecycle(
    ours: DynamoDBClient, boto: Any, transport: RecordingTransport
) -> None:
    created = _create_table(ours)
    assert created.table_description is not None
    assert created.table_description.table_name == TABLE
    assert created.table_description.table_status is enums.TableStatus.ACTIVE
    described = ours.describe_table(table_name=TABLE)
    same_as_boto3(
        described, boto, "DescribeTable", boto.describe_table(TableName=TABLE)
    )
    assert described.table.key_schema == [
        shapes.KeySchemaElement(attribute_name="customer", key_type=enums.KeyType.HASH),
        shapes.KeySchemaElement(attribute_name="order", key_type=enums.KeyType.RANGE),
    ]

    # Seven orders of one customer (every attribute type that round-trips),
    # two of another.
    for order in range(7):
        put = ours.put_item(
            table_name=TABLE,
            item={
                "customer": _s("alice"),
                "order": _n(order),
                "total": _n(f"{order}.50"),
                "lines": shapes.AttributeValue(l=[_s("book"), _n(order)]),
                "meta": shapes.AttributeValue(
                    m={"gift": shapes.AttributeValue(bool=order % 2 == 0)}
                ),
                "tags": shapes.AttributeValue(ss=["web", f"w{order}"]),
                "blob": shapes.AttributeValue(b=bytes([order, 0, 255])),
                "note": shapes.AttributeValue(null=True),
            },
        )
        assert put.attributes is None
    for order in range(2):
        ours.put_item(
            table_name=TABLE, item={"customer": _s("bob"), "order": _n(order)}
        )

    got = ours.get_item(table_name=TABLE, key={"customer": _s("alice"), "order": _n(3)})
    same_as_boto3(
        got,
        boto,
        "GetItem",
        boto.get_item(
            TableName=TABLE, Key={"customer": {"S": "alice"}, "order": {"N": "3"}}
        ),
    )
    assert got.item is not None
    assert got.item["blob"].b == b"\x03\x00\xff"
    assert got.item["meta"].m == {"gift": shapes.AttributeValue(bool=False)}

    updated = ours.update_item(
        table_name=TABLE,
        key={"customer": _s("alice"), "order": _n(3)},
        update_expression="SET #s = :s",
        expression_attribute_names={"#s": "status"},
        expression_attribute_values={":s": _s("shipped")},
        return_values=enums.ReturnValue.UPDATED_NEW,
    )
    assert updated.attributes == {"status": _s("shipped")}

    # Query three at a time with our paginator, page for page with boto3's.
    query = {
        "key_condition_expression": "customer = :c AND #o >= :from",
        "expression_attribute_names": {"#o": "order"},
        "expression_attribute_values": {":c": _s("alice"), ":from": _n(1)},
    }
    boto_query = {
        "TableName": TABLE,
        "KeyConditionExpression": "customer = :c AND #o >= :from",
        "ExpressionAttributeNames": {"#o": "order"},
        "ExpressionAttributeValues": {":c": {"S": "alice"}, ":from": {"N": "1"}},
    }
    sent = len(transport.exchanges)
    pages = same_pages_as_boto3(
        ours.get_paginator("query").paginate(table_name=TABLE, page_size=3, **query),
        boto,
        "Query",
        boto.get_paginator("query").paginate(
            PaginationConfig={"PageSize": 3}, **boto_query
        ),
    )
    # moto leaves LastEvaluatedKey out of a last page that ends the results.
    assert len(transport.exchanges) - sent == len(pages) == 2
    assert [page.count for page in pages] == [3, 3]
    orders = [item["order"].n for page in pages for item in page.items]
    assert orders == ["1", "2", "3", "4", "5", "6"]
    assert pages[0].last_evaluated_key == {"customer": _s("alice"), "order": _n(3)}

    # max_items stops inside a page; the resume token is boto3's, byte for byte.
    ours_cut = ours.get_paginator("query").paginate(
        table_name=TABLE, page_size=3, max_items=4, **query
    )
    items = list(ours_cut.items())
    assert [item["order"].n for item in items] == ["1", "2", "3", "4"]
    boto_cut = (
        boto.get_paginator("query")
        .paginate(PaginationConfig={"PageSize": 3, "MaxItems": 4}, **boto_query)
        .build_full_result()
    )
    assert ours_cut.resume_token == boto_cut["NextToken"]
    rest = ours.get_paginator("query").paginate(
        table_name=TABLE, page_size=3, starting_token=ours_cut.resume_token, **query
    )
    assert [item["order"].n for item in rest.items()] == ["5", "6"]

    # A table that does not exist: the modelled error, as boto3 reports it.
    with pytest.raises(errors.ResourceNotFoundException) as caught:
        ours.get_item(table_name="e2e-missing", key={"customer": _s("alice")})
    response = transport.last_response
    with pytest.raises(boto.exceptions.ResourceNotFoundException) as boto_caught:
        boto.get_item(TableName="e2e-missing", Key={"customer": {"S": "alice"}})
    assert isinstance(caught.value, errors.DynamoDBError)
    same_error_as_boto3(caught.value, response, boto, "GetItem", boto_caught.value)
    assert caught.value.code == "ResourceNotFoundException"
    assert caught.value.status_code == 400

    deleted = ours.delete_table(table_name=TABLE)
    assert deleted.table_description is not None
    assert deleted.table_description.table_name == TABLE
    with pytest.raises(errors.ResourceNotFoundException):
        ours.describe_table(table_name=TABLE)


def test_list_tables_paginates_like_boto3(ours: DynamoDBClient, boto: Any) -> None:
    for n in range(5):
        ours.create_table(
            table_name=f"e2e-table-{n}",
            attribute_definitions=[
                shapes.AttributeDefinition(attribute_name="id", attribute_type="S")
            ],
            key_schema=[shapes.KeySchemaElement(attribute_name="id", key_type="HASH")],
            billing_mode="PAY_PER_REQUEST",
        )
    pages = same_pages_as_boto3(
        ours.get_paginator("list_tables").paginate(page_size=2),
        boto,
        "ListTables",
        boto.get_paginator("list_tables").paginate(PaginationConfig={"PageSize": 2}),
    )
    assert len(pages) == 3
    names = list(ours.get_paginator("list_tables").paginate(page_size=2).items())
    assert names == [f"e2e-table-{n}" for n in range(5)]
