"""The blocking client's moto scenarios, replayed on the asynchronous client.

Every scenario of ``test_moto_{sts,dynamodb,sqs,iot,route53,emr_serverless,
cloudwatch,s3}.py`` (query, json, rest-json, rest-xml) whose client comes from
its ``ours`` fixture runs here unchanged, with ``ours`` the package's
``Async<Name>Client`` behind :class:`tests.e2e.async_support.Blocking`
(each call awaited on an event loop, through aiohttp) and ``transport`` the
recording aiohttp transport: the same calls, the same assertions against
boto3 and moto.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest

from tests.e2e.async_support import AsyncRecordingTransport, Blocking, LoopThread
from tests.e2e.support import service_package

SERVICES = {
    "sts": "generated.sts",
    "dynamodb": "generated.dynamodb",
    "sqs": "generated.sqs",
    "iot": "generated.iot",
    "route53": None,  # as test_moto_route53: generated from botocore's model
    "emr_serverless": "generated.emr_serverless",
    "cloudwatch": "generated.cloudwatch",
    "s3": "generated.s3",
}
FIXTURES = {"ours", "boto", "transport", "client_options", "route53", "s3"}


def _scenarios() -> Iterator[Any]:
    for service in SERVICES:
        module = importlib.import_module(f"tests.e2e.test_moto_{service}")
        for name, function in vars(module).items():
            if not name.startswith("test_") or not callable(function):
                continue
            params = set(inspect.signature(function).parameters)
            if "ours" in params and params <= FIXTURES:
                yield pytest.param(service, function, id=f"{service}-{name[5:]}")


@pytest.fixture(scope="module")
def loop() -> Iterator[LoopThread]:
    thread = LoopThread()
    yield thread
    thread.stop()


def _package(service: str) -> ModuleType:
    name = SERVICES[service]
    if name is None:
        return service_package(service)
    return importlib.import_module(name)


def _client_class(package: ModuleType) -> type[Any]:
    names = package.__all__[1:]
    assert len(names) == 1
    cls: type[Any] = getattr(package, names[0])
    return cls


@pytest.mark.parametrize(("service", "scenario"), list(_scenarios()))
def test_scenario_on_the_async_client(
    service: str,
    scenario: Callable[..., None],
    loop: LoopThread,
    client_options: dict[str, Any],
    boto3_client: Callable[[str], Any],
) -> None:
    package = _package(service)
    transport = AsyncRecordingTransport()
    client = _client_class(package)(transport=transport, **client_options)
    arguments = {
        "ours": Blocking(client, loop),
        "boto": boto3_client(service.replace("_", "-")),
        "transport": transport,
        "client_options": client_options,
        "route53": package,
        "s3": package,
    }
    wanted = inspect.signature(scenario).parameters
    try:
        scenario(**{name: arguments[name] for name in wanted})
    finally:
        loop.run(client.close())
        loop.run(transport.close())
    # Every call of the scenario went through aiohttp.
    assert transport.exchanges
