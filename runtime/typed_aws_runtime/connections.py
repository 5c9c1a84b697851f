"""The default transport: ``http.client`` connections in a pool of our own.

It does what :class:`~typed_aws_runtime.http.Urllib3Transport` does, as
botocore's ``URLLib3Session`` does, without importing urllib3 (40 ms of a
fresh process's start: urllib3 pulls in ``importlib.metadata`` and more):

- keep-alive connections pooled per scheme, host, port and proxy; at most
  ``max_pool_connections`` idle ones kept per pool (more may be open at once,
  as urllib3's non-blocking pool: the surplus is closed when given back, with
  urllib3's warning); a kept connection the server closed is not reused;
- a connect timeout and a read timeout;
- TLS verified against ``verify`` (a path), else ``AWS_CA_BUNDLE``, else
  certifi's bundle, else the system's; ``verify=False`` does not verify;
- proxies from ``proxies`` or the environment (``NO_PROXY`` honoured): an
  ``http`` URL as a forwarded request, an ``https`` URL through a ``CONNECT``
  tunnel; credentials in the proxy URL become ``Proxy-Authorization``. An
  ``https://`` proxy (TLS to the proxy itself) goes through urllib3;
- no retries, no redirects, no content decoding; ``Content-Length`` added as
  botocore's preparer does; every network failure a
  :class:`~typed_aws_runtime.http.TransportError` carrying the URL, mapped as
  urllib3's errors are.

The client retries connection errors (``retries.py``), with a fresh
signature, as it does over urllib3.
"""

from __future__ import annotations

import http.client
import os
import select
import socket
import ssl
import threading
from collections.abc import Mapping
from typing import Any, BinaryIO, Self, cast
from urllib.parse import urlsplit

from .http import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    PoolOptions,
    ReadTimeoutError,
    SSLError,
    StreamingBody,
    TransportError,
    Urllib3Transport,
    ca_bundle,
    environment_proxies,
    is_chunked,
    mapped_errors,
    proxy_auth_headers,
    proxy_for,
    request_target,
    wire_headers,
)
from .transport import HttpRequest, HttpResponse

__all__ = ["HttpTransport", "InsecureRequestWarning"]

# botocore's 128 KiB blocks for uploads (http.client's default is 8 KiB).
_BLOCK_SIZE = 128 * 1024

# (scheme, host, port, proxy URL or "")
_PoolKey = tuple[str, str, int, str]


class InsecureRequestWarning(UserWarning):
    """An HTTPS request sent with ``verify=False`` (urllib3 warns alike)."""


class _Connection(http.client.HTTPConnection):
    """Connects within the connect timeout, then reads within the read one."""

    read_timeout: float | None = None

    def connect(self) -> None:
        super().connect()  # sets TCP_NODELAY, and tunnels through a proxy
        self.sock.settimeout(self.read_timeout)


class _TlsConnection(http.client.HTTPSConnection):
    read_timeout: float | None = None

    def connect(self) -> None:
        super().connect()
        self.sock.settimeout(self.read_timeout)


class _PooledBody:
    """A streamed response; its connection goes back to the pool once the
    body was read to its end, and is closed otherwise."""

    __slots__ = ("_response", "_connection", "_release")

    def __init__(
        self,
        response: http.client.HTTPResponse,
        connection: http.client.HTTPConnection,
        release: Any,
    ) -> None:
        self._response = response
        self._connection: http.client.HTTPConnection | None = connection
        self._release = release

    def read(self, amt: int | None) -> bytes:
        return self._response.read(amt)

    def read1(self, amt: int | None) -> bytes:
        return self._response.read1(-1 if amt is None else amt)

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        if self._response.isclosed():  # read to its end
            self._release(connection, self._response)
        else:
            self._response.close()
            connection.close()


class HttpTransport(PoolOptions):
    """Sends requests over pooled, TLS-verified ``http.client`` connections.

    The options are :class:`~typed_aws_runtime.http.Urllib3Transport`'s
    (boto3's names and defaults): ``connect_timeout``, ``read_timeout``,
    ``max_pool_connections`` (idle connections kept per host), ``verify``
    (None or True: ``AWS_CA_BUNDLE``, else certifi, else the system; a path:
    that bundle, a file or a directory of hashed certificates; False: no
    verification), ``proxies`` (a proxy URL by URL scheme; None: the
    ``*_proxy`` variables, read when the first request is sent).
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
        self._idle: dict[_PoolKey, list[http.client.HTTPConnection]] = {}
        self._context: ssl.SSLContext | None = None
        # None until the first request reads the environment; then the
        # proxy URL by scheme (empty: no proxy, the common case).
        self._proxies: dict[str, str] | None = None
        self._routes: dict[tuple[str, str], str | None] = {}
        self._urllib3: Urllib3Transport | None = None

    # -- sending -----------------------------------------------------------------

    def send(self, request: HttpRequest, *, stream: bool = False) -> HttpResponse:
        """Send ``request``; with ``stream`` (or ``request.stream``) the body
        is a :class:`~typed_aws_runtime.http.StreamingBody`."""
        url = request.url
        parts = urlsplit(url)
        scheme = parts.scheme
        proxies = self._proxies
        if proxies is None:
            proxies = self._read_proxies()
        proxy = self._route(parts.scheme, parts.netloc) if proxies else None
        if proxy is not None and proxy.startswith("https:"):
            return self._via_urllib3().send(request, stream=stream)
        try:
            host = parts.hostname or ""
            port = parts.port or (443 if scheme == "https" else 80)
        except ValueError as error:  # a bad port
            raise TransportError(url, error) from None
        if scheme not in ("http", "https") or not host:
            raise TransportError(url, ValueError(f"not an HTTP URL: {url!r}"))
        key = (scheme, host, port, proxy or "")
        connection = self._idle_connection(key)
        if connection is None:
            connection = self._connect(key, url)
        headers = wire_headers(request)
        target = request_target(url)
        if proxy is not None:
            if scheme == "http":  # a forwarded request names the whole URL
                target = url
                headers = {**headers, **proxy_auth_headers(proxy)}
        try:
            with mapped_errors(url, _map_exchange_error):
                connection.putrequest(
                    request.method,
                    target,
                    skip_host=_has(headers, "host"),
                    skip_accept_encoding=_has(headers, "accept-encoding"),
                )
                for name, value in headers.items():
                    connection.putheader(name, value)
                connection.endheaders(
                    cast(Any, request.body or None),
                    encode_chunked=is_chunked(headers),
                )
                response = connection.getresponse()
            response_headers = _Headers(response)
            if request.stream or stream:
                body: bytes | BinaryIO = cast(
                    BinaryIO,
                    StreamingBody(
                        _PooledBody(response, connection, self._release_to(key)),
                        url,
                        _map_exchange_error,
                    ),
                )
            else:
                with mapped_errors(url, _map_exchange_error):
                    body = response.read()
                self._release(key, connection, response)
        except BaseException:
            connection.close()
            raise
        return HttpResponse(response.status, response_headers, body)

    # -- the pool ----------------------------------------------------------------

    def _idle_connection(self, key: _PoolKey) -> http.client.HTTPConnection | None:
        while True:
            with self._lock:
                idle = self._idle.get(key)
                if not idle:
                    return None
                connection = idle.pop()
            if not _dropped(connection):
                return connection
            connection.close()

    def _release_to(self, key: _PoolKey) -> Any:
        def release(
            connection: http.client.HTTPConnection,
            response: http.client.HTTPResponse,
        ) -> None:
            self._release(key, connection, response)

        return release

    def _release(
        self,
        key: _PoolKey,
        connection: http.client.HTTPConnection,
        response: http.client.HTTPResponse,
    ) -> None:
        if response.will_close:
            connection.close()
            return
        with self._lock:
            idle = self._idle.setdefault(key, [])
            if len(idle) < self.max_pool_connections:
                idle.append(connection)
                return
        connection.close()
        import logging

        # urllib3's words, so logs read the same as over urllib3.
        logging.getLogger(__name__).warning(
            "Connection pool is full, discarding connection: %s. "
            "Connection pool size: %s",
            key[1],
            self.max_pool_connections,
        )

    def _connect(self, key: _PoolKey, url: str) -> http.client.HTTPConnection:
        scheme, host, port, proxy = key
        target_host, target_port = host, port
        if proxy:
            proxy_parts = urlsplit(proxy)
            host = proxy_parts.hostname or ""
            try:
                port = proxy_parts.port or 80
            except ValueError as error:
                raise EndpointConnectionError(url, error) from None
        connection: http.client.HTTPConnection
        if scheme == "https" and not self.verify:
            import warnings

            warnings.warn(
                f"Unverified HTTPS request is being made to host '{target_host}'. "
                "Adding certificate verification is strongly advised.",
                InsecureRequestWarning,
                stacklevel=2,
            )
        if scheme == "https":
            connection = _TlsConnection(
                host, port, timeout=self.connect_timeout, context=self._tls()
            )
            if proxy:
                connection.set_tunnel(
                    target_host, target_port, headers=proxy_auth_headers(proxy)
                )
        else:
            connection = _Connection(host, port, timeout=self.connect_timeout)
        connection.blocksize = _BLOCK_SIZE
        connection.read_timeout = self.read_timeout
        try:
            with mapped_errors(url, _map_connect_error):
                connection.connect()
        except BaseException:
            connection.close()
            raise
        return connection

    def _tls(self) -> ssl.SSLContext:
        context = self._context
        if context is None:
            with self._lock:
                if self._context is None:
                    self._context = self._new_context()
                context = self._context
        return context

    def _new_context(self) -> ssl.SSLContext:
        # As urllib3's context: TLS 1.2 at least; only the bundle's CAs.
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        if not self.verify:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            return context
        bundle = ca_bundle(self.ca_bundle)
        if bundle is None:
            context.load_default_certs()
        elif os.path.isdir(bundle):
            context.load_verify_locations(capath=bundle)
        else:
            context.load_verify_locations(cafile=bundle)
        return context

    # -- proxies -----------------------------------------------------------------

    def _read_proxies(self) -> dict[str, str]:
        with self._lock:
            if self._proxies is None:
                self._proxies = (
                    self.explicit_proxies
                    if self.explicit_proxies is not None
                    else environment_proxies()
                )
            return self._proxies

    def _route(self, scheme: str, netloc: str) -> str | None:
        key = (scheme, netloc)
        try:
            return self._routes[key]
        except KeyError:
            proxy = proxy_for(
                self._proxies or {},
                scheme,
                netloc,
                bypass=self.explicit_proxies is None,
            )
            self._routes[key] = proxy
            return proxy

    def _via_urllib3(self) -> Urllib3Transport:
        with self._lock:
            if self._urllib3 is None:
                self._urllib3 = Urllib3Transport(
                    connect_timeout=self.connect_timeout,
                    read_timeout=self.read_timeout,
                    max_pool_connections=self.max_pool_connections,
                    verify=self.verify,
                    ca_bundle=self.ca_bundle,
                    proxies=self.explicit_proxies,
                )
            return self._urllib3

    # -- lifecycle ---------------------------------------------------------------

    def close(self) -> None:
        """Close every pooled connection; a later send opens new ones."""
        with self._lock:
            idle, self._idle = self._idle, {}
            self._routes.clear()
            self._proxies = None
            urllib3, self._urllib3 = self._urllib3, None
        for connections in idle.values():
            for connection in connections:
                connection.close()
        if urllib3 is not None:
            urllib3.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"HttpTransport(connect_timeout={self.connect_timeout!r}, "
            f"read_timeout={self.read_timeout!r}, verify={self.verify!r}, "
            f"max_pool_connections={self.max_pool_connections!r})"
        )


def _has(headers: Mapping[str, str], name: str) -> bool:
    return any(key.lower() == name for key in headers)


class _Headers(dict[str, str]):
    """Response headers under their first spelling, read case-insensitively
    (as urllib3's ``HTTPHeaderDict``); an exact spelling is a plain dict hit."""

    __slots__ = ("_spelling",)

    def __init__(self, response: http.client.HTTPResponse) -> None:
        super().__init__()
        spelling: dict[str, str] = {}
        for name, value in response.getheaders():
            lower = name.lower()
            first = spelling.get(lower)
            if first is None:
                spelling[lower] = name
                self[name] = value
            else:  # repeated: joined with ", ", as urllib3 and botocore read it
                self[first] = f"{self[first]}, {value}"
        self._spelling = spelling

    def __missing__(self, key: str) -> str:
        name = self._spelling.get(key.lower()) if isinstance(key, str) else None
        if name is None:
            raise KeyError(key)
        return dict.__getitem__(self, name)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._spelling

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default


def _dropped(connection: http.client.HTTPConnection) -> bool:
    """True when a kept connection was closed by the server (or has data
    nobody asked for): urllib3's ``is_connection_dropped``."""
    sock = connection.sock
    if sock is None:
        return True
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def _map_connect_error(error: BaseException, url: str) -> TransportError | None:
    """As urllib3's errors map while connecting (``http._map_error``)."""
    if isinstance(error, (ssl.SSLError, ssl.CertificateError)):
        return SSLError(url, error)
    if isinstance(error, (TimeoutError, socket.timeout)):
        return ConnectTimeoutError(url, error)
    if isinstance(error, (OSError, http.client.HTTPException)):
        # Refused, unreachable, no such name, a proxy refusing the tunnel.
        return EndpointConnectionError(url, error)
    return None


def _map_exchange_error(error: BaseException, url: str) -> TransportError | None:
    """As urllib3's errors map once connected: a timeout is a read timeout,
    a broken exchange a closed connection (urllib3's ``ProtocolError``)."""
    if isinstance(error, ssl.SSLError):
        return SSLError(url, error)
    if isinstance(error, (TimeoutError, socket.timeout)):
        return ReadTimeoutError(url, error)
    if isinstance(error, (OSError, http.client.HTTPException)):
        return ConnectionClosedError(url, error)
    return None
