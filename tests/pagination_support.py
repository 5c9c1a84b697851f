"""Shared by the paginator and waiter tests: one fake service, two clients.

* :func:`clients`: our client (over ``InMemoryTransport``) and a botocore
  client (its ``before-send`` event answers) for one of the five services,
  both loading the pinned models, both answered by the same callable.
* :func:`typed_to_dict`: our typed value as botocore's parsed dict, driven by
  botocore's model of the shape (so a comparison does not trust our schema).
* :func:`sample_input`: the required members of an operation's input.
"""

from __future__ import annotations

import datetime
import enum
import importlib
import io
import json
import keyword
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import botocore.model
import botocore.session
from botocore import xform_name
from botocore.awsrequest import AWSResponse, HeadersDict
from botocore.config import Config

from codegen import naming
from tests.conftest import MODELS, SERVICES
from typed_aws_runtime.structure import Structure
from typed_aws_runtime.transport import HttpRequest, HttpResponse, InMemoryTransport

# A request as the fake service sees it, and its answer.
Answer = tuple[int, dict[str, str], bytes]
Server = Callable[[str, str, Mapping[str, str], bytes], Answer]
_FILES = (
    "service-2.json",
    "paginators-1.json",
    "waiters-2.json",
    "endpoint-rule-set-1.json",
)
_DATA_DIR: list[Path] = []


def model(service: str, filename: str = "service-2.json") -> dict[str, Any]:
    path = MODELS / service / filename
    return json.loads(path.read_text()) if path.exists() else {}


def _pinned_data_dir() -> Path:
    """The pinned models laid out as a botocore data directory."""
    if not _DATA_DIR:
        import atexit

        path = Path(tempfile.mkdtemp(prefix="codegen-paginate-models-"))
        atexit.register(shutil.rmtree, path, True)
        for name in SERVICES:
            version = model(name)["metadata"]["apiVersion"]
            target = path / name / version
            target.mkdir(parents=True)
            for filename in _FILES:
                if (MODELS / name / filename).exists():
                    shutil.copy(MODELS / name / filename, target / filename)
        _DATA_DIR.append(path)
    return _DATA_DIR[0]


class _Raw(io.BytesIO):
    """A urllib3-like raw body for botocore's AWSResponse."""

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.getvalue()


@dataclass
class Pair:
    """Our client and botocore's, answered by the same fake service."""

    service: str
    ours: Any
    boto: Any
    transport: InMemoryTransport
    package: str
    botocore_model: botocore.model.ServiceModel
    server: Server = field(default=lambda *_: (200, {}, b"{}"))
    boto_requests: list[tuple[str, str, bytes]] = field(default_factory=list)
    our_sleeps: list[float] = field(default_factory=list)

    def answer(self, server: Server) -> None:
        """Serve both clients from ``server`` and forget earlier requests."""
        self.server = server
        self.transport.requests.clear()
        self.boto_requests.clear()
        self.our_sleeps.clear()

    @property
    def our_requests(self) -> list[tuple[str, str, bytes]]:
        return [
            (r.method, r.url, r.body if isinstance(r.body, bytes) else b"")
            for r in self.transport.requests
        ]

    def module(self, name: str) -> Any:
        return importlib.import_module(f"{self.package}.{name}")


_PAIRS: dict[str, Pair] = {}


def clients(service: str) -> Pair:
    """The pair for one of the five services, built once per process."""
    found = _PAIRS.get(service)
    if found is None:
        package = f"generated.{naming.package_name(service)}"
        found = _PAIRS[service] = _pair(service, package, _pinned_data_dir(), None)
    return found


def custom_clients(
    name: str,
    service_model: dict[str, Any],
    paginators: dict[str, Any] | None,
    waiters: dict[str, Any] | None,
    directory: Path,
) -> Pair:
    """A pair for a model of the test's own, generated under ``directory``."""
    import sys

    from codegen.api import generate_package

    output = directory / "out"
    package = generate_package(
        service_model,
        output,
        name=name,
        paginators=paginators,
        waiters=waiters,
        format_code=False,
    )
    sys.path.insert(0, str(output))
    importlib.invalidate_caches()
    data = directory / "data" / name / service_model["metadata"]["apiVersion"]
    data.mkdir(parents=True)
    for filename, document in (
        ("service-2.json", service_model),
        ("paginators-1.json", paginators),
        ("waiters-2.json", waiters),
    ):
        if document is not None:
            (data / filename).write_text(json.dumps(document))
    return _pair(name, package, directory / "data", "https://fake.example.com")


def _pair(service: str, package: str, data_dir: Path, endpoint: str | None) -> Pair:
    session = botocore.session.Session()
    session.set_config_variable("region", "us-east-1")
    loader = session.get_component("data_loader")
    loader.search_paths.insert(0, str(data_dir))
    boto = session.create_client(
        service,
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="SECRET",
        config=Config(retries={"mode": "standard", "total_max_attempts": 1}),
    )
    module = importlib.import_module(package)
    client_class = getattr(module, module.__all__[0])

    def respond(request: HttpRequest) -> HttpResponse:
        body = request.body if isinstance(request.body, bytes) else b""
        status, headers, data = pair.server(
            request.method, request.url, request.headers, body
        )
        return HttpResponse(status, headers, data)

    transport = InMemoryTransport([respond] * 100_000)
    ours = client_class(
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="SECRET",
        transport=transport,
        max_attempts=1,
    )
    pair = Pair(service, ours, boto, transport, package, boto.meta.service_model)
    ours._codegen_sleep = pair.our_sleeps.append

    def before_send(request: Any, **_: Any) -> AWSResponse:
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        elif not isinstance(body, bytes):
            body = body.read()
        pair.boto_requests.append((request.method, request.url, body))
        status, headers, data = pair.server(
            request.method, request.url, dict(request.headers), body
        )
        return AWSResponse(request.url, status, HeadersDict(headers), _Raw(data))

    boto.meta.events.register("before-send", before_send)
    return pair


# -- values -------------------------------------------------------------------------


def python_name(member: str) -> str:
    """The spec's member rule."""
    name = str(xform_name(member)).lstrip("_")
    return name + "_" if keyword.iskeyword(name) else name


def typed_to_dict(value: Any, shape: botocore.model.Shape) -> Any:
    """Our typed value as botocore parses the same data for ``shape``."""
    if value is None:
        return None
    kind = shape.type_name
    if kind == "structure" and isinstance(value, Structure):
        assert isinstance(shape, botocore.model.StructureShape)
        out = {}
        for name, member in shape.members.items():
            item = getattr(value, python_name(name), None)
            if item is not None:
                out[name] = typed_to_dict(item, member)
        return out
    if kind == "list":
        assert isinstance(shape, botocore.model.ListShape)
        return [typed_to_dict(v, shape.member) for v in value]
    if kind == "map":
        assert isinstance(shape, botocore.model.MapShape)
        return {k: typed_to_dict(v, shape.value) for k, v in value.items()}
    if isinstance(value, enum.Enum):
        return value.value
    return value


def without_metadata(page: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in page.items() if k != "ResponseMetadata"}


def sample_value(shape: botocore.model.Shape, tag: str) -> Any:
    """A valid wire value of ``shape`` (required members only)."""
    kind = shape.type_name
    if kind == "structure":
        assert isinstance(shape, botocore.model.StructureShape)
        return {
            name: sample_value(shape.members[name], tag)
            for name in shape.required_members
        }
    if kind == "list":
        assert isinstance(shape, botocore.model.ListShape)
        count = max(int(shape.metadata.get("min", 1)), 1)
        return [sample_value(shape.member, tag) for _ in range(count)]
    if kind == "map":
        return {}
    if kind == "string":
        enum_values = shape.metadata.get("enum")
        if enum_values:
            return enum_values[0]
        return (tag * 20)[: max(int(shape.metadata.get("min", 0)), len(tag))]
    if kind in ("integer", "long"):
        return max(int(shape.metadata.get("min", 1)), 1)
    if kind in ("float", "double"):
        return 1.0
    if kind == "boolean":
        return True
    if kind == "timestamp":
        return datetime.datetime(2024, 1, 2, tzinfo=datetime.UTC)
    if kind == "blob":
        return b"blob"
    raise AssertionError(kind)


def sample_input(pair: Pair, operation: str) -> dict[str, Any]:
    """The required members of ``operation``'s input, by wire name."""
    op = pair.botocore_model.operation_model(operation)
    if op.input_shape is None:
        return {}
    value = sample_value(op.input_shape, "abc123")
    assert isinstance(value, dict)
    return value


def our_kwargs(
    pair: Pair, operation: str, wire: Mapping[str, Any], renamed: Mapping[str, str]
) -> dict[str, Any]:
    """Wire members as our keyword arguments (typed values via our schema).

    ``renamed`` maps a client-method parameter name to the name it has here
    (a paginator's ``max_items_``).
    """
    from typed_aws_runtime import schema
    from typed_aws_runtime.paginate import from_wire

    shape = schema.load(pair.package).operation(operation).input
    assert shape is not None
    out = {}
    for name, value in wire.items():
        member = shape.members[name]
        keyword_name = member.python
        if keyword_name in ("self", "shapes", "enums", "warnings"):
            keyword_name += "_"
        keyword_name = renamed.get(keyword_name, keyword_name)
        out[keyword_name] = from_wire(member.shape, value)
    return out


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def serialized(shape: botocore.model.StructureShape, name: str) -> str:
    return str(shape.members[name].serialization.get("name", name))


def put(
    body: dict[str, Any],
    headers: dict[str, str],
    shape: botocore.model.StructureShape,
    path: str,
    value: Any,
) -> None:
    """Set ``path`` (member names) in a response, where the model puts it."""
    first, _, rest = path.partition(".")
    member = shape.members[first]
    location = member.serialization.get("location")
    if location == "header":
        assert not rest
        headers[serialized(shape, first)] = str(value)
        return
    key = serialized(shape, first)
    if rest:
        assert isinstance(member, botocore.model.StructureShape)
        put(body.setdefault(key, {}), headers, member, rest, value)
    else:
        body[key] = value
