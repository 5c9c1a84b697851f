"""SNS (query) end to end against moto: our client, generated from the
installed botocore's model, and boto3 agree."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest

from generated.sqs import SQSClient
from tests.e2e.support import (
    RecordingTransport,
    same_as_boto3,
    same_as_botocore_parse,
    same_error_as_boto3,
    same_pages_as_boto3,
    service_package,
)


@pytest.fixture(scope="module")
def sns() -> ModuleType:
    return service_package("sns")


@pytest.fixture
def transport() -> Iterator[RecordingTransport]:
    recording = RecordingTransport()
    yield recording
    recording.close()


@pytest.fixture
def ours(
    sns: ModuleType, client_options: dict[str, Any], transport: RecordingTransport
) -> Iterator[Any]:
    with sns.SNSClient(transport=transport, **client_options) as client:
        yield client


@pytest.fixture
def boto(boto3_client: Callable[[str], Any]) -> Any:
    return boto3_client("sns")


def test_topic_subscribe_publish_lifecycle(
    sns: ModuleType,
    ours: Any,
    boto: Any,
    transport: RecordingTransport,
    client_options: dict[str, Any],
) -> None:
    shapes = importlib.import_module(f"{sns.__name__}.shapes")
    orders = ours.create_topic(
        name="e2e-orders",
        attributes={"DisplayName": "Orders & <more>"},
        tags=[shapes.Tag(key="team", value="e2e")],
    ).topic_arn
    audit = ours.create_topic(name="e2e-audit").topic_arn
    assert orders.endswith(":e2e-orders")

    attributes = ours.get_topic_attributes(topic_arn=orders)
    same_as_boto3(
        attributes,
        boto,
        "GetTopicAttributes",
        boto.get_topic_attributes(TopicArn=orders),
    )
    assert attributes.attributes["DisplayName"] == "Orders & <more>"

    # A queue (our SQS client) receives the orders topic, raw.
    with SQSClient(**client_options) as sqs:
        queue_url = sqs.create_queue(queue_name="e2e-orders-inbox").queue_url
        queue_arn = sqs.get_queue_attributes(
            queue_url=queue_url, attribute_names=["QueueArn"]
        ).attributes["QueueArn"]
        subscribed = ours.subscribe(
            topic_arn=orders,
            protocol="sqs",
            endpoint=queue_arn,
            attributes={"RawMessageDelivery": "true"},
            return_subscription_arn=True,
        )
        assert subscribed.subscription_arn.startswith(orders + ":")

        # 101 more on the audit topic: moto pages subscriptions by 100.
        for n in range(101):
            ours.subscribe(
                topic_arn=audit, protocol="email", endpoint=f"e2e-{n}@example.com"
            )
        pages = same_pages_as_boto3(
            ours.get_paginator("list_subscriptions").paginate(),
            boto,
            "ListSubscriptions",
            boto.get_paginator("list_subscriptions").paginate(),
        )
        assert [len(page.subscriptions) for page in pages] == [100, 2]
        every = [s for page in pages for s in page.subscriptions]
        assert sorted(s.protocol for s in every) == ["email"] * 101 + ["sqs"]

        by_topic = same_pages_as_boto3(
            ours.get_paginator("list_subscriptions_by_topic").paginate(
                topic_arn=orders
            ),
            boto,
            "ListSubscriptionsByTopic",
            boto.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=orders),
        )
        assert [s.endpoint for page in by_topic for s in page.subscriptions] == [
            queue_arn
        ]

        published = ours.publish(
            topic_arn=orders,
            message=json.dumps({"order": 17, "note": "ünïcode & <xml>"}),
            subject="order placed",
            message_attributes={
                "kind": shapes.MessageAttributeValue(
                    data_type="String", string_value="placed"
                )
            },
        )
        same_as_botocore_parse(published, boto, "Publish", transport.last_response)
        received = sqs.receive_message(
            queue_url=queue_url, max_number_of_messages=10
        ).messages
        assert [m.body for m in received or []] == [
            json.dumps({"order": 17, "note": "ünïcode & <xml>"})
        ]

    ours.unsubscribe(subscription_arn=subscribed.subscription_arn)
    ours.delete_topic(topic_arn=orders)
    topics = same_pages_as_boto3(
        ours.get_paginator("list_topics").paginate(),
        boto,
        "ListTopics",
        boto.get_paginator("list_topics").paginate(),
    )
    assert [t.topic_arn for page in topics for t in page.topics] == [audit]


def test_missing_topic_raises_not_found(
    sns: ModuleType, ours: Any, boto: Any, transport: RecordingTransport
) -> None:
    errors = importlib.import_module(f"{sns.__name__}.errors")
    missing = "arn:aws:sns:us-east-1:123456789012:e2e-no-such-topic"
    with pytest.raises(errors.NotFoundException) as caught:
        ours.get_topic_attributes(topic_arn=missing)
    response = transport.last_response
    with pytest.raises(boto.exceptions.NotFoundException) as boto_caught:
        boto.get_topic_attributes(TopicArn=missing)
    error = caught.value
    assert isinstance(error, errors.SNSError)
    same_error_as_boto3(error, response, boto, "GetTopicAttributes", boto_caught.value)
    assert error.code == "NotFound"
    assert error.status_code == 404
