"""The transport seam: what a client hands to the network and gets back.

Any object with ``send(request) -> response`` is a transport; the
asynchronous client's has ``async def send`` (:class:`AsyncTransport`).
Tests inject :class:`InMemoryTransport` (or :class:`AsyncInMemoryTransport`)
to see exactly what would be sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import BinaryIO, Protocol


class HttpRequest:
    """One HTTP request, fully built and signed.

    ``stream`` says the operation streams its output: a transport may then
    answer with a binary file object as the body instead of bytes.
    """

    __slots__ = ("method", "url", "headers", "body", "stream")

    def __init__(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: bytes | BinaryIO = b"",
        stream: bool = False,
    ) -> None:
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.stream = stream

    def __repr__(self) -> str:
        # Headers may carry a session token or a signature: never shown.
        return f"HttpRequest(method={self.method!r}, url={self.url!r})"


class HttpResponse:
    """One HTTP response; ``body`` is a file object for streaming output."""

    __slots__ = ("status_code", "headers", "body")

    def __init__(
        self,
        status_code: int,
        headers: Mapping[str, str],
        body: bytes | BinaryIO = b"",
    ) -> None:
        self.status_code = status_code
        self.headers = headers
        self.body = body

    def __repr__(self) -> str:
        return f"HttpResponse(status_code={self.status_code!r})"


class Transport(Protocol):
    """Anything that can send a request and return its response."""

    def send(self, request: HttpRequest) -> HttpResponse: ...


class AsyncTransport(Protocol):
    """The asynchronous client's transport: ``send`` is a coroutine.

    For a request with ``stream`` set, the response's body may be a
    :class:`~typed_aws_runtime.streaming.AsyncRawStream`, read as the caller
    awaits it. A transport that holds connections should also have
    ``async def close()``; the client awaits it when it closes.
    """

    async def send(self, request: HttpRequest) -> HttpResponse: ...


Responder = Callable[[HttpRequest], HttpResponse]


class ScriptedTransport:
    """Records every request and answers from a script, without a network.

    ``responses`` are returned in order; a callable answers by looking at the
    request. With no script left, the transport answers 200 with ``{}``.
    """

    def __init__(self, responses: Iterable[HttpResponse | Responder] = ()) -> None:
        self.requests: list[HttpRequest] = []
        self._script = list(responses)

    def queue(self, *responses: HttpResponse | Responder) -> None:
        self._script.extend(responses)

    def clear(self) -> None:
        """Forget the recorded requests and any answers not yet given."""
        self.requests.clear()
        self._script.clear()

    def _answer(self, request: HttpRequest) -> HttpResponse:
        self.requests.append(request)
        if not self._script:
            return HttpResponse(200, {}, b"{}")
        answer = self._script.pop(0)
        if isinstance(answer, HttpResponse):
            return answer
        return answer(request)

    @property
    def last(self) -> HttpRequest:
        return self.requests[-1]


class InMemoryTransport(ScriptedTransport):
    """A :class:`ScriptedTransport` for the blocking client."""

    def send(self, request: HttpRequest) -> HttpResponse:
        return self._answer(request)

    def close(self) -> None:
        """Nothing to release; present so clients can close any transport."""


class AsyncInMemoryTransport(ScriptedTransport):
    """A :class:`ScriptedTransport` for the asynchronous client."""

    async def send(self, request: HttpRequest) -> HttpResponse:
        return self._answer(request)

    async def close(self) -> None:
        """Nothing to release; present so clients can close any transport."""
