"""HTTP transports' shared parts, and the urllib3 transport.

The default transport is :class:`typed_aws_runtime.connections.HttpTransport`
(``http.client`` connections in a pool of its own: importing urllib3 alone
costs a fresh process about 40 ms). :class:`Urllib3Transport` is kept for
those who want urllib3, and carries the HTTPS-proxy routes of the default.
Both share the errors, the option checks, the proxy rules and
:class:`StreamingBody` defined here.

urllib3 is imported when the first request is sent, not when this module is
imported: a generated client must start fast and may never send anything
(tests inject their own transport).

As botocore's ``URLLib3Session``: no retries and no redirects inside urllib3
(the client retries, with a fresh signature), no content decoding, TLS
verification against certifi's bundle when installed (else the system's),
``Content-Length`` added when the caller did not set one, and every network
failure raised as a :class:`TransportError` carrying the URL.
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol, Self, cast
from urllib.parse import urlsplit

from .errors import PicklableError
from .transport import HttpRequest, HttpResponse

if TYPE_CHECKING:  # pragma: no cover - typing only
    from urllib3 import BaseHTTPResponse, PoolManager

__all__ = [
    "BodySource",
    "ConnectTimeoutError",
    "ConnectionClosedError",
    "EndpointConnectionError",
    "ReadTimeoutError",
    "SSLError",
    "StreamingBody",
    "TransportError",
    "Urllib3Transport",
]

# urllib3 2's 16 KiB default throttles large uploads; botocore uses 128 KiB.
_BLOCK_SIZE = 128 * 1024
_NO_LENGTH_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TransportError(PicklableError):
    """The request could not be sent or its response not received."""

    reason = "HTTP transport failed"

    def __init__(self, url: str, error: BaseException | None = None) -> None:
        detail = f": {error}" if error is not None else ""
        super().__init__(f'{self.reason} for endpoint URL "{url}"{detail}')
        self.url = url
        self.error = error


class EndpointConnectionError(TransportError):
    """No connection could be made (DNS failure, refused, unreachable)."""

    reason = "Could not connect"


class SSLError(EndpointConnectionError):
    """The TLS handshake failed, for example on certificate verification."""

    reason = "SSL validation failed"


class ConnectTimeoutError(EndpointConnectionError):
    """The connection was not established within ``connect_timeout``."""

    reason = "Connect timeout"


class ReadTimeoutError(TransportError):
    """No data arrived within ``read_timeout``."""

    reason = "Read timeout"


class ConnectionClosedError(TransportError):
    """The connection broke before the whole response was received."""

    reason = "Connection was closed before a complete response was received"


class BodySource(Protocol):
    """What a transport reads a streamed body from."""

    def read(self, amt: int | None) -> bytes:
        """Up to ``amt`` bytes (None: all that is left); b"" at the end."""
        ...

    def read1(self, amt: int | None) -> bytes:
        """What has arrived, up to ``amt`` bytes (None: any amount); waits
        only when nothing has; b"" at the end."""
        ...

    def close(self) -> None:
        """Give the connection back (or drop it when the body is unread)."""
        ...


ErrorMapper = Callable[[BaseException, str], "TransportError | None"]


class StreamingBody(io.RawIOBase):
    """A response body read from the network as the caller consumes it.

    Always close it (or use it as a context manager), so the connection goes
    back to the pool. Network failures while reading raise
    :class:`TransportError` subclasses, like failures while sending.
    """

    def __init__(
        self,
        response: BodySource | BaseHTTPResponse,
        url: str,
        map_error: ErrorMapper | None = None,
    ) -> None:
        super().__init__()
        self._source: BodySource = (
            _Urllib3Body(response) if map_error is None else response  # type: ignore[arg-type]
        )
        self._map_error: ErrorMapper = map_error or _map_error
        self._url = url

    def readable(self) -> bool:
        return True

    def read(self, amt: int | None = -1) -> bytes:
        """Up to ``amt`` bytes, or everything left when ``amt`` is None/-1."""
        size = None if amt is None or amt < 0 else amt
        with mapped_errors(self._url, self._map_error):
            return self._source.read(size)

    def readall(self) -> bytes:
        return self.read()

    def read1(self, amt: int = -1) -> bytes:
        """What has arrived, up to ``amt`` bytes (waits only for the first):
        an event stream reads its events as they come."""
        size = None if amt < 0 else amt
        with mapped_errors(self._url, self._map_error):
            return self._source.read1(size)

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        data = self.read(len(view))
        view[: len(data)] = data
        return len(data)

    def iter_chunks(self, chunk_size: int = 1024) -> Iterator[bytes]:
        """Yield the body in pieces of at most ``chunk_size`` bytes."""
        while chunk := self.read(chunk_size):
            yield chunk

    def close(self) -> None:
        if not self.closed:
            # Drains nothing: an unread remainder closes the connection
            # instead of handing a half-read one back to the pool.
            self._source.close()
        super().close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"StreamingBody(url={self._url!r})"


class _Urllib3Body:
    __slots__ = ("_response",)

    def __init__(self, response: BaseHTTPResponse) -> None:
        self._response = response

    def read(self, amt: int | None) -> bytes:
        return self._response.read(amt, decode_content=False)

    def read1(self, amt: int | None) -> bytes:
        return self._response.read1(amt, decode_content=False)

    def close(self) -> None:
        self._response.close()
        self._response.release_conn()


class PoolOptions:
    """The options every default transport takes (boto3's names and
    defaults), checked when the transport is built: ``connect_timeout``,
    ``read_timeout``, ``max_pool_connections``, ``verify`` (a path is the
    CA bundle), ``ca_bundle`` and ``proxies`` (None: the environment's,
    read on the first send; ``explicit_proxies`` keeps what was given)."""

    def __init__(
        self,
        connect_timeout: float = 60,
        read_timeout: float = 60,
        max_pool_connections: int = 10,
        verify: bool | str | None = None,
        ca_bundle: str | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> None:
        check_max_pool_connections(max_pool_connections)
        check_verify(verify)
        check_proxies(proxies)
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.max_pool_connections = max_pool_connections
        if isinstance(verify, str):
            ca_bundle, verify = verify, True
        self.verify = verify is not False
        self.ca_bundle = ca_bundle
        self.explicit_proxies = dict(proxies) if proxies is not None else None


class Urllib3Transport(PoolOptions):
    """Sends requests over pooled, TLS-verified urllib3 connections.

    ``max_pool_connections``: connections kept per host (boto3's name and
    default, 10). ``verify``: None or True verify against ``AWS_CA_BUNDLE``,
    else certifi's bundle, else the system's; a path verifies against that
    CA bundle (a file, or a directory of hashed certificates); False does
    not verify. ``proxies``: boto3's ``Config(proxies=...)``, a proxy URL by
    URL scheme (``{"http": ..., "https": ...}``), used as given; None reads
    ``HTTP_PROXY``/``HTTPS_PROXY``/``NO_PROXY`` (lower case too, lower case
    first, as ``urllib.request.getproxies``) when the first request is sent,
    and bypasses the proxy for hosts ``NO_PROXY`` names, as botocore does.
    An ``http`` URL goes through a proxy as a forwarded request; an
    ``https`` URL through a ``CONNECT`` tunnel. Credentials in a proxy URL
    become a ``Proxy-Authorization`` header.
    """

    def __init__(
        self,
        connect_timeout: float = 60,
        read_timeout: float = 60,
        max_pool_connections: int = 10,
        verify: bool | str | None = None,
        ca_bundle: str | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(
            connect_timeout,
            read_timeout,
            max_pool_connections,
            verify,
            ca_bundle,
            proxies,
        )
        self._lock = threading.Lock()
        self._manager: PoolManager | None = None
        # Filled with the manager: proxy URL by scheme (empty: no proxy at
        # all, the common case, which costs nothing per request).
        self._proxies: dict[str, str] = {}
        self._proxy_managers: dict[str, PoolManager] = {}
        self._routes: dict[tuple[str, str], str | None] = {}

    def send(self, request: HttpRequest, *, stream: bool = False) -> HttpResponse:
        """Send ``request``; with ``stream`` (or ``request.stream``) the body
        is a :class:`StreamingBody`."""
        stream = stream or request.stream
        manager = self._manager or self._create_manager()
        url = request.url
        target = None
        if self._proxies:
            manager, target = self._proxied(url, manager)
        with mapped_errors(url):
            pool = manager.connection_from_url(url)
            response = pool.urlopen(
                method=request.method,
                url=target or request_target(url),
                body=request.body or None,
                headers=wire_headers(request),
                retries=False,
                redirect=False,
                assert_same_host=False,
                preload_content=False,
                decode_content=False,
                chunked=is_chunked(request.headers),
            )
        if stream:
            body: bytes | BinaryIO = cast(BinaryIO, StreamingBody(response, url))
        else:
            body = _read_all(response, url)
        return HttpResponse(response.status, response.headers, body)

    def close(self) -> None:
        """Close every pooled connection; a later send opens new ones."""
        with self._lock:
            if self._manager is not None:
                self._manager.clear()
                self._manager = None
            for manager in self._proxy_managers.values():
                manager.clear()
            self._proxy_managers.clear()
            self._routes.clear()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"Urllib3Transport(connect_timeout={self.connect_timeout!r}, "
            f"read_timeout={self.read_timeout!r}, verify={self.verify!r}, "
            f"max_pool_connections={self.max_pool_connections!r})"
        )

    def _create_manager(self) -> PoolManager:
        import urllib3

        with self._lock:
            if self._manager is None:
                if self.explicit_proxies is not None:
                    self._proxies = self.explicit_proxies
                else:
                    self._proxies = environment_proxies()
                self._manager = urllib3.PoolManager(**self._pool_options())
            return self._manager

    def _pool_options(self) -> dict[str, Any]:
        import urllib3

        return {
            "maxsize": self.max_pool_connections,
            "block": False,
            "timeout": urllib3.Timeout(
                connect=self.connect_timeout, read=self.read_timeout
            ),
            "retries": False,
            "blocksize": _BLOCK_SIZE,
            **self._tls_options(),
        }

    def _tls_options(self) -> dict[str, Any]:
        if not self.verify:
            return {"cert_reqs": "CERT_NONE"}
        bundle = ca_bundle(self.ca_bundle)
        if bundle is not None and os.path.isdir(bundle):
            return {"cert_reqs": "CERT_REQUIRED", "ca_cert_dir": bundle}
        # None: urllib3 loads the system's default trust store.
        return {"cert_reqs": "CERT_REQUIRED", "ca_certs": bundle}

    def _proxied(self, url: str, direct: PoolManager) -> tuple[PoolManager, str | None]:
        """The manager for ``url`` and the request target (None: the path)."""
        parts = urlsplit(url)
        key = (parts.scheme, parts.netloc)
        try:
            proxy = self._routes[key]
        except KeyError:
            proxy = self._routes[key] = self._proxy_for(parts.scheme, parts.netloc)
        if proxy is None:
            return direct, None
        manager = self._proxy_managers.get(proxy)
        if manager is None:
            manager = self._proxy_manager(proxy)
        # A forward proxy needs the absolute URL; https goes through a tunnel.
        return manager, url if parts.scheme == "http" else None

    def _proxy_for(self, scheme: str, netloc: str) -> str | None:
        return proxy_for(
            self._proxies, scheme, netloc, bypass=self.explicit_proxies is None
        )

    def _proxy_manager(self, proxy: str) -> PoolManager:
        import urllib3

        with self._lock:
            manager = self._proxy_managers.get(proxy)
            if manager is None:
                manager = urllib3.proxy_from_url(
                    proxy,
                    proxy_headers=proxy_auth_headers(proxy),
                    **self._pool_options(),
                )
                self._proxy_managers[proxy] = manager
            return manager


def check_max_pool_connections(value: object) -> None:
    """ValueError unless ``value`` is a positive int (boto3's
    ``max_pool_connections``)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(
            f"max_pool_connections must be an int of at least 1, not {value!r}"
        )


def check_verify(value: object) -> None:
    """ValueError unless ``value`` is None, a bool, or the path of an existing
    CA bundle file or certificate directory."""
    if value is None or isinstance(value, bool):
        return
    if not isinstance(value, str) or not value:
        raise ValueError(
            f"verify must be True, False or a CA bundle path, not {value!r}"
        )
    if not os.path.exists(value):
        raise ValueError(f"verify: no CA bundle at {value!r}")


def check_proxies(value: object) -> None:
    """ValueError unless ``value`` is None or a mapping of URL scheme to a
    proxy URL (``{"http": "http://proxy:3128"}``)."""
    if value is None:
        return
    if not isinstance(value, Mapping):
        raise ValueError(f"proxies must be a mapping of scheme to URL, not {value!r}")
    for scheme, proxy in value.items():
        if not isinstance(scheme, str) or not isinstance(proxy, str) or not proxy:
            raise ValueError(
                f"proxies must map a scheme to a proxy URL, not {scheme!r}: {proxy!r}"
            )
        parts = urlsplit(fix_proxy_url(proxy))
        written = proxy.partition("://")[0] if "://" in proxy else "http"
        if written not in ("http", "https") or not parts.hostname:
            raise ValueError(f"proxies[{scheme!r}]: not a proxy URL: {proxy!r}")
        try:
            parts.port  # noqa: B018 - raises on a bad port
        except ValueError:
            raise ValueError(f"proxies[{scheme!r}]: bad port in {proxy!r}") from None


def ca_bundle(explicit: str | None) -> str | None:
    """The CA bundle to verify against: ``explicit``, else ``AWS_CA_BUNDLE``,
    else certifi's, else None (the system's trust store)."""
    return explicit or os.environ.get("AWS_CA_BUNDLE") or certifi_bundle()


def proxy_for(
    proxies: Mapping[str, str], scheme: str, netloc: str, *, bypass: bool
) -> str | None:
    """The proxy URL for a URL's ``scheme`` and ``netloc`` (None: direct).

    ``bypass``: the proxies came from the environment, so ``NO_PROXY`` /
    ``no_proxy`` may exempt the host (botocore's ``should_bypass_proxies``).
    """
    proxy = proxies.get(scheme)
    if not proxy:
        return None
    if bypass:
        from urllib.request import proxy_bypass

        try:
            if proxy_bypass(netloc):
                return None
        except (TypeError, OSError):
            pass
    return fix_proxy_url(proxy)


def environment_proxies() -> dict[str, str]:
    """As requests and botocore: urllib's reading of ``*_proxy`` variables
    (``urllib.request.getproxies_environment``, whose import costs a fresh
    process milliseconds): lower case wins; upper-case ``HTTP_PROXY`` is
    ignored under CGI."""
    environ = os.environ
    proxies: dict[str, str] = {}
    for name, value in environ.items():
        name = name.lower()
        if value and name[-6:] == "_proxy":
            proxies[name[:-6]] = value
    if "REQUEST_METHOD" in environ:
        proxies.pop("http", None)
    for name, value in environ.items():
        if name[-6:] == "_proxy":
            name = name.lower()
            if value:
                proxies[name[:-6]] = value
            else:
                proxies.pop(name[:-6], None)
    return {
        scheme: proxy
        for scheme, proxy in proxies.items()
        if scheme in ("http", "https") and proxy
    }


def fix_proxy_url(proxy: str) -> str:
    # botocore's ProxyConfiguration.fix_proxy_url
    if proxy.startswith(("http:", "https:")):
        return proxy
    if proxy.startswith("//"):
        return "http:" + proxy
    return "http://" + proxy


def proxy_auth_headers(proxy: str) -> dict[str, str]:
    from base64 import b64encode
    from urllib.parse import unquote

    parts = urlsplit(proxy)
    if not parts.username or parts.password is None:
        return {}
    user_pass = f"{unquote(parts.username)}:{unquote(parts.password)}"
    return {"Proxy-Authorization": "Basic " + b64encode(user_pass.encode()).decode()}


def certifi_bundle() -> str | None:
    try:
        import certifi
    except ImportError:
        return None
    return str(certifi.where())


def request_target(url: str) -> str:
    # Sent as given: urllib3's own URL parser would normalise the path.
    parts = urlsplit(url)
    target = parts.path or "/"
    return f"{target}?{parts.query}" if parts.query else target


def is_chunked(headers: Mapping[str, str]) -> bool:
    return any(
        name.lower() == "transfer-encoding" and value.strip().lower() == "chunked"
        for name, value in headers.items()
    )


def wire_headers(request: HttpRequest) -> dict[str, str]:
    """The headers as sent, with a length added as botocore's preparer does."""
    headers = request.headers
    lowered = {name.lower() for name in headers}
    if "content-length" in lowered or "transfer-encoding" in lowered:
        return headers
    if request.method.upper() in _NO_LENGTH_METHODS:
        return headers
    length = _content_length(request.body)
    extra = (
        {"Content-Length": str(length)}
        if length is not None
        else {"Transfer-Encoding": "chunked"}
    )
    return {**headers, **extra}


def _content_length(body: bytes | BinaryIO) -> int | None:
    if isinstance(body, (bytes, bytearray, memoryview)):
        return len(body)
    if not body:
        return 0
    try:
        start = body.tell()
        end = body.seek(0, os.SEEK_END)
        body.seek(start)
    except (AttributeError, OSError):
        return None  # Not seekable: sent chunked.
    return end - start


def _read_all(response: BaseHTTPResponse, url: str) -> bytes:
    try:
        with mapped_errors(url):
            return response.read(decode_content=False)
    finally:
        response.release_conn()


class mapped_errors:  # lower-case: reads like a function at the call site
    """Translate urllib3 (or, with ``map_error``, other) network failures
    into :class:`TransportError`."""

    __slots__ = ("_url", "_map")

    def __init__(self, url: str, map_error: ErrorMapper | None = None) -> None:
        self._url = url
        self._map = map_error or _map_error

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc is None or isinstance(exc, TransportError):
            return
        mapped = self._map(exc, self._url)
        if mapped is not None:
            raise mapped from exc


def _map_error(error: BaseException, url: str) -> TransportError | None:
    from urllib3 import exceptions as e

    # Order matters: urllib3's NewConnectionError subclasses its
    # ConnectTimeoutError, and its ReadTimeoutError is a RequestError.
    if isinstance(error, e.SSLError):
        return SSLError(url, error)
    if isinstance(error, (e.NewConnectionError, e.ProxyError)):
        return EndpointConnectionError(url, error)
    if isinstance(error, e.ConnectTimeoutError):
        return ConnectTimeoutError(url, error)
    if isinstance(error, e.ReadTimeoutError):
        return ReadTimeoutError(url, error)
    if isinstance(error, e.ProtocolError):
        return ConnectionClosedError(url, error)
    if isinstance(error, (e.HTTPError, OSError)):
        return TransportError(url, error)
    return None
