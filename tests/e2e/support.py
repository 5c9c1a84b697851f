"""Helpers of the end-to-end tests.

* :func:`to_wire`: a typed result as the dict boto3 returns (wire member
  names, enums as plain strings, datetimes kept), driven by botocore's own
  model of the shape, so the comparison does not trust our schema.
* :class:`ScriptedAwsServer`: a threaded HTTP server on 127.0.0.1 that records
  every request, checks its SigV4 signature with botocore's signer and answers
  from a per-test script (JSON replies, chunked streams, delays, resets).
* :class:`RecordingTransport`: the default transport, plus a log of what went
  out and what came back.
* :func:`botocore_package`: a package generated, in a temporary directory,
  from the installed botocore's model of a service not under ``models/``.
* :func:`same_pages_as_boto3` and :func:`same_error_as_boto3`: our pages and
  errors against boto3's for the same calls to the same server.
"""

from __future__ import annotations

import atexit
import datetime
import enum
import hashlib
import importlib
import json
import keyword
import re
import shutil
import socket
import struct
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import botocore.auth
import botocore.credentials
import botocore.model
import botocore.parsers
import botocore.session
from botocore import xform_name
from botocore.awsrequest import AWSRequest, HeadersDict
from botocore.exceptions import ClientError as BotoClientError
from botocore.exceptions import DataNotFoundError

from codegen.api import generate_package
from typed_aws_runtime.errors import ServiceError
from typed_aws_runtime.http import Urllib3Transport
from typed_aws_runtime.structure import Structure, set_fields
from typed_aws_runtime.transport import HttpRequest, HttpResponse

# Fake credentials: recognisable, so a leak is easy to find in any text.
ACCESS_KEY = "AKIDE2EEXAMPLE000001"
SECRET_KEY = "e2eSecretKey/NEVER+shown/0123456789abcd"
SESSION_TOKEN = "e2eSessionToken//NEVER+shown//FwoGZXIvYXdzEJr"
REGION = "us-east-1"

# -- typed objects as boto3's dicts --------------------------------------------


def python_name(member: str) -> str:
    """The spec's member rule: xform_name, leading ``_`` stripped, keywords + ``_``."""
    name = xform_name(member).lstrip("_")
    return name + "_" if keyword.iskeyword(name) else name


def to_wire(value: Any, shape: botocore.model.Shape) -> Any:
    """``value`` (typed, ours) as botocore parses the same data for ``shape``."""
    if value is None:
        return None
    kind = shape.type_name
    if kind == "structure":
        assert isinstance(shape, botocore.model.StructureShape)
        if shape.metadata.get("document"):
            return value  # a JSON value, as botocore keeps it
        assert isinstance(value, Structure), f"{shape.name}: got {value!r}"
        known = {python_name(name): name for name in shape.members}
        extra = set(set_fields(value)) - set(known)
        assert not extra, f"{type(value).__name__} has unmodelled fields {extra}"
        out = {}
        for py, wire in known.items():
            item = getattr(value, py, None)
            if item is not None:
                out[wire] = to_wire(item, shape.members[wire])
        return out
    if kind == "list":
        assert isinstance(shape, botocore.model.ListShape)
        assert isinstance(value, Sequence) and not isinstance(value, str)
        return [to_wire(v, shape.member) for v in value]
    if kind == "map":
        assert isinstance(shape, botocore.model.MapShape)
        assert isinstance(value, Mapping)
        return {k: to_wire(v, shape.value) for k, v in value.items()}
    if kind == "timestamp":
        assert isinstance(value, datetime.datetime) and value.tzinfo is not None
        return value
    if kind == "string":
        if isinstance(value, (dict, list)):
            # A document botocore's customizations decode from the string
            # (iam's policies, cloudformation's template body): ours too.
            return value
        if shape.enum:
            # A known value is the enum member, an unknown one a plain str.
            assert isinstance(value, str)
            return value.value if isinstance(value, enum.Enum) else value
        assert type(value) is str, f"{shape.name}: {value!r}"
        return value
    if kind in ("integer", "long"):
        assert isinstance(value, int) and not isinstance(value, bool)
    elif kind == "boolean":
        assert isinstance(value, bool)
    elif kind in ("float", "double"):
        assert isinstance(value, (int, float))
    return value


def boto_result(response: Mapping[str, Any]) -> dict[str, Any]:
    """A boto3 response without its ResponseMetadata."""
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def output_shape(client: Any, operation: str) -> botocore.model.StructureShape:
    """botocore's output shape of ``operation`` (a boto3 client's model)."""
    shape = client.meta.service_model.operation_model(operation).output_shape
    assert shape is not None
    return shape  # type: ignore[no-any-return]


def same_as_boto3(
    ours: Any, boto3_client: Any, operation: str, response: Mapping[str, Any]
) -> None:
    """Assert our typed output equals boto3's response for the same call."""
    assert to_wire(ours, output_shape(boto3_client, operation)) == boto_result(response)


def same_pages_as_boto3(
    pages: Iterable[Any],
    boto3_client: Any,
    operation: str,
    boto_pages: Iterable[Mapping[str, Any]],
    *,
    opaque: Iterable[str] = (),
) -> list[Any]:
    """Our paginator's pages, each equal to boto3's page of the same rank
    (and as many of them); returns ours.

    ``opaque``: top-level members (a server's random next tokens) whose
    values differ per call: only whether each page has one is compared.
    """
    ours = list(pages)
    theirs = [boto_result(page) for page in boto_pages]
    shape = output_shape(boto3_client, operation)
    wire = [to_wire(page, shape) for page in ours]
    for name in opaque:
        for page in (*wire, *theirs):
            if name in page:
                page[name] = "<opaque>"
    assert wire == theirs
    return ours


# -- errors --------------------------------------------------------------------


def botocore_parsed(
    boto3_client: Any, operation: str, response: HttpResponse
) -> dict[str, Any]:
    """botocore's parse of one response we received (its parser for the
    service's protocol, the operation's output shape)."""
    model = boto3_client.meta.service_model
    parser = botocore.parsers.create_parser(model.resolved_protocol)
    body = response.body
    assert isinstance(body, bytes)
    parsed: dict[str, Any] = parser.parse(
        {
            "status_code": response.status_code,
            "headers": HeadersDict(dict(response.headers.items())),
            "body": body,
        },
        model.operation_model(operation).output_shape,
    )
    return parsed


def same_as_botocore_parse(
    ours: Any, boto3_client: Any, operation: str, response: HttpResponse
) -> None:
    """Our typed output equals botocore's parse of the very response we
    parsed: for calls that cannot be repeated with boto3 (a receive, a
    create that makes new ids)."""
    parsed = botocore_parsed(boto3_client, operation, response)
    assert to_wire(ours, output_shape(boto3_client, operation)) == boto_result(parsed)


def same_error_as_boto3(
    error: ServiceError,
    response: HttpResponse,
    boto3_client: Any,
    operation: str,
    boto_error: BotoClientError,
) -> None:
    """``error`` (ours, from ``response``) reports what boto3 reports.

    ``boto_error`` is boto3's ClientError for the same call to the same
    server: code, message and status must be equal. Request ids differ per
    call, so ours must be the one botocore's parser finds in ``response``.
    """
    reported = boto_error.response
    if type(boto_error) is not BotoClientError:
        # A modelled error: the same class (by name) as boto3's.
        assert type(error).__name__ == type(boto_error).__name__
    assert error.code == reported["Error"]["Code"]
    assert error.message == reported["Error"].get("Message", "")
    assert error.status_code == reported["ResponseMetadata"]["HTTPStatusCode"]
    again = botocore_parsed(boto3_client, operation, response)
    assert error.code == again["Error"]["Code"]
    assert error.request_id == again["ResponseMetadata"]["RequestId"]
    assert error.request_id


# -- packages from the installed botocore's models -----------------------------

_PACKAGES: dict[str, ModuleType] = {}
_PACKAGES_LOCK = threading.Lock()
_PACKAGE_DIR: list[Path] = []


def _package_dir() -> Path:
    """One temporary directory on sys.path per process, removed at exit."""
    if not _PACKAGE_DIR:
        path = tempfile.mkdtemp(prefix="codegen-e2e-")
        atexit.register(shutil.rmtree, path, True)
        sys.path.insert(0, path)
        _PACKAGE_DIR.append(Path(path))
    return _PACKAGE_DIR[0]


def botocore_package(service: str) -> ModuleType:
    """Our package for ``service``, generated from the installed botocore's
    model, endpoint rules and paginators (botocore's loader), imported under
    ``e2e_<service>``; once per process."""
    with _PACKAGES_LOCK:
        found = _PACKAGES.get(service)
        if found is not None:
            return found
        loader = botocore.session.get_session().get_component("data_loader")
        model = loader.load_service_model(service, "service-2")
        rules = loader.load_service_model(service, "endpoint-rule-set-1")
        try:
            paginators = loader.load_service_model(service, "paginators-1")
        except DataNotFoundError:
            paginators = None
        name = generate_package(
            model,
            _package_dir(),
            name=f"e2e_{service.replace('-', '_')}",
            endpoint_rules=rules,
            paginators=paginators,
            format_code=False,
        )
        importlib.invalidate_caches()
        package = importlib.import_module(name)
        _PACKAGES[service] = package
        return package


def service_package(service: str) -> ModuleType:
    """``generated.<service>`` where the repository has it, else
    :func:`botocore_package` (a reference service whose protocol just
    landed, before its pinned package is generated)."""
    name = service.replace("-", "_")
    # The repository's own directory, not any ``generated`` an editable
    # install of another checkout would also find.
    if (Path(__file__).resolve().parents[2] / "generated" / name).is_dir():
        return importlib.import_module(f"generated.{name}")
    return botocore_package(service)


# -- a transport that records --------------------------------------------------


class RecordingTransport:
    """Urllib3Transport with a log of (request, response) pairs."""

    def __init__(self, **options: Any) -> None:
        self.inner = Urllib3Transport(**options)
        self.exchanges: list[tuple[HttpRequest, HttpResponse]] = []

    def send(self, request: HttpRequest) -> HttpResponse:
        response = self.inner.send(request)
        self.exchanges.append((request, response))
        return response

    @property
    def last_response(self) -> HttpResponse:
        return self.exchanges[-1][1]

    def close(self) -> None:
        self.inner.close()


# -- SigV4 checked by botocore -------------------------------------------------

_AUTH = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=(?P<key>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/"
    r"(?P<service>[^/]+)/aws4_request, SignedHeaders=(?P<signed>[^,]+), "
    r"Signature=(?P<signature>[0-9a-f]{64})$"
)


@dataclass
class Received:
    """One request as the server got it."""

    method: str
    target: str  # path and query, as sent
    headers: list[tuple[str, str]]
    body: bytes
    chunked: bool
    chunk_sizes: list[int]
    signature_problem: str | None = None  # None: botocore agrees with it
    expected_authorization: str | None = None

    @property
    def path(self) -> str:
        return self.target.partition("?")[0]

    @property
    def query(self) -> str:
        return self.target.partition("?")[2]

    def header(self, name: str) -> str | None:
        found = [v for k, v in self.headers if k.lower() == name.lower()]
        return ",".join(found) if found else None

    @property
    def host(self) -> str:
        return self.header("Host") or ""

    def json(self) -> Any:
        return json.loads(self.body)


def verify_sigv4(
    received: Received,
    *,
    access_key: str,
    secret_key: str,
    token: str | None,
    region: str,
    service: str,
) -> tuple[str | None, str | None]:
    """``(problem, expected Authorization)``: botocore re-signs the received
    request (only the headers the client says it signed, the client's
    X-Amz-Date) with the expected credentials, region and signing name."""
    authorization = received.header("Authorization")
    if authorization is None:
        return "no Authorization header", None
    match = _AUTH.match(authorization)
    if match is None:
        return f"malformed Authorization: {authorization!r}", None
    amz_date = received.header("X-Amz-Date")
    if amz_date is None:
        return "no X-Amz-Date header", None
    signed = match["signed"].split(";")
    if "host" not in signed:
        return "host is not signed", None
    headers: dict[str, str] = {}
    for name, value in received.headers:
        if name.lower() in signed:
            key = name.lower()
            headers[key] = f"{headers[key]},{value}" if key in headers else value
    missing = set(signed) - set(headers)
    if missing:
        return f"signed headers not sent: {sorted(missing)}", None
    if token is not None and headers.get("x-amz-security-token") != token:
        return "session token not sent or not signed", None
    request = AWSRequest(
        method=received.method,
        url=f"http://{received.host}{received.target}",
        headers=headers,
        data=received.body,
    )
    request.context["timestamp"] = amz_date
    signer = botocore.auth.SigV4Auth(
        botocore.credentials.Credentials(access_key, secret_key, token),
        service,
        region,
    )
    canonical = signer.canonical_request(request)
    signature = signer.signature(signer.string_to_sign(request, canonical), request)
    signer._inject_signature_to_request(request, signature)
    expected = str(request.headers["Authorization"])
    if expected != authorization:
        return (
            f"signature mismatch:\n got      {authorization}\n expected {expected}",
            expected,
        )
    return None, expected


# -- the scripted server -------------------------------------------------------


@dataclass
class Reply:
    """What the server does with one request.

    ``reset``: close the connection with a TCP RST instead of answering.
    ``delay``: seconds to wait before answering (a read timeout on the client).
    ``chunks``: send the body with chunked transfer encoding, one chunk each,
    ``chunk_pause`` seconds apart.
    """

    status: int = 200
    body: bytes | Any = b"{}"
    headers: Mapping[str, str] = field(default_factory=dict)
    reset: bool = False
    delay: float = 0.0
    chunks: Sequence[bytes] | None = None
    chunk_pause: float = 0.0
    request_id: str | None = "req-0001"
    # With ``chunks``: send the first ``gate_after`` chunks, then wait for
    # ``gate`` before the rest (proves the client streams, not preloads).
    gate: threading.Event | None = None
    gate_after: int = 0

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body).encode()


def error_reply(
    status: int,
    code: str | None,
    message: str = "",
    *,
    in_header: bool = True,
    request_id: str = "req-err",
    **members: Any,
) -> Reply:
    """An AWS rest-json error response."""
    body = {"message": message, **members} if message or members else {}
    headers = {"Content-Type": "application/json"}
    if code is not None:
        if in_header:
            headers["x-amzn-ErrorType"] = code
        else:
            body["code"] = code
    return Reply(status, body, headers, request_id=request_id)


Script = Reply | Callable[[Received], Reply]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def _read_body(self) -> tuple[bytes, bool, list[int]]:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while size := int(self.rfile.readline().split(b";")[0].strip(), 16):
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                pass  # trailers
            return b"".join(chunks), True, [len(c) for c in chunks]
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length), False, []

    def _handle(self) -> None:
        body, chunked, sizes = self._read_body()
        received = Received(
            self.command, self.path, list(self.headers.items()), body, chunked, sizes
        )
        owner = self.server.owner
        owner.record(received)
        reply = owner.next_reply(received)
        if reply.reset:
            self.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
            )
            self.connection.close()
            self.close_connection = True
            return
        if reply.delay:
            time.sleep(reply.delay)
        try:
            self._answer(reply)
        except OSError:  # the client gave up (read timeout)
            self.close_connection = True

    def _answer(self, reply: Reply) -> None:
        self.send_response(reply.status)
        headers = dict(reply.headers)
        if reply.request_id is not None:
            headers.setdefault("x-amzn-RequestId", reply.request_id)
        for name, value in headers.items():
            self.send_header(name, value)
        if reply.chunks is not None:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for index, chunk in enumerate(reply.chunks):
                if reply.gate is not None and index == reply.gate_after:
                    if not reply.gate.wait(5):
                        # Nobody read the start: a preloading client fails
                        # on the unfinished body instead of passing slowly.
                        self.close_connection = True
                        return
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.flush()
                if reply.chunk_pause:
                    time.sleep(reply.chunk_pause)
            self.wfile.write(b"0\r\n\r\n")
        else:
            payload = reply.payload()
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        self.wfile.flush()

    do_GET = do_PUT = do_POST = do_DELETE = do_PATCH = do_HEAD = _handle

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: ScriptedAwsServer

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # resets and timeouts are on purpose


class ScriptedAwsServer:
    """A local stand-in for an AWS endpoint; see the module docstring."""

    def __init__(self) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
        )
        self._lock = threading.Lock()
        self.requests: list[Received] = []
        self._script: list[Script] = []
        self.default: Script = error_reply(
            418, "UnscriptedRequest", "no reply scripted"
        )
        self.signer: dict[str, Any] = {}
        self.endpoint_url = f"http://localhost:{self.port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reset(
        self,
        *,
        service: str,
        region: str = REGION,
        access_key: str = ACCESS_KEY,
        secret_key: str = SECRET_KEY,
        token: str | None = None,
    ) -> None:
        """Forget requests and script; check signatures for this signer."""
        with self._lock:
            self.requests = []
            self._script = []
            self.signer = dict(
                service=service,
                region=region,
                access_key=access_key,
                secret_key=secret_key,
                token=token,
            )

    def script(self, *replies: Script) -> None:
        with self._lock:
            self._script.extend(replies)

    def record(self, received: Received) -> None:
        with self._lock:
            signer = dict(self.signer)
        if signer:
            received.signature_problem, received.expected_authorization = verify_sigv4(
                received, **signer
            )
        with self._lock:
            self.requests.append(received)

    def next_reply(self, received: Received) -> Reply:
        with self._lock:
            answer = self._script.pop(0) if self._script else self.default
        return answer if isinstance(answer, Reply) else answer(received)

    def assert_all_signed(self) -> None:
        problems = [
            f"{r.method} {r.target}: {r.signature_problem}"
            for r in self.requests
            if r.signature_problem
        ]
        assert not problems, "\n".join(problems)

    def take(self) -> list[Received]:
        """The requests so far, forgetting them."""
        with self._lock:
            taken, self.requests = self.requests, []
        return taken


def comparable_headers(
    received: Received, ignore: Iterable[str] = ()
) -> dict[str, str]:
    """The headers botocore and we must agree on (the spec's list of exceptions)."""
    skip = {
        "authorization",
        "x-amz-date",
        "user-agent",
        "amz-sdk-invocation-id",
        *(name.lower() for name in ignore),
    }
    return {k.lower(): v for k, v in received.headers if k.lower() not in skip}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
