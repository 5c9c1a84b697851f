"""Every rule of the API-change report on a small synthetic model pair.

Each case changes one thing in ``tests.apidiff_support.base()`` and names the
line (class, Python symbol, change code) the report must hold; the report of
an unchanged model is empty.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from tests.apidiff_support import Model, base, lines, report

Mutation = Callable[[dict[str, Model]], None]
C = "JobsClient"


def shapes(m: dict[str, Model]) -> dict[str, Any]:
    result: dict[str, Any] = m["service"]["shapes"]
    return result


def ops(m: dict[str, Model]) -> dict[str, Any]:
    result: dict[str, Any] = m["service"]["operations"]
    return result


def member(m: dict[str, Model], shape: str, name: str) -> dict[str, Any]:
    result: dict[str, Any] = shapes(m)[shape]["members"][name]
    return result


def remove_driver(m: dict[str, Model]) -> None:
    del shapes(m)["CreateJobRequest"]["members"]["driver"]
    del shapes(m)["JobDriver"], shapes(m)["SparkSubmit"]


def remove_conflict(m: dict[str, Model]) -> None:
    del ops(m)["CreateJob"]["errors"]
    del shapes(m)["ConflictException"]


def add_required_args(m: dict[str, Model]) -> None:
    shapes(m)["SparkSubmit"]["members"]["args"] = {"shape": "String"}
    shapes(m)["SparkSubmit"]["required"] = ["entryPoint", "args"]


def add_operation(m: dict[str, Model]) -> None:
    ops(m)["StopJob"] = {
        "name": "StopJob",
        "http": {"method": "POST", "requestUri": "/jobs/{id}/stop"},
        "input": {"shape": "GetJobRequest"},
        "errors": [{"shape": "BusyException"}],
    }
    shapes(m)["BusyException"] = {
        "type": "structure",
        "members": {},
        "exception": True,
    }


def add_paginated(m: dict[str, Model]) -> None:
    ops(m)["ListMore"] = {**ops(m)["ListJobs"], "name": "ListMore"}
    ops(m)["ListMore"]["http"] = {"method": "GET", "requestUri": "/more"}
    m["paginators"]["pagination"]["ListMore"] = m["paginators"]["pagination"][
        "ListJobs"
    ]
    m["waiters"]["waiters"]["JobRunning"] = {**m["waiters"]["waiters"]["JobDone"]}


def set_(
    path: Callable[[dict[str, Model]], dict[str, Any]], key: str, value: Any
) -> Mutation:
    def mutate(m: dict[str, Model]) -> None:
        path(m)[key] = value

    return mutate


def drop(path: Callable[[dict[str, Model]], dict[str, Any]], key: str) -> Mutation:
    def mutate(m: dict[str, Model]) -> None:
        del path(m)[key]

    return mutate


def create_member(name: str) -> Callable[[dict[str, Model]], dict[str, Any]]:
    return lambda m: member(m, "CreateJobRequest", name)


def shape(name: str) -> Callable[[dict[str, Model]], dict[str, Any]]:
    return lambda m: shapes(m)[name]


def op(name: str) -> Callable[[dict[str, Model]], dict[str, Any]]:
    return lambda m: ops(m)[name]


def meta(m: dict[str, Model]) -> dict[str, Any]:
    result: dict[str, Any] = m["service"]["metadata"]
    return result


# (case, mutation, (class, symbol, change code) the report must hold)
CASES: list[tuple[str, Mutation, tuple[str, str, str]]] = [
    # -- breaking
    (
        "operation removed",
        drop(ops, "DeleteJob"),
        ("breaking", f"{C}.delete_job", "removed"),
    ),
    (
        "paginator removed",
        drop(lambda m: m["paginators"]["pagination"], "ListJobs"),
        ("breaking", f"{C}.get_paginator('list_jobs')", "removed"),
    ),
    (
        "waiter removed",
        drop(lambda m: m["waiters"]["waiters"], "JobDone"),
        ("breaking", f"{C}.get_waiter('job_done')", "removed"),
    ),
    ("structure removed", remove_driver, ("breaking", "shapes.JobDriver", "removed")),
    (
        "parameter removed",
        remove_driver,
        ("breaking", f"{C}.create_job(driver=...)", "removed"),
    ),
    (
        "structure member removed",
        drop(lambda m: shapes(m)["Job"]["members"], "name"),
        ("breaking", "shapes.Job.name", "removed"),
    ),
    (
        "enum value removed",
        set_(shape("Mode"), "enum", ["SLOW"]),
        ("breaking", "enums.Mode.FAST", "removed"),
    ),
    (
        "error removed",
        remove_conflict,
        ("breaking", "errors.ConflictException", "removed"),
    ),
    (
        "parameter newly required",
        set_(shape("CreateJobRequest"), "required", ["id", "name"]),
        ("breaking", f"{C}.create_job(name=...)", "required"),
    ),
    (
        "member of an input structure newly required",
        set_(shape("JobDriver"), "required", ["sparkSubmit"]),
        ("breaking", "shapes.JobDriver.spark_submit", "required"),
    ),
    (
        "required member added to an input",
        add_required_args,
        ("breaking", "shapes.SparkSubmit.args", "required"),
    ),
    (
        "parameter type changed",
        set_(create_member("count"), "shape", "String"),
        ("breaking", f"{C}.create_job(count=...)", "type"),
    ),
    (
        "enum parameter made a plain string",
        set_(create_member("mode"), "shape", "String"),
        ("breaking", f"{C}.create_job(mode=...)", "type"),
    ),
    (
        "output type changed",
        set_(lambda m: ops(m)["GetJob"], "output", {"shape": "CreateJobResponse"}),
        ("breaking", f"{C}.get_job", "type"),
    ),
    (
        "numeric min raised",
        set_(shape("Count"), "min", 5),
        ("breaking", f"{C}.create_job(count=...)", "limit"),
    ),
    (
        "numeric max lowered",
        set_(shape("Count"), "max", 50),
        ("breaking", f"{C}.list_jobs(max_results=...)", "limit"),
    ),
    (
        "length min raised",
        set_(shape("TagList"), "min", 2),
        ("breaking", f"{C}.create_job(tags=...)", "limit"),
    ),
    (
        "length min added on the items of a list",
        set_(shape("String"), "min", 3),
        ("breaking", f"{C}.create_job(tags=...)", "limit"),
    ),
    (
        "service renamed",
        set_(meta, "serviceId", "Job Runner"),
        ("breaking", C, "renamed"),
    ),
    (
        "member of a read structure no longer required",
        set_(shape("Job"), "required", ["id"]),
        ("breaking", "shapes.Job.state", "optional"),
    ),
    # -- wire
    (
        "location",
        set_(create_member("token"), "location", "querystring"),
        ("wire", f"{C}.create_job(token=...)", "wire"),
    ),
    (
        "location name",
        set_(create_member("token"), "locationName", "x-job-token"),
        ("wire", f"{C}.create_job(token=...)", "wire"),
    ),
    (
        "wire name (same Python name)",
        lambda m: shapes(m)["Job"]["members"].update(
            {"Name": shapes(m)["Job"]["members"].pop("name")}
        ),
        ("wire", "shapes.Job.name", "wire"),
    ),
    (
        "timestamp format",
        set_(create_member("startAt"), "timestampFormat", "unixTimestamp"),
        ("wire", f"{C}.create_job(start_at=...)", "wire"),
    ),
    (
        "jsonvalue",
        set_(create_member("settings"), "jsonvalue", True),
        ("wire", f"{C}.create_job(settings=...)", "wire"),
    ),
    (
        "host prefix",
        set_(op("CreateJob"), "endpoint", {"hostPrefix": "api."}),
        ("wire", f"{C}.create_job", "wire"),
    ),
    (
        "HTTP method",
        set_(op("DeleteJob"), "http", {"method": "POST", "requestUri": "/jobs/{id}"}),
        ("wire", f"{C}.delete_job", "wire"),
    ),
    (
        "HTTP URI",
        set_(op("GetJob"), "http", {"method": "GET", "requestUri": "/job/{id}"}),
        ("wire", f"{C}.get_job", "wire"),
    ),
    ("protocol", set_(meta, "protocol", "rest-xml"), ("wire", C, "wire")),
    (
        "error code",
        set_(shape("NotFoundException"), "error", {"httpStatusCode": 410}),
        ("wire", "errors.NotFoundException", "wire"),
    ),
    (
        "paging spec",
        set_(lambda m: m["paginators"]["pagination"]["ListJobs"], "limit_key", None),
        ("wire", f"{C}.get_paginator('list_jobs')", "wire"),
    ),
    (
        "waiter spec",
        set_(lambda m: m["waiters"]["waiters"]["JobDone"], "delay", 30),
        ("wire", f"{C}.get_waiter('job_done')", "wire"),
    ),
    # -- addition
    ("operation added", add_operation, ("addition", f"{C}.stop_job", "added")),
    (
        "error added",
        add_operation,
        ("addition", "errors.BusyException", "added"),
    ),
    (
        "optional parameter added",
        set_(
            lambda m: shapes(m)["CreateJobRequest"]["members"],
            "owner",
            {"shape": "String"},
        ),
        ("addition", f"{C}.create_job(owner=...)", "added"),
    ),
    (
        "member added to a read structure",
        set_(lambda m: shapes(m)["Job"]["members"], "owner", {"shape": "String"}),
        ("addition", "shapes.Job.owner", "added"),
    ),
    (
        "enum value added",
        set_(shape("State"), "enum", ["RUNNING", "DONE", "FAILED"]),
        ("addition", "enums.State.FAILED", "added"),
    ),
    (
        "paginator added",
        add_paginated,
        ("addition", f"{C}.get_paginator('list_more')", "added"),
    ),
    (
        "waiter added",
        add_paginated,
        ("addition", f"{C}.get_waiter('job_running')", "added"),
    ),
    (
        "parameter no longer required",
        set_(shape("CreateJobRequest"), "required", []),
        ("addition", f"{C}.create_job(id=...)", "optional"),
    ),
    (
        "member of a read-only structure newly required",
        set_(shape("Job"), "required", ["id", "state", "name"]),
        ("addition", "shapes.Job.name", "required"),
    ),
    (
        "numeric limit relaxed",
        set_(shape("Count"), "max", 1000),
        ("addition", f"{C}.create_job(count=...)", "limit"),
    ),
    # -- docs
    (
        "operation documentation",
        set_(op("CreateJob"), "documentation", "<p>Creates a job, quickly.</p>"),
        ("docs", f"{C}.create_job", "docs"),
    ),
    (
        "member documentation",
        set_(create_member("name"), "documentation", "<p>The job's name.</p>"),
        ("docs", f"{C}.create_job(name=...)", "docs"),
    ),
    (
        "structure documentation",
        set_(shape("Job"), "documentation", "<p>One job.</p>"),
        ("docs", "shapes.Job", "docs"),
    ),
    (
        "operation deprecated",
        set_(op("GetJob"), "deprecated", True),
        ("docs", f"{C}.get_job", "deprecated"),
    ),
]


@pytest.mark.parametrize(
    ("mutation", "expected"),
    [pytest.param(m, e, id=name) for name, m, e in CASES],
)
def test_rule(mutation: Mutation, expected: tuple[str, str, str]) -> None:
    old = base()
    new = copy.deepcopy(old)
    mutation(new)
    assert expected in lines(report(old, new))


@pytest.mark.parametrize(
    ("mutation", "severity"),
    [
        pytest.param(m, e[0], id=name)
        for name, m, e in CASES
        if e[0] in ("wire", "docs")
    ],
)
def test_wire_and_docs_changes_are_nothing_else(
    mutation: Mutation, severity: str
) -> None:
    """A wire or documentation change leaves the Python API as it was."""
    old = base()
    new = copy.deepcopy(old)
    mutation(new)
    assert {line[0] for line in lines(report(old, new))} == {severity}


def test_unchanged_model_has_no_changes() -> None:
    assert report(base(), base()).changes == ()


def test_a_renamed_shape_that_changes_no_python_name_is_no_change() -> None:
    old = base()
    new = copy.deepcopy(old)
    shapes(new)["Text"] = shapes(new).pop("String")
    for shape_ in shapes(new).values():
        for ref in [*shape_.get("members", {}).values(), shape_.get("member", {})]:
            if ref.get("shape") == "String":
                ref["shape"] = "Text"
    ops(new)["CreateJob"]["input"] = {"shape": "CreateJobInput"}
    shapes(new)["CreateJobInput"] = shapes(new).pop("CreateJobRequest")
    assert report(old, new).changes == ()


def test_a_renamed_class_is_one_breaking_line_and_its_members_follow_it() -> None:
    old = base()
    new = copy.deepcopy(old)
    shapes(new)["Driver"] = shapes(new).pop("JobDriver")
    member(new, "CreateJobRequest", "driver")["shape"] = "Driver"
    shapes(new)["Driver"]["members"]["mainClass"] = {"shape": "String"}
    assert lines(report(old, new)) == {
        ("breaking", "shapes.JobDriver", "renamed"),
        ("addition", "shapes.Driver.main_class", "added"),
    }


def test_a_renamed_enum_is_a_renamed_class() -> None:
    old = base()
    new = copy.deepcopy(old)
    shapes(new)["JobState"] = shapes(new).pop("State")
    member(new, "Job", "state")["shape"] = "JobState"
    assert lines(report(old, new)) == {("breaking", "enums.State", "renamed")}


def test_changes_are_ordered_breaking_first_then_by_symbol() -> None:
    old = base()
    new = copy.deepcopy(old)
    for _, mutation, _ in CASES[:3] + CASES[-4:]:
        mutation(new)
    changes = report(old, new).changes
    order = ("breaking", "wire", "addition", "docs")
    keys = [(order.index(c.severity.value), c.symbol) for c in changes]
    assert keys == sorted(keys)
