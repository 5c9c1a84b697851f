"""Event streams through a generated client and an in-memory transport:
the rules the differential and end-to-end tests do not reach (input event
streams refused, a stream cut short, unknown events, the initial response
of an RPC protocol), each with botocore's behaviour as the oracle where it
has one."""

from __future__ import annotations

import importlib
import inspect
import typing
from typing import Any

import boto3
import botocore.parsers
import pytest
from botocore.awsrequest import HeadersDict

from tests import eventstream_support as frames
from tests.e2e.support import botocore_package
from typed_aws_runtime.errors import (
    ResponseParseError,
    ServiceError,
    UnsupportedOperationError,
)
from typed_aws_runtime.events import EventStream
from typed_aws_runtime.transport import HttpResponse, InMemoryTransport

KEYS = {
    "region_name": "us-east-1",
    "aws_access_key_id": "AKIDEXAMPLE",
    "aws_secret_access_key": "secret",
}


def _package(service: str) -> Any:
    package = botocore_package(service)
    for name in ("shapes", "errors", "client"):
        importlib.import_module(f"{package.__name__}.{name}")
    return package


def _client(service: str, *responses: HttpResponse) -> tuple[Any, InMemoryTransport]:
    package = _package(service)
    transport = InMemoryTransport(responses)
    cls = next(
        v
        for v in vars(package.client).values()
        if isinstance(v, type)
        and v.__name__.endswith("Client")
        and v.__module__ == package.client.__name__
    )
    return cls(transport=transport, **KEYS), transport


@pytest.mark.parametrize(
    ("service", "method", "member", "boto3_name"),
    [
        (
            "bedrock-runtime",
            "invoke_model_with_bidirectional_stream",
            "body",
            "bedrock-runtime",
        ),
        (
            "lexv2-runtime",
            "start_conversation",
            "request_event_stream",
            "lexv2-runtime",
        ),
    ],
)
def test_an_input_event_stream_is_refused_before_anything_is_sent(
    service: str, method: str, member: str, boto3_name: str
) -> None:
    # botocore cannot send them: boto3's client has no such method.
    boto = boto3.session.Session().client(boto3_name, **KEYS)
    assert not hasattr(boto, method)
    client, transport = _client(service)
    function = getattr(client, method)
    hints = typing.get_type_hints(function)
    assert "collections.abc.Iterable[" in str(hints[member])
    assert "UnsupportedOperationError" in (inspect.getdoc(function) or "")
    required = {
        name: "x"
        for name, p in inspect.signature(function).parameters.items()
        if p.default is inspect.Parameter.empty and p.kind is p.KEYWORD_ONLY
    }
    with pytest.raises(UnsupportedOperationError, match="input event stream"):
        function(**{**required, member: iter(())})
    assert transport.requests == []


def _converse(*body: bytes) -> Any:
    client, _ = _client(
        "bedrock-runtime", HttpResponse(200, {"x-amzn-requestid": "r"}, b"".join(body))
    )
    stream = client.converse_stream(model_id="m").stream
    assert isinstance(stream, EventStream)
    return stream


def test_a_stream_cut_inside_a_message_is_a_parse_error() -> None:
    whole = frames.json_event("messageStart", {"role": "assistant"})
    stream = _converse(whole, whole[:-3])
    assert next(stream).message_start is not None
    with pytest.raises(ResponseParseError, match="ended inside a message"):
        next(stream)
    assert stream.closed


def test_unknown_event_types_are_skipped_as_botocore_skips_them() -> None:
    body = [
        frames.json_event("somethingNew", {"x": 1}),
        frames.json_event("messageStop", {"stopReason": "end_turn"}),
    ]
    events = list(_converse(*body))
    assert [e.message_stop.stop_reason for e in events] == ["end_turn"]
    model = boto3.session.Session().client("bedrock-runtime", **KEYS).meta.service_model
    operation = model.operation_model("ConverseStream")
    parsed = botocore.parsers.create_parser("rest-json").parse(
        {
            "status_code": 200,
            "headers": HeadersDict({}),
            "body": _Raw(b"".join(body)),
            "context": {"operation_name": "ConverseStream"},
        },
        operation.output_shape,
    )
    assert list(parsed["stream"]) == [{"messageStop": {"stopReason": "end_turn"}}]


class _Raw:
    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self) -> Any:
        yield self._data

    def close(self) -> None:
        pass


def test_a_wrong_typed_event_is_a_parse_error() -> None:
    stream = _converse(frames.json_event("messageStop", {"stopReason": 5}))
    with pytest.raises(ResponseParseError, match="messageStop"):
        next(stream)


def _subscribe(*body: bytes) -> Any:
    client, transport = _client(
        "kinesis", HttpResponse(200, {"x-amzn-requestid": "k"}, b"".join(body))
    )
    result = client.subscribe_to_shard(
        consumer_arn="arn:aws:kinesis:us-east-1:123456789012:stream/s/consumer/c:1",
        shard_id="shardId-000000000000",
        starting_position=_package("kinesis").shapes.StartingPosition(type="LATEST"),
    )
    assert transport.last.stream  # the transport may stream the body
    return result


def test_rpc_output_starts_with_the_initial_response() -> None:
    event = frames.json_event(
        "SubscribeToShardEvent",
        {"Records": [], "ContinuationSequenceNumber": "7", "MillisBehindLatest": 0},
    )
    result = _subscribe(frames.event("initial-response", b"{}"), event)
    events = list(result.event_stream)
    assert events[0].subscribe_to_shard_event.continuation_sequence_number == "7"


def test_rpc_output_without_an_initial_response_is_a_parse_error() -> None:
    event = frames.json_event(
        "SubscribeToShardEvent",
        {"Records": [], "ContinuationSequenceNumber": "7", "MillisBehindLatest": 0},
    )
    with pytest.raises(ResponseParseError, match="initial-response"):
        _subscribe(event)


def test_rpc_output_whose_first_message_is_an_error_raises_it_typed() -> None:
    # botocore says only "First event was not of type initial-response";
    # the error the service sent is more useful, and typed.
    errors = _package("kinesis").errors
    with pytest.raises(errors.ResourceNotFoundException) as caught:
        _subscribe(frames.exception("ResourceNotFoundException", {"message": "gone"}))
    assert caught.value.message == "gone" and caught.value.request_id == "k"


def test_an_rpc_v2_cbor_event_stream_asks_for_one() -> None:
    # botocore's RpcV2CBORSerializer: Accept names the event stream.
    from tests.conformance.test_eventstream_differential import event_case

    case = event_case("kinesis+cbor", "SubscribeToShard")
    request = case.ours.serialize(case.op, {})
    assert request.headers["Accept"] == "application/vnd.amazon.eventstream"


def test_an_unmodelled_exception_type_is_the_base_error_named_by_its_type() -> None:
    # botocore reports an empty code here (no :error-code header); ours keeps
    # the exception type, which names what went wrong.
    errors = _package("bedrock-runtime").errors
    stream = _converse(frames.exception("somethingNewException", {"message": "m"}))
    with pytest.raises(errors.BedrockRuntimeError) as caught:
        next(stream)
    assert type(caught.value) is errors.BedrockRuntimeError
    assert (caught.value.code, caught.value.message) == ("somethingNewException", "")


def _header_binding() -> Any:
    from typed_aws_runtime.events import EventBinding, EventReader
    from typed_aws_runtime.protocols.eventcodecs import for_codec
    from typed_aws_runtime.schema import ServiceSchema

    def member(shape: str, name: str) -> dict[str, Any]:
        return {"shape": shape, "name": name, "eventheader": True}

    document = {
        "metadata": {"protocol": "rest-json"},
        "baseErrorClass": "Unused",
        "operations": {},
        "shapes": {
            "Stream": {
                "type": "structure",
                "eventstream": True,
                "members": {"Tick": {"shape": "Tick", "name": "tick"}},
            },
            "Tick": {
                "type": "structure",
                "event": True,
                "members": {
                    "When": member("Time", "when"),
                    "Count": member("Count", "count"),
                    "Flag": member("Flag", "flag"),
                },
            },
            "Time": {"type": "timestamp"},
            "Count": {"type": "integer"},
            "Flag": {"type": "boolean"},
        },
    }
    schema = ServiceSchema("tests", document)
    binding = EventBinding(schema.structure("Stream"), for_codec("json"), ServiceError)
    return EventReader(binding, 200, "h")


def test_header_members_are_typed_and_a_wrong_typed_header_is_refused() -> None:
    import datetime

    from typed_aws_runtime.eventstream import TIMESTAMP, TypedHeader

    reader = _header_binding()
    reader.feed(
        frames.event(
            "Tick", When=TypedHeader(TIMESTAMP, 1422172800123), Count=3, Flag=True
        )
    )
    event = reader.next_event()
    assert event == {
        "tick": {
            "when": datetime.datetime(2015, 1, 25, 8, 0, 0, 123000, datetime.UTC),
            "count": 3,
            "flag": True,
        }
    }
    reader.feed(frames.event("Tick", Count="three"))
    with pytest.raises(ResponseParseError, match="integer header is str"):
        reader.next_event()


class _AsyncBody:
    """An asynchronous body: chunks as they come, and ``aclose()``."""

    def __init__(self, data: bytes, piece: int = 7) -> None:
        self._pieces = [data[i : i + piece] for i in range(0, len(data), piece)]
        self.closed = False

    def __aiter__(self) -> Any:
        return self._chunks()

    async def _chunks(self) -> Any:
        for piece in self._pieces:
            yield piece

    async def aclose(self) -> None:
        self.closed = True


def test_an_asynchronous_body_gives_an_async_event_stream() -> None:
    # The asynchronous client's stream: AsyncEventStream, ``async for`` over
    # an AsyncIterable[bytes]; plain ``for`` is refused (and, in the typed
    # output classes, does not type-check).
    import asyncio

    from typed_aws_runtime import events, protocols
    from typed_aws_runtime import schema as runtime_schema
    from typed_aws_runtime.protocols.eventcodecs import for_codec

    package = _package("bedrock-runtime")
    schema = runtime_schema.load(package.__name__)
    op = schema.operation("ConverseStream")
    body = _AsyncBody(
        frames.json_event("messageStart", {"role": "assistant"})
        + frames.json_event("messageStop", {"stopReason": "end_turn"})
    )
    output = protocols.for_schema(schema).parse_output(
        op, HttpResponse(200, {}, body)  # type: ignore[arg-type]
    )

    async def read_all() -> list[Any]:
        async with output.stream as stream:
            return [event async for event in stream]

    events_read = asyncio.run(read_all())
    assert [e.message_stop is not None for e in events_read] == [False, True]
    assert body.closed
    assert isinstance(output.stream, events.AsyncEventStream)
    with pytest.raises(TypeError, match="not iterable"):
        iter(output.stream)  # type: ignore[call-overload]

    kinesis = runtime_schema.load(_package("kinesis").__name__)
    subscribe = kinesis.operation("SubscribeToShard")
    record = frames.json_event(
        "SubscribeToShardEvent",
        {"Records": [], "ContinuationSequenceNumber": "9", "MillisBehindLatest": 1},
    )
    response = HttpResponse(
        200,
        {},
        _AsyncBody(frames.event("initial-response", b"{}") + record),  # type: ignore[arg-type]
    )

    async def subscribe_all() -> list[Any]:
        result = await events.rpc_output_async(
            subscribe, response, for_codec("json"), kinesis
        )
        return [event async for event in result.event_stream]

    (only,) = asyncio.run(subscribe_all())
    assert only.subscribe_to_shard_event.millis_behind_latest == 1
