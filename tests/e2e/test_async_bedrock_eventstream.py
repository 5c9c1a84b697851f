"""bedrock-runtime ConverseStream on the asynchronous client, end to end:
the frames of tests/e2e/test_local_bedrock_eventstream.py streamed by a
local server (127.0.0.1) over aiohttp, read with ``async for``; boto3 reads
the same bytes for the oracle.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import botocore.eventstream
import pytest
from botocore.exceptions import EventStreamError

from tests import eventstream_support as frames
from tests.e2e import test_local_bedrock_eventstream as blocking
from tests.e2e.support import (
    ACCESS_KEY,
    REGION,
    SECRET_KEY,
    Reply,
    ScriptedAwsServer,
    to_wire,
)
from tests.e2e.test_local_bedrock_eventstream import (
    CONVERSATION,
    HEADERS,
    MODEL,
    _boto3_call,
    _cut,
    _stream_shape,
)
from typed_aws_runtime.errors import ResponseParseError
from typed_aws_runtime.events import AsyncEventStream

package = blocking.package  # the generated bedrock-runtime (a fixture)


@pytest.fixture
def server(aws_server: ScriptedAwsServer) -> ScriptedAwsServer:
    aws_server.reset(service="bedrock")
    return aws_server


def _client(package: Any, server: ScriptedAwsServer, **options: Any) -> Any:
    return package.AsyncBedrockRuntimeClient(
        endpoint_url=server.endpoint_url,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        **options,
    )


async def _call(client: Any, package: Any) -> Any:
    shapes = package.shapes
    return await client.converse_stream(
        model_id=MODEL,
        messages=[
            shapes.Message(role="user", content=[shapes.ContentBlock(text="Hi")])
        ],
    )


def test_typed_events_arrive_in_order_as_they_come(
    server: ScriptedAwsServer, package: Any
) -> None:
    body = b"".join(CONVERSATION)
    gate = threading.Event()
    chunks = [CONVERSATION[0], *_cut(body[len(CONVERSATION[0]) :])]
    server.script(
        Reply(200, headers=HEADERS, chunks=chunks, gate=gate, gate_after=1),
        Reply(200, headers=HEADERS, chunks=_cut(body)),
    )

    async def main() -> tuple[Any, list[Any], bool]:
        async with _client(package, server) as client:
            result = await _call(client, package)
            assert type(result) is package.shapes.AsyncConverseStreamResponse
            stream = result.stream
            assert isinstance(stream, AsyncEventStream)
            try:
                # Read while the server holds the rest back: handed out as
                # it arrived.
                first = await asyncio.wait_for(anext(stream), timeout=10)
            finally:
                gate.set()
            rest = [event async for event in stream]
            return first, rest, stream.closed

    first, rest, closed = asyncio.run(main())
    assert closed
    events = [first, *rest]
    shapes = package.shapes
    assert all(isinstance(e, shapes.ConverseStreamOutput) for e in events)
    assert [e.content_block_delta.delta.text for e in events[1:3]] == ["Hel", "lo"]
    theirs = list(_boto3_call(server)["stream"])
    assert [to_wire(e, _stream_shape(server)) for e in events] == theirs
    mine, boto_request = server.take()
    assert mine.target == boto_request.target == f"/model/{MODEL}/converse-stream"
    assert mine.json() == boto_request.json()


def test_a_modelled_exception_event_is_raised_typed(
    server: ScriptedAwsServer, package: Any
) -> None:
    failing = [
        CONVERSATION[0],
        frames.exception(
            "modelStreamErrorException",
            {"message": "the model broke", "originalStatusCode": 500},
        ),
        CONVERSATION[4],
    ]
    body = b"".join(failing)
    server.script(
        Reply(200, headers=HEADERS, chunks=_cut(body)),
        Reply(200, headers=HEADERS, chunks=_cut(body)),
    )

    async def main() -> tuple[list[Any], BaseException, bool]:
        async with _client(package, server) as client:
            stream = (await _call(client, package)).stream
            seen = []
            with pytest.raises(package.errors.ModelStreamErrorException) as caught:
                async for event in stream:
                    seen.append(event)
            return seen, caught.value, stream.closed

    seen, error, closed = asyncio.run(main())
    assert [e.message_start is not None for e in seen] == [True]
    assert closed
    assert error.message == "the model broke"  # type: ignore[attr-defined]
    assert error.original_status_code == 500  # type: ignore[attr-defined]
    with pytest.raises(EventStreamError) as boto_caught:
        list(_boto3_call(server)["stream"])
    assert error.code == boto_caught.value.response["Error"]["Code"]  # type: ignore[attr-defined]


def test_a_broken_crc_raises_the_parse_error(
    server: ScriptedAwsServer, package: Any
) -> None:
    body = CONVERSATION[0] + frames.broken_crc(CONVERSATION[1])
    server.script(
        Reply(200, headers=HEADERS, chunks=_cut(body)),
        Reply(200, headers=HEADERS, chunks=_cut(body)),
    )

    async def main() -> tuple[ResponseParseError, bool]:
        async with _client(package, server) as client:
            stream = (await _call(client, package)).stream
            assert (await anext(stream)).message_start is not None
            with pytest.raises(ResponseParseError, match="message CRC") as caught:
                await anext(stream)
            return caught.value, stream.closed

    error, closed = asyncio.run(main())
    assert error.request_id == "req-0001"
    assert closed
    with pytest.raises(botocore.eventstream.ChecksumMismatch):
        list(_boto3_call(server)["stream"])


@pytest.mark.parametrize("how", ["async with", "aclose", "cancel"])
def test_stopping_early_releases_the_connection(
    server: ScriptedAwsServer, package: Any, how: str
) -> None:
    # One connection in the pool: a stream that kept its connection would
    # leave the next call waiting for it (until the timeout fails the test).
    gate = threading.Event()
    body = b"".join(CONVERSATION)
    server.script(
        Reply(
            200,
            headers=HEADERS,
            chunks=[CONVERSATION[0], body],
            gate=gate,
            gate_after=1,
        ),
        Reply(200, headers=HEADERS, chunks=_cut(body)),
    )

    async def main() -> int:
        async with _client(package, server, max_pool_connections=1) as client:
            result = await _call(client, package)
            if how == "async with":
                async with result.stream as stream:
                    assert (await anext(stream)).message_start is not None
            elif how == "aclose":
                stream = result.stream
                assert (await anext(stream)).message_start is not None
                await stream.aclose()
            else:
                started = asyncio.Event()

                async def consume() -> None:
                    async for _ in result.stream:
                        started.set()

                task = asyncio.ensure_future(consume())
                await asyncio.wait_for(started.wait(), timeout=10)
                task.cancel()  # waiting for the frames the server holds back
                with pytest.raises(asyncio.CancelledError):
                    await task
            assert result.stream.closed
            again = await asyncio.wait_for(_call(client, package), timeout=5)
            return len([event async for event in again.stream])

    try:
        assert asyncio.run(main()) == len(CONVERSATION)
    finally:
        gate.set()
