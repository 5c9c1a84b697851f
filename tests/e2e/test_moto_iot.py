"""IoT jobs end to end against moto: our client and boto3 agree."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from generated.iot import IoTClient, enums, errors, shapes
from tests.e2e.support import RecordingTransport, same_as_boto3


@pytest.fixture
def ours(client_options: dict[str, Any]) -> Iterator[IoTClient]:
    with IoTClient(**client_options) as client:
        yield client


@pytest.fixture
def boto(boto3_client: Callable[[str], Any]) -> Any:
    return boto3_client("iot")


_WIRE = {"job_id": "jobId", "thing_name": "thingName"}


def _follow(
    call: Callable[..., Any],
    boto_call: Callable[..., Any],
    check: Callable[[Any, Any], None],
    **params: Any,
) -> list[Any]:
    """Every page, following next_token by hand; each page checked against boto3."""
    pages = []
    token: str | None = None
    boto_token: str | None = None
    for _ in range(10):  # a broken token must fail the test, not loop forever
        page = call(max_results=2, next_token=token, **params)
        boto_page = boto_call(
            maxResults=2,
            **({"nextToken": boto_token} if boto_token else {}),
            **{_WIRE[k]: v for k, v in params.items()},
        )
        check(page, boto_page)
        pages.append(page)
        token, boto_token = page.next_token, boto_page.get("nextToken")
        if token is None:
            assert boto_token is None
            return pages
    raise AssertionError("the next token never ran out")


def test_thing_job_lifecycle(ours: IoTClient, boto: Any) -> None:
    things = [
        ours.create_thing(
            thing_name=f"e2e-thing-{n}",
            attribute_payload=shapes.AttributePayload(attributes={"floor": str(n)}),
        )
        for n in range(3)
    ]
    arns = [t.thing_arn or "" for t in things]
    described_thing = ours.describe_thing(thing_name="e2e-thing-1")
    same_as_boto3(
        described_thing,
        boto,
        "DescribeThing",
        boto.describe_thing(thingName="e2e-thing-1"),
    )
    assert described_thing.attributes == {"floor": "1"}

    document = json.dumps({"operation": "reboot", "delaySeconds": 5})
    jobs = [
        ours.create_job(
            job_id=f"e2e-job-{n}",
            targets=arns,
            document=document,
            description=f"reboot wave {n}",
            target_selection=enums.TargetSelection.SNAPSHOT,
            tags=[shapes.Tag(key="wave", value=str(n))],
        )
        for n in range(5)
    ]
    assert [j.job_id for j in jobs] == [f"e2e-job-{n}" for n in range(5)]

    described = ours.describe_job(job_id="e2e-job-0")
    same_as_boto3(described, boto, "DescribeJob", boto.describe_job(jobId="e2e-job-0"))
    # moto says QUEUED, a status the model does not know: kept as a plain str.
    assert described.job.status == "QUEUED" and type(described.job.status) is str
    assert described.job.target_selection is enums.TargetSelection.SNAPSHOT
    assert described.job.targets == arns
    assert described.job.created_at is not None and described.job.created_at.tzinfo

    # moto gap: ListJobs pages never advance (its token always points at the
    # first page), so only the first page is compared; things page properly.
    first_jobs = ours.list_jobs(max_results=2)
    same_as_boto3(first_jobs, boto, "ListJobs", boto.list_jobs(maxResults=2))
    assert [j.job_id for j in first_jobs.jobs] == ["e2e-job-0", "e2e-job-1"]
    assert first_jobs.next_token

    thing_pages = _follow(
        ours.list_things,
        boto.list_things,
        lambda page, boto_page: same_as_boto3(page, boto, "ListThings", boto_page),
    )
    assert len(thing_pages) == 2
    assert [t.thing_arn for p in thing_pages for t in p.things] == arns

    execution_pages = _follow(
        ours.list_job_executions_for_job,
        boto.list_job_executions_for_job,
        lambda page, boto_page: same_as_boto3(
            page, boto, "ListJobExecutionsForJob", boto_page
        ),
        job_id="e2e-job-0",
    )
    assert sorted(
        s.thing_arn for p in execution_pages for s in p.execution_summaries
    ) == sorted(arns)

    for_thing = _follow(
        ours.list_job_executions_for_thing,
        boto.list_job_executions_for_thing,
        lambda page, boto_page: same_as_boto3(
            page, boto, "ListJobExecutionsForThing", boto_page
        ),
        thing_name="e2e-thing-0",
    )
    assert [s.job_id for p in for_thing for s in p.execution_summaries] == [
        j.job_id for j in jobs
    ]

    execution = ours.describe_job_execution(
        job_id="e2e-job-0", thing_name="e2e-thing-0"
    )
    same_as_boto3(
        execution,
        boto,
        "DescribeJobExecution",
        boto.describe_job_execution(jobId="e2e-job-0", thingName="e2e-thing-0"),
    )

    cancelled = ours.cancel_job(job_id="e2e-job-0", comment="e2e", reason_code="TEST")
    assert cancelled.job_id == "e2e-job-0" and cancelled.job_arn == jobs[0].job_arn
    after = ours.describe_job(job_id="e2e-job-0")
    same_as_boto3(after, boto, "DescribeJob", boto.describe_job(jobId="e2e-job-0"))
    assert after.job.status in (enums.JobStatus.CANCELED, "CANCELED")
    assert after.job.comment == "e2e"

    assert ours.delete_job(job_id="e2e-job-0", force=True) is None
    with pytest.raises(errors.ResourceNotFoundException):
        ours.describe_job(job_id="e2e-job-0")
    remaining = ours.list_jobs()
    same_as_boto3(remaining, boto, "ListJobs", boto.list_jobs())
    assert len(remaining.jobs) == 4

    ours.delete_thing(thing_name="e2e-thing-2")
    listed = ours.list_things()
    same_as_boto3(listed, boto, "ListThings", boto.list_things())
    assert sorted(t.thing_name for t in listed.things) == ["e2e-thing-0", "e2e-thing-1"]


def test_missing_job_raises_typed_error(
    client_options: dict[str, Any], boto: Any
) -> None:
    transport = RecordingTransport()
    client = IoTClient(transport=transport, **client_options)
    with pytest.raises(errors.ResourceNotFoundException) as caught:
        client.describe_job(job_id="no-such-job")
    error = caught.value
    with pytest.raises(boto.exceptions.ResourceNotFoundException) as boto_caught:
        boto.describe_job(jobId="no-such-job")
    expected = boto_caught.value.response
    assert isinstance(error, errors.IoTError)
    assert error.code == expected["Error"]["Code"] == "ResourceNotFoundException"
    assert error.message == expected["Error"]["Message"] != ""
    assert error.status_code == expected["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert error.request_id == transport.last_response.headers["x-amzn-requestid"]
    assert error.request_id


def test_conflicting_create_carries_modelled_members(
    ours: IoTClient, boto: Any
) -> None:
    # moto does not refuse a duplicate job id; a duplicate policy it does refuse.
    document = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"}
            ],
        }
    )
    created = ours.create_policy(policy_name="e2e-policy", policy_document=document)
    with pytest.raises(errors.ResourceAlreadyExistsException) as caught:
        ours.create_policy(policy_name="e2e-policy", policy_document=document + " ")
    with pytest.raises(boto.exceptions.ResourceAlreadyExistsException) as boto_caught:
        boto.create_policy(policyName="e2e-policy", policyDocument=document + " ")
    expected = boto_caught.value.response
    error = caught.value
    assert error.code == expected["Error"]["Code"] == "ResourceAlreadyExistsException"
    assert error.message == expected["Error"]["Message"]
    assert error.status_code == expected["ResponseMetadata"]["HTTPStatusCode"] == 409
    # Modelled members of the error shape, parsed as botocore parses them.
    assert error.resource_id == expected["resourceId"] == "e2e-policy"
    assert error.resource_arn == expected["resourceArn"] == created.policy_arn
