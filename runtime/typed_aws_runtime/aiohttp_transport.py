"""The asynchronous client's default transport: aiohttp.

aiohttp is imported when the first request is sent, and is an optional
dependency of the runtime (``typed-aws-runtime[async]``). Chosen over httpx
for its per-call cost: against a local keep-alive server, about 150 us a
request where httpx takes about 680 us, and 1,000 concurrent requests over
10 connections in about 0.16 s where httpx takes 1.3 s (README, "Async
clients"). aiohttp runs on asyncio only (and on anyio's asyncio backend);
under trio, inject another :class:`~typed_aws_runtime.transport.AsyncTransport`.

As the blocking :class:`~typed_aws_runtime.http.Urllib3Transport`: no
redirects, no content decoding, the URL sent as built (no re-quoting, so
the signed path is the path sent), ``Content-Length`` added as botocore's
preparer adds it, the same options (``connect_timeout``, ``read_timeout``,
``max_pool_connections``: connections per host, a hard limit as in
aiobotocore; ``verify``; ``proxies``, else ``HTTP(S)_PROXY``/``NO_PROXY``
read at the first request), and every network failure raised as the same
:class:`~typed_aws_runtime.http.TransportError` subclasses. A call cancelled
while it sends or reads closes its connection instead of returning it to
the pool half-read.
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, cast
from urllib.parse import urlsplit

from typed_aws_runtime.http import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    PoolOptions,
    ReadTimeoutError,
    SSLError,
    TransportError,
    ca_bundle,
    environment_proxies,
    proxy_auth_headers,
    proxy_for,
    wire_headers,
)
from typed_aws_runtime.streaming import AsyncRawStream
from typed_aws_runtime.transport import HttpRequest, HttpResponse

if TYPE_CHECKING:  # pragma: no cover - typing only
    import aiohttp

__all__ = ["AiohttpTransport"]

# Headers aiohttp would add on its own; botocore sends none of them (an
# Accept-Encoding would invite a compressed body nobody decodes).
_SKIP_AUTO_HEADERS = frozenset({"Accept-Encoding", "Content-Type", "User-Agent"})


class AiohttpTransport(PoolOptions):
    """Sends requests over one pooled aiohttp session (created on the first
    send, inside the running event loop). Close it with ``await close()``."""

    def __init__(
        self,
        connect_timeout: float = 60,
        read_timeout: float = 60,
        max_pool_connections: int = 10,
        verify: bool | str | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(
            connect_timeout, read_timeout, max_pool_connections, verify, None, proxies
        )
        self._proxies: dict[str, str] = {}
        self._routes: dict[tuple[str, str], str | None] = {}
        self._session: aiohttp.ClientSession | None = None
        self._ssl: ssl.SSLContext | bool | None = None
        self._url_class: Any = None

    def _ssl_context(self) -> ssl.SSLContext | bool:
        # Loading a CA bundle reads files: done once, when the client
        # prepares its first call (in a worker thread), not per request.
        if self._ssl is None:
            if not self.verify:
                self._ssl = False
            else:
                bundle = ca_bundle(self.ca_bundle)
                if bundle is not None and os.path.isdir(bundle):
                    self._ssl = ssl.create_default_context(capath=bundle)
                else:
                    self._ssl = ssl.create_default_context(cafile=bundle)
        return self._ssl

    def prepare(self) -> None:
        """The blocking part of the setup (TLS trust store, proxy settings);
        the asynchronous client calls it off the event loop."""
        self._ssl_context()
        if self.explicit_proxies is not None:
            self._proxies = self.explicit_proxies
        else:
            self._proxies = environment_proxies()

    def _create_session(self) -> aiohttp.ClientSession:
        import aiohttp
        import yarl

        if self._ssl is None:
            self.prepare()
        self._url_class = yarl.URL
        connector = aiohttp.TCPConnector(
            limit=0,
            limit_per_host=self.max_pool_connections,
            ssl=self._ssl_context(),
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            timeout=aiohttp.ClientTimeout(
                total=None,
                sock_connect=self.connect_timeout,
                sock_read=self.read_timeout,
            ),
            auto_decompress=False,
            trust_env=False,
            skip_auto_headers=_SKIP_AUTO_HEADERS,
        )
        return self._session

    async def send(self, request: HttpRequest) -> HttpResponse:
        session = self._session
        if session is None or session.closed:
            session = self._create_session()
        url = request.url
        proxy = self._proxy_for(url) if self._proxies else None
        body = request.body
        try:
            response = await session.request(
                request.method,
                self._url_class(url, encoded=True),
                data=body if body else None,
                headers=wire_headers(request),
                allow_redirects=False,
                proxy=proxy,
                proxy_headers=proxy_auth_headers(proxy) if proxy else None,
            )
        except Exception as error:
            raise _mapped(error, url) from error
        if request.stream:
            # An AsyncRawStream where the blocking transport gives a file
            # (streaming.streaming_body tells them apart).
            stream = cast(BinaryIO, _AiohttpStream(response, url))
            return HttpResponse(response.status, response.headers, stream)
        try:
            data = await response.read()
        except BaseException as error:
            response.close()  # cancelled or failed half-way: not reusable
            if isinstance(error, Exception):
                raise _mapped(error, url) from error
            raise
        response.release()
        return HttpResponse(response.status, response.headers, data)

    async def close(self) -> None:
        """Close every pooled connection; a later send opens new ones."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    def __repr__(self) -> str:
        return (
            f"AiohttpTransport(connect_timeout={self.connect_timeout!r}, "
            f"read_timeout={self.read_timeout!r}, verify={self.verify!r}, "
            f"max_pool_connections={self.max_pool_connections!r})"
        )

    def _proxy_for(self, url: str) -> str | None:
        parts = urlsplit(url)
        key = (parts.scheme, parts.netloc)
        try:
            return self._routes[key]
        except KeyError:
            pass
        route = proxy_for(
            self._proxies,
            parts.scheme,
            parts.netloc,
            bypass=self.explicit_proxies is None,
        )
        self._routes[key] = route
        return route


class _AiohttpStream(AsyncRawStream):
    """A streaming response body, read from the connection as awaited."""

    def __init__(self, response: aiohttp.ClientResponse, url: str) -> None:
        self._response = response
        self._url = url

    async def read(self, amt: int | None = None) -> bytes:
        try:
            if amt is None or amt < 0:
                return await self._response.content.read()
            return await self._response.content.read(amt)
        except BaseException as error:
            self._response.close()
            if isinstance(error, Exception):
                raise _mapped(error, self._url) from error
            raise

    def close(self) -> None:
        if self._response.content.at_eof():
            self._response.release()
        else:
            self._response.close()


def _mapped(error: Exception, url: str) -> Exception:
    """aiohttp's and the socket's failures as the runtime's TransportErrors."""
    import aiohttp

    if isinstance(error, TransportError):
        return error
    # Order matters: aiohttp's certificate and SSL errors are connector
    # errors, its timeouts are both ServerTimeoutError and TimeoutError.
    if isinstance(error, (aiohttp.ClientSSLError, ssl.SSLError)):
        return SSLError(url, error)
    if isinstance(error, aiohttp.ConnectionTimeoutError):
        return ConnectTimeoutError(url, error)
    if isinstance(error, (aiohttp.ServerTimeoutError, TimeoutError)):
        return ReadTimeoutError(url, error)
    if isinstance(
        error, (aiohttp.ClientConnectorError, aiohttp.ClientProxyConnectionError)
    ):
        return EndpointConnectionError(url, error)
    if isinstance(
        error,
        (
            aiohttp.ServerDisconnectedError,
            aiohttp.ClientPayloadError,
            aiohttp.ClientOSError,  # reset while sending or reading
            ConnectionError,
        ),
    ):
        return ConnectionClosedError(url, error)
    if isinstance(error, (aiohttp.ClientError, OSError)):
        return TransportError(url, error)
    return error
