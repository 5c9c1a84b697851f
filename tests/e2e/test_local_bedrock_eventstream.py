"""bedrock-runtime ConverseStream end to end: real event-stream frames from a
local server (127.0.0.1), read by our client and by boto3's.

The package is generated from the installed botocore's model into a
temporary directory. The server streams the frames with chunked transfer
encoding, cut across frame boundaries; it can hold the rest back until the
test lets it go, which proves an event is handed out as soon as it arrived.
Frames are written by our encoder, which tests/runtime/test_eventstream_framing.py
checks against botocore's decoder.
"""

from __future__ import annotations

import gc
import importlib
import threading
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.config
import botocore.eventstream
import pytest
import urllib3.connectionpool
from botocore.exceptions import EventStreamError

from tests import eventstream_support as frames
from tests.e2e.support import (
    ACCESS_KEY,
    REGION,
    SECRET_KEY,
    Reply,
    ScriptedAwsServer,
    botocore_package,
    comparable_headers,
    to_wire,
)
from typed_aws_runtime.errors import ResponseParseError
from typed_aws_runtime.events import EventStream
from typed_aws_runtime.http import Urllib3Transport

MODEL = "anthropic.claude-test-v1"
HEADERS = {"Content-Type": "application/vnd.amazon.eventstream"}
CONVERSATION = [
    frames.json_event("messageStart", {"role": "assistant"}),
    frames.json_event(
        "contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "Hel"}}
    ),
    frames.json_event(
        "contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "lo"}}
    ),
    frames.json_event("contentBlockStop", {"contentBlockIndex": 0}),
    frames.json_event("messageStop", {"stopReason": "end_turn"}),
    frames.json_event(
        "metadata",
        {
            "usage": {"inputTokens": 3, "outputTokens": 2, "totalTokens": 5},
            "metrics": {"latencyMs": 12},
        },
    ),
]


def _cut(data: bytes, size: int = 17) -> list[bytes]:
    """Chunks of ``size`` bytes: frames split across chunk boundaries."""
    return [data[i : i + size] for i in range(0, len(data), size)]


@pytest.fixture(scope="module")
def package() -> Any:
    """The generated package, with its modules as attributes."""
    found = botocore_package("bedrock-runtime")
    for name in ("shapes", "enums", "errors"):
        importlib.import_module(f"{found.__name__}.{name}")
    return found


@pytest.fixture
def server(aws_server: ScriptedAwsServer) -> ScriptedAwsServer:
    aws_server.reset(service="bedrock")
    return aws_server


@pytest.fixture
def ours(package: Any, server: ScriptedAwsServer) -> Iterator[Any]:
    with package.BedrockRuntimeClient(
        endpoint_url=server.endpoint_url,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    ) as client:
        yield client


def _boto3(server: ScriptedAwsServer) -> Any:
    return boto3.session.Session().client(
        "bedrock-runtime",
        endpoint_url=server.endpoint_url,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=botocore.config.Config(retries={"mode": "standard"}),
    )


def _call(client: Any, package: Any) -> Any:
    shapes = package.shapes
    return client.converse_stream(
        model_id=MODEL,
        messages=[
            shapes.Message(role="user", content=[shapes.ContentBlock(text="Hi")])
        ],
    )


def _boto3_call(server: ScriptedAwsServer) -> Any:
    return _boto3(server).converse_stream(
        modelId=MODEL, messages=[{"role": "user", "content": [{"text": "Hi"}]}]
    )


def _stream_shape(server: ScriptedAwsServer) -> Any:
    model = _boto3(server).meta.service_model
    return model.shape_for("ConverseStreamOutput")


def test_typed_events_arrive_in_order_as_they_come_like_boto3_s(
    server: ScriptedAwsServer, ours: Any, package: Any
) -> None:
    body = b"".join(CONVERSATION)
    gate = threading.Event()
    # The first frame, then the rest held back until the first event is read.
    chunks = [CONVERSATION[0], *_cut(body[len(CONVERSATION[0]) :])]
    server.script(
        Reply(200, headers=HEADERS, chunks=chunks, gate=gate, gate_after=1),
        Reply(200, headers=HEADERS, chunks=_cut(body)),
    )
    try:
        result = _call(ours, package)
        stream = result.stream
        assert isinstance(stream, EventStream)
        first = next(stream)
    finally:
        gate.set()
    rest = list(stream)
    assert stream.closed
    events = [first, *rest]
    shapes = package.shapes
    assert all(isinstance(e, shapes.ConverseStreamOutput) for e in events)
    assert first.message_start == shapes.MessageStartEvent(
        role=package.enums.ConversationRole.ASSISTANT
    )
    assert [e.content_block_delta.delta.text for e in events[1:3]] == ["Hel", "lo"]
    assert events[-1].metadata.usage.total_tokens == 5

    theirs = list(_boto3_call(server)["stream"])
    shape = _stream_shape(server)
    assert [to_wire(e, shape) for e in events] == theirs
    mine, boto_request = server.take()
    server.assert_all_signed()
    assert mine.target == boto_request.target == f"/model/{MODEL}/converse-stream"
    assert mine.json() == boto_request.json()
    assert comparable_headers(mine) == comparable_headers(boto_request)


def test_a_modelled_exception_event_is_raised_typed(
    server: ScriptedAwsServer, ours: Any, package: Any
) -> None:
    failing = [
        CONVERSATION[0],
        frames.exception(
            "modelStreamErrorException",
            {"message": "the model broke", "originalStatusCode": 500},
        ),
        CONVERSATION[4],  # never read
    ]
    body = b"".join(failing)
    server.script(
        Reply(200, headers=HEADERS, chunks=_cut(body)),
        Reply(200, headers=HEADERS, chunks=_cut(body)),
    )
    stream = _call(ours, package).stream
    assert next(stream).message_start is not None
    with pytest.raises(package.errors.ModelStreamErrorException) as caught:
        next(stream)
    error = caught.value
    assert isinstance(error, package.errors.BedrockRuntimeError)
    assert error.message == "the model broke"
    assert error.original_status_code == 500
    assert error.request_id == "req-0001"
    assert stream.closed and list(stream) == []

    theirs = _boto3_call(server)["stream"]
    with pytest.raises(EventStreamError) as boto_caught:
        list(theirs)
    assert error.code == boto_caught.value.response["Error"]["Code"]
    assert error.message == boto_caught.value.response["Error"]["Message"]


def test_an_unmodelled_error_event_is_the_service_s_base_error(
    server: ScriptedAwsServer, ours: Any, package: Any
) -> None:
    body = frames.error("InternalFailure", "try later")
    server.script(Reply(200, body, HEADERS), Reply(200, body, HEADERS))
    stream = _call(ours, package).stream
    with pytest.raises(package.errors.BedrockRuntimeError) as caught:
        next(stream)
    assert type(caught.value) is package.errors.BedrockRuntimeError
    with pytest.raises(EventStreamError) as boto_caught:
        list(_boto3_call(server)["stream"])
    reported = boto_caught.value.response["Error"]
    assert (
        (caught.value.code, caught.value.message)
        == (
            reported["Code"],
            reported["Message"],
        )
        == ("InternalFailure", "try later")
    )


def test_a_broken_crc_raises_the_parse_error(
    server: ScriptedAwsServer, ours: Any, package: Any
) -> None:
    body = CONVERSATION[0] + frames.broken_crc(CONVERSATION[1])
    server.script(
        Reply(200, headers=HEADERS, chunks=_cut(body)),
        Reply(200, headers=HEADERS, chunks=_cut(body)),
    )
    stream = _call(ours, package).stream
    assert next(stream).message_start is not None
    with pytest.raises(ResponseParseError, match="message CRC") as caught:
        next(stream)
    assert caught.value.request_id == "req-0001"
    assert stream.closed
    with pytest.raises(botocore.eventstream.ChecksumMismatch):
        list(_boto3_call(server)["stream"])


class _PoolSpy:
    """Connections taken from and given back to urllib3's pools."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.taken = self.returned = 0
        pool = urllib3.connectionpool.HTTPConnectionPool
        get, put = pool._get_conn, pool._put_conn

        def take(this: Any, *args: Any, **kwargs: Any) -> Any:
            self.taken += 1
            return get(this, *args, **kwargs)

        def give_back(this: Any, *args: Any, **kwargs: Any) -> Any:
            self.returned += 1
            return put(this, *args, **kwargs)

        monkeypatch.setattr(pool, "_get_conn", take)
        monkeypatch.setattr(pool, "_put_conn", give_back)

    @property
    def out(self) -> int:
        return self.taken - self.returned


@pytest.mark.parametrize("how", ["with", "close", "collected"])
def test_stopping_early_releases_the_connection(
    server: ScriptedAwsServer,
    package: Any,
    monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    gc.collect()  # earlier tests' garbage gives its connections back first
    spy = _PoolSpy(monkeypatch)
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
    transport = Urllib3Transport(max_pool_connections=1)
    client = package.BedrockRuntimeClient(
        endpoint_url=server.endpoint_url,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        transport=transport,
    )
    try:
        result = _call(client, package)
        if how == "with":
            with result.stream as stream:
                assert next(stream).message_start is not None
                assert spy.out == 1  # the stream holds its connection
        elif how == "close":
            stream = result.stream
            assert next(stream).message_start is not None
            stream.close()
            assert stream.closed
        else:
            assert next(result.stream).message_start is not None
            del result
            gc.collect()
        assert spy.out == 0
        # The pool (one connection) serves the next call.
        assert len(list(_call(client, package).stream)) == len(CONVERSATION)
        assert spy.out == 0
    finally:
        gate.set()
        transport.close()
