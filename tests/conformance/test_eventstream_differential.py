"""Event streams, differentially: random event sequences, the same bytes
parsed by botocore's parser and by ours, the same events and errors.

For each operation, hypothesis draws a sequence of events (values drawn from
*botocore's* shape model, written as the protocol writes them: JSON for
rest-json and json, XML for rest-xml; ``eventpayload`` members as the raw
payload), optionally ending in a modelled exception or an unmodelled error
message. The frames come from our encoder (checked against botocore's
decoder in tests/runtime/test_eventstream_framing.py). botocore parses the
response with ``create_parser(protocol).parse``; we parse it through the
protocol layer (``protocols.for_schema(schema).parse_output``): S3's endpoint
rules are not what is tested here. Few examples by default, 200 under
``-m slow``.
"""

from __future__ import annotations

import atexit
import copy
import datetime
import importlib
import json
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import botocore.model
import botocore.parsers
import botocore.session
import pytest
from botocore.awsrequest import HeadersDict
from botocore.exceptions import EventStreamError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen.api import generate_package
from tests import eventstream_support as frames
from tests.conformance import responses
from tests.e2e.support import botocore_package, to_wire
from typed_aws_runtime import protocols
from typed_aws_runtime import schema as runtime_schema
from typed_aws_runtime.codecs import cbor
from typed_aws_runtime.errors import ServiceError
from typed_aws_runtime.eventstream import INTEGER, TIMESTAMP, TypedHeader
from typed_aws_runtime.protocols import base as protocol_base
from typed_aws_runtime.transport import HttpResponse

CASES = [
    ("bedrock-runtime", "ConverseStream"),
    ("bedrock-runtime", "InvokeModelWithResponseStream"),
    ("kinesis", "SubscribeToShard"),
    ("s3", "SelectObjectContent"),
    ("lambda", "InvokeWithResponseStream"),
    ("logs", "StartLiveTail"),
    # No botocore model speaks rpc-v2-cbor with an event stream yet (the nine
    # that list it also list json, which wins): kinesis's model, made to.
    ("kinesis+cbor", "SubscribeToShard"),
]
_UTC = datetime.UTC
_SESSION = botocore.session.get_session()
MAX_DEPTH = 3


class _RawStream:
    """What botocore's EventStream reads: ``stream()`` and ``close()``."""

    def __init__(self, data: bytes, piece: int = 29) -> None:
        self._data = data
        self._piece = piece
        self.closed = False

    def stream(self) -> Iterator[bytes]:
        for i in range(0, len(self._data), self._piece):
            yield self._data[i : i + self._piece]

    def close(self) -> None:
        self.closed = True


# -- values drawn from botocore's model ------------------------------------------


def _text(xml: bool) -> Any:
    categories = ("Cs", "Cc", "Co") if xml else ("Cs",)
    return st.text(
        st.characters(codec="utf-8", exclude_categories=categories), max_size=8
    )


def draw_value(
    draw: Any, shape: botocore.model.Shape, xml: bool, depth: int = 0
) -> Any:
    kind = shape.type_name
    if kind == "structure":
        assert isinstance(shape, botocore.model.StructureShape)
        if shape.metadata.get("document"):
            return draw(st.sampled_from([{}, {"a": [1, "x", None]}, "text", 3, True]))
        members = list(shape.members.items())
        if shape.is_tagged_union:
            name, member = draw(st.sampled_from(members))
            return {name: draw_value(draw, member, xml, depth + 1)}
        out = {}
        for name, member in members:
            required = name in shape.required_members
            if required or (depth < MAX_DEPTH and draw(st.booleans())):
                out[name] = draw_value(draw, member, xml, depth + 1)
        return out
    if kind == "list":
        assert isinstance(shape, botocore.model.ListShape)
        size = 0 if depth >= MAX_DEPTH else draw(st.integers(0, 2))
        return [draw_value(draw, shape.member, xml, depth + 1) for _ in range(size)]
    if kind == "map":
        assert isinstance(shape, botocore.model.MapShape)
        size = 0 if depth >= MAX_DEPTH else draw(st.integers(0, 2))
        keys = draw(st.lists(_text(xml), min_size=size, max_size=size, unique=True))
        return {k: draw_value(draw, shape.value, xml, depth + 1) for k in keys}
    if kind == "string":
        if shape.enum and draw(st.booleans()):
            return draw(st.sampled_from(shape.enum))
        return draw(_text(xml))
    if kind in ("integer", "long"):
        bits = 31 if kind == "integer" else 63
        return draw(st.integers(-(1 << bits), (1 << bits) - 1))
    if kind in ("float", "double"):
        return draw(st.floats(allow_nan=False, allow_infinity=False, width=32))
    if kind == "boolean":
        return draw(st.booleans())
    if kind == "timestamp":
        seconds = draw(st.integers(86400, 4_000_000_000))
        millis = draw(st.sampled_from([0, 500, 123]))
        return datetime.datetime.fromtimestamp(seconds, _UTC).replace(
            microsecond=millis * 1000
        )
    if kind == "blob":
        return draw(st.binary(max_size=12))
    raise AssertionError(f"no strategy for {kind}")


# -- frames, as a service writes them ------------------------------------------------


def _payload(protocol: str, shape: botocore.model.Shape, value: Any) -> bytes:
    """A structure value as the protocol's document."""
    if protocol == "smithy-rpc-v2-cbor":
        # Members by model name, blobs as byte strings, timestamps as tag 1.
        return cbor.dumps_plain(value)
    if protocol == "rest-xml":
        return responses.xml_member_inner(shape, shape.name, value).encode()
    return json.dumps(responses.json_value(shape, value)).encode()


def _header(shape: botocore.model.Shape, value: Any) -> Any:
    kind = shape.type_name
    if kind == "timestamp":
        return TypedHeader(TIMESTAMP, round(value.timestamp() * 1000))
    if kind == "integer":
        return TypedHeader(INTEGER, value)
    return value


def event_frame(
    protocol: str, name: str, shape: botocore.model.StructureShape, value: Any
) -> bytes:
    headers = {}
    body = {}
    payload: bytes | None = None
    for member_name, item in value.items():
        member = shape.members[member_name]
        if member.serialization.get("eventheader"):
            headers[member_name] = _header(member, item)
        elif member.serialization.get("eventpayload"):
            kind = member.type_name
            if kind == "blob":
                payload = item
            elif kind == "string":
                payload = item.encode()
            else:
                payload = _payload(protocol, member, item)
        else:
            body[member_name] = item
    if payload is None:
        payload = (
            _payload(protocol, shape, body) if body or protocol != "rest-xml" else b""
        )
    return frames.event(name, payload, **headers)


@st.composite
def event_sequences(
    draw: Any, protocol: str, stream: botocore.model.StructureShape
) -> tuple[list[bytes], list[str]]:
    """Frames and what each is (an event's name, ``!error``, ``!exception``)."""
    xml = protocol == "rest-xml"
    events = [
        (n, m) for n, m in stream.members.items() if not m.metadata.get("exception")
    ]
    errors = [(n, m) for n, m in stream.members.items() if m.metadata.get("exception")]
    out: list[bytes] = []
    kinds: list[str] = []
    for _ in range(draw(st.integers(0, 4))):
        name, shape = draw(st.sampled_from(events))
        assert isinstance(shape, botocore.model.StructureShape)
        out.append(event_frame(protocol, name, shape, draw_value(draw, shape, xml)))
        kinds.append(name)
    ending = draw(
        st.sampled_from(["none", "error", "exception"] if errors else ["none", "error"])
    )
    if ending == "exception":
        name, shape = draw(st.sampled_from(errors))
        value = draw_value(draw, shape, xml)
        content = {
            "rest-xml": "text/xml",
            "smithy-rpc-v2-cbor": "application/cbor",
        }.get(protocol, frames.JSON)
        out.append(frames.exception(name, _payload(protocol, shape, value), content))
        kinds.append("!exception")
    elif ending == "error":
        code = draw(st.text("abcdefghijklmnopqrstuvwxyz.", min_size=1, max_size=12))
        out.append(frames.error(code, draw(_text(False))))
        kinds.append("!error")
    return out, kinds


# -- both parsers ------------------------------------------------------------------


def _cbor_package(service: str) -> tuple[botocore.model.ServiceModel, Any]:
    """``service``'s model made to speak rpc-v2-cbor, botocore's and ours."""
    loader = _SESSION.get_component("data_loader")
    model = copy.deepcopy(loader.load_service_model(service, "service-2"))
    model["metadata"]["protocol"] = "smithy-rpc-v2-cbor"
    model["metadata"]["protocols"] = ["smithy-rpc-v2-cbor"]
    directory = tempfile.mkdtemp(prefix="codegen-evcbor-")
    atexit.register(shutil.rmtree, directory, True)
    sys.path.insert(0, directory)
    name = generate_package(
        model,
        Path(directory),
        name=f"evcbor_{service}",
        endpoint_rules=loader.load_service_model(service, "endpoint-rule-set-1"),
        format_code=False,
    )
    return botocore.model.ServiceModel(model, service), importlib.import_module(name)


class _Case:
    def __init__(self, service: str, operation: str) -> None:
        if service.endswith("+cbor"):
            self.model, package = _cbor_package(service.split("+")[0])
        else:
            self.model = _SESSION.get_service_model(service)
            package = botocore_package(service)
        self.protocol = self.model.resolved_protocol
        self.operation = self.model.operation_model(operation)
        output = self.operation.output_shape
        self.stream_name = next(
            n for n, m in output.members.items() if m.serialization.get("eventstream")
        )
        self.stream_shape = output.members[self.stream_name]
        importlib.import_module(f"{package.__name__}.errors")
        self.schema = runtime_schema.load(package.__name__)
        self.op = self.schema.operation(operation)
        self.ours = protocols.for_schema(self.schema)

    def body(self, events: list[bytes]) -> bytes:
        if self.protocol in ("json", "smithy-rpc-v2-cbor"):
            initial = frames.event(
                "initial-response",
                _payload(self.protocol, self.operation.output_shape, {}),
            )
            return initial + b"".join(events)
        return b"".join(events)

    def botocore(self, body: bytes) -> tuple[list[Any], Any]:
        parser = botocore.parsers.create_parser(self.protocol)
        parsed = parser.parse(
            {
                "status_code": 200,
                "headers": HeadersDict({"x-amzn-requestid": "req-1"}),
                "body": _RawStream(body),
                "context": {"operation_name": self.operation.name},
            },
            self.operation.output_shape,
        )
        events: list[Any] = []
        try:
            events.extend(parsed[self.stream_name])
        except EventStreamError as error:
            return events, error.response["Error"]
        return events, None

    def ours_parse(self, body: bytes) -> tuple[list[Any], Any]:
        response = HttpResponse(200, {"x-amzn-requestid": "req-1"}, body)
        result = protocol_base.parse_output(self.ours, self.op, response)
        events: list[Any] = []
        stream = getattr(result, self.op.event_stream.python)  # type: ignore[union-attr]
        try:
            events.extend(stream)
        except ServiceError as error:
            return events, error
        assert stream.closed
        return events, None


_CASES: dict[tuple[str, str], _Case] = {}


def event_case(service: str, operation: str) -> _Case:
    """The parsers of one operation (built once)."""
    key = (service, operation)
    if key not in _CASES:
        _CASES[key] = _Case(service, operation)
    return _CASES[key]


def run(service: str, operation: str, data: Any) -> None:
    case = event_case(service, operation)
    sequence, kinds = data.draw(event_sequences(case.protocol, case.stream_shape))
    body = case.body(sequence)
    theirs, their_error = case.botocore(body)
    mine, my_error = case.ours_parse(body)
    assert [to_wire(e, case.stream_shape) for e in mine] == theirs
    assert len(mine) == sum(1 for k in kinds if not k.startswith("!"))
    if their_error is None:
        assert my_error is None
        return
    assert isinstance(my_error, ServiceError), kinds
    assert (my_error.code, my_error.message) == (
        their_error["Code"],
        their_error["Message"],
    )
    assert my_error.request_id == "req-1"
    if kinds[-1] == "!exception":
        member = case.stream_shape.members[my_error.code]
        shape = case.op.event_stream.shape.members[my_error.code].shape  # type: ignore[union-attr]
        assert type(my_error) is shape.error_class, member.name  # type: ignore[attr-defined]
    else:
        assert type(my_error) is case.schema.base_error_class()


@pytest.mark.parametrize(("service", "operation"), CASES)
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_events_as_botocore_parses_them(
    service: str, operation: str, data: Any
) -> None:
    run(service, operation, data)


@pytest.mark.slow
@pytest.mark.parametrize(("service", "operation"), CASES)
@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_events_as_botocore_parses_them_slow(
    service: str, operation: str, data: Any
) -> None:
    run(service, operation, data)


def test_the_initial_response_fills_the_rpc_output() -> None:
    # kinesis SubscribeToShard (json): members other than the stream come
    # from the first message, ``initial-response``; both parsers agree on a
    # synthetic output member too (SubscribeToShardOutput has none besides
    # the stream, so this checks the stream is still read after it).
    case = event_case("kinesis", "SubscribeToShard")
    record = {
        "SequenceNumber": "1",
        "ApproximateArrivalTimestamp": datetime.datetime(2024, 1, 2, tzinfo=_UTC),
        "Data": b"\x00data",
        "PartitionKey": "p",
    }
    event = {
        "Records": [record],
        "ContinuationSequenceNumber": "2",
        "MillisBehindLatest": 0,
    }
    shape = case.stream_shape.members["SubscribeToShardEvent"]
    body = case.body([event_frame("json", "SubscribeToShardEvent", shape, event)])
    theirs, _ = case.botocore(body)
    mine, _ = case.ours_parse(body)
    assert [to_wire(e, case.stream_shape) for e in mine] == theirs
    assert mine[0].subscribe_to_shard_event.records[0].data == b"\x00data"
