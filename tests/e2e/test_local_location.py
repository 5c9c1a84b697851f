"""Amazon Location against a local scripted server (moto has no Location).

Every request is checked by the server: its SigV4 signature re-computed by
botocore's signer (signing name ``geo``), its host prefix, path and method.
The same call made by a botocore client to the same server must send the same
request, and the same scripted response must parse to the same result.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.config
import pytest

from generated.location import LocationClient, enums, errors, shapes
from tests.e2e.support import (
    ACCESS_KEY,
    REGION,
    SECRET_KEY,
    SESSION_TOKEN,
    Reply,
    ScriptedAwsServer,
    comparable_headers,
    error_reply,
    output_shape,
    to_wire,
)

ROLE = "arn:aws:iam::123456789012:role/e2e-location-job"
JOB_ARN = "arn:aws:geo:us-east-1:123456789012:job/0f2e4a1c-job"
CREATED = "2024-05-01T12:30:45.123Z"
CREATED_AT = datetime.datetime(2024, 5, 1, 12, 30, 45, 123000, tzinfo=datetime.UTC)


def _ours(server: ScriptedAwsServer, **options: Any) -> LocationClient:
    return LocationClient(
        endpoint_url=server.endpoint_url,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        **options,
    )


def _botocore(server: ScriptedAwsServer, **config: Any) -> Any:
    return boto3.session.Session().client(
        "location",
        endpoint_url=server.endpoint_url,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=botocore.config.Config(retries={"mode": "standard"}, **config),
    )


@pytest.fixture
def ours(aws_server: ScriptedAwsServer) -> Iterator[LocationClient]:
    with _ours(aws_server) as client:
        yield client


def _start_job_reply() -> Reply:
    return Reply(
        200,
        {
            "CreatedAt": CREATED,
            "JobArn": JOB_ARN,
            "JobId": "job-1",
            "Status": "Pending",
        },
        {"Content-Type": "application/json"},
    )


def _start_job_args() -> dict[str, Any]:
    return dict(
        action=enums.JobAction.VALIDATEADDRESS,
        execution_role_arn=ROLE,
        input_options=shapes.JobInputOptions(
            location="s3://in/addresses/", format=enums.JobInputFormat.PARQUET
        ),
        output_options=shapes.JobOutputOptions(
            format="Parquet", location="s3://out/validated/"
        ),
        action_options=shapes.JobActionOptions(
            validate_address=shapes.ValidateAddressActionOptions(
                additional_features=["Position", "CountrySpecificAttributes"]
            )
        ),
        client_token="e2e-token-0001",
        name="validate-addresses",
        tags={"team": "geo", "run": "e2e"},
    )


_BOTO_START_JOB = dict(
    Action="ValidateAddress",
    ExecutionRoleArn=ROLE,
    InputOptions={"Location": "s3://in/addresses/", "Format": "Parquet"},
    OutputOptions={"Format": "Parquet", "Location": "s3://out/validated/"},
    ActionOptions={
        "ValidateAddress": {
            "AdditionalFeatures": ["Position", "CountrySpecificAttributes"]
        }
    },
    ClientToken="e2e-token-0001",
    Name="validate-addresses",
    Tags={"team": "geo", "run": "e2e"},
)


def test_start_job_goes_to_metadata_host_signed_like_botocore(
    aws_server: ScriptedAwsServer, ours: LocationClient
) -> None:
    aws_server.script(_start_job_reply(), _start_job_reply())
    result = ours.start_job(**_start_job_args())
    boto_result = _botocore(aws_server).start_job(**_BOTO_START_JOB)

    mine, theirs = aws_server.take()
    assert mine.signature_problem is None, mine.signature_problem
    assert theirs.signature_problem is None, theirs.signature_problem
    assert mine.host == theirs.host == f"metadata.localhost:{aws_server.port}"
    assert (
        (mine.method, mine.target)
        == (theirs.method, theirs.target)
        == ("POST", "/metadata/v0/jobs")
    )
    assert comparable_headers(mine) == comparable_headers(theirs)
    assert mine.json() == theirs.json()
    assert mine.json()["ClientToken"] == "e2e-token-0001"
    # Same credential scope and signed header list as botocore.
    assert (
        mine.header("Authorization").split("Signature=")[0]
        == theirs.header("Authorization").split("Signature=")[0]
    )
    assert mine.header("X-Amz-Content-SHA256") is None  # payload signed, not flagged

    assert to_wire(result, output_shape(_botocore(aws_server), "StartJob")) == {
        k: v for k, v in boto_result.items() if k != "ResponseMetadata"
    }
    assert result.created_at == CREATED_AT
    assert result.status is enums.JobStatus.PENDING


def test_idempotency_token_is_filled_in(
    aws_server: ScriptedAwsServer, ours: LocationClient
) -> None:
    aws_server.script(_start_job_reply(), _start_job_reply())
    args = _start_job_args()
    del args["client_token"]
    ours.start_job(**args)
    ours.start_job(**args)
    first, second = (r.json()["ClientToken"] for r in aws_server.take())
    assert len(first) == 36 and first.count("-") == 4
    assert first != second  # fresh per call (and the same on every retry: see faults)


def test_session_token_is_sent_and_signed(aws_server: ScriptedAwsServer) -> None:
    aws_server.reset(service="geo", token=SESSION_TOKEN)
    aws_server.script(_start_job_reply())
    with _ours(aws_server, aws_session_token=SESSION_TOKEN) as client:
        client.start_job(**_start_job_args())
    (request,) = aws_server.take()
    assert request.signature_problem is None, request.signature_problem
    assert request.header("X-Amz-Security-Token") == SESSION_TOKEN
    assert "x-amz-security-token" in (request.header("Authorization") or "")


def test_list_jobs_follows_next_token(
    aws_server: ScriptedAwsServer, ours: LocationClient
) -> None:
    def entry(n: int, status: str) -> dict[str, Any]:
        return {
            "Action": "ValidateAddress",
            "CreatedAt": CREATED,
            "UpdatedAt": "2024-05-01T13:00:00Z",
            "ExecutionRoleArn": ROLE,
            "InputOptions": {"Location": "s3://in/", "Format": "Parquet"},
            "OutputOptions": {"Format": "Parquet", "Location": "s3://out/"},
            "JobId": f"job-{n}",
            "JobArn": f"{JOB_ARN}-{n}",
            "Status": status,
        }

    pages = [
        {
            "Entries": [entry(1, "Completed"), entry(2, "Running")],
            "NextToken": "page/2+=",
        },
        {"Entries": [entry(3, "Archived")]},  # a status the model does not know
    ]
    aws_server.script(*(Reply(200, p) for p in pages * 2))
    seen: list[Any] = []
    token = None
    for _ in range(10):  # a token that never runs out fails
        page = ours.list_jobs(
            max_results=2,
            next_token=token,
            filter=shapes.JobsFilter(job_status="Running"),
        )
        seen += page.entries
        token = page.next_token
        if token is None:
            break
    else:
        raise AssertionError("the next token never ran out")
    boto = _botocore(aws_server)
    boto_pages = [boto.list_jobs(MaxResults=2, Filter={"JobStatus": "Running"})]
    boto_pages.append(
        boto.list_jobs(
            MaxResults=2,
            NextToken=boto_pages[0]["NextToken"],
            Filter={"JobStatus": "Running"},
        )
    )
    requests = aws_server.take()
    assert [r.json() for r in requests[:2]] == [r.json() for r in requests[2:]]
    assert requests[1].json() == {
        "MaxResults": 2,
        "NextToken": "page/2+=",
        "Filter": {"JobStatus": "Running"},
    }
    assert all(r.host == f"metadata.localhost:{aws_server.port}" for r in requests)
    aws_server.assert_all_signed()

    assert [j.job_id for j in seen] == ["job-1", "job-2", "job-3"]
    assert seen[2].status == "Archived" and type(seen[2].status) is str
    shape = output_shape(boto, "ListJobs").members["Entries"]
    assert to_wire(seen, shape) == boto_pages[0]["Entries"] + boto_pages[1]["Entries"]


def test_get_job_uri_label_and_nested_output(
    aws_server: ScriptedAwsServer, ours: LocationClient
) -> None:
    body = {
        "Action": "ValidateAddress",
        "CreatedAt": CREATED,
        "UpdatedAt": CREATED,
        "EndedAt": "2024-05-01T14:00:00Z",
        "ExecutionRoleArn": ROLE,
        "InputOptions": {"Location": "s3://in/", "Format": "Parquet"},
        "OutputOptions": {"Format": "Parquet", "Location": "s3://out/"},
        "JobId": "job/1 ü",
        "JobArn": JOB_ARN,
        "Status": "Failed",
        "Error": {"Code": "InternalServerError", "Messages": ["boom", "again"]},
        "Tags": {"a": "b"},
        "UnknownNewMember": {"x": 1},
    }
    aws_server.script(Reply(200, body), Reply(200, body))
    job = ours.get_job(job_id="job/1 ü")
    boto = _botocore(aws_server)
    boto_job = boto.get_job(JobId="job/1 ü")
    mine, theirs = aws_server.take()
    assert mine.target == theirs.target == "/metadata/v0/jobs/job%2F1%20%C3%BC"
    assert mine.method == "GET" and mine.body == b"" == theirs.body
    assert comparable_headers(mine) == comparable_headers(theirs)
    aws_server.assert_all_signed()
    assert to_wire(job, output_shape(boto, "GetJob")) == {
        k: v for k, v in boto_job.items() if k != "ResponseMetadata"
    }
    assert job.error is not None and job.error.messages == ["boom", "again"]


def test_blob_payload_with_header_members(
    aws_server: ScriptedAwsServer, ours: LocationClient
) -> None:
    tile = bytes(range(256)) * 64
    headers = {
        "Content-Type": "application/vnd.mapbox-vector-tile",
        "Cache-Control": "max-age=3600",
    }
    aws_server.script(Reply(200, tile, headers), Reply(200, tile, headers))
    result = ours.get_map_tile(
        map_name="e2e-map", z="3", x="2", y="1", key="v1.public.e2e-api-key"
    )
    boto = _botocore(aws_server)
    boto_result = boto.get_map_tile(
        MapName="e2e-map", Z="3", X="2", Y="1", Key="v1.public.e2e-api-key"
    )
    mine, theirs = aws_server.take()
    assert mine.host == f"maps.localhost:{aws_server.port}"
    assert (
        mine.target
        == theirs.target
        == "/maps/v0/maps/e2e-map/tiles/3/2/1?key=v1.public.e2e-api-key"
    )
    assert comparable_headers(mine) == comparable_headers(theirs)
    aws_server.assert_all_signed()
    assert result.blob == tile
    assert result.content_type == headers["Content-Type"]
    assert result.cache_control == headers["Cache-Control"]
    # botocore hands any blob payload out as a StreamingBody (its
    # has_streaming_output ignores the ``streaming`` trait); the model says
    # this blob is not streaming, so ours is typed ``bytes``: same content.
    boto_result["Blob"] = boto_result["Blob"].read()
    assert to_wire(result, output_shape(boto, "GetMapTile")) == {
        k: v for k, v in boto_result.items() if k != "ResponseMetadata"
    }


def test_inject_host_prefix_false(aws_server: ScriptedAwsServer) -> None:
    aws_server.script(_start_job_reply(), _start_job_reply())
    with _ours(aws_server, inject_host_prefix=False) as client:
        client.start_job(**_start_job_args())
    _botocore(aws_server, inject_host_prefix=False).start_job(**_BOTO_START_JOB)
    mine, theirs = aws_server.take()
    assert mine.host == theirs.host == f"localhost:{aws_server.port}"
    aws_server.assert_all_signed()


def test_modelled_error_with_members(
    aws_server: ScriptedAwsServer, ours: LocationClient
) -> None:
    reply = error_reply(
        400,
        "ValidationException",
        "Input is not valid",
        request_id="req-val-1",
        reason="FieldValidationFailed",
        fieldList=[{"name": "InputOptions.Location", "message": "not an S3 URI"}],
    )
    aws_server.script(reply, reply)
    with pytest.raises(errors.ValidationException) as caught:
        ours.start_job(**_start_job_args())
    with pytest.raises(Exception) as boto_caught:
        _botocore(aws_server).start_job(**_BOTO_START_JOB)
    expected = boto_caught.value.response  # type: ignore[attr-defined]
    error = caught.value
    assert len(aws_server.take()) == 2  # a 400 validation error is not retried
    assert isinstance(error, errors.LocationError)
    assert (error.code, error.message) == (
        expected["Error"]["Code"],
        expected["Error"]["Message"],
    )
    assert error.status_code == 400 and error.request_id == "req-val-1"
    assert error.reason is enums.ValidationExceptionReason.FIELDVALIDATIONFAILED
    assert error.field_list == [
        shapes.ValidationExceptionField(
            name="InputOptions.Location", message="not an S3 URI"
        )
    ]
    assert expected["Reason"] == "FieldValidationFailed"
