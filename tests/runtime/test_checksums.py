"""checksums.py against botocore's httpchecksum.py: the aws-chunked body
byte for byte (any data, any read sizes), the checksums, and an aws-chunked
body sent through the default transport to a local server."""

from __future__ import annotations

import base64
import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from botocore import httpchecksum
from hypothesis import given, settings
from hypothesis import strategies as st

from typed_aws_runtime.checksums import AwsChunkedBody, b64_checksum
from typed_aws_runtime.http import Urllib3Transport
from typed_aws_runtime.transport import HttpRequest

_ALGORITHMS = sorted(set(httpchecksum._CHECKSUM_CLS) - {"sha512"}) + ["sha512"]


def _drain(body: Any, sizes: list[int]) -> bytes:
    out, i = b"", 0
    while True:
        size = sizes[i % len(sizes)] if sizes else -1
        i += 1
        chunk = body.read(size)
        if not chunk:
            return out
        out += chunk


@settings(max_examples=25, deadline=None)
@given(
    data=st.binary(max_size=3000),
    sizes=st.lists(st.integers(min_value=1, max_value=700), max_size=5),
    algorithm=st.sampled_from(_ALGORITHMS),
)
def test_aws_chunked_body_is_botocores(
    data: bytes, sizes: list[int], algorithm: str
) -> None:
    name = f"x-amz-checksum-{algorithm}"
    theirs = httpchecksum.AwsChunkedWrapper(
        io.BytesIO(data),
        checksum_cls=httpchecksum._CHECKSUM_CLS[algorithm],
        checksum_name=name,
        chunk_size=512,
    )
    ours = AwsChunkedBody(io.BytesIO(data), algorithm, name)
    ours.CHUNK_SIZE = 512
    expected = _drain(theirs, sizes)
    assert _drain(ours, sizes) == expected
    # Rewound (a retry), the same bytes again.
    ours.seek(0)
    assert _drain(ours, []) == expected


@settings(max_examples=25, deadline=None)
@given(data=st.binary(max_size=5000), algorithm=st.sampled_from(_ALGORITHMS))
def test_checksums_are_botocores(data: bytes, algorithm: str) -> None:
    expected = httpchecksum._CHECKSUM_CLS[algorithm]().handle(data)
    assert b64_checksum(algorithm, data) == expected
    stream = io.BytesIO(b"skip" + data)
    stream.seek(4)
    assert b64_checksum(algorithm, stream) == expected
    assert stream.tell() == 4  # rewound to where it was


class _Echo(BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], bytes]] = []

    def do_PUT(self) -> None:  # noqa: N802 - http.server's name
        body = b""
        while True:
            size = int(self.rfile.readline().strip(), 16)
            chunk = self.rfile.read(size + 2)[:size]
            if size == 0:
                break
            body += chunk
        _Echo.received.append((dict(self.headers), body))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def echo() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_aws_chunked_body_through_the_transport(echo: str) -> None:
    data = bytes(range(256)) * 9000  # a little over 2 MiB: three chunks
    body = AwsChunkedBody(io.BytesIO(data), "crc32", "x-amz-checksum-crc32")
    expected = _drain(AwsChunkedBody(io.BytesIO(data), "crc32", "n"), []).replace(
        b"0\r\nn:", b"0\r\nx-amz-checksum-crc32:"
    )
    transport = Urllib3Transport()
    try:
        response = transport.send(
            HttpRequest(
                "PUT",
                f"{echo}/b/k",
                {"Transfer-Encoding": "chunked", "Content-Encoding": "aws-chunked"},
                body,  # type: ignore[arg-type]
            )
        )
    finally:
        transport.close()
    assert response.status_code == 200
    headers, received = _Echo.received[-1]
    assert received == expected
    trailer = received.rsplit(b"x-amz-checksum-crc32:", 1)[1].strip()
    assert base64.b64decode(trailer) == base64.b64decode(b64_checksum("crc32", data))
    assert "Content-Length" not in headers
