"""Input that must never reach the wire: None inside a list or a map, and a
line break in a value sent in a header.

* None as an element of a list or as a value of a map (at any depth, in the
  body, the query string or a header, in every protocol): botocore's
  ``ParamValidator`` refuses it (the oracle); ours must refuse it too, before
  sending, with the member's path in the message, where before it sent
  ``null`` (JSON, CBOR) or the string ``None`` (query string, form).
* CR or LF in a header-bound value (a ``header`` member, an item of a list in
  a header, a key or a value of a ``headers`` map): botocore has no rule for
  it (its validator accepts it and its HTTP layer fails with a builtin
  error); the spec refuses it, and, as it protects the request itself, even
  with ``parameter_validation=False``. Ours must raise ``ParamValidationError``
  naming the member, and send nothing.

Values are drawn by hypothesis from real models: the reference services under
``models/`` and botocore's dataexchange (a ``headers`` map), entityresolution
(a list in a header), ec2 (the ec2 protocol) and s3 (rest-xml headers, lists
and a ``headers`` map; its event-stream operation included: what is checked
is its input). For each example an operation and a list
or map reachable from its input (or a header-bound member) is chosen, the
path to it is filled with valid drawn values, and the bad value is put there.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import botocore.session
import pytest
from botocore.model import ServiceModel
from botocore.validate import ParamValidator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from typed_aws_runtime.errors import ParamValidationError
from typed_aws_runtime.http import Urllib3Transport
from typed_aws_runtime.schema import (
    ListShape,
    MapShape,
    Member,
    ServiceSchema,
    StructureShape,
)
from typed_aws_runtime.transport import InMemoryTransport
from typed_aws_runtime.validate import validate_input

from . import support
from .test_differential import FIVE, MODELS, Draw, typed_params

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
EXAMPLES = int(os.environ.get("CODEGEN_INPUT_EXAMPLES", "12"))
SLOW_EXAMPLES = 300
BOTOCORE_SERVICES = ("dataexchange", "entityresolution", "ec2", "s3")
MAX_DEPTH = 6
_SETTINGS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    "derandomize": False,
}


@dataclass
class Service:
    name: str
    schema: ServiceSchema
    botocore_model: ServiceModel
    client_class: type[Any]

    @property
    def protocol(self) -> str:
        return str(self.schema.metadata["protocol"])

    def client(self, transport: Any, *, validation: bool = True) -> Any:
        return self.client_class(
            region_name="us-east-1",
            aws_access_key_id="AK",
            aws_secret_access_key="SK",
            transport=transport,
            max_attempts=1,
            parameter_validation=validation,
        )


@cache
def service(name: str) -> Service:
    if name in FIVE:
        import importlib

        model = json.loads((MODELS / name / "service-2.json").read_text())
        package = importlib.import_module(f"generated.{name.replace('-', '_')}")
    else:
        loader = botocore.session.get_session().get_component("data_loader")
        model = copy.deepcopy(loader.load_service_model(name, "service-2"))
        rules = loader.load_service_model(name, "endpoint-rule-set-1")
        package = support.generated(model, rules, prefix=f"input_{name}")
    return Service(
        name,
        support.wire_schema(package),
        ServiceModel(model, name),
        support.client_class(package),
    )


# -- where a bad value can go ------------------------------------------------------

# A step from a value to one inside it: a structure's member (by wire name),
# a list's item, a map's value.
Step = tuple[str, str, Member]


def _containers(
    shape: StructureShape, path: tuple[Step, ...], seen: frozenset[str]
) -> Iterator[tuple[Step, ...]]:
    """Paths to every list and map reachable from ``shape``."""
    for wire, member in shape.members.items():
        yield from _member_containers(member, (*path, ("member", wire, member)), seen)


def _member_containers(
    member: Member, path: tuple[Step, ...], seen: frozenset[str]
) -> Iterator[tuple[Step, ...]]:
    shape = member.shape
    if member.jsonvalue or len(path) > MAX_DEPTH or member.location == "uri":
        return
    if isinstance(shape, ListShape):
        yield path
        yield from _member_containers(
            shape.member, (*path, ("item", "", shape.member)), seen
        )
    elif isinstance(shape, MapShape):
        yield path
        yield from _member_containers(
            shape.value, (*path, ("value", "", shape.value)), seen
        )
    elif isinstance(shape, StructureShape) and not shape.document:
        if shape.name not in seen:
            yield from _containers(shape, path, seen | {shape.name})


@cache
def container_targets(name: str) -> tuple[tuple[str, tuple[Step, ...]], ...]:
    svc = service(name)
    out = []
    for op_name in sorted(svc.botocore_model.operation_names):
        op = svc.schema.operation(op_name)
        if op.input is not None:
            out.extend((op_name, p) for p in _containers(op.input, (), frozenset()))
    return tuple(out)


def _map_key(member: Member) -> str:
    enum = member.shape.enum_class
    if enum is not None:
        return str(next(iter(enum)))  # type: ignore[call-overload]
    return "k" * max(1, int(member.shape.min or 0))


def fill(
    draw: Draw, shape: StructureShape, params: dict[str, Any], path: tuple[Step, ...]
) -> tuple[Any, str]:
    """Make ``path`` exist in ``params`` (with valid drawn values); return the
    value at its end and our validator's name for it (after the operation)."""
    node: Any = params
    where = ""
    structure: StructureShape | None = shape
    above: Any = shape  # the shape of the value ``node`` is in
    for kind, wire, member in path:
        if kind == "member":
            assert structure is not None
            if structure.union:
                for other in [k for k in node if k != wire]:
                    del node[other]
            if node.get(wire) is None:
                node[wire] = draw.value(member, MAX_DEPTH - 1)
            parent, key = node, wire
            where += f".{member.python}"
        elif kind == "item":
            if not node:
                node.append(draw.value(member, MAX_DEPTH - 1))
            parent, key = node, 0
            where += "[0]"
        else:
            if not node:
                assert isinstance(above, MapShape)
                node[_map_key(above.key)] = draw.value(member, MAX_DEPTH - 1)
            parent, key = node, next(iter(node))
            where += f"[{key!r}]"
        node = parent[key]
        above = member.shape
        structure = above if isinstance(above, StructureShape) else None
    return node, where


def botocore_rejects(svc: Service, op_name: str, params: dict[str, Any]) -> bool:
    model = svc.botocore_model.operation_model(op_name)
    return bool(ParamValidator().validate(params, model.input_shape).has_errors())


# -- None in a list or a map -------------------------------------------------------


def _services_with_containers() -> list[Any]:
    return [pytest.param(name, id=name) for name in (*FIVE, *BOTOCORE_SERVICES)]


def _valid_bucket(name: str, params: dict[str, Any]) -> None:
    """botocore checks a bucket's name before it validates (its
    validate_bucket_name handler, which we keep as a rule): give s3 a valid
    one, so that the problem a test plants is the only one."""
    if name == "s3" and "Bucket" in params:
        params["Bucket"] = "amzn-s3-demo-bucket"


def check_none_in_container(name: str, data: Any) -> None:
    svc = service(name)
    targets = container_targets(name)
    if not targets:
        pytest.skip("no list or map in any input")
    op_name, path = data.draw(st.sampled_from(targets))
    op = svc.schema.operation(op_name)
    assert op.input is not None
    draw = Draw(data)
    params = draw.structure(op.input, 0)
    container, where = fill(draw, op.input, params, path)
    container_member = path[-1][2]
    _valid_bucket(name, params)

    # The filled input is valid for both validators.
    assert not botocore_rejects(svc, op_name, params), params
    typed = {w: support.to_typed(op.input.members[w], v) for w, v in params.items()}
    validate_input(op.input, typed, op_name)

    if isinstance(container, list):
        index = data.draw(st.integers(0, len(container)))
        container.insert(index, None)
        problem = f"{op_name}{where}[{index}]: None is not allowed in a list"
    else:
        assert isinstance(container, dict)
        key_member = container_member.shape.key  # type: ignore[attr-defined]
        keys = [*container, _map_key(key_member)]
        key = data.draw(st.sampled_from(keys))
        container[key] = None
        problem = f"{op_name}{where}[{key!r}]: None is not allowed as a map value"

    assert botocore_rejects(svc, op_name, params), "botocore accepts None here?"
    transport = InMemoryTransport()
    client = svc.client(transport)
    method = getattr(client, support.method_name(op_name))
    with pytest.raises(ParamValidationError) as caught:
        method(**typed_params(op, params))
    assert caught.value.problems == (problem,), (svc.protocol, str(caught.value))
    assert transport.requests == []


@pytest.mark.parametrize("name", _services_with_containers())
@settings(max_examples=EXAMPLES, **_SETTINGS)  # type: ignore[arg-type]
@given(data=st.data())
def test_none_in_a_list_or_map_is_refused_as_botocore_does(
    name: str, data: Any
) -> None:
    check_none_in_container(name, data)


@pytest.mark.slow
@pytest.mark.parametrize("name", _services_with_containers())
@settings(max_examples=SLOW_EXAMPLES, **_SETTINGS)  # type: ignore[arg-type]
@given(data=st.data())
def test_none_in_a_list_or_map_is_refused_as_botocore_does_slow(
    name: str, data: Any
) -> None:
    check_none_in_container(name, data)


# -- CR or LF in a header ----------------------------------------------------------

HEADER_SERVICES = ("iot", "omics", "dataexchange", "entityresolution", "s3")
# botocore's s3 handlers (our rules) rewrite these before they are sent:
# the SSE-C keys base64-encoded, the copy source percent-encoded.
S3_REWRITTEN_HEADERS = frozenset(
    {"SSECustomerKey", "CopySourceSSECustomerKey", "CopySource"}
)
LINE_BREAKS = st.sampled_from(["\r", "\n", "\r\n", "\n\r"])


@cache
def header_targets(name: str) -> tuple[tuple[str, str, Member], ...]:
    """Every top-level member sent in a header that can carry a string."""
    svc = service(name)
    out = []
    for op_name in sorted(svc.botocore_model.operation_names):
        op = svc.schema.operation(op_name)
        if op.input is None:
            continue
        for wire, member in op.input.members.items():
            shape = member.shape
            if member.jsonvalue or member.host_label:
                # (A header that is also a host label, s3's RequestRoute,
                # gets the host-label problem too: not this test's subject.)
                continue
            if name == "s3" and wire in S3_REWRITTEN_HEADERS:
                continue
            if member.location == "header" and (
                shape.type == "string"
                or (
                    isinstance(shape, ListShape) and shape.member.shape.type == "string"
                )
            ):
                out.append((op_name, wire, member))
            elif member.location == "headers":
                out.append((op_name, wire, member))
    return tuple(out)


def _broken(data: Any, text: str) -> str:
    at = data.draw(st.integers(0, len(text)))
    return text[:at] + data.draw(LINE_BREAKS) + text[at:]


def check_line_break_in_header(name: str, data: Any, validation: bool) -> None:
    svc = service(name)
    op_name, wire, member = data.draw(st.sampled_from(header_targets(name)))
    op = svc.schema.operation(op_name)
    assert op.input is not None
    draw = Draw(data)
    params = draw.structure(op.input, 0)
    _valid_bucket(name, params)
    if params.get(wire) is None:
        params[wire] = draw.value(member, MAX_DEPTH - 1)
    assert not botocore_rejects(svc, op_name, params), params
    value = params[wire]
    path = f"{op_name}.{member.python}"
    line_break = "must not contain CR or LF (it is sent in a header)"
    if isinstance(member.shape, MapShape):
        if not value:
            value[_map_key(member.shape.key)] = "v"
        key = data.draw(st.sampled_from(sorted(value)))
        if data.draw(st.booleans()):
            value[_broken(data, key)] = value.pop(key)
            key = next(k for k in value if "\r" in k or "\n" in k)
            expected = f"{path}[{key!r}]: the key {line_break}"
        else:
            value[key] = _broken(data, value[key])
            expected = f"{path}[{key!r}]: {line_break}"
    elif isinstance(member.shape, ListShape):
        if not value:
            value.append("v")
        index = data.draw(st.integers(0, len(value) - 1))
        value[index] = _broken(data, value[index])
        # The always-on check sees the header as sent: the whole list.
        expected = f"{path}[{index}]: {line_break}" if validation else path + ":"
    else:
        params[wire] = _broken(data, value)
        expected = f"{path}: {line_break}"

    # botocore has no rule here: its validator accepts the value.
    assert not botocore_rejects(svc, op_name, params)
    transport = InMemoryTransport()
    client = svc.client(transport, validation=validation)
    method = getattr(client, support.method_name(op_name))
    with pytest.raises(ParamValidationError) as caught:
        method(**typed_params(op, params))
    problems = caught.value.problems
    assert len(problems) == 1, problems
    assert problems[0].startswith(expected), (problems, expected)
    assert transport.requests == []


@pytest.mark.parametrize("validation", [True, False], ids=["validation", "off"])
@pytest.mark.parametrize("name", HEADER_SERVICES)
@settings(max_examples=EXAMPLES, **_SETTINGS)  # type: ignore[arg-type]
@given(data=st.data())
def test_line_break_in_a_header_is_refused_even_without_validation(
    name: str, validation: bool, data: Any
) -> None:
    check_line_break_in_header(name, data, validation)


@pytest.mark.slow
@pytest.mark.parametrize("validation", [True, False], ids=["validation", "off"])
@pytest.mark.parametrize("name", HEADER_SERVICES)
@settings(max_examples=SLOW_EXAMPLES, **_SETTINGS)  # type: ignore[arg-type]
@given(data=st.data())
def test_line_break_in_a_header_is_refused_even_without_validation_slow(
    name: str, validation: bool, data: Any
) -> None:
    check_line_break_in_header(name, data, validation)


@pytest.mark.parametrize("validation", [True, False], ids=["validation", "off"])
def test_line_break_never_reaches_the_http_transport(validation: bool) -> None:
    """With the default transport (and a local endpoint nobody listens on) the
    caller gets the clear error, not the HTTP library's builtin one."""
    svc = service("iot")
    with Urllib3Transport(connect_timeout=0.5, read_timeout=0.5) as transport:
        client = svc.client_class(
            region_name="us-east-1",
            endpoint_url="http://127.0.0.1:9",
            aws_access_key_id="AK",
            aws_secret_access_key="SK",
            transport=transport,
            max_attempts=1,
            parameter_validation=validation,
        )
        with pytest.raises(ParamValidationError, match=r"DetachPrincipalPolicy\."):
            client.detach_principal_policy(policy_name="p", principal="a\r\nX-Evil: 1")
