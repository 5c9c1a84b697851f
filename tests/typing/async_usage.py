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
from generated.omics.shapes import GetReadSetResponse
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
    assert_type(result, GetReadSetResponse)
    body = as_async_body(result.payload)
    assert_type(body, AsyncStreamingBody)
    async with body:
        data = await body.read()
    assert_type(data, bytes)
    return data
