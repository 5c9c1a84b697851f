"""S3 generated from botocore's model for the tests, and a botocore oracle.

S3's model has an event stream (SelectObjectContent), which the generator
refuses until event streams land. Until then the tests generate S3 from the
model with that operation removed (and the shapes only it reaches), into a
temporary directory, once per session. When event streams land, set
``STRIP_EVENT_STREAMS = False`` (or generate S3 into ``generated/`` and
import it from there): nothing else changes.
"""

from __future__ import annotations

import copy
import datetime
import importlib
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import botocore.session
from botocore.config import Config

from codegen.api import generate_package

STRIP_EVENT_STREAMS = False
# The operations with an event stream (removed while STRIP_EVENT_STREAMS).
EVENT_STREAM_OPERATIONS = ("SelectObjectContent",)
FIXED_NOW = datetime.datetime(2024, 5, 17, 12, 30, 45, tzinfo=datetime.UTC)
ACCESS_KEY, SECRET_KEY = "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

_packages: dict[str, ModuleType] = {}


def botocore_files(service: str) -> dict[str, Any]:
    loader = botocore.session.get_session().get_component("data_loader")
    files: dict[str, Any] = {
        "model": copy.deepcopy(loader.load_service_model(service, "service-2"))
    }
    for key, kind in (
        ("endpoint_rules", "endpoint-rule-set-1"),
        ("paginators", "paginators-1"),
        ("waiters", "waiters-2"),
    ):
        try:
            files[key] = loader.load_service_model(service, kind)
        except Exception:  # noqa: BLE001 - botocore's DataNotFoundError
            files[key] = None
    return files


def without_event_streams(model: dict[str, Any]) -> dict[str, Any]:
    """The model less its event-stream operations and the shapes only they reach."""
    model = copy.deepcopy(model)
    for name in EVENT_STREAM_OPERATIONS:
        model["operations"].pop(name, None)
    shapes = model["shapes"]
    reached: set[str] = set()

    def walk(name: str) -> None:
        if name in reached:
            return
        reached.add(name)
        spec = shapes[name]
        for key in ("member", "key", "value"):
            if key in spec:
                walk(spec[key]["shape"])
        for member in spec.get("members", {}).values():
            walk(member["shape"])

    for op in model["operations"].values():
        for key in ("input", "output"):
            if key in op:
                walk(op[key]["shape"])
        for error in op.get("errors", ()):
            walk(error["shape"])
    model["shapes"] = {k: v for k, v in shapes.items() if k in reached}
    return model


def package(service: str = "s3") -> ModuleType:
    """The generated package of ``service`` (S3 less its event streams)."""
    found = _packages.get(service)
    if found is not None:
        return found
    files = botocore_files(service)
    model = files["model"]
    if STRIP_EVENT_STREAMS:
        model = without_event_streams(model)
    root = Path(tempfile.mkdtemp(prefix="codegen-s3-"))
    fixture = "s3fixture" if service == "s3" else f"fixture_{service}"
    (root / fixture).mkdir()
    (root / fixture / "__init__.py").write_text("")
    name = generate_package(
        model,
        root / fixture,
        name=service,
        endpoint_rules=files["endpoint_rules"],
        paginators=files["paginators"],
        waiters=files["waiters"],
        format_code=False,
    )
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    module = importlib.import_module(f"{fixture}.{name}")
    _packages[service] = module
    return module


def boto_client(
    service: str = "s3",
    *,
    region_name: str = "us-east-1",
    config: Config | None = None,
    **kwargs: Any,
) -> Any:
    """A botocore client with fixed credentials."""
    session = botocore.session.get_session()
    return session.create_client(
        service,
        region_name=region_name,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=config,
        **kwargs,
    )


class Captured:
    """What botocore would send: method, URL, headers, body, signing scope."""

    def __init__(self, request: Any) -> None:
        self.method: str = request.method
        self.url: str = request.url
        self.headers: dict[str, str] = {
            k: v.decode() if isinstance(v, bytes) else v
            for k, v in request.headers.items()
        }
        body = request.body
        if hasattr(body, "read"):
            # botocore's aws-chunked wrapper cannot tell(): read it and
            # rewind to the start, as botocore's own retries do.
            body = body.read()
            request.body.seek(0)
        self.body: bytes = body if isinstance(body, bytes) else (body or "").encode()


def capture_botocore(client: Any, call: Callable[[], Any]) -> Captured:
    """Run ``call`` on a botocore ``client`` without sending: the request it
    would send (signed at FIXED_NOW) is returned."""
    from botocore.awsrequest import AWSResponse

    seen: list[Captured] = []

    def before_send(request: Any, **kwargs: Any) -> AWSResponse:
        seen.append(Captured(request))
        raise _Stop()

    client.meta.events.register_first("before-send.*.*", before_send)
    try:
        with _botocore_clock():
            call()
    except _Stop:
        pass
    finally:
        client.meta.events.unregister("before-send.*.*", before_send)
    assert seen, "botocore sent nothing"
    return seen[0]


class _Stop(Exception):
    pass


class _botocore_clock:  # noqa: N801 - used as a context manager
    """botocore's signers at FIXED_NOW: its own and, with awscrt installed,
    its CRT ones (botocore.crt.auth)."""

    def __enter__(self) -> None:
        self._saved = [(m, m.get_current_datetime) for m in _clock_modules()]
        for module, _ in self._saved:
            module.get_current_datetime = _fixed_datetime

    def __exit__(self, *exc: object) -> None:
        for module, saved in self._saved:
            module.get_current_datetime = saved


def _fixed_datetime(remove_tzinfo: bool = True) -> datetime.datetime:
    return FIXED_NOW.replace(tzinfo=None) if remove_tzinfo else FIXED_NOW


def _clock_modules() -> list[Any]:
    import botocore.auth

    modules: list[Any] = [botocore.auth]
    try:
        import botocore.crt.auth
    except ImportError:  # awscrt not installed
        return modules
    modules.append(botocore.crt.auth)
    return modules


def ours_client(service: str = "s3", **kwargs: Any) -> tuple[Any, Any]:
    """Our client of ``service`` over an in-memory transport, at FIXED_NOW."""
    from typed_aws_runtime.transport import HttpResponse, InMemoryTransport

    module = package(service)
    transport = InMemoryTransport()
    cls = next(
        getattr(module, n)
        for n in dir(module)
        if n.endswith("Client") and not n.startswith("Async")
    )
    kwargs.setdefault("region_name", "us-east-1")
    client = cls(
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        transport=transport,
        **kwargs,
    )
    client._codegen_clock = lambda: FIXED_NOW
    transport.queue(*(HttpResponse(200, {}, b"") for _ in range(1)))
    return client, transport


def last_request(transport: Any, call: Callable[[], Any]) -> Any:
    from typed_aws_runtime.transport import HttpResponse

    transport.clear()
    transport.queue(HttpResponse(200, {}, b""))
    try:
        call()
    except Exception:  # noqa: BLE001 - the request is what matters here
        pass
    return transport.last


def iter_regions() -> Iterator[tuple[str, str]]:
    """(partition, region) for every region of every partition botocore knows."""
    from botocore.loaders import Loader

    data = Loader().load_data("partitions")
    for partition in data["partitions"]:
        for region in partition["regions"]:
            yield partition["id"], region


IGNORED_HEADERS = frozenset(
    {"user-agent", "amz-sdk-invocation-id", "amz-sdk-request", "content-length"}
    # botocore's CRT signers (awscrt installed) write the Host header into the
    # request; an HTTP client sends the same one from the URL, compared.
    | {"host"}
)


def request_body(body: Any) -> bytes:
    """A captured request body as bytes (a file is read)."""
    if isinstance(body, bytes):
        return body
    return bytes(body.read())


def assert_same_request(
    operation: str,
    params: dict[str, Any],
    *,
    region_name: str = "us-west-2",
    config: Config | None = None,
    service: str = "s3",
    ours_options: dict[str, Any] | None = None,
    boto_options: dict[str, Any] | None = None,
) -> Any:
    """Make the call with botocore and ours (``params`` in botocore's names;
    a file in them is rewound between the two) and require the same method,
    URL, headers (signature included) and body. Returns our request."""
    from botocore import xform_name

    from typed_aws_runtime.transport import HttpResponse

    boto = boto_client(
        service, region_name=region_name, config=config, **(boto_options or {})
    )
    starts = {k: v.tell() for k, v in params.items() if hasattr(v, "seek")}
    expected = capture_botocore(
        boto, lambda: getattr(boto, xform_name(operation))(**params)
    )
    for key, start in starts.items():
        params[key].seek(start)
    ours, transport = ours_client(
        service, region_name=region_name, **(ours_options or {})
    )
    transport.clear()
    transport.queue(HttpResponse(200, {}, b""))
    from tests.conformance import support

    op = support.wire_schema(package(service)).operation(operation)
    try:
        getattr(ours, xform_name(operation))(**support.typed_kwargs(op.input, params))
    except Exception:  # noqa: BLE001, S110 - an empty response may not parse
        pass
    got = transport.last
    assert (got.method, got.url) == (expected.method, expected.url), (
        got.url,
        expected.url,
    )
    mine = {
        k.lower(): v for k, v in got.headers.items() if k.lower() not in IGNORED_HEADERS
    }
    theirs = {
        k.lower(): v
        for k, v in expected.headers.items()
        if k.lower() not in IGNORED_HEADERS
    }
    assert mine == theirs, (mine, theirs)
    body = request_body(got.body)
    assert body == expected.body, (body, expected.body)
    return got


class RawBody:
    """What botocore's AWSResponse reads a canned body from."""

    def __init__(self, body: bytes) -> None:
        import io

        self._data = io.BytesIO(body)

    def stream(self, **kwargs: Any) -> Iterator[bytes]:
        yield self._data.read()

    def read(self, amt: int | None = None, **kwargs: Any) -> bytes:
        return self._data.read() if amt is None else self._data.read(amt)

    def close(self) -> None:
        pass


def botocore_answers(
    client: Any, answers: list[tuple[int, dict[str, str], bytes]]
) -> list[Any]:
    """Make ``client`` answer its requests with ``answers`` in turn (the last
    one again when they run out); returns the list the requests go into."""
    from botocore.awsrequest import AWSResponse

    sent: list[Any] = []

    def respond(request: Any, **kwargs: Any) -> AWSResponse:
        sent.append(Captured(request))
        status, headers, body = answers[min(len(sent) - 1, len(answers) - 1)]
        return AWSResponse(request.url, status, headers, RawBody(body))

    client.meta.events.register_first("before-send.*.*", respond)
    return sent
