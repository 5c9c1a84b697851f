"""EMR Serverless end to end against moto: our client and boto3 agree."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from generated.emr_serverless import EMRServerlessClient, enums, errors, shapes
from tests.e2e.support import RecordingTransport, output_shape, same_as_boto3, to_wire

ROLE = "arn:aws:iam::123456789012:role/e2e-job"


@pytest.fixture
def ours(client_options: dict[str, Any]) -> Any:
    with EMRServerlessClient(**client_options) as client:
        yield client


@pytest.fixture
def boto(boto3_client: Callable[[str], Any]) -> Any:
    return boto3_client("emr-serverless")


def _driver(n: int) -> shapes.JobDriver:
    return shapes.JobDriver(
        spark_submit=shapes.SparkSubmit(
            entry_point=f"s3://e2e-bucket/job-{n}.py",
            entry_point_arguments=["--day", f"2024-01-0{n + 1}"],
            spark_submit_parameters="--conf spark.executor.cores=1",
        )
    )


def test_application_and_job_run_lifecycle(
    ours: EMRServerlessClient, boto: Any
) -> None:
    created = ours.create_application(
        name="e2e-app",
        release_label="emr-6.6.0",
        type="SPARK",
        tags={"team": "e2e"},
    )
    assert created.application_id and created.arn.endswith(created.application_id)
    app_id = created.application_id

    got = ours.get_application(application_id=app_id)
    same_as_boto3(
        got, boto, "GetApplication", boto.get_application(applicationId=app_id)
    )
    assert got.application.state is enums.ApplicationState.STARTED
    assert got.application.tags == {"team": "e2e"}

    # Start five job runs; the idempotency token is filled in for us.
    started = [
        ours.start_job_run(
            application_id=app_id,
            execution_role_arn=ROLE,
            job_driver=_driver(n),
            name=f"run-{n}",
        )
        for n in range(5)
    ]
    assert len({run.job_run_id for run in started}) == 5
    for run in started:
        assert run.application_id == app_id
        boto_run = boto.get_job_run(applicationId=app_id, jobRunId=run.job_run_id)
        assert boto_run["jobRun"]["arn"] == run.arn

    # Describe: every field equal to boto3's (datetimes, enums as str, nested).
    first = started[0].job_run_id
    described = ours.get_job_run(application_id=app_id, job_run_id=first)
    same_as_boto3(
        described,
        boto,
        "GetJobRun",
        boto.get_job_run(applicationId=app_id, jobRunId=first),
    )
    assert described.job_run.job_driver == _driver(0)
    assert isinstance(described.job_run.state, enums.JobRunState)

    # List two at a time, following the token by hand, page for page with boto3.
    our_ids: list[str] = []
    token: str | None = None
    boto_token: str | None = None
    pages = 0
    for _ in range(10):  # a token that never runs out fails
        page = ours.list_job_runs(
            application_id=app_id, max_results=2, next_token=token
        )
        boto_page = boto.list_job_runs(
            applicationId=app_id,
            maxResults=2,
            **({"nextToken": boto_token} if boto_token else {}),
        )
        same_as_boto3(page, boto, "ListJobRuns", boto_page)
        assert len(page.job_runs) <= 2
        our_ids += [run.id for run in page.job_runs]
        pages += 1
        token, boto_token = page.next_token, boto_page.get("nextToken")
        if token is None:
            break
    else:
        raise AssertionError("the next token never ran out")
    assert pages == 3
    assert sorted(our_ids) == sorted(run.job_run_id for run in started)

    # A filter in the query string (a list of enums, given as members).
    running = ours.list_job_runs(
        application_id=app_id, states=[enums.JobRunState.RUNNING, "SUCCESS"]
    )
    same_as_boto3(
        running,
        boto,
        "ListJobRuns",
        boto.list_job_runs(applicationId=app_id, states=["RUNNING", "SUCCESS"]),
    )

    # Cancel one, then both clients see it cancelled.
    cancelled = ours.cancel_job_run(application_id=app_id, job_run_id=first)
    assert (cancelled.application_id, cancelled.job_run_id) == (app_id, first)
    after = ours.get_job_run(application_id=app_id, job_run_id=first)
    assert after.job_run.state == "CANCELLED"
    same_as_boto3(
        after, boto, "GetJobRun", boto.get_job_run(applicationId=app_id, jobRunId=first)
    )

    # Stop and delete the application.
    assert (
        to_wire(
            ours.stop_application(application_id=app_id),
            output_shape(boto, "StopApplication"),
        )
        == {}
    )
    ours.delete_application(application_id=app_id)
    listed = ours.list_applications()
    same_as_boto3(listed, boto, "ListApplications", boto.list_applications())
    assert all(
        app.state == "TERMINATED" for app in listed.applications if app.id == app_id
    )


def test_applications_list_paginates_like_boto3(
    ours: EMRServerlessClient, boto: Any
) -> None:
    for n in range(3):
        ours.create_application(name=f"app-{n}", release_label="emr-6.6.0", type="HIVE")
    first = ours.list_applications(max_results=2)
    boto_first = boto.list_applications(maxResults=2)
    same_as_boto3(first, boto, "ListApplications", boto_first)
    assert first.next_token is not None
    second = ours.list_applications(max_results=2, next_token=first.next_token)
    same_as_boto3(
        second,
        boto,
        "ListApplications",
        boto.list_applications(maxResults=2, nextToken=boto_first["nextToken"]),
    )
    assert second.next_token is None
    assert {a.name for a in first.applications + second.applications} == {
        "app-0",
        "app-1",
        "app-2",
    }


def test_missing_resource_raises_typed_error(
    client_options: dict[str, Any], boto: Any
) -> None:
    transport = RecordingTransport()
    client = EMRServerlessClient(transport=transport, **client_options)
    with pytest.raises(errors.ResourceNotFoundException) as caught:
        client.get_application(application_id="0000000000000000")
    error = caught.value
    response = transport.last_response
    with pytest.raises(boto.exceptions.ResourceNotFoundException) as boto_caught:
        boto.get_application(applicationId="0000000000000000")
    boto_error = boto_caught.value.response
    assert isinstance(error, errors.EMRServerlessError)
    assert error.code == boto_error["Error"]["Code"] == "ResourceNotFoundException"
    assert error.message == boto_error["Error"]["Message"]
    assert "0000000000000000" in error.message
    assert error.status_code == boto_error["ResponseMetadata"]["HTTPStatusCode"]
    assert error.request_id == response.headers["x-amzn-requestid"]
    assert re.fullmatch(r"[A-Za-z0-9]{20,}", error.request_id or "")
    assert error.message in str(error) and error.request_id in str(error)

    with pytest.raises(errors.ResourceNotFoundException):
        client.get_job_run(application_id="0000000000000000", job_run_id="nope")
