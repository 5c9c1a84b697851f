"""The API-change report as data: classed changes per service.

Classes, most severe first:

- ``breaking``: code that type-checked and ran may now fail;
- ``wire``: what is sent or parsed changes while the Python API does not;
- ``addition``: something new to use (or a restriction lifted);
- ``docs``: documentation (and deprecation notices) only.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field


class Severity(enum.StrEnum):
    BREAKING = "breaking"
    WIRE = "wire"
    ADDITION = "addition"
    DOCS = "docs"


SEVERITIES = tuple(Severity)

# What a change is about (the json format's "kind").
KINDS = (
    "service",
    "operation",
    "parameter",
    "output",
    "structure",
    "member",
    "enum",
    "enum-value",
    "error",
    "paginator",
    "waiter",
)


@dataclass(frozen=True, order=True)
class Change:
    """One line of the report: ``symbol: message``.

    ``change`` is a stable code: ``added``, ``removed``, ``renamed``,
    ``required`` (newly required), ``optional`` (no longer required),
    ``type``, ``limit``, ``wire``, ``docs``, ``deprecated``.
    """

    severity: Severity
    symbol: str
    kind: str
    change: str
    message: str

    def sort_key(self) -> tuple[int, str, str, str]:
        return (SEVERITIES.index(self.severity), self.symbol, self.change, self.message)


@dataclass(frozen=True)
class ServiceReport:
    service: str
    client: str  # the client class (the new one; the old one if removed)
    changes: tuple[Change, ...]

    def count(self, severity: Severity) -> int:
        return sum(1 for c in self.changes if c.severity is severity)

    @property
    def counts(self) -> dict[str, int]:
        return {s.value: self.count(s) for s in SEVERITIES}


@dataclass(frozen=True)
class Report:
    old: str  # how each side is named: a directory or REV:path
    new: str
    services: tuple[ServiceReport, ...] = field(default=())

    @property
    def changes(self) -> Iterable[Change]:
        return (c for s in self.services for c in s.changes)

    def has(self, severity: Severity | None = None) -> bool:
        """Any change (of ``severity``, if given)?"""
        return any(severity is None or c.severity is severity for c in self.changes)

    @property
    def counts(self) -> dict[str, int]:
        return {s.value: sum(r.count(s) for r in self.services) for s in SEVERITIES}
