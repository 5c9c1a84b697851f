"""The asynchronous client: ``Async<Name>Client`` derives from
:class:`AsyncBaseClient`.

It drives the same I/O-free call as the blocking client
(``client.ClientCore._steps``: serialization, endpoints, signing, retry
decisions, endpoint discovery, parsing), awaiting an asynchronous transport
(:class:`~typed_aws_runtime.transport.AsyncTransport`; by default
:class:`~typed_aws_runtime.aiohttp_transport.AiohttpTransport`, aiohttp
imported on the first send) and ``asyncio.sleep`` between attempts.

Nothing blocking runs on the event loop: the first call's loading (the
schema, the endpoint rules, the region from the shared config files) and
botocore's credential chain run in a worker thread (``asyncio.to_thread``),
once for all the tasks that wait for them. Credentials that botocore
refreshes (SSO, assume-role, instance metadata) are checked at most once a
second, on the loop without I/O (``refresh_needed``), and refreshed in a
worker thread when botocore says so. Cancelling a call releases its
connection (the transport closes it); a cancelled retry sleep ends the call.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, BinaryIO, Generic, TypeVar, cast, overload

from typed_aws_runtime.client import ClientCore, CredentialsHolder
from typed_aws_runtime.streaming import AsyncRawStream, BytesStream
from typed_aws_runtime.transport import HttpResponse

if TYPE_CHECKING:
    from typed_aws_runtime.credentials import BotocoreChainProvider, Credentials
    from typed_aws_runtime.transport import AsyncTransport

__all__ = ["AsyncBaseClient", "LoopCredentials", "SharedThreadCall"]

_T = TypeVar("_T")
_R = TypeVar("_R")
# How often refreshable credentials are asked whether they need a refresh.
_CHECK_EVERY = 1.0


class SharedThreadCall(Generic[_R]):
    """One blocking function run in a worker thread, awaited by every task
    that asks while it runs (a failure is not kept: the next ask runs it
    again). A task cancelled while waiting does not cancel the others'."""

    def __init__(self, function: Callable[[], _R]) -> None:
        self._function = function
        self._task: asyncio.Future[_R] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def __call__(self) -> _R:
        loop = asyncio.get_running_loop()
        task = self._task
        if task is None or task.done() or self._loop is not loop:
            task = self._task = asyncio.ensure_future(asyncio.to_thread(self._function))
            self._loop = loop
        return await asyncio.shield(task)


class LoopCredentials:
    """botocore's credential chain for an event loop: resolved and refreshed
    in a worker thread, handed to the signer from a cached snapshot."""

    def __init__(self, provider: BotocoreChainProvider) -> None:
        self._provider = provider
        self._current: Credentials | None = None
        # time.monotonic() from which the next call checks for a refresh.
        self.check_at = -math.inf
        self._fetch = SharedThreadCall(provider.get)

    def get(self) -> Credentials:
        current = self._current
        if current is None:  # not reached by a call: refresh() ran first
            raise RuntimeError("credentials used before they were resolved")
        return current

    async def refresh(self) -> None:
        """Fetch (in a thread) when nothing is cached or botocore says the
        cached credentials expire soon; otherwise only note the check."""
        source = self._provider.resolved
        if self._current is None or _refresh_needed(source):
            self._current = await self._fetch()
            source = self._provider.resolved
        refreshable = getattr(source, "refresh_needed", None) is not None
        self.check_at = time.monotonic() + (_CHECK_EVERY if refreshable else math.inf)

    def __repr__(self) -> str:
        return f"LoopCredentials({self._provider!r})"


def _refresh_needed(source: Any) -> bool:
    # botocore's RefreshableCredentials.refresh_needed(): a clock comparison.
    check = getattr(source, "refresh_needed", None)
    return bool(check()) if check is not None else False


class AsyncBaseClient(ClientCore["AsyncTransport"]):
    """The asynchronous client: ``async with``, ``await client.op(...)``."""

    # The runtime's own hook (tests replace it): seconds between attempts.
    _codegen_sleep: Callable[[float], Awaitable[None]] = staticmethod(asyncio.sleep)
    _loop_credentials: LoopCredentials | None = None
    _preparing: SharedThreadCall[Any] | None = None

    def _default_transport(self) -> AsyncTransport:
        from typed_aws_runtime.aiohttp_transport import AiohttpTransport

        transport = AiohttpTransport(**self._transport_options())
        transport.prepare()  # runs in the first call's worker thread
        return transport

    def _adopt(self, credentials: CredentialsHolder) -> None:
        from typed_aws_runtime.credentials import BotocoreChainProvider

        provider = credentials.provider
        if isinstance(provider, BotocoreChainProvider):
            loop_credentials = LoopCredentials(provider)
            credentials.provider = loop_credentials
            self._loop_credentials = loop_credentials

    async def generate_presigned_url(
        self,
        ClientMethod: str,  # noqa: N803 - boto3's names
        Params: Mapping[str, Any] | None = None,  # noqa: N803
        ExpiresIn: int = 3600,  # noqa: N803
        HttpMethod: str | None = None,  # noqa: N803
    ) -> str:
        """A presigned URL, as the blocking client's (and aiobotocore's,
        a coroutine): the first call's loading and the credentials are
        awaited off the loop."""
        from typed_aws_runtime.presign import generate_presigned_url

        await self._ready_to_sign()
        return generate_presigned_url(self, ClientMethod, Params, ExpiresIn, HttpMethod)

    async def _ready_to_sign(self) -> None:
        if self._state is None:
            await self._ready()
        credentials = self._loop_credentials
        if credentials is not None and credentials.check_at <= time.monotonic():
            await credentials.refresh()

    # -- lifecycle ---------------------------------------------------------------

    async def close(self) -> None:
        """Release the connection pool (of the default transport)."""
        if self._owns_transport and self._transport is not None:
            close = getattr(self._transport, "close", None)
            if close is not None:
                result = close()
                if isinstance(result, Awaitable):
                    await result

    async def __aenter__(self: _Self) -> _Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # -- the call --------------------------------------------------------------

    async def _ready(self) -> None:
        """The first call's loading, off the loop (once for every task)."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            raise RuntimeError(
                f"{type(self).__name__} runs on asyncio (its default transport is "
                "aiohttp, its sleeps and worker threads asyncio's); under trio, "
                "use the blocking client in a thread (trio.to_thread.run_sync)"
            ) from None
        prepare = self._preparing
        if prepare is None:
            prepare = self._preparing = SharedThreadCall(self._prepare)
        await prepare()

    @overload
    async def _invoke(
        self, operation: str, params: Mapping[str, Any] | None, output: type[_T]
    ) -> _T: ...

    @overload
    async def _invoke(
        self, operation: str, params: Mapping[str, Any] | None, output: None
    ) -> None: ...

    async def _invoke(
        self, operation: str, params: Mapping[str, Any] | None, output: type[_T] | None
    ) -> _T | None:
        if self._state is None:
            await self._ready()
        credentials = self._loop_credentials
        if credentials is not None and credentials.check_at <= time.monotonic():
            await credentials.refresh()
        steps = self._steps(operation, params)
        try:
            step = next(steps)
            send = self._transport.send  # type: ignore[union-attr]
            while True:
                if isinstance(step, float):
                    if step.__class__ is float:
                        await self._codegen_sleep(step)
                    else:  # discovery.Flight: another task's discovery
                        await step.wait()  # type: ignore[attr-defined]
                    step = next(steps)
                    continue
                try:
                    response = await send(step)
                except Exception as exc:
                    step = steps.throw(exc)
                else:
                    if step.stream:
                        response = _async_body(response)
                        if response.status_code >= 300:
                            # An error of a streaming operation (S3 GetObject's
                            # NoSuchKey): its body is parsed whole, as bytes.
                            response = await _read_error(response)
                    step = steps.send(response)
        except StopIteration as done:
            result: Any = done.value
        if output is not None and result.__class__ is not output:
            # Only for outputs that stream (see _async_output).
            result = await _async_output(result, output)
        return cast("_T | None", result)


_Self = TypeVar("_Self", bound=AsyncBaseClient)


async def _async_output(result: Any, output: type) -> Any:
    """The asynchronous client's output of an operation that streams: an
    RPC output whose ``initial-response`` is still to be read, read; a
    structure of the shared output class made the asynchronous twin that the
    generated method returns (the same fields, its stream member annotated
    ``AsyncStreamingBody`` or ``AsyncEventStream``)."""
    from typed_aws_runtime.events import AsyncRpcOutput
    from typed_aws_runtime.structure import Structure, build

    if isinstance(result, AsyncRpcOutput):
        result = await result.read()
    if (
        isinstance(result, Structure)
        and result.__class__ is not output
        and issubclass(output, Structure)
        and result.__fields__ == output.__fields__
    ):
        result = build(output, dict(result.__dict__))
    return result


async def _read_error(response: HttpResponse) -> HttpResponse:
    stream = cast(AsyncRawStream, response.body)
    try:
        data = await stream.read()
    finally:
        stream.close()
    return HttpResponse(response.status_code, response.headers, data)


def _async_body(response: HttpResponse) -> HttpResponse:
    """A streaming response whose body a transport gave as bytes or a file:
    the asynchronous client's output holds an AsyncStreamingBody all the same."""
    body = response.body
    if isinstance(body, AsyncRawStream):
        return response
    data = body if isinstance(body, bytes) else body.read()
    stream = cast(BinaryIO, BytesStream(data))
    return HttpResponse(response.status_code, response.headers, stream)
