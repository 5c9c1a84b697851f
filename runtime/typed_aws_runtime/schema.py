"""The wire schema of a generated package, compiled into descriptors.

A package ships ``_schema.json`` (botocore's shapes, pruned, plus Python
names). It is read on the first call, not at import, and each shape is
compiled once into the small objects the codec walks.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import threading
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from typed_aws_runtime.urls import path_parts

if TYPE_CHECKING:
    from typed_aws_runtime.checksums import Plan as ChecksumPlan
    from typed_aws_runtime.customizations import Customizations
    from typed_aws_runtime.endpoint_context import EndpointContext
    from typed_aws_runtime.errors import ServiceError

_LOCK = threading.Lock()
_SCHEMAS: dict[str, ServiceSchema] = {}
_V = TypeVar("_V")
_MISSING: Any = object()


class Shape:
    __slots__ = (
        "name",
        "type",
        "min",
        "max",
        "enum_class",
        "timestamp_format",
        "streaming",
        "sensitive",
        "plain",
        "flattened",
        "xml_namespace",
        "location_name",
        "event_stream",
        "event",
    )

    def __init__(self, name: str, spec: Mapping[str, Any]) -> None:
        self.name = name
        self.type: str = spec["type"]
        # A value that goes to and comes from JSON unchanged: the codec's fast path.
        self.plain: bool = self.type in ("string", "integer", "long", "boolean") and (
            "enumClass" not in spec
        )
        self.min: int | float | None = spec.get("min")
        self.max: int | float | None = spec.get("max")
        self.enum_class: type | None = None
        self.timestamp_format: str | None = spec.get("timestampFormat")
        self.streaming: bool = bool(spec.get("streaming"))
        self.sensitive: bool = bool(spec.get("sensitive"))
        # XML and query traits written on the shape itself (a member's own win).
        self.flattened: bool = bool(spec.get("flattened"))
        self.xml_namespace: Mapping[str, str] | None = spec.get("xmlNamespace")
        self.location_name: str | None = spec.get("locationName")
        # An event stream (a union of events and errors), and one of its events.
        self.event_stream: bool = bool(spec.get("eventstream"))
        self.event: bool = bool(spec.get("event"))


class Member:
    __slots__ = (
        "wire",
        "python",
        "shape",
        "location",
        "serialized_name",
        "jsonvalue",
        "host_label",
        "idempotency_token",
        "timestamp_format",
        "location_name",
        "query_name",
        "flattened",
        "xml_attribute",
        "xml_namespace",
        "endpoint_discovery_id",
        "context_param",
        "event_header",
        "event_payload",
    )

    def __init__(
        self, wire: str, python: str, shape: Shape, spec: Mapping[str, Any]
    ) -> None:
        self.wire = wire
        self.python = python
        self.shape = shape
        self.location: str | None = spec.get("location")
        self.location_name: str | None = spec.get("locationName")
        self.serialized_name: str = spec.get("locationName", wire)
        # As botocore: only a header carries a JSON value (base64 JSON); in a
        # body ``jsonvalue`` is a plain string.
        self.jsonvalue: bool = bool(spec.get("jsonvalue")) and self.location == "header"
        self.host_label: bool = bool(spec.get("hostLabel"))
        self.idempotency_token: bool = bool(spec.get("idempotencyToken"))
        # A member's own format wins over its shape's, as in botocore.
        self.timestamp_format: str | None = (
            spec.get("timestampFormat") or shape.timestamp_format
        )
        # ec2's explicit query key (``queryName``), flattened lists and maps,
        # XML attributes and namespaces: the member's value, else its shape's.
        self.query_name: str | None = spec.get("queryName")
        self.flattened: bool = bool(spec.get("flattened", shape.flattened))
        self.xml_attribute: bool = bool(spec.get("xmlAttribute"))
        self.xml_namespace: Mapping[str, str] | None = (
            spec.get("xmlNamespace") or shape.xml_namespace
        )
        # An identifier sent to the endpoint operation (``endpointdiscoveryid``).
        self.endpoint_discovery_id: bool = bool(spec.get("endpointdiscoveryid"))
        # The endpoint rule-set parameter this member's value binds.
        self.context_param: str | None = (spec.get("contextParam") or {}).get("name")
        # A member of an event bound to a message header, or to its payload.
        self.event_header: bool = bool(spec.get("eventheader"))
        self.event_payload: bool = bool(spec.get("eventpayload"))


class StructureShape(Shape):
    __slots__ = (
        "members",
        "by_python",
        "by_serialized",
        "by_wire_name",
        "required",
        "payload",
        "cls",
        "union",
        "document",
        "error_class",
        "error_code",
        "error_status",
        "exception",
        "retryable",
    )

    def __init__(self, name: str, spec: Mapping[str, Any]) -> None:
        super().__init__(name, spec)
        self.members: dict[str, Member] = {}
        self.by_python: dict[str, Member] = {}
        self.by_serialized: dict[str, Member] = {}  # body members, by JSON key
        self.by_wire_name: dict[str, Member] = {}  # every member, by JSON key
        self.required: frozenset[str] = frozenset(spec.get("required", ()))
        self.payload: str | None = spec.get("payload")
        self.cls: type | None = None
        self.union = bool(spec.get("union"))
        self.document = bool(spec.get("document"))
        self.exception = bool(spec.get("exception"))
        self.error_class: type | None = None
        error = spec.get("error") or {}
        self.error_code: str = error.get("code", name)
        self.error_status: int | None = error.get("httpStatusCode")
        self.retryable = bool(spec.get("retryable"))


class ListShape(Shape):
    __slots__ = ("member",)
    member: Member


class MapShape(Shape):
    __slots__ = ("key", "value")
    key: Member
    value: Member


class Operation:
    __slots__ = (
        "name",
        "method",
        "path",
        "static_query",
        "response_code",
        "input",
        "output",
        "errors",
        "host_prefix",
        "unsigned_payload",
        "auth_type",
        "signing_disabled",
        "checksum_required",
        "path_parts",
        "streams_output",
        "streams_input",
        "result_wrapper",
        "extra_headers",
        "custom",
        "checksum",
        "endpoint_discovery",
        "endpoint_context",
        "event_stream",
    )

    def __init__(
        self, name: str, spec: Mapping[str, Any], schema: ServiceSchema
    ) -> None:
        http = spec["http"]
        self.name = name
        self.method: str = http.get("method", "POST")
        path, _, query = http["requestUri"].partition("?")
        self.path: str = path
        self.path_parts = path_parts(path)
        self.static_query: str = query
        self.response_code: int = http.get("responseCode", 200)
        # query and ec2: the element the output sits in (``FooResult``).
        self.result_wrapper: str | None = spec.get("resultWrapper")
        self.input = schema.structure(spec["input"]) if "input" in spec else None
        self.output = schema.structure(spec["output"]) if "output" in spec else None
        self.errors = tuple(schema.structure(e) for e in spec.get("errors", ()))
        self.host_prefix: str | None = (spec.get("endpoint") or {}).get("hostPrefix")
        # The operation's own signature version (None: the client's):
        # its ``auth`` list resolved as botocore does (runtime/auth.py),
        # else its ``authtype``. An endpoint's auth scheme may replace it.
        authtype = spec.get("authtype")
        auth = spec.get("auth")
        if auth:
            from typed_aws_runtime.auth import resolve_auth_type

            self.auth_type: str | None = resolve_auth_type(auth)
        else:
            self.auth_type = authtype
        self.unsigned_payload: bool = authtype == "v4-unsigned-body"
        # A customization that never signs (botocore's disable_signing):
        # wins over any endpoint auth scheme.
        self.signing_disabled = False
        self.checksum_required: bool = bool(spec.get("httpChecksumRequired"))
        # Headers every request of this operation carries whatever the
        # protocol: the endpoint-discovery operation names the API version
        # (botocore's inject_api_version_header_if_needed).
        self.extra_headers: dict[str, str] = (
            {"x-amz-api-version": schema.metadata.get("apiVersion", "")}
            if spec.get("endpointoperation")
            else {}
        )
        # The ``endpointdiscovery`` trait (``{}`` or ``{"required": true}``);
        # None for an operation that never goes to a discovered endpoint.
        self.endpoint_discovery: Mapping[str, Any] | None = spec.get(
            "endpointdiscovery"
        )
        # The endpoint parameters this operation binds (None: none, and its
        # calls keep the client's endpoint).
        self.endpoint_context: EndpointContext | None = None
        if (
            "staticContextParams" in spec
            or "operationContextParams" in spec
            or any(m.context_param for m in getattr(self.input, "members", {}).values())
        ):
            from typed_aws_runtime.endpoint_context import compile_context

            self.endpoint_context = compile_context(spec, self.input)
        output = self.output
        # The output member that is an event stream (None: none), read as
        # the body arrives (events.py).
        self.event_stream: Member | None = next(
            (
                m
                for m in getattr(output, "members", {}).values()
                if m.shape.event_stream
            ),
            None,
        )
        self.streams_output = self.event_stream is not None or bool(
            output is not None
            and output.payload is not None
            and output.members[output.payload].shape.streaming
        )
        source = self.input
        self.streams_input = bool(
            source is not None
            and source.payload is not None
            and source.members[source.payload].shape.streaming
        )
        if self.input is not None and any(
            m.shape.event_stream for m in self.input.members.values()
        ):
            # Refused here, before validation and before anything is sent:
            # every call builds its operation first.
            from typed_aws_runtime.errors import UnsupportedOperationError

            raise UnsupportedOperationError(
                f"{name} sends an input event stream (HTTP/2, bidirectional), "
                "which this client cannot send (botocore cannot either)"
            )
        # Flexible checksums (the httpChecksum trait; checksums.py), None
        # for an operation without the trait.
        self.checksum: ChecksumPlan | None = None
        if "httpChecksum" in spec or "httpChecksumRequired" in spec:
            from typed_aws_runtime.checksums import plan_for

            self.checksum = plan_for(self, spec)
        # botocore's hand-written customizations of this operation (its
        # handlers.py), as the generator wrote them: static ones change this
        # object now; the others are hooks of the pipeline (None: no hook).
        self.custom: Customizations | None = None
        rules = spec.get("customizations")
        if rules:
            from typed_aws_runtime.customizations import compile_rules

            self.custom = compile_rules(self, schema, rules)


class ServiceSchema:
    """One package's schema; shapes and operations compiled on first use."""

    def __init__(self, package: str, document: Mapping[str, Any]) -> None:
        self.package = package
        self._document = document
        self.metadata: Mapping[str, Any] = document["metadata"]
        self.base_error: str = document["baseErrorClass"]
        self._specs: Mapping[str, Any] = document["shapes"]
        self._operation_specs: Mapping[str, Any] = document["operations"]
        self._shapes: dict[str, Shape] = {}
        self._operations: dict[str, Operation] = {}
        self._error_codes: dict[str, StructureShape] | None = None
        self._endpoint_discovery: tuple[str | None, bool] | None = None

    def operation(self, name: str) -> Operation:
        op = self._operations.get(name)
        if op is None:
            with _LOCK:
                op = self._operations.get(name) or Operation(
                    name, self._operation_specs[name], self
                )
                self._operations[name] = op
        return op

    def operation_names(self) -> list[str]:
        """Every operation's name, as the model spells it."""
        return list(self._operation_specs)

    def client_context_params(self) -> Mapping[str, Mapping[str, str]]:
        """The model's ``clientContextParams``: rule-set parameter name ->
        ``{"type": ..., "name": <the client_context_params key>}``."""
        found: Mapping[str, Mapping[str, str]] = self._document.get(
            "clientContextParams", {}
        )
        return found

    def binds_endpoint_params(self) -> bool:
        """Whether some operation binds endpoint rule-set parameters
        (``staticContextParams``, ``operationContextParams`` or an input
        member's ``contextParam``)."""
        for spec in self._operation_specs.values():
            if "staticContextParams" in spec or "operationContextParams" in spec:
                return True
            members = self._specs.get(spec.get("input", ""), {}).get("members", {})
            if any("contextParam" in m for m in members.values()):
                return True
        return False

    def endpoint_discovery(self) -> tuple[str | None, bool]:
        """The endpoint operation (``endpointoperation``), if there is one,
        and whether some operation requires discovery: botocore's
        ``endpoint_discovery_operation`` and ``endpoint_discovery_required``."""
        found = self._endpoint_discovery
        if found is None:
            specs = self._operation_specs
            name = next(
                (n for n, s in specs.items() if s.get("endpointoperation")), None
            )
            required = name is not None and any(
                (s.get("endpointdiscovery") or {}).get("required")
                for s in specs.values()
            )
            found = self._endpoint_discovery = (name, required)
        return found

    def base_error_class(self) -> type[ServiceError]:
        """The service's base error class (unmodelled error codes)."""
        cls: type[ServiceError] = getattr(self.module("errors"), self.base_error)
        return cls

    def structure(self, name: str) -> StructureShape:
        shape = self.shape(name)
        assert isinstance(shape, StructureShape)
        return shape

    def shape(self, name: str) -> Shape:
        shape = self._shapes.get(name)
        if shape is None:
            shape = self._compile(name)
        return shape

    def error_shapes(self) -> dict[str, StructureShape]:
        """Every modelled error, by the code the service sends."""
        if self._error_codes is None:
            codes = {}
            for name, spec in self._specs.items():
                if spec.get("exception"):
                    shape = self.structure(name)
                    codes[shape.error_code] = shape
                    codes.setdefault(name, shape)
            self._error_codes = codes
        return self._error_codes

    def _compile(self, name: str) -> Shape:
        spec = self._specs[name]
        kind = spec["type"]
        shape: Shape
        if kind == "structure":
            shape = StructureShape(name, spec)
            self._shapes[name] = shape  # before members: shapes may recurse
            for wire, member in spec.get("members", {}).items():
                target = self.shape(member["shape"])
                compiled = Member(wire, member["name"], target, member)
                shape.members[wire] = compiled
                shape.by_python[compiled.python] = compiled
                shape.by_wire_name.setdefault(compiled.serialized_name, compiled)
                if compiled.location is None:
                    shape.by_serialized.setdefault(compiled.serialized_name, compiled)
            if "class" in spec:
                shape.cls = getattr(self.module("shapes"), spec["class"])
            if "errorClass" in spec:
                shape.error_class = getattr(self.module("errors"), spec["errorClass"])
            return shape
        if kind == "list":
            shape = ListShape(name, spec)
            self._shapes[name] = shape
            ref = spec["member"]
            shape.member = Member("member", "member", self.shape(ref["shape"]), ref)
            return shape
        if kind == "map":
            shape = MapShape(name, spec)
            self._shapes[name] = shape
            shape.key = Member(
                "key", "key", self.shape(spec["key"]["shape"]), spec["key"]
            )
            shape.value = Member(
                "value", "value", self.shape(spec["value"]["shape"]), spec["value"]
            )
            return shape
        shape = Shape(name, spec)
        if "enumClass" in spec:
            shape.enum_class = getattr(self.module("enums"), spec["enumClass"])
        self._shapes[name] = shape
        return shape

    def module(self, name: str) -> ModuleType:
        return importlib.import_module(f"{self.package}.{name}")


def load(package: str) -> ServiceSchema:
    """The schema of a generated package, read once per process."""
    schema = _SCHEMAS.get(package)
    if schema is None:
        with _LOCK:
            schema = _SCHEMAS.get(package)
            if schema is None:
                schema = ServiceSchema(
                    package, read_package_json(package, "_schema.json")
                )
                _SCHEMAS[package] = schema
    return schema


def read_package_json(package: str, filename: str) -> Any:
    directory = os.path.dirname(sys.modules[package].__file__ or "")
    with open(os.path.join(directory, filename), "rb") as f:
        return json.load(f)


class CompiledCache(Generic[_V]):
    """Something compiled once per shape (a codec's closure, a validation
    predicate), shared by every thread.

    Compiling a structure registers it (``register``) before compiling its
    members, since shapes may recurse: for a moment a half-built closure
    exists. It stays out of sight of other threads until the outermost
    compilation has finished, and is dropped if that compilation fails.
    """

    def __init__(self, compile: Callable[[Shape], _V]) -> None:
        self._compile = compile
        self._done: dict[Shape, _V] = {}
        self._pending: dict[Shape, _V] = {}
        self._lock = threading.RLock()
        self._compiling = False

    def get(self, shape: Shape) -> _V:
        value = self._done.get(shape, _MISSING)
        if value is not _MISSING:
            return value  # type: ignore[no-any-return]
        with self._lock:
            value = self._done.get(shape, self._pending.get(shape, _MISSING))
            if value is not _MISSING:
                return value  # type: ignore[no-any-return]
            outermost = not self._compiling
            self._compiling = True
            try:
                value = self._compile(shape)
                self._pending[shape] = value
                if outermost:
                    self._done.update(self._pending)
            finally:
                if outermost:
                    self._pending.clear()
                    self._compiling = False
            return value

    def register(self, shape: Shape, value: _V) -> None:
        """Make a closure still being built visible to its own compilation."""
        self._pending[shape] = value
