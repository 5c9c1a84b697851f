"""test_faults.py's retry scenarios on the asynchronous client.

The scenarios are imported from ``test_faults`` and collected here again,
with ``ours`` building ``AsyncLocationClient`` (aiohttp, ``await``ed sleeps
recorded): the same faults, the same attempts, headers, delays, signatures
and final errors as botocore's.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from generated.location import AsyncLocationClient
from tests.e2e.async_support import Blocking, LoopThread
from tests.e2e.support import ACCESS_KEY, REGION, SECRET_KEY, ScriptedAwsServer
from tests.e2e.test_faults import (  # noqa: F401 - fixtures and scenarios
    _jitter_is_one,
    botocore_sleeps,
    test_backoff_is_capped_at_20_seconds,
    test_client_errors_are_not_retried,
    test_default_is_three_attempts,
    test_each_attempt_is_signed_again_with_the_clock,
    test_fault_is_retried_like_botocore,
    test_recovers_after_transient_failures,
    test_retry_headers_are_sent_but_not_signed,
)


class AsyncOurs:
    """``AsyncLocationClient`` behind blocking calls, its sleeps recorded."""

    def __init__(self, server: ScriptedAwsServer, loop: LoopThread, **options: Any):
        self.inner = AsyncLocationClient(
            endpoint_url=server.endpoint_url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            **options,
        )
        self.slept: list[float] = []

        async def sleep(seconds: float) -> None:
            self.slept.append(seconds)

        self.inner._codegen_sleep = sleep
        self.client = Blocking(self.inner, loop)


@pytest.fixture(scope="module")
def loop() -> Iterator[LoopThread]:
    thread = LoopThread()
    yield thread
    thread.stop()


@pytest.fixture
def ours(aws_server: ScriptedAwsServer, loop: LoopThread) -> Iterator[Any]:
    made: list[AsyncOurs] = []

    def make(**options: Any) -> AsyncOurs:
        made.append(AsyncOurs(aws_server, loop, **options))
        return made[-1]

    yield make
    for o in made:
        loop.run(o.inner.close())
