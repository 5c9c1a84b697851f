"""Event streams in responses: typed events read as the body arrives.

An operation whose output has an event-stream member (``eventstream``: a
union of events and errors) gets an :class:`EventStream` in that member. It
reads the body with the framing of :mod:`typed_aws_runtime.eventstream`,
and binds each message as botocore's ``EventStream`` and
``BaseEventStreamParser`` do:

- ``:message-type: event``: the member of the union named by
  ``:event-type`` becomes the event, a typed structure whose ``eventheader``
  members come from the message's headers (a timestamp header counts
  milliseconds) and whose ``eventpayload`` member is the payload (a blob as
  it is, a string as UTF-8, anything else decoded by the protocol's codec),
  or, without one, whose members are the decoded payload. The union holding
  it is what the iterator yields. An event type this client does not know is
  skipped, as botocore skips it.
- ``:message-type: exception``: the error member named by
  ``:exception-type`` is raised as its typed error class (code: the
  exception type, as botocore's; members from the payload).
- ``:message-type: error``: the service's base error, with ``:error-code``
  and ``:error-message``.

Errors carry the HTTP status and request id of the response that carried the
stream. A message whose CRC does not match, or a body that ends inside a
message, raises :class:`~typed_aws_runtime.errors.ResponseParseError`. The
stream is closed (its connection released) when it ends, when it raises,
when the caller closes it (``close()``, or ``with``) and when it is
garbage-collected.

:class:`EventReader` does no I/O: it turns bytes into typed events. The
blocking client's :class:`EventStream` feeds it from a binary file; the
asynchronous client's :class:`AsyncEventStream` from an asynchronous body.
Two classes, so that a type checker accepts ``for`` only over the first and
``async for`` only over the second (the asynchronous client's output classes
annotate their stream member ``AsyncEventStream``).
"""

from __future__ import annotations

import datetime
import inspect
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, BinaryIO, Generic, Protocol, TypeVar

from typed_aws_runtime import wire
from typed_aws_runtime.errors import FrameError, ResponseParseError
from typed_aws_runtime.eventstream import Message, MessageDecoder
from typed_aws_runtime.schema import Member, Shape, StructureShape
from typed_aws_runtime.structure import build

if TYPE_CHECKING:
    from typed_aws_runtime.errors import ServiceError
    from typed_aws_runtime.schema import Operation, ServiceSchema
    from typed_aws_runtime.transport import HttpResponse

_E = TypeVar("_E")
# How much is asked of the body at a time (read1: whatever has arrived, up
# to this much; an event is never held back waiting for more).
_CHUNK = 65536
_INITIAL_RESPONSE = "initial-response"
# What binding a message may raise besides the errors it means to raise:
# a payload or header of the wrong kind (see protocols/base.py).
_DECODE_ERRORS = (
    TypeError,
    ValueError,
    AttributeError,
    KeyError,
    IndexError,
    OverflowError,
    RecursionError,
)


class PayloadCodec(Protocol):
    """How a protocol decodes an event's payload (JSON, XML or CBOR)."""

    def members(self, shape: StructureShape, payload: bytes) -> dict[str, Any]:
        """The members of ``shape`` (by Python name) the payload holds."""

    def value(self, shape: Shape, payload: bytes) -> Any:
        """The payload as a value of ``shape`` (an ``eventpayload`` member)."""


class _Event:
    """How one member of an event-stream union is read, decided once."""

    __slots__ = ("member", "headers", "payload")

    def __init__(self, member: Member) -> None:
        shape = member.shape
        assert isinstance(shape, StructureShape)
        self.member = member
        self.headers = tuple(m for m in shape.members.values() if m.event_header)
        self.payload = next(
            (m for m in shape.members.values() if m.event_payload), None
        )


class EventBinding:
    """Messages of one event-stream shape as typed events or raised errors."""

    def __init__(
        self,
        shape: StructureShape,
        codec: PayloadCodec,
        base_error: type[ServiceError],
    ) -> None:
        self.shape = shape
        self.codec = codec
        self.base_error = base_error
        self._events = {
            wire_name: _Event(m)
            for wire_name, m in shape.members.items()
            if isinstance(m.shape, StructureShape) and not m.shape.exception
        }

    def event(self, message: Message) -> Any:
        """The typed event (a union with one member set); None for an event
        this client does not know."""
        kind = message.headers.get(":event-type")
        plan = self._events.get(kind) if isinstance(kind, str) else None
        if plan is None:
            return None
        shape = plan.member.shape
        assert isinstance(shape, StructureShape)
        values: dict[str, Any] = {}
        headers = message.headers
        for member in plan.headers:
            raw = headers.get(member.wire)
            if raw is not None:
                values[member.python] = _header_value(member.shape, raw)
        payload = plan.payload
        if payload is not None:
            kind = payload.shape.type
            if kind == "blob":
                values[payload.python] = message.payload
            elif kind == "string":
                values[payload.python] = message.payload.decode("utf-8")
            else:
                values[payload.python] = self.codec.value(
                    payload.shape, message.payload
                )
        else:
            # botocore: the headers first, then the payload's members.
            values.update(self.codec.members(shape, message.payload))
        return build(self.shape.cls, {plan.member.python: build(shape.cls, values)})

    def error(
        self, message: Message, status_code: int, request_id: str | None
    ) -> ServiceError:
        """The error an ``exception`` or ``error`` message carries."""
        headers = message.headers
        name = headers.get(":exception-type")
        if headers.get(":message-type") == "exception" and isinstance(name, str):
            member = self.shape.members.get(name)
            shape = member.shape if member is not None else None
            if isinstance(shape, StructureShape) and shape.error_class is not None:
                try:
                    values = self.codec.members(shape, message.payload)
                except _DECODE_ERRORS:
                    # As for an HTTP error: the typed class without members.
                    values = {}
                text = values.pop("message", None)
                error: ServiceError = shape.error_class(
                    text if isinstance(text, str) else "",
                    code=name,
                    status_code=status_code,
                    request_id=request_id,
                    **values,
                )
                return error
        code = headers.get(":error-code") or name or ""
        text = headers.get(":error-message", "")
        return self.base_error(
            str(text),
            code=str(code),
            status_code=status_code,
            request_id=request_id,
        )


def _header_value(shape: Shape, raw: Any) -> Any:
    """A header's value as its member's type (botocore keeps it as decoded;
    a value of the wrong kind is refused, as in a body)."""
    kind = shape.type
    if kind == "timestamp":
        if type(raw) is not int:
            raise TypeError(f"a timestamp header is {type(raw).__name__}")
        return datetime.datetime.fromtimestamp(raw / 1000, datetime.UTC)
    if kind == "string":
        if type(raw) is not str:
            raise TypeError(f"a string header is {type(raw).__name__}")
        enum = shape.enum_class
        return raw if enum is None else enum._value2member_map_.get(raw, raw)  # type: ignore[attr-defined]
    expected = _HEADER_TYPES.get(kind)
    if expected is None or type(raw) is not expected:
        raise TypeError(f"a {kind} header is {type(raw).__name__}")
    return raw


_HEADER_TYPES: dict[str, type] = {
    "boolean": bool,
    "byte": int,
    "short": int,
    "integer": int,
    "long": int,
    "blob": bytes,
}


class EventReader(Generic[_E]):
    """Typed events from bytes fed in pieces; no I/O (shared by the
    synchronous and asynchronous streams)."""

    def __init__(
        self, binding: EventBinding, status_code: int, request_id: str | None
    ) -> None:
        self._binding = binding
        self._decoder = MessageDecoder()
        self.status_code = status_code
        self.request_id = request_id

    def feed(self, data: bytes) -> None:
        self._decoder.feed(data)

    def next_message(self) -> Message | None:
        """The next complete message, or None until more bytes are fed."""
        try:
            return self._decoder.next_message()
        except FrameError as exc:
            raise self.failure(str(exc)) from exc

    def next_event(self) -> _E | None:
        """The next event of the bytes fed so far, or None until more are
        fed; an error message is raised."""
        while (message := self.next_message()) is not None:
            event = self.bind(message)
            if event is not None:
                return event
        return None

    def bind(self, message: Message) -> _E | None:
        """One message's event (None: skipped), or its error raised."""
        if message.headers.get(":message-type") in ("exception", "error"):
            raise self._binding.error(message, self.status_code, self.request_id)
        try:
            event: _E | None = self._binding.event(message)
        except _DECODE_ERRORS as exc:
            kind = message.headers.get(":event-type")
            raise self.failure(f"event {kind!r}: {exc}") from exc
        return event

    def finish(self) -> None:
        """The body has ended: nothing may be left of a message."""
        if self._decoder.pending:
            raise self.failure("the stream ended inside a message")

    def failure(self, reason: str) -> ResponseParseError:
        return ResponseParseError(
            f"event stream: {reason}",
            status_code=self.status_code,
            request_id=self.request_id,
        )


class _StreamBase(Generic[_E]):
    """What both streams share: the reader, the state, the repr."""

    _done: bool
    _reader: EventReader[_E]

    @property
    def closed(self) -> bool:
        return self._done

    def __repr__(self) -> str:
        state = "closed" if self._done else "open"
        name = type(self).__name__
        return f"{name}({self._reader._binding.shape.name}, {state})"


class EventStream(_StreamBase[_E]):
    """The events of a response, typed, in the order they arrive (the
    blocking client's; :class:`AsyncEventStream` is the asynchronous one's).

    Iterate it (``for event in stream``); each event is the event-stream
    union with one member set. Modelled error events are raised as the
    service's typed errors. Close it when done early (``close()``, or
    ``with``): that releases the connection. It closes itself at the end of
    the stream, on an error, and when it is garbage-collected.
    """

    def __init__(self, body: BinaryIO | bytes, reader: EventReader[_E]) -> None:
        self._body: BinaryIO | None = None
        if isinstance(body, (bytes, bytearray)):
            reader.feed(bytes(body))
        else:
            self._body = body
        self._reader = reader
        self._read = (
            None
            if self._body is None
            else getattr(body, "read1", None) or getattr(body, "read", None)
        )
        self._done = False

    def __iter__(self) -> Iterator[_E]:
        return self

    def __next__(self) -> _E:
        reader = self._reader
        try:
            while True:
                if self._done:
                    raise StopIteration
                event = reader.next_event()
                if event is not None:
                    return event
                if not self._fill():
                    reader.finish()
                    self.close()
                    raise StopIteration
        except StopIteration:
            raise
        except BaseException:
            self.close()
            raise

    def next_message(self) -> Message | None:
        """The next raw message (None at the end of the body): how an RPC
        protocol reads its ``initial-response`` before any event."""
        while (message := self._reader.next_message()) is None:
            if not self._fill():
                self._reader.finish()
                return None
        return message

    def _fill(self) -> bool:
        """Read what has arrived into the reader; False at the end."""
        if self._read is None or self._done:
            return False
        chunk = self._read(_CHUNK)
        if not chunk:
            return False
        self._reader.feed(chunk)
        return True

    def close(self) -> None:
        """Stop reading and release the connection (idempotent)."""
        self._done = True
        body, self._body = getattr(self, "_body", None), None
        if body is not None:
            body.close()

    def __enter__(self) -> EventStream[_E]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001, S110 - nothing to report to at collection
            pass


class AsyncEventStream(_StreamBase[_E]):
    """The events of a response of the asynchronous client: ``async for
    event in stream``, ``async with stream``, ``await stream.aclose()``.

    The same events, errors and closing rules as :class:`EventStream`, read
    from an asynchronous body: an :class:`~typed_aws_runtime.streaming.AsyncRawStream`
    (``await read(n)``: whatever has arrived, up to n bytes) or any
    ``AsyncIterable[bytes]``. A task cancelled while it iterates closes the
    stream, and with it the connection. Garbage collection releases the
    connection only through the body's synchronous ``close()``, when it has
    one (the transport's do): close the stream yourself.
    """

    def __init__(
        self, body: AsyncIterable[bytes] | bytes, reader: EventReader[_E]
    ) -> None:
        self._body: Any = None
        self._aread: Callable[[int], Awaitable[bytes]] | None = None
        self._chunks: AsyncIterator[bytes] | None = None
        if isinstance(body, (bytes, bytearray)):
            reader.feed(bytes(body))
        else:
            self._body = body
            read = getattr(body, "read", None)
            if read is not None and inspect.iscoroutinefunction(read):
                self._aread = read
            else:
                self._chunks = body.__aiter__()
        self._reader = reader
        self._done = False

    def __aiter__(self) -> AsyncIterator[_E]:
        return self

    async def __anext__(self) -> _E:
        reader = self._reader
        try:
            while True:
                if self._done:
                    raise StopAsyncIteration
                event = reader.next_event()
                if event is not None:
                    return event
                if not await self._fill():
                    reader.finish()
                    await self.aclose()
                    raise StopAsyncIteration
        except StopAsyncIteration:
            raise
        except BaseException:
            await self.aclose()
            raise

    async def next_message(self) -> Message | None:
        """The next raw message (None at the end of the body)."""
        while (message := self._reader.next_message()) is None:
            if not await self._fill():
                self._reader.finish()
                return None
        return message

    async def _fill(self) -> bool:
        if self._done or self._body is None:
            return False
        if self._aread is not None:
            chunk = await self._aread(_CHUNK)
        else:
            assert self._chunks is not None
            chunk = await anext(self._chunks, b"")
        if not chunk:
            return False
        self._reader.feed(bytes(chunk))
        return True

    async def aclose(self) -> None:
        """Stop reading and release the connection (idempotent)."""
        self._done = True
        body, self._body = self._body, None
        if body is None:
            return
        close = getattr(body, "aclose", None) or getattr(body, "close", None)
        if close is not None:
            result = close()
            if inspect.isawaitable(result):
                await result

    async def __aenter__(self) -> AsyncEventStream[_E]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __del__(self) -> None:
        # Only a synchronous close() can run here (nothing can be awaited).
        body = getattr(self, "_body", None)
        close = getattr(body, "close", None)
        if close is not None and not inspect.iscoroutinefunction(close):
            self._body = None
            self._done = True
            try:
                close()
            except Exception:  # noqa: BLE001, S110 - nothing to report to at collection
                pass


# -- what the protocols call ---------------------------------------------------------


def open_stream(
    shape: StructureShape,
    response: HttpResponse,
    codec: PayloadCodec,
    schema: ServiceSchema,
) -> EventStream[Any] | AsyncEventStream[Any]:
    """The event stream of ``response`` (its body, unread), for the
    event-stream union ``shape``: an :class:`EventStream` over a binary file
    (the blocking transport's), an :class:`AsyncEventStream` over an
    asynchronous body."""
    binding = _binding(shape, codec, schema)
    reader: EventReader[Any] = EventReader(
        binding,
        response.status_code,
        wire.request_id(wire.lower_headers(response.headers)),
    )
    body: Any = response.body
    if hasattr(body, "__aiter__") or inspect.iscoroutinefunction(
        getattr(body, "read", None)
    ):
        return AsyncEventStream(body, reader)
    return EventStream(body, reader)


def rpc_output(
    op: Operation,
    response: HttpResponse,
    codec: PayloadCodec,
    schema: ServiceSchema,
) -> Any:
    """The output of an RPC protocol (json, rpc-v2-cbor) whose event stream
    is the body: the first message, ``initial-response``, holds the output's
    other members (botocore's ``_handle_event_stream``). Over an
    asynchronous body, that message is not read here: the result is an
    :class:`AsyncRpcOutput`, which the asynchronous client awaits."""
    stream = _rpc_stream(op, response, codec, schema)
    if isinstance(stream, AsyncEventStream):
        return AsyncRpcOutput(op, stream, codec)
    try:
        return _initial_output(op, stream, stream.next_message(), codec)
    except BaseException:
        stream.close()
        raise


class AsyncRpcOutput:
    """An RPC output whose ``initial-response`` is still to be read from an
    asynchronous body: ``await pending.read()`` gives the output."""

    __slots__ = ("op", "stream", "codec")

    def __init__(
        self, op: Operation, stream: AsyncEventStream[Any], codec: PayloadCodec
    ) -> None:
        self.op = op
        self.stream = stream
        self.codec = codec

    async def read(self) -> Any:
        stream = self.stream
        try:
            message = await stream.next_message()
            return _initial_output(self.op, stream, message, self.codec)
        except BaseException:
            await stream.aclose()
            raise


async def rpc_output_async(
    op: Operation,
    response: HttpResponse,
    codec: PayloadCodec,
    schema: ServiceSchema,
) -> Any:
    """:func:`rpc_output` over an asynchronous body, awaited."""
    result = rpc_output(op, response, codec, schema)
    if isinstance(result, AsyncRpcOutput):
        return await result.read()
    return result


def _rpc_stream(
    op: Operation, response: HttpResponse, codec: PayloadCodec, schema: ServiceSchema
) -> EventStream[Any] | AsyncEventStream[Any]:
    member = op.event_stream
    assert member is not None and isinstance(member.shape, StructureShape)
    return open_stream(member.shape, response, codec, schema)


def _initial_output(
    op: Operation,
    stream: EventStream[Any] | AsyncEventStream[Any],
    message: Message | None,
    codec: PayloadCodec,
) -> Any:
    output, member = op.output, op.event_stream
    assert output is not None and member is not None
    reader = stream._reader
    if message is not None and message.headers.get(":message-type") in (
        "exception",
        "error",
    ):
        # The stream failed before it began: its error, typed (botocore
        # says only that the first event was not the initial response).
        reader.bind(message)
    if message is None or message.headers.get(":event-type") != _INITIAL_RESPONSE:
        raise reader.failure("the first event is not of type initial-response")
    try:
        values = codec.members(output, message.payload)
    except _DECODE_ERRORS as exc:
        raise reader.failure(f"the initial response: {exc}") from exc
    values[member.python] = stream
    return build(output.cls, values)


_BINDINGS: dict[tuple[StructureShape, int], EventBinding] = {}


def _binding(
    shape: StructureShape, codec: PayloadCodec, schema: ServiceSchema
) -> EventBinding:
    key = (shape, id(codec))
    binding = _BINDINGS.get(key)
    if binding is None:
        binding = _BINDINGS[key] = EventBinding(shape, codec, schema.base_error_class())
    return binding
