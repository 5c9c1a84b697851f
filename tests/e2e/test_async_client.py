"""The asynchronous client end to end: concurrency against moto, cancellation,
streaming downloads, and the event-loop libraries it runs under."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from typing import Any

import boto3
import pytest

from generated.dynamodb import AsyncDynamoDBClient, enums, shapes
from generated.location import AsyncLocationClient
from generated.omics import AsyncOmicsClient
from generated.omics import enums as omics_enums
from tests.e2e.support import ACCESS_KEY, REGION, SECRET_KEY, Reply, ScriptedAwsServer
from tests.e2e.test_faults import OK, _start_job_args
from typed_aws_runtime.streaming import AsyncStreamingBody, as_async_body

CALLS = 500


async def _concurrent_items(options: dict[str, Any]) -> list[Any]:
    async with AsyncDynamoDBClient(**options, max_pool_connections=20) as client:
        await client.create_table(
            table_name="concurrent",
            attribute_definitions=[
                shapes.AttributeDefinition(attribute_name="k", attribute_type="S")
            ],
            key_schema=[shapes.KeySchemaElement(attribute_name="k", key_type="HASH")],
            billing_mode=enums.BillingMode.PAY_PER_REQUEST,
        )
        await asyncio.gather(
            *(
                client.put_item(
                    table_name="concurrent",
                    item={
                        "k": shapes.AttributeValue(s=f"key-{n}"),
                        "n": shapes.AttributeValue(n=str(n)),
                    },
                )
                for n in range(CALLS)
            )
        )
        return await asyncio.gather(
            *(
                client.get_item(
                    table_name="concurrent",
                    key={"k": shapes.AttributeValue(s=f"key-{n}")},
                )
                for n in range(CALLS)
            )
        )


def test_500_concurrent_calls_against_moto(client_options: dict[str, Any]) -> None:
    results = asyncio.run(_concurrent_items(client_options))
    assert [r.item["n"].n for r in results] == [str(n) for n in range(CALLS)]
    boto = boto3.session.Session().client("dynamodb", **client_options)
    assert boto.scan(TableName="concurrent", Select="COUNT")["Count"] == CALLS


def _location(server: ScriptedAwsServer, **options: Any) -> AsyncLocationClient:
    return AsyncLocationClient(
        endpoint_url=server.endpoint_url,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        **options,
    )


async def _until_received(server: ScriptedAwsServer, count: int) -> None:
    """Until the server has received ``count`` requests (a cold first call
    prepares in a worker thread first: no fixed sleep is long enough)."""
    deadline = time.monotonic() + 10
    while len(server.requests) < count:
        assert time.monotonic() < deadline, "the request never arrived"
        await asyncio.sleep(0.01)


def test_cancelled_call_releases_its_connection(aws_server: ScriptedAwsServer) -> None:
    # One connection in the pool: a cancelled call that kept its connection
    # would leave the next call waiting for it forever.
    aws_server.script(Reply(delay=2.0, body=OK.body), OK)

    async def main() -> tuple[float, str]:
        async with _location(aws_server, max_pool_connections=1) as client:
            call = asyncio.ensure_future(client.start_job(**_start_job_args()))
            await _until_received(aws_server, 1)  # sent, waiting for the answer
            call.cancel()
            with pytest.raises(asyncio.CancelledError):
                await call
            start = time.monotonic()
            result = await asyncio.wait_for(
                client.start_job(**_start_job_args()), timeout=10
            )
            return time.monotonic() - start, result.job_id

    elapsed, job_id = asyncio.run(main())
    assert job_id == "j"
    assert elapsed < 1.5  # not after the cancelled answer's 2 s
    assert len(aws_server.take()) == 2


def test_cancelled_retry_sleep_ends_the_call(aws_server: ScriptedAwsServer) -> None:
    aws_server.script(Reply(503, b""), OK)

    async def main() -> None:
        async with _location(aws_server, max_attempts=3) as client:
            # A long retry sleep (the jittered one may be a few milliseconds,
            # and the second attempt would succeed before the cancel).
            client._codegen_sleep = lambda seconds: asyncio.sleep(30)
            call = asyncio.ensure_future(client.start_job(**_start_job_args()))
            await _until_received(aws_server, 1)  # first attempt sent
            await asyncio.sleep(0.1)  # its 503 read: sleeping before the retry
            call.cancel()
            with pytest.raises(asyncio.CancelledError):
                await call

    asyncio.run(main())
    assert len(aws_server.take()) == 1


def test_download_streams_in_chunks(aws_server: ScriptedAwsServer) -> None:
    aws_server.reset(service="omics")
    content = os.urandom(8 * 131072 + 999)
    chunks = [content[i : i + 131072] for i in range(0, len(content), 131072)]
    gate = threading.Event()
    headers = {"Content-Type": "application/octet-stream"}
    aws_server.script(
        Reply(200, headers=headers, chunks=chunks, gate=gate, gate_after=2)
    )

    async def main() -> tuple[bytes, list[bytes]]:
        async with AsyncOmicsClient(
            endpoint_url=aws_server.endpoint_url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        ) as client:
            result = await client.get_read_set(
                sequence_store_id="1234567890",
                id="5555555555",
                part_number=1,
                file=omics_enums.ReadSetFile.SOURCE1,
            )
            body = as_async_body(result.payload)
            try:
                # The server holds the rest back: only a streamed read succeeds.
                head = await body.read(1000)
            finally:
                gate.set()
            async with body:
                rest = [chunk async for chunk in body.iter_chunks(65536)]
                assert await body.read() == b""
            return head, rest

    head, rest = asyncio.run(main())
    assert all(len(piece) <= 65536 for piece in rest)
    assert head + b"".join(rest) == content
    aws_server.assert_all_signed()


def test_runs_under_anyio_on_asyncio(aws_server: ScriptedAwsServer) -> None:
    anyio = pytest.importorskip("anyio")
    aws_server.script(OK)

    async def main() -> str:
        async with _location(aws_server) as client:
            result = await client.start_job(**_start_job_args())
            return result.job_id

    assert anyio.run(main, backend="asyncio") == "j"


def test_trio_is_refused_with_a_clear_error(aws_server: ScriptedAwsServer) -> None:
    trio = pytest.importorskip("trio")

    async def main() -> None:
        client = _location(aws_server)
        await client.start_job(**_start_job_args())

    with pytest.raises(RuntimeError, match="runs on asyncio"):
        trio.run(main)
    assert aws_server.take() == []


def test_async_streaming_body_type() -> None:
    assert isinstance(as_async_body(AsyncStreamingBody(b"x")), AsyncStreamingBody)
    with pytest.raises(TypeError):
        as_async_body(b"x")
