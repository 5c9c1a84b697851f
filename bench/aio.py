"""The asynchronous client against aiobotocore (``make bench``).

Per call: validate, serialize, sign, "send" over an in-memory transport,
parse, each call awaited in turn on one event loop. Ours sends through an
``AsyncTransport`` answering a canned response; aiobotocore's client has its
sending replaced by a ``before-send`` handler returning the same response
(an ``AioAWSResponse``), as the blocking bench does for botocore.

Concurrency: 1,000 calls started together (``asyncio.gather``) against a
minimal keep-alive HTTP server on 127.0.0.1 (a subprocess), through each
client's default transport (aiohttp for both), 10 connections.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

KEYS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}
REGION = "us-east-1"
EMR_BODY = json.dumps(
    {"applicationId": "app", "jobRunId": "run", "arn": "arn:aws:emr:1:run"}
).encode()
DYNAMO_BODY = json.dumps(
    {"Item": {"pk": {"S": "customer#1"}, "total": {"N": "42"}}}
).encode()
HEADERS = {"x-amzn-requestid": "req-1", "content-type": "application/x-amz-json-1.0"}
_SERVER = r"""
import asyncio, sys
BODY = sys.argv[2].encode()
HEAD = ("HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\n"
        "x-amzn-requestid: r1\r\nContent-Length: %d\r\n\r\n" % len(BODY)).encode()
class P(asyncio.Protocol):
    def connection_made(self, t): self.t, self.buf = t, b""
    def data_received(self, data):
        self.buf += data
        while (i := self.buf.find(b"\r\n\r\n")) >= 0:
            n = 0
            for line in self.buf[:i].lower().split(b"\r\n"):
                if line.startswith(b"content-length:"): n = int(line[15:])
            if len(self.buf) < i + 4 + n: return
            self.buf = self.buf[i + 4 + n:]
            self.t.write(HEAD + BODY)
async def main():
    server = await asyncio.get_running_loop().create_server(
        P, "127.0.0.1", int(sys.argv[1]), backlog=2048)
    print("ready", flush=True)
    await asyncio.sleep(float(sys.argv[3]))
asyncio.run(main())
"""


class _CannedRaw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    async def read(self) -> bytes:
        return self._body


def _ours(cls: Any, body: bytes) -> Any:
    from typed_aws_runtime.transport import HttpResponse

    class Canned:
        async def send(self, request: Any) -> Any:
            return HttpResponse(200, HEADERS, body)

    return cls(region_name=REGION, transport=Canned(), **KEYS)


async def _aiobotocore(stack: AsyncExitStack, service: str, body: bytes) -> Any:
    from aiobotocore.awsrequest import AioAWSResponse
    from aiobotocore.session import get_session

    client = await stack.enter_async_context(
        get_session().create_client(service, region_name=REGION, **KEYS)
    )

    async def send(request: Any, **_: Any) -> Any:
        return AioAWSResponse(request.url, 200, HEADERS, _CannedRaw(body))

    client.meta.events.register("before-send", send)
    return client


async def _per_call(call: Callable[[], Awaitable[Any]], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        await call()
    return (time.perf_counter() - start) / calls


async def _cases(stack: AsyncExitStack) -> list[tuple[str, Any, Any]]:
    from generated.dynamodb import AsyncDynamoDBClient
    from generated.dynamodb import shapes as ds
    from generated.emr_serverless import AsyncEMRServerlessClient
    from generated.emr_serverless import shapes as es

    ours_emr = _ours(AsyncEMRServerlessClient, EMR_BODY)
    theirs_emr = await _aiobotocore(stack, "emr-serverless", EMR_BODY)
    ours_ddb = _ours(AsyncDynamoDBClient, DYNAMO_BODY)
    theirs_ddb = await _aiobotocore(stack, "dynamodb", DYNAMO_BODY)
    return [
        (
            "emr-serverless StartJobRun",
            lambda: ours_emr.start_job_run(
                application_id="app",
                execution_role_arn="arn:aws:iam::1:role/r",
                name="nightly",
                tags={"team": "data"},
                job_driver=es.JobDriver(
                    spark_submit=es.SparkSubmit(entry_point="s3://b/main.py")
                ),
            ),
            lambda: theirs_emr.start_job_run(
                applicationId="app",
                executionRoleArn="arn:aws:iam::1:role/r",
                name="nightly",
                tags={"team": "data"},
                jobDriver={"sparkSubmit": {"entryPoint": "s3://b/main.py"}},
            ),
        ),
        (
            "dynamodb GetItem",
            lambda: ours_ddb.get_item(
                table_name="orders", key={"pk": ds.AttributeValue(s="customer#1")}
            ),
            lambda: theirs_ddb.get_item(
                TableName="orders", Key={"pk": {"S": "customer#1"}}
            ),
        ),
    ]


async def _per_call_rows(calls: int, repeats: int) -> list[dict[str, Any]]:
    rows = []
    async with AsyncExitStack() as stack:
        for name, ours, theirs in await _cases(stack):
            await ours()
            await theirs()  # first calls load schemas, endpoints, credentials
            mine, other, ratios = [], [], []
            for _ in range(repeats):
                a = await _per_call(ours, calls)
                b = await _per_call(theirs, calls)
                mine.append(a)
                other.append(b)
                ratios.append(b / a)
            rows.append(
                {
                    "case": name,
                    "ours_us": statistics.median(mine) * 1e6,
                    "aiobotocore_us": statistics.median(other) * 1e6,
                    "ratio": statistics.median(ratios),
                }
            )
    return rows


def per_call(calls: int, repeats: int) -> list[dict[str, Any]]:
    return asyncio.run(_per_call_rows(calls, repeats))


async def _concurrent(url: str, calls: int, repeats: int) -> dict[str, float]:
    from aiobotocore.config import AioConfig
    from aiobotocore.session import get_session

    from generated.dynamodb import AsyncDynamoDBClient
    from generated.dynamodb import shapes as ds

    times: dict[str, list[float]] = {"ours": [], "aiobotocore": []}
    async with (
        AsyncDynamoDBClient(
            region_name=REGION,
            endpoint_url=url,
            max_pool_connections=10,
            aws_access_key_id=KEYS["aws_access_key_id"],
            aws_secret_access_key=KEYS["aws_secret_access_key"],
        ) as ours,
        get_session().create_client(
            "dynamodb",
            region_name=REGION,
            endpoint_url=url,
            config=AioConfig(max_pool_connections=10),
            **KEYS,
        ) as theirs,
    ):
        key = {"pk": ds.AttributeValue(s="customer#1")}
        for _ in range(repeats):
            start = time.perf_counter()
            results = await asyncio.gather(
                *(ours.get_item(table_name="orders", key=key) for _ in range(calls))
            )
            times["ours"].append(time.perf_counter() - start)
            assert all(
                r.item is not None and r.item["total"].n == "42" for r in results
            )
            start = time.perf_counter()
            answers = await asyncio.gather(
                *(
                    theirs.get_item(TableName="orders", Key={"pk": {"S": "customer#1"}})
                    for _ in range(calls)
                )
            )
            times["aiobotocore"].append(time.perf_counter() - start)
            assert all(a["Item"]["total"]["N"] == "42" for a in answers)
    return {k: statistics.median(v) for k, v in times.items()}


def concurrent(calls: int, repeats: int, port: int = 18933) -> dict[str, float]:
    server = subprocess.Popen(
        [sys.executable, "-c", _SERVER, str(port), DYNAMO_BODY.decode(), "300"],
        stdout=subprocess.PIPE,
    )
    try:
        assert server.stdout is not None and server.stdout.readline()
        return asyncio.run(_concurrent(f"http://127.0.0.1:{port}", calls, repeats))
    finally:
        server.terminate()
        server.wait()


def report(calls: int, repeats: int, concurrent_calls: int) -> None:
    print(
        f"async per call (medians of {repeats} alternating repeats of {calls} "
        "awaited calls; ratio = median of paired ratios):"
    )
    for row in per_call(calls, repeats):
        print(
            f"  {row['case']:<38} ours {row['ours_us']:8.1f} us   aiobotocore "
            f"{row['aiobotocore_us']:8.1f} us   ratio {row['ratio']:5.1f}x"
        )
    times = concurrent(concurrent_calls, 5)
    print(
        f"async, {concurrent_calls} concurrent calls (asyncio.gather) against a "
        "local server, 10 connections (median of 5):"
    )
    print(
        f"  dynamodb GetItem                       ours {times['ours'] * 1e3:8.1f} "
        f"ms   aiobotocore {times['aiobotocore'] * 1e3:8.1f} ms   ratio "
        f"{times['aiobotocore'] / times['ours']:5.1f}x"
    )
