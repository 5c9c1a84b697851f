"""Endpoint parameters an operation binds from its model and its input.

botocore's ``EndpointRulesetResolver._resolve_param_from_context``: for each
rule-set parameter, an operation's ``staticContextParams`` value wins, then
the input member whose ``contextParam`` names it, then the
``operationContextParams`` path evaluated over the input (a JMESPath
expression; the subset the models use is compiled here: fields, ``[*]``
projections, multi-select lists, ``[]`` flattening and ``keys(...)``).

An operation's plan is compiled once, with its schema; an operation that
binds nothing has no plan, and its calls keep the client's endpoint.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typed_aws_runtime.schema import Shape, StructureShape

__all__ = ["EndpointContext", "compile_context"]

# A compiled path: the input (a Mapping keyed by wire name, or a structure)
# to the value, None when absent.
_Path = Callable[[Any], Any]
_TOKEN_RE = re.compile(r"\s*(\[\*\]|\[\]|[\[\].,()]|[A-Za-z_][A-Za-z0-9_]*)")


class EndpointContext:
    """What one operation binds: values fixed by the model, input members,
    and paths into the input, each keyed by rule-set parameter name."""

    __slots__ = ("static", "members", "paths", "arn_member")

    def __init__(
        self,
        static: Mapping[str, object],
        members: Mapping[str, str],
        paths: Mapping[str, _Path],
    ) -> None:
        self.static = dict(static)
        self.members = dict(members)
        self.paths = dict(paths)
        # S3 (botocore's customize_endpoint_resolver_builtins): a bucket given
        # as an ARN is never addressed path-style.
        self.arn_member: str | None = None

    def values(
        self, names: Sequence[str], params: Mapping[str, Any] | None
    ) -> dict[str, object]:
        """The values this call binds, for the rule-set parameters ``names``
        (botocore's order: static, then member, then path)."""
        out: dict[str, object] = {}
        call = params or {}
        for name in names:
            value: object = self.static.get(name)
            if value is None and name in self.members:
                value = call.get(self.members[name])
            if value is None and name in self.paths:
                value = self.paths[name](call)
            if value is not None:
                out[name] = value
        member = self.arn_member
        if (
            member is not None
            and "ForcePathStyle" in names
            and "ForcePathStyle" not in self.static  # GetBucketLocation's wins
        ):
            bucket = call.get(member)
            if (
                isinstance(bucket, str)
                and bucket.startswith("arn:")
                and bucket.count(":") >= 5
            ):
                out["ForcePathStyle"] = False
        return out


def compile_context(
    spec: Mapping[str, Any], input_shape: StructureShape | None
) -> EndpointContext | None:
    """The plan of an operation's schema entry, None if it binds nothing."""
    static = {
        name: entry["value"]
        for name, entry in (spec.get("staticContextParams") or {}).items()
        if isinstance(entry, Mapping) and "value" in entry
    }
    members: dict[str, str] = {}
    if input_shape is not None:
        for wire, member in input_shape.members.items():
            if member.context_param is not None:
                members.setdefault(member.context_param, wire)
    paths = {
        name: compile_path(entry["path"], input_shape)
        for name, entry in (spec.get("operationContextParams") or {}).items()
        if isinstance(entry, Mapping) and isinstance(entry.get("path"), str)
    }
    if not (static or members or paths):
        return None
    return EndpointContext(static, members, paths)


# -- the JMESPath subset ---------------------------------------------------------


class _Parser:
    """A Pratt-style parser of the subset, as jmespath's binding powers
    have it: a projection's right side takes fields, multi-selects and
    nested projections, and stops at ``[]``, which flattens all it follows.
    Fields are looked up by wire name in a mapping and by the member's
    Python name in a structure (known from the shape being walked)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[str] = []
        position = 0
        text = text.rstrip()
        while position < len(text):
            match = _TOKEN_RE.match(text, position)
            if match is None:
                raise self.error()
            self.tokens.append(match.group(1))
            position = match.end()
        self.index = 0

    def error(self) -> ValueError:
        return ValueError(f"unsupported operationContextParams path: {self.text!r}")

    def peek(self) -> str | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise self.error()
        self.index += 1
        return token

    def expression(self, shape: Shape | None) -> tuple[_Path, Shape | None]:
        path, shape = self.primary(shape)
        while True:
            token = self.peek()
            if token == ".":
                self.take()
                following, shape = self.primary(shape)
                path = _then(path, following)
            elif token == "[*]":
                self.take()
                each, _ = self.projected(_element(shape))
                path, shape = _project(path, each), None
            elif token == "[]":
                self.take()
                each, _ = self.projected(None)
                path, shape = _project(_flatten(path), each), None
            else:
                return path, shape

    def projected(self, shape: Shape | None) -> tuple[_Path, Shape | None]:
        """The right side of a projection, applied to each element."""
        path: _Path = _identity
        while True:
            token = self.peek()
            if token == ".":
                self.take()
                following, shape = self.primary(shape)
                path = _then(path, following)
            elif token == "[*]":
                self.take()
                each, _ = self.projected(_element(shape))
                path, shape = _project(path, each), None
            else:
                return path, shape

    def primary(self, shape: Shape | None) -> tuple[_Path, Shape | None]:
        token = self.take()
        if token == "[":
            items = [self.expression(shape)[0]]
            while self.peek() == ",":
                self.take()
                items.append(self.expression(shape)[0])
            self.take("]")
            return _multi(items), None
        if token == "keys" and self.peek() == "(":
            self.take()
            inner, _ = self.expression(shape)
            self.take(")")
            return _keys(inner), None
        if not (token[0].isalpha() or token[0] == "_"):
            raise self.error()
        members = getattr(shape, "members", None)
        member = members.get(token) if isinstance(members, dict) else None
        if member is None:
            return _field(token, None), None
        return _field(token, member.python), member.shape


def compile_path(text: str, input_shape: Shape | None = None) -> _Path:
    """A callable evaluating ``text`` (the JMESPath subset) over an input:
    a mapping keyed by wire name, or the structures the shapes describe."""
    parser = _Parser(text)
    path, _ = parser.expression(input_shape)
    if parser.peek() is not None:
        raise parser.error()
    return path


def _element(shape: Shape | None) -> Shape | None:
    member = getattr(shape, "member", None)
    return getattr(member, "shape", None)


def _identity(value: Any) -> Any:
    return value


def _field(wire: str, python: str | None) -> _Path:
    def field(value: Any) -> Any:
        if isinstance(value, Mapping):
            return value.get(wire)
        if python is None or value is None:
            return None
        return getattr(value, python, None)

    return field


def _then(first: _Path, second: _Path) -> _Path:
    def then(value: Any) -> Any:
        found = first(value)
        return None if found is None else second(found)

    return then


def _project(source: _Path, each: _Path) -> _Path:
    """A projection: ``each`` of the list's elements, None results dropped."""

    def project(value: Any) -> Any:
        found = source(value)
        if not isinstance(found, (list, tuple)):
            return None
        return [r for r in map(each, found) if r is not None]

    return project


def _flatten(source: _Path) -> _Path:
    def flatten(value: Any) -> Any:
        found = source(value)
        if not isinstance(found, (list, tuple)):
            return None
        out: list[Any] = []
        for item in found:
            if isinstance(item, (list, tuple)):
                out.extend(item)
            else:
                out.append(item)
        return out

    return flatten


def _multi(items: Sequence[_Path]) -> _Path:
    def multi(value: Any) -> Any:
        return None if value is None else [item(value) for item in items]

    return multi


def _keys(inner: _Path) -> _Path:
    def keys(value: Any) -> Any:
        found = inner(value)
        return list(found) if isinstance(found, Mapping) else None

    return keys
