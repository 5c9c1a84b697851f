"""The report between two model sources, for some or all of their services."""

from __future__ import annotations

from collections.abc import Iterable

from codegen.errors import ModelError
from codegen.report.changes import Report
from codegen.report.compare import compare
from codegen.report.sources import ModelSource
from codegen.report.surface import surface


def diff(old: ModelSource, new: ModelSource, services: Iterable[str] = ()) -> Report:
    """Every change from ``old`` to ``new``; by default for every service either
    side holds. Raises ModelError when a model cannot be read or resolved, or a
    named service is on neither side."""
    named = sorted(set(services))
    names = named or sorted(set(old.services()) | set(new.services()))
    reports = []
    for name in names:
        before, after = old.load(name), new.load(name)
        if before is None and after is None:
            raise ModelError(name, [], f"no model in {old.label} nor in {new.label}")
        report = compare(
            name,
            surface(before) if before is not None else None,
            surface(after) if after is not None else None,
        )
        if report.changes:
            reports.append(report)
    return Report(old.label, new.label, tuple(reports))
