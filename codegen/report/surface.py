"""What a user of one generated package sees, as data to compare.

Built with the generator's own resolver (``codegen.resolver`` -> the IR of
``codegen.ir``, and the wire schema of ``codegen.schema``), so the report
speaks of the Python names and annotations the generated code really has:
``IoTClient.create_job(targets=...)``, ``shapes.JobDriver.spark_submit``,
``enums.JobRunState.QUEUED``. Next to each Python symbol it keeps the wire
facts the runtime reads for it (location, location name, timestamp format,
HTTP binding...), the validated limits, and the documentation.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from codegen import docstrings, ir, symbols, types
from codegen.loader import ServiceFiles
from codegen.resolver import resolve

SHAPES = symbols.SHAPES_MODULE
ENUMS = symbols.ENUMS_MODULE
ERRORS = symbols.ERRORS_MODULE
# Schema keys that are Python names or structure, not wire facts.
_NOT_WIRE = frozenset(
    {
        "shape",
        "name",
        "type",
        "members",
        "member",
        "key",
        "value",
        "required",
        "class",
        "enumClass",
        "errorClass",
        "min",
        "max",
        "sensitive",
        "union",
        "document",
        "deprecated",
    }
)


@dataclass(frozen=True)
class Limit:
    """A validated bound: ``path`` inside the member ('' itself, then '[]' a
    list's items, '{}' a map's values, '{key}' its keys, outermost first);
    ``kind`` 'number' or 'length'."""

    path: str
    bound: str  # "min" or "max"
    kind: str
    value: float


@dataclass(frozen=True)
class Member:
    """A method parameter or a class's field."""

    python: str
    wire: str
    type: types.Type  # as declared, without the ``| None`` of an optional one
    required: bool
    traits: Mapping[str, Any]  # what the runtime reads for it on the wire
    limits: tuple[Limit, ...]
    doc: str
    deprecated: bool


@dataclass(frozen=True)
class ClassSurface:
    """A structure (``shapes.X``) or an error (``errors.X``)."""

    qualname: str
    shape: str
    members: Mapping[str, Member]  # by Python name
    doc: str
    traits: Mapping[str, Any]
    constructed: bool  # an input reaches it: users build it
    read: bool  # an output or an error reaches it: users read it


@dataclass(frozen=True)
class EnumSurface:
    qualname: str
    values: Mapping[str, str]  # Python member name -> value
    doc: str


@dataclass(frozen=True)
class OperationSurface:
    name: str  # the model's operation name
    method: str
    params: Mapping[str, Member]  # by Python name
    output: types.Type | None
    errors: tuple[str, ...]  # qualified error class names
    traits: Mapping[str, Any]  # HTTP binding, host prefix, auth...
    doc: str
    deprecated: bool


@dataclass(frozen=True)
class AccessorSurface:
    """A paginator or a waiter, by boto3's name."""

    name: str
    class_name: str
    item_type: types.Type | None  # a paginator's ``items()``
    spec: str  # the source text of its spec: tokens, acceptors, delays


@dataclass(frozen=True)
class Surface:
    service: str
    package: str
    client: str
    traits: Mapping[str, Any]  # protocol, endpoint prefix, signing name...
    doc: str
    operations: Mapping[str, OperationSurface]  # by method name
    classes: Mapping[str, ClassSurface]  # by qualified name
    enums: Mapping[str, EnumSurface]  # by qualified name
    paginators: Mapping[str, AccessorSurface]
    waiters: Mapping[str, AccessorSurface]


def _literal(text: str) -> str:
    value = ast.literal_eval(text)
    assert isinstance(value, str)
    return value


def _doc(source: Mapping[str, Any]) -> str:
    """Documentation as the generated docstrings render it (whitespace and
    markup that render the same are no change)."""
    return docstrings.text(source.get("documentation"))


def _wire_traits(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if k not in _NOT_WIRE}


class _Builder:
    def __init__(self, files: ServiceFiles) -> None:
        self.files = files
        self.service = resolve(files)
        self.schema: dict[str, Any] = self.service.schema
        self.shapes: dict[str, Any] = self.schema["shapes"]
        inputs: list[str] = []
        outputs: list[str] = []
        for op in self.schema["operations"].values():
            if "input" in op:
                inputs.extend(self._children(op["input"]))
            if "output" in op:
                outputs.append(op["output"])
            outputs.extend(op.get("errors", []))
        self.constructed = self._walk(inputs)
        self.read = self._walk(outputs)

    def _children(self, name: str) -> Iterator[str]:
        shape = self.shapes.get(name, {})
        for ref in shape.get("members", {}).values():
            yield ref["shape"]
        for key in ("member", "key", "value"):
            if key in shape:
                yield shape[key]["shape"]

    def _walk(self, roots: list[str]) -> frozenset[str]:
        seen: set[str] = set()
        stack = list(roots)
        while stack:
            name = stack.pop()
            if name not in seen:
                seen.add(name)
                stack.extend(self._children(name))
        return frozenset(seen)

    def limits(self, shape_name: str, path: str = "") -> Iterator[Limit]:
        shape = self.shapes[shape_name]
        kind = shape["type"]
        if kind in ("integer", "long", "float", "double"):
            for bound in ("min", "max"):
                if bound in shape:
                    yield Limit(path, bound, "number", shape[bound])
        elif kind in ("string", "list", "map") and "min" in shape:
            # The runtime checks a length's min, never its max (nor a blob's).
            yield Limit(path, "min", "length", shape["min"])
        if kind == "list":
            yield from self.limits(shape["member"]["shape"], path + "[]")
        elif kind == "map":
            yield from self.limits(shape["key"]["shape"], path + "{key}")
            yield from self.limits(shape["value"]["shape"], path + "{}")

    def traits(self, ref: Mapping[str, Any]) -> dict[str, Any]:
        """A member's wire facts: its own keys over its shape's, and its items'."""
        target = self.shapes[ref["shape"]]
        out = {**_wire_traits(target), **_wire_traits(ref)}
        for key in ("member", "key", "value"):
            if key in target:
                item = _wire_traits(target[key])
                if item:
                    out[key] = item
        return out

    def member(self, field: ir.Field, ref: Mapping[str, Any]) -> Member:
        return Member(
            python=field.name,
            wire=_literal(field.wire_name),
            type=field.type,
            required=field.required and not field.idempotency_token,
            traits=self.traits(ref),
            limits=tuple(self.limits(ref["shape"])),
            doc=field.doc,
            deprecated=field.deprecated,
        )

    def members(
        self, shape_name: str, fields: tuple[ir.Field, ...]
    ) -> dict[str, Member]:
        refs = self.shapes[shape_name].get("members", {})
        return {f.name: self.member(f, refs[_literal(f.wire_name)]) for f in fields}

    def raw_doc(self, shape_name: str) -> str:
        shape = self.files.service["shapes"].get(shape_name, {})
        return _doc(shape)

    def klass(
        self, qualname: str, shape_name: str, fields: tuple[ir.Field, ...]
    ) -> ClassSurface:
        return ClassSurface(
            qualname=qualname,
            shape=shape_name,
            members=self.members(shape_name, fields),
            doc=self.raw_doc(shape_name),
            traits=_wire_traits(self.shapes[shape_name]),
            constructed=shape_name in self.constructed,
            read=shape_name in self.read,
        )

    def operation(self, op: ir.Operation) -> OperationSurface:
        entry = self.schema["operations"][op.name]
        raw = self.files.service["operations"][op.name]
        params = self.members(entry["input"], op.params) if "input" in entry else {}
        errors = tuple(
            f"{ERRORS}.{self.shapes[e]['errorClass']}" for e in entry.get("errors", [])
        )
        return OperationSurface(
            name=op.name,
            method=op.method_name,
            params=params,
            output=op.output,
            errors=errors,
            traits={
                k: v
                for k, v in entry.items()
                if k not in ("input", "output", "errors", "deprecated")
            },
            doc=_doc(raw),
            deprecated=bool(raw.get("deprecated")),
        )

    def surface(self) -> Surface:
        s = self.service
        classes: dict[str, ClassSurface] = {}
        for st in s.structures:
            name = f"{SHAPES}.{st.class_name}"
            classes[name] = self.klass(name, st.shape_name, st.fields)
        error_shapes = {
            v["errorClass"]: k for k, v in self.shapes.items() if "errorClass" in v
        }
        for err in s.errors:
            name = f"{ERRORS}.{err.class_name}"
            classes[name] = self.klass(name, error_shapes[err.class_name], err.fields)
        enum_shapes = {
            v["enumClass"]: k for k, v in self.shapes.items() if "enumClass" in v
        }
        enums = {
            f"{ENUMS}.{e.class_name}": EnumSurface(
                qualname=f"{ENUMS}.{e.class_name}",
                values={m.name: _literal(m.literal) for m in e.members},
                doc=self.raw_doc(enum_shapes[e.class_name]),
            )
            for e in s.enums
        }
        paginators = {
            a.name: a
            for a in (
                AccessorSurface(
                    _literal(p.name_literal), p.class_name, p.item_type, p.spec
                )
                for p in (s.paginators.paginators if s.paginators else ())
            )
        }
        waiters = {
            a.name: a
            for a in (
                AccessorSurface(_literal(w.name_literal), w.class_name, None, w.spec)
                for w in (s.waiters.waiters if s.waiters else ())
            )
        }
        return Surface(
            service=s.name,
            package=s.package,
            client=s.client_class,
            # serviceId and uid name the service (its client class says it);
            # nothing sent or parsed depends on them.
            traits={
                k: v
                for k, v in self.schema["metadata"].items()
                if k not in ("serviceId", "uid")
            },
            doc=_doc(self.files.service),
            operations={op.method_name: self.operation(op) for op in s.operations},
            classes=classes,
            enums=enums,
            paginators=paginators,
            waiters=waiters,
        )


def surface(files: ServiceFiles) -> Surface:
    """Resolve one service's model (raises ModelError) and describe its API."""
    return _Builder(files).surface()
