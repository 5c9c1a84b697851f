"""Base classes of the generated structures, unions and documents.

Generated classes declare only annotated fields. ``dataclass_transform`` lets
type checkers see a keyword-only constructor, while at run time one shared
``__init__`` fills the instance: creating hundreds of classes at import costs
no ``exec`` per class, which keeps a cold start cheap.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from reprlib import recursive_repr
from typing import Any, ClassVar, Union, dataclass_transform

# A JSON value, as documents carry them.
Document = Union[  # noqa: UP007 - a recursive alias, which mypy resolves through Union
    None, bool, int, float, str, Sequence["Document"], Mapping[str, "Document"]
]

_REDACTED = "*** sensitive ***"
# Pairs of structures being compared on this thread: a structure that holds
# itself (a cycle made by a caller) compares without endless recursion.
_COMPARING = threading.local()


@dataclass_transform(kw_only_default=True, eq_default=True)
class Structure:
    """A modelled structure: keyword construction, equality, a safe repr."""

    __fields__: ClassVar[frozenset[str]] = frozenset()
    __field_order__: ClassVar[tuple[str, ...]] = ()
    _sensitive_: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        order = tuple(cls.__dict__.get("__annotations__", ()))
        cls.__field_order__ = order
        cls.__fields__ = frozenset(order)
        for name in order:
            # A required field with no value reads as None; validation reports it.
            if name not in cls.__dict__:
                setattr(cls, name, None)

    # ``self`` positional-only: a member may be named ``self``.
    def __init__(self, /, **values: Any) -> None:
        if not self.__fields__.issuperset(values):
            unknown = values.keys() - self.__fields__
            raise TypeError(
                f"{type(self).__name__}() got unexpected keyword argument(s): "
                + ", ".join(sorted(unknown))
            )
        self.__dict__.update(values)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        if other is self:
            return True
        pairs: set[tuple[int, int]] | None = getattr(_COMPARING, "pairs", None)
        if pairs is None:
            pairs = _COMPARING.pairs = set()
        key = (id(self), id(other))
        if key in pairs:
            # Met again below itself: equal unless a difference shows
            # elsewhere (the comparison of two cycles, as a bisimulation).
            return True
        pairs.add(key)
        try:
            return all(
                getattr(self, name) == getattr(other, name)
                for name in self.__field_order__
            )
        finally:
            pairs.discard(key)

    __hash__ = None  # type: ignore[assignment]  # mutable, like a dataclass

    @recursive_repr("...")
    def __repr__(self) -> str:
        parts = []
        for name in self.__field_order__:
            value = getattr(self, name)
            if value is None:
                continue
            if name in self._sensitive_:
                shown = _REDACTED
            else:
                try:
                    shown = repr(value)
                except RecursionError:
                    # Nested deeper than the interpreter's stack: elided.
                    shown = "..."
            parts.append(f"{name}={shown}")
        return f"{type(self).__name__}({', '.join(parts)})"


@dataclass_transform(kw_only_default=True, eq_default=True)
class TaggedUnion(Structure):
    """A modelled union: exactly one field is set (validation enforces it).

    A union parsed from a response whose member this client does not know
    has no field set and names that member in ``sdk_unknown_member``
    (botocore's ``SDK_UNKNOWN_MEMBER``).
    """

    sdk_unknown_member: ClassVar[str | None] = None


def set_fields(obj: Structure) -> dict[str, Any]:
    """The fields of ``obj`` that hold a value, by Python name.

    A function, not a method: a structure's attributes are its members' names,
    whatever the model calls them (``set_fields`` included).
    """
    return {n: v for n in obj.__field_order__ if (v := getattr(obj, n)) is not None}


def build(cls: type | None, values: dict[str, Any]) -> Any:
    """A structure of class ``cls`` holding ``values`` (by Python name), made
    without the keyword check a caller's construction pays; a plain dict for
    shapes without a class."""
    if cls is None:
        return values
    obj: Structure = object.__new__(cls)
    obj.__dict__.update(values)
    return obj
