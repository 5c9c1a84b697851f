"""Endpoint discovery, as ``botocore/discovery.py`` does it.

A service with an endpoint operation (``endpointoperation: true``, named
DescribeEndpoints: dynamodb, timestream-query, timestream-write) may send an
operation marked ``endpointdiscovery`` to an address that operation hands
out, instead of the endpoint from the rules.

Whether a client discovers (botocore's ``_register_endpoint_discovery``):

* never with an explicit ``endpoint_url``, nor for a service without an
  endpoint operation (nothing is built: :func:`create` returns None);
* the setting is the client's ``endpoint_discovery_enabled`` or else
  ``AWS_ENDPOINT_DISCOVERY_ENABLED`` (``true``, ``false`` or ``auto``, any
  case; anything else is an error), ``auto`` when neither is set;
* ``auto``: only operations that require discovery (``required: true``)
  discover, and only in a service that has such operations (timestream);
  dynamodb's optional discovery stays off;
* ``true``: every operation with the trait discovers;
* ``false``: an operation that requires discovery raises
  :class:`EndpointDiscoveryRequired`.

Discovering (``EndpointDiscoveryManager.describe_endpoint``): the endpoint
operation is called through the same client (retries, signing and errors
included), with ``Operation`` and ``Identifiers`` (the input's
``endpointdiscoveryid`` members) when the model has such members and the
call has identifiers. The endpoints are cached per those arguments for
``CachePeriodInMinutes``; the first one's ``Address`` (``https://`` unless it
names a scheme) is where the call goes. A discovery that fails on the
network is not tried again for 60 seconds: expired endpoints are used if
there are any, else an operation that requires discovery tries once more and
raises :class:`EndpointDiscoveryRefreshFailed`, an optional one goes to the
endpoint from the rules. An error response of the endpoint operation itself
is raised, as botocore does.

A response with status 421 or code ``InvalidEndpointException`` drops the
cached endpoints and the call is sent again to a freshly discovered one.

Deliberate differences from botocore, each harmless or a bug a user would hit:

* botocore sends again after every such response, without limit (its
  discovery handler answers ``needs-retry`` after the retry handler gave up);
  a service that keeps answering 421 would loop forever. Here the call is
  sent again once; a second such response drops the endpoints again (the
  next call discovers) and is raised.
* That second sending is a new ``_send``: a new invocation id and attempt
  count (botocore keeps both); the retry quota is not charged, as in botocore.
* botocore replaces the whole URL with the address, dropping the
  operation's path and query string; every discovery operation is awsJson
  (``POST /``), where both give the same request line. The path and query
  are kept here (joined as the endpoint's path is), the host prefix is not.
* A missing identifier member is a ``KeyError`` in botocore; here it is
  left out of the identifiers.
* The asynchronous client's tasks do not wait for one another's discovery
  (an event loop must not block on a lock): calls that start together may
  each discover, as botocore's threads do. The blocking client's threads
  discover once.
* ``EndpointDiscoveryRequired`` is raised after parameter validation
  (botocore: before), so an invalid call reports its parameters first.
* The shared config file's ``endpoint_discovery_enabled`` is not read:
  reading it means loading botocore's session on the first dynamodb call.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Generator, Mapping
from typing import TYPE_CHECKING, Any

from typed_aws_runtime.errors import (
    EndpointDiscoveryRefreshFailed,
    EndpointDiscoveryRequired,
    InvalidEndpointDiscoveryConfigurationError,
    ServiceError,
)
from typed_aws_runtime.schema import Operation, ServiceSchema, StructureShape

if TYPE_CHECKING:
    from typed_aws_runtime.protocols.base import SerializedRequest
    from typed_aws_runtime.transport import HttpRequest, HttpResponse

__all__ = ["ENVIRONMENT_VARIABLE", "EndpointDiscovery", "create", "setting"]

ENVIRONMENT_VARIABLE = "AWS_ENDPOINT_DISCOVERY_ENABLED"
# How long a failed discovery (a network error) is not tried again.
_FAILURE_BACKOFF = 60.0
_Endpoints = tuple[tuple[str, float], ...]  # (address, expiry) in the answer's order
_Key = tuple[Any, ...]
# Both are the client's I/O-free steps (client.ClientCore._steps): they yield
# requests to send and delays to sleep; a call through the endpoint operation
# returns its typed output, a sending returns the response.
_Steps = Generator["HttpRequest | float", "HttpResponse", Any]
Describe = Callable[[Mapping[str, Any] | None], _Steps]
Send = Callable[[str], Generator["HttpRequest | float", "HttpResponse", "HttpResponse"]]


def setting(value: bool | None) -> bool | str:
    """The client's setting, else the environment's: True, False or "auto"."""
    if value is not None:
        return value
    raw = os.environ.get(ENVIRONMENT_VARIABLE)
    if raw is None:
        return "auto"
    text = raw.lower().strip()
    if text == "auto":
        return text
    if text in ("true", "false"):
        return text == "true"
    raise InvalidEndpointDiscoveryConfigurationError(raw)


def create(
    schema: ServiceSchema,
    enabled: bool | None,
    describe: Describe,
    is_network_error: Callable[[BaseException], bool],
    *,
    single_flight: bool = True,
) -> EndpointDiscovery | None:
    """What a client without an explicit ``endpoint_url`` does with operations
    that have the ``endpointdiscovery`` trait; None when it sends them as any
    other (no endpoint operation, or nothing to discover nor to refuse)."""
    operation, required = schema.endpoint_discovery()
    if operation is None:
        return None
    mode = setting(enabled)
    if mode == "auto":
        if not required:
            return None
        return EndpointDiscovery(
            schema,
            operation,
            describe,
            is_network_error,
            always=False,
            single_flight=single_flight,
        )
    if mode:
        return EndpointDiscovery(
            schema,
            operation,
            describe,
            is_network_error,
            always=True,
            single_flight=single_flight,
        )
    if not required:
        return None
    return EndpointDiscovery(
        schema, operation, describe, is_network_error, always=False, refuse=True
    )


class EndpointDiscovery:
    """One client's discovered endpoints, shared by its threads."""

    def __init__(
        self,
        schema: ServiceSchema,
        operation: str,
        describe: Describe,
        is_network_error: Callable[[BaseException], bool],
        *,
        always: bool,
        refuse: bool = False,
        single_flight: bool = True,
    ) -> None:
        self._schema = schema
        self._operation = operation
        self._describe = describe
        self._is_network_error = is_network_error
        self._always = always
        self._refuse = refuse
        # Seconds, for expiry only: a monotonic clock (tests replace it).
        self.now: Callable[[], float] = time.monotonic
        self._cache: dict[_Key, _Endpoints] = {}
        self._failed: dict[_Key, float] = {}
        self._lock = threading.Lock()
        # Held across a discovery, so that threads starting together discover
        # once; none for an event loop's tasks (see the module's docstring).
        self._flight: contextlib.AbstractContextManager[Any] = (
            self._lock if single_flight else contextlib.nullcontext()
        )
        self._single_flight = single_flight
        # The discoveries in progress on an event loop, by key (see Flight).
        self._flights: dict[_Key, Flight] = {}
        self._has_ids: dict[str, bool] = {}
        self._input_keys: frozenset[str] | None = None

    # -- the call ------------------------------------------------------------------

    def send(
        self,
        op: Operation,
        params: Mapping[str, Any] | None,
        request: SerializedRequest,
        url: str,
        send: Send,
    ) -> Generator[HttpRequest | float, HttpResponse, HttpResponse]:
        """Send one call (``send(url)``) to its discovered endpoint, or to
        ``url`` (the rules' endpoint) when it does not discover."""
        required = bool((op.endpoint_discovery or {}).get("required"))
        if self._refuse:
            if required:
                raise EndpointDiscoveryRequired()
            return (yield from send(url))
        if not (self._always or required):
            return (yield from send(url))
        key, arguments = self._arguments(op, params)
        address = yield from self._address(key, arguments, required)
        if address is None:
            return (yield from send(url))
        try:
            return (yield from send(_join(address, request)))
        except ServiceError as error:
            if not _invalid_endpoint(error):
                raise
        self.forget(key)
        address = yield from self._address(key, arguments, required)
        if address is None:
            return (yield from send(url))
        try:
            return (yield from send(_join(address, request)))
        except ServiceError as error:
            if _invalid_endpoint(error):
                self.forget(key)  # the next call discovers again
            raise

    def forget(self, key: _Key) -> None:
        """Drop the endpoints cached for ``key`` (a discovery's arguments)."""
        with self._lock:
            self._cache.pop(key, None)

    # -- the endpoint --------------------------------------------------------------

    def _address(
        self, key: _Key, arguments: Mapping[str, Any], required: bool
    ) -> Generator[HttpRequest | float, HttpResponse, str | None]:
        cached = self._current(key)
        if cached is not None:
            return cached
        if not self._single_flight:
            # An event loop: tasks wait for the discovery in progress for
            # their key (yielding it; the driver awaits it), then use what
            # it found; one of them discovers again if it found nothing.
            while (flight := self._flights.get(key)) is not None:
                yield flight
                cached = self._current(key)
                if cached is not None:
                    return cached
            flight = self._flights[key] = Flight()
            try:
                return (yield from self._discover(key, arguments, required))
            finally:
                del self._flights[key]
                flight.land()
        with self._flight:
            # Another thread may have discovered while this one waited.
            cached = self._current(key)
            if cached is not None:
                return cached
            return (yield from self._discover(key, arguments, required))

    def _discover(
        self, key: _Key, arguments: Mapping[str, Any], required: bool
    ) -> Generator[HttpRequest | float, HttpResponse, str | None]:
        recently_failed = self._recently_failed(key)
        if not recently_failed:
            endpoints = yield from self._refresh(key, arguments)
            if endpoints:
                return endpoints[0][0]
        stale = self._cache.get(key)
        if stale:
            return stale[0][0]  # expired, but discovery is failing
        if required:
            if recently_failed:
                endpoints = yield from self._refresh(key, arguments)
                if endpoints:
                    return endpoints[0][0]
            raise EndpointDiscoveryRefreshFailed()
        return None

    def _current(self, key: _Key) -> str | None:
        endpoints = self._cache.get(key)
        if endpoints:
            now = self.now()
            for address, expiry in endpoints:
                if now < expiry:
                    return address
        return None

    def _recently_failed(self, key: _Key) -> bool:
        until = self._failed.get(key)
        if until is None:
            return False
        if self.now() < until:
            return True
        del self._failed[key]
        return False

    def _refresh(
        self, key: _Key, arguments: Mapping[str, Any]
    ) -> Generator[HttpRequest | float, HttpResponse, _Endpoints | None]:
        try:
            result = yield from self._describe(dict(arguments) or None)
        except Exception as exc:
            if not self._is_network_error(exc):
                raise
            self._failed[key] = self.now() + _FAILURE_BACKOFF
            return None
        endpoints = self._endpoints(result)
        self._cache[key] = endpoints
        self._failed.pop(key, None)
        return endpoints

    def _endpoints(self, result: Any) -> _Endpoints:
        """The (address, expiry) pairs of the endpoint operation's result."""
        output = self._schema.operation(self._operation).output
        assert output is not None
        listed = output.members["Endpoints"]
        item = getattr(listed.shape, "member", None)
        assert item is not None and isinstance(item.shape, StructureShape)
        address = item.shape.members["Address"].python
        period = item.shape.members["CachePeriodInMinutes"].python
        now = self.now()
        out = []
        for endpoint in getattr(result, listed.python, None) or ():
            name = getattr(endpoint, address)
            if not name.startswith("http"):
                name = f"https://{name}"
            out.append((name, now + (getattr(endpoint, period) or 0) * 60))
        return tuple(out)

    # -- the arguments ---------------------------------------------------------------

    def _arguments(
        self, op: Operation, params: Mapping[str, Any] | None
    ) -> tuple[_Key, dict[str, Any]]:
        """The cache key and the endpoint operation's parameters (botocore's
        ``_create_cache_key`` and ``discovery_operation_kwargs``)."""
        ids = self._identifiers(op, params)
        if not ids:
            return (), {}
        keys = self._input_keys
        if keys is None:
            describe = self._schema.operation(self._operation).input
            keys = frozenset(describe.members) if describe is not None else frozenset()
            self._input_keys = keys
        arguments = {
            k: v for k, v in (("Identifiers", ids), ("Operation", op.name)) if k in keys
        }
        key = tuple(
            tuple(sorted(v.items())) if isinstance(v, dict) else v
            for _, v in sorted(arguments.items())
        )
        return key, arguments

    def _identifiers(
        self, op: Operation, params: Mapping[str, Any] | None
    ) -> dict[str, Any]:
        shape = op.input
        if shape is None or not params:
            return {}
        has_ids = self._has_ids.get(op.name)
        if has_ids is None:
            has_ids = self._has_ids[op.name] = _has_identifiers(shape, set())
        ids: dict[str, Any] = {}
        if has_ids:
            _gather(shape, params, ids)
        return ids


class Flight(float):
    """A discovery in progress on an event loop, yielded by the steps of
    the tasks that wait for it: a zero delay to a driver that only sleeps,
    ``await flight.wait()`` to the asynchronous one
    (:class:`~typed_aws_runtime.aio.AsyncBaseClient`), until the discovering
    task has its endpoints or has failed (or been cancelled)."""

    _waiters: list[Any]

    def __new__(cls) -> Flight:
        flight = super().__new__(cls, 0.0)
        flight._waiters = []
        return flight

    async def wait(self) -> None:
        import asyncio

        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        await waiter

    def land(self) -> None:
        """The discovery has ended: every waiting task goes on."""
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)


def _invalid_endpoint(error: ServiceError) -> bool:
    return error.status_code == 421 or error.code == "InvalidEndpointException"


def _has_identifiers(shape: StructureShape, seen: set[str]) -> bool:
    seen.add(shape.name)
    for member in shape.members.values():
        if member.endpoint_discovery_id:
            return True
        inner = member.shape
        if isinstance(inner, StructureShape) and inner.name not in seen:
            if _has_identifiers(inner, seen):
                return True
    return False


def _gather(shape: StructureShape, value: Any, ids: dict[str, Any]) -> None:
    """botocore's ``_gather_ids``: identifier members, through nested
    structures, by member name. ``value`` is the call's parameters (wire
    names) or a structure given as an object (Python names) or a dict."""
    for wire, member in shape.members.items():
        if isinstance(value, Mapping):
            item = value.get(wire)
        else:
            item = getattr(value, member.python, None)
        if item is None:
            continue
        if member.endpoint_discovery_id:
            ids[wire] = item
        elif isinstance(member.shape, StructureShape):
            _gather(member.shape, item, ids)


def _join(address: str, request: SerializedRequest) -> str:
    """The discovered address, with the operation's path joined as the
    client joins it to an endpoint's, and its query string."""
    scheme, sep, rest = address.partition("://")
    host, slash, base = rest.partition("/")
    base = slash + base
    path = request.path
    if not path or path == "/":
        path = base or "/"
    elif base.endswith("/") and path.startswith("/"):
        path = base[:-1] + path
    else:
        path = base + path
    url = f"{scheme}{sep}{host}{path}"
    return f"{url}?{request.query}" if request.query else url
