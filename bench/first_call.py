"""Time to first response and peak memory, in a fresh process, against boto3.

A local HTTPS server on 127.0.0.1 answers with a certificate signed by a CA
made here (``cryptography``); both sides trust it through ``AWS_CA_BUNDLE``.
Each child process imports, constructs a client, makes one call over the
default transport, and exits. The figure is the child's whole wall time
(spawn to exit, as a user sees it), and its peak RSS (``VmHWM``).
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import os
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# boto3 as most installs have it: without its optional ``crt`` extra. (The dev
# venv has awscrt for the SigV4a tests; botocore would import it at start-up,
# some 35 ms, and sign with it.)
WITHOUT_CRT = "import sys\nsys.modules['awscrt'] = None\n"

# (label, our code, boto3's code); {url} is the server's URL.
CALLS: tuple[tuple[str, str, str], ...] = (
    (
        "iot ListThings (rest-json)",
        "from generated.iot import IoTClient\n"
        "c = IoTClient(region_name='us-east-1', endpoint_url='{url}', "
        "aws_access_key_id='a', aws_secret_access_key='b')\n"
        "assert c.list_things().things[0].thing_name == 't'\n",
        WITHOUT_CRT + "import boto3\n"
        "c = boto3.client('iot', region_name='us-east-1', endpoint_url='{url}', "
        "aws_access_key_id='a', aws_secret_access_key='b')\n"
        "assert c.list_things()['things'][0]['thingName'] == 't'\n",
    ),
    (
        "sts GetCallerIdentity (query)",
        "from generated.sts import STSClient\n"
        "c = STSClient(region_name='us-east-1', endpoint_url='{url}', "
        "aws_access_key_id='a', aws_secret_access_key='b')\n"
        "assert c.get_caller_identity().account == '123456789012'\n",
        WITHOUT_CRT + "import boto3\n"
        "c = boto3.client('sts', region_name='us-east-1', endpoint_url='{url}', "
        "aws_access_key_id='a', aws_secret_access_key='b')\n"
        "assert c.get_caller_identity()['Account'] == '123456789012'\n",
    ),
)

_STS = (
    b'<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
    b"<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/u</Arn>"
    b"<UserId>AIDA</UserId><Account>123456789012</Account>"
    b"</GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId>"
    b"</ResponseMetadata></GetCallerIdentityResponse>"
)
_IOT = json.dumps({"things": [{"thingName": "t", "version": 1}]}).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body are two writes: with Nagle's algorithm the body would
    # wait for the client's delayed ACK (40 ms) on a kept-alive connection.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        if self.command == "POST":
            body, kind = _STS, "text/xml"
        else:
            body, kind = _IOT, "application/json"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("x-amzn-RequestId", "req-1")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer


def _certificates(directory: Path) -> tuple[Path, Path, Path]:
    """(CA bundle, server certificate, server key) for 127.0.0.1."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "bench CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    paths = directory / "ca.pem", directory / "server.pem", directory / "server.key"
    paths[0].write_bytes(ca.public_bytes(pem))
    paths[1].write_bytes(cert.public_bytes(pem))
    paths[2].write_bytes(
        key.private_bytes(
            pem,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


@contextmanager
def https_server() -> Iterator[tuple[str, Path]]:
    """(URL, CA bundle) of a local HTTPS server, for the duration."""
    with tempfile.TemporaryDirectory() as tmp:
        bundle, cert, key = _certificates(Path(tmp))
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"https://127.0.0.1:{server.server_address[1]}", bundle
        finally:
            server.shutdown()
            server.server_close()


def _child_env(bundle: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("AWS_") and k != "PYTHONDONTWRITEBYTECODE"
    }
    env["AWS_CA_BUNDLE"] = str(bundle)
    env["AWS_CONFIG_FILE"] = env["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "runtime")])
    return env


# The child's peak RSS since exec (``VmHWM``; ``wait4``'s ``ru_maxrss`` would
# also count the pages of this process, which the child shares until exec).
_PEAK = (
    "\nimport sys as _s\n_s.stderr.write("
    "[_l for _l in open('/proc/self/status') if _l.startswith('VmHWM')][0])\n"
)


def run_child(code: str, env: dict[str, str]) -> tuple[float, int]:
    """(wall seconds from spawn to exit, peak RSS in KiB) of one process."""
    start = time.perf_counter()
    process = subprocess.run(
        [sys.executable, "-c", code + _PEAK], cwd=ROOT, env=env, capture_output=True
    )
    wall = time.perf_counter() - start
    stderr = process.stderr.decode()
    if process.returncode:
        raise RuntimeError(f"child failed:\n{code}\n{stderr}")
    return wall, int(stderr.rsplit("VmHWM:", 1)[1].split()[0])


def first_call(runs: int) -> dict[str, Any]:
    """Medians over ``runs`` alternating fresh processes of each side."""
    rows = []
    with https_server() as (url, bundle):
        env = _child_env(bundle)
        bare_runs = [run_child("pass", env) for _ in range(runs)]
        bare = statistics.median(b[0] for b in bare_runs)
        bare_rss = statistics.median(b[1] for b in bare_runs) / 1024
        for label, ours_code, theirs_code in CALLS:
            ours_code, theirs_code = (
                ours_code.format(url=url),
                theirs_code.format(url=url),
            )
            run_child(ours_code, env)  # bytecode written, caches warm
            run_child(theirs_code, env)
            ours, theirs = [], []
            for _ in range(runs):
                ours.append(run_child(ours_code, env))
                theirs.append(run_child(theirs_code, env))
            rows.append(
                {
                    "case": label,
                    "ours_ms": statistics.median(o[0] for o in ours) * 1e3,
                    "boto3_ms": statistics.median(t[0] for t in theirs) * 1e3,
                    "ours_rss_mib": statistics.median(o[1] for o in ours) / 1024,
                    "boto3_rss_mib": statistics.median(t[1] for t in theirs) / 1024,
                }
            )
    return {"bare_ms": bare * 1e3, "bare_rss_mib": bare_rss, "rows": rows}


if __name__ == "__main__":
    result = first_call(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
    print(f"bare interpreter {result['bare_ms']:.1f} ms")
    for row in result["rows"]:
        print(row)
