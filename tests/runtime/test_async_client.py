"""The asynchronous client without a network: what runs off the event loop,
what is imported when, and the same requests as the blocking client."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from generated.sts import AsyncSTSClient, STSClient
from typed_aws_runtime.credentials import BotocoreChainProvider
from typed_aws_runtime.transport import (
    AsyncInMemoryTransport,
    HttpResponse,
    InMemoryTransport,
)

ROOT = Path(__file__).resolve().parents[2]
IDENTITY = (
    b"<GetCallerIdentityResponse><GetCallerIdentityResult><Account>123456789012"
    b"</Account><Arn>arn:aws:iam::123456789012:user/u</Arn><UserId>AID</UserId>"
    b"</GetCallerIdentityResult></GetCallerIdentityResponse>"
)


def test_same_request_and_result_as_the_blocking_client() -> None:
    sync_transport = InMemoryTransport([HttpResponse(200, {}, IDENTITY)])
    options: dict[str, Any] = dict(
        region_name="us-east-1", aws_access_key_id="AK", aws_secret_access_key="SK"
    )
    fixed = STSClient(transport=sync_transport, **options)
    moment = fixed._codegen_clock()
    fixed._codegen_clock = lambda: moment
    expected = fixed.get_caller_identity()

    async def main() -> Any:
        transport = AsyncInMemoryTransport([HttpResponse(200, {}, IDENTITY)])
        async with AsyncSTSClient(transport=transport, **options) as client:
            client._codegen_clock = lambda: moment
            result = await client.get_caller_identity()
        return transport.last, result

    request, result = asyncio.run(main())
    sent = sync_transport.last
    assert result == expected and result.account == "123456789012"
    assert (request.method, request.url, request.body) == (
        sent.method,
        sent.url,
        sent.body,
    )
    assert request.headers["Authorization"] == sent.headers["Authorization"]


def test_credential_chain_runs_in_a_worker_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKFROMENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    threads: list[int] = []
    original = BotocoreChainProvider.get

    def get(self: BotocoreChainProvider) -> Any:
        threads.append(threading.get_ident())
        return original(self)

    monkeypatch.setattr(BotocoreChainProvider, "get", get)

    async def main() -> tuple[int, list[Any]]:
        transport = AsyncInMemoryTransport([HttpResponse(200, {}, IDENTITY)] * 50)
        client = AsyncSTSClient(region_name="us-east-1", transport=transport)
        await asyncio.gather(*(client.get_caller_identity() for _ in range(50)))
        return threading.get_ident(), transport.requests

    loop_thread, requests = asyncio.run(main())
    # Resolved once, for 50 calls that started together, never on the loop.
    assert len(threads) == 1 and loop_thread not in threads
    assert all("AKFROMENV/" in r.headers["Authorization"] for r in requests)


def test_nothing_async_is_imported_before_it_is_used() -> None:
    code = (
        "import sys, generated.sts as p\n"
        "assert 'generated.sts.aio' not in sys.modules\n"
        "assert 'asyncio' not in sys.modules\n"
        "c = p.AsyncSTSClient(region_name='us-east-1')\n"
        "assert 'aiohttp' not in sys.modules\n"
        "print('ok')\n"
    )
    env = {"PYTHONPATH": f"{ROOT}:{ROOT / 'runtime'}", "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    assert out.stdout.strip() == "ok"


def test_paginator_and_waiter_of_the_async_client() -> None:
    from generated.dynamodb import AsyncDynamoDBClient

    pages = [
        {"TableNames": ["aaa", "bbb"], "LastEvaluatedTableName": "bbb"},
        {"TableNames": ["ccc"]},
        {"Table": {"TableName": "a", "TableStatus": "CREATING"}},
        {"Table": {"TableName": "a", "TableStatus": "ACTIVE"}},
    ]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    async def main() -> list[str]:
        transport = AsyncInMemoryTransport(
            [HttpResponse(200, {}, json.dumps(p).encode()) for p in pages]
        )
        async with AsyncDynamoDBClient(
            region_name="us-east-1",
            aws_access_key_id="AK",
            aws_secret_access_key="SK",
            transport=transport,
        ) as client:
            client._codegen_sleep = sleep
            paginator = client.get_paginator("list_tables")
            names = [n async for n in paginator.paginate().items()]
            await client.get_waiter("table_exists").wait(table_name="a", delay=7)
        return names

    assert asyncio.run(main()) == ["aaa", "bbb", "ccc"]
    assert slept == [7]
