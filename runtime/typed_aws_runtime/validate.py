"""Client-side validation: everything wrong with an input, in one error.

Checks what the spec lists (required, types, no None in a list or as a map
value, ``min``, numeric ``max``, union arity, host labels, no CR or LF in a
header-bound value) and deliberately not ``max`` lengths, patterns or enum
membership: a client must never refuse what the service would accept.

The host-label and header checks protect the request itself: they also run
with validation off (``bindings.host_prefix``, ``bindings.HttpBindings.bind``).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from typed_aws_runtime.errors import ParamValidationError
from typed_aws_runtime.schema import (
    CompiledCache,
    ListShape,
    MapShape,
    Member,
    Shape,
    StructureShape,
)

_HOST_LABEL = re.compile(r"^[A-Za-z0-9.-]+$")
# Where a top-level member is sent in a header (rest-json, rest-xml; no model
# of another protocol binds a member to a header).
HEADER_LOCATIONS = ("header", "headers")
LINE_BREAK = "must not contain CR or LF (it is sent in a header)"
_TYPE_NAMES = {
    "string": "a str",
    "integer": "an int",
    "long": "an int",
    "float": "a float",
    "double": "a float",
    "boolean": "a bool",
    "blob": "bytes or a binary file",
    "timestamp": "a datetime.datetime",
    "list": "a sequence",
    "map": "a mapping",
}


def validate_input(
    shape: StructureShape, params: Mapping[str, Any], where: str
) -> None:
    """Raise ParamValidationError listing every problem of the top-level input."""
    accepts = _INPUTS.get(shape) or _compile_input(shape)
    if accepts(params):
        return
    # Rejected by the fast check: walk again to say what is wrong. (A value
    # the fast check cannot vouch for is re-examined here, never refused
    # unless this walk finds a problem.)
    problems: list[str] = []
    for wire in shape.required:
        if params.get(wire) is None:
            problems.append(f"{where}.{shape.members[wire].python}: required")
    for wire, value in params.items():
        if value is None:
            continue
        member = shape.members[wire]
        if member.jsonvalue:
            _document(value, f"{where}.{member.python}", problems)
        elif not _scalar_ok(member.shape, value):
            _value(member.shape, value, f"{where}.{member.python}", problems)
        if (
            member.host_label
            and isinstance(value, str)
            and not _HOST_LABEL.match(value)
        ):
            problems.append(
                f"{where}.{member.python}: {value!r} is not a valid host label"
            )
        if member.location in HEADER_LOCATIONS:
            _header_value(member, value, f"{where}.{member.python}", problems)
    if problems:
        raise ParamValidationError(problems)


# -- the fast check ----------------------------------------------------------------
#
# Per shape, a predicate compiled once from the schema: True exactly when the
# walk below would find no problem. It builds no path strings and looks at no
# attribute of the schema per call; the walk only runs for rejected input.

_Check = Callable[[Any], bool]
_INPUTS: dict[StructureShape, _Check] = {}
_CHECKS: CompiledCache[_Check] = CompiledCache(lambda shape: _compile_check(shape))


def _compile_input(shape: StructureShape) -> _Check:
    plan = tuple(
        (
            wire,
            wire in shape.required,
            _string_min(member.shape) if not member.jsonvalue else -1,
            _document_ok if member.jsonvalue else _check(member.shape),
            member.host_label,
        )
        for wire, member in shape.members.items()
    )
    known = frozenset(shape.members)
    # Only operations with header-bound members pay for this check.
    headers = tuple(
        (wire, _header_check(member))
        for wire, member in shape.members.items()
        if member.location in HEADER_LOCATIONS
    )

    def accepts(params: Mapping[str, Any]) -> bool:
        if not known.issuperset(params):
            return False
        get = params.get
        for wire, required, string_min, ok, host_label in plan:
            value = get(wire)
            if value is None:
                if required:
                    return False
                continue
            if string_min >= 0:  # most members: checked here, without a call
                if not isinstance(value, str) or len(value) < string_min:
                    return False
            elif not ok(value):
                return False
            if host_label and isinstance(value, str) and not _HOST_LABEL.match(value):
                return False
        return True

    def accepts_headers(params: Mapping[str, Any]) -> bool:
        if not accepts(params):
            return False
        get = params.get
        for wire, safe in headers:
            value = get(wire)
            if value is not None and not safe(value):
                return False
        return True

    check = accepts_headers if headers else accepts
    _INPUTS[shape] = check
    return check


def _string_min(shape: Shape) -> int:
    """A string shape's minimum length (0 without one); -1 for other shapes."""
    if shape.type != "string":
        return -1
    return int(shape.min or 0)


def _check(shape: Shape) -> _Check:
    return _CHECKS.get(shape)


def _compile_check(shape: Shape) -> _Check:
    kind = shape.type
    low, high = shape.min, shape.max
    if kind == "string":
        if low is None:
            return _is_str
        return lambda v: isinstance(v, str) and len(v) >= low
    if kind in ("integer", "long", "float", "double"):
        is_number = _is_int if kind in ("integer", "long") else _is_number
        if low is None and high is None:
            return is_number
        return lambda v: (
            is_number(v) and (low is None or v >= low) and (high is None or v <= high)
        )
    if kind == "list":
        assert isinstance(shape, ListShape)
        return _compile_list(shape)
    if kind == "map":
        assert isinstance(shape, MapShape)
        return _compile_map(shape)
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        return _document_ok if shape.document else _compile_structure(shape)
    return lambda v: _type_ok(kind, v)


def _compile_list(shape: ListShape) -> _Check:
    low = shape.min
    inner = _check(shape.member.shape)

    def check(value: Any) -> bool:
        if not _type_ok("list", value) or (low is not None and len(value) < low):
            return False
        for item in value:
            if item is None or not inner(item):
                return False
        return True

    return check


def _compile_map(shape: MapShape) -> _Check:
    low = shape.min
    inner = _check(shape.value.shape)

    def check(value: Any) -> bool:
        if not _type_ok("map", value) or (low is not None and len(value) < low):
            return False
        for key, item in value.items():
            if not isinstance(key, str) or item is None or not inner(item):
                return False
        return True

    return check


def _compile_structure(shape: StructureShape) -> _Check:
    cls = shape.cls
    union = shape.union
    members: list[tuple[str, bool, int, _Check]] = []
    # An instance of the class itself holds what was set in its __dict__
    # (every field the class leaves unset reads None): only those are walked,
    # one for a union of ten members instead of ten.
    by_name: dict[str, tuple[int, _Check]] = {}
    required: list[str] = []
    exact = [False]

    def check(value: Any) -> bool:
        if exact[0] and type(value) is cls:
            given = value.__dict__
            found = 0
            for name, item in given.items():
                if item is None:
                    continue
                spec = by_name.get(name)
                if spec is None:
                    continue
                found += 1
                string_min, ok = spec
                if string_min >= 0:
                    if not isinstance(item, str) or len(item) < string_min:
                        return False
                elif not ok(item):
                    return False
            for name in required:
                if given.get(name) is None:
                    return False
            return found == 1 or not union
        if cls is not None and not isinstance(value, cls):
            return False
        found = 0
        for name, is_required, string_min, ok in members:
            item = getattr(value, name, None)
            if item is None:
                if is_required:
                    return False
                continue
            found += 1
            if string_min >= 0:
                if not isinstance(item, str) or len(item) < string_min:
                    return False
            elif not ok(item):
                return False
        return found == 1 or not union

    # Registered before its members are compiled: shapes may recurse.
    _CHECKS.register(shape, check)
    members.extend(
        (m.python, m.wire in shape.required, _string_min(m.shape), _check(m.shape))
        for m in shape.members.values()
    )
    for name, is_required, string_min, ok in members:
        by_name[name] = (string_min, ok)
        if is_required:
            required.append(name)
    exact[0] = cls is not None and all(
        getattr(cls, name, None) is None for name in by_name
    )
    return check


def _is_str(value: Any) -> bool:
    return isinstance(value, str)


def _is_int(value: Any) -> bool:
    return type(value) is int or (
        isinstance(value, int) and not isinstance(value, bool)
    )


def _is_number(value: Any) -> bool:
    return type(value) is float or (
        isinstance(value, (int, float)) and not isinstance(value, bool)
    )


def has_line_break(value: Any) -> bool:
    """Whether a str has a CR or LF (which would end a header line)."""
    return isinstance(value, str) and ("\r" in value or "\n" in value)


def _header_check(member: Member) -> _Check:
    """True for a header-bound value without CR or LF. Values of another type
    pass: the type check reports them, and only strings can carry a line
    break (numbers, booleans, timestamps and base64 cannot)."""
    shape = member.shape
    if member.location == "headers":
        return lambda v: not isinstance(v, Mapping) or not any(
            has_line_break(k) or has_line_break(i) for k, i in v.items()
        )
    if shape.type == "list":
        return lambda v: not _is_sequence(v) or not any(has_line_break(i) for i in v)
    return lambda v: not has_line_break(v)


def _header_value(member: Member, value: Any, path: str, problems: list[str]) -> None:
    """The explaining walk's header check (the value itself is never shown:
    a header may carry a secret)."""
    if member.location == "headers":
        if isinstance(value, Mapping):
            for key, item in value.items():
                if has_line_break(key):
                    problems.append(f"{path}[{key!r}]: the key {LINE_BREAK}")
                if has_line_break(item):
                    problems.append(f"{path}[{key!r}]: {LINE_BREAK}")
    elif member.shape.type == "list" and _is_sequence(value):
        for i, item in enumerate(value):
            if has_line_break(item):
                problems.append(f"{path}[{i}]: {LINE_BREAK}")
    elif has_line_break(value):
        problems.append(f"{path}: {LINE_BREAK}")


def _is_sequence(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


def _document_ok(value: Any) -> bool:
    problems: list[str] = []
    _document(value, "", problems)
    return not problems


# -- the walk that explains ----------------------------------------------------------


_CONTAINERS = frozenset({"structure", "list", "map"})


def _scalar_ok(shape: Shape, value: Any) -> bool:
    """True for a valid scalar: the fast path, with no path string built."""
    kind = shape.type
    if kind == "string":
        return isinstance(value, str) and (shape.min is None or len(value) >= shape.min)
    if kind in _CONTAINERS or not _type_ok(kind, value):
        return False
    if kind in ("integer", "long", "float", "double"):
        return (shape.min is None or value >= shape.min) and (
            shape.max is None or value <= shape.max
        )
    return True


def _value(shape: Shape, value: Any, path: str, problems: list[str]) -> None:
    """Check a value that ``_scalar_ok`` did not pass (callers test it first)."""
    kind = shape.type
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        if shape.document:
            _document(value, path, problems)
        else:
            _structure(shape, value, path, problems)
        return
    if not _type_ok(kind, value):
        problems.append(
            f"{path}: expected {_TYPE_NAMES.get(kind, kind)}, "
            f"got {type(value).__name__}"
        )
        return
    if kind == "list":
        assert isinstance(shape, ListShape)
        _min_length(shape, value, path, problems)
        inner = shape.member.shape
        for i, item in enumerate(value):
            if item is None:
                problems.append(f"{path}[{i}]: None is not allowed in a list")
            elif not _scalar_ok(inner, item):
                _value(inner, item, f"{path}[{i}]", problems)
    elif kind == "map":
        assert isinstance(shape, MapShape)
        _min_length(shape, value, path, problems)
        inner = shape.value.shape
        for key, item in value.items():
            if not isinstance(key, str):
                problems.append(f"{path}: key {key!r} is not a str")
            if item is None:
                problems.append(f"{path}[{key!r}]: None is not allowed as a map value")
            elif not _scalar_ok(inner, item):
                _value(inner, item, f"{path}[{key!r}]", problems)
    elif kind == "string":
        _min_length(shape, value, path, problems)
    elif kind in ("integer", "long", "float", "double"):
        # A sensitive value is never repeated back, not even in an error.
        shown = "the value" if shape.sensitive else repr(value)
        if shape.min is not None and value < shape.min:
            problems.append(f"{path}: {shown} is below the minimum {shape.min}")
        if shape.max is not None and value > shape.max:
            problems.append(f"{path}: {shown} is above the maximum {shape.max}")
    # Blobs have no length check: the spec lists strings, lists and maps, and
    # botocore's validator never checks a blob's min either.


def _type_ok(kind: str, value: Any) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind in ("integer", "long"):
        return isinstance(value, int) and not isinstance(value, bool)
    if kind in ("float", "double"):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "blob":
        return isinstance(value, (bytes, bytearray)) or callable(
            getattr(value, "read", None)
        )
    if kind == "timestamp":
        return isinstance(value, datetime.datetime)
    # Plain lists and dicts first: an ABC isinstance check is slow.
    if kind == "list":
        return type(value) is list or (
            isinstance(value, Sequence)
            and not isinstance(value, (str, bytes, bytearray))
        )
    if kind == "map":
        return type(value) is dict or isinstance(value, Mapping)
    return True


def _min_length(shape: Shape, value: Any, path: str, problems: list[str]) -> None:
    if shape.min is not None and len(value) < shape.min:
        problems.append(f"{path}: length {len(value)} is below the minimum {shape.min}")


def _structure(
    shape: StructureShape, value: Any, path: str, problems: list[str]
) -> None:
    cls = shape.cls
    if cls is not None and not isinstance(value, cls):
        problems.append(f"{path}: expected {cls.__name__}, got {type(value).__name__}")
        return
    set_members = 0
    required = shape.required
    for member in shape.members.values():
        item = getattr(value, member.python, None)
        if item is None:
            if member.wire in required:
                problems.append(f"{path}.{member.python}: required")
            continue
        set_members += 1
        if not _scalar_ok(member.shape, item):
            _value(member.shape, item, f"{path}.{member.python}", problems)
    if shape.union and set_members != 1:
        names = ", ".join(m.python for m in shape.members.values())
        problems.append(
            f"{path}: exactly one of {names} must be set, found {set_members}"
        )


def _document(value: Any, path: str, problems: list[str]) -> None:
    if value is None or isinstance(value, (bool, int, float, str)):
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                problems.append(f"{path}: document keys must be str, got {key!r}")
            _document(item, f"{path}[{key!r}]", problems)
    elif isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray)):
        for i, item in enumerate(value):
            _document(item, f"{path}[{i}]", problems)
    else:
        problems.append(f"{path}: {type(value).__name__} is not a JSON value")
