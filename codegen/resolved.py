"""One service's model once checked and named: what the resolver decided.

The resolver (``codegen.resolver``) builds a :class:`ResolvedModel` after it
has checked the model and planned every class and member name; the modules
that turn parts of the model into IR or data (``codegen.paginators``,
``codegen.schema``) read it rather than the resolver itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from codegen import symbols, types
from codegen.customizations import Resolved as Customized
from codegen.errors import ModelError
from codegen.loader import ServiceFiles


@dataclass(frozen=True, eq=False)
class ResolvedModel:
    files: ServiceFiles
    file: str  # the service file, as errors name it
    shapes: Mapping[str, Any]
    operations: Mapping[str, Any]
    metadata: Mapping[str, Any]
    protocol: str  # the one botocore resolves
    client_class: str
    base_error: str
    # Shape name -> class name: structures that become classes, and enums.
    class_names: Mapping[str, str]
    # Error shape name -> exception class name.
    error_names: Mapping[str, str]
    # Structure shape name -> wire member name -> Python name (every reachable one).
    member_names: Mapping[str, Mapping[str, str]]
    structure_shapes: tuple[str, ...]  # sorted
    enum_shapes: tuple[str, ...]  # sorted
    error_shapes: tuple[str, ...]  # sorted
    # Every shape an input, output or error reaches: the wire schema's shapes.
    reachable: frozenset[str]
    # botocore's hand-written customizations that apply (codegen/customizations.py).
    customized: Customized

    def error(self, path: list[str | int], message: str) -> ModelError:
        return ModelError(self.file, path, message)

    def class_ref(self, shape: str) -> types.ClassRef:
        """The class of a structure or enum shape."""
        string = self.shapes[shape]["type"] == "string"
        module = symbols.ENUMS_MODULE if string else symbols.SHAPES_MODULE
        return types.ClassRef(self.class_names[shape], module)

    def annotation(
        self, name: str, *, member: Mapping[str, Any], as_input: bool
    ) -> types.Type:
        """The type of a value of shape ``name``, reached through ``member``."""
        shape = self.shapes[name]
        kind = shape["type"]
        if kind == "string":
            if member.get("jsonvalue") and member.get("location") == "header":
                return types.DOCUMENT  # in a body, botocore's jsonvalue is a plain str
            if name in self.class_names:
                return types.Union((self.class_ref(name), types.STR))
            return types.STR
        if kind in ("integer", "long"):
            return types.INT
        if kind in ("float", "double"):
            return types.FLOAT
        if kind == "boolean":
            return types.BOOL
        if kind == "timestamp":
            return types.DATETIME
        if kind == "blob":
            # botocore merges a member's traits into its shape: S3 marks
            # ``streaming`` on the member (``"Body": {"shape": "Body",
            # "streaming": true}``).
            if shape.get("streaming") or member.get("streaming"):
                if as_input:
                    return types.Union((types.BYTES, types.io(types.BYTES)))
                return types.STREAMING_BODY
            return types.BYTES
        if kind == "list":
            item = shape["member"]
            return types.sequence(
                self.annotation(item["shape"], member=item, as_input=as_input)
            )
        if kind == "map":
            value = shape["value"]
            return types.mapping(
                types.STR,
                self.annotation(value["shape"], member=value, as_input=as_input),
            )
        if shape.get("eventstream"):
            # Sent: any iterable of events; received: the runtime's stream.
            events = self.class_ref(name)
            return types.iterable(events) if as_input else types.event_stream(events)
        if shape.get("document"):
            return types.DOCUMENT
        if shape.get("exception") and name not in self.class_names:
            raise self.error(
                ["shapes", name], "an error shape used as a member is not supported"
            )
        return self.class_ref(name)
