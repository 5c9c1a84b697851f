"""The base classes of every generated client: one call, end to end.

validate -> serialize -> resolve endpoint (+ host prefix) -> sign -> send ->
retry (botocore ``standard`` mode) -> parse into the typed output or raise
the typed error. Everything heavy (the schema, the endpoint rules, botocore
for credentials, urllib3) is loaded on the first call, not at construction,
so importing a package and building a client stays cheap.

The call itself does no I/O (:meth:`ClientCore._steps`): it is a generator
that yields what to do next, an :class:`~typed_aws_runtime.transport.HttpRequest`
to send (the response or the transport's exception goes back in with
``send``/``throw``) or a ``float``, seconds to sleep before the next
attempt, and returns the typed result. :class:`BaseClient` drives it with a
blocking transport and ``time.sleep``; ``AsyncBaseClient``
(``typed_aws_runtime.aio``) with ``await`` on an asynchronous transport and
``asyncio.sleep``. Serialization, endpoints, signing, retry decisions,
endpoint discovery and parsing are written once.
"""

from __future__ import annotations

import datetime
import os
import sys
import threading
import time
from collections.abc import Callable, Generator, Mapping, Sequence
from contextvars import ContextVar
from types import TracebackType
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    Generic,
    TypeAlias,
    TypeVar,
    overload,
)

from typed_aws_runtime import settings
from typed_aws_runtime.checksums import (
    CHECKSUM_NAME_HEADER,
    TRAILER_HASH_HEADER,
    apply_request_checksum,
    checksum_settings,
    default_validation_mode,
    validate_response,
)

if TYPE_CHECKING:
    from typed_aws_runtime import schema
    from typed_aws_runtime.credentials import CredentialProvider
    from typed_aws_runtime.customizations import Customizations
    from typed_aws_runtime.discovery import EndpointDiscovery
    from typed_aws_runtime.endpoints import EndpointResolver, ResolvedEndpoint
    from typed_aws_runtime.errors import ServiceError
    from typed_aws_runtime.protocols.base import ClientProtocol, SerializedRequest
    from typed_aws_runtime.s3config import S3Config
    from typed_aws_runtime.transport import HttpRequest, HttpResponse, Transport

_T = TypeVar("_T")
# The transport a client class sends through (blocking or asynchronous).
_Tr = TypeVar("_Tr")
# A call in progress (ClientCore._steps): yields a request to send or
# seconds to sleep, is sent each response, returns the typed result.
Steps: TypeAlias = "Generator[HttpRequest | float, HttpResponse, Any]"
# Endpoints kept per client for the operations whose endpoint depends on the
# call, one per distinct set of bound parameter values.
_PER_CALL_ENDPOINTS = 64
# Set by a waiter around its call: sees the HTTP response of a success
# (botocore's ResponseMetadata, for ``status`` acceptors).
RESPONSE_OBSERVER: ContextVar[Callable[[HttpResponse], None] | None] = ContextVar(
    "RESPONSE_OBSERVER", default=None
)
_USER_AGENT = "codegen-typed-aws/0.1 Python/{}.{}.{} {}".format(
    *sys.version_info[:3], sys.platform
)


def new_idempotency_token() -> str:
    """A fresh idempotency token, as botocore generates them (UUID4)."""
    return _uuid4()


def _uuid4() -> str:
    # str(uuid.uuid4()) builds a UUID object: three times slower, on every call.
    # Version nibble 4; the variant's top bits 10 over the random nibble's low two.
    h = os.urandom(16).hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:]}"


_VARIANT = {f"{n:x}": f"{0x8 | (n & 0x3):x}" for n in range(16)}


class ClientCore(Generic[_Tr]):
    """Configuration and the I/O-free call pipeline shared by the blocking
    and the asynchronous clients; ``_Tr`` is the transport they send with."""

    # The keys ``client_context_params`` takes, with their types ("boolean"
    # or "string"): a generated client of a model with clientContextParams
    # sets its own.
    _codegen_context_params: ClassVar[Mapping[str, str]] = {}

    def __init__(
        self,
        *,
        region_name: str | None = None,
        endpoint_url: str | None = None,
        aws_access_key_id: str | None = None,
        aws_secret_access_key: str | None = None,
        aws_session_token: str | None = None,
        profile_name: str | None = None,
        max_attempts: int | None = None,
        connect_timeout: float | None = None,
        read_timeout: float | None = None,
        parameter_validation: bool = True,
        inject_host_prefix: bool = True,
        transport: _Tr | None = None,
        use_fips_endpoint: bool = False,
        use_dualstack_endpoint: bool = False,
        request_min_compression_size_bytes: int | None = None,
        disable_request_compression: bool | None = None,
        endpoint_discovery_enabled: bool | None = None,
        max_pool_connections: int = 10,
        proxies: Mapping[str, str] | None = None,
        verify: bool | str | None = None,
        s3: S3Config | None = None,
        client_context_params: Mapping[str, bool | str] | None = None,
        sigv4a_signing_region_set: str | None = None,
        request_checksum_calculation: str | None = None,
        response_checksum_validation: str | None = None,
    ) -> None:
        # Bad values fail here, each naming its argument, not at the first call.
        region_name = settings.region_name(region_name)
        endpoint_url = settings.endpoint_url(endpoint_url)
        self._max_attempts = settings.max_attempts(max_attempts)
        self._connect_timeout = settings.timeout("connect_timeout", connect_timeout)
        self._read_timeout = settings.timeout("read_timeout", read_timeout)
        if (aws_access_key_id is None) != (aws_secret_access_key is None):
            raise ValueError(
                "give both aws_access_key_id and aws_secret_access_key, or neither"
            )
        self._region_name = region_name
        self._endpoint_url = endpoint_url
        self._profile_name = profile_name
        self._static_keys = (
            (aws_access_key_id, aws_secret_access_key, aws_session_token)
            if aws_access_key_id is not None
            else None
        )
        self._validate = parameter_validation
        self._inject_host_prefix = inject_host_prefix
        self._use_fips = use_fips_endpoint
        self._use_dualstack = use_dualstack_endpoint
        # None: AWS_ENDPOINT_DISCOVERY_ENABLED, else "auto" (see discovery.py).
        self._endpoint_discovery_enabled = endpoint_discovery_enabled
        self._transport = transport
        self._owns_transport = transport is None
        if request_min_compression_size_bytes is not None and not (
            1 <= request_min_compression_size_bytes <= 1048576
        ):
            # botocore's range, checked when the client is built, as botocore does.
            raise ValueError(
                "request_min_compression_size_bytes must be from 1 to 1048576, "
                f"not {request_min_compression_size_bytes!r}"
            )
        self._min_compression_size = request_min_compression_size_bytes
        self._disable_compression = disable_request_compression
        # The default transport's options (boto3's names; see http.py).
        if max_pool_connections != 10 or proxies is not None or verify is not None:
            from typed_aws_runtime.http import (
                check_max_pool_connections,
                check_proxies,
                check_verify,
            )

            check_max_pool_connections(max_pool_connections)
            check_proxies(proxies)
            check_verify(verify)
        self._max_pool_connections = max_pool_connections
        self._proxies = dict(proxies) if proxies is not None else None
        self._verify = verify
        # boto3's Config(s3={...}) (s3config.py): S3 and S3 Control only.
        self._s3: Mapping[str, Any] = {}
        if s3 is not None:
            from typed_aws_runtime import s3config

            self._s3 = s3config.check(s3)
        # botocore's Config(client_context_params=...) (endpoint rule-set
        # parameters the model lets a client set: S3's UseArnRegion, ...)
        # and Config(sigv4a_signing_region_set=...).
        self._client_context_params = (
            settings.client_context_params(
                client_context_params, self._codegen_context_params
            )
            if client_context_params
            else None
        )
        self._sigv4a_region_set = settings.sigv4a_signing_region_set(
            sigv4a_signing_region_set
        )
        # Flexible checksums (checksums.py): "when_supported" or "when_required",
        # from the arguments or AWS_REQUEST_CHECKSUM_CALCULATION /
        # AWS_RESPONSE_CHECKSUM_VALIDATION, checked here as botocore does.
        self._checksum_calculation, self._checksum_validation = checksum_settings(
            request_checksum_calculation, response_checksum_validation
        )
        self._package = type(self).__module__.rpartition(".")[0]
        self._lock = threading.Lock()
        self._state: _CallState | None = None
        # The runtime's own hooks (tests replace them) live under ``_codegen_``
        # names: an operation method may take any public name (``sleep``).
        self._codegen_clock: Callable[[], datetime.datetime] = _utcnow

    def __repr__(self) -> str:
        return f"{type(self).__name__}(region_name={self._region_name!r})"

    def _default_transport(self) -> _Tr:
        """The transport built on the first call when none was given."""
        raise NotImplementedError

    def _transport_options(self) -> dict[str, Any]:
        """The default transport's options, as the constructor took them."""
        return {
            "connect_timeout": self._connect_timeout,
            "read_timeout": self._read_timeout,
            "max_pool_connections": self._max_pool_connections,
            "verify": self._verify,
            "proxies": self._proxies,
        }

    # -- the call --------------------------------------------------------------

    def _steps(self, operation: str, params: Mapping[str, Any] | None) -> Steps:
        """One call, without I/O: yields each request to send (the driver
        sends back its response, or throws in the transport's exception) and
        each delay to sleep; returns the typed output (None without one)."""
        state = self._state or self._prepare()
        protocol = state.protocol
        op = state.schema.operation(operation)
        # botocore's customizations of this operation (runtime/customizations.py),
        # each at its place: parameters before validation, the serialized
        # request and its URL before signing, the parsed output.
        custom = op.custom
        given = params
        if custom is not None and custom.params:
            params = custom.rewrite_params(params)
        checksum = op.checksum
        if checksum is not None:
            params = default_validation_mode(
                checksum, params, self._checksum_validation
            )
        if self._validate and op.input is not None and params is not None:
            state.validate_input(op.input, params, operation)
        if op.endpoint_context is not None or state.endpoint_error is not None:
            # The endpoint depends on the call (the model binds rule-set
            # parameters), or the client's own could not be resolved. After
            # validation: a value of the wrong type is a ParamValidationError,
            # not an endpoint rule's (botocore resolves first).
            state = state.for_call(op, params)
        serialized = protocol.serialize(op, params)
        if op.extra_headers:
            serialized.headers.update(op.extra_headers)
        if state.in_lambda:
            _add_trace_header(serialized.headers)
        url = self._url(state, serialized)
        if custom is not None and custom.request:
            url = self._rewrite_request(state, custom, params, serialized, url)
        if checksum is not None:
            apply_request_checksum(
                checksum,
                serialized,
                url,
                params,
                self._checksum_calculation,
                s3_signing=state.s3_signing,
                unsigned=op.auth_type == "none",
            )
        if state.discovery is not None and op.endpoint_discovery is not None:
            response = yield from state.discovery.send(
                op,
                params,
                serialized,
                url,
                lambda u: self._attempts(state, op, serialized, u),
            )
        else:
            response = yield from self._attempts(state, op, serialized, url)
        if checksum is not None and checksum.mode_member is not None:
            response = validate_response(checksum, params, response)
        observe = RESPONSE_OBSERVER.get()
        if observe is not None:
            observe(response)
        if op.output is None:
            return None
        result = state.parse_output(protocol, op, response)
        if custom is not None and custom.output:
            result = custom.rewrite_output(result, given, response)
        return result

    def _presign_request(
        self,
        operation: str,
        params: Mapping[str, Any],
        endpoint_params: Mapping[str, object] | None = None,
    ) -> tuple[str, dict[str, str], bytes | Any]:
        """What a call of ``operation`` would send, unsigned, as botocore
        builds it for presigning: parameter handlers, validation, the
        endpoint bound to the call, serialization; no ``before-call``
        handlers, no User-Agent (``presign.py``). Returns URL, headers, body."""
        state = self._state or self._prepare()
        op = state.schema.operation(operation)
        custom = op.custom
        if custom is not None and custom.params:
            params = custom.rewrite_params(params) or {}
        if self._validate and op.input is not None:
            state.validate_input(op.input, params, operation)
        if endpoint_params and state.endpoint_resolver is not None:
            # S3's global endpoint for presigning (presign.py): resolved
            # here, not cached.
            import copy

            context = op.endpoint_context
            bound = (
                context.values(state.endpoint_names, params)
                if context is not None
                else {}
            )
            endpoint = state.endpoint_resolver.resolve(
                {**state.endpoint_params, **bound, **endpoint_params}
            )
            state = copy.copy(state)
            state._use_endpoint(*_endpoint_parts(endpoint))
        elif op.endpoint_context is not None or state.endpoint_error is not None:
            state = state.for_call(op, params)
        serialized = state.protocol.serialize(op, params)
        headers = dict(serialized.headers)
        if op.extra_headers:
            headers.update(op.extra_headers)
        if state.endpoint_headers:
            headers.update(state.endpoint_headers)
        return self._url(state, serialized), headers, serialized.body

    @staticmethod
    def _rewrite_request(
        state: _CallState,
        custom: Customizations,
        params: Mapping[str, Any] | None,
        serialized: SerializedRequest,
        url: str,
    ) -> str:
        from typed_aws_runtime.customizations import Call

        call = Call(state.hook_context(), params or {}, serialized, url)
        custom.rewrite_request(call)
        return call.url

    def _prepare(self) -> _CallState:
        with self._lock:
            if self._state is None:
                state = _CallState(self)
                self._adopt(state.credentials_holder())
                self._state = state
            return self._state

    def _adopt(self, credentials: CredentialsHolder) -> None:
        """Called once, before the first call's state is published: a client
        may put its own provider in front of the credentials (the
        asynchronous one keeps botocore's chain off its event loop)."""

    def _url(self, state: _CallState, request: SerializedRequest) -> str:
        # botocore's _urljoin: the endpoint's own path, then the operation's.
        parts = state.endpoint_parts
        path = request.path
        if not path or path == "/":
            path = parts.path or "/"
        elif parts.path.endswith("/") and path.startswith("/"):
            path = parts.path[:-1] + path
        else:
            path = parts.path + path
        netloc = parts.netloc
        if request.host_prefix and self._inject_host_prefix:
            netloc = request.host_prefix + netloc
        query = "&".join(q for q in (parts.query, request.query) if q)
        return f"{parts.scheme}://{netloc}{path}" + (f"?{query}" if query else "")

    def _attempts(
        self,
        state: _CallState,
        op: schema.Operation,
        serialized: SerializedRequest,
        url: str,
    ) -> Generator[HttpRequest | float, HttpResponse, HttpResponse]:
        """The attempts of one request until a response to keep: yields each
        signed request and each retry delay."""
        HttpRequest = state.http_request  # noqa: N806 - the class, bound once
        policy = state.retry_policy
        retry = policy.begin()
        invocation_id = _uuid4()
        body = serialized.body
        start = _position(body)
        # A stream that cannot be rewound is sent once: a retry would send
        # what is left of it (botocore raises UnseekableStreamError there).
        rewindable = start is not None or isinstance(
            body, (bytes, bytearray, memoryview)
        )
        ttl: str | None = None
        debug = state.log.isEnabledFor(_DEBUG)
        while True:
            headers = dict(serialized.headers)
            if state.endpoint_headers:
                headers.update(state.endpoint_headers)
            headers["User-Agent"] = _USER_AGENT
            if start is not None:
                body.seek(start)  # type: ignore[union-attr]
            request = HttpRequest(
                serialized.method, url, headers, body, op.streams_output
            )
            state.sign(request, op)
            # Added after signing, as botocore's add_retry_headers runs after
            # its signer: these two headers are sent but never signed.
            headers["amz-sdk-invocation-id"] = invocation_id
            sdk_request = state.sdk_request_header(retry.attempt)
            headers["amz-sdk-request"] = (
                f"ttl={ttl}; {sdk_request}" if ttl is not None else sdk_request
            )
            if debug:
                state.log_request(op, request, retry.attempt)
            error: BaseException | None = None
            response: HttpResponse | None = None
            try:
                response = yield request
            except Exception as exc:
                if not state.is_transport_error(exc):
                    raise
                error = exc
            if debug:
                state.log_response(op, response, error)
            if response is not None and op.custom is not None and op.custom.response:
                # botocore's before-parse handlers (S3's 200 with an error
                # becomes a 500, and is retried as one).
                response = op.custom.rewrite_response(response)
            if response is not None and response.status_code < 300:
                policy.record_success(retry, response.status_code)
                return response
            failure = (
                self._failure(state, op, response) if response is not None else None
            )
            delay = (
                policy.next_delay(
                    retry,
                    response.status_code if response is not None else None,
                    failure.code if failure is not None else None,
                    error,
                    modeled_retryable_codes=state.retryable_codes,
                )
                if rewindable
                else None
            )
            if delay is None:
                if failure is not None:
                    raise failure
                assert error is not None
                raise error
            if response is not None:
                ttl = _ttl(response.headers, self._read_timeout) or ttl
            yield float(delay)

    def _failure(
        self, state: _CallState, op: schema.Operation, response: HttpResponse
    ) -> ServiceError:
        protocol = state.protocol
        if op.custom is not None and op.custom.error:
            response = op.custom.rewrite_error(response)
        parsed = state.parse_error(protocol, response)
        code, message, request_id = parsed.code, parsed.message, parsed.request_id
        shapes = state.schema.error_shapes()
        shape = shapes.get(code)
        if shape is None and parsed.shape_code is not None:
            shape = shapes.get(parsed.shape_code)
        if shape is not None and shape.error_class is not None:
            members = state.error_members(protocol, shape, response, parsed)
            members.pop("message", None)
            cls = shape.error_class
        else:
            members = {}
            cls = state.base_error
        error: ServiceError = cls(
            message,
            code=code,
            status_code=response.status_code,
            request_id=request_id,
            **members,
        )
        return error


class BaseClient(ClientCore["Transport"]):
    """The blocking client: drives :meth:`ClientCore._steps` with a blocking
    transport (urllib3 by default) and ``time.sleep``."""

    # The runtime's own hooks (tests replace them) live under ``_codegen_``
    # names: an operation method may take any public name (``sleep``).
    _codegen_sleep: Callable[[float], None] = staticmethod(time.sleep)

    def _default_transport(self) -> Transport:
        # http.client with a pool of its own: no urllib3 import on the
        # first call (connections.py); Urllib3Transport stays available.
        from typed_aws_runtime.connections import HttpTransport

        return HttpTransport(**self._transport_options())

    def generate_presigned_url(
        self,
        ClientMethod: str,  # noqa: N803 - boto3's names
        Params: Mapping[str, Any] | None = None,  # noqa: N803
        ExpiresIn: int = 3600,  # noqa: N803
        HttpMethod: str | None = None,  # noqa: N803
    ) -> str:
        """A presigned URL for a call of ``ClientMethod`` (boto3's name of
        the operation) with ``Params`` (boto3's dict form: wire member
        names), valid ``ExpiresIn`` seconds, as boto3's. Bad parameters
        raise ``ParamValidationError`` before anything is signed."""
        from typed_aws_runtime.presign import generate_presigned_url

        return generate_presigned_url(self, ClientMethod, Params, ExpiresIn, HttpMethod)

    # -- lifecycle ---------------------------------------------------------------

    def close(self) -> None:
        """Release the connection pool (of the default transport)."""
        if self._owns_transport and self._transport is not None:
            close = getattr(self._transport, "close", None)
            if close is not None:
                close()

    def __enter__(self: _Self) -> _Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- the call --------------------------------------------------------------

    @overload
    def _invoke(
        self, operation: str, params: Mapping[str, Any] | None, output: type[_T]
    ) -> _T: ...

    @overload
    def _invoke(
        self, operation: str, params: Mapping[str, Any] | None, output: None
    ) -> None: ...

    def _invoke(
        self, operation: str, params: Mapping[str, Any] | None, output: type[_T] | None
    ) -> _T | None:
        steps = self._steps(operation, params)
        try:
            step = next(steps)
            send = self._transport.send  # type: ignore[union-attr]
            while True:
                if isinstance(step, float):
                    self._codegen_sleep(step)
                    step = next(steps)
                    continue
                try:
                    response = send(step)
                except Exception as exc:
                    step = steps.throw(exc)
                else:
                    step = steps.send(response)
        except StopIteration as done:
            result: _T | None = done.value
            return result


_Self = TypeVar("_Self", bound=BaseClient)
_DEBUG = 10  # logging.DEBUG, without importing logging before the first call


def _position(body: object) -> int | None:
    """Where a file body starts (to rewind it for a retry), or None for bytes
    and for streams that cannot seek (pipes, sockets, generators)."""
    if isinstance(body, (bytes, bytearray, memoryview)):
        return None
    try:
        seekable = getattr(body, "seekable", None)
        if seekable is not None and not seekable():
            return None
        position: int = body.tell()  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return None
    return position


def _ttl(headers: Mapping[str, str], read_timeout: float) -> str | None:
    """botocore's ``ttl`` for the next attempt's ``amz-sdk-request``: the
    server's ``Date`` plus the read timeout (its local clock cancels out)."""
    date = headers.get("Date") or headers.get("date")
    if not date:
        return None
    try:
        moment = datetime.datetime.strptime(date, "%a, %d %b %Y %H:%M:%S %Z")
    except ValueError:
        return None
    return (moment + datetime.timedelta(seconds=read_timeout)).strftime(
        "%Y%m%dT%H%M%SZ"
    )


def _utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _add_trace_header(headers: dict[str, str]) -> None:
    """botocore's ``add_recursion_detection_header``: inside a Lambda
    function, its trace id goes with every request that has none."""
    trace_id = os.environ.get("_X_AMZN_TRACE_ID")
    if trace_id and "X-Amzn-Trace-Id" not in headers:
        from urllib.parse import quote

        headers["X-Amzn-Trace-Id"] = quote(trace_id, safe="-=;:+&[]{}\"',")


class _HookContext:
    """What customization hooks see of the client (``CallContext``)."""

    __slots__ = (
        "region",
        "signing_name",
        "credentials",
        "min_compression_size",
        "compression_disabled",
        "_client",
    )

    def __init__(self, state: _CallState) -> None:
        from typed_aws_runtime.customizations import compression_settings

        client = state.client
        self.region: str | None = state.region
        self.signing_name: str = state.signing_name
        self.credentials = state.credentials
        self.min_compression_size, self.compression_disabled = compression_settings(
            client._min_compression_size, client._disable_compression
        )
        self._client = client

    def now(self) -> datetime.datetime:
        return self._client._codegen_clock()


class _CallState:
    """What the first call of a client loads; shared by every later call."""

    def __init__(self, client: ClientCore[Any]) -> None:
        from typed_aws_runtime import protocols, schema
        from typed_aws_runtime.credentials import (
            BotocoreChainProvider,
            StaticCredentialProvider,
            resolve_region,
        )
        from typed_aws_runtime.logs import LazyLogger
        from typed_aws_runtime.protocols.base import (
            error_members,
            parse_error,
            parse_output,
        )
        from typed_aws_runtime.retries import RetryPolicy, amz_sdk_request_header
        from typed_aws_runtime.signing import sign_v4
        from typed_aws_runtime.transport import HttpRequest
        from typed_aws_runtime.validate import validate_input

        # Module loggers, as botocore's: the client's own records (request
        # sent, response, endpoint) and retries.py's (each retry decision).
        self.log = LazyLogger(__name__)
        self.validate_input = validate_input
        # Parsing behind the net that turns whatever a codec raises into
        # ResponseParseError (see protocols/base.py).
        self.parse_output = parse_output
        self.parse_error = parse_error
        self.error_members = error_members
        self.sign_v4 = sign_v4
        self.http_request = HttpRequest
        self.client = client
        self.schema = schema.load(client._package)
        self.protocol: ClientProtocol = protocols.for_schema(self.schema)
        errors = self.schema.module("errors")
        self.base_error: type[ServiceError] = getattr(errors, self.schema.base_error)
        region = resolve_region(client._region_name, client._profile_name)
        self.region = region
        # The rule set and the built-in parameters, kept for the operations
        # whose endpoint depends on the call (see for_call).
        self.endpoint_resolver: EndpointResolver | None = None
        self.endpoint_params: dict[str, object] = {}
        self.endpoint_names: tuple[str, ...] = ()
        self.endpoint_error: Exception | None = None
        self.s3_config: Mapping[str, Any] = {}
        self._per_call: dict[tuple[tuple[str, object], ...], _CallState] = {}
        from typed_aws_runtime.endpoints import EndpointResolutionError

        try:
            endpoint = self._endpoint(region)
        except EndpointResolutionError as error:
            if not self.schema.binds_endpoint_params():
                raise
            # Rule sets that need an operation's parameters (neptune-graph's
            # ApiType) resolve nothing without one: each call resolves its own.
            self.endpoint_error = error
            endpoint = ("https://unresolved.invalid", {}, None)
        # The client's own signature version (runtime/auth.py), and the
        # region set a SigV4a signature covers when configured.
        self.default_auth = self._client_auth()
        self.sigv4a_region_set: str | None = client._sigv4a_region_set or (
            os.environ.get("AWS_SIGV4A_SIGNING_REGION_SET") or None
        )
        self._use_endpoint(*endpoint)
        self._token_provider: Any = None
        provider: CredentialProvider
        if client._static_keys is not None:
            key, secret, token = client._static_keys
            assert key is not None and secret is not None
            provider = StaticCredentialProvider(key, secret, token)
        else:
            provider = BotocoreChainProvider(client._profile_name)
        self.credentials: CredentialProvider = provider
        max_attempts = client._max_attempts
        self.retry_policy = RetryPolicy(max_attempts)
        self._sdk_request = amz_sdk_request_header
        self.max_attempts = max_attempts
        self.retryable_codes = frozenset(
            code
            for code, shape in self.schema.error_shapes().items()
            if shape.retryable
        )
        if client._transport is None:
            client._transport = client._default_transport()
        # botocore's recursion detection applies inside a Lambda function only.
        self.in_lambda = "AWS_LAMBDA_FUNCTION_NAME" in os.environ
        self._hook_context: _HookContext | None = None
        self.discovery: EndpointDiscovery | None = None
        if client._endpoint_url is None and self.schema.endpoint_discovery()[0]:
            self.discovery = self._discovery()

    def _client_auth(self) -> str | None:
        from typed_aws_runtime import auth

        metadata = self.schema.metadata
        version = auth.client_auth(metadata)
        signing_name = metadata.get("signingName", metadata["endpointPrefix"])
        if auth.prefers_bearer(signing_name, metadata.get("auth")):
            return "bearer"  # bedrock's token in the environment
        return version

    def _use_endpoint(
        self,
        url: str,
        headers: dict[str, str],
        schemes: Sequence[Mapping[str, Any]] | None,
    ) -> None:
        from urllib.parse import urlsplit

        self.endpoint_url, self.endpoint_headers = url, headers
        self.endpoint_parts = urlsplit(url)
        signing_name: str | None = None
        signing_region: str | None = None
        # The endpoint's auth scheme, when the rule set names some, replaces
        # the operation's and the client's (botocore's
        # auth_schemes_to_signing_ctx); None: keep them.
        self.endpoint_auth: str | None = None
        if schemes:
            from typed_aws_runtime.auth import endpoint_auth

            chosen = endpoint_auth(schemes)
            self.endpoint_auth = chosen.version
            signing_name, signing_region = chosen.signing_name, chosen.signing_region
        self.signing_name: str = signing_name or self.schema.metadata.get(
            "signingName", self.schema.metadata["endpointPrefix"]
        )
        self.signing_region: str | None = signing_region or self.region
        # SigV4a: the configured region set, else the endpoint's, else all.
        self.v4a_region_set = self.sigv4a_region_set or signing_region or "*"
        # botocore's S3SigV4Auth for S3's signing names (S3_SIGNING_NAMES).
        self.s3_signing = self.signing_name in _S3_SIGNING_NAMES

    def for_call(
        self, op: schema.Operation, params: Mapping[str, Any] | None
    ) -> _CallState:
        """The state of a call whose endpoint the model binds to the
        operation or its input (botocore's ``_resolve_param_from_context``):
        a copy of this one with its own endpoint, URL headers and signing
        scope, kept per parameter values (a few)."""
        resolver = self.endpoint_resolver
        context = op.endpoint_context
        if resolver is None:
            return self
        bound = (
            context.values(self.endpoint_names, params) if context is not None else {}
        )
        if not bound:
            if self.endpoint_error is not None:
                raise self.endpoint_error
            return self
        key = tuple((k, _hashable(v)) for k, v in bound.items())
        state = self._per_call.get(key)
        if state is None:
            import copy

            endpoint = resolver.resolve({**self.endpoint_params, **bound})
            self.log.debug(
                "Endpoint resolved for %s %s: %s",
                self.schema.metadata.get("serviceId"),
                op.name,
                _without_userinfo(endpoint.url),
            )
            state = copy.copy(self)
            state._hook_context = None
            state._use_endpoint(*_endpoint_parts(endpoint))
            with self.client._lock:
                if len(self._per_call) >= _PER_CALL_ENDPOINTS:
                    del self._per_call[next(iter(self._per_call))]  # oldest first
                self._per_call[key] = state
        return state

    def log_request(
        self, op: schema.Operation, request: HttpRequest, attempt: int
    ) -> None:
        from typed_aws_runtime.logs import request_summary

        self.log.debug(
            "Sending http request for %s (attempt %d): %s",
            op.name,
            attempt,
            request_summary(op, request.method, request.url, request.headers),
        )

    def log_response(
        self,
        op: schema.Operation,
        response: HttpResponse | None,
        error: BaseException | None,
    ) -> None:
        if response is not None:
            self.log.debug(
                "Response received for %s: HTTP %d", op.name, response.status_code
            )
        else:
            self.log.debug(
                "Exception received when sending HTTP request for %s: %s",
                op.name,
                type(error).__name__,
            )

    def hook_context(self) -> _HookContext:
        context = self._hook_context
        if context is None:
            context = self._hook_context = _HookContext(self)
        return context

    def _endpoint(
        self, region: str | None
    ) -> tuple[str, dict[str, str], Sequence[Mapping[str, Any]] | None]:
        from typed_aws_runtime import schema
        from typed_aws_runtime.endpoints import EndpointResolver, load_partitions
        from typed_aws_runtime.errors import NoRegionError

        endpoint_url = self.client._endpoint_url or configured_endpoint_url(
            self.schema.metadata.get("serviceId", "")
        )
        try:
            rules = schema.read_package_json(self.client._package, "_endpoints.json")
        except FileNotFoundError:
            # A model without a rule set: only an explicit endpoint will do.
            if endpoint_url is None:
                raise NoRegionError() from None
            self.log.debug(
                "Endpoint for %s: %s (no rule set)",
                self.schema.metadata.get("serviceId"),
                _without_userinfo(endpoint_url),
            )
            return endpoint_url, {}, None
        resolver = EndpointResolver(rules, load_partitions())
        self.endpoint_resolver = resolver
        # Parameters no rule reads (S3's Key, Prefix) would only split the
        # per-call cache: not bound.
        self.endpoint_names = resolver.referenced_parameter_names()
        builtins: dict[str, object] = {
            "AWS::Region": region,
            "AWS::UseFIPS": self.client._use_fips,
            "AWS::UseDualStack": self.client._use_dualstack,
            "SDK::Endpoint": endpoint_url,
        }
        if resolver.uses_builtins("AWS::S3"):
            from typed_aws_runtime import s3config

            s3 = self.s3_config = s3config.resolved(self.client._s3)
            builtins.update(s3config.endpoint_builtins(s3, region, endpoint_url))
            if "use_dualstack_endpoint" in s3:  # botocore's _is_s3_dualstack_mode
                builtins["AWS::UseDualStack"] = s3["use_dualstack_endpoint"]
        params = self.endpoint_params = resolver.params_from_builtins(builtins)
        # Client context parameters win over built-ins, and an operation's
        # own bindings over both (botocore's _resolve_param_from_context).
        context = self.client._client_context_params
        if context:
            for name, spec in self.schema.client_context_params().items():
                value = context.get(spec["name"])
                if value is not None and name in self.endpoint_names:
                    params[name] = value
        if region is None and endpoint_url is None:
            raise NoRegionError()
        endpoint = resolver.resolve(params)
        if self.log.isEnabledFor(_DEBUG):
            self.log.debug(
                "Endpoint resolved for %s in %s (%s): %s",
                self.schema.metadata.get("serviceId"),
                region,
                (
                    "endpoint_url"
                    if self.client._endpoint_url
                    else "configured endpoint URL" if endpoint_url else "rule set"
                ),
                _without_userinfo(endpoint.url),
            )
        return _endpoint_parts(endpoint)

    def _discovery(self) -> EndpointDiscovery | None:
        from typed_aws_runtime import discovery

        client = self.client
        operation = self.schema.endpoint_discovery()[0]
        assert operation is not None
        return discovery.create(
            self.schema,
            client._endpoint_discovery_enabled,
            lambda params: client._steps(operation, params),
            self.is_transport_error,
            # A blocking client's threads wait for one discovery under a
            # lock; an event loop's tasks must never block on one: they
            # wait for it with await (discovery.Flight).
            single_flight=isinstance(client, BaseClient),
        )

    def credentials_holder(self) -> CredentialsHolder:
        return CredentialsHolder(self)

    def sdk_request_header(self, attempt: int) -> str:
        # botocore names the maximum only from the second attempt on.
        return self._sdk_request(attempt, self.max_attempts if attempt > 1 else None)

    def sign(self, request: HttpRequest, op: schema.Operation) -> None:
        # botocore's choice (runtime/auth.py): a customization that never
        # signs, else the endpoint's scheme, the operation's, the client's.
        kind = (
            "none"
            if op.signing_disabled
            else (self.endpoint_auth or op.auth_type or self.default_auth)
        )
        if kind != "v4" and kind is not None and kind != "v4-unsigned-body":
            self._sign_other(kind, request, op)
            return
        if self.signing_region is None:
            from typed_aws_runtime.errors import NoRegionError

            raise NoRegionError()
        if self.s3_signing:
            self._sign_s3(request, op)
            return
        self.sign_v4(
            request,
            self.credentials.get(),
            region=self.signing_region,
            service=self.signing_name,
            timestamp=self.client._codegen_clock(),
            unsigned_payload=op.unsigned_payload,
        )

    def _sign_s3(self, request: HttpRequest, op: schema.Operation) -> None:
        """botocore's S3SigV4Auth: the payload hash always sent, the path
        signed as sent."""
        from typed_aws_runtime.signing import s3_payload_hash

        headers = request.headers
        payload = headers.pop(_TRAILER_HASH, None)
        if payload is None:
            checksum = headers.pop(_CHECKSUM_HEADER, "Content-MD5")
            payload = s3_payload_hash(
                request.body,
                secure=request.url.startswith("https"),
                checksum_sent=checksum in headers,
                streaming_input=op.streams_input,
                signing_enabled=self.s3_config.get("payload_signing_enabled"),
                unsigned_body=op.unsigned_payload,
            )
        self.sign_v4(
            request,
            self.credentials.get(),
            region=self.signing_region or "",
            service=self.signing_name,
            timestamp=self.client._codegen_clock(),
            payload_hash=payload,
            raw_path=True,
        )

    def _sign_other(
        self, kind: str, request: HttpRequest, op: schema.Operation
    ) -> None:
        """Every signature but SigV4: none, SigV4a, a bearer token, SigV2."""
        if kind == "none":
            return
        if kind == "v4-s3express" or (kind == "v4a" and self.s3_signing):
            # botocore opens an S3 Express session first (CreateSession), and
            # signs S3's SigV4a with S3SigV4aAuth's payload rules: neither yet.
            from typed_aws_runtime.errors import UnsupportedFeatureError

            what = (
                "S3 Express One Zone session authentication (sigv4-s3express)"
                if kind == "v4-s3express"
                else "SigV4a for S3 (multi-region access points)"
            )
            raise UnsupportedFeatureError(f"{what} is not supported yet")
        if kind == "v4a":
            from typed_aws_runtime.sigv4a import sign_v4a

            sign_v4a(
                request,
                self.credentials.get(),
                region_set=self.v4a_region_set,
                service=self.signing_name,
                timestamp=self.client._codegen_clock(),
                unsigned_payload=op.unsigned_payload,
            )
        elif kind == "bearer":
            from typed_aws_runtime.bearer import BotocoreTokenProvider, sign_bearer

            provider = self._token_provider
            if provider is None:
                provider = self._token_provider = BotocoreTokenProvider(
                    self.client._profile_name, self.signing_name
                )
            sign_bearer(request, provider.get())
        elif kind == "v2":
            from typed_aws_runtime.sigv2 import sign_v2

            sign_v2(
                request, self.credentials.get(), timestamp=self.client._codegen_clock()
            )
        else:
            from typed_aws_runtime.errors import UnsupportedSignatureVersionError

            raise UnsupportedSignatureVersionError(kind)

    @staticmethod
    def is_transport_error(exc: BaseException) -> bool:
        from typed_aws_runtime.http import TransportError

        return isinstance(exc, (TransportError, ConnectionError, TimeoutError))


class CredentialsHolder:
    """Where a client's calls take their credentials from, replaceable once
    before the first call (see ``ClientCore._adopt``)."""

    __slots__ = ("_state",)

    def __init__(self, state: _CallState) -> None:
        self._state = state

    @property
    def provider(self) -> CredentialProvider:
        return self._state.credentials

    @provider.setter
    def provider(self, provider: CredentialProvider) -> None:
        self._state.credentials = provider


def _endpoint_parts(
    endpoint: ResolvedEndpoint,
) -> tuple[str, dict[str, str], Sequence[Mapping[str, Any]] | None]:
    """An endpoint's URL, headers (values joined) and auth schemes."""
    headers = {k: ",".join(v) for k, v in endpoint.headers.items()}
    return endpoint.url, headers, endpoint.properties.get("authSchemes")


# botocore's S3_SIGNING_NAMES: signed by S3SigV4Auth.
_S3_SIGNING_NAMES = frozenset({"s3", "s3-outposts", "s3-object-lambda", "s3express"})
# Private headers a request step leaves for the S3 signer (removed before
# signing): the payload hash of a streamed upload with a checksum trailer,
# and the name of the checksum header sent.
_TRAILER_HASH = TRAILER_HASH_HEADER
_CHECKSUM_HEADER = CHECKSUM_NAME_HEADER


def _hashable(value: object) -> object:
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, Mapping):
        return tuple((k, _hashable(v)) for k, v in value.items())
    return value


def _without_userinfo(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    netloc, slash, path = rest.partition("/")
    return f"{scheme}{sep}{netloc.rpartition('@')[2]}{slash}{path}"


def configured_endpoint_url(service_id: str) -> str | None:
    """The endpoint URL the environment gives, as botocore's
    ``EnvironmentProvider``s in ``ConfiguredEndpointProvider`` order:
    ``AWS_ENDPOINT_URL_<SERVICE>`` (the serviceId upper-cased, spaces and
    hyphens as underscores), then ``AWS_ENDPOINT_URL``; neither when
    ``AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`` is ``true``. An explicit
    ``endpoint_url`` wins over both (the caller checks it first)."""
    environ = os.environ
    if environ.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "").lower() == "true":
        return None
    variable = (
        "AWS_ENDPOINT_URL_" + service_id.replace(" ", "_").replace("-", "_").upper()
    )
    return environ.get(variable) or environ.get("AWS_ENDPOINT_URL") or None
