"""Compares two surfaces of one service (``codegen.report.surface``) into changes.

The rules, where the spec leaves room (also in the README):

- Types are compared as the generated annotations read
  (``Sequence[shapes.Tag]``, ``enums.State | str``), not as model shapes: a
  renamed shape that changes no Python name (a string, list or map shape, an
  operation's input shape) is not reported at all.
- A renamed class (a structure or enum whose shape was renamed, found where a
  member or output kept its place but now names a class that did not exist
  before, in place of one that no longer exists) is one ``breaking`` line,
  ``shapes.Old: renamed to shapes.New``: code may name the class (construct it,
  annotate with it, ``isinstance``), whether or not it is only reachable as a
  member's type. The members that refer to it are then compared through the
  rename (no second line for their type), and its fields as one class's.
- Required: a member newly required is ``breaking`` where users pass it
  (parameters, classes an input reaches), an ``addition`` in a class only
  responses carry (it is now always set). A member no longer required is
  ``breaking`` in a class users read (its attribute now reads ``X | None``),
  else an ``addition``. A new required member is breaking where users pass it.
- Limits count only where the runtime validates: parameters and classes an
  input reaches. A ``min`` raised or added, a numeric ``max`` lowered or added
  is ``breaking``; a limit lowered, raised or dropped is an ``addition``.
- An error no longer listed for an operation, or newly listed, is ``docs`` (its
  ``Raises`` section); an error class removed is ``breaking``.
- Deprecation (a warning at call time) is ``docs``. A paginator's or waiter's
  spec (tokens, limit key, acceptors, delays) changing is ``wire``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from codegen import types
from codegen.report.changes import Change, ServiceReport, Severity
from codegen.report.surface import (
    AccessorSurface,
    ClassSurface,
    EnumSurface,
    Limit,
    Member,
    OperationSurface,
    Surface,
)

_LABELS = {
    "location": "location",
    "locationName": "location name",
    "queryName": "query name",
    "timestampFormat": "timestamp format",
    "jsonvalue": "jsonvalue",
    "hostLabel": "host label",
    "http": "HTTP method or URI",
    "endpoint": "host prefix",
    "protocol": "protocol",
}

_PATH_PARTS = re.compile(r"\[\]|\{key\}|\{\}")
_PATH_WORDS = {"[]": "items", "{}": "values", "{key}": "keys"}


def _path(path: str) -> str:
    """A Limit's path as words: '[]{}' -> 'the values of its items'."""
    words = [_PATH_WORDS[p] for p in _PATH_PARTS.findall(path)]
    return "the " + " of the ".join(reversed(words)) if words else ""


def _label(key: str) -> str:
    return _LABELS.get(key, key)


def _show(value: Any) -> str:
    return "none" if value is None else json.dumps(value, sort_keys=True)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def type_text(t: types.Type | None, renames: Mapping[str, str]) -> str:
    """An annotation as the client module writes it, old class names renamed."""
    if t is None:
        return "None"
    if isinstance(t, types.ClassRef):
        name = f"{t.module}.{t.name}"
        return renames.get(name, name)
    if isinstance(t, types.Generic):
        args = ", ".join(type_text(a, renames) for a in t.args)
        return f"{type_text(t.origin, renames)}[{args}]"
    if isinstance(t, types.Union):
        return " | ".join(type_text(o, renames) for o in t.options)
    return t.render(types.CLIENT)


def _align(
    old: types.Type | None, new: types.Type | None, pairs: dict[str, str]
) -> None:
    """Record the classes that take each other's place in two annotations."""
    if isinstance(old, types.ClassRef) and isinstance(new, types.ClassRef):
        if old.module == new.module and old.name != new.name:
            pairs.setdefault(f"{old.module}.{old.name}", f"{new.module}.{new.name}")
    elif isinstance(old, types.Generic) and isinstance(new, types.Generic):
        if old.origin == new.origin and len(old.args) == len(new.args):
            for a, b in zip(old.args, new.args, strict=True):
                _align(a, b, pairs)
    elif isinstance(old, types.Union) and isinstance(new, types.Union):
        if len(old.options) == len(new.options):
            for a, b in zip(old.options, new.options, strict=True):
                _align(a, b, pairs)


def renamed_classes(old: Surface, new: Surface) -> dict[str, str]:
    """Old qualified class name -> new, for classes whose shape was renamed."""
    old_names = set(old.classes) | set(old.enums)
    new_names = set(new.classes) | set(new.enums)
    renames: dict[str, str] = {}
    while True:
        pairs: dict[str, str] = {}
        for method in sorted(set(old.operations) & set(new.operations)):
            a, b = old.operations[method], new.operations[method]
            _align(a.output, b.output, pairs)
            for p in sorted(set(a.params) & set(b.params)):
                _align(a.params[p].type, b.params[p].type, pairs)
        for name in sorted(old.classes):
            other = new.classes.get(renames.get(name, name))
            if other is None:
                continue
            mine = old.classes[name]
            for m in sorted(set(mine.members) & set(other.members)):
                _align(mine.members[m].type, other.members[m].type, pairs)
        found = {
            o: n
            for o, n in sorted(pairs.items())
            if o not in new_names and n not in old_names
        }
        # One to one: a class that two old classes would become is no rename.
        targets = [n for n in found.values()]
        found = {o: n for o, n in found.items() if targets.count(n) == 1}
        if found.items() <= renames.items():
            return renames
        renames.update(found)


class _Comparer:
    def __init__(self, old: Surface, new: Surface) -> None:
        self.old = old
        self.new = new
        self.renames = renamed_classes(old, new)
        self.changes: list[Change] = []

    def add(
        self, severity: Severity, symbol: str, kind: str, change: str, message: str
    ) -> None:
        self.changes.append(Change(severity, symbol, kind, change, message))

    def old_type(self, t: types.Type | None) -> str:
        return type_text(t, self.renames)

    @staticmethod
    def new_type(t: types.Type | None) -> str:
        return type_text(t, {})

    def traits(
        self, symbol: str, kind: str, old: Mapping[str, Any], new: Mapping[str, Any]
    ) -> None:
        for key in sorted(set(old) | set(new)):
            a, b = old.get(key), new.get(key)
            if a != b:
                self.add(
                    Severity.WIRE,
                    symbol,
                    kind,
                    "wire",
                    f"{_label(key)} changed: {_show(a)} -> {_show(b)}",
                )

    def docs(self, symbol: str, kind: str, old: str, new: str) -> None:
        if old != new:
            self.add(Severity.DOCS, symbol, kind, "docs", "documentation changed")

    def deprecation(self, symbol: str, kind: str, old: bool, new: bool) -> None:
        if old != new:
            message = "now deprecated" if new else "no longer deprecated"
            self.add(Severity.DOCS, symbol, kind, "deprecated", message)

    # -- members ------------------------------------------------------------

    def members(
        self,
        old: Mapping[str, Member],
        new: Mapping[str, Member],
        symbol: Callable[[str], str],
        kind: str,
        *,
        constructed: bool,
        read: bool,
    ) -> None:
        for name in sorted(set(old) - set(new)):
            self.add(Severity.BREAKING, symbol(name), kind, "removed", "removed")
        for name in sorted(set(new) - set(old)):
            m = new[name]
            if m.required and constructed:
                message = f"added, required: {self.new_type(m.type)}"
                self.add(Severity.BREAKING, symbol(name), kind, "required", message)
            else:
                message = f"added: {self.new_type(m.type)}"
                self.add(Severity.ADDITION, symbol(name), kind, "added", message)
        for name in sorted(set(old) & set(new)):
            self.member(old[name], new[name], symbol(name), kind, constructed, read)

    def member(
        self,
        old: Member,
        new: Member,
        symbol: str,
        kind: str,
        constructed: bool,
        read: bool,
    ) -> None:
        a, b = self.old_type(old.type), self.new_type(new.type)
        retyped = a != b
        if retyped:
            self.add(
                Severity.BREAKING, symbol, kind, "type", f"type changed: {a} -> {b}"
            )
        if new.required and not old.required:
            if constructed:
                self.add(Severity.BREAKING, symbol, kind, "required", "now required")
            else:
                message = f"now always set: reads as {b}"
                self.add(Severity.ADDITION, symbol, kind, "required", message)
        elif old.required and not new.required:
            if read:
                message = f"no longer required: reads as {b} | None"
                self.add(Severity.BREAKING, symbol, kind, "optional", message)
            else:
                message = "no longer required"
                self.add(Severity.ADDITION, symbol, kind, "optional", message)
        if old.wire != new.wire:
            self.add(
                Severity.WIRE,
                symbol,
                kind,
                "wire",
                f"wire name changed: {_show(old.wire)} -> {_show(new.wire)}",
            )
        self.traits(symbol, kind, old.traits, new.traits)
        if constructed and not retyped:
            self.limits(symbol, kind, old.limits, new.limits)
        self.docs(symbol, kind, old.doc, new.doc)
        self.deprecation(symbol, kind, old.deprecated, new.deprecated)

    def limits(
        self,
        symbol: str,
        kind: str,
        old: tuple[Limit, ...],
        new: tuple[Limit, ...],
    ) -> None:
        def by_key(limits: tuple[Limit, ...]) -> dict[tuple[str, str, str], float]:
            return {(x.path, x.bound, x.kind): x.value for x in limits}

        before, after = by_key(old), by_key(new)
        for key in sorted(set(before) | set(after)):
            path, bound, what = key
            a, b = before.get(key), after.get(key)
            if a == b:
                continue
            where = f"{what} {bound}" + (f" of {_path(path)}" if path else "")
            if b is None:
                assert a is not None
                message = f"{where} {_number(a)} dropped"
                self.add(Severity.ADDITION, symbol, kind, "limit", message)
                continue
            if a is None:
                if bound == "min" and what == "length" and b <= 0:
                    continue
                self.add(
                    Severity.BREAKING,
                    symbol,
                    kind,
                    "limit",
                    f"{where} {_number(b)} added",
                )
                continue
            stricter = b > a if bound == "min" else b < a
            verb = "raised" if b > a else "lowered"
            self.add(
                Severity.BREAKING if stricter else Severity.ADDITION,
                symbol,
                kind,
                "limit",
                f"{where} {verb}: {_number(a)} -> {_number(b)}",
            )

    # -- service parts ------------------------------------------------------------

    def service(self) -> None:
        old, new = self.old, self.new
        if old.client != new.client:
            self.add(
                Severity.BREAKING,
                old.client,
                "service",
                "renamed",
                f"service renamed: the client class is now {new.client}",
            )
        self.traits(new.client, "service", old.traits, new.traits)
        self.docs(new.client, "service", old.doc, new.doc)

    def operations(self) -> None:
        old, new = self.old.operations, self.new.operations
        for method in sorted(set(old) - set(new)):
            symbol = f"{self.old.client}.{method}"
            self.add(Severity.BREAKING, symbol, "operation", "removed", "removed")
        for method in sorted(set(new) - set(old)):
            symbol = f"{self.new.client}.{method}"
            self.add(Severity.ADDITION, symbol, "operation", "added", "added")
        for method in sorted(set(old) & set(new)):
            self.operation(old[method], new[method])

    def operation(self, old: OperationSurface, new: OperationSurface) -> None:
        symbol = f"{self.new.client}.{new.method}"
        self.members(
            old.params,
            new.params,
            lambda p: f"{symbol}({p}=...)",
            "parameter",
            constructed=True,
            read=False,
        )
        a, b = self.old_type(old.output), self.new_type(new.output)
        if a != b:
            message = f"returns {b} instead of {a}"
            self.add(Severity.BREAKING, symbol, "output", "type", message)
        self.traits(symbol, "operation", old.traits, new.traits)
        errors_old = {self.renames.get(e, e) for e in old.errors}
        for error in sorted(set(new.errors) - errors_old):
            message = f"now lists {error} among its errors"
            self.add(Severity.DOCS, symbol, "operation", "docs", message)
        for error in sorted(errors_old - set(new.errors)):
            message = f"no longer lists {error} among its errors"
            self.add(Severity.DOCS, symbol, "operation", "docs", message)
        self.docs(symbol, "operation", old.doc, new.doc)
        self.deprecation(symbol, "operation", old.deprecated, new.deprecated)

    def classes(self) -> None:
        old, new = self.old.classes, self.new.classes
        matched = {name: self.renames.get(name, name) for name in old}
        for name in sorted(old):
            kind = _class_kind(name)
            target = matched[name]
            if target not in new:
                self.add(Severity.BREAKING, name, kind, "removed", "removed")
                continue
            if target != name:
                self.add(
                    Severity.BREAKING,
                    name,
                    kind,
                    "renamed",
                    f"renamed to {target} (its shape was renamed)",
                )
            self.klass(old[name], new[target])
        for name in sorted(set(new) - set(matched.values())):
            self.add(Severity.ADDITION, name, _class_kind(name), "added", "added")

    def klass(self, old: ClassSurface, new: ClassSurface) -> None:
        kind = _class_kind(new.qualname)
        self.members(
            old.members,
            new.members,
            lambda m: f"{new.qualname}.{m}",
            "member",
            constructed=new.constructed,
            read=new.read,
        )
        self.traits(new.qualname, kind, old.traits, new.traits)
        self.docs(new.qualname, kind, old.doc, new.doc)

    def enums(self) -> None:
        old, new = self.old.enums, self.new.enums
        matched = {name: self.renames.get(name, name) for name in old}
        for name in sorted(old):
            target = matched[name]
            if target not in new:
                self.add(Severity.BREAKING, name, "enum", "removed", "removed")
                continue
            if target != name:
                message = f"renamed to {target} (its shape was renamed)"
                self.add(Severity.BREAKING, name, "enum", "renamed", message)
            self.enum(old[name], new[target])
        for name in sorted(set(new) - set(matched.values())):
            self.add(Severity.ADDITION, name, "enum", "added", "added")

    def enum(self, old: EnumSurface, new: EnumSurface) -> None:
        def symbol(member: str) -> str:
            return f"{new.qualname}.{member}"

        for member in sorted(set(old.values) - set(new.values)):
            message = f"removed ({_show(old.values[member])})"
            self.add(
                Severity.BREAKING, symbol(member), "enum-value", "removed", message
            )
        for member in sorted(set(new.values) - set(old.values)):
            message = f"added ({_show(new.values[member])})"
            self.add(Severity.ADDITION, symbol(member), "enum-value", "added", message)
        for member in sorted(set(old.values) & set(new.values)):
            a, b = old.values[member], new.values[member]
            if a != b:
                message = f"value changed: {_show(a)} -> {_show(b)}"
                self.add(
                    Severity.BREAKING, symbol(member), "enum-value", "type", message
                )
        self.docs(new.qualname, "enum", old.doc, new.doc)

    def accessors(
        self,
        kind: str,
        accessor: str,
        old: Mapping[str, AccessorSurface],
        new: Mapping[str, AccessorSurface],
    ) -> None:
        def symbol(client: str, name: str) -> str:
            return f"{client}.{accessor}({name!r})"

        for name in sorted(set(old) - set(new)):
            self.add(
                Severity.BREAKING,
                symbol(self.old.client, name),
                kind,
                "removed",
                "removed",
            )
        for name in sorted(set(new) - set(old)):
            self.add(
                Severity.ADDITION, symbol(self.new.client, name), kind, "added", "added"
            )
        for name in sorted(set(old) & set(new)):
            a, b = old[name], new[name]
            where = symbol(self.new.client, name)
            before, after = self.old_type(a.item_type), self.new_type(b.item_type)
            if before != after:
                message = f"items() type changed: {before} -> {after}"
                self.add(Severity.BREAKING, where, kind, "type", message)
            if a.spec != b.spec:
                what = "paging" if kind == "paginator" else "waiting"
                self.add(Severity.WIRE, where, kind, "wire", f"{what} spec changed")

    def run(self) -> list[Change]:
        self.service()
        self.operations()
        self.classes()
        self.enums()
        self.accessors(
            "paginator", "get_paginator", self.old.paginators, self.new.paginators
        )
        self.accessors("waiter", "get_waiter", self.old.waiters, self.new.waiters)
        return self.changes


def _class_kind(qualname: str) -> str:
    return "error" if qualname.startswith("errors.") else "structure"


def compare(name: str, old: Surface | None, new: Surface | None) -> ServiceReport:
    """The changes from ``old`` to ``new`` (None: absent on that side)."""
    if old is None and new is None:
        return ServiceReport(name, "", ())
    if old is None:
        assert new is not None
        change = Change(Severity.ADDITION, new.client, "service", "added", "added")
        return ServiceReport(name, new.client, (change,))
    if new is None:
        change = Change(Severity.BREAKING, old.client, "service", "removed", "removed")
        return ServiceReport(name, old.client, (change,))
    changes = sorted(set(_Comparer(old, new).run()), key=Change.sort_key)
    return ServiceReport(name, new.client, tuple(changes))
