"""Turns one service's botocore model into the IR the templates render.

The resolver decides everything: which shapes become classes, every Python
name, every annotation, every docstring's escaped text, and the wire schema
the runtime interprets. It checks the model as it goes and reports the first
problem as a :class:`ModelError` with the file and JSON path. What it decides
about the model as a whole (class, error and member names, reachable shapes)
it hands to ``codegen.paginators`` and ``codegen.schema`` as a
:class:`~codegen.resolved.ResolvedModel`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Mapping
from typing import Any

from codegen import (
    client_methods,
    customizations,
    docstrings,
    imports,
    ir,
    modelcheck,
    naming,
    paginators,
    protocols,
    pylang,
    symbols,
    types,
)
from codegen.errors import ModelError
from codegen.imports import Import
from codegen.literals import string_literal
from codegen.loader import OPTIONAL_FILES, SERVICE_FILE, ServiceFiles
from codegen.resolved import ResolvedModel
from codegen.schema import build_schema

SHAPE_TYPES = frozenset(
    {
        "structure",
        "list",
        "map",
        "string",
        "integer",
        "long",
        "float",
        "double",
        "boolean",
        "timestamp",
        "blob",
    }
)
# Names the modules holding the service's classes bind; no class may take them.
RESERVED = frozenset(
    {s.binds for s in symbols.ANNOTATION + symbols.CLASS_MODULES}
    | set(symbols.PACKAGE_MODULES)
    # Every builtin name, from a fixed list (not the running interpreter's).
    | pylang.BUILTINS
)
# Attributes every exception already has; a modelled member may not shadow them.
ERROR_ATTRIBUTES = frozenset(
    {
        "code",
        "status_code",
        "request_id",
        "response",
        "args",
        "with_traceback",
        "add_note",
    }
)
# Names a method body uses; a parameter by one of these names gets a trailing "_".
METHOD_BODY_NAMES = frozenset(
    {
        "self",
        symbols.SHAPES_MODULE,
        symbols.ENUMS_MODULE,
        symbols.WARNINGS.binds,
        symbols.NEW_IDEMPOTENCY_TOKEN.binds,
    }
)
# boto3's public client API: an operation cannot take these names (exit 2);
# the runtime's own attributes are private (``_codegen_sleep``), out of the way.
CLIENT_ATTRIBUTES = frozenset(
    {"close", "get_paginator", "get_waiter", "can_paginate", "meta", "exceptions"}
)
# Module-level names the client module binds and its class body refers to
# (decorators, annotations): a method by one of these names would shadow them.
CLIENT_MODULE_NAMES = frozenset(
    {s.binds for s in symbols.ALL if s.binds.islower()} | set(symbols.PACKAGE_MODULES)
)
# What every union has besides its members (botocore's SDK_UNKNOWN_MEMBER).
UNION_ATTRIBUTES = frozenset({"sdk_unknown_member"})
DOC_WIDTH = docstrings.DOC_WIDTH
# The shapes an event header may hold (its value types, botocore's header parser).
_HEADER_KINDS = frozenset(
    {"boolean", "byte", "short", "integer", "long", "blob", "string", "timestamp"}
)


def resolve(files: ServiceFiles) -> ir.Service:
    return _Resolver(files).service()


def _streaming_refs(shapes: dict[str, Any]) -> dict[str, Any]:
    """botocore merges a member's ``streaming`` into its shape (S3's models
    mark the member, not the ``Body`` blob, which an event's payload also
    uses): such a member gets a streaming copy of its shape, named
    ``<shape>Streaming``. The caller's model is left as it was."""
    marked = [
        (name, member)
        for name, spec in shapes.items()
        if isinstance(spec, dict) and isinstance(spec.get("members"), dict)
        for member, ref in spec["members"].items()
        if isinstance(ref, dict)
        and ref.get("streaming")
        and isinstance(shapes.get(str(ref.get("shape"))), dict)
        and not shapes[ref["shape"]].get("streaming")
    ]
    if not marked:
        return shapes
    out = dict(shapes)
    for name, member in marked:
        ref = out[name]["members"][member]
        copy_name = f"{ref['shape']}Streaming"
        while copy_name in shapes:
            copy_name += "_"
        out.setdefault(copy_name, {**shapes[ref["shape"]], "streaming": True})
        out[name] = {
            **out[name],
            "members": {**out[name]["members"], member: {**ref, "shape": copy_name}},
        }
    return out


class _Resolver:
    def __init__(self, files: ServiceFiles) -> None:
        self.files = files
        self.file = files.file(SERVICE_FILE)
        self.shapes: dict[str, Any] = self._require(files.service, ["shapes"], dict)
        self.operations: dict[str, Any] = self._require(
            files.service, ["operations"], dict
        )
        self.metadata: dict[str, Any] = self._require(files.service, ["metadata"], dict)
        self.shapes = _streaming_refs(self.shapes)
        modelcheck.check(self.file, files.service)
        for key, filename in OPTIONAL_FILES.items():
            document = getattr(files, key)
            if isinstance(document, dict):
                modelcheck.check_strings(files.file(filename), document)
        protocol = self._check_protocol()
        self._check_shapes()
        self._check_event_streams(protocol)
        self.taken: set[str] = set(RESERVED)
        client_class = naming.unique(
            naming.client_class_name(self._service_id()), self.taken
        )
        base_error = naming.unique(client_class[: -len("Client")] + "Error", self.taken)
        self._plan_classes()
        # botocore's hand-written customizations that apply (codegen/customizations.py).
        self.customized = customizations.resolve(
            self._service_id(), self.metadata, self.shapes, self.operations
        )
        if self.customized.added:
            # Members a rule adds (S3's ExpiresString), on copies: the
            # caller's model is left as it was.
            self.shapes = dict(self.shapes)
            for shape, added in self.customized.added.items():
                spec = self.shapes[shape]
                self.shapes[shape] = {
                    **spec,
                    "members": {**spec.get("members", {}), **added},
                }
        self.model = ResolvedModel(
            files=files,
            file=self.file,
            shapes=self.shapes,
            operations=self.operations,
            metadata=self.metadata,
            protocol=protocol,
            client_class=client_class,
            base_error=base_error,
            class_names=self.class_names,
            error_names=self.error_names,
            member_names={
                n: self._members_of(n)
                for n in sorted(self.reachable)
                if self.shapes[n]["type"] == "structure"
            },
            structure_shapes=tuple(self.structure_shapes),
            enum_shapes=tuple(self.enum_shapes),
            error_shapes=tuple(self.error_shapes),
            reachable=frozenset(self.reachable),
            customized=self.customized,
        )

    # -- checks ---------------------------------------------------------------

    def error(self, path: list[str | int], message: str) -> ModelError:
        return ModelError(self.file, path, message)

    def _require(
        self, obj: Mapping[str, Any], path: list[str | int], kind: type
    ) -> Any:
        value = obj.get(str(path[-1]))
        if not isinstance(value, kind):
            expected = "an object" if kind is dict else kind.__name__
            raise self.error(path, f"expected {expected}")
        return value

    def _service_id(self) -> str:
        service_id = self.metadata.get("serviceId") or self.metadata.get(
            "serviceFullName"
        )
        if not isinstance(service_id, str) or not service_id.strip():
            raise self.error(["metadata", "serviceId"], "missing serviceId")
        return service_id

    def _check_protocol(self) -> str:
        protocol = protocols.resolve(self.metadata)
        if protocol not in protocols.SUPPORTED:
            listed = self.metadata.get("protocols") or self.metadata.get("protocol")
            where = "protocols" if self.metadata.get("protocols") else "protocol"
            raise self.error(
                ["metadata", where],
                f"unsupported protocol {listed!r} "
                f"(supported: {', '.join(sorted(protocols.SUPPORTED))})",
            )
        return protocol

    def _check_ref(self, ref: Any, path: list[str | int]) -> str:
        if not isinstance(ref, dict) or not isinstance(ref.get("shape"), str):
            raise self.error(path, "expected a shape reference")
        if ref["shape"] not in self.shapes:
            raise self.error(path + ["shape"], f"shape {ref['shape']!r} is not defined")
        return str(ref["shape"])

    def _check_shapes(self) -> None:
        for name, shape in self.shapes.items():
            path: list[str | int] = ["shapes", name]
            if not isinstance(shape, dict):
                raise self.error(path, "expected an object")
            kind = shape.get("type")
            if not isinstance(kind, str) or kind not in SHAPE_TYPES:
                raise self.error(path + ["type"], f"unknown shape type {kind!r}")
            if kind == "structure":
                members = (
                    self._require(shape, path + ["members"], dict)
                    if "members" in shape
                    else {}
                )
                for member, ref in members.items():
                    self._check_ref(ref, path + ["members", member])
            elif kind == "list":
                self._check_ref(shape.get("member"), path + ["member"])
            elif kind == "map":
                self._check_ref(shape.get("key"), path + ["key"])
                self._check_ref(shape.get("value"), path + ["value"])
        for op_name, op in self.operations.items():
            path = ["operations", op_name]
            if not isinstance(op, dict):
                raise self.error(path, "expected an object")
            http = self._require(op, path + ["http"], dict)
            if not isinstance(http.get("requestUri"), str):
                raise self.error(path + ["http", "requestUri"], "expected a string")
            for key in ("input", "output"):
                if key in op:
                    ref = self._check_ref(op[key], path + [key])
                    if self.shapes[ref]["type"] != "structure":
                        raise self.error(path + [key], f"{key} must be a structure")
            for i, ref in enumerate(op.get("errors", [])):
                self._check_ref(ref, path + ["errors", i])

    def _check_event_streams(self, protocol: str) -> None:
        """Event streams as botocore reads them: a union of event and error
        structures, a direct member of an operation's input or output (its
        payload in the REST protocols); anything else would be read wrong."""
        streams = {n for n, s in self.shapes.items() if s.get("eventstream")}
        if not streams:
            return
        allowed: set[tuple[str, str]] = set()
        for op in self.operations.values():
            for key in ("input", "output"):
                if key not in op:
                    continue
                root_name = op[key]["shape"]
                root = self.shapes[root_name]
                found = [
                    m
                    for m, ref in root.get("members", {}).items()
                    if ref["shape"] in streams
                ]
                if len(found) > 1:
                    raise self.error(
                        ["shapes", root_name, "members", found[1]],
                        "a structure may hold only one event stream",
                    )
                if (
                    found
                    and protocol.startswith("rest")
                    and root.get("payload", op[key].get("payload")) != found[0]
                ):
                    raise self.error(
                        ["shapes", root_name, "members", found[0]],
                        f"an event stream in {protocol} must be the payload",
                    )
                allowed.update((root_name, m) for m in found)
        for name, shape in self.shapes.items():
            for member, ref in (
                shape.get("members", {}).items() if shape["type"] == "structure" else ()
            ):
                if ref["shape"] in streams and (name, member) not in allowed:
                    raise self.error(
                        ["shapes", name, "members", member],
                        "an event stream must be a member of an operation's "
                        "input or output",
                    )
            for key in ("member", "key", "value"):
                ref = shape.get(key) if shape["type"] in ("list", "map") else None
                if isinstance(ref, dict) and ref["shape"] in streams:
                    raise self.error(
                        ["shapes", name, key],
                        "an event stream must be a member of an operation's "
                        "input or output",
                    )
        for name in sorted(streams):
            self._check_event_stream(name)

    def _check_event_stream(self, name: str) -> None:
        shape = self.shapes[name]
        path: list[str | int] = ["shapes", name]
        if shape["type"] != "structure":
            raise self.error(
                path + ["eventstream"], "an event stream must be a structure"
            )
        for member, ref in shape.get("members", {}).items():
            event = self.shapes[ref["shape"]]
            where = path + ["members", member]
            if event["type"] != "structure":
                raise self.error(where, "an event must be a structure")
            if event.get("exception"):
                continue
            payloads = []
            for field, field_ref in event.get("members", {}).items():
                kind = self.shapes[field_ref["shape"]]["type"]
                if field_ref.get("eventpayload"):
                    payloads.append(field)
                if field_ref.get("eventheader") and kind not in _HEADER_KINDS:
                    raise self.error(
                        ["shapes", ref["shape"], "members", field],
                        f"an event header cannot hold a {kind}",
                    )
            if len(payloads) > 1:
                raise self.error(
                    ["shapes", ref["shape"], "members", payloads[1]],
                    "an event has at most one eventpayload member",
                )

    # -- planning: which shapes become which classes ----------------------------

    def _plan_classes(self) -> None:
        inputs = {
            op["input"]["shape"] for op in self.operations.values() if "input" in op
        }
        self.error_shapes = sorted(
            {
                e["shape"]
                for op in self.operations.values()
                for e in op.get("errors", [])
            }
            | {n for n, s in self.shapes.items() if s.get("exception")}
        )
        nested: set[str] = set()
        roots = [
            op["output"]["shape"] for op in self.operations.values() if "output" in op
        ]
        for name in inputs:
            roots.extend(self._children(name))
        for name in self.error_shapes:
            roots.extend(self._children(name))
        self._walk(roots, nested)
        self.reachable: set[str] = set(nested) | inputs | set(self.error_shapes)
        for name in list(inputs) + self.error_shapes:
            self._walk(list(self._children(name)), self.reachable)
        structures = sorted(
            n
            for n in nested
            if self.shapes[n]["type"] == "structure"
            and not self.shapes[n].get("document")
            and not self.shapes[n].get("exception")
        )
        enums = sorted(
            n
            for n in self.reachable
            if self.shapes[n]["type"] == "string" and self.shapes[n].get("enum")
        )
        self.class_names: dict[str, str] = {}
        self.error_names: dict[str, str] = {}
        for name in self.error_shapes:
            self.error_names[name] = naming.unique(self._class_base(name), self.taken)
        for name in structures + enums:
            self.class_names[name] = naming.unique(self._class_base(name), self.taken)
        self.structure_shapes = structures
        self.enum_shapes = enums
        # Outputs with a streaming body or an event stream get a twin for the
        # asynchronous client, its stream member typed as what that client
        # gives (read with await); named after the other classes.
        self.async_outputs: dict[str, str] = {}
        for name in sorted(self.outputs_that_stream()):
            base = "Async" + self.class_names[name]
            self.async_outputs[name] = naming.unique(base, self.taken)

    def outputs_that_stream(self) -> set[str]:
        """Output shapes with a streaming blob or an event-stream member."""
        found = set()
        for op in self.operations.values():
            name = op.get("output", {}).get("shape")
            if name is None or name not in self.class_names:
                continue
            for ref in self.shapes[name].get("members", {}).values():
                # (A member's own ``streaming``, S3's, already made its
                # shape a streaming copy: _streaming_refs.)
                target = self.shapes[ref["shape"]]
                if target.get("eventstream") or (
                    target["type"] == "blob" and target.get("streaming")
                ):
                    found.add(name)
        return found

    @staticmethod
    def _class_base(shape: str) -> str:
        return naming.class_name(shape.lstrip("_") or shape)

    def _children(self, name: str) -> Iterator[str]:
        shape = self.shapes[name]
        if shape["type"] == "structure":
            for ref in shape.get("members", {}).values():
                yield ref["shape"]
        elif shape["type"] == "list":
            yield shape["member"]["shape"]
        elif shape["type"] == "map":
            yield shape["key"]["shape"]
            yield shape["value"]["shape"]

    def _walk(self, roots: list[str], seen: set[str]) -> None:
        stack = list(roots)
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.add(name)
            stack.extend(self._children(name))

    def _members_of(self, shape_name: str) -> dict[str, str]:
        """Wire member name -> Python name for one structure; collisions are errors."""
        names: dict[str, str] = {}
        seen: dict[str, str] = {}
        for member in self.shapes[shape_name].get("members", {}):
            python = naming.member_name(member)
            if python in seen:
                raise self.error(
                    ["shapes", shape_name, "members", member],
                    f"members {seen[python]!r} and {member!r} both map to the "
                    f"Python name {python!r}",
                )
            seen[python] = member
            names[member] = python
            if python in UNION_ATTRIBUTES and self.shapes[shape_name].get("union"):
                raise self.error(
                    ["shapes", shape_name, "members", member],
                    f"member {member!r} of a union would take the name of its "
                    f"{python!r} attribute",
                )
        if shape_name in self.error_names:
            # An error's member may not shadow what every exception has.
            taken = set(ERROR_ATTRIBUTES)
            names = {m: naming.unique(p, taken) for m, p in names.items()}
        return names

    # -- docs -------------------------------------------------------------------

    def member_doc(self, ref: Mapping[str, Any]) -> str:
        doc = ref.get("documentation") or self.shapes[ref["shape"]].get("documentation")
        text = docstrings.text(doc, DOC_WIDTH - 8)
        notes = []
        if ref.get("deprecated"):
            notes.append(
                "Deprecated."
                + (
                    f" {ref['deprecatedMessage']}"
                    if ref.get("deprecatedMessage")
                    else ""
                )
            )
        return "\n\n".join([*notes, text] if text else notes)

    # -- fields -------------------------------------------------------------------

    def fields(
        self,
        shape_name: str,
        *,
        as_input: bool,
        scope: types.Scope,
        skip: frozenset[str] = frozenset(),
    ) -> list[ir.Field]:
        """The fields of a structure (less the Python names in ``skip``)."""
        shape = self.shapes[shape_name]
        required = set(shape.get("required", []))
        names = self.model.member_names[shape_name]
        out = []
        custom = self.customized
        for member, ref in shape.get("members", {}).items():
            if names[member] in skip:
                continue
            key = (shape_name, member)
            doc = self.member_doc(ref)
            if key in custom.notes:
                note = textwrap.fill(custom.notes[key], DOC_WIDTH - 8)
                doc = "\n\n".join(p for p in (doc, note) if p)
            out.append(
                ir.Field(
                    name=names[member],
                    wire_name=string_literal(member),
                    type=custom.annotations.get(key)
                    or self.model.annotation(
                        ref["shape"], member=ref, as_input=as_input
                    ),
                    scope=scope,
                    required=member in required and key not in custom.optional,
                    doc=doc,
                    deprecated=bool(ref.get("deprecated")),
                    idempotency_token=bool(ref.get("idempotencyToken")),
                )
            )
        return out

    def class_scope(
        self, module: str, shape_name: str, skip: frozenset[str] = frozenset()
    ) -> types.Scope:
        """A class body: its fields' names shadow what annotations refer to."""
        names = set(self.model.member_names[shape_name].values()) - skip
        return types.Scope(module, frozenset(names))

    # -- IR pieces ----------------------------------------------------------------

    def structure(self, name: str, *, aio: bool = False) -> ir.Structure:
        """The class of a structure; with ``aio``, the asynchronous client's
        twin of an output that streams."""
        shape = self.shapes[name]
        members = shape.get("members", {})
        names = self.model.member_names[name]
        stream = bool(shape.get("eventstream"))
        # An event stream's errors are raised, not yielded: not fields.
        errors = [
            m
            for m, ref in members.items()
            if self.shapes[ref["shape"]].get("exception")
        ]
        skip = frozenset(names[m] for m in errors) if stream else frozenset()
        scope = self.class_scope(symbols.SHAPES_MODULE, name, skip)
        fields = self.fields(name, as_input=False, scope=scope, skip=skip)
        if aio:
            fields = [
                ir.Field(**{**f.__dict__, "type": types.asynchronous(f.type)})
                for f in fields
            ]
        attrs = (
            docstrings.section("Attributes", [(f.name, f.doc) for f in fields])
            if fields
            else ""
        )
        note = ""
        if stream:
            note = "One event of an event stream: exactly one attribute is set."
            if errors:
                raised = ", ".join(
                    f"errors.{self.error_names[members[m]['shape']]}" for m in errors
                )
                note += f" Error events are raised instead: {raised}."
            note = textwrap.fill(note, DOC_WIDTH)
        doc = docstrings.text(shape.get("documentation"))
        if aio:
            doc = textwrap.fill(
                f"{self.class_names[name]} as the asynchronous client returns "
                "it: the same attributes, the stream read with await (async "
                "for, async with).",
                DOC_WIDTH,
            )
        return ir.Structure(
            class_name=self.async_outputs[name] if aio else self.class_names[name],
            shape_name=name,
            docstring=docstrings.join(doc, note, attrs),
            fields=tuple(fields),
            is_union=bool(shape.get("union")) or stream,
            sensitive=tuple(
                string_literal(names[m])
                for m, ref in members.items()
                if self.is_sensitive(ref)
            ),
            deprecated=tuple(
                string_literal(names[m])
                for m, ref in members.items()
                if ref.get("deprecated")
            ),
        )

    def is_sensitive(self, ref: Mapping[str, Any], depth: int = 0) -> bool:
        shape = self.shapes[ref["shape"]]
        if ref.get("sensitive") or shape.get("sensitive"):
            return True
        if depth > 4:
            return False
        if shape["type"] == "list":
            return self.is_sensitive(shape["member"], depth + 1)
        if shape["type"] == "map":
            return self.is_sensitive(shape["value"], depth + 1)
        return False

    def enum(self, name: str) -> ir.Enum:
        shape = self.shapes[name]
        taken: set[str] = set()
        members = []
        for value in dict.fromkeys(shape["enum"]):
            if not isinstance(value, str):
                raise self.error(
                    ["shapes", name, "enum"], "enum values must be strings"
                )
            members.append(
                ir.EnumMember(
                    naming.unique(naming.enum_member_name(value), taken),
                    string_literal(value),
                )
            )
        return ir.Enum(
            class_name=self.class_names[name],
            docstring=docstrings.join(docstrings.text(shape.get("documentation"))),
            members=tuple(members),
        )

    def error_class(self, name: str) -> ir.Error:
        shape = self.shapes[name]
        # Every error carries its message already.
        skip = frozenset({"message"})
        scope = self.class_scope(symbols.ERRORS_MODULE, name, skip)
        fields = [
            ir.Field(**{**f.__dict__, "required": False})
            for f in self.fields(name, as_input=False, scope=scope, skip=skip)
        ]
        attrs = (
            docstrings.section("Attributes", [(f.name, f.doc) for f in fields])
            if fields
            else ""
        )
        return ir.Error(
            class_name=self.error_names[name],
            docstring=docstrings.join(
                docstrings.text(shape.get("documentation")), attrs
            ),
            fields=tuple(fields),
        )

    def operation(self, name: str, method_names: set[str]) -> ir.Operation:
        op = self.operations[name]
        method = naming.method_name(name)
        if method in CLIENT_ATTRIBUTES or method in client_methods.reserved_methods(
            self.files.name
        ):
            raise self.error(
                ["operations", name],
                f"method name {method!r} is boto3's client method {method}()",
            )
        if method.startswith("_"):
            raise self.error(
                ["operations", name],
                f"method name {method!r} is private (the runtime's own namespace)",
            )
        if method in CLIENT_MODULE_NAMES:
            raise self.error(
                ["operations", name],
                f"method name {method!r} would shadow the client module's {method!r}",
            )
        if method in method_names:
            raise self.error(
                ["operations", name], f"method name {method!r} is already taken"
            )
        method_names.add(method)
        params: list[ir.Field] = []
        if "input" in op:
            params = [
                (
                    ir.Field(**{**f.__dict__, "name": f.name + "_"})
                    if f.name in METHOD_BODY_NAMES
                    else f
                )
                for f in self.fields(
                    op["input"]["shape"], as_input=True, scope=types.CLIENT
                )
            ]
        # Required first, then the rest, each alphabetical: the reference order.
        params.sort(
            key=lambda f: (
                not (f.required and not f.idempotency_token),
                f.wire_name.lower(),
            )
        )
        output = op.get("output", {}).get("shape")
        errors = [
            (
                self.error_names[e["shape"]],
                docstrings.text(
                    e.get("documentation")
                    or self.shapes[e["shape"]].get("documentation"),
                    DOC_WIDTH - 8,
                ).split("\n\n")[0],
            )
            for e in op.get("errors", [])
        ]
        args = (
            docstrings.section("Args", [(p.name, p.doc) for p in params])
            if params
            else ""
        )
        raises = docstrings.section("Raises", errors) if errors else ""
        deprecated = None
        if op.get("deprecated"):
            deprecated = string_literal(
                f"{method} is deprecated"
                + (
                    f": {op['deprecatedMessage']}"
                    if op.get("deprecatedMessage")
                    else "."
                )
            )
        doc = docstrings.text(op.get("documentation"))
        if op.get("deprecated"):
            doc = "Deprecated.\n\n" + doc
        notes = self._event_stream_notes(op)
        if notes:
            doc = "\n\n".join(p for p in (doc, *notes) if p)
        return ir.Operation(
            name=name,
            name_literal=string_literal(name),
            method_name=method,
            docstring=docstrings.join(doc, args, raises),
            params=tuple(params),
            output=self.model.class_ref(output) if output else None,
            async_output=(
                types.ClassRef(self.async_outputs[output], symbols.SHAPES_MODULE)
                if output in self.async_outputs
                else None
            ),
            deprecated_warning=deprecated,
            idempotency_params=tuple(p.name for p in params if p.idempotency_token),
            deprecated_params=tuple(
                (p.name, string_literal(f"{p.name} is deprecated"))
                for p in params
                if p.deprecated
            ),
        )

    def _event_stream_notes(self, op: Mapping[str, Any]) -> list[str]:
        """What a docstring says of an operation's event streams."""
        notes = []
        for key in ("input", "output"):
            if key not in op:
                continue
            root = op[key]["shape"]
            names = self.model.member_names.get(root, {})
            for member, ref in self.shapes[root].get("members", {}).items():
                if not self.shapes[ref["shape"]].get("eventstream"):
                    continue
                name = naming.member_name(member) if key == "input" else names[member]
                if key == "input":
                    text = (
                        f"Not supported: {name} is an input event stream (sent "
                        "over HTTP/2 both ways), which this client cannot send, "
                        "as botocore cannot. Calling this method raises "
                        f"{symbols.RUNTIME}.errors.UnsupportedOperationError "
                        "before anything is sent."
                    )
                else:
                    text = (
                        f"The output's {name} is an event stream: iterate it for "
                        "the events as they arrive (error events are raised as "
                        "typed errors), and close it (close() or a with block) "
                        "if you stop early, to release the connection."
                    )
                notes.append(textwrap.fill(text, DOC_WIDTH))
        return notes

    def service(self) -> ir.Service:
        structures = tuple(
            st
            for n in self.structure_shapes
            for st in (
                (self.structure(n), self.structure(n, aio=True))
                if n in self.async_outputs
                else (self.structure(n),)
            )
        )
        enums = tuple(self.enum(n) for n in self.enum_shapes)
        errors = tuple(self.error_class(n) for n in self.error_shapes)
        method_names: set[str] = set()
        operations = tuple(
            self.operation(n, method_names) for n in sorted(self.operations)
        )
        pages, waits = paginators.resolve(self.model, operations)
        accessors = [m for m in (pages, waits) if m is not None]
        client_needs: set[Import] = set()
        client_needs.update(Import(".", m.module) for m in accessors)
        if any(o.idempotency_params for o in operations):
            client_needs.add(symbols.NEW_IDEMPOTENCY_TOKEN)
        if any(o.deprecated_warning or o.deprecated_params for o in operations):
            client_needs.add(symbols.WARNINGS)
        if accessors:
            client_needs.add(symbols.LITERAL)
        if any(m.overloaded for m in accessors):
            client_needs.add(symbols.OVERLOAD)
        aio_needs = client_needs | {symbols.ASYNC_BASE_CLIENT}
        aio_needs.update(i for o in operations for i in o.async_imports)
        client_needs.add(symbols.BASE_CLIENT)
        client_needs.update(i for o in operations for i in o.imports)
        mixins = client_methods.mixins(self.files.name)
        if mixins is not None:
            client_needs.add(mixins[0])
            aio_needs.add(mixins[1])
        client_imports, lazy = types.lazy_split(client_needs)
        aio_imports, _ = types.lazy_split(aio_needs)
        shape_fields = [f for st in structures for f in st.fields]
        error_fields = [f for e in errors for f in e.fields]
        schema = build_schema(self.model)
        return ir.Service(
            name=self.files.name,
            package=naming.package_name(self.files.name),
            client_class=self.model.client_class,
            async_client_class="Async" + self.model.client_class,
            client_mixin=mixins[0].name or None if mixins else None,
            async_client_mixin=mixins[1].name or None if mixins else None,
            base_error=self.model.base_error,
            docstring=docstrings.join(
                docstrings.text(self.files.service.get("documentation"))
            ),
            operations=operations,
            structures=structures,
            enums=enums,
            errors=errors,
            client_imports=imports.lines(client_imports),
            client_lazy_modules=lazy,
            aio_imports=imports.lines(aio_imports),
            shapes_imports=imports.lines(
                ir.field_imports(shape_fields) | {st.base_symbol for st in structures}
            ),
            enums_imports=imports.lines([symbols.STR_ENUM] if enums else []),
            errors_imports=imports.lines(
                ir.field_imports(error_fields) | {symbols.SERVICE_ERROR}
            ),
            shapes_aliases=imports.aliases(ir.field_aliases(shape_fields)),
            errors_aliases=imports.aliases(ir.field_aliases(error_fields)),
            schema=schema,
            endpoint_rules=self.files.endpoint_rules,
            paginators=pages,
            waiters=waits,
            client_context_params=(
                ascii(
                    {
                        spec["name"]: spec["type"]
                        for spec in schema["clientContextParams"].values()
                    }
                )
                if "clientContextParams" in schema
                else None
            ),
        )
