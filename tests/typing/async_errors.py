"""Wrong uses of the asynchronous clients: each `# E: code` line is a mypy
error (tests/test_async_typing.py expects exactly these)."""

from __future__ import annotations

from generated.dynamodb import AsyncDynamoDBClient
from generated.dynamodb.shapes import GetItemOutput
from generated.emr_serverless import AsyncEMRServerlessClient


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
