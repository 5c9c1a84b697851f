"""Endpoint discovery against botocore's (``botocore/discovery.py``).

A client generated from botocore's timestream-query model and botocore's own
client each get a canned transport (ours an in-memory one, botocore's a
``before-send`` handler) answering DescribeEndpoints with an address and the
operation with what the scenario says. The two must send the same requests,
in the same order: the host, path, headers (less signature, date, user agent
and invocation headers) and body of each. Scenarios: discovery on the first
call, the cache on the second, rediscovery after ``InvalidEndpointException``
or a 421, an explicit ``endpoint_url``, discovery turned off (by argument and
by ``AWS_ENDPOINT_DISCOVERY_ENABLED``), dynamodb's optional discovery in
``auto`` and when turned on, a failing DescribeEndpoints, and identifiers
(``endpointdiscoveryid``: no AWS model has one, so a copy of the
timestream-query model with an operation that has some, loaded by both).

Ours alone: expiry after ``CachePeriodInMinutes``, one DescribeEndpoints for
many threads starting together, a second invalid-endpoint answer is raised.
"""

from __future__ import annotations

import copy
import io
import json
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import botocore.discovery
import botocore.exceptions
import botocore.session
import pytest
from botocore.awsrequest import AWSResponse, HeadersDict
from botocore.config import Config

from typed_aws_runtime import schema
from typed_aws_runtime.errors import (
    EndpointDiscoveryRefreshFailed,
    EndpointDiscoveryRequired,
    InvalidEndpointDiscoveryConfigurationError,
    ServiceError,
)
from typed_aws_runtime.http import EndpointConnectionError
from typed_aws_runtime.transport import HttpRequest, HttpResponse

from . import support

IGNORED_HEADERS = frozenset(
    {
        "authorization",
        "x-amz-date",
        "x-amz-security-token",
        "user-agent",
        "amz-sdk-invocation-id",
        "amz-sdk-request",
        "content-length",
    }
)
ENDPOINTS = {
    "Endpoints": [{"Address": "cell-1.example.com", "CachePeriodInMinutes": 5}]
}
SECOND = {"Endpoints": [{"Address": "cell-2.example.com", "CachePeriodInMinutes": 5}]}
INVALID = (421, {"__type": "InvalidEndpointException", "Message": "moved"})
ACCOUNT = {"MaxQueryTCU": 4, "QueryPricingModel": "COMPUTE_UNITS"}

# A scripted answer: (status, JSON body), or an exception to raise.
Answer = tuple[int, dict[str, Any]] | BaseException


@dataclass
class Sent:
    """One request as sent, in the form both sides are compared in."""

    operation: str
    host: str
    path: str
    headers: dict[str, str]
    body: Any


def _sent(url: str, headers: Any, body: bytes | str | None) -> Sent:
    plain = {
        k.lower(): v.decode() if isinstance(v, bytes) else str(v)
        for k, v in headers.items()
    }
    raw = body.encode() if isinstance(body, str) else (body or b"")
    parts = urlsplit(url)
    return Sent(
        operation=plain.get("x-amz-target", "").rpartition(".")[2],
        host=parts.netloc,
        path=parts.path or "/",
        headers={k: v for k, v in plain.items() if k not in IGNORED_HEADERS},
        body=json.loads(raw) if raw else None,
    )


@dataclass
class Script:
    """Answers by operation: each call takes the next answer of its list
    (the last one stays)."""

    answers: dict[str, list[Answer]]
    sent: list[Sent] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, sent: Sent) -> Answer:
        with self.lock:
            self.sent.append(sent)
            queue = self.answers[sent.operation]
            return queue.pop(0) if len(queue) > 1 else queue[0]


class OurTransport:
    def __init__(self, script: Script, delay: float = 0.0) -> None:
        self.script = script
        self.delay = delay

    def send(self, request: HttpRequest) -> HttpResponse:
        body = request.body if isinstance(request.body, bytes) else b""
        answer = self.script.answer(_sent(request.url, request.headers, body))
        if self.delay:
            time.sleep(self.delay)
        if isinstance(answer, BaseException):
            raise answer
        status, payload = answer
        return HttpResponse(
            status,
            {"x-amzn-RequestId": "rid", "Content-Type": "application/x-amz-json-1.0"},
            json.dumps(payload).encode(),
        )


class _Raw(io.BytesIO):
    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.getvalue()


class BotocoreHandler:
    def __init__(self, script: Script) -> None:
        self.script = script

    def __call__(self, request: Any, **_: Any) -> AWSResponse:
        answer = self.script.answer(_sent(request.url, request.headers, request.body))
        if isinstance(answer, BaseException):
            raise botocore.exceptions.EndpointConnectionError(endpoint_url=request.url)
        status, payload = answer
        headers = HeadersDict(
            {"x-amzn-RequestId": "rid", "Content-Type": "application/x-amz-json-1.0"}
        )
        return AWSResponse(
            request.url, status, headers, _Raw(json.dumps(payload).encode())
        )


# -- the two clients -----------------------------------------------------------------


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_DISCOVERY_ENABLED", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.delenv("AWS_RETRY_MODE", raising=False)
    monkeypatch.delenv("AWS_MAX_ATTEMPTS", raising=False)


def _model(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    loader = botocore.session.get_session().get_component("data_loader")
    return (
        loader.load_service_model(name, "service-2"),
        loader.load_service_model(name, "endpoint-rule-set-1"),
    )


def _with_identifiers() -> dict[str, Any]:
    """timestream-query with identifiers: DescribeEndpoints takes Operation
    and Identifiers, and an operation GetThing has two identifier members,
    one nested."""
    model, _ = _model("timestream-query")
    model = copy.deepcopy(model)
    shapes = model["shapes"]
    shapes["DescribeEndpointsRequest"]["members"] = {
        "Operation": {"shape": "String"},
        "Identifiers": {"shape": "DiscoveryIds"},
    }
    shapes["DiscoveryIds"] = {
        "type": "map",
        "key": {"shape": "String"},
        "value": {"shape": "String"},
    }
    shapes["GetThingRequest"] = {
        "type": "structure",
        "required": ["ThingId"],
        "members": {
            "ThingId": {"shape": "String", "endpointdiscoveryid": True},
            "Where": {"shape": "ThingPlace"},
            "Note": {"shape": "String"},
        },
    }
    shapes["ThingPlace"] = {
        "type": "structure",
        "members": {
            "CellId": {"shape": "String", "endpointdiscoveryid": True},
            "Floor": {"shape": "String"},
        },
    }
    shapes["GetThingResponse"] = {"type": "structure", "members": {}}
    model["operations"]["GetThing"] = {
        "name": "GetThing",
        "http": {"method": "POST", "requestUri": "/"},
        "input": {"shape": "GetThingRequest"},
        "output": {"shape": "GetThingResponse"},
        "endpointdiscovery": {"required": True},
    }
    return model


_DATA: list[Path] = []


def _data_dir() -> Path:
    """The identifiers model, as a botocore data directory."""
    if not _DATA:
        path = Path(tempfile.mkdtemp(prefix="codegen-discovery-"))
        import atexit

        atexit.register(shutil.rmtree, path, True)
        _, rules = _model("timestream-query")
        target = path / "timestream-query" / "2018-11-01"
        target.mkdir(parents=True)
        (target / "service-2.json").write_text(json.dumps(_with_identifiers()))
        (target / "endpoint-rule-set-1.json").write_text(json.dumps(rules))
        _DATA.append(path)
    return _DATA[0]


@dataclass
class Pair:
    ours: Any
    boto: Any
    ours_script: Script
    boto_script: Script


def _pair(
    name: str,
    answers: dict[str, list[Answer]],
    *,
    identifiers: bool = False,
    ours_kwargs: dict[str, Any] | None = None,
    boto_config: dict[str, Any] | None = None,
    delay: float = 0.0,
) -> Pair:
    session = botocore.session.get_session()
    if identifiers:
        model = _with_identifiers()
        _, rules = _model(name)
        session.get_component("data_loader").search_paths.insert(0, str(_data_dir()))
    else:
        model, rules = _model(name)
    if name == "dynamodb":
        import generated.dynamodb as package
    else:
        package = support.generated(
            model, rules, prefix=f"discovery_{name.replace('-', '_')}"
        )
    ours_script = Script(copy.deepcopy(answers))
    boto_script = Script(copy.deepcopy(answers))
    extra = dict(ours_kwargs or {})
    ours = support.client_class(package)(
        region_name="us-east-1",
        aws_access_key_id="AK",
        aws_secret_access_key="SK",
        transport=OurTransport(ours_script, delay),
        max_attempts=1,
        **extra,
    )
    config = {"retries": {"total_max_attempts": 1, "mode": "standard"}}
    config.update(boto_config or {})
    boto = session.create_client(
        name,
        region_name="us-east-1",
        aws_access_key_id="AK",
        aws_secret_access_key="SK",
        endpoint_url=extra.get("endpoint_url"),
        config=Config(**config),
    )
    boto.meta.events.register("before-send", BotocoreHandler(boto_script))
    return Pair(ours, boto, ours_script, boto_script)


def _both(
    pair: Pair,
    ours: Callable[[Any], Any],
    theirs: Callable[[Any], Any],
) -> tuple[Any, Any]:
    """Run one call on each side; returns each side's result or exception."""
    results = []
    for call, client in ((ours, pair.ours), (theirs, pair.boto)):
        try:
            results.append(call(client))
        except Exception as exc:  # noqa: BLE001 - compared by the caller
            results.append(exc)
    return results[0], results[1]


def _hosts(script: Script) -> list[tuple[str, str]]:
    return [(s.operation, s.host) for s in script.sent]


def _assert_same_requests(pair: Pair) -> None:
    assert len(pair.ours_script.sent) == len(pair.boto_script.sent), (
        _hosts(pair.ours_script),
        _hosts(pair.boto_script),
    )
    for mine, theirs in zip(pair.ours_script.sent, pair.boto_script.sent, strict=True):
        assert mine == theirs


def _account(client: Any) -> Any:
    return client.describe_account_settings()


def _boto_account(client: Any) -> Any:
    return client.describe_account_settings()


# -- against botocore ----------------------------------------------------------------


def test_discovers_then_caches() -> None:
    pair = _pair(
        "timestream-query",
        {
            "DescribeEndpoints": [(200, ENDPOINTS)],
            "DescribeAccountSettings": [(200, ACCOUNT)],
        },
    )
    for _ in range(2):
        ours, theirs = _both(pair, _account, _boto_account)
        assert ours.max_query_tcu == theirs["MaxQueryTCU"] == 4
    _assert_same_requests(pair)
    assert _hosts(pair.ours_script) == [
        ("DescribeEndpoints", "query.timestream.us-east-1.amazonaws.com"),
        ("DescribeAccountSettings", "cell-1.example.com"),
        ("DescribeAccountSettings", "cell-1.example.com"),
    ]
    # DescribeEndpoints names the API version, as botocore's handler adds it.
    assert pair.ours_script.sent[0].headers["x-amz-api-version"] == "2018-11-01"


@pytest.mark.parametrize(
    "invalid",
    [
        INVALID,
        (421, {"__type": "SomethingElse", "Message": "m"}),
        (400, {"__type": "InvalidEndpointException", "Message": "m"}),
    ],
    ids=["421-InvalidEndpointException", "421", "InvalidEndpointException"],
)
def test_rediscovers_after_an_invalid_endpoint(invalid: Answer) -> None:
    pair = _pair(
        "timestream-query",
        {
            "DescribeEndpoints": [(200, ENDPOINTS), (200, SECOND)],
            "DescribeAccountSettings": [invalid, (200, ACCOUNT)],
        },
    )
    ours, theirs = _both(pair, _account, _boto_account)
    assert ours.max_query_tcu == theirs["MaxQueryTCU"] == 4
    _assert_same_requests(pair)
    assert _hosts(pair.ours_script) == [
        ("DescribeEndpoints", "query.timestream.us-east-1.amazonaws.com"),
        ("DescribeAccountSettings", "cell-1.example.com"),
        ("DescribeEndpoints", "query.timestream.us-east-1.amazonaws.com"),
        ("DescribeAccountSettings", "cell-2.example.com"),
    ]


def test_other_errors_keep_the_endpoint() -> None:
    pair = _pair(
        "timestream-query",
        {
            "DescribeEndpoints": [(200, ENDPOINTS)],
            "DescribeAccountSettings": [
                (400, {"__type": "ValidationException", "Message": "no"}),
                (200, ACCOUNT),
            ],
        },
    )
    first, _ = _both(pair, _account, _boto_account)
    assert isinstance(first, ServiceError) and first.code == "ValidationException"
    second, _ = _both(pair, _account, _boto_account)
    assert second.max_query_tcu == 4
    _assert_same_requests(pair)
    assert [op for op, _ in _hosts(pair.ours_script)].count("DescribeEndpoints") == 1


def test_explicit_endpoint_url_disables_discovery() -> None:
    pair = _pair(
        "timestream-query",
        {
            "DescribeEndpoints": [(200, ENDPOINTS)],
            "DescribeAccountSettings": [(200, ACCOUNT)],
        },
        ours_kwargs={"endpoint_url": "http://127.0.0.1:9"},
    )
    _both(pair, _account, _boto_account)
    _assert_same_requests(pair)
    assert _hosts(pair.ours_script) == [("DescribeAccountSettings", "127.0.0.1:9")]


def test_turned_off_refuses_operations_that_require_it() -> None:
    pair = _pair(
        "timestream-query",
        {
            "DescribeEndpoints": [(200, ENDPOINTS)],
            "DescribeAccountSettings": [(200, ACCOUNT)],
        },
        ours_kwargs={"endpoint_discovery_enabled": False},
        boto_config={"endpoint_discovery_enabled": False},
    )
    ours, theirs = _both(pair, _account, _boto_account)
    assert isinstance(ours, EndpointDiscoveryRequired)
    assert isinstance(theirs, botocore.discovery.EndpointDiscoveryRequired)
    assert pair.ours_script.sent == pair.boto_script.sent == []
    # The endpoint operation itself needs no discovery.
    ours, theirs = _both(
        pair, lambda c: c.describe_endpoints(), lambda c: c.describe_endpoints()
    )
    assert ours.endpoints[0].address == theirs["Endpoints"][0]["Address"]
    _assert_same_requests(pair)


@pytest.mark.parametrize(
    ("value", "discovers"),
    [("false", False), (" FALSE ", False), ("true", True), ("Auto", True)],
)
def test_environment_variable(
    monkeypatch: pytest.MonkeyPatch, value: str, discovers: bool
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_DISCOVERY_ENABLED", value)
    pair = _pair(
        "timestream-query",
        {
            "DescribeEndpoints": [(200, ENDPOINTS)],
            "DescribeAccountSettings": [(200, ACCOUNT)],
        },
    )
    ours, theirs = _both(pair, _account, _boto_account)
    if discovers:
        assert ours.max_query_tcu == 4
        _assert_same_requests(pair)
        assert len(pair.ours_script.sent) == 2
    else:
        assert isinstance(ours, EndpointDiscoveryRequired)
        assert isinstance(theirs, botocore.discovery.EndpointDiscoveryRequired)


def test_invalid_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_DISCOVERY_ENABLED", "yes")
    with pytest.raises(botocore.exceptions.InvalidEndpointDiscoveryConfigurationError):
        _pair("timestream-query", {})
    monkeypatch.delenv("AWS_ENDPOINT_DISCOVERY_ENABLED")
    pair = _pair("timestream-query", {"DescribeAccountSettings": [(200, ACCOUNT)]})
    monkeypatch.setenv("AWS_ENDPOINT_DISCOVERY_ENABLED", "yes")
    with pytest.raises(InvalidEndpointDiscoveryConfigurationError):
        _account(pair.ours)


DYNAMO_ENDPOINTS = {
    "Endpoints": [{"Address": "dynamo-cell.example.com", "CachePeriodInMinutes": 1440}]
}


@pytest.mark.parametrize("enabled", [None, False, True])
def test_dynamodb_optional_discovery(enabled: bool | None) -> None:
    pair = _pair(
        "dynamodb",
        {"DescribeEndpoints": [(200, DYNAMO_ENDPOINTS)], "ListTables": [(200, {})]},
        ours_kwargs={"endpoint_discovery_enabled": enabled},
        boto_config={"endpoint_discovery_enabled": enabled},
    )
    for _ in range(2):
        _both(pair, lambda c: c.list_tables(limit=3), lambda c: c.list_tables(Limit=3))
    _assert_same_requests(pair)
    hosts = _hosts(pair.ours_script)
    if enabled:
        assert hosts == [
            ("DescribeEndpoints", "dynamodb.us-east-1.amazonaws.com"),
            ("ListTables", "dynamo-cell.example.com"),
            ("ListTables", "dynamo-cell.example.com"),
        ]
    else:
        assert hosts == [("ListTables", "dynamodb.us-east-1.amazonaws.com")] * 2


def test_failing_discovery_of_an_optional_operation_uses_the_default() -> None:
    pair = _pair(
        "dynamodb",
        {
            "DescribeEndpoints": [EndpointConnectionError("http://x")],
            "ListTables": [(200, {})],
        },
        ours_kwargs={"endpoint_discovery_enabled": True},
        boto_config={"endpoint_discovery_enabled": True},
    )
    for _ in range(2):  # the second within the minute: no new discovery
        _both(pair, lambda c: c.list_tables(), lambda c: c.list_tables())
    _assert_same_requests(pair)
    assert _hosts(pair.ours_script) == [
        ("DescribeEndpoints", "dynamodb.us-east-1.amazonaws.com"),
        ("ListTables", "dynamodb.us-east-1.amazonaws.com"),
        ("ListTables", "dynamodb.us-east-1.amazonaws.com"),
    ]


def test_failing_discovery_of_a_required_operation_raises() -> None:
    pair = _pair(
        "timestream-query",
        {
            "DescribeEndpoints": [EndpointConnectionError("http://x")],
            "DescribeAccountSettings": [(200, ACCOUNT)],
        },
    )
    for _ in range(2):  # the second tries again, having failed recently
        ours, theirs = _both(pair, _account, _boto_account)
        assert isinstance(ours, EndpointDiscoveryRefreshFailed)
        assert isinstance(theirs, botocore.discovery.EndpointDiscoveryRefreshFailed)
    _assert_same_requests(pair)
    assert [op for op, _ in _hosts(pair.ours_script)] == ["DescribeEndpoints"] * 2


def test_an_error_of_the_endpoint_operation_is_raised() -> None:
    denied = (400, {"__type": "AccessDeniedException", "Message": "no"})
    pair = _pair(
        "timestream-query",
        {"DescribeEndpoints": [denied], "DescribeAccountSettings": [(200, ACCOUNT)]},
    )
    ours, theirs = _both(pair, _account, _boto_account)
    assert isinstance(ours, ServiceError) and ours.code == "AccessDeniedException"
    assert theirs.response["Error"]["Code"] == "AccessDeniedException"
    _assert_same_requests(pair)


def test_identifiers_go_to_the_endpoint_operation_and_key_the_cache() -> None:
    pair = _pair(
        "timestream-query",
        {
            "DescribeEndpoints": [(200, ENDPOINTS), (200, SECOND)],
            "GetThing": [(200, {})],
            "DescribeAccountSettings": [(200, ACCOUNT)],
        },
        identifiers=True,
    )
    package = type(pair.ours).__module__.rpartition(".")[0]
    place = schema.load(package).structure("ThingPlace").cls
    assert place is not None
    calls: list[tuple[Callable[[Any], Any], Callable[[Any], Any]]] = [
        (
            lambda c: c.get_thing(thing_id="t1", where=place(cell_id="c9", floor="2")),
            lambda c: c.get_thing(ThingId="t1", Where={"CellId": "c9", "Floor": "2"}),
        ),
        # Same identifiers, another value: the cache answers.
        (
            lambda c: c.get_thing(thing_id="t1", where=place(cell_id="c9"), note="n"),
            lambda c: c.get_thing(ThingId="t1", Where={"CellId": "c9"}, Note="n"),
        ),
        # Other identifiers: discovered anew.
        (lambda c: c.get_thing(thing_id="t2"), lambda c: c.get_thing(ThingId="t2")),
        # No identifiers: Operation and Identifiers are left out.
        (_account, _boto_account),
    ]
    for ours_call, boto_call in calls:
        ours, theirs = _both(pair, ours_call, boto_call)
        assert not isinstance(ours, Exception), ours
        assert not isinstance(theirs, Exception), theirs
    _assert_same_requests(pair)
    described = [
        s.body for s in pair.ours_script.sent if s.operation == "DescribeEndpoints"
    ]
    assert described == [
        {"Operation": "GetThing", "Identifiers": {"ThingId": "t1", "CellId": "c9"}},
        {"Operation": "GetThing", "Identifiers": {"ThingId": "t2"}},
        {},
    ]


# -- ours alone -----------------------------------------------------------------------


def _ours(
    answers: dict[str, list[Answer]], delay: float = 0.0, **kwargs: Any
) -> tuple[Any, Script]:
    model, rules = _model("timestream-query")
    package = support.generated(model, rules, prefix="discovery_timestream_query")
    script = Script(copy.deepcopy(answers))
    client = support.client_class(package)(
        region_name="us-east-1",
        aws_access_key_id="AK",
        aws_secret_access_key="SK",
        transport=OurTransport(script, delay),
        max_attempts=1,
        **kwargs,
    )
    return client, script


def test_endpoints_expire_after_their_cache_period() -> None:
    short = {
        "Endpoints": [{"Address": "cell-1.example.com", "CachePeriodInMinutes": 1}]
    }
    client, script = _ours(
        {
            "DescribeEndpoints": [(200, short)],
            "DescribeAccountSettings": [(200, ACCOUNT)],
        }
    )
    now = [1000.0]
    client.describe_account_settings()
    discovery = client._state.discovery
    discovery.now = lambda: now[0]
    discovery.forget(())
    client.describe_account_settings()  # discovered at t=1000, valid until 1060
    now[0] = 1059.0
    client.describe_account_settings()
    now[0] = 1060.0
    client.describe_account_settings()
    ops = [op for op, _ in _hosts(script)]
    assert ops == [
        "DescribeEndpoints",
        "DescribeAccountSettings",
        "DescribeEndpoints",
        "DescribeAccountSettings",
        "DescribeAccountSettings",
        "DescribeEndpoints",
        "DescribeAccountSettings",
    ]


def test_threads_starting_together_discover_once() -> None:
    client, script = _ours(
        {
            "DescribeEndpoints": [(200, ENDPOINTS)],
            "DescribeAccountSettings": [(200, ACCOUNT)],
        },
        delay=0.01,
    )
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            barrier.wait()
            for _ in range(5):
                client.describe_account_settings()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    ops = [op for op, _ in _hosts(script)]
    assert ops.count("DescribeEndpoints") == 1
    assert ops.count("DescribeAccountSettings") == 40
    assert {host for op, host in _hosts(script) if op != "DescribeEndpoints"} == {
        "cell-1.example.com"
    }


class _OurAsyncTransport(OurTransport):
    async def send(self, request: HttpRequest) -> HttpResponse:  # type: ignore[override]
        import asyncio

        if self.delay:
            await asyncio.sleep(self.delay)  # every task's request in flight
        return super().send(request)


def test_tasks_starting_together_discover_once() -> None:
    # An event loop: the tasks wait (await, no lock) for the one discovery
    # of their key, then all use what it found.
    import asyncio

    model, rules = _model("timestream-query")
    package = support.generated(model, rules, prefix="discovery_timestream_query")
    script = Script(
        {
            "DescribeEndpoints": [(200, ENDPOINTS)],
            "DescribeAccountSettings": [(200, ACCOUNT)],
        }
    )
    client = package.AsyncTimestreamQueryClient(
        region_name="us-east-1",
        aws_access_key_id="AK",
        aws_secret_access_key="SK",
        transport=_OurAsyncTransport(script, 0.02),
        max_attempts=1,
    )

    async def main() -> None:
        async def work() -> None:
            for _ in range(3):
                await client.describe_account_settings()

        await asyncio.gather(*(work() for _ in range(8)))

    asyncio.run(main())
    ops = _hosts(script)
    assert [op for op, _ in ops].count("DescribeEndpoints") == 1
    assert [op for op, _ in ops].count("DescribeAccountSettings") == 24
    assert {host for op, host in ops if op != "DescribeEndpoints"} == {
        "cell-1.example.com"
    }


def test_a_second_invalid_endpoint_is_raised() -> None:
    client, script = _ours(
        {
            "DescribeEndpoints": [(200, ENDPOINTS), (200, SECOND)],
            "DescribeAccountSettings": [INVALID, INVALID, (200, ACCOUNT)],
        }
    )
    with pytest.raises(ServiceError) as raised:
        client.describe_account_settings()
    assert raised.value.code == "InvalidEndpointException"
    assert raised.value.status_code == 421
    assert [op for op, _ in _hosts(script)] == [
        "DescribeEndpoints",
        "DescribeAccountSettings",
        "DescribeEndpoints",
        "DescribeAccountSettings",
    ]
    # The next call discovers again (the bad endpoint was dropped) and succeeds.
    client.describe_account_settings()
    assert [op for op, _ in _hosts(script)][4:] == [
        "DescribeEndpoints",
        "DescribeAccountSettings",
    ]


def test_addresses_with_a_scheme_or_a_path() -> None:
    answer = {
        "Endpoints": [
            {"Address": "http://127.0.0.1:9/base", "CachePeriodInMinutes": 5},
            {"Address": "unused.example.com", "CachePeriodInMinutes": 5},
        ]
    }
    client, script = _ours(
        {
            "DescribeEndpoints": [(200, answer)],
            "DescribeAccountSettings": [(200, ACCOUNT)],
        }
    )
    client.describe_account_settings()
    assert (script.sent[-1].host, script.sent[-1].path) == ("127.0.0.1:9", "/base")
