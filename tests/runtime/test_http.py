"""The default transport (HttpTransport, on http.client) and Urllib3Transport,
the same tests each, against a local HTTP server on 127.0.0.1."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from typed_aws_runtime.connections import HttpTransport
from typed_aws_runtime.http import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
    SSLError,
    StreamingBody,
    TransportError,
    Urllib3Transport,
    _map_error,
)
from typed_aws_runtime.transport import HttpRequest

BIG = os.urandom(3 * 1024 * 1024 + 17)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so pooling is observable

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # keep test output clean

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while size := int(self.rfile.readline().strip(), 16):
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            self.rfile.readline()
            return b"".join(chunks)
        return self.rfile.read(int(self.headers.get("Content-Length", 0)))

    def _send(self, status: int, body: bytes, **headers: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _echo(self) -> None:
        body = self._body()
        report = {
            "method": self.command,
            "path": self.path,
            "headers": dict(self.headers.items()),
            "length": len(body),
            "sha256": hashlib.sha256(body).hexdigest(),
            "port": self.client_address[1],
        }
        self._send(200, json.dumps(report).encode(), X_Echo="yes")

    do_PUT = do_POST = do_DELETE = _echo

    def do_GET(self) -> None:
        if self.path == "/big":
            self._send(200, BIG)
        elif self.path == "/slow":
            time.sleep(1.0)
            self._send(200, b"late")
        elif self.path == "/redirect":
            self._send(302, b"", Location="/echo")
        elif self.path == "/error":
            self._send(
                503, b'{"message": "busy"}', x_amzn_ErrorType="ServiceUnavailable"
            )
        elif self.path == "/gzip":
            self._send(200, gzip.compress(b"zipped"), Content_Encoding="gzip")
        elif self.path == "/twice":
            self.send_response(200)
            self.send_header("X-Twice", "1")
            self.send_header("x-twice", "2")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/short":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b"only ten..")
            self.close_connection = True
        else:
            self._echo()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that time out on purpose leave broken pipes behind


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


Transport = HttpTransport | Urllib3Transport


@pytest.fixture(params=[HttpTransport, Urllib3Transport])
def transport_class(request: pytest.FixtureRequest) -> type[Transport]:
    cls: type[Transport] = request.param
    return cls


@pytest.fixture
def transport(transport_class: type[Transport]) -> Iterator[Transport]:
    with transport_class(connect_timeout=2, read_timeout=5) as transport:
        yield transport


def _json(body: object) -> dict[str, object]:
    assert isinstance(body, bytes)
    data: dict[str, object] = json.loads(body)
    return data


def test_get_returns_bytes_status_and_headers(
    server: str, transport: Transport
) -> None:
    response = transport.send(
        HttpRequest("GET", f"{server}/things?a=1&a=2", {"X-Custom": "v"})
    )
    assert response.status_code == 200
    assert response.headers["x-echo"] == "yes"  # case-insensitive lookup
    report = _json(response.body)
    assert report["path"] == "/things?a=1&a=2"
    headers = report["headers"]
    assert isinstance(headers, dict)
    assert headers["X-Custom"] == "v"
    assert "Content-Length" not in headers  # botocore adds none for GET


def test_path_is_sent_exactly_as_given(server: str, transport: Transport) -> None:
    # urllib3's own URL handling would remove the dot segments.
    url = f"{server}/a/./b/../c%2Fd//e?q=%20x"
    report = _json(transport.send(HttpRequest("GET", url, {})).body)
    assert report["path"] == "/a/./b/../c%2Fd//e?q=%20x"


def test_put_with_bytes_body_adds_content_length(
    server: str, transport: Transport
) -> None:
    body = b'{"name": "thing"}'
    response = transport.send(
        HttpRequest("PUT", f"{server}/put", {"Content-Type": "application/json"}, body)
    )
    report = _json(response.body)
    assert report["method"] == "PUT"
    assert report["sha256"] == hashlib.sha256(body).hexdigest()
    headers = report["headers"]
    assert isinstance(headers, dict)
    assert headers["Content-Length"] == str(len(body))


def test_empty_post_sends_zero_length(server: str, transport: Transport) -> None:
    report = _json(transport.send(HttpRequest("POST", f"{server}/p", {})).body)
    headers = report["headers"]
    assert isinstance(headers, dict)
    assert headers["Content-Length"] == "0"


def test_streaming_upload_from_file(
    server: str, transport: Transport, tmp_path: Path
) -> None:
    path = tmp_path / "upload.bin"
    path.write_bytes(b"skip-me" + BIG)
    with open(path, "rb") as handle:
        handle.seek(7)  # uploads from the current position, as botocore
        response = transport.send(HttpRequest("PUT", f"{server}/upload", {}, handle))
    report = _json(response.body)
    assert report["length"] == len(BIG)
    assert report["sha256"] == hashlib.sha256(BIG).hexdigest()


def test_unseekable_stream_is_sent_chunked(server: str, transport: Transport) -> None:
    class Pipe(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self._data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: object) -> int:
            chunk = self._data.read(len(memoryview(buffer)))  # type: ignore[arg-type]
            memoryview(buffer)[: len(chunk)] = chunk  # type: ignore[arg-type]
            return len(chunk)

    data = os.urandom(200_000)
    response = transport.send(HttpRequest("PUT", f"{server}/pipe", {}, Pipe(data)))  # type: ignore[arg-type]
    report = _json(response.body)
    headers = report["headers"]
    assert isinstance(headers, dict)
    assert headers["Transfer-Encoding"] == "chunked"
    assert report["sha256"] == hashlib.sha256(data).hexdigest()


def test_streaming_download(server: str, transport: Transport) -> None:
    response = transport.send(HttpRequest("GET", f"{server}/big", {}), stream=True)
    assert isinstance(response.body, StreamingBody)
    with response.body as body:
        first = body.read(10)
        chunks = list(body.iter_chunks(64 * 1024))
        assert all(len(chunk) <= 64 * 1024 for chunk in chunks)
        assert first + b"".join(chunks) == BIG
        assert body.read() == b""
    assert body.closed


def test_streaming_body_read_all_and_bufferedreader(
    server: str, transport: Transport
) -> None:
    body = transport.send(HttpRequest("GET", f"{server}/big", {}), stream=True).body
    assert isinstance(body, StreamingBody)
    reader = io.BufferedReader(body)
    assert reader.read(5) == BIG[:5]
    assert reader.read() == BIG[5:]
    reader.close()


def test_connection_is_reused(server: str, transport: Transport) -> None:
    ports = {
        _json(transport.send(HttpRequest("GET", f"{server}/p{i}", {})).body)["port"]
        for i in range(3)
    }
    assert len(ports) == 1
    # A streamed body closed early must not poison the pool.
    transport.send(HttpRequest("GET", f"{server}/big", {}), stream=True).body.close()  # type: ignore[union-attr]
    assert (
        _json(transport.send(HttpRequest("GET", f"{server}/after", {})).body)["path"]
        == "/after"
    )


def test_no_redirects_no_retries_no_decoding(server: str, transport: Transport) -> None:
    redirect = transport.send(HttpRequest("GET", f"{server}/redirect", {}))
    assert redirect.status_code == 302
    assert redirect.headers["Location"] == "/echo"
    error = transport.send(HttpRequest("GET", f"{server}/error", {}))
    assert (error.status_code, error.body) == (503, b'{"message": "busy"}')
    zipped = transport.send(HttpRequest("GET", f"{server}/gzip", {}))
    assert gzip.decompress(zipped.body) == b"zipped"  # type: ignore[arg-type]


def test_read_timeout(server: str, transport_class: type[Transport]) -> None:
    with transport_class(read_timeout=0.2) as transport:
        url = f"{server}/slow"
        with pytest.raises(ReadTimeoutError) as caught:
            transport.send(HttpRequest("GET", url, {}))
    assert caught.value.url == url
    assert isinstance(caught.value, TransportError)


def test_truncated_response_is_connection_closed(
    server: str, transport: Transport
) -> None:
    with pytest.raises(ConnectionClosedError):
        transport.send(HttpRequest("GET", f"{server}/short", {}))


def test_connection_refused(transport_class: type[Transport]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/x"
    with transport_class(connect_timeout=1) as transport:
        with pytest.raises(EndpointConnectionError) as caught:
            transport.send(HttpRequest("GET", url, {}))
    assert caught.value.url == url
    assert url in str(caught.value)


def test_urllib3_errors_map_to_transport_errors() -> None:
    from urllib3 import exceptions as e

    url = "https://x.example/"
    no_conn: Any = None  # urllib3 wants the connection; irrelevant here
    cases = [
        (e.NewConnectionError(no_conn, "refused"), EndpointConnectionError),
        (
            e.NameResolutionError("x.example", no_conn, socket.gaierror()),
            EndpointConnectionError,
        ),
        (e.ConnectTimeoutError("slow"), ConnectTimeoutError),
        (e.ReadTimeoutError(no_conn, url, "slow"), ReadTimeoutError),
        (e.SSLError("bad cert"), SSLError),
        (e.ProtocolError("reset"), ConnectionClosedError),
        (ConnectionResetError(), TransportError),
    ]
    for error, expected in cases:
        mapped = _map_error(error, url)
        assert type(mapped) is expected, error
        assert mapped is not None and mapped.url == url
    assert _map_error(ValueError("not network"), url) is None


def test_close_then_send_again(server: str, transport_class: type[Transport]) -> None:
    transport = transport_class()
    transport.send(HttpRequest("GET", f"{server}/a", {}))
    transport.close()
    assert transport.send(HttpRequest("GET", f"{server}/b", {})).status_code == 200
    transport.close()


def test_importing_the_transports_does_not_import_urllib3() -> None:
    code = (
        "import sys, typed_aws_runtime.http, typed_aws_runtime.retries, "
        "typed_aws_runtime.connections, "
        "typed_aws_runtime.signing, typed_aws_runtime.credentials; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('urllib3', 'botocore')]; "
        "assert not bad, bad"
    )
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{root / 'runtime'}"}
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root, env=env)


def test_default_transport_sends_no_urllib3() -> None:
    """A client's first call over the default transport imports no urllib3
    (40 ms of a fresh process)."""
    code = (
        "import sys, threading\n"
        "from http.server import BaseHTTPRequestHandler, HTTPServer\n"
        "class H(BaseHTTPRequestHandler):\n"
        "    protocol_version = 'HTTP/1.1'\n"
        "    def log_message(self, *a): pass\n"
        "    def do_GET(self):\n"
        "        body = b'{\"applications\": []}'\n"
        "        self.send_response(200)\n"
        "        self.send_header('Content-Length', str(len(body)))\n"
        "        self.end_headers(); self.wfile.write(body)\n"
        "s = HTTPServer(('127.0.0.1', 0), H)\n"
        "threading.Thread(target=s.serve_forever, daemon=True).start()\n"
        "from generated.emr_serverless import EMRServerlessClient\n"
        "c = EMRServerlessClient(region_name='us-east-1', "
        "endpoint_url=f'http://127.0.0.1:{s.server_address[1]}', "
        "aws_access_key_id='a', aws_secret_access_key='b')\n"
        "assert c.list_applications().applications == []\n"
        "assert 'urllib3' not in sys.modules\n"
    )
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{root / 'runtime'}"}
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root, env=env)


def test_repeated_headers_join_as_urllib3_and_botocore_read_them(
    server: str, transport: Transport
) -> None:
    response = transport.send(HttpRequest("GET", f"{server}/twice", {}))
    assert response.headers["X-Twice"] == "1, 2"
    assert response.headers.get("x-twice") == "1, 2"
    assert "X-TWICE" in response.headers
    # urllib3's reading of the same response (botocore's headers keep it).
    import urllib3

    theirs = urllib3.PoolManager().request("GET", f"{server}/twice")
    assert theirs.headers["x-twice"] == response.headers["X-Twice"]


def test_stale_pooled_connection_is_not_reused(server: str) -> None:
    with HttpTransport() as transport:
        first = _json(transport.send(HttpRequest("GET", f"{server}/a", {})).body)
        # The server drops the kept connection (/short closes after answering).
        with pytest.raises(ConnectionClosedError):
            transport.send(HttpRequest("GET", f"{server}/short", {}))
        again = _json(transport.send(HttpRequest("GET", f"{server}/b", {})).body)
        assert again["path"] == "/b"
        assert first["path"] == "/a"
