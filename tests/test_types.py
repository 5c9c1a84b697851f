"""The generator's type IR, import values and symbol table.

Annotations are ``codegen.types`` values rendered in a scope; imports are
``codegen.imports.Import`` values that ``imports.lines`` only sorts and
groups; every name the generated code imports is one ``codegen.symbols``
constant.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from codegen import imports, ir, render, resolver, symbols, types
from codegen.imports import Import
from codegen.loader import ServiceFiles
from codegen.resolver import resolve
from tests.conftest import GENERATED, MODELS

SHAPES = types.Scope(symbols.SHAPES_MODULE)
ERRORS = types.Scope(symbols.ERRORS_MODULE)
JOB = types.ClassRef("JobDriver", symbols.SHAPES_MODULE)
STATE = types.ClassRef("JobRunState", symbols.ENUMS_MODULE)


# -- rendering and imports, by module ------------------------------------------
@pytest.mark.parametrize(
    ("scope", "text", "needed"),
    [
        (types.CLIENT, "shapes.JobDriver", {Import(".", "shapes")}),
        (types.PAGINATORS, "shapes.JobDriver", {Import(".", "shapes")}),
        (types.WAITERS, "shapes.JobDriver", {Import(".", "shapes")}),
        (SHAPES, "JobDriver", set()),
        (ERRORS, "JobDriver", {Import(".shapes", "JobDriver")}),
        (types.PROSE, "JobDriver", {Import(".shapes", "JobDriver")}),
    ],
)
def test_a_class_is_referred_to_as_its_module_reaches_it(
    scope: types.Scope, text: str, needed: set[Import]
) -> None:
    assert JOB.render(scope) == text
    assert set(JOB.imports(scope)) == needed
    assert not list(JOB.aliased(scope))


def test_an_enum_in_shapes_is_imported_from_enums() -> None:
    t = types.optional(types.Union((STATE, types.STR)))
    assert t.render(SHAPES) == "JobRunState | str | None"
    assert set(t.imports(SHAPES)) == {Import(".enums", "JobRunState")}
    assert t.render(types.CLIENT) == "enums.JobRunState | str | None"
    assert set(t.imports(types.CLIENT)) == {Import(".", "enums")}


def test_generics_and_symbols_bring_their_imports() -> None:
    t = types.sequence(types.mapping(types.STR, types.DOCUMENT))
    assert t.render(types.CLIENT) == "Sequence[Mapping[str, Document]]"
    assert set(t.imports(types.CLIENT)) == {
        symbols.SEQUENCE,
        symbols.MAPPING,
        symbols.DOCUMENT,
    }
    streaming = types.Union((types.BYTES, types.io(types.BYTES)))
    assert streaming.render(types.CLIENT) == "bytes | IO[bytes]"
    assert set(streaming.imports(types.CLIENT)) == {symbols.IO}
    assert types.DATETIME.render(SHAPES) == "datetime.datetime"
    assert set(types.DATETIME.imports(SHAPES)) == {symbols.DATETIME}


def test_a_shadowed_name_goes_through_its_alias_and_stays_imported() -> None:
    # ec2's enum ``scope`` as the type of a field ``scope``: the annotation
    # says ``_scope``, the module says ``_scope = scope``, and ``scope`` is
    # imported because the import comes from the type, not from the text.
    enum = types.ClassRef("scope", symbols.ENUMS_MODULE)
    scope = types.Scope(symbols.SHAPES_MODULE, frozenset({"scope", "datetime"}))
    t = types.Union((enum, types.STR))
    assert t.render(scope) == "_scope | str"
    assert list(t.aliased(scope)) == ["scope"]
    assert set(t.imports(scope)) == {Import(".enums", "scope")}
    # Only the module-level name is shadowed, not an attribute after a dot.
    assert types.DATETIME.render(scope) == "_datetime.datetime"
    assert set(types.DATETIME.imports(scope)) == {symbols.DATETIME}


def test_a_field_renders_in_its_scope() -> None:
    scope = types.Scope(symbols.SHAPES_MODULE, frozenset({"str"}))
    field = ir.Field(
        name="str",
        wire_name="'str'",
        type=types.mapping(types.STR, JOB),
        scope=scope,
        required=False,
        doc="",
    )
    assert field.full_annotation == "Mapping[_str, JobDriver] | None"
    assert set(field.aliased) == {"str"}
    assert set(field.imports) == {symbols.MAPPING}


def test_lazy_split_loads_the_package_modules_lazily() -> None:
    eager, lazy = types.lazy_split(
        {Import(".", "shapes"), Import(".", "enums"), symbols.BASE_CLIENT}
    )
    assert lazy == ("enums", "shapes")
    assert eager == {symbols.BASE_CLIENT, symbols.TYPE_CHECKING, symbols.LAZY_MODULE}
    assert types.lazy_split({symbols.BASE_CLIENT}) == (
        frozenset({symbols.BASE_CLIENT}),
        (),
    )


# -- import lines --------------------------------------------------------------
def test_lines_group_and_sort_as_isort_does() -> None:
    needed = {
        Import(".enums", "b"),
        Import(".enums", "A"),
        Import(".shapes", "Z"),
        symbols.WARNINGS,
        symbols.DATETIME,
        symbols.OVERLOAD,
        symbols.LITERAL,
        symbols.TYPE_CHECKING,
        symbols.IO,
        symbols.SEQUENCE,
        symbols.NEW_IDEMPOTENCY_TOKEN,
        symbols.BASE_CLIENT,
        symbols.LAZY_MODULE,
        symbols.FUTURE_ANNOTATIONS,
    }
    runtime = symbols.RUNTIME
    assert imports.lines(needed) == (
        "from __future__ import annotations",
        "",
        "import datetime",
        "import warnings",
        "from collections.abc import Sequence",
        "from typing import IO, TYPE_CHECKING, Literal, overload",
        "",
        f"from {runtime}.client import BaseClient, new_idempotency_token",
        f"from {runtime}.lazy import lazy_module",
        "",
        "from .enums import A, b",
        "from .shapes import Z",
    )
    assert imports.lines([]) == ()


def test_generated_import_blocks_pass_isort() -> None:
    # Every generated module's imports, as ruff's isort rules order them.
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--no-cache",
            "--select",
            "I",
            str(GENERATED),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]


# -- the symbol table ----------------------------------------------------------
@pytest.mark.parametrize("symbol", symbols.ALL, ids=lambda s: f"{s.module}:{s.name}")
def test_every_symbol_exists(symbol: Import) -> None:
    module = importlib.import_module(symbol.module)
    if symbol.name is not None and symbol.module != "__future__":
        # A name, or a submodule (``from typed_aws_runtime import events``).
        assert hasattr(module, symbol.name) or importlib.import_module(
            f"{symbol.module}.{symbol.name}"
        )


def test_runtime_symbols_live_under_the_runtime_and_the_rest_is_stdlib() -> None:
    for symbol in symbols.ALL:
        top = symbol.module.split(".")[0]
        stdlib = top in sys.stdlib_module_names
        assert stdlib == (top in imports.STDLIB or top == "__future__"), symbol
        runtime = symbol.module == symbols.RUNTIME or symbol.module.startswith(
            f"{symbols.RUNTIME}."
        )
        assert stdlib != runtime, symbol


def test_reserved_names_come_from_the_table() -> None:
    bound = {s.binds for s in symbols.ANNOTATION + symbols.CLASS_MODULES}
    assert bound <= resolver.RESERVED
    assert set(symbols.PACKAGE_MODULES) <= resolver.RESERVED
    # What only paginators.py and waiters.py import leaves class names free.
    assert "Registry" not in resolver.RESERVED
    assert "Acceptor" not in resolver.RESERVED


# -- aliases always have their name bound --------------------------------------
def _unbound_aliases(source: str) -> list[str]:
    """``_x = x`` assignments whose ``x`` the module neither imports nor defines."""
    tree = ast.parse(source)
    bound = set(dir(builtins))
    for node in tree.body:
        if isinstance(node, ast.ImportFrom | ast.Import):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.ClassDef):
            bound.add(node.name)
    return [
        node.value.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Name)
        and node.value.id not in bound
    ]


def _odd_model() -> dict[str, object]:
    model: dict[str, object] = json.loads(
        (MODELS / "emr-serverless" / "service-2.json").read_text()
    )
    shapes = model["shapes"]
    assert isinstance(shapes, dict)
    shapes["scope"] = {"type": "string", "enum": ["a", "b"]}
    shapes["thing"] = {"type": "structure", "members": {"x": {"shape": "String256"}}}
    shapes["Odd"] = {
        "type": "structure",
        "members": {
            "scope": {"shape": "scope"},
            "datetime": {"shape": "Date"},
            "str": {"shape": "String256"},
            "thing": {"shape": "thing"},
        },
    }
    shapes["Date"] = {"type": "timestamp"}
    shapes["OddError"] = {
        "type": "structure",
        "exception": True,
        "members": {"scope": {"shape": "scope"}, "odd": {"shape": "Odd"}},
    }
    request = shapes["StartJobRunRequest"]
    assert isinstance(request, dict)
    request["members"]["odd"] = {"shape": "Odd"}
    operations = model["operations"]
    assert isinstance(operations, dict)
    operations["StartJobRun"]["errors"].append({"shape": "OddError"})
    return model


def test_every_alias_names_something_the_module_binds() -> None:
    files = ServiceFiles(
        name="odd",
        directory=Path("<memory>") / "odd",
        service=_odd_model(),
        paginators=None,
        waiters=None,
        endpoint_rules=None,
    )
    service = resolve(files)
    assert service.shapes_aliases == (
        "_datetime = datetime",
        "_scope = scope",
        "_str = str",
        "_thing = thing",
    )
    assert service.errors_aliases == ("_scope = scope",)
    sources = render.unformatted(render.render_service(service, render.environment()))
    for name in ("odd/shapes.py", "odd/errors.py"):
        assert _unbound_aliases(sources[name]) == [], name
    for path in GENERATED.glob("*/*.py"):
        assert _unbound_aliases(path.read_text()) == [], path
