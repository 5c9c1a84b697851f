"""Turns one service's botocore model into the IR the templates render.

The resolver decides everything: which shapes become classes, every Python
name, every annotation, every docstring's escaped text, and the wire schema
the runtime interprets. It checks the model as it goes and reports the first
problem as a :class:`ModelError` with the file and JSON path.
"""

from __future__ import annotations

import functools
import re
import textwrap
from collections.abc import Iterator, Mapping
from typing import Any

from codegen import customizations, imports, ir, naming, paginators, protocols, pylang
from codegen.docs import html_to_text
from codegen.errors import ModelError
from codegen.literals import docstring_body, string_literal
from codegen.loader import SERVICE_FILE, ServiceFiles
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
# Names the generated modules import or use in annotations; no class may take them.
RESERVED = frozenset(
    {
        "Structure",
        "TaggedUnion",
        "Document",
        "StreamingBody",
        "BaseClient",
        "ServiceError",
        "datetime",
        "Sequence",
        "Mapping",
        "IO",
        "Any",
        "StrEnum",
        "annotations",
        "warnings",
        "new_idempotency_token",
        "str",
        "int",
        "float",
        "bool",
        "bytes",
        "object",
        "type",
        "list",
        "dict",
        "None",
        "client",
        "shapes",
        "enums",
        "errors",
        "paginators",
        "waiters",
    }
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
    {"self", "shapes", "enums", "warnings", "new_idempotency_token"}
)
CLIENT_ATTRIBUTES = frozenset(
    {"close", "get_paginator", "get_waiter", "can_paginate", "meta", "exceptions"}
)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
DOC_WIDTH = 72


@functools.cache
def _text(html: str, width: int) -> str:
    # Models repeat the same documentation on many members and shapes.
    return html_to_text(html, width)


def _entry(name: str, doc: str) -> list[str]:
    """One ``name: text`` entry of an Args/Attributes/Raises section."""
    paragraphs = doc.split("\n\n") if doc else [""]
    first, rest = paragraphs[0], paragraphs[1:]
    if first and not first.startswith(("- ", " ")) and "\n " not in first:
        lines = textwrap.wrap(
            " ".join(first.split("\n")),
            width=DOC_WIDTH - 4,
            initial_indent=f"{name}: ",
            subsequent_indent="    ",
            break_long_words=False,
            break_on_hyphens=False,
        )
    else:
        lines = [f"{name}:"] + [f"    {line}" for line in first.split("\n") if first]
    for paragraph in rest:
        lines.append("")
        lines.extend(f"    {line}" if line else "" for line in paragraph.split("\n"))
    return lines


def _qualify(op: ir.Operation, names: Mapping[str, str]) -> ir.Operation:
    """Refer to classes through their (lazily loaded) module: ``shapes.JobDriver``."""

    def swap(text: str) -> str:
        return _NAME.sub(lambda m: names.get(m.group(), m.group()), text)

    params = tuple(
        ir.Field(**{**p.__dict__, "annotation": swap(p.annotation)}) for p in op.params
    )
    output = swap(op.output_class) if op.output_class else None
    return ir.Operation(**{**op.__dict__, "params": params, "output_class": output})


def resolve(files: ServiceFiles) -> ir.Service:
    return _Resolver(files).service()


class _Resolver:
    def __init__(self, files: ServiceFiles) -> None:
        self.files = files
        self.file = files.file(SERVICE_FILE)
        self.model = files.service
        self.shapes: dict[str, Any] = self._require(self.model, ["shapes"], dict)
        self.operations: dict[str, Any] = self._require(
            self.model, ["operations"], dict
        )
        self.metadata: dict[str, Any] = self._require(self.model, ["metadata"], dict)
        self._check_protocol()
        self._check_shapes()
        self.taken: set[str] = set(RESERVED)
        self.client_class = naming.unique(
            naming.client_class_name(self._service_id()), self.taken
        )
        self.base_error = naming.unique(
            self.client_class[: -len("Client")] + "Error", self.taken
        )
        self._plan_classes()
        self.member_names: dict[str, dict[str, str]] = {}
        # botocore's hand-written customizations that apply (codegen/customizations.py).
        self.customized = customizations.resolve(
            self._service_id(), self.metadata, self.shapes, self.operations
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

    def _check_protocol(self) -> None:
        protocol = protocols.resolve(self.metadata)
        if protocol not in protocols.SUPPORTED:
            listed = self.metadata.get("protocols") or self.metadata.get("protocol")
            where = "protocols" if self.metadata.get("protocols") else "protocol"
            raise self.error(
                ["metadata", where],
                f"unsupported protocol {listed!r} "
                f"(supported: {', '.join(sorted(protocols.SUPPORTED))})",
            )
        self.protocol: str = protocol

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
            if kind not in SHAPE_TYPES:
                raise self.error(path + ["type"], f"unknown shape type {kind!r}")
            if shape.get("eventstream"):
                # Refused rather than generated as a plain structure the
                # runtime would parse as JSON or XML: silently wrong.
                raise self.error(
                    path + ["eventstream"],
                    "event streams are not supported yet "
                    f"({', '.join(self._operations_using(name)) or 'no operation'})",
                )
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

    def _operations_using(self, shape_name: str) -> list[str]:
        """The operations whose input or output holds ``shape_name``."""
        out = []
        for op_name, op in sorted(self.operations.items()):
            for key in ("input", "output"):
                ref = op.get(key) if isinstance(op, dict) else None
                if not isinstance(ref, dict):
                    continue
                root = self.shapes.get(str(ref.get("shape")), {})
                members = root.get("members", {}) if isinstance(root, dict) else {}
                if any(
                    isinstance(m, dict) and m.get("shape") == shape_name
                    for m in members.values()
                ):
                    out.append(op_name)
                    break
        return out

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
            and not self._is_document(n)
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

    def _is_document(self, name: str) -> bool:
        return bool(self.shapes[name].get("document"))

    # -- names --------------------------------------------------------------------

    def members_of(self, shape_name: str) -> dict[str, str]:
        """Wire member name -> Python name for one structure; collisions are errors."""
        if shape_name in self.member_names:
            return self.member_names[shape_name]
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
        if shape_name in self.error_names:
            # An error's member may not shadow what every exception has.
            taken = set(ERROR_ATTRIBUTES)
            names = {m: naming.unique(p, taken) for m, p in names.items()}
        self.member_names[shape_name] = names
        return names

    # -- annotations ----------------------------------------------------------------

    def annotation(
        self, name: str, *, member: Mapping[str, Any], as_input: bool
    ) -> str:
        shape = self.shapes[name]
        kind = shape["type"]
        if kind == "string":
            if member.get("jsonvalue") and member.get("location") == "header":
                return "Document"  # in a body, botocore's jsonvalue is a plain str
            enum = self.class_names.get(name)
            return f"{enum} | str" if enum else "str"
        if kind in ("integer", "long"):
            return "int"
        if kind in ("float", "double"):
            return "float"
        if kind == "boolean":
            return "bool"
        if kind == "timestamp":
            return "datetime.datetime"
        if kind == "blob":
            if shape.get("streaming"):
                return "bytes | IO[bytes]" if as_input else "StreamingBody"
            return "bytes"
        if kind == "list":
            inner = self.annotation(
                shape["member"]["shape"], member=shape["member"], as_input=as_input
            )
            return f"Sequence[{inner}]"
        if kind == "map":
            inner = self.annotation(
                shape["value"]["shape"], member=shape["value"], as_input=as_input
            )
            return f"Mapping[str, {inner}]"
        if self._is_document(name):
            return "Document"
        if shape.get("exception") and name not in self.class_names:
            raise self.error(
                ["shapes", name], "an error shape used as a member is not supported"
            )
        return self.class_names[name]

    # -- docs -------------------------------------------------------------------

    def text(self, html: Any, width: int = DOC_WIDTH) -> str:
        return _text(html, width) if isinstance(html, str) else ""

    def member_doc(self, ref: Mapping[str, Any]) -> str:
        doc = ref.get("documentation") or self.shapes[ref["shape"]].get("documentation")
        text = self.text(doc, DOC_WIDTH - 8)
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

    @staticmethod
    def section(title: str, entries: list[tuple[str, str]]) -> str:
        lines = [f"{title}:"]
        for name, doc in entries:
            lines.extend(f"    {line}".rstrip() for line in _entry(name, doc))
        return "\n".join(lines)

    @staticmethod
    def join_doc(*parts: str) -> str:
        text = "\n\n".join(p for p in parts if p) or "No documentation."
        # A multi-line docstring closes on a line of its own.
        return docstring_body(text + ("\n" if "\n" in text else ""))

    # -- fields -------------------------------------------------------------------

    def fields(self, shape_name: str, *, as_input: bool) -> list[ir.Field]:
        shape = self.shapes[shape_name]
        required = set(shape.get("required", []))
        names = self.members_of(shape_name)
        out = []
        custom = self.customized
        for member, ref in shape.get("members", {}).items():
            key = (shape_name, member)
            doc = self.member_doc(ref)
            if key in custom.notes:
                note = textwrap.fill(custom.notes[key], DOC_WIDTH - 8)
                doc = "\n\n".join(p for p in (doc, note) if p)
            out.append(
                ir.Field(
                    name=names[member],
                    wire_name=string_literal(member),
                    annotation=custom.annotations.get(key)
                    or self.annotation(ref["shape"], member=ref, as_input=as_input),
                    required=member in required and key not in custom.optional,
                    doc=doc,
                    deprecated=bool(ref.get("deprecated")),
                    idempotency_token=bool(ref.get("idempotencyToken")),
                )
            )
        return out

    def shadow_safe(self, fields: list[ir.Field], aliases: set[str]) -> list[ir.Field]:
        """Rewrite annotations whose names a field of the same class shadows."""
        own = {f.name for f in fields}
        out = []
        for f in fields:

            def swap(match: re.Match[str]) -> str:
                word = match.group()
                if word in own and not match.string[: match.start()].endswith("."):
                    aliases.add(word)
                    return f"_{word}"
                return word

            out.append(
                ir.Field(**{**f.__dict__, "annotation": _NAME.sub(swap, f.annotation)})
            )
        return out

    # -- IR pieces ----------------------------------------------------------------

    def structure(self, name: str, aliases: set[str]) -> ir.Structure:
        shape = self.shapes[name]
        fields = self.shadow_safe(self.fields(name, as_input=False), aliases)
        attrs = (
            self.section("Attributes", [(f.name, f.doc) for f in fields])
            if fields
            else ""
        )
        members = shape.get("members", {})
        names = self.members_of(name)
        return ir.Structure(
            class_name=self.class_names[name],
            shape_name=name,
            docstring=self.join_doc(self.text(shape.get("documentation")), attrs),
            fields=tuple(fields),
            is_union=bool(shape.get("union")),
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
            docstring=self.join_doc(self.text(shape.get("documentation"))),
            members=tuple(members),
        )

    def error_class(self, name: str, aliases: set[str]) -> ir.Error:
        shape = self.shapes[name]
        fields = [
            ir.Field(**{**f.__dict__, "required": False})
            for f in self.fields(name, as_input=False)
            if f.name != "message"  # every error carries its message already
        ]
        fields = self.shadow_safe(fields, aliases)
        attrs = (
            self.section("Attributes", [(f.name, f.doc) for f in fields])
            if fields
            else ""
        )
        return ir.Error(
            class_name=self.error_names[name],
            docstring=self.join_doc(self.text(shape.get("documentation")), attrs),
            fields=tuple(fields),
        )

    def operation(self, name: str, method_names: set[str]) -> ir.Operation:
        op = self.operations[name]
        method = naming.method_name(name)
        if method in CLIENT_ATTRIBUTES or method in method_names:
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
                for f in self.fields(op["input"]["shape"], as_input=True)
            ]
        # Required first, then the rest, each alphabetical: the reference order.
        params.sort(
            key=lambda f: (
                not (f.required and not f.idempotency_token),
                f.wire_name.lower(),
            )
        )
        output = op.get("output", {}).get("shape")
        output_class = self.class_names.get(output) if output else None
        if output and output_class is None:
            output_class = self.class_names[output]
        errors = [
            (
                self.error_names[e["shape"]],
                self.text(
                    e.get("documentation")
                    or self.shapes[e["shape"]].get("documentation"),
                    DOC_WIDTH - 8,
                ).split("\n\n")[0],
            )
            for e in op.get("errors", [])
        ]
        args = self.section("Args", [(p.name, p.doc) for p in params]) if params else ""
        raises = self.section("Raises", errors) if errors else ""
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
        doc = self.text(op.get("documentation"))
        if op.get("deprecated"):
            doc = "Deprecated.\n\n" + doc
        return ir.Operation(
            name=name,
            name_literal=string_literal(name),
            method_name=method,
            docstring=self.join_doc(doc, args, raises),
            params=tuple(params),
            output_class=output_class,
            deprecated_warning=deprecated,
            idempotency_params=tuple(p.name for p in params if p.idempotency_token),
            deprecated_params=tuple(
                (p.name, string_literal(f"{p.name} is deprecated"))
                for p in params
                if p.deprecated
            ),
        )

    def service(self) -> ir.Service:
        shape_aliases: set[str] = set()
        error_aliases: set[str] = set()
        structures = tuple(
            self.structure(n, shape_aliases) for n in self.structure_shapes
        )
        enums = tuple(self.enum(n) for n in self.enum_shapes)
        errors = tuple(self.error_class(n, error_aliases) for n in self.error_shapes)
        method_names: set[str] = set()
        qualified = {
            self.class_names[n]: f"shapes.{self.class_names[n]}"
            for n in self.structure_shapes
        }
        qualified.update(
            {
                self.class_names[n]: f"enums.{self.class_names[n]}"
                for n in self.enum_shapes
            }
        )
        operations = tuple(
            _qualify(self.operation(n, method_names), qualified)
            for n in sorted(self.operations)
        )
        pages, waits = paginators.resolve(self, operations, qualified)
        accessors = [m for m in (pages, waits) if m is not None]
        client_annotations = [p.annotation for o in operations for p in o.params]
        client_annotations += [o.output_class for o in operations if o.output_class]
        client_runtime = {"codegen.runtime.client": {"BaseClient"}}
        if any(o.idempotency_params for o in operations):
            client_runtime["codegen.runtime.client"].add("new_idempotency_token")
        warn = any(o.deprecated_warning or o.deprecated_params for o in operations)
        lazy = tuple(
            sorted(
                [
                    m
                    for m in ("enums", "shapes")
                    if any(re.search(rf"\b{m}\.", a) for a in client_annotations)
                ]
                + [m.module for m in accessors]
            )
        )
        if lazy:
            client_runtime["codegen.runtime.lazy"] = {"lazy_module"}
        # An alias (``_scope = scope``) names what it stands for: import that too.
        shape_annotations = [f.annotation for st in structures for f in st.fields]
        shape_annotations += sorted(shape_aliases)
        shape_bases = {"codegen.runtime.structure": {st.base for st in structures}}
        error_annotations = [f.annotation for e in errors for f in e.fields]
        error_annotations += sorted(error_aliases)
        local_names = {self.class_names[n]: ".shapes" for n in self.structure_shapes}
        local_names.update({self.class_names[n]: ".enums" for n in self.enum_shapes})
        return ir.Service(
            name=self.files.name,
            package=naming.package_name(self.files.name),
            client_class=self.client_class,
            base_error=self.base_error,
            docstring=self.join_doc(self.text(self.model.get("documentation"))),
            operations=operations,
            structures=structures,
            enums=enums,
            errors=errors,
            client_imports=imports.lines(
                client_annotations,
                {},
                client_runtime,
                warnings=warn,
                typing=(("TYPE_CHECKING",) if lazy else ())
                + (("Literal",) if accessors else ())
                + (("overload",) if any(m.overloaded for m in accessors) else ()),
            ),
            client_lazy_modules=lazy,
            shapes_imports=imports.lines(
                shape_annotations, local_names, shape_bases, module=".shapes"
            ),
            errors_imports=imports.lines(
                error_annotations,
                local_names,
                {"codegen.runtime.errors": {"ServiceError"}},
            ),
            shapes_aliases=imports.aliases(shape_aliases),
            errors_aliases=imports.aliases(error_aliases),
            schema=build_schema(self),
            endpoint_rules=self.files.endpoint_rules,
            paginators=pages,
            waiters=waits,
        )
