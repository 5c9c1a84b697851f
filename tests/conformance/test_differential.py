"""Differential tests: our generated clients against botocore, operation by operation.

For every operation of the reference models pinned under ``models/`` (and of
up to three other services of the installed botocore per protocol the
generator supports, chosen at random), hypothesis draws:

* valid parameters from the input shape (required members, ``min``/``max``,
  unions with exactly one member, enums, timestamps, blobs, documents, nested
  lists and maps; sizes kept small). Our client sends over an
  :class:`InMemoryTransport`; a botocore client gets the same parameters and
  its prepared request is captured by a ``before-send`` handler that answers
  with a canned response, so nothing leaves the machine. Both must agree on
  the method, the path and query (exactly), the headers, the body (as JSON
  when it is JSON, as decoded values when it is CBOR, else byte for byte:
  form and XML bodies) and the host (host prefix included);
* an invalid variant of those parameters (a required member missing, a value
  of the wrong type, a length or number below ``min``, a union with two
  members). Ours must raise ``ParamValidationError`` before sending exactly
  when botocore's ``ParamValidator`` rejects the same parameters;
* a response shaped like the output (status, headers, body), written in the
  service's protocol from botocore's shape model (``responses.py``). Both parse it;
  our typed result, turned back into botocore's form (wire names), must
  equal botocore's parsed dict.

Headers never compared: ``Authorization``, ``X-Amz-Date``, ``User-Agent``,
``amz-sdk-invocation-id``, ``amz-sdk-request``, ``X-Amz-Security-Token``
(signature, clock, client identity). ``Content-Length`` *is* compared: ours is
the one the default transport puts on the wire (``http.wire_headers``), as
botocore's preparer adds its own.

Deliberate differences the comparison allows, each a documented decision:

* a top-level required parameter left out is a ``TypeError`` from Python
  (keyword-only argument); the test passes ``None``, which our validator
  reports, as a typed caller would leave it unset;
* botocore returns a non-streaming blob payload as ``str``; ours is ``bytes``
  (the model says blob): compared after encoding botocore's value;
* items of a list in a response header are drawn without commas or quotes:
  botocore splits such a header on every comma, we unquote as Smithy says
  (a decision of the protocol suites, see test_protocol_suites).

``CODEGEN_DIFF_EXAMPLES`` sets the examples per operation (default 8; the
``slow`` variant uses 200). ``CODEGEN_DIFF_SEED`` fixes which other botocore
services are drawn (its value is in the test ids); without it a new draw is
made on each run (shared by the xdist workers of one run).
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import importlib
import io
import json
import os
import random
import shutil
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import botocore.session
import pytest
from botocore.awsrequest import AWSResponse, HeadersDict
from botocore.config import Config
from botocore.exceptions import ClientError, InvalidEndpointConfigurationError
from botocore.exceptions import (
    EndpointResolutionError as BotocoreEndpointResolutionError,
)
from botocore.exceptions import FlexibleChecksumError as BotocoreChecksumError
from botocore.exceptions import ParamValidationError as BotocoreParamValidationError
from botocore.validate import ParamValidator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from codegen import protocols
from typed_aws_runtime.endpoints import EndpointResolutionError
from typed_aws_runtime.errors import (
    FlexibleChecksumError,
    MissingDependencyError,
    ParamValidationError,
    ServiceError,
)
from typed_aws_runtime.http import wire_headers
from typed_aws_runtime.schema import ListShape, MapShape, Member, StructureShape
from typed_aws_runtime.transport import HttpRequest, HttpResponse, InMemoryTransport

from . import responses, support

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "models"
# The reference services: every service pinned under models/.
FIVE = tuple(
    sorted(p.name for p in MODELS.iterdir() if (p / "service-2.json").exists())
)
RANDOM_PROTOCOLS = ("rest-json", "json", "query", "ec2", "rest-xml")
IGNORED_HEADERS = frozenset(
    {
        "authorization",
        "x-amz-date",
        "user-agent",
        "amz-sdk-invocation-id",
        "amz-sdk-request",
        "x-amz-security-token",
        # botocore's CRT signers (awscrt installed) write the Host header into
        # the request; an HTTP client sends the same one from the URL, whose
        # host is compared.
        "host",
    }
)
EXAMPLES = int(os.environ.get("CODEGEN_DIFF_EXAMPLES", "8"))
SLOW_EXAMPLES = int(os.environ.get("CODEGEN_DIFF_SLOW_EXAMPLES", "200"))
RANDOM_SERVICES = 3
RANDOM_OPERATIONS = 12  # per random service in the default run; all when slow
MAX_DEPTH = 4
# botocore's hand-written handlers (botocore/handlers.py) are reproduced by the
# rules of codegen/customizations.py (tested in test_customizations.py). A
# service stays out of the random draw where the comparison here cannot see
# them: validation is compared with botocore's bare ParamValidator, which runs
# no handler.
CUSTOMIZED = {
    "glacier": "inject_account_id fills accountId before botocore's validation; "
    "the bare ParamValidator reports it missing",
    # botocore's S3 and s3control handlers (the account id's host prefix the
    # rule set also writes, checksums, addressing): the S3 issue's.
    "s3": "S3's handlers: another issue",
    "s3control": "s3control's handlers (host prefix, checksums): the S3 issue",
}
# Services whose query keys botocore sends partly in the caller's order and
# partly where its handlers append them (S3's encoding-type=url): the keys are
# compared as a set; the signature (sorted query) is compared exactly.
QUERY_ORDER_FREE = {"s3"}
ADDED_MEMBERS = frozenset({"ExpiresString"})
LISTINGS_BOTOCORE_CRASHES_ON = {
    ("s3", "ListObjects"),
    ("s3", "ListObjectsV2"),
    ("s3", "ListObjectVersions"),
}
# Responses not compared, each with its reason (requests still are).
RESPONSES_NOT_COMPARED = {
    ("s3", "GetBucketNotification"): "deprecated; its Event and Events members "
    "share the element name Event: botocore fills both (Event with a list of "
    "Element objects when repeated), ours the first only",
    ("s3", "SelectObjectContent"): "an event stream: the encoder here does not "
    "frame events; test_eventstream_differential.py compares S3's",
}
_UTC = datetime.UTC
# Both clients sign at this moment: presigned URLs inside bodies (rds, ec2)
# carry their date and signature, which must not depend on the second a
# test happens to run in.
FIXED_NOW = datetime.datetime(2026, 1, 2, 3, 4, 5)


@pytest.fixture(autouse=True, scope="module")
def _fixed_clocks() -> Iterator[None]:
    import botocore.auth

    def fixed(remove_tzinfo: bool = True) -> datetime.datetime:
        return FIXED_NOW if remove_tzinfo else FIXED_NOW.replace(tzinfo=_UTC)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(botocore.auth, "get_current_datetime", fixed)
        # Bearer-token services (codecatalyst) sign with a token from the
        # environment, both clients alike.
        patch.setenv("AWS_BEARER_TOKEN_CODECATALYST", "differential-token")
        try:
            crt_auth = importlib.import_module("botocore.crt.auth")
        except ImportError:  # awscrt not installed: botocore signs itself
            pass
        else:  # botocore's CRT signers and presigners
            patch.setattr(crt_auth, "get_current_datetime", fixed)
        yield


# -- the services under test ------------------------------------------------------


def _seed() -> int:
    fixed = os.environ.get("CODEGEN_DIFF_SEED")
    if fixed:
        return int(fixed)
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")  # the same in every worker of a run
    if run:
        return int(hashlib.sha256(run.encode()).hexdigest()[:8], 16)
    return random.SystemRandom().randrange(1 << 31)


SEED = _seed()
print(f"test_differential: other services drawn with CODEGEN_DIFF_SEED={SEED}")


def _botocore_session() -> botocore.session.Session:
    return botocore.session.get_session()


def _random_services() -> list[str]:
    """A seeded draw of installed services without event streams, up to
    ``RANDOM_SERVICES`` per protocol the generator supports.

    Event-stream services are left out: the responses drawn here are plain
    bodies, not event-stream frames (``test_eventstream_differential.py``
    compares their streams with botocore's), and leaving them out keeps the
    seeded draw what it was. Models
    are read in the drawn order until enough qualify, so collection stays
    fast.
    """
    session = _botocore_session()
    loader = session.get_component("data_loader")
    names = sorted(set(session.get_available_services()) - set(FIVE) - set(CUSTOMIZED))
    random.Random(SEED).shuffle(names)
    out: list[str] = []
    counts = dict.fromkeys(RANDOM_PROTOCOLS, 0)
    for name in names:
        model = loader.load_service_model(name, "service-2")
        protocol = protocols.resolve(model["metadata"])
        if protocol not in protocols.SUPPORTED or protocol not in counts:
            continue
        if counts[protocol] >= RANDOM_SERVICES:
            continue
        if any(s.get("eventstream") for s in model["shapes"].values()):
            continue
        out.append(name)
        counts[protocol] += 1
        if all(n >= RANDOM_SERVICES for n in counts.values()):
            break
    return sorted(out)


@dataclass
class _Capture:
    """What botocore's ``before-send`` saw, and what it answers."""

    request: Any = None
    response: tuple[int, dict[str, str], bytes] = (200, {}, b"{}")
    operation: str = ""  # the operation under test

    def handler(self, request: Any, **_: Any) -> AWSResponse:
        if self.operation != "DescribeEndpoints" and _is_discovery(request.headers):
            return AWSResponse(
                request.url, 200, HeadersDict({}), _Raw(DISCOVERED_ENDPOINTS)
            )
        self.request = request
        status, headers, body = self.response
        return AWSResponse(request.url, status, HeadersDict(headers), _Raw(body))


# The answer to an endpoint-discovery call (timestream): one endpoint, cached
# by both clients for as long as the test runs.
DISCOVERED_ENDPOINTS = json.dumps(
    {"Endpoints": [{"Address": "discovered.example.com", "CachePeriodInMinutes": 600}]}
).encode()


def _is_discovery(headers: Mapping[str, Any]) -> bool:
    target = next((v for k, v in headers.items() if k.lower() == "x-amz-target"), b"")
    text = target.decode() if isinstance(target, bytes) else str(target)
    return text.endswith(".DescribeEndpoints")


class _DiscoveryTransport(InMemoryTransport):
    """An in-memory transport that answers endpoint discovery by itself, so
    that the requests it records are the operation's own."""

    operation = ""  # the operation under test

    def send(self, request: HttpRequest) -> HttpResponse:
        if self.operation != "DescribeEndpoints" and _is_discovery(request.headers):
            return HttpResponse(200, {}, DISCOVERED_ENDPOINTS)
        return super().send(request)


class _Raw(io.BytesIO):
    """A urllib3-like raw body for botocore's AWSResponse."""

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.getvalue()


@dataclass
class Service:
    name: str
    package: Any
    ours: Any
    transport: _DiscoveryTransport
    boto: Any
    capture: _Capture
    model: dict[str, Any] = field(repr=False)

    @property
    def schema(self) -> Any:
        return support.wire_schema(self.package)

    @property
    def protocol(self) -> str:
        return str(self.schema.metadata["protocol"])


_SERVICES: dict[str, Service] = {}
_DATA_DIR: list[Path] = []


def _pinned_data_dir() -> Path:
    """The pinned models laid out as a botocore data directory."""
    if not _DATA_DIR:
        path = Path(tempfile.mkdtemp(prefix="codegen-diff-models-"))
        import atexit

        atexit.register(shutil.rmtree, path, True)
        for name in FIVE:
            model = json.loads((MODELS / name / "service-2.json").read_text())
            target = path / name / model["metadata"]["apiVersion"]
            target.mkdir(parents=True)
            for f in ("service-2.json", "endpoint-rule-set-1.json"):
                if (MODELS / name / f).exists():
                    shutil.copy(MODELS / name / f, target / f)
        _DATA_DIR.append(path)
    return _DATA_DIR[0]


def service(name: str) -> Service:
    """Our client and botocore's for one service, built once per process."""
    found = _SERVICES.get(name)
    if found is not None:
        return found
    session = _botocore_session()
    loader = session.get_component("data_loader")
    if name in FIVE:
        loader.search_paths.insert(0, str(_pinned_data_dir()))
        model = json.loads((MODELS / name / "service-2.json").read_text())
        import importlib

        package = importlib.import_module(f"generated.{name.replace('-', '_')}")
    else:
        model = loader.load_service_model(name, "service-2")
        rules = loader.load_service_model(name, "endpoint-rule-set-1")
        package = support.generated(
            model, rules, prefix=f"diff_{name.replace('-', '_')}"
        )
    boto = session.create_client(
        name,
        region_name="us-east-1",
        aws_access_key_id="AK",
        aws_secret_access_key="SK",
        config=Config(retries={"total_max_attempts": 1}),
    )
    capture = _Capture()
    boto.meta.events.register("before-send", capture.handler)
    transport = _DiscoveryTransport()
    ours = support.client_class(package)(
        region_name="us-east-1",
        aws_access_key_id="AK",
        aws_secret_access_key="SK",
        transport=transport,
        max_attempts=1,
    )
    ours._codegen_clock = lambda: FIXED_NOW.replace(tzinfo=_UTC)
    found = Service(name, package, ours, transport, boto, capture, model)
    _SERVICES[name] = found
    return found


def _operations(name: str, model: Mapping[str, Any]) -> list[str]:
    return sorted(model["operations"])


def _five_cases() -> list[Any]:
    out = []
    for name in FIVE:
        model = json.loads((MODELS / name / "service-2.json").read_text())
        out.extend(
            pytest.param(name, op, id=f"{name}-{op}") for op in _operations(name, model)
        )
    return out


def _random_cases(limit: int | None) -> list[Any]:
    session = _botocore_session()
    loader = session.get_component("data_loader")
    out = []
    for name in _random_services():
        ops = _operations(name, loader.load_service_model(name, "service-2"))
        if limit is not None and len(ops) > limit:
            ops = sorted(random.Random(f"{SEED}-{name}").sample(ops, limit))
        out.extend(pytest.param(name, op, id=f"seed{SEED}-{name}-{op}") for op in ops)
    return out


FIVE_CASES = _five_cases()


# -- drawing values (botocore's form: wire names, dicts, datetimes, bytes) ---------

_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)
_LABEL_TEXT = st.text(
    st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-"),
    min_size=1,
    max_size=10,
)
_DOCUMENT = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-1000, 1000)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | _TEXT,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=6,
)
# Aware (UTC or not) and naive datetimes: naive ones are UTC, as in botocore.
_TIMESTAMPS = st.datetimes(
    min_value=datetime.datetime(1970, 1, 2),
    max_value=datetime.datetime(2100, 1, 1),
    timezones=st.sampled_from(
        [_UTC, datetime.timezone(datetime.timedelta(hours=5, minutes=30))]
    )
    | st.none(),
)


@dataclass
class Draw:
    """Draws botocore-style values for shapes, with the context they sit in."""

    data: Any
    for_response: bool = False
    # Strings that go into an XML response: no control characters (XML 1.0
    # cannot carry them) and no CR (an XML parser reads it as LF).
    xml: bool = False

    def value(self, member: Member, depth: int = 0, where: str | None = None) -> Any:
        shape = member.shape
        kind = shape.type
        draw = self.data.draw
        location = where or member.location
        if member.jsonvalue:
            return draw(_DOCUMENT.filter(lambda v: v is not None))
        if member.host_label:
            return draw(_LABEL_TEXT)
        if kind == "string":
            minimum = int(shape.min or 0)
            if location == "header" and self.for_response:
                minimum = max(minimum, 1)  # an empty header is no header
            if location == "uri":
                minimum = max(minimum, 1)
            enum = list(shape.enum_class) if shape.enum_class is not None else []
            if enum and draw(st.integers(0, 9)) > 0:
                return str(draw(st.sampled_from(enum)))
            return draw(
                st.text(
                    _alphabet(location, self.xml),
                    min_size=minimum,
                    max_size=minimum + 6,
                )
            )
        if kind in ("integer", "long"):
            bits = 31 if kind == "integer" else 63
            low = int(shape.min) if shape.min is not None else -(1 << bits)
            high = int(shape.max) if shape.max is not None else (1 << bits) - 1
            return draw(st.integers(max(low, -(1 << bits)), min(high, (1 << bits) - 1)))
        if kind in ("float", "double"):
            return draw(
                st.floats(
                    min_value=shape.min,
                    max_value=shape.max,
                    allow_nan=False,
                    allow_infinity=False,
                )
            )
        if kind == "boolean":
            return draw(st.booleans())
        if kind == "timestamp":
            value = draw(_TIMESTAMPS)
            if not self.for_response and draw(st.booleans()):
                # Fractions of a second, always among the draws: botocore
                # sends microseconds in ISO 8601 and drops them elsewhere.
                value = value.replace(microsecond=draw(st.integers(1, 999999)))
            if self.for_response:
                # Millisecond precision, as services send it, in UTC.
                value = value.replace(
                    microsecond=draw(st.sampled_from([0, 500000, 123000]))
                )
                value = (
                    value.replace(tzinfo=_UTC)
                    if value.tzinfo is None
                    else value.astimezone(_UTC)
                )
            return value
        if kind == "blob":
            minimum = int(shape.min or 0)
            return draw(st.binary(min_size=minimum, max_size=minimum + 8))
        if kind == "list":
            assert isinstance(shape, ListShape)
            minimum = int(shape.min or 0)
            size = (
                minimum
                if depth >= MAX_DEPTH
                else draw(st.integers(minimum, minimum + 2))
            )
            inner_where = "header" if location == "header" else None
            return [
                self.value(shape.member, depth + 1, inner_where) for _ in range(size)
            ]
        if kind == "map":
            assert isinstance(shape, MapShape)
            minimum = int(shape.min or 0)
            size = (
                minimum
                if depth >= MAX_DEPTH
                else draw(st.integers(minimum, minimum + 2))
            )
            if shape.key.shape.enum_class is not None:
                size = min(size, len(shape.key.shape.enum_class))
            keys = draw(
                st.lists(
                    self._key(shape.key, location),
                    min_size=size,
                    max_size=size,
                    unique_by=lambda k: k.lower(),
                )
            )
            inner_where = "headers" if location == "headers" else None
            return {k: self.value(shape.value, depth + 1, inner_where) for k in keys}
        if kind == "structure":
            assert isinstance(shape, StructureShape)
            if shape.document:
                # (None would mean "unset" to a typed caller.)
                return draw(_DOCUMENT.filter(lambda v: v is not None))
            return self.structure(shape, depth + 1)
        raise AssertionError(f"no strategy for {kind}")

    def _key(self, key: Member, location: str | None) -> Any:
        if location == "headers":
            return st.text(
                st.sampled_from("abcdefghijklmnopqrstuvwxyz-"), min_size=1, max_size=6
            )
        if location == "querystring":
            # Keys of a query map never repeat a named query member's name
            # (Smithy's precedence rule, where botocore differs: see the suites).
            return st.text(
                st.sampled_from("abcdefghijklmnopqrstuvwxyz"), min_size=1, max_size=6
            ).map(lambda k: "qm-" + k)
        enum = list(key.shape.enum_class) if key.shape.enum_class is not None else []
        if enum:
            return st.sampled_from([str(e) for e in enum])
        minimum = int(key.shape.min or 0)
        return st.text(
            _alphabet(None, self.xml), min_size=minimum, max_size=minimum + 6
        )

    def structure(self, shape: StructureShape, depth: int) -> dict[str, Any]:
        draw = self.data.draw
        members = list(shape.members.items())
        if shape.union:
            choices = [(w, m) for w, m in members if self._drawable(m)]
            wire, member = draw(st.sampled_from(choices))
            return {wire: self.value(member, depth)}
        out: dict[str, Any] = {}
        for wire, member in members:
            if not self._drawable(member):
                continue
            if wire in shape.required or member.idempotency_token or member.host_label:
                pass
            elif depth >= MAX_DEPTH or not draw(st.booleans()):
                continue
            if member.idempotency_token and not self.for_response:
                out[wire] = str(
                    uuid.UUID(int=draw(st.integers(0, (1 << 128) - 1)), version=4)
                )
                continue
            out[wire] = self.value(member, depth)
        return out

    def _drawable(self, member: Member) -> bool:
        if self.for_response and member.location == "statusCode":
            return False  # the status comes from the response, drawn apart
        # A member a customization adds (S3's ExpiresString, the text of the
        # Expires header): botocore's model does not have it.
        return member.wire not in ADDED_MEMBERS


def _alphabet(location: str | None, xml: bool = False) -> Any:
    if location in ("header", "headers"):
        return st.characters(
            min_codepoint=0x21, max_codepoint=0x7E, exclude_characters='",'
        )
    if xml:
        return st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Co"))
    return st.characters(codec="utf-8", exclude_categories=("Cs",))


# -- our side ------------------------------------------------------------------------


def typed_params(op: Any, params: Mapping[str, Any]) -> dict[str, Any]:
    kwargs = support.typed_kwargs(op.input, params)
    if op.input is not None:
        # A typed caller leaves a required parameter unset with None.
        for wire in op.input.required:
            member = op.input.members[wire]
            kwargs.setdefault(member.python, None)
    return kwargs


def boto_plain(value: Any, top: bool = True) -> Any:
    """botocore's parsed result, with streams read."""
    if isinstance(value, dict):
        # A None top-level member (botocore's parse_get_bucket_location sets
        # one) is an unset field of ours; deeper, None is a value (documents).
        return {
            k: boto_plain(v, False)
            for k, v in value.items()
            if k != "ResponseMetadata" and not (top and v is None)
        }
    if isinstance(value, list):
        return [boto_plain(v, False) for v in value]
    from botocore.eventstream import EventStream

    if isinstance(value, EventStream):
        return [boto_plain(v, False) for v in value]
    if hasattr(value, "read") and not isinstance(value, (bytes, str)):
        return value.read()
    return value


# -- responses -----------------------------------------------------------------------


# -- invalid parameters --------------------------------------------------------------

_WRONG = {
    "string": 12,
    "integer": "12",
    "long": "12",
    "float": "1.5",
    "double": "1.5",
    "boolean": "true",
    "timestamp": {"at": 1},
    "blob": 12,
    "list": 12,
    "map": "m",
    "structure": "s",
}


def _sites(
    shape: StructureShape, value: dict[str, Any], path: list[Any]
) -> Iterator[tuple[str, list[Any], Any]]:
    for wire, member in shape.members.items():
        if wire in shape.required and wire in value and not member.idempotency_token:
            # (A missing token is filled in, by botocore's client as by ours.)
            yield ("remove", path + [wire], member)
        if wire not in value:
            continue
        yield from _member_sites(member, value[wire], path + [wire])
    if shape.union and len(shape.members) > 1:
        yield ("union", path, shape)


def _member_sites(
    member: Member, value: Any, path: list[Any]
) -> Iterator[tuple[str, list[Any], Any]]:
    shape = member.shape
    kind = shape.type
    if member.jsonvalue or (kind == "structure" and getattr(shape, "document", False)):
        return
    yield ("wrong", path, member)
    if kind in ("string", "blob", "list", "map") and shape.min and len(value) >= 1:
        yield ("short", path, member)
    if kind in ("integer", "long", "float", "double") and shape.min is not None:
        yield ("below", path, member)
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        yield from _sites(shape, value, path)
    elif kind == "list" and value:
        assert isinstance(shape, ListShape)
        yield from _member_sites(shape.member, value[0], path + [0])
    elif kind == "map" and value:
        assert isinstance(shape, MapShape)
        key = next(iter(value))
        yield from _member_sites(shape.value, value[key], path + [key])


@dataclass
class Mutation:
    kind: str  # remove, wrong, short, below, union
    path: list[Any]
    target: Any  # the Member, or the union's StructureShape
    params: dict[str, Any]

    @property
    def stricter_by_spec(self) -> bool:
        """Whether the spec wants a rejection botocore does not make.

        botocore's validator checks no ``min`` on maps; the spec asks for it.
        """
        return self.kind == "short" and self.target.shape.type == "map"


def mutate(draw: Draw, params: dict[str, Any], op: Any) -> Mutation | None:
    sites = list(_sites(op.input, params, []))
    if not sites:
        return None
    kind, path, target = draw.data.draw(st.sampled_from(sites))
    out = copy.deepcopy(params)
    parent: Any = out
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1] if path else None
    if kind == "remove":
        del parent[last]
    elif kind == "wrong":
        parent[last] = _WRONG[target.shape.type]
    elif kind == "short":
        keep = int(target.shape.min) - 1
        old = parent[last]
        parent[last] = (
            dict(list(old.items())[:keep]) if isinstance(old, dict) else old[:keep]
        )
    elif kind == "below":
        parent[last] = target.shape.min - 1
    elif kind == "union":
        holder = parent[last] if path else out
        missing = [(w, m) for w, m in target.members.items() if w not in holder]
        wire, member = draw.data.draw(st.sampled_from(missing))
        holder[wire] = draw.value(member, MAX_DEPTH)
    return Mutation(kind, path, target, out)


# -- the comparison ------------------------------------------------------------------


def _headers(headers: Mapping[str, Any]) -> dict[str, str]:
    out = {}
    for k, v in headers.items():
        if k.lower() in IGNORED_HEADERS:
            continue
        out[k.lower()] = v.decode() if isinstance(v, bytes) else str(v)
    return out


def _lower(headers: Mapping[str, Any]) -> set[str]:
    return {k.lower() for k in headers}


def _body(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode()
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    data = body.read()
    body.seek(0)
    return bytes(data)


def compare_requests(svc: Service, op_name: str, params: dict[str, Any]) -> bool:
    """Whether both sent the same request (False: both refused the input)."""
    op = svc.schema.operation(op_name)
    method = support.method_name(op_name)
    # An empty but well-formed answer in the service's protocol.
    operation = svc.boto.meta.service_model.operation_model(op_name)
    empty = responses.encode(svc.protocol, operation, {}, 200)
    svc.transport.clear()
    svc.transport.queue(HttpResponse(empty[0], dict(empty[1]), empty[2]))
    svc.capture.request = None
    svc.capture.response = empty
    try:
        getattr(svc.ours, method)(**typed_params(op, params))
    except ParamValidationError:
        # Valid input a customization makes invalid (route53 strips "/x/" off
        # an id, leaving it empty): botocore, which rewrites before it
        # validates too, must refuse it as well.
        with pytest.raises(BotocoreParamValidationError):
            getattr(svc.boto, method)(**copy.deepcopy(params))
        svc.transport.clear()
        return False
    except EndpointResolutionError as error:
        # Input the endpoint rules refuse (sesv2's EndpointId that is not a
        # host label): botocore's rules refuse it with the same message (for
        # events under its own class: ruleset_error_to_botocore_exception).
        with pytest.raises(
            (BotocoreEndpointResolutionError, InvalidEndpointConfigurationError)
        ) as info:
            getattr(svc.boto, method)(**copy.deepcopy(params))
        theirs_message = (
            str(info.value)
            .removeprefix("Error when resolving endpoint: ")
            .removeprefix("Invalid endpoint configuration: ")
        )
        assert theirs_message == str(error), "endpoint error"
        svc.transport.clear()
        return False
    except (MissingDependencyError, FlexibleChecksumError) as exc:
        # A checksum algorithm that needs awscrt (absent), or one nobody
        # knows: botocore refuses it too, before sending.
        from botocore.exceptions import MissingDependencyException

        expected = (
            MissingDependencyException
            if isinstance(exc, MissingDependencyError)
            else BotocoreChecksumError
        )
        with pytest.raises(expected):
            getattr(svc.boto, method)(**copy.deepcopy(params))
        assert not svc.transport.requests
        return False
    ours = svc.transport.last
    getattr(svc.boto, method)(**copy.deepcopy(params))
    theirs = svc.capture.request
    assert theirs is not None, "botocore sent nothing"

    assert ours.method == theirs.method
    mine, boto = urlsplit(ours.url), urlsplit(theirs.url)
    assert mine.netloc == boto.netloc, "host"
    # An empty path goes on the wire as "/" (botocore's discovered endpoints).
    mine_query, boto_query = mine.query, boto.query
    if svc.name in QUERY_ORDER_FREE:
        mine_query = "&".join(sorted(mine_query.split("&")))
        boto_query = "&".join(sorted(boto_query.split("&")))
    assert (mine.path or "/", mine_query) == (boto.path or "/", boto_query), "path"
    mine_headers, their_headers = _headers(wire_headers(ours)), _headers(theirs.headers)
    if svc.schema.metadata.get("signatureVersion") == "v2":
        # SigV2 signs in the body: botocore's own clock makes its signature,
        # whose percent-encoded length varies, and so the body's length.
        mine_headers.pop("content-length", None)
        their_headers.pop("content-length", None)
    assert mine_headers == their_headers, "headers"
    signed = (
        "authorization" in _lower(ours.headers),
        "authorization" in _lower(theirs.headers),
    )
    assert signed[0] == signed[1], "signed or not"
    mine_body, their_body = _body(ours.body), _body(theirs.body)
    if svc.schema.metadata.get("signatureVersion") == "v2":
        # SigV2 signs in the body: its clock and signature are not compared.
        mine_body, their_body = _unsigned_v2(mine_body), _unsigned_v2(their_body)
    body, expected = compare_bodies(svc.protocol, mine_body, their_body)
    assert body == expected, "body"
    return True


def _unsigned_v2(body: bytes) -> bytes:
    pairs = [
        p for p in body.split(b"&") if not p.startswith((b"Timestamp=", b"Signature="))
    ]
    return b"&".join(pairs)


def compare_bodies(protocol: str, ours: bytes, theirs: bytes) -> tuple[Any, Any]:
    """The two request bodies in the form they must be equal in: JSON as
    parsed JSON, CBOR as decoded values, form and XML bodies byte for byte."""
    if protocol in ("json", "rest-json"):
        return support.json_or_bytes_equal(ours, theirs)
    if protocol == "smithy-rpc-v2-cbor" and ours and theirs:
        from botocore.parsers import RpcV2CBORParser

        parser = RpcV2CBORParser()
        return (
            parser.parse_data_item(parser.get_peekable_stream_from_bytes(ours)),
            parser.parse_data_item(parser.get_peekable_stream_from_bytes(theirs)),
        )
    return ours, theirs


def compare_validation(svc: Service, op_name: str, mutation: Mutation) -> None:
    params = mutation.params
    op = svc.schema.operation(op_name)
    model = svc.boto.meta.service_model.operation_model(op_name)
    report = ParamValidator().validate(params, model.input_shape)
    svc.transport.clear()
    # Accepted input is sent: answer it in the service's protocol.
    status, headers, body = responses.encode(svc.protocol, model, {}, 200)
    svc.transport.queue(HttpResponse(status, headers, body))
    try:
        getattr(svc.ours, support.method_name(op_name))(**typed_params(op, params))
    except ParamValidationError as exc:
        rejected = str(exc)
    else:
        rejected = None
    assert not svc.transport.requests or rejected is None
    svc.transport.clear()  # the answer queued for input that was refused
    theirs = report.generate_report() if report.has_errors() else None
    message = (
        f"{mutation.kind} at {mutation.path}\nbotocore: {theirs!r}\nours: {rejected!r}"
    )
    if theirs is not None:
        assert rejected is not None, message
    elif rejected is not None:
        assert mutation.stricter_by_spec, message


def compare_responses(
    svc: Service, op_name: str, params: dict[str, Any], draw: Draw
) -> None:
    op = svc.schema.operation(op_name)
    if op.output is None:
        return
    value = draw.structure(op.output, 0)
    status_member = next(
        (m for m in op.output.members.values() if m.location == "statusCode"), None
    )
    status = (
        draw.data.draw(st.sampled_from([200, 201, 202]))
        if status_member
        else op.response_code
    )
    operation = svc.boto.meta.service_model.operation_model(op_name)
    response = responses.encode(svc.protocol, operation, value, status)
    if status_member is not None:
        value = {**value, status_member.wire: status}

    svc.transport.clear()
    svc.transport.queue(HttpResponse(response[0], dict(response[1]), response[2]))
    svc.capture.response = response
    method = support.method_name(op_name)
    try:
        result = getattr(svc.ours, method)(**typed_params(op, params))
    except ServiceError as exc:
        # A response both take for an error (S3: a 200 whose body is not
        # XML, as the encoder writes an undeclared xsi: prefix).
        with pytest.raises(ClientError) as raised:
            getattr(svc.boto, method)(**copy.deepcopy(params))
        assert raised.value.response["Error"]["Code"] == exc.code
        return
    try:
        parsed = getattr(svc.boto, method)(**copy.deepcopy(params))
    except KeyError:
        # botocore's decode_list_object* index every listed entry's Key (or
        # Prefix): an entry without one, which S3 never sends, crashes them;
        # ours leaves it as it is.
        assert (svc.name, op_name) in LISTINGS_BOTOCORE_CRASHES_ON
        return
    try:
        theirs = boto_plain(parsed)
    except (BotocoreChecksumError, ValueError):
        # A drawn checksum header the body does not match (or not base64):
        # both raise as the body is read.
        with pytest.raises(FlexibleChecksumError):
            support.to_botocore(op.output, result)
        return
    mine = support.to_botocore(op.output, result)
    payload = op.output.payload
    if payload is not None and op.output.members[payload].shape.type == "blob":
        if isinstance(theirs.get(payload), str):
            theirs[payload] = theirs[payload].encode()  # botocore's str for a blob
    assert mine == theirs


def run_differential(name: str, op_name: str, data: Any) -> None:
    svc = service(name)
    svc.transport.operation = svc.capture.operation = op_name
    op = svc.schema.operation(op_name)
    draw = Draw(data)
    params = draw.structure(op.input, 0) if op.input is not None else {}
    if (name, op_name) == ("machinelearning", "Predict"):
        # botocore's switch_host_machinelearning crashes (AttributeError on
        # None) when PredictEndpoint is not a URL with a host: nothing to
        # compare against there, so the endpoint drawn is one.
        params["PredictEndpoint"] = "https://realtime.machinelearning.example.com"
    if not compare_requests(svc, op_name, params):
        return
    if op.input is not None:
        invalid = mutate(draw, params, op)
        if invalid is not None:
            compare_validation(svc, op_name, invalid)
    xml = svc.protocol in ("query", "ec2", "rest-xml")
    if (name, op_name) in RESPONSES_NOT_COMPARED:
        return
    compare_responses(svc, op_name, params, Draw(data, for_response=True, xml=xml))


_SETTINGS: dict[str, Any] = dict(
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)
# The default run does not shrink a failure (each step calls botocore, which
# would take minutes): the failing draw is reported as found. The slow
# variant shrinks.
_FAST = dict(
    _SETTINGS,
    max_examples=EXAMPLES,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
)
_SLOW = dict(_SETTINGS, max_examples=SLOW_EXAMPLES)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize(("name", "op_name"), FIVE_CASES)
@settings(**_FAST)
@given(data=st.data())
def test_five_services(name: str, op_name: str, data: Any) -> None:
    run_differential(name, op_name, data)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize(("name", "op_name"), FIVE_CASES)
@settings(**_SLOW)
@given(data=st.data())
def test_five_services_slow(name: str, op_name: str, data: Any) -> None:
    run_differential(name, op_name, data)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize(("name", "op_name"), _random_cases(RANDOM_OPERATIONS))
@settings(**_FAST)
@given(data=st.data())
def test_random_services(name: str, op_name: str, data: Any) -> None:
    run_differential(name, op_name, data)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize(("name", "op_name"), _random_cases(None))
@settings(**_SLOW)
@given(data=st.data())
def test_random_services_slow(name: str, op_name: str, data: Any) -> None:
    run_differential(name, op_name, data)


# -- every service of the installed botocore (slow) --------------------------------

ALL_EXAMPLES = int(os.environ.get("CODEGEN_DIFF_ALL_EXAMPLES", "3"))


def _category(error: BaseException) -> str:
    """What kind of difference: the comparison that failed (``host``,
    ``path``, ``headers``, ``body``, ``signed or not``), else the
    exception's type."""
    if isinstance(error, AssertionError):
        first = str(error).splitlines()[0] if str(error) else ""
        label = first.split(" assert ")[0].strip()
        for name in ("host", "path", "headers", "signed or not", "body"):
            if label == name or first.startswith(name):
                return f"request {name}"
        if "botocore" in first and "ours" in str(error):
            return "validation"
        return "assertion: " + first[:80]
    return type(error).__name__


def _run_all_operations(name: str, model: dict[str, Any]) -> dict[str, str | None]:
    """Each operation of one service, a few examples each: None where every
    example agreed, else the first difference (category: message)."""
    results: dict[str, str | None] = {}

    def runner(op_name: str) -> Any:
        @settings(
            max_examples=ALL_EXAMPLES,
            phases=(Phase.explicit, Phase.reuse, Phase.generate),
            **_SETTINGS,
        )
        @given(data=st.data())
        def run(data: Any) -> None:
            run_differential(name, op_name, data)

        return run

    for op_name in sorted(model["operations"]):
        try:
            runner(op_name)()
        except Exception as error:  # noqa: BLE001 - each difference is reported
            lines = [line.strip() for line in str(error).splitlines() if line.strip()]
            message = " | ".join(lines[:3])[:300]
            results[op_name] = f"{_category(error)}: {message}"
        else:
            results[op_name] = None
    return results


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore")
def test_every_service_against_botocore(capsys: pytest.CaptureFixture[str]) -> None:
    """Every service of the installed botocore generated into a temporary
    directory and every operation sent by both clients (a few examples each,
    ``CODEGEN_DIFF_ALL_EXAMPLES``, default 3). Prints: services generated /
    total; services identical on every sampled request; requests identical /
    total; each remaining difference by category. Event-stream services are
    refused by the generator until event streams land: not generated."""
    import gc

    session = _botocore_session()
    names = sorted(session.get_available_services())
    only = os.environ.get("CODEGEN_DIFF_ALL_SERVICES")  # a comma list, to try
    if only:
        names = [n for n in names if n in only.split(",")]
    not_generated: dict[str, str] = {}
    identical_services = 0
    total = same = 0
    differences: dict[str, list[str]] = {}
    for name in names:
        if name in CUSTOMIZED:
            not_generated[name] = "left out: " + CUSTOMIZED[name]
            continue
        try:
            svc = service(name)
        except Exception as error:  # noqa: BLE001 - reported, not raised
            not_generated[name] = f"{type(error).__name__}: {str(error)[:120]}"
            continue
        results = _run_all_operations(name, svc.model)
        _SERVICES.pop(name, None)
        gc.collect()
        total += len(results)
        same += sum(1 for r in results.values() if r is None)
        if all(r is None for r in results.values()):
            identical_services += 1
        for op_name, result in results.items():
            if result is not None:
                category = result.split(":", 1)[0]
                differences.setdefault(category, []).append(
                    f"{name}.{op_name}: {result}"
                )
    generated = len(names) - len(not_generated)
    lines = [
        f"services generated: {generated}/{len(names)}",
        f"services identical on every sampled request: {identical_services}"
        f"/{generated}",
        f"operations identical on every example: {same}/{total}"
        f" ({ALL_EXAMPLES} examples each)",
        "not generated:",
        *(f"  {n}: {why}" for n, why in sorted(not_generated.items())),
        "differences by category:",
    ]
    for category, items in sorted(differences.items()):
        lines.append(f"  {category} ({len(items)}):")
        lines.extend(f"    {item}" for item in items)
    report = "\n".join(lines)
    with capsys.disabled():
        print("\n" + report)
    out = os.environ.get("CODEGEN_DIFF_ALL_REPORT")
    if out:
        Path(out).write_text(report + "\n")


# -- regressions: each difference found, pinned against botocore's own codec ----------

_META = {
    "protocol": "rest-json",
    "apiVersion": "2020-01-01",
    "serviceId": "Regression",
    "endpointPrefix": "regression",
    "signingName": "regression",
    "signatureVersion": "v4",
}


def _model(
    input_members: dict[str, Any] | None = None,
    output_members: dict[str, Any] | None = None,
    shapes: dict[str, Any] | None = None,
    uri: str = "/op",
    output_payload: str | None = None,
) -> dict[str, Any]:
    op: dict[str, Any] = {"name": "Op", "http": {"method": "POST", "requestUri": uri}}
    all_shapes: dict[str, Any] = {
        "S": {"type": "string"},
        "T": {"type": "timestamp"},
        "B": {"type": "blob"},
        "SMap": {"type": "map", "key": {"shape": "S"}, "value": {"shape": "S"}},
        **(shapes or {}),
    }
    if input_members is not None:
        all_shapes["In"] = {"type": "structure", "members": input_members}
        op["input"] = {"shape": "In"}
    if output_members is not None:
        all_shapes["Out"] = {"type": "structure", "members": output_members}
        if output_payload:
            all_shapes["Out"]["payload"] = output_payload
        op["output"] = {"shape": "Out"}
    return {
        "version": "2.0",
        "metadata": dict(_META),
        "shapes": all_shapes,
        "operations": {"Op": op},
    }


def _our_client(
    model: dict[str, Any], *responses: HttpResponse
) -> tuple[Any, InMemoryTransport]:
    package = support.generated(model, prefix="regression")
    transport = InMemoryTransport(responses)
    client = support.client_class(package)(
        region_name="us-east-1",
        endpoint_url="https://example.com",
        aws_access_key_id="AK",
        aws_secret_access_key="SK",
        transport=transport,
        max_attempts=1,
    )
    return client, transport


def _botocore_request(model: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    from botocore.model import ServiceModel
    from botocore.serialize import RestJSONSerializer
    from botocore.utils import percent_encode_sequence

    operation = ServiceModel(model).operation_model("Op")
    request = RestJSONSerializer().serialize_to_request(params, operation)
    query = percent_encode_sequence(request["query_string"])
    request["uri"] = request["url_path"] + (f"?{query}" if query else "")
    return request


def _botocore_parse(
    model: dict[str, Any], status: int, headers: dict[str, str], body: bytes
) -> dict[str, Any]:
    from botocore.model import ServiceModel
    from botocore.parsers import RestJSONParser

    operation = ServiceModel(model).operation_model("Op")
    parsed = RestJSONParser().parse(
        {"status_code": status, "headers": HeadersDict(headers), "body": body},
        operation.output_shape,
    )
    parsed.pop("ResponseMetadata", None)
    return dict(parsed)


def _uri(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_regression_query_in_model_order_and_a_map_adds_no_duplicate() -> None:
    """Query parameters were sent in the caller's order and a map entry for a
    named parameter's key was sent twice; now model order, one value per key."""
    model = _model(
        {
            "A": {"shape": "S", "location": "querystring", "locationName": "a"},
            "M": {"shape": "SMap", "location": "querystring"},
            "Z": {"shape": "S", "location": "querystring", "locationName": "z"},
        }
    )
    client, transport = _our_client(model)
    client.op(z="1", m={"k": "v"}, a="2")
    expected = _botocore_request(model, {"A": "2", "M": {"k": "v"}, "Z": "1"})["uri"]
    assert _uri(transport.last.url) == expected == "/op?a=2&k=v&z=1"
    client.op(a="named", m={"a": "from-map"})
    assert (
        _uri(transport.last.url) == "/op?a=named"
    )  # Smithy's precedence (see the suites)


def test_regression_header_timestamps_drop_fractions_of_a_second() -> None:
    model = _model(
        {
            "I": {
                "shape": "T",
                "location": "header",
                "locationName": "x-iso",
                "timestampFormat": "iso8601",
            },
            "R": {"shape": "T", "location": "header", "locationName": "x-rfc"},
            "Q": {"shape": "T", "location": "querystring", "locationName": "q"},
        }
    )
    when = datetime.datetime(2020, 1, 2, 3, 4, 5, 678901, tzinfo=_UTC)
    client, transport = _our_client(model)
    client.op(i=when, r=when, q=when)
    theirs = _botocore_request(model, {"I": when, "R": when, "Q": when})
    assert (
        transport.last.headers["x-iso"]
        == theirs["headers"]["x-iso"]
        == "2020-01-02T03:04:05Z"
    )
    assert transport.last.headers["x-rfc"] == theirs["headers"]["x-rfc"]
    assert _uri(transport.last.url) == theirs["uri"]  # the query keeps them


def test_regression_jsonvalue_in_a_body_is_a_plain_string() -> None:
    """omics PutS3AccessPolicy: ``jsonvalue`` outside a header is a str, as in
    botocore (it was validated and sent as a JSON document)."""
    svc = service("omics")
    params = {
        "s3AccessPointArn": "arn:aws:s3:us-east-1:1:accesspoint/x",
        "s3AccessPolicy": '{"Version": "2012-10-17"}',
    }
    compare_requests(svc, "PutS3AccessPolicy", params)
    with pytest.raises(ParamValidationError):
        svc.ours.put_s3_access_policy(
            s3_access_point_arn="arn", s3_access_policy={"a": 1}
        )


def test_regression_blob_min_is_not_validated() -> None:
    """A blob shorter than its ``min`` was refused; neither the spec nor
    botocore checks a blob's length."""
    model = _model({"P": {"shape": "B1"}}, shapes={"B1": {"type": "blob", "min": 1}})
    client, transport = _our_client(model)
    client.op(p=b"")
    assert json.loads(transport.last.body) == json.loads(
        _botocore_request(model, {"P": b""})["body"]
    )


def test_regression_empty_header_map_and_empty_payloads_parse_as_botocore() -> None:
    """A header map with no header is ``{}`` and an empty blob/string payload
    is empty, not unset, as botocore parses them."""
    blob = _model(
        None,
        {
            "H": {"shape": "SMap", "location": "headers", "locationName": "x-meta-"},
            "P": {"shape": "B"},
        },
        output_payload="P",
    )
    client, _ = _our_client(blob, HttpResponse(200, {"x-other": "1"}, b""))
    result = client.op()
    assert (result.h, result.p) == ({}, b"")
    theirs = _botocore_parse(blob, 200, {"x-other": "1"}, b"")
    assert theirs == {"H": {}, "P": ""}  # botocore: str even for a blob payload
    text = _model(None, {"P": {"shape": "S"}}, output_payload="P")
    client, _ = _our_client(text, HttpResponse(200, {}, b""))
    assert client.op().p == "" == _botocore_parse(text, 200, {}, b"")["P"]


def test_regression_error_codes_default_as_botocore() -> None:
    """Without any code an error's code is its status (it was '' below 500);
    a 5xx with an empty or HTML body takes the status reason as message."""
    from typed_aws_runtime.errors import ServiceError

    model = _model({})
    cases = [
        (404, {}, b'{"message": "gone"}', "404", "gone"),
        (503, {}, b"", "503", "Service Unavailable"),
        (502, {}, b"<html><body>Bad gateway</body></html>", "502", "Bad Gateway"),
        (400, {"x-amzn-errortype": "Bad:http://x"}, b"{}", "Bad", ""),
    ]
    for status, headers, body, code, message in cases:
        client, _ = _our_client(model, HttpResponse(status, headers, body))
        with pytest.raises(ServiceError) as info:
            client.op()
        assert (info.value.code, info.value.message) == (code, message)
        theirs = _botocore_parse(model, status, headers, body)["Error"]
        assert (theirs["Code"], theirs["Message"]) == (code, message)
