"""The default transport's options and environment, end to end on 127.0.0.1:
proxies (``proxies=``, ``HTTP_PROXY``/``http_proxy``, ``NO_PROXY``) through a
forward proxy started here with moto behind it, compared with what boto3
does under the same environment; the pool size; ``verify`` against an HTTPS
server with a self-signed certificate made here."""

from __future__ import annotations

import datetime
import http.client
import ipaddress
import json
import logging
import ssl
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
import pytest

from generated.emr_serverless import EMRServerlessClient
from generated.sts import STSClient
from tests.e2e.support import ACCESS_KEY, REGION, SECRET_KEY
from typed_aws_runtime.http import SSLError, Urllib3Transport

KEYS: dict[str, Any] = {
    "aws_access_key_id": ACCESS_KEY,
    "aws_secret_access_key": SECRET_KEY,
}
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY")


# -- a forward proxy -------------------------------------------------------------


class _Proxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.seen: list[tuple[str, str, str | None]] = []


class _ProxyHandler(BaseHTTPRequestHandler):
    """A CONNECT-less forward proxy: the request line holds the absolute URL."""

    server: _Proxy
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def _forward(self) -> None:
        target = urlsplit(self.path)
        self.server.seen.append(
            (self.command, self.path, self.headers.get("Proxy-Authorization"))
        )
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {
            k: v
            for k, v in self.headers.items()
            if k.lower() not in ("proxy-authorization", "proxy-connection")
        }
        assert target.hostname is not None
        upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=10)
        path = target.path + (f"?{target.query}" if target.query else "")
        upstream.request(self.command, path, body=body, headers=headers)
        answer = upstream.getresponse()
        data = answer.read()
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in (
                "transfer-encoding",
                "content-length",
                "connection",
            ):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        upstream.close()

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward


@pytest.fixture
def proxy() -> Iterator[_Proxy]:
    server = _Proxy()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _proxy_url(proxy: _Proxy) -> str:
    return f"http://127.0.0.1:{proxy.server_address[1]}"


def _both_calls(moto: str, **options: Any) -> Callable[[], tuple[Any, Any]]:
    def call() -> tuple[Any, Any]:
        with STSClient(endpoint_url=moto, region_name=REGION, **KEYS, **options) as c:
            ours = c.get_caller_identity().account
        config = None
        if "proxies" in options:
            import botocore.config

            config = botocore.config.Config(proxies=options["proxies"])
        boto = boto3.client(
            "sts", endpoint_url=moto, region_name=REGION, config=config, **KEYS
        )
        theirs = boto.get_caller_identity()["Account"]
        boto.close()
        return ours, theirs

    return call


def _clear_proxy_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy"])
def test_http_proxy_from_environment_like_boto3(
    moto: str, proxy: _Proxy, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    _clear_proxy_environment(monkeypatch)
    monkeypatch.setenv(variable, _proxy_url(proxy))
    ours, theirs = _both_calls(moto)()
    assert ours == theirs
    # Both went through the proxy, as forwarded requests with the full URL.
    assert [(m, u) for m, u, _ in proxy.seen] == [("POST", f"{moto}/")] * 2


@pytest.mark.parametrize(
    "no_proxy", ["127.0.0.1", "*", "localhost,127.0.0.1:0,127.0.0.1"]
)
def test_no_proxy_bypasses_like_boto3(
    moto: str, proxy: _Proxy, monkeypatch: pytest.MonkeyPatch, no_proxy: str
) -> None:
    _clear_proxy_environment(monkeypatch)
    monkeypatch.setenv("HTTP_PROXY", _proxy_url(proxy))
    monkeypatch.setenv("NO_PROXY", no_proxy)
    ours, theirs = _both_calls(moto)()
    assert ours == theirs
    assert proxy.seen == []


def test_no_proxy_for_another_host_still_proxies(
    moto: str, proxy: _Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    _clear_proxy_environment(monkeypatch)
    monkeypatch.setenv("HTTP_PROXY", _proxy_url(proxy))
    monkeypatch.setenv("no_proxy", "example.com,.internal")
    _both_calls(moto)()
    assert len(proxy.seen) == 2


def test_explicit_proxies_win_and_ignore_no_proxy_like_boto3(
    moto: str, proxy: _Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    _clear_proxy_environment(monkeypatch)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # discard port: unused
    url = _proxy_url(proxy).replace("http://", "http://user:p%40ss@")
    ours, theirs = _both_calls(moto, proxies={"http": url})()
    assert ours == theirs
    assert [(m, a) for m, _, a in proxy.seen] == [
        ("POST", "Basic dXNlcjpwQHNz")  # user:p@ss
    ] * 2


def test_proxies_for_another_scheme_only_go_direct(
    moto: str, proxy: _Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    _clear_proxy_environment(monkeypatch)
    ours, theirs = _both_calls(moto, proxies={"https": _proxy_url(proxy)})()
    assert ours == theirs
    assert proxy.seen == []


# -- the pool size ---------------------------------------------------------------


class _BarrierHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    barrier: threading.Barrier

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.barrier.wait(timeout=10)  # every request is in flight at once
        body = json.dumps({"applications": []}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST


@pytest.mark.parametrize("size", [1, 2])
def test_pool_size_limits_kept_connections(
    size: int, caplog: pytest.LogCaptureFixture
) -> None:
    concurrent = size + 2

    class Handler(_BarrierHandler):
        barrier = threading.Barrier(concurrent)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{server.server_address[1]}"
    client = EMRServerlessClient(
        endpoint_url=endpoint, region_name=REGION, max_pool_connections=size, **KEYS
    )
    caplog.set_level(logging.WARNING, logger="typed_aws_runtime.connections")
    try:
        threads = [
            threading.Thread(target=client.list_applications) for _ in range(concurrent)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=20)
    finally:
        client.close()
        server.shutdown()
        server.server_close()
    # The pool keeps `size` connections and discards the rest, saying so in
    # urllib3's words.
    full = [r.getMessage() for r in caplog.records if "pool is full" in r.getMessage()]
    assert len(full) == concurrent - size
    assert all(m.endswith(f"Connection pool size: {size}") for m in full)


def test_pool_size_on_the_urllib3_pool() -> None:
    with Urllib3Transport(max_pool_connections=7) as transport:
        manager = transport._manager or transport._create_manager()
        pool = manager.connection_from_url("http://127.0.0.1:1/").pool
        assert pool is not None and pool.maxsize == 7


# -- TLS verification ------------------------------------------------------------


def _self_signed(directory: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class _JsonHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:
        body = b'{"applications": []}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def https_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, Path]]:
    cert, key = _self_signed(tmp_path_factory.mktemp("tls"))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _JsonHandler)
    server.daemon_threads = True
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}", cert
    finally:
        server.shutdown()
        server.server_close()


def _list(endpoint: str, **options: Any) -> Any:
    with EMRServerlessClient(
        endpoint_url=endpoint, region_name=REGION, max_attempts=1, **KEYS, **options
    ) as client:
        return client.list_applications()


@pytest.mark.filterwarnings(
    "ignore::typed_aws_runtime.connections.InsecureRequestWarning"
)
def test_verify_false_accepts_a_self_signed_certificate(
    https_server: tuple[str, Path],
) -> None:
    endpoint, _ = https_server
    assert _list(endpoint, verify=False).applications == []


def test_verify_by_default_refuses_a_self_signed_certificate(
    https_server: tuple[str, Path],
) -> None:
    endpoint, _ = https_server
    with pytest.raises(SSLError):
        _list(endpoint)
    # As boto3 does.
    import botocore.config
    import botocore.exceptions

    boto = boto3.client(
        "emr-serverless",
        endpoint_url=endpoint,
        region_name=REGION,
        config=botocore.config.Config(retries={"total_max_attempts": 1}),
        **KEYS,
    )
    with pytest.raises(botocore.exceptions.SSLError):
        boto.list_applications()


def test_verify_with_a_ca_bundle_path_and_aws_ca_bundle(
    https_server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    endpoint, cert = https_server
    assert _list(endpoint, verify=str(cert)).applications == []
    monkeypatch.setenv("AWS_CA_BUNDLE", str(cert))
    assert _list(endpoint).applications == []
    # An explicit bundle wins over the variable: certifi's does not hold ours.
    import certifi

    with pytest.raises(SSLError):
        _list(endpoint, verify=certifi.where())
