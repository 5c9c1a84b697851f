"""Broken models, made by mutating real ones: exit 0 with a package that
imports and whose wire schema compiles, or exit 2 with one line naming the
file and the JSON path. Never a traceback, never output written on exit 2.

``generate`` runs in-process through click's CliRunner, with black replaced
by the unformatted sources (black changes layout only), so that many
examples run fast; a few by default, many under ``-m slow``.
"""

from __future__ import annotations

import copy
import importlib
import itertools
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen import cli, render
from tests.conftest import MODELS
from typed_aws_runtime import schema as runtime_schema

SERVICES = ("emr-serverless", "sqs", "route53", "sts")
FILES = ("service-2.json", "paginators-1.json", "waiters-2.json")
ODD_STRINGS = (
    "\ud800",
    "a\x00b",
    '"""',
    "'",
    "\\",
    "line\nbreak",
    "\u2028",
    "",
    " ",
    "{Label}",
    "9lives",
    "class",
    "self",
    "set_fields",
    "sdk_unknown_member",
    "Sleep",
    "__init__",
)
OTHER_VALUES: tuple[Any, ...] = (None, 0, -1, 1.5, True, "x", [], {}, ["x"], {"a": 1})
_counter = itertools.count()


def _load(service: str) -> dict[str, Any]:
    out = {}
    for name in FILES:
        path = MODELS / service / name
        if path.is_file():
            out[name] = json.loads(path.read_text())
    return out


ORIGINALS = {s: _load(s) for s in SERVICES}


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, (*path, i))


def _get(doc: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        doc = doc[part]
    return doc


@st.composite
def mutation(draw: st.DrawFn, docs: dict[str, Any]) -> str:
    """One edit of one of ``docs`` (in place)."""
    file = draw(st.sampled_from(sorted(docs)))
    doc = docs[file]
    paths = [p for p in _paths(doc) if p]
    if draw(st.integers(0, 9)):  # mostly not documentation: most paths are
        paths = [p for p in paths if "documentation" not in p]
    if not paths:
        return "nothing"
    path = draw(st.sampled_from(paths))
    parent = _get(doc, path[:-1])
    key = path[-1]
    kind = draw(
        st.sampled_from(
            ["delete", "retype", "odd", "dangle", "case-duplicate", "rename-key"]
        )
    )
    if kind == "delete":
        del parent[key]
    elif kind == "retype":
        parent[key] = copy.deepcopy(draw(st.sampled_from(OTHER_VALUES)))
    elif kind == "odd":
        odd = draw(st.sampled_from(ODD_STRINGS))
        value = parent[key]
        parent[key] = (value + odd) if isinstance(value, str) else odd
    elif kind == "dangle":
        parent[key] = "NoSuchShape" if isinstance(parent[key], str) else parent[key]
        if isinstance(parent[key], dict) and "shape" in parent[key]:
            parent[key]["shape"] = "NoSuchShape"
    elif kind == "case-duplicate" and isinstance(parent, dict):
        parent[str(key).swapcase()] = copy.deepcopy(parent[key])
    elif kind == "rename-key" and isinstance(parent, dict):
        odd = draw(st.sampled_from(ODD_STRINGS))
        parent[str(key) + odd] = parent.pop(key)
    return f"{kind} {file} {list(path)}"


@st.composite
def broken_models(draw: st.DrawFn) -> tuple[list[str], dict[str, Any]]:
    """(what was done, the documents): the edits read better than the model."""
    service = draw(st.sampled_from(SERVICES))
    docs = copy.deepcopy(ORIGINALS[service])
    edits = [service]
    for _ in range(draw(st.integers(1, 3))):
        edits.append(draw(mutation(docs)))
    return edits, docs


def _unformatted(sources: dict[str, str], jobs: int | None = None) -> dict[str, str]:
    return render.unformatted(sources)


def _exercise(package: str) -> None:
    """Import every module and compile the whole wire schema."""
    for module in ("client", "shapes", "enums", "errors", "paginators", "waiters"):
        try:
            importlib.import_module(f"{package}.{module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{package}.{module}":
                raise
    schema = runtime_schema.load(package)
    document = runtime_schema.read_package_json(package, "_schema.json")
    for name in document["operations"]:
        schema.operation(name)
    for name in document["shapes"]:
        schema.shape(name)


def run_generate(tmp: Path, docs: dict[str, Any]) -> tuple[int, str, str | None]:
    """(exit status, stderr, package or None) of ``generate`` on ``docs``."""
    service = f"fuzz{next(_counter)}"
    models = tmp / "models"
    (models / service).mkdir(parents=True)
    for name, doc in docs.items():
        # ASCII JSON: a lone surrogate is written as an escape, as JSON has it.
        (models / service / name).write_text(json.dumps(doc, indent=1))
    output = tmp / "out"
    output.mkdir()
    result = CliRunner().invoke(
        cli.main,
        ["generate", service, "--models-dir", str(models), "--output", str(output)],
    )
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    package = service if result.exit_code == 0 else None
    if result.exit_code == 2:
        assert not any(output.iterdir()), "output written on exit 2"
    return result.exit_code, result.stderr, package


def check_outcome(tmp: Path, docs: dict[str, Any]) -> None:
    status, stderr, package = run_generate(tmp, docs)
    if status == 2:
        lines = stderr.strip().splitlines()
        assert len(lines) == 1, stderr
        assert (
            "service-2.json" in lines[0]
            or "-1.json" in lines[0]
            or ("-2.json" in lines[0])
        ), lines[0]
        assert ": $" in lines[0], lines[0]
        return
    assert status == 0, stderr
    assert package is not None
    sys.path.insert(0, str(tmp / "out"))
    try:
        _exercise(package)
    finally:
        sys.path.remove(str(tmp / "out"))
        for name in [m for m in sys.modules if m.split(".")[0] == package]:
            del sys.modules[name]


_SETTINGS = {
    "deadline": None,
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
}


@pytest.fixture
def fast_cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setattr(render, "format_all", _unformatted)
    monkeypatch.setenv("CODEGEN_CACHE", str(tmp_path / "cache"))
    return tmp_path


def _fresh_dir(root: Path) -> Path:
    path = root / f"ex{next(_counter)}"
    path.mkdir()
    return path


@settings(max_examples=15, **_SETTINGS)  # type: ignore[arg-type]
@given(broken_models())
def test_broken_models_exit_0_or_2(
    fast_cli: Path, case: tuple[list[str], dict[str, Any]]
) -> None:
    check_outcome(_fresh_dir(fast_cli), case[1])


@pytest.mark.slow
@settings(max_examples=600, **_SETTINGS)  # type: ignore[arg-type]
@given(broken_models())
def test_broken_models_exit_0_or_2_many(
    fast_cli: Path, case: tuple[list[str], dict[str, Any]]
) -> None:
    check_outcome(_fresh_dir(fast_cli), case[1])


def test_unmodified_models_pass_the_harness(fast_cli: Path) -> None:
    for service in SERVICES:
        check_outcome(_fresh_dir(fast_cli), copy.deepcopy(ORIGINALS[service]))
