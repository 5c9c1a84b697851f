"""SQS (awsJson 1.0, query-compatible) end to end against moto: our client
and boto3 agree."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from generated.sqs import SQSClient, enums, errors, shapes
from tests.e2e.support import (
    RecordingTransport,
    same_as_boto3,
    same_as_botocore_parse,
    same_error_as_boto3,
    same_pages_as_boto3,
)


@pytest.fixture
def transport() -> Iterator[RecordingTransport]:
    recording = RecordingTransport()
    yield recording
    recording.close()


@pytest.fixture
def ours(
    client_options: dict[str, Any], transport: RecordingTransport
) -> Iterator[SQSClient]:
    with SQSClient(transport=transport, **client_options) as client:
        yield client


@pytest.fixture
def boto(boto3_client: Callable[[str], Any]) -> Any:
    return boto3_client("sqs")


def test_queue_message_lifecycle(
    ours: SQSClient, boto: Any, transport: RecordingTransport
) -> None:
    created = [
        ours.create_queue(
            queue_name=f"e2e-jobs-{n}",
            attributes={"VisibilityTimeout": "30", "DelaySeconds": "0"},
            tags={"team": "e2e", "n": str(n)},
        )
        for n in range(5)
    ]
    url = created[0].queue_url
    assert url and url.endswith("/e2e-jobs-0")

    # Our paginator, two queues a page, page for page with boto3's.
    pages = same_pages_as_boto3(
        ours.get_paginator("list_queues").paginate(
            queue_name_prefix="e2e-jobs-", page_size=2
        ),
        boto,
        "ListQueues",
        boto.get_paginator("list_queues").paginate(
            QueueNamePrefix="e2e-jobs-", PaginationConfig={"PageSize": 2}
        ),
    )
    assert [len(page.queue_urls or []) for page in pages] == [2, 2, 1]
    assert [u for page in pages for u in page.queue_urls or []] == [
        c.queue_url for c in created
    ]

    attributes = ours.get_queue_attributes(
        queue_url=url, attribute_names=[enums.QueueAttributeName.ALL]
    )
    same_as_boto3(
        attributes,
        boto,
        "GetQueueAttributes",
        boto.get_queue_attributes(QueueUrl=url, AttributeNames=["All"]),
    )
    assert attributes.attributes is not None
    assert attributes.attributes["VisibilityTimeout"] == "30"
    tags = ours.list_queue_tags(queue_url=url)
    same_as_boto3(tags, boto, "ListQueueTags", boto.list_queue_tags(QueueUrl=url))
    assert tags.tags == {"team": "e2e", "n": "0"}

    sent = ours.send_message_batch(
        queue_url=url,
        entries=[
            shapes.SendMessageBatchRequestEntry(
                id=f"m{n}",
                message_body=f'job {n}: ünïcode & <xml> "quotes"',
                message_attributes={
                    "priority": shapes.MessageAttributeValue(
                        data_type="Number", string_value=str(n)
                    ),
                    "payload": shapes.MessageAttributeValue(
                        data_type="Binary", binary_value=bytes([n, 0, 255])
                    ),
                },
            )
            for n in range(3)
        ],
    )
    same_as_botocore_parse(sent, boto, "SendMessageBatch", transport.last_response)
    assert sorted(entry.id for entry in sent.successful) == ["m0", "m1", "m2"]
    assert not sent.failed

    received = ours.receive_message(
        queue_url=url,
        max_number_of_messages=10,
        message_attribute_names=["All"],
        message_system_attribute_names=[enums.MessageSystemAttributeName.ALL],
    )
    same_as_botocore_parse(received, boto, "ReceiveMessage", transport.last_response)
    messages = received.messages or []
    assert len(messages) == 3
    by_id = {entry.message_id: entry for entry in sent.successful}
    receive_count = enums.MessageSystemAttributeName.APPROXIMATERECEIVECOUNT
    for message in messages:
        entry = by_id[message.message_id or ""]
        n = int(entry.id[1:])
        assert message.body == f'job {n}: ünïcode & <xml> "quotes"'
        assert message.md5_of_body == entry.md5_of_message_body
        assert message.message_attributes is not None
        assert message.message_attributes["payload"].binary_value == bytes([n, 0, 255])
        assert message.attributes is not None
        assert message.attributes[receive_count] == "1"

    removed = ours.delete_message_batch(
        queue_url=url,
        entries=[
            shapes.DeleteMessageBatchRequestEntry(
                id=f"d{i}", receipt_handle=message.receipt_handle or ""
            )
            for i, message in enumerate(messages)
        ],
    )
    assert sorted(entry.id for entry in removed.successful) == ["d0", "d1", "d2"]
    empty = ours.receive_message(queue_url=url, wait_time_seconds=0)
    same_as_boto3(
        empty,
        boto,
        "ReceiveMessage",
        boto.receive_message(QueueUrl=url, WaitTimeSeconds=0),
    )
    assert not empty.messages

    ours.delete_queue(queue_url=url)
    left = ours.list_queues(queue_name_prefix="e2e-jobs-")
    same_as_boto3(
        left, boto, "ListQueues", boto.list_queues(QueueNamePrefix="e2e-jobs-")
    )
    assert url not in (left.queue_urls or [])


def test_missing_queue_raises_query_compatible_error(
    ours: SQSClient, boto: Any, transport: RecordingTransport
) -> None:
    with pytest.raises(errors.QueueDoesNotExist) as caught:
        ours.get_queue_url(queue_name="e2e-no-such-queue")
    response = transport.last_response
    with pytest.raises(boto.exceptions.QueueDoesNotExist) as boto_caught:
        boto.get_queue_url(QueueName="e2e-no-such-queue")
    error = caught.value
    assert isinstance(error, errors.SQSError)
    same_error_as_boto3(error, response, boto, "GetQueueUrl", boto_caught.value)
    # The awsQueryCompatible code, as boto3 reports it, not the JSON one.
    assert error.code == "AWS.SimpleQueueService.NonExistentQueue"
    assert error.status_code == 400
