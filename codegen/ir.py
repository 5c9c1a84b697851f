"""The intermediate representation that templates render.

Plain frozen dataclasses: every name is final, every string that comes from
a model is already escaped into the literal text it will appear as, every
annotation is a ``codegen.types`` value that renders itself in the scope it is
written in, and every import a module needs is listed. Templates only loop
and branch over this.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from codegen import symbols, types
from codegen.imports import Import


@dataclass(frozen=True)
class Field:
    """A structure field, or a method parameter (one per input member)."""

    name: str
    wire_name: str
    type: types.Type
    scope: types.Scope  # where the field or parameter is declared
    required: bool
    doc: str
    deprecated: bool = False
    idempotency_token: bool = False

    @property
    def default(self) -> str | None:
        """The default's source text, or None for a required field."""
        return None if self.required and not self.idempotency_token else "None"

    @property
    def full_type(self) -> types.Type:
        """The type, ``| None`` when the field has a default."""
        return self.type if self.default is None else types.optional(self.type)

    @property
    def full_annotation(self) -> str:
        return self.full_type.render(self.scope)

    @property
    def imports(self) -> Iterator[Import]:
        return self.full_type.imports(self.scope)

    @property
    def aliased(self) -> Iterator[str]:
        return self.full_type.aliased(self.scope)


def field_imports(fields: Iterable[Field]) -> set[Import]:
    return {i for f in fields for i in f.imports}


def field_aliases(fields: Iterable[Field]) -> set[str]:
    return {a for f in fields for a in f.aliased}


@dataclass(frozen=True)
class Structure:
    """A structure or union shape rendered as a class."""

    class_name: str
    shape_name: str
    docstring: str
    fields: tuple[Field, ...]
    is_union: bool
    sensitive: tuple[str, ...]
    deprecated: tuple[str, ...]

    @property
    def base_symbol(self) -> Import:
        return symbols.TAGGED_UNION if self.is_union else symbols.STRUCTURE

    @property
    def base(self) -> str:
        return self.base_symbol.binds

    @property
    def sensitive_first(self) -> bool:
        """``_sensitive_`` calls ``frozenset``: before a field of that name."""
        return bool(self.sensitive) and any(f.name == "frozenset" for f in self.fields)


@dataclass(frozen=True)
class EnumMember:
    name: str
    literal: str


@dataclass(frozen=True)
class Enum:
    class_name: str
    docstring: str
    members: tuple[EnumMember, ...]


@dataclass(frozen=True)
class Error:
    """A modelled error shape rendered as an exception class."""

    class_name: str
    docstring: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Operation:
    name: str
    name_literal: str
    method_name: str
    docstring: str
    params: tuple[Field, ...]
    output: types.ClassRef | None
    deprecated_warning: str | None
    idempotency_params: tuple[str, ...]
    deprecated_params: tuple[tuple[str, str], ...]
    # The asynchronous client's output class, where the output streams.
    async_output: types.ClassRef | None = None

    @property
    def output_class(self) -> str | None:
        """The output class as ``client.py`` refers to it."""
        return self.output.render(types.CLIENT) if self.output else None

    @property
    def async_output_class(self) -> str | None:
        """The output class as ``aio.py`` refers to it."""
        output = self.async_output or self.output
        return output.render(types.CLIENT) if output else None

    @property
    def imports(self) -> set[Import]:
        output = set(self.output.imports(types.CLIENT)) if self.output else set()
        return field_imports(self.params) | output

    @property
    def async_imports(self) -> set[Import]:
        output = self.async_output or self.output
        found = set(output.imports(types.CLIENT)) if output else set()
        return field_imports(self.params) | found


@dataclass(frozen=True)
class Module:
    """One generated file: its path in the package and rendered text."""

    path: str
    template: str
    context: dict[str, Any]


@dataclass(frozen=True)
class Service:
    name: str
    package: str
    client_class: str
    async_client_class: str
    base_error: str
    docstring: str
    operations: tuple[Operation, ...]
    structures: tuple[Structure, ...]
    enums: tuple[Enum, ...]
    errors: tuple[Error, ...]
    client_imports: tuple[str, ...]
    client_lazy_modules: tuple[str, ...]
    aio_imports: tuple[str, ...]
    shapes_imports: tuple[str, ...]
    enums_imports: tuple[str, ...]
    errors_imports: tuple[str, ...]
    shapes_aliases: tuple[str, ...]
    errors_aliases: tuple[str, ...]
    schema: dict[str, Any]
    endpoint_rules: dict[str, Any] | None
    paginators: PaginatorsModule | None = None
    waiters: WaitersModule | None = None
    # Runtime mixins the clients inherit first (codegen/client_methods.py).
    client_mixin: str | None = None
    async_client_mixin: str | None = None
    # The client's ``client_context_params`` keys and their types, as a
    # Python literal (None: the model has no clientContextParams).
    client_context_params: str | None = None

    @property
    def accessors(self) -> tuple[PaginatorsModule | WaitersModule, ...]:
        """The modules the client reaches through get_paginator/get_waiter."""
        return tuple(m for m in (self.paginators, self.waiters) if m is not None)


@dataclass(frozen=True)
class Argument:
    """A keyword parameter of a paginator's or waiter's method."""

    name: str
    type: types.Type
    scope: types.Scope
    default: str | None

    @property
    def annotation(self) -> str:
        return self.type.render(self.scope)

    @property
    def imports(self) -> Iterator[Import]:
        return self.type.imports(self.scope)


@dataclass(frozen=True)
class Paginator:
    """One paginators-1.json entry rendered as a class with ``paginate``."""

    name_literal: str  # boto3's name, as a literal: 'list_job_runs'
    class_name: str
    async_class_name: str  # the asynchronous client's
    docstring: str
    spec: str  # source text of the PaginatorSpec(...) call
    params: tuple[Argument, ...]
    call_args: tuple[tuple[str, str], ...]  # (method keyword literal, parameter)
    paging_call: str  # source text of the max_items, page_size, starting_token args
    page_type: types.Type
    item_type: types.Type
    scope: types.Scope
    paginate_docstring: str

    @property
    def page_class(self) -> str:
        return self.page_type.render(self.scope)

    @property
    def item_annotation(self) -> str:
        return self.item_type.render(self.scope)

    @property
    def imports(self) -> set[Import]:
        typed = (self.page_type, self.item_type)
        return {i for t in typed for i in t.imports(self.scope)} | {
            i for a in self.params for i in a.imports
        }


@dataclass(frozen=True)
class Waiter:
    """One waiters-2.json entry rendered as a class with ``wait``."""

    name_literal: str  # boto3's name, as a literal: 'run_completed'
    class_name: str
    async_class_name: str  # the asynchronous client's
    docstring: str
    spec: str  # source text of the WaiterSpec(...) call
    params: tuple[Argument, ...]
    call_args: tuple[tuple[str, str], ...]
    timing_call: str  # source text of the delay, max_attempts args
    wait_docstring: str

    @property
    def imports(self) -> set[Import]:
        return {i for a in self.params for i in a.imports}


@dataclass(frozen=True)
class PaginatorsModule:
    """``paginators.py``, and the client's ``get_paginator`` that reaches it.

    ``overloaded``: ``get_paginator`` needs ``@overload``s (two or more
    paginators) rather than one signature.
    """

    paginators: tuple[Paginator, ...]
    imports: tuple[str, ...]
    lazy_modules: tuple[str, ...]
    module: str  # the module's name, as the client refers to it
    registry: str  # the module-level name -> class registry
    async_registry: str  # the same, for the asynchronous client
    accessor: str  # the client method
    accessor_param: str
    accessor_docstring: str
    overloaded: bool

    @property
    def entries(self) -> tuple[Paginator, ...]:
        return self.paginators


@dataclass(frozen=True)
class WaitersModule:
    """``waiters.py``, and the client's ``get_waiter`` that reaches it."""

    waiters: tuple[Waiter, ...]
    imports: tuple[str, ...]
    lazy_modules: tuple[str, ...]
    module: str
    registry: str
    async_registry: str
    accessor: str
    accessor_param: str
    accessor_docstring: str
    overloaded: bool

    @property
    def entries(self) -> tuple[Waiter, ...]:
        return self.waiters
