"""Every service of the installed botocore generates, in every protocol.

Each service's model (with its endpoint rules, paginators and waiters) is
generated into a temporary directory and its client module imported; none is
refused (event streams included: their services are checked to type their
event-stream members). ``-m slow`` also runs ``mypy --strict`` over every
package.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import botocore.session
import pytest

from codegen import protocols
from codegen.api import generate_package

ROOT = Path(__file__).resolve().parents[1]

_SESSION = botocore.session.get_session()
_LOADER = _SESSION.get_component("data_loader")
SERVICES = sorted(_SESSION.get_available_services())


def _files(name: str) -> dict[str, Any]:
    def optional(kind: str) -> Any:
        try:
            return _LOADER.load_service_model(name, kind)
        except Exception:  # noqa: BLE001 - botocore has no such file for it
            return None

    return {
        "model": _LOADER.load_service_model(name, "service-2"),
        "endpoint_rules": optional("endpoint-rule-set-1"),
        "paginators": optional("paginators-1"),
        "waiters": optional("waiters-2"),
    }


def _has_event_stream(model: dict[str, Any]) -> bool:
    return any(shape.get("eventstream") for shape in model["shapes"].values())


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("all-services")
    sys.path.insert(0, str(path))
    try:
        yield path
    finally:
        sys.path.remove(str(path))


def test_every_service_speaks_a_supported_protocol() -> None:
    unsupported = {}
    for name in SERVICES:
        metadata = _LOADER.load_service_model(name, "service-2")["metadata"]
        protocol = protocols.resolve(metadata)
        if protocol not in protocols.SUPPORTED:
            unsupported[name] = protocol
    assert unsupported == {}


@pytest.mark.parametrize("name", SERVICES)
def test_service_generates_and_imports(name: str, output: Path) -> None:
    files = _files(name)
    model = files.pop("model")
    package = generate_package(model, output, name=name, format_code=False, **files)
    client = importlib.import_module(f"{package}.client")
    assert any(
        isinstance(v, type) and v.__name__.endswith("Client")
        for v in vars(client).values()
    )
    if _has_event_stream(model):
        # Every event-stream member is typed with the runtime's stream (an
        # output) or an iterable of events (an input), and resolves.
        shapes = importlib.import_module(f"{package}.shapes")
        source = Path(shapes.__file__ or "").read_text()
        assert "events.EventStream[" in source
        for cls in vars(shapes).values():
            if isinstance(cls, type) and cls.__module__ == shapes.__name__:
                typing.get_type_hints(cls)


@pytest.mark.slow
def test_every_generated_package_passes_mypy_strict(tmp_path: Path) -> None:
    names = []
    for name in SERVICES:
        files = _files(name)
        model = files.pop("model")
        names.append(
            generate_package(model, tmp_path, name=name, format_code=False, **files)
        )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            *names,
        ],
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-4000:]
