"""Model text that tries to break out of literals comes out valid and faithful."""

from __future__ import annotations

import importlib
import inspect
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from codegen.api import generate_package
from codegen.docs import html_to_text
from tests.conftest import MODELS

NASTY = [
    'Triple """ quotes and a trailing quote"',
    "Back\\slashes \\n \\x00 \\u2028 and a trailing backslash\\",
    "Line\nbreaks\r\nand\u2028separators",
    "Quotes ' \" ''' and braces {} {{x}} %s",
    '"""); import os; os.system("echo pwned"); ("""',
]


def _model(doc: str, enum_values: list[str]) -> dict[str, Any]:
    model: dict[str, Any] = json.loads(
        (MODELS / "emr-serverless" / "service-2.json").read_text()
    )
    model["operations"]["StartJobRun"]["documentation"] = doc
    model["shapes"]["JobRunMode"]["enum"] = enum_values
    model["shapes"]["JobRunMode"]["documentation"] = doc
    model["shapes"]["StartJobRunRequest"]["members"]["name"]["documentation"] = doc
    return model


@pytest.fixture
def nasty_package(tmp_path: Path) -> Any:
    doc = "<p>" + "</p><p>".join(NASTY) + "</p>"
    name = f"nasty_{tmp_path.name.replace('-', '_')}"
    package = generate_package(
        _model(doc, [*NASTY, "PLAIN"]),
        tmp_path,
        name=name.replace("_", "-"),
        endpoint_rules=None,
    )
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(package)
    finally:
        sys.path.remove(str(tmp_path))
        for module in [m for m in sys.modules if m.startswith(package)]:
            del sys.modules[module]


def test_documentation_is_faithful(nasty_package: Any) -> None:
    client_module = importlib.import_module(f"{nasty_package.__name__}.client")
    client: Any = next(
        c
        for c in vars(client_module).values()
        if inspect.isclass(c) and c.__name__ == "EMRServerlessClient"
    )
    doc = inspect.getdoc(client.start_job_run) or ""
    expected = html_to_text("<p>" + "</p><p>".join(NASTY) + "</p>")
    # Every converted line of the model's text appears, unchanged in value.
    for line in expected.splitlines():
        assert line.strip() in doc


def test_enum_values_are_faithful(nasty_package: Any) -> None:
    enums = importlib.import_module(f"{nasty_package.__name__}.enums")
    values = [m.value for m in enums.JobRunMode]
    assert values == [*NASTY, "PLAIN"]
    assert len({m.name for m in enums.JobRunMode}) == len(values)
    assert all(m.name.isidentifier() for m in enums.JobRunMode)
