"""A small synthetic service for the API-change report's tests, and helpers.

``base()`` is a rest-json service with every kind of symbol the report names:
operations with parameters in every location, a nested structure, an enum, a
read-only structure, errors, a paginator and a waiter. Tests copy it, change
one thing, and read the report.
"""

from __future__ import annotations

import copy
import gzip
import json
import shutil
from pathlib import Path
from typing import Any

from codegen.loader import ServiceFiles
from codegen.report.changes import Report, ServiceReport
from codegen.report.compare import compare
from codegen.report.diff import diff
from codegen.report.sources import SnapshotSource
from codegen.report.surface import surface

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "apidiff"
OLD, NEW = "1.40.0", "1.43.11"
REAL_SERVICES = ("emr-containers", "emr-serverless", "sts")

Model = dict[str, Any]


def _s(shape: str, **extra: Any) -> dict[str, Any]:
    return {"shape": shape, **extra}


def base() -> dict[str, Model]:
    service: Model = {
        "version": "2.0",
        "metadata": {
            "apiVersion": "2024-01-01",
            "endpointPrefix": "jobs",
            "protocol": "rest-json",
            "serviceId": "Jobs",
            "signatureVersion": "v4",
            "uid": "jobs-2024-01-01",
        },
        "documentation": "<p>A job service.</p>",
        "operations": {
            "CreateJob": {
                "name": "CreateJob",
                "http": {"method": "POST", "requestUri": "/jobs/{id}"},
                "input": _s("CreateJobRequest"),
                "output": _s("CreateJobResponse"),
                "errors": [_s("ConflictException")],
                "documentation": "<p>Creates a job.</p>",
            },
            "GetJob": {
                "name": "GetJob",
                "http": {"method": "GET", "requestUri": "/jobs/{id}"},
                "input": _s("GetJobRequest"),
                "output": _s("GetJobResponse"),
                "errors": [_s("NotFoundException")],
            },
            "DeleteJob": {
                "name": "DeleteJob",
                "http": {"method": "DELETE", "requestUri": "/jobs/{id}"},
                "input": _s("GetJobRequest"),
            },
            "ListJobs": {
                "name": "ListJobs",
                "http": {"method": "GET", "requestUri": "/jobs"},
                "input": _s("ListJobsRequest"),
                "output": _s("ListJobsResponse"),
            },
        },
        "shapes": {
            "CreateJobRequest": {
                "type": "structure",
                "required": ["id"],
                "members": {
                    "id": _s("JobId", location="uri", locationName="id"),
                    "name": _s("String", documentation="<p>The name.</p>"),
                    "count": _s("Count"),
                    "tags": _s("TagList"),
                    "mode": _s("Mode"),
                    "startAt": _s("Timestamp"),
                    "token": _s("String", location="header", locationName="x-token"),
                    "settings": _s("String"),
                    "driver": _s("JobDriver"),
                },
            },
            "CreateJobResponse": {
                "type": "structure",
                "members": {"job": _s("Job")},
            },
            "GetJobRequest": {
                "type": "structure",
                "required": ["id"],
                "members": {"id": _s("JobId", location="uri", locationName="id")},
            },
            "GetJobResponse": {
                "type": "structure",
                "members": {"job": _s("Job")},
            },
            "ListJobsRequest": {
                "type": "structure",
                "members": {
                    "nextToken": _s(
                        "String", location="querystring", locationName="token"
                    ),
                    "maxResults": _s(
                        "Count", location="querystring", locationName="max"
                    ),
                },
            },
            "ListJobsResponse": {
                "type": "structure",
                "members": {"jobs": _s("JobList"), "nextToken": _s("String")},
            },
            "JobList": {"type": "list", "member": _s("Job")},
            "Job": {
                "type": "structure",
                "required": ["id", "state"],
                "members": {
                    "id": _s("JobId"),
                    "state": _s("State"),
                    "name": _s("String"),
                },
                "documentation": "<p>A job.</p>",
            },
            "JobDriver": {
                "type": "structure",
                "members": {"sparkSubmit": _s("SparkSubmit")},
            },
            "SparkSubmit": {
                "type": "structure",
                "required": ["entryPoint"],
                "members": {"entryPoint": _s("String")},
            },
            "ConflictException": {
                "type": "structure",
                "members": {"message": _s("String")},
                "error": {"httpStatusCode": 409},
                "exception": True,
            },
            "NotFoundException": {
                "type": "structure",
                "members": {"message": _s("String"), "resource": _s("String")},
                "error": {"httpStatusCode": 404},
                "exception": True,
            },
            "JobId": {"type": "string", "min": 1},
            "String": {"type": "string"},
            "Count": {"type": "integer", "min": 1, "max": 100},
            "TagList": {"type": "list", "member": _s("String"), "min": 1},
            "Mode": {"type": "string", "enum": ["FAST", "SLOW"]},
            "State": {"type": "string", "enum": ["RUNNING", "DONE"]},
            "Timestamp": {"type": "timestamp"},
        },
    }
    paginators: Model = {
        "pagination": {
            "ListJobs": {
                "input_token": "nextToken",
                "output_token": "nextToken",
                "limit_key": "maxResults",
                "result_key": "jobs",
            }
        }
    }
    waiters: Model = {
        "version": 2,
        "waiters": {
            "JobDone": {
                "operation": "GetJob",
                "delay": 5,
                "maxAttempts": 10,
                "acceptors": [
                    {
                        "matcher": "path",
                        "argument": "job.state",
                        "expected": "DONE",
                        "state": "success",
                    }
                ],
            }
        },
    }
    return {"service": service, "paginators": paginators, "waiters": waiters}


def files(model: dict[str, Model], name: str = "jobs") -> ServiceFiles:
    return ServiceFiles(
        name=name,
        directory=Path("<memory>") / name,
        service=copy.deepcopy(model["service"]),
        paginators=copy.deepcopy(model.get("paginators")),
        waiters=copy.deepcopy(model.get("waiters")),
        endpoint_rules=None,
    )


def report(old: dict[str, Model], new: dict[str, Model]) -> ServiceReport:
    return compare("jobs", surface(files(old)), surface(files(new)))


def lines(r: ServiceReport) -> set[tuple[str, str, str]]:
    """(class, symbol, change code) of every change."""
    return {(c.severity.value, c.symbol, c.change) for c in r.changes}


def write_real(version: str, target: Path) -> Path:
    """The checked-in real models of one botocore version, as a models dir."""
    for service in REAL_SERVICES:
        source = FIXTURES / service / version
        out = target / service
        out.mkdir(parents=True)
        with gzip.open(source / "service-2.json.gz", "rt", encoding="utf-8") as f:
            document = json.load(f)
        (out / "service-2.json").write_text(json.dumps(document, indent=2))
        for extra in source.glob("*.json"):
            shutil.copy(extra, out / extra.name)
    return target


def write_models(models: dict[str, dict[str, Model]], target: Path) -> Path:
    """Synthetic models (service name -> base()-like dict) as a models dir."""
    names = {
        "service": "service-2.json",
        "paginators": "paginators-1.json",
        "waiters": "waiters-2.json",
    }
    for name, model in models.items():
        out = target / name
        out.mkdir(parents=True, exist_ok=True)
        for key, filename in names.items():
            if key in model:
                (out / filename).write_text(json.dumps(model[key], indent=2))
    return target


def in_memory(label: str, models: dict[str, dict[str, Model]]) -> SnapshotSource:
    return SnapshotSource(label, {n: files(m, n) for n, m in models.items()})


def full_report(
    old: dict[str, dict[str, Model]], new: dict[str, dict[str, Model]]
) -> Report:
    return diff(in_memory("old", old), in_memory("new", new))
