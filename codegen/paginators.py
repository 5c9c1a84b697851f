"""Resolves ``paginators-1.json`` and ``waiters-2.json`` into IR.

Each paginator becomes a class whose ``paginate`` takes the operation's
keyword arguments (less the input tokens) plus ``max_items``, ``page_size``
(where the operation has a limit key) and ``starting_token``; each waiter a
class whose ``wait`` takes the operation's arguments plus ``delay`` and
``max_attempts`` (defaults from the model). The model's entry itself goes to
the runtime as a spec literal (``typed_aws_runtime.paginate`` and ``.waiter``
follow botocore's semantics from it). Names are boto3's: ``xform_name`` of
the operation for paginators, of the waiter name for waiters.

Docstrings stay short on purpose: the operation's arguments are documented
on the client method, so they are referred to rather than repeated.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from botocore import xform_name

from codegen import docstrings, imports, ir, naming, symbols, types
from codegen.errors import ModelError
from codegen.imports import Import
from codegen.literals import string_literal
from codegen.loader import OPTIONAL_FILES
from codegen.resolved import ResolvedModel

PAGINATORS_FILE = OPTIONAL_FILES["paginators"]
WAITERS_FILE = OPTIONAL_FILES["waiters"]
PAGING_ARGS = ("max_items", "page_size", "starting_token")
TIMING_ARGS = ("delay", "max_attempts")
MATCHERS = ("path", "pathAll", "pathAny", "status", "error")
STATES = ("success", "failure", "retry")
_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*\Z")
PAGINATORS_REGISTRY = "PAGINATORS"
WAITERS_REGISTRY = "WAITERS"
ASYNC_PAGINATORS_REGISTRY = "ASYNC_PAGINATORS"
ASYNC_WAITERS_REGISTRY = "ASYNC_WAITERS"
# Names the two modules import or define besides their classes.
_MODULE_NAMES = frozenset(
    {s.binds for s in symbols.ACCESSOR_MODULES + symbols.ANNOTATION}
    | set(symbols.PACKAGE_MODULES)
    | {
        PAGINATORS_REGISTRY,
        WAITERS_REGISTRY,
        ASYNC_PAGINATORS_REGISTRY,
        ASYNC_WAITERS_REGISTRY,
    }
)


def resolve(
    r: ResolvedModel, operations: tuple[ir.Operation, ...]
) -> tuple[ir.PaginatorsModule | None, ir.WaitersModule | None]:
    """The paginators and waiters modules of one service (None: no such file)."""
    by_name = {op.name: op for op in operations}
    return _Paginators(r, by_name).module(), _Waiters(r, by_name).module()


def value_literal(value: Any) -> str:
    """A JSON value from a model as Python source text (strings escaped)."""
    if isinstance(value, str):
        return string_literal(value)
    if value is None or isinstance(value, (bool, int)):
        return repr(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value!r}")
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(value_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        items = (f"{string_literal(k)}: {value_literal(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    raise ValueError(f"not a JSON value: {type(value).__name__}")


def _tuple(items: list[str]) -> str:
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _rename(
    params: tuple[ir.Field, ...], reserved: tuple[str, ...]
) -> list[tuple[ir.Field, str]]:
    """Each parameter with its name here: one a reserved name takes gets ``_``."""
    taken = set(reserved) | {"self"} | {p.name for p in params}
    out = []
    for p in params:
        name = p.name
        if name in reserved:
            name = naming.unique(name + "_", taken)
        out.append((p, name))
    return out


def _arguments(
    renamed: list[tuple[ir.Field, str]], scope: types.Scope
) -> list[ir.Argument]:
    return [ir.Argument(name, p.full_type, scope, p.default) for p, name in renamed]


def _optional(name: str, t: types.Type, scope: types.Scope) -> ir.Argument:
    return ir.Argument(name, types.optional(t), scope, "None")


def _module_imports(
    needed: Iterable[Import],
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The import lines of the module, and the modules it loads lazily."""
    eager, lazy = types.lazy_split(needed)
    return imports.lines(eager), lazy


class _Base:
    filename = ""
    key = ""
    scope: types.Scope  # the module's: where its annotations are written

    def __init__(
        self, r: ResolvedModel, operations: Mapping[str, ir.Operation]
    ) -> None:
        self.r = r
        self.operations = operations
        self.taken: set[str] = set(_MODULE_NAMES)
        document = getattr(r.files, self.key)
        self.document: dict[str, Any] | None = document
        self.file = r.files.file(self.filename)

    def error(self, path: list[str | int], message: str) -> ModelError:
        return ModelError(self.file, path, message)

    def entries(self, top: str) -> dict[str, Any]:
        assert self.document is not None
        entries = self.document.get(top)
        if not isinstance(entries, dict):
            raise self.error([top], "expected an object")
        for name, entry in entries.items():
            if not isinstance(entry, dict):
                raise self.error([top, name], "expected an object")
        return entries

    def operation(self, name: Any, path: list[str | int]) -> ir.Operation:
        if not isinstance(name, str) or name not in self.operations:
            raise self.error(path, f"operation {name!r} is not defined")
        return self.operations[name]

    def strings(
        self, entry: Mapping[str, Any], key: str, path: list[str | int]
    ) -> list[str]:
        values = _as_list(entry.get(key, []))
        if not all(isinstance(v, str) and v for v in values):
            raise self.error(path + [key], "expected a string or a list of strings")
        return values


class _Paginators(_Base):
    filename = PAGINATORS_FILE
    key = "paginators"
    scope = types.PAGINATORS

    def module(self) -> ir.PaginatorsModule | None:
        if self.document is None:
            return None
        entries = self.entries("pagination")
        paginators = tuple(
            self.paginator(name, entries[name])
            for name in sorted(entries, key=xform_name)
        )
        if not paginators:
            return None
        lines, lazy = _module_imports(
            {
                symbols.PAGE_ITERATOR,
                symbols.PAGINATOR,
                symbols.PAGINATOR_SPEC,
                symbols.PAGINATOR_REGISTRY,
                symbols.ASYNC_PAGE_ITERATOR,
                symbols.ASYNC_PAGINATOR,
            }.union(*(p.imports for p in paginators))
        )
        return ir.PaginatorsModule(
            paginators=paginators,
            imports=lines,
            lazy_modules=lazy,
            module=symbols.PAGINATORS_MODULE,
            registry=PAGINATORS_REGISTRY,
            async_registry=ASYNC_PAGINATORS_REGISTRY,
            accessor="get_paginator",
            accessor_param="operation_name",
            accessor_docstring=docstrings.join(
                _wrap(
                    "The paginator of one operation, by boto3's name of the "
                    "operation (`client.get_paginator("
                    f"{paginators[0].name_literal})`)."
                ),
                docstrings.section(
                    "Raises", [("ValueError", "The operation has no paginator.")]
                ),
            ),
            overloaded=len(paginators) > 1,
        )

    def paginator(self, name: str, entry: dict[str, Any]) -> ir.Paginator:
        r = self.r
        path: list[str | int] = ["pagination", name]
        op = self.operation(name, path)
        spec = r.operations[name]
        if op.output is None:
            raise self.error(path, f"operation {name!r} has no output to paginate")
        input_shape = spec.get("input", {}).get("shape")
        members = r.member_names[input_shape] if input_shape else {}
        params_by_wire = {p.wire_name: p for p in op.params}
        input_tokens = self.strings(entry, "input_token", path)
        output_tokens = self.strings(entry, "output_token", path)
        result_keys = self.strings(entry, "result_key", path)
        non_aggregate = self.strings(entry, "non_aggregate_keys", path)
        if not input_tokens or not output_tokens:
            raise self.error(path, "expected input_token and output_token")
        token_params: dict[str, ir.Field] = {}
        for token in input_tokens:
            field = params_by_wire.get(string_literal(token))
            if token not in members or field is None:
                raise self.error(
                    path + ["input_token"], f"{token!r} is not an input member"
                )
            token_params[token] = field
        limit_key = entry.get("limit_key")
        limit_field = None
        if limit_key is not None:
            if isinstance(limit_key, str) and limit_key in members:
                limit_field = params_by_wire.get(string_literal(limit_key))
            if limit_field is None:
                raise self.error(
                    path + ["limit_key"], f"{limit_key!r} is not an input member"
                )
        more_results = entry.get("more_results")
        if more_results is not None and not isinstance(more_results, str):
            raise self.error(path + ["more_results"], "expected a string")
        kept = tuple(p for p in op.params if p not in token_params.values())
        renamed = _rename(kept, PAGING_ARGS)
        paging = [_optional("max_items", types.INT, self.scope)]
        if limit_field is not None:
            paging.append(_optional("page_size", types.INT, self.scope))
        paging.append(_optional("starting_token", types.STR, self.scope))
        method = op.method_name
        item = self.item_annotation(spec["output"]["shape"], result_keys)
        limit_shape = (
            r.shapes[r.shapes[input_shape]["members"][limit_key]["shape"]]
            if limit_field is not None
            else None
        )
        extra = []
        if limit_shape is not None and limit_shape["type"] == "string":
            extra.append("limit_is_string=True")
        if more_results is not None:
            extra.append(f"more_results={string_literal(more_results)}")
        if non_aggregate:
            extra.append(
                "non_aggregate_keys="
                + _tuple([string_literal(k) for k in non_aggregate])
            )
        tokens = ", ".join(
            f"{string_literal(t)}: {string_literal(token_params[t].name)}"
            for t in input_tokens
        )
        args = [
            string_literal(name),
            string_literal(method),
            "{" + tokens + "}",
            _tuple([string_literal(t) for t in output_tokens]),
            _tuple([string_literal(k) for k in result_keys]),
            string_literal(limit_field.name) if limit_field is not None else "None",
            *extra,
        ]
        boto3_name = xform_name(name)
        class_name = naming.unique(naming.class_name(name) + "Paginator", self.taken)
        return ir.Paginator(
            name_literal=string_literal(boto3_name),
            class_name=class_name,
            async_class_name=naming.unique("Async" + class_name, self.taken),
            docstring=self.docstring(method),
            spec=f"{symbols.PAGINATOR_SPEC.binds}({', '.join(args)})",
            params=tuple(_arguments(renamed, self.scope) + paging),
            call_args=tuple((string_literal(p.name), new) for p, new in renamed),
            paging_call=", ".join(
                ["max_items", "page_size" if limit_field else "None", "starting_token"]
            ),
            page_type=op.output,
            item_type=item,
            scope=self.scope,
            paginate_docstring=self.paginate_docstring(
                method, input_tokens, item, result_keys, limit_key, spec, renamed
            ),
        )

    def item_annotation(self, output: str, result_keys: list[str]) -> types.Type:
        """The element type of the first result key, when it is a list member."""
        r = self.r
        shape_name = output
        if result_keys and _PATH.match(result_keys[0]):
            for part in result_keys[0].split("."):
                shape = r.shapes[shape_name]
                ref = shape.get("members", {}).get(part)
                if shape["type"] != "structure" or shape.get("document") or not ref:
                    break
                shape_name = ref["shape"]
            else:
                shape = r.shapes[shape_name]
                if shape["type"] == "list":
                    return r.annotation(
                        shape["member"]["shape"],
                        member=shape["member"],
                        as_input=False,
                    )
        return types.ANY

    def docstring(self, method: str) -> str:
        return docstrings.join(_wrap(f"Pages of `{method}`; see `paginate`."))

    def paginate_docstring(
        self,
        method: str,
        tokens: list[str],
        item: types.Type,
        result_keys: list[str],
        limit_key: str | None,
        spec: Mapping[str, Any],
        renamed: list[tuple[ir.Field, str]],
    ) -> str:
        key = result_keys[0] if result_keys else "-"
        summary = _wrap(
            f"Iterate over the pages of `{method}`, following "
            f"`{', '.join(tokens)}`; `items()` of the result yields the "
            f"{item.render(types.PROSE)} elements of `{key}`."
        )
        first = docstrings.text(spec.get("documentation")).split("\n\n")[0]
        size = f", `page_size` (sent as `{limit_key}`)" if limit_key else ""
        paging = _wrap(
            f"`max_items`{size} and `starting_token` work as boto3's "
            "PaginationConfig (MaxItems, PageSize, StartingToken); the "
            "iterator's `resume_token` continues after `max_items`. "
            + _others(method, renamed)
        )
        return docstrings.join(summary, first, paging)


class _Waiters(_Base):
    filename = WAITERS_FILE
    key = "waiters"
    scope = types.WAITERS

    def module(self) -> ir.WaitersModule | None:
        if self.document is None:
            return None
        if self.document.get("version") != 2:
            raise self.error(["version"], "unsupported waiter version (expected 2)")
        entries = self.entries("waiters")
        waiters = tuple(
            self.waiter(name, entries[name]) for name in sorted(entries, key=xform_name)
        )
        if not waiters:
            return None
        lines, lazy = _module_imports(
            {
                symbols.ACCEPTOR,
                symbols.WAITER_REGISTRY,
                symbols.WAITER,
                symbols.ASYNC_WAITER,
                symbols.WAITER_SPEC,
            }.union(*(w.imports for w in waiters))
        )
        return ir.WaitersModule(
            waiters=waiters,
            imports=lines,
            lazy_modules=lazy,
            module=symbols.WAITERS_MODULE,
            registry=WAITERS_REGISTRY,
            async_registry=ASYNC_WAITERS_REGISTRY,
            accessor="get_waiter",
            accessor_param="waiter_name",
            accessor_docstring=docstrings.join(
                _wrap(
                    "A waiter by boto3's name of it (`client.get_waiter("
                    f"{waiters[0].name_literal})`)."
                ),
                docstrings.section(
                    "Raises", [("ValueError", "The client has no such waiter.")]
                ),
            ),
            overloaded=len(waiters) > 1,
        )

    def waiter(self, name: str, entry: dict[str, Any]) -> ir.Waiter:
        path: list[str | int] = ["waiters", name]
        op = self.operation(entry.get("operation"), path + ["operation"])
        delay = entry.get("delay")
        attempts = entry.get("maxAttempts")
        if isinstance(delay, bool) or not isinstance(delay, (int, float)) or delay < 0:
            raise self.error(path + ["delay"], "expected a number of seconds")
        if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1:
            raise self.error(path + ["maxAttempts"], "expected a positive integer")
        acceptors = entry.get("acceptors")
        if not isinstance(acceptors, list) or not acceptors:
            raise self.error(path + ["acceptors"], "expected a non-empty list")
        sources = []
        lines = []
        for i, acceptor in enumerate(acceptors):
            sources.append(self.acceptor(acceptor, path + ["acceptors", i]))
            lines.append(_describe(acceptor))
        renamed = _rename(op.params, TIMING_ARGS)
        timing = [
            ir.Argument("delay", types.FLOAT, self.scope, value_literal(delay)),
            ir.Argument("max_attempts", types.INT, self.scope, value_literal(attempts)),
        ]
        method = op.method_name
        description = entry.get("description")
        intro = docstrings.text(description) if isinstance(description, str) else ""
        polling = (
            _wrap(
                f"Calls `{method}` every {delay} seconds, at most {attempts} times, "
                "until an acceptor (the first that matches, in this order) says "
                "success or failure:"
            )
            + "\n\n"
            + "\n".join(lines)
        )
        args = [
            string_literal(name),
            op.name_literal,
            string_literal(method),
            value_literal(delay),
            value_literal(attempts),
            _tuple(sources),
        ]
        class_name = naming.unique(naming.class_name(name) + "Waiter", self.taken)
        return ir.Waiter(
            name_literal=string_literal(xform_name(name)),
            class_name=class_name,
            async_class_name=naming.unique("Async" + class_name, self.taken),
            docstring=docstrings.join(
                intro,
                polling,
                _wrap(f'Get one with `client.get_waiter("{xform_name(name)}")`.'),
            ),
            spec=f"{symbols.WAITER_SPEC.binds}({', '.join(args)})",
            params=tuple(_arguments(renamed, self.scope) + timing),
            call_args=tuple((string_literal(p.name), new) for p, new in renamed),
            timing_call="delay, max_attempts",
            wait_docstring=docstrings.join(
                f"Call `{method}` until it reaches a success state.",
                docstrings.section(
                    "Args",
                    [
                        ("delay", f"Seconds between attempts (model: {delay})."),
                        (
                            "max_attempts",
                            f"Attempts before giving up (model: {attempts}).",
                        ),
                    ],
                ),
                _wrap(_others(method, renamed)),
                docstrings.section(
                    "Raises",
                    [
                        (
                            "WaiterFailureError",
                            "A failure state was reached, or an error no "
                            "acceptor expects came back.",
                        ),
                        ("WaiterTimeoutError", "max_attempts ran out."),
                    ],
                ),
            ),
        )

    def acceptor(self, acceptor: Any, path: list[str | int]) -> str:
        if not isinstance(acceptor, dict):
            raise self.error(path, "expected an object")
        state = acceptor.get("state")
        matcher = acceptor.get("matcher")
        if state not in STATES:
            raise self.error(path + ["state"], f"unknown state {state!r}")
        if matcher not in MATCHERS:
            raise self.error(path + ["matcher"], f"unknown matcher {matcher!r}")
        if "expected" not in acceptor:
            raise self.error(path + ["expected"], "missing expected value")
        argument = acceptor.get("argument")
        if matcher.startswith("path"):
            if not isinstance(argument, str):
                raise self.error(path + ["argument"], "expected a JMESPath expression")
            _check_jmespath(argument, lambda m: self.error(path + ["argument"], m))
        try:
            expected = value_literal(acceptor["expected"])
        except ValueError as exc:
            raise self.error(path + ["expected"], str(exc)) from exc
        argument_text = (
            string_literal(argument) if isinstance(argument, str) else "None"
        )
        return (
            f"{symbols.ACCEPTOR.binds}({string_literal(state)}, "
            f"{string_literal(matcher)}, {argument_text}, {expected})"
        )


def _check_jmespath(expression: str, error: Callable[[str], ModelError]) -> None:
    import jmespath
    from jmespath.exceptions import JMESPathError

    try:
        jmespath.compile(expression)
    except JMESPathError as exc:
        raise error(f"invalid JMESPath expression: {exc}") from exc


def _describe(acceptor: Mapping[str, Any]) -> str:
    import json

    state = acceptor["state"]
    matcher = acceptor["matcher"]
    expected = json.dumps(acceptor["expected"], ensure_ascii=False)
    argument = acceptor.get("argument")
    if matcher == "path":
        what = f"`{argument}` is {expected}"
    elif matcher == "pathAll":
        what = f"every `{argument}` is {expected}"
    elif matcher == "pathAny":
        what = f"any `{argument}` is {expected}"
    elif matcher == "status":
        what = f"the HTTP status is {expected}"
    else:
        what = f"the error code is {expected}"
    return f"- {state} when {what}"


def _wrap(text: str) -> str:
    return textwrap.fill(text, width=72, break_long_words=False, break_on_hyphens=False)


def _others(method: str, renamed: list[tuple[ir.Field, str]]) -> str:
    """The sentence that sends the reader to the client method's arguments."""
    text = f"The other arguments are those of `{method}`"
    moved = [f"`{new}` is its `{p.name}`" for p, new in renamed if new != p.name]
    return text + ("; " + ", ".join(moved) if moved else "") + "."
