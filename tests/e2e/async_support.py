"""Helpers of the asynchronous client's end-to-end tests.

* :class:`LoopThread`: an event loop in a thread of its own.
* :class:`Blocking`: an asynchronous client seen through blocking methods,
  each call awaited on that loop, so that the blocking client's scenarios
  (``test_moto_*.py``) replay unchanged against the asynchronous one, with
  the same assertions against boto3.
* :class:`AsyncRecordingTransport`: the default asynchronous transport
  (aiohttp), plus a log of what went out and what came back.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

from typed_aws_runtime.aio import AsyncBaseClient
from typed_aws_runtime.aiohttp_transport import AiohttpTransport
from typed_aws_runtime.transport import HttpRequest, HttpResponse

_T = TypeVar("_T")


class LoopThread:
    """An asyncio event loop running in a daemon thread."""

    # The latest one started: where a scenario written for the blocking
    # client awaits what an asynchronous output holds (a streamed body).
    latest: LoopThread | None = None

    def __init__(self) -> None:
        LoopThread.latest = self
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, coroutine: Coroutine[Any, Any, _T]) -> _T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(60)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self.loop.close()


class AsyncRecordingTransport:
    """AiohttpTransport with a log of (request, response) pairs."""

    def __init__(self, **options: Any) -> None:
        self.inner = AiohttpTransport(**options)
        self.exchanges: list[tuple[HttpRequest, HttpResponse]] = []

    async def send(self, request: HttpRequest) -> HttpResponse:
        response = await self.inner.send(request)
        self.exchanges.append((request, response))
        return response

    @property
    def last_response(self) -> HttpResponse:
        return self.exchanges[-1][1]

    async def close(self) -> None:
        await self.inner.close()


class Blocking:
    """``client.method(**kw)`` runs ``await async_client.method(**kw)`` on
    the loop; paginators and waiters likewise."""

    def __init__(self, client: AsyncBaseClient, loop: LoopThread) -> None:
        assert isinstance(client, AsyncBaseClient)
        self._client = client
        self._loop = loop

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_codegen_"):  # the runtime's hooks (a clock)
            setattr(self._client, name, value)
        else:
            super().__setattr__(name, value)

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._client, name)
        if name == "get_paginator":
            return lambda operation: _Paginator(attribute(operation), self._loop)
        if name == "get_waiter":
            return lambda waiter: _Waiter(attribute(waiter), self._loop)
        if inspect.iscoroutinefunction(attribute):
            return lambda *args, **kwargs: self._loop.run(attribute(*args, **kwargs))
        return attribute


class _Paginator:
    def __init__(self, paginator: Any, loop: LoopThread) -> None:
        self._paginator = paginator
        self._loop = loop

    def paginate(self, **kwargs: Any) -> _Pages:
        return _Pages(self._paginator.paginate(**kwargs), self._loop)


class _Pages:
    def __init__(self, pages: Any, loop: LoopThread) -> None:
        self._pages = pages
        self._loop = loop

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pages, name)  # resume_token, non_aggregate_part

    def __iter__(self) -> Iterator[Any]:
        return iter(self._loop.run(_collect(self._pages)))

    def items(self) -> Iterator[Any]:
        return iter(self._loop.run(_collect(self._pages.items())))

    def search(self, expression: str) -> Iterator[Any]:
        return iter(self._loop.run(_collect(self._pages.search(expression))))

    def build_full_result(self) -> dict[str, Any]:
        result: dict[str, Any] = self._loop.run(self._pages.build_full_result())
        return result


class _Waiter:
    def __init__(self, waiter: Any, loop: LoopThread) -> None:
        self._waiter = waiter
        self._loop = loop

    def wait(self, **kwargs: Any) -> None:
        self._loop.run(self._waiter.wait(**kwargs))


async def _collect(iterable: Any) -> list[Any]:
    return [item async for item in iterable]
