"""The five reference methods: parameters, validation, tokens, request built.

Requests are compared with what botocore's own serializer builds.
"""

from __future__ import annotations

import datetime
import inspect
import json
import uuid
from typing import Any
from urllib.parse import urlsplit

import botocore.model
import botocore.serialize
import pytest

from generated.emr_containers import EMRContainersClient
from generated.emr_containers import shapes as ec
from generated.emr_serverless import EMRServerlessClient
from generated.emr_serverless import shapes as es
from generated.iot import IoTClient
from generated.iot import shapes as io
from generated.location import LocationClient
from generated.location import shapes as lo
from generated.omics import OmicsClient
from generated.omics import shapes as om
from tests.conftest import MODELS
from typed_aws_runtime.errors import ParamValidationError
from typed_aws_runtime.transport import InMemoryTransport

KEYS: dict[str, Any] = {
    "aws_access_key_id": "AKIDEXAMPLE",
    "aws_secret_access_key": "secret",
}

# (client class, method, required params, optional params) from ../shared/seeds.
REFERENCE = {
    "emr-serverless": (
        EMRServerlessClient,
        "start_job_run",
        {"application_id", "execution_role_arn"},
        {
            "client_token",
            "configuration_overrides",
            "execution_iam_policy",
            "execution_timeout_minutes",
            "job_driver",
            "mode",
            "name",
            "retry_policy",
            "tags",
        },
    ),
    "emr-containers": (
        EMRContainersClient,
        "start_job_run",
        {"virtual_cluster_id"},
        {
            "client_token",
            "configuration_overrides",
            "execution_role_arn",
            "job_driver",
            "job_template_id",
            "job_template_parameters",
            "name",
            "release_label",
            "retry_policy_configuration",
            "tags",
        },
    ),
    "location": (
        LocationClient,
        "start_job",
        {"action", "execution_role_arn", "input_options", "output_options"},
        {"action_options", "client_token", "name", "tags"},
    ),
    "omics": (
        OmicsClient,
        "start_run_batch",
        {"batch_run_settings", "default_run_setting"},
        {"batch_name", "request_id", "tags"},
    ),
    "iot": (
        IoTClient,
        "create_job",
        {"job_id", "targets"},
        {
            "abort_config",
            "description",
            "destination_package_versions",
            "document",
            "document_parameters",
            "document_source",
            "job_executions_retry_config",
            "job_executions_rollout_config",
            "job_template_arn",
            "namespace_id",
            "presigned_url_config",
            "scheduling_config",
            "tags",
            "target_selection",
            "timeout_config",
        },
    ),
}


def client_for(service: str, transport: InMemoryTransport) -> Any:
    cls = REFERENCE[service][0]
    return cls(region_name="us-west-2", transport=transport, **KEYS)


@pytest.mark.parametrize("service", sorted(REFERENCE))
def test_reference_parameter_sets(service: str) -> None:
    cls, method, required, optional = REFERENCE[service]
    params = inspect.signature(getattr(cls, method)).parameters
    names = {n for n in params if n != "self"}
    assert names == required | optional
    assert all(params[n].kind is inspect.Parameter.KEYWORD_ONLY for n in names)
    assert {
        n for n in names if params[n].default is inspect.Parameter.empty
    } == required
    assert all(params[n].default is None for n in optional)


@pytest.mark.parametrize(
    ("service", "token", "kwargs"),
    [
        (
            "emr-serverless",
            "client_token",
            {"application_id": "app", "execution_role_arn": "arn:aws:iam::1:role/r"},
        ),
        ("emr-containers", "client_token", {"virtual_cluster_id": "vc"}),
        (
            "omics",
            "request_id",
            {
                "batch_run_settings": om.BatchRunSettings(
                    s3_uri_settings="s3://b/k.json"
                ),
                "default_run_setting": om.DefaultRunSetting(
                    workflow_id="w", role_arn="arn:r"
                ),
            },
        ),
    ],
)
def test_idempotency_token_defaults_to_a_fresh_uuid4(
    service: str, token: str, kwargs: dict[str, Any]
) -> None:
    transport = InMemoryTransport()
    client = client_for(service, transport)
    method = getattr(client, REFERENCE[service][1])
    method(**kwargs)
    method(**kwargs)
    wire = "clientToken" if token == "client_token" else "requestId"
    sent = [json.loads(r.body)[wire] for r in transport.requests]  # type: ignore[arg-type]
    assert sent[0] != sent[1]
    assert all(uuid.UUID(s).version == 4 for s in sent)
    assert all(uuid.UUID(s).variant == uuid.RFC_4122 for s in sent)
    assert all(str(uuid.UUID(s)) == s for s in sent)  # canonical, lower-case
    method(**kwargs, **{token: "mine"})
    assert json.loads(transport.last.body)[wire] == "mine"  # type: ignore[arg-type]


@pytest.mark.parametrize("minutes", [-1, 1_000_001])
def test_execution_timeout_out_of_range_is_refused_before_sending(minutes: int) -> None:
    transport = InMemoryTransport()
    client = client_for("emr-serverless", transport)
    with pytest.raises(ParamValidationError, match="execution_timeout_minutes"):
        client.start_job_run(
            application_id="app",
            execution_role_arn="arn:aws:iam::1:role/r",
            execution_timeout_minutes=minutes,
        )
    assert transport.requests == []


@pytest.mark.parametrize("minutes", [0, 1_000_000])
def test_execution_timeout_bounds_are_inclusive(minutes: int) -> None:
    transport = InMemoryTransport()
    client_for("emr-serverless", transport).start_job_run(
        application_id="app",
        execution_role_arn="arn:aws:iam::1:role/r",
        execution_timeout_minutes=minutes,
    )
    assert json.loads(transport.last.body)["executionTimeoutMinutes"] == minutes  # type: ignore[arg-type]


# Realistic calls: our keyword arguments, and botocore's parameters for the same call.
NOW = datetime.datetime(2026, 11, 21, 12, 30, tzinfo=datetime.UTC)
CALLS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "emr-serverless": (
        {
            "application_id": "00f1 app/x",
            "execution_role_arn": "arn:aws:iam::1:role/r",
            "client_token": "tok-1",
            "execution_timeout_minutes": 60,
            "mode": "BATCH",
            "name": "nightly",
            "tags": {"team": "data"},
            "job_driver": es.JobDriver(
                spark_submit=es.SparkSubmit(
                    entry_point="s3://b/main.py",
                    entry_point_arguments=["--day", "1"],
                    spark_submit_parameters="--conf x=y",
                )
            ),
            "retry_policy": es.RetryPolicy(max_attempts=2),
            "configuration_overrides": es.ConfigurationOverrides(
                application_configuration=[
                    es.Configuration(
                        classification="spark-defaults", properties={"a": "b"}
                    )
                ]
            ),
        },
        {
            "applicationId": "00f1 app/x",
            "executionRoleArn": "arn:aws:iam::1:role/r",
            "clientToken": "tok-1",
            "executionTimeoutMinutes": 60,
            "mode": "BATCH",
            "name": "nightly",
            "tags": {"team": "data"},
            "jobDriver": {
                "sparkSubmit": {
                    "entryPoint": "s3://b/main.py",
                    "entryPointArguments": ["--day", "1"],
                    "sparkSubmitParameters": "--conf x=y",
                }
            },
            "retryPolicy": {"maxAttempts": 2},
            "configurationOverrides": {
                "applicationConfiguration": [
                    {"classification": "spark-defaults", "properties": {"a": "b"}}
                ]
            },
        },
    ),
    "emr-containers": (
        {
            "virtual_cluster_id": "vc-1",
            "client_token": "tok-2",
            "name": "job",
            "execution_role_arn": "arn:aws:iam::1:role/r",
            "release_label": "emr-6.2.0",
            "job_template_parameters": {"p": "v"},
            "job_driver": ec.JobDriver(
                spark_submit_job_driver=ec.SparkSubmitJobDriver(
                    entry_point="s3://b/e.py"
                )
            ),
        },
        {
            "virtualClusterId": "vc-1",
            "clientToken": "tok-2",
            "name": "job",
            "executionRoleArn": "arn:aws:iam::1:role/r",
            "releaseLabel": "emr-6.2.0",
            "jobTemplateParameters": {"p": "v"},
            "jobDriver": {"sparkSubmitJobDriver": {"entryPoint": "s3://b/e.py"}},
        },
    ),
    "location": (
        {
            "action": "ValidateAddress",
            "execution_role_arn": "arn:aws:iam::1:role/r",
            "client_token": "tok-3",
            "input_options": lo.JobInputOptions(location="s3://in/", format="Parquet"),
            "output_options": lo.JobOutputOptions(
                location="s3://out/", format="Parquet"
            ),
            "tags": {"k": "v"},
        },
        {
            "Action": "ValidateAddress",
            "ExecutionRoleArn": "arn:aws:iam::1:role/r",
            "ClientToken": "tok-3",
            "InputOptions": {"Location": "s3://in/", "Format": "Parquet"},
            "OutputOptions": {"Location": "s3://out/", "Format": "Parquet"},
            "Tags": {"k": "v"},
        },
    ),
    "omics": (
        {
            "request_id": "tok-4",
            "batch_name": "b",
            "batch_run_settings": om.BatchRunSettings(
                s3_uri_settings="s3://b/runs.json"
            ),
            "default_run_setting": om.DefaultRunSetting(
                workflow_id="1234567",
                role_arn="arn:aws:iam::1:role/r",
                parameters={"x": 1},
            ),
        },
        {
            "requestId": "tok-4",
            "batchName": "b",
            "batchRunSettings": {"s3UriSettings": "s3://b/runs.json"},
            "defaultRunSetting": {
                "workflowId": "1234567",
                "roleArn": "arn:aws:iam::1:role/r",
                "parameters": {"x": 1},
            },
        },
    ),
    "iot": (
        {
            "job_id": "job-1",
            "targets": ["arn:aws:iot:us-west-2:1:thing/t"],
            "document": '{"op": "reboot"}',
            "description": "d",
            "target_selection": "SNAPSHOT",
            "tags": [io.Tag(key="k", value="v")],
            "scheduling_config": io.SchedulingConfig(start_time="2026-12-01T00:00"),
            "timeout_config": io.TimeoutConfig(in_progress_timeout_in_minutes=10),
            "abort_config": io.AbortConfig(
                criteria_list=[
                    io.AbortCriteria(
                        failure_type="FAILED",
                        action="CANCEL",
                        threshold_percentage=50.5,
                        min_number_of_executed_things=3,
                    )
                ]
            ),
        },
        {
            "jobId": "job-1",
            "targets": ["arn:aws:iot:us-west-2:1:thing/t"],
            "document": '{"op": "reboot"}',
            "description": "d",
            "targetSelection": "SNAPSHOT",
            "tags": [{"Key": "k", "Value": "v"}],
            "schedulingConfig": {"startTime": "2026-12-01T00:00"},
            "timeoutConfig": {"inProgressTimeoutInMinutes": 10},
            "abortConfig": {
                "criteriaList": [
                    {
                        "failureType": "FAILED",
                        "action": "CANCEL",
                        "thresholdPercentage": 50.5,
                        "minNumberOfExecutedThings": 3,
                    }
                ]
            },
        },
    ),
}
OPERATIONS = {
    "emr-serverless": "StartJobRun",
    "emr-containers": "StartJobRun",
    "location": "StartJob",
    "omics": "StartRunBatch",
    "iot": "CreateJob",
}


def botocore_request(service: str, params: dict[str, Any]) -> dict[str, Any]:
    model = json.loads((MODELS / service / "service-2.json").read_text())
    service_model = botocore.model.ServiceModel(model, service_name=service)
    operation = service_model.operation_model(OPERATIONS[service])
    serializer = botocore.serialize.create_serializer(
        "rest-json", include_validation=True
    )
    request: dict[str, Any] = serializer.serialize_to_request(params, operation)
    return request


@pytest.mark.parametrize("service", sorted(CALLS))
def test_request_equals_botocore_serializer(service: str) -> None:
    ours, theirs = CALLS[service]
    transport = InMemoryTransport()
    getattr(client_for(service, transport), REFERENCE[service][1])(**ours)
    sent = transport.last
    expected = botocore_request(service, theirs)
    url = urlsplit(sent.url)
    assert sent.method == expected["method"]
    assert url.path == expected["url_path"]
    query = "&".join(f"{k}={v}" for k, v in expected["query_string"].items())
    assert url.query == query
    for name, value in expected["headers"].items():
        assert sent.headers[name] == value
    assert json.loads(sent.body) == json.loads(expected["body"])  # type: ignore[arg-type]
    prefix = expected.get("host_prefix")
    if prefix:
        assert url.hostname is not None and url.hostname.startswith(prefix)


def test_generated_tokens_are_rfc4122_uuid4_with_every_variant() -> None:
    """The hand-rolled UUID4 sets the version and variant bits as uuid.uuid4 does,
    and leaves the variant's two free bits random."""
    from typed_aws_runtime.client import new_idempotency_token

    tokens = [new_idempotency_token() for _ in range(400)]
    parsed = [uuid.UUID(t) for t in tokens]
    assert all(p.version == 4 and p.variant == uuid.RFC_4122 for p in parsed)
    assert {t[19] for t in tokens} == set("89ab")
    assert len(set(tokens)) == len(tokens)
