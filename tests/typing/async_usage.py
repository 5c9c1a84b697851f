"""Correct typed use of the asynchronous clients: mypy --strict must accept it
(tests/test_async_typing.py), with reveal-like checks through assert_type."""

from __future__ import annotations

from typing import assert_type

from generated.dynamodb import AsyncDynamoDBClient
from generated.dynamodb.shapes import AttributeValue, GetItemOutput
from generated.emr_serverless import AsyncEMRServerlessClient
from generated.emr_serverless.paginators import AsyncListJobRunsPaginator
from generated.emr_serverless.shapes import JobRunSummary, ListJobRunsResponse
from generated.location import AsyncLocationClient
from generated.location.waiters import AsyncJobCompletedWaiter
from generated.omics import AsyncOmicsClient
from generated.omics.shapes import AsyncGetReadSetResponse
from generated.s3 import AsyncS3Client, S3Client
from generated.s3.enums import ExpressionType
from generated.s3.shapes import (
    AsyncSelectObjectContentOutput,
    InputSerialization,
    OutputSerialization,
    SelectObjectContentEventStream,
)
from typed_aws_runtime.events import AsyncEventStream, EventStream
from typed_aws_runtime.paginate import AsyncPageIterator
from typed_aws_runtime.streaming import AsyncStreamingBody, as_async_body


async def calls() -> None:
    async with AsyncDynamoDBClient(region_name="us-east-1") as client:
        assert_type(client, AsyncDynamoDBClient)
        item = await client.get_item(table_name="t", key={"k": AttributeValue(s="v")})
        assert_type(item, GetItemOutput)
        await client.close()


async def paginate(client: AsyncEMRServerlessClient) -> list[str]:
    paginator = client.get_paginator("list_job_runs")
    assert_type(paginator, AsyncListJobRunsPaginator)
    pages = paginator.paginate(application_id="app", page_size=5, max_items=10)
    assert_type(pages, AsyncPageIterator[ListJobRunsResponse, JobRunSummary])
    async for page in pages:
        assert_type(page, ListJobRunsResponse)
    ids = []
    async for run in pages.items():
        assert_type(run, JobRunSummary)
        ids.append(run.id)
    assert_type(pages.resume_token, str | None)
    return ids


async def wait(client: AsyncLocationClient) -> None:
    waiter = client.get_waiter("job_completed")
    assert_type(waiter, AsyncJobCompletedWaiter)
    assert_type(await waiter.wait(job_id="j", delay=1, max_attempts=3), None)


async def stream(client: AsyncOmicsClient) -> bytes:
    result = await client.get_read_set(sequence_store_id="s", id="i", part_number=1)
    assert_type(result, AsyncGetReadSetResponse)
    body = result.payload
    assert_type(body, AsyncStreamingBody | None)
    assert body is not None
    async with body:
        data = await body.read()
    assert_type(data, bytes)
    # as_async_body stays for code written before the twin classes.
    assert_type(as_async_body(result.payload), AsyncStreamingBody)
    return data


_SELECT = {
    "bucket": "b",
    "key": "k",
    "expression": "select * from s3object",
    "expression_type": ExpressionType.SQL,
    "input_serialization": InputSerialization(),
    "output_serialization": OutputSerialization(),
}


async def events(client: AsyncS3Client) -> int:
    result = await client.select_object_content(**_SELECT)  # type: ignore[arg-type]
    assert_type(result, AsyncSelectObjectContentOutput)
    stream = result.payload
    assert_type(stream, AsyncEventStream[SelectObjectContentEventStream] | None)
    assert stream is not None
    count = 0
    async with stream:
        async for event in stream:
            assert_type(event, SelectObjectContentEventStream)
            count += 1
    await stream.aclose()
    return count


def blocking_events(client: S3Client) -> int:
    stream = client.select_object_content(**_SELECT).payload  # type: ignore[arg-type]
    assert_type(stream, EventStream[SelectObjectContentEventStream] | None)
    assert stream is not None
    with stream:
        return sum(1 for _ in stream)
