"""Helpers shared by the conformance tests.

* loading botocore's protocol suites from ``tests/fixtures/protocols`` (one
  file per protocol: ``rest-json``, ``json``, ``json_1_0``, ``query``, ...);
* generating a throwaway package for a service model (cached per model
  content, per process) and importing it under a unique name;
* converting between botocore-style values (wire member names, dicts for
  structures, epoch numbers for timestamps, strings for blobs) and the typed
  values the generated clients take and return.
"""

from __future__ import annotations

import atexit
import datetime
import hashlib
import importlib
import json
import math
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from codegen import naming
from codegen.api import generate_package
from typed_aws_runtime import schema as runtime_schema
from typed_aws_runtime.schema import ListShape, MapShape, Member, Shape, StructureShape
from typed_aws_runtime.streaming import StreamingBody
from typed_aws_runtime.structure import Structure

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "protocols"
_UTC = datetime.UTC
_SPECIAL_FLOATS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}

# -- the suites ------------------------------------------------------------------


@dataclass(frozen=True)
class ProtocolCase:
    """One case of a suite, with the suite it belongs to."""

    direction: str  # "input" or "output"
    protocol: str  # the suite file's stem: "rest-json", "json_1_0", "query", ...
    origin: str  # "smithy" (generated from Smithy) or "legacy" (hand-written)
    suite_index: int
    case_index: int
    suite: Mapping[str, Any]
    case: Mapping[str, Any]

    @property
    def description(self) -> str:
        return str(self.suite["description"])

    @property
    def case_id(self) -> str | None:
        value = self.case.get("id")
        return str(value) if value is not None else None

    @property
    def test_id(self) -> str:
        if self.case_id:
            return self.case_id
        return f"legacy-{self.suite_index:02d}.{self.case_index}-{self.description}"

    @property
    def given(self) -> Mapping[str, Any]:
        return self.case["given"]  # type: ignore[no-any-return]

    @property
    def operation_name(self) -> str:
        return str(self.given.get("name", "OperationName"))


def suite_path(direction: str, origin: str, protocol: str = "rest-json") -> Path:
    prefix = FIXTURES / "legacy" if origin == "legacy" else FIXTURES
    return prefix / direction / f"{protocol}.json"


def load_cases(
    direction: str, origin: str, protocol: str = "rest-json"
) -> list[ProtocolCase]:
    path = suite_path(direction, origin, protocol)
    if not path.exists():
        return []  # no legacy suite for this protocol
    with open(path, encoding="utf-8") as f:
        suites = json.load(f)
    out = []
    for i, suite in enumerate(suites):
        head = {k: v for k, v in suite.items() if k != "cases"}
        for j, case in enumerate(suite["cases"]):
            out.append(ProtocolCase(direction, protocol, origin, i, j, head, case))
    return out


def botocore_ignore_list() -> dict[str, Any]:
    with open(FIXTURES / "protocol-tests-ignore-list.json", encoding="utf-8") as f:
        return json.load(f)  # type: ignore[no-any-return]


def botocore_ignores(case: ProtocolCase) -> bool:
    """Whether botocore's own runner skips this case (its ignore list)."""
    data = botocore_ignore_list()
    general = data.get("general", {}).get(case.direction, {})
    proto = data.get("protocols", {}).get(case.protocol, {}).get(case.direction, {})
    for section in (general, proto):
        if case.description in section.get("suites", ()):
            return True
        if case.case_id is not None and case.case_id in section.get("cases", ()):
            return True
    return False


# -- generating packages ---------------------------------------------------------

_LOCK = threading.Lock()
_PACKAGES: dict[str, ModuleType] = {}
_OUTPUT: list[Path] = []


def _output_dir() -> Path:
    if not _OUTPUT:
        path = Path(tempfile.mkdtemp(prefix="codegen-conformance-"))
        atexit.register(shutil.rmtree, path, True)
        sys.path.insert(0, str(path))
        _OUTPUT.append(path)
    return _OUTPUT[0]


def service_model(case: ProtocolCase) -> dict[str, Any]:
    """The service model botocore's runner builds for one case, made complete."""
    metadata = dict(case.suite["metadata"])
    metadata.setdefault("apiVersion", "2014-01-01")
    metadata.setdefault("serviceId", "Protocol Test")
    metadata.setdefault("endpointPrefix", "protocoltest")
    metadata.setdefault("signingName", "protocoltest")
    metadata.setdefault("signatureVersion", "v4")
    given = dict(case.given)
    given.setdefault("name", "OperationName")
    # Legacy output cases leave out ``http``, legacy awsJson input cases
    # ``http`` or its ``requestUri``: botocore's runner never needs them (its
    # JSON serializer always posts to "/"); the generator requires them.
    http = dict(given.get("http") or {"method": "POST"})
    http.setdefault("requestUri", "/")
    given["http"] = http
    if case.direction == "output":
        # The parser never looks at the input; dropping it spares the call
        # from needing values for required input members.
        given.pop("input", None)
    return {
        "version": "2.0",
        "metadata": metadata,
        "shapes": case.suite["shapes"],
        "operations": {given["name"]: given},
    }


def generated(
    model: Mapping[str, Any],
    endpoint_rules: Mapping[str, Any] | None = None,
    prefix: str = "protocol_case",
) -> ModuleType:
    """The package generated from ``model``, imported; one per model content."""
    text = json.dumps([model, endpoint_rules], sort_keys=True)
    key = f"{prefix}_{hashlib.sha256(text.encode()).hexdigest()[:16]}"
    with _LOCK:
        module = _PACKAGES.get(key)
        if module is None:
            output = _output_dir()
            package = generate_package(
                dict(model),
                output,
                name=key,
                format_code=False,
                endpoint_rules=dict(endpoint_rules) if endpoint_rules else None,
            )
            importlib.invalidate_caches()
            module = importlib.import_module(package)
            _PACKAGES[key] = module
    return module


def client_class(package: ModuleType) -> type[Any]:
    return getattr(package, package.__all__[0])  # type: ignore[no-any-return]


def wire_schema(package: ModuleType) -> runtime_schema.ServiceSchema:
    return runtime_schema.load(package.__name__)


def method_name(operation: str) -> str:
    return naming.method_name(operation)


# -- botocore-style values -> typed values ---------------------------------------


def typed_kwargs(
    shape: StructureShape | None, params: Mapping[str, Any]
) -> dict[str, Any]:
    """Keyword arguments of a generated method for botocore-style ``params``."""
    if shape is None:
        return {}
    out: dict[str, Any] = {}
    for wire, value in params.items():
        member = shape.members[wire]
        out[member.python] = to_typed(member, value)
    return out


def to_typed(member: Member, value: Any) -> Any:
    if value is None or member.jsonvalue:
        return value
    return _typed(member.shape, value)


def _typed(shape: Shape, value: Any) -> Any:
    """The typed form of a botocore-style value; a value of the wrong kind
    (as invalid-parameter tests use) is passed through unchanged."""
    if value is None:
        return None
    kind = shape.type
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        if shape.document or not isinstance(value, Mapping):
            return value
        fields = {
            shape.members[wire].python: to_typed(shape.members[wire], item)
            for wire, item in value.items()
        }
        assert shape.cls is not None, shape.name
        return shape.cls(**fields)
    if kind == "list":
        assert isinstance(shape, ListShape)
        if not isinstance(value, list):
            return value
        return [to_typed(shape.member, item) for item in value]
    if kind == "map":
        assert isinstance(shape, MapShape)
        if not isinstance(value, Mapping):
            return value
        return {key: to_typed(shape.value, item) for key, item in value.items()}
    if kind == "timestamp":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return datetime.datetime.fromtimestamp(value, tz=_UTC)
        if isinstance(value, str):
            from botocore.utils import parse_timestamp

            return parse_timestamp(value)
        return value
    if kind == "blob":
        return value.encode("utf-8") if isinstance(value, str) else value
    if kind in ("float", "double"):
        if isinstance(value, str) and value in _SPECIAL_FLOATS:
            return _SPECIAL_FLOATS[value]
        return value
    return value


# -- typed values -> botocore-style values ---------------------------------------


Leaf = Callable[[Shape, Any], Any]


def walk(shape: Shape, value: Any, member: Member | None, leaf: Leaf) -> Any:
    """A typed value with wire names and plain containers; ``leaf`` converts
    the scalars (timestamps, blobs, floats, strings)."""
    if value is None:
        return None
    if member is not None and member.jsonvalue:
        return value
    kind = shape.type
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        if shape.document:
            return value
        if shape.event_stream and not isinstance(value, (dict, Structure)):
            # An event stream (runtime/events.py): its events, read to the end.
            return [walk(shape, event, None, leaf) for event in value]
        out = {}
        for m in shape.members.values():
            item = (
                value.get(m.python)
                if isinstance(value, dict)
                else getattr(value, m.python, None)
            )
            if item is not None:
                out[m.wire] = walk(m.shape, item, m, leaf)
        unknown = getattr(value, "sdk_unknown_member", None)
        if unknown is not None:
            out["SDK_UNKNOWN_MEMBER"] = {"name": unknown}
        return out
    if kind == "list":
        assert isinstance(shape, ListShape)
        return [walk(shape.member.shape, v, shape.member, leaf) for v in value]
    if kind == "map":
        assert isinstance(shape, MapShape)
        return {
            k: walk(shape.value.shape, v, shape.value, leaf) for k, v in value.items()
        }
    return leaf(shape, value)


def _runner_leaf(shape: Shape, value: Any) -> Any:
    # Timestamps as epoch floats and blobs as UTF-8 text, as botocore's
    # protocol runner compares them; special floats as their JSON spellings.
    kind = shape.type
    if kind == "timestamp":
        assert isinstance(value, datetime.datetime), value
        return value.timestamp()
    if kind == "blob":
        if isinstance(value, StreamingBody) or hasattr(value, "read"):
            value = value.read()
        return bytes(value).decode("utf-8")
    if kind in ("float", "double"):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return value
    if kind == "string" and isinstance(value, str):
        return str(value)  # an enum member compares as its plain value
    return value


def _botocore_leaf(shape: Shape, value: Any) -> Any:
    # botocore's parsed form: datetimes and bytes stay, streams are read.
    if shape.type == "blob" and hasattr(value, "read"):
        return value.read()
    if shape.type == "string" and isinstance(value, str):
        # (str() of an enum member; a document botocore's customizations
        # decode from a string, iam's policies for one, stays as decoded.)
        return str(value)
    return value


def to_plain(shape: Shape, value: Any, member: Member | None = None) -> Any:
    """A typed value as botocore's protocol runner compares it."""
    return walk(shape, value, member, _runner_leaf)


def to_botocore(shape: Shape, value: Any, member: Member | None = None) -> Any:
    """A typed value as botocore's parser returns it."""
    return walk(shape, value, member, _botocore_leaf)


def error_plain(error: Any, shape: StructureShape | None) -> dict[str, Any]:
    """A raised service error as botocore's runner represents it."""
    out: dict[str, Any] = {"Error": {"Code": error.code, "Message": error.message}}
    if shape is None:
        return out
    for m in shape.members.values():
        if m.python == "message":
            value = error.message or None
        else:
            # The schema carries the final names (``code_`` for a member
            # ``code``): the resolver renamed what shadows an error attribute.
            value = getattr(error, m.python, None)
        if value is not None:
            out[m.wire] = to_plain(m.shape, value, m)
    return out


def json_or_bytes_equal(actual: bytes, expected: bytes) -> tuple[Any, Any]:
    """The two bodies in the form botocore's runner compares them."""
    try:
        return json.loads(actual), json.loads(expected)
    except ValueError:
        return actual, expected
