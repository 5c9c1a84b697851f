"""Wrong uses of the asynchronous clients: each `# E: code` line is a mypy
error (tests/test_async_typing.py expects exactly these)."""

from __future__ import annotations

from generated.dynamodb import AsyncDynamoDBClient
from generated.dynamodb.shapes import GetItemOutput
from generated.emr_serverless import AsyncEMRServerlessClient
from generated.omics import AsyncOmicsClient, OmicsClient
from generated.omics.shapes import GetReadSetResponse
from generated.s3.shapes import (
    AsyncSelectObjectContentOutput,
    SelectObjectContentOutput,
)


async def misuse(client: AsyncDynamoDBClient, emr: AsyncEMRServerlessClient) -> None:
    item: GetItemOutput = client.get_item(table_name="t", key={})  # E: assignment
    print(item)
    await client.get_item(table_name=1, key={})  # E: arg-type
    await client.get_item(key={})  # E: call-arg
    pages = emr.get_paginator("list_job_runs").paginate(application_id="a")
    for _page in pages:  # E: attr-defined
        pass
    emr.get_paginator("list_jobs")  # E: call-overload
    with client:  # E: attr-defined
        pass


async def streams(
    omics: AsyncOmicsClient,
    blocking: OmicsClient,
    out: AsyncSelectObjectContentOutput,
    sync_out: SelectObjectContentOutput,
) -> None:
    result: GetReadSetResponse = await omics.get_read_set(  # E: assignment
        sequence_store_id="s", id="i", part_number=1
    )
    print(result)
    body = (
        await omics.get_read_set(sequence_store_id="s", id="i", part_number=1)
    ).payload
    assert body is not None
    body.read().decode()  # E: attr-defined
    sync_body = blocking.get_read_set(
        sequence_store_id="s", id="i", part_number=1
    ).payload
    assert sync_body is not None
    await sync_body.read()  # E: misc
    assert out.payload is not None and sync_out.payload is not None
    for _event in out.payload:  # E: attr-defined
        pass
    async for _sync_event in sync_out.payload:  # E: attr-defined
        pass
    with out.payload:  # E: attr-defined
        pass
