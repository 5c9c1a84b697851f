"""Reads the pinned botocore model files of one service from ``models/``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codegen.errors import ModelError

SERVICE_FILE = "service-2.json"
OPTIONAL_FILES = {
    "paginators": "paginators-1.json",
    "waiters": "waiters-2.json",
    "endpoint_rules": "endpoint-rule-set-1.json",
}


@dataclass(frozen=True)
class ServiceFiles:
    """The parsed JSON documents of one service, with where they came from."""

    name: str
    directory: Path
    service: dict[str, Any]
    paginators: dict[str, Any] | None
    waiters: dict[str, Any] | None
    endpoint_rules: dict[str, Any] | None

    def file(self, filename: str) -> str:
        return str(self.directory / filename)


def read_json(path: Path) -> dict[str, Any]:
    """Parse one JSON file; any failure becomes a ModelError naming it."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ModelError(str(path), [], f"cannot read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ModelError(str(path), [], f"not UTF-8: {exc.reason}") from exc
    return parse_json(text, str(path))


def parse_json(text: str, where: str) -> dict[str, Any]:
    """Parse one model document read from ``where`` (a file, ``REV:path``)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ModelError(
            where,
            [],
            f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}",
        ) from exc
    if not isinstance(data, dict):
        raise ModelError(where, [], "expected a JSON object at the top level")
    return data


def available_services(models_dir: Path) -> list[str]:
    """Every service directory under ``models_dir`` that has a service model."""
    if not models_dir.is_dir():
        return []
    return sorted(p.name for p in models_dir.iterdir() if (p / SERVICE_FILE).is_file())


def load_service(models_dir: Path, name: str) -> ServiceFiles:
    directory = models_dir / name
    service_path = directory / SERVICE_FILE
    if not service_path.is_file():
        raise ModelError(str(service_path), [], "no such model file")
    optional = {
        key: (
            read_json(directory / filename)
            if (directory / filename).is_file()
            else None
        )
        for key, filename in OPTIONAL_FILES.items()
    }
    return ServiceFiles(
        name=name,
        directory=directory,
        service=read_json(service_path),
        paginators=optional["paginators"],
        waiters=optional["waiters"],
        endpoint_rules=optional["endpoint_rules"],
    )
