"""Annotations as values that render themselves where they are written.

A :class:`Type` is a small tree: builtins, symbols of the standard library and
the runtime (``codegen.symbols``), the service's classes (:class:`ClassRef`),
generics and unions. Given a :class:`Scope` (the generated module it is
written in, and the names a field of the same class shadows) it renders its
text, lists the :class:`~codegen.imports.Import` s that text needs, and names
what it writes through a module-level alias (``_scope`` for ``scope``). The
imports do not depend on the shadowing, so an alias always has its name
imported.

A class is referred to

- in ``client.py``, ``paginators.py`` and ``waiters.py`` (:data:`LAZY_MODULES`)
  through its module, loaded lazily: ``shapes.JobDriver``, which needs the
  package's module ``shapes`` (``Import(".", "shapes")``, see :func:`lazy_split`);
- in its own module by its bare name;
- elsewhere by its bare name, imported from ``.shapes`` or ``.enums``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from codegen import symbols
from codegen.imports import Import

# Modules that reach the service's classes through lazily loaded modules.
LAZY_MODULES = frozenset(
    {symbols.CLIENT_MODULE, symbols.PAGINATORS_MODULE, symbols.WAITERS_MODULE}
)


@dataclass(frozen=True)
class Scope:
    """Where an annotation is written: a generated module, and the names a
    field of the class it is written in shadows (written ``_name``)."""

    module: str
    shadowed: frozenset[str] = frozenset()

    @property
    def lazy(self) -> bool:
        return self.module in LAZY_MODULES


CLIENT = Scope(symbols.CLIENT_MODULE)
PAGINATORS = Scope(symbols.PAGINATORS_MODULE)
WAITERS = Scope(symbols.WAITERS_MODULE)
# Text for people (docstrings): every class by its bare name; nothing imported.
PROSE = Scope("")


class Type(ABC):
    """An annotation."""

    @abstractmethod
    def render(self, scope: Scope) -> str:
        """The annotation's source text in ``scope``."""

    @abstractmethod
    def imports(self, scope: Scope) -> Iterator[Import]:
        """What the text needs imported at module level."""

    @abstractmethod
    def aliased(self, scope: Scope) -> Iterator[str]:
        """The module-level names the text refers to through ``_name``."""


class _Reference(Type):
    """A leaf: one module-level name, possibly followed by ``.attribute``."""

    @abstractmethod
    def reference(self, scope: Scope) -> tuple[str, str, Import | None]:
        """(the module-level name, what follows it, the import binding it)."""

    def render(self, scope: Scope) -> str:
        name, rest, _ = self.reference(scope)
        return ("_" if name in scope.shadowed else "") + name + rest

    def imports(self, scope: Scope) -> Iterator[Import]:
        imp = self.reference(scope)[2]
        if imp is not None:
            yield imp

    def aliased(self, scope: Scope) -> Iterator[str]:
        name = self.reference(scope)[0]
        if name in scope.shadowed:
            yield name


@dataclass(frozen=True)
class Builtin(_Reference):
    """``str``, ``int``, ``None``...: nothing to import."""

    name: str

    def reference(self, scope: Scope) -> tuple[str, str, Import | None]:
        return self.name, "", None


@dataclass(frozen=True)
class Symbol(_Reference):
    """A name from ``codegen.symbols``, or an attribute of an imported module
    (``Symbol(symbols.DATETIME, "datetime")``: ``datetime.datetime``)."""

    symbol: Import
    attribute: str = ""

    def reference(self, scope: Scope) -> tuple[str, str, Import | None]:
        rest = f".{self.attribute}" if self.attribute else ""
        return self.symbol.binds, rest, self.symbol


@dataclass(frozen=True)
class ClassRef(_Reference):
    """A class of the service, defined in ``module`` (``shapes`` or ``enums``)."""

    name: str
    module: str

    def reference(self, scope: Scope) -> tuple[str, str, Import | None]:
        if scope.module == self.module:
            return self.name, "", None
        if scope.lazy:
            return self.module, f".{self.name}", Import(".", self.module)
        return self.name, "", Import(f".{self.module}", self.name)


@dataclass(frozen=True)
class Generic(Type):
    """``Sequence[X]``, ``Mapping[str, X]``, ``IO[bytes]``, ``PageIterator[P, I]``."""

    origin: Type
    args: tuple[Type, ...]

    def render(self, scope: Scope) -> str:
        args = ", ".join(a.render(scope) for a in self.args)
        return f"{self.origin.render(scope)}[{args}]"

    def imports(self, scope: Scope) -> Iterator[Import]:
        for t in (self.origin, *self.args):
            yield from t.imports(scope)

    def aliased(self, scope: Scope) -> Iterator[str]:
        for t in (self.origin, *self.args):
            yield from t.aliased(scope)


@dataclass(frozen=True)
class Union(Type):
    """``X | Y``; a union among the options reads the same without brackets."""

    options: tuple[Type, ...]

    def render(self, scope: Scope) -> str:
        return " | ".join(t.render(scope) for t in self.options)

    def imports(self, scope: Scope) -> Iterator[Import]:
        for t in self.options:
            yield from t.imports(scope)

    def aliased(self, scope: Scope) -> Iterator[str]:
        for t in self.options:
            yield from t.aliased(scope)


STR = Builtin("str")
INT = Builtin("int")
FLOAT = Builtin("float")
BOOL = Builtin("bool")
BYTES = Builtin("bytes")
NONE = Builtin("None")
DATETIME = Symbol(symbols.DATETIME, "datetime")
DOCUMENT = Symbol(symbols.DOCUMENT)
STREAMING_BODY = Symbol(symbols.STREAMING_BODY)
ASYNC_STREAMING_BODY = Symbol(symbols.ASYNC_STREAMING_BODY)
ANY = Symbol(symbols.ANY)


def sequence(item: Type) -> Generic:
    return Generic(Symbol(symbols.SEQUENCE), (item,))


def mapping(key: Type, value: Type) -> Generic:
    return Generic(Symbol(symbols.MAPPING), (key, value))


def iterable(item: Type) -> Generic:
    return Generic(Symbol(symbols.ITERABLE), (item,))


def event_stream(item: Type) -> Generic:
    """``events.EventStream[X]``: the events of a response, as they arrive."""
    return Generic(Symbol(symbols.EVENTS, "EventStream"), (item,))


def async_event_stream(item: Type) -> Generic:
    """``events.AsyncEventStream[X]``: the asynchronous client's."""
    return Generic(Symbol(symbols.EVENTS, "AsyncEventStream"), (item,))


def asynchronous(t: Type) -> Type:
    """The type the asynchronous client gives where the blocking one gives
    ``t``: its streaming body and event streams are read with ``await``."""
    if t == STREAMING_BODY:
        return ASYNC_STREAMING_BODY
    if isinstance(t, Generic) and t.origin == Symbol(symbols.EVENTS, "EventStream"):
        return async_event_stream(t.args[0])
    if isinstance(t, Union):
        return Union(tuple(asynchronous(o) for o in t.options))
    return t


def io(item: Type) -> Generic:
    return Generic(Symbol(symbols.IO), (item,))


def optional(t: Type) -> Union:
    return Union((t, NONE))


def lazy_split(needed: Iterable[Import]) -> tuple[frozenset[Import], tuple[str, ...]]:
    """A lazy module's imports, and the package's modules it loads lazily.

    The package's modules it names (``Import(".", "shapes")``) are imported
    for type checkers only and bound at run time to a lazily loaded proxy,
    which takes ``TYPE_CHECKING`` and ``lazy_module``.
    """
    needed = set(needed)
    lazy = tuple(sorted({i.binds for i in needed if i.module == "."}))
    eager = {i for i in needed if i.module != "."}
    if lazy:
        eager |= {symbols.TYPE_CHECKING, symbols.LAZY_MODULE}
    return frozenset(eager), lazy
