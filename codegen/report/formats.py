"""The report as text (a terminal), markdown (a pull request) or json (tools).

Every format lists a service's changes breaking first, then wire, addition and
docs, each class by symbol. The json document (``JSON_VERSION`` 1)::

    {
      "version": 1,
      "old": "main:models", "new": "models",
      "counts": {"breaking": 1, "wire": 0, "addition": 4, "docs": 2},
      "services": [
        {
          "service": "emr-serverless", "client": "EMRServerlessClient",
          "counts": {"breaking": 1, "wire": 0, "addition": 4, "docs": 2},
          "changes": [
            {"class": "breaking", "kind": "parameter", "change": "required",
             "symbol": "EMRServerlessClient.start_job_run(mode=...)",
             "message": "now required"}
          ]
        }
      ]
    }

``class`` is one of ``breaking``, ``wire``, ``addition``, ``docs``; ``kind``
one of ``codegen.report.changes.KINDS``; ``change`` one of the codes listed
on ``Change``. Services without changes are left out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from codegen.report.changes import SEVERITIES, Change, Report, ServiceReport

JSON_VERSION = 1
FORMATS = ("text", "markdown", "json")


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {name}" for name, n in counts.items())


def text(report: Report) -> str:
    if not report.services:
        return f"No API changes from {report.old} to {report.new}.\n"
    lines = [f"API changes from {report.old} to {report.new}: {_counts(report.counts)}"]
    width = max(len(s.value) for s in SEVERITIES)
    for service in report.services:
        lines.append("")
        lines.append(f"{service.service} ({service.client}): {_counts(service.counts)}")
        for c in service.changes:
            lines.append(f"  {c.severity.value:<{width}}  {c.symbol}: {c.message}")
    return "\n".join(lines) + "\n"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_<])")


def _escape(value: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", value)


def _line(change: Change) -> str:
    return f"- `{change.symbol}`: {_escape(change.message)}"


def markdown(report: Report) -> str:
    title = "## API changes"
    sides = f"From `{report.old}` to `{report.new}`."
    if not report.services:
        return f"{title}\n\n{sides} No changes.\n"
    names = [s.value for s in SEVERITIES]
    out = [title, "", sides, ""]
    out.append("| service | client | " + " | ".join(names) + " |")
    out.append("|---|---|" + "---:|" * len(names))
    for s in report.services:
        counts = " | ".join(str(n) for n in s.counts.values())
        out.append(f"| {s.service} | `{s.client}` | {counts} |")
    for s in report.services:
        out += ["", f"### {s.service}"]
        for severity in SEVERITIES:
            mine = [c for c in s.changes if c.severity is severity]
            if mine:
                out += ["", f"**{severity.value.capitalize()}**", ""]
                out += [_line(c) for c in mine]
    return "\n".join(out) + "\n"


def _service_json(s: ServiceReport) -> dict[str, object]:
    return {
        "service": s.service,
        "client": s.client,
        "counts": s.counts,
        "changes": [
            {
                "class": c.severity.value,
                "kind": c.kind,
                "change": c.change,
                "symbol": c.symbol,
                "message": c.message,
            }
            for c in s.changes
        ],
    }


def as_json(report: Report) -> str:
    document = {
        "version": JSON_VERSION,
        "old": report.old,
        "new": report.new,
        "counts": report.counts,
        "services": [_service_json(s) for s in report.services],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


WRITERS: dict[str, Callable[[Report], str]] = {
    "text": text,
    "markdown": markdown,
    "json": as_json,
}


def render(report: Report, fmt: str) -> str:
    return WRITERS[fmt](report)
