"""EMR on EKS (emr-containers) end to end against moto: our client and boto3 agree."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from generated.emr_containers import EMRContainersClient, enums, errors, shapes
from tests.e2e.support import RecordingTransport, same_as_boto3

ROLE = "arn:aws:iam::123456789012:role/e2e-emr-eks"


@pytest.fixture
def ours(client_options: dict[str, Any]) -> Iterator[EMRContainersClient]:
    with EMRContainersClient(**client_options) as client:
        yield client


@pytest.fixture
def boto(boto3_client: Callable[[str], Any]) -> Any:
    return boto3_client("emr-containers")


def _provider(namespace: str) -> shapes.ContainerProvider:
    return shapes.ContainerProvider(
        type=enums.ContainerProviderType.EKS,
        id="e2e-eks-cluster",
        info=shapes.ContainerInfo(eks_info=shapes.EksInfo(namespace=namespace)),
    )


def _driver(n: int) -> shapes.JobDriver:
    return shapes.JobDriver(
        spark_submit_job_driver=shapes.SparkSubmitJobDriver(
            entry_point=f"s3://e2e-bucket/eks-{n}.py",
            entry_point_arguments=[f"--part={n}"],
            spark_submit_parameters="--conf spark.executor.instances=2",
        )
    )


def test_virtual_cluster_and_job_run_lifecycle(
    ours: EMRContainersClient, boto: Any
) -> None:
    cluster = ours.create_virtual_cluster(
        name="e2e-vc", container_provider=_provider("e2e-ns"), tags={"env": "test"}
    )
    vc = cluster.id
    described_vc = ours.describe_virtual_cluster(id=vc)
    same_as_boto3(
        described_vc,
        boto,
        "DescribeVirtualCluster",
        boto.describe_virtual_cluster(id=vc),
    )
    assert described_vc.virtual_cluster.container_provider == _provider("e2e-ns")
    assert described_vc.virtual_cluster.state is enums.VirtualClusterState.RUNNING

    runs = [
        ours.start_job_run(
            virtual_cluster_id=vc,
            name=f"eks-run-{n}",
            execution_role_arn=ROLE,
            release_label="emr-6.3.0-latest",
            job_driver=_driver(n),
            configuration_overrides=shapes.ConfigurationOverrides(
                application_configuration=[
                    shapes.Configuration(
                        classification="spark-defaults",
                        properties={"spark.dynamicAllocation.enabled": "false"},
                    )
                ],
            ),
        )
        for n in range(3)
    ]
    assert all(run.virtual_cluster_id == vc for run in runs)

    first = runs[0].id
    described = ours.describe_job_run(id=first, virtual_cluster_id=vc)
    boto_described = boto.describe_job_run(id=first, virtualClusterId=vc)
    same_as_boto3(described, boto, "DescribeJobRun", boto_described)
    assert described.job_run.job_driver == _driver(0)
    # The idempotency token we filled in went out, and came back.
    assert described.job_run.client_token == boto_described["jobRun"]["clientToken"]
    assert len(described.job_run.client_token or "") == 36

    seen: list[str] = []
    token: str | None = None
    boto_token: str | None = None
    for _ in range(10):  # a token that never runs out fails
        page = ours.list_job_runs(
            virtual_cluster_id=vc, max_results=2, next_token=token
        )
        boto_page = boto.list_job_runs(
            virtualClusterId=vc,
            maxResults=2,
            **({"nextToken": boto_token} if boto_token else {}),
        )
        same_as_boto3(page, boto, "ListJobRuns", boto_page)
        seen += [run.id or "" for run in page.job_runs]
        token, boto_token = page.next_token, boto_page.get("nextToken")
        if token is None:
            break
    else:
        raise AssertionError("the next token never ran out")
    assert sorted(seen) == sorted(run.id for run in runs)

    cancelled = ours.cancel_job_run(id=first, virtual_cluster_id=vc)
    assert (cancelled.id, cancelled.virtual_cluster_id) == (first, vc)
    after = ours.describe_job_run(id=first, virtual_cluster_id=vc)
    assert after.job_run.state is enums.JobRunState.CANCELLED
    same_as_boto3(
        after,
        boto,
        "DescribeJobRun",
        boto.describe_job_run(id=first, virtualClusterId=vc),
    )

    ours.delete_virtual_cluster(id=vc)
    listed = ours.list_virtual_clusters(states=["TERMINATED"])
    same_as_boto3(
        listed,
        boto,
        "ListVirtualClusters",
        boto.list_virtual_clusters(states=["TERMINATED"]),
    )
    assert [c.id for c in listed.virtual_clusters] == [vc]


def test_missing_job_run_raises_typed_error(
    client_options: dict[str, Any], boto: Any
) -> None:
    transport = RecordingTransport()
    client = EMRContainersClient(transport=transport, **client_options)
    vc = client.create_virtual_cluster(name="vc", container_provider=_provider("n2")).id
    missing = "a" * 19
    with pytest.raises(errors.ResourceNotFoundException) as caught:
        client.describe_job_run(id=missing, virtual_cluster_id=vc)
    error = caught.value
    with pytest.raises(boto.exceptions.ResourceNotFoundException) as boto_caught:
        boto.describe_job_run(id=missing, virtualClusterId=vc)
    expected = boto_caught.value.response
    assert isinstance(error, errors.EMRContainersError)
    assert error.code == expected["Error"]["Code"] == "ResourceNotFoundException"
    assert (
        error.message
        == expected["Error"]["Message"]
        == f"Job run {missing} doesn't exist."
    )
    assert error.status_code == expected["ResponseMetadata"]["HTTPStatusCode"]
    assert error.request_id == transport.last_response.headers["x-amzn-requestid"]
    assert error.request_id


def test_missing_virtual_cluster_is_moto_validation_error(
    client_options: dict[str, Any], boto: Any
) -> None:
    # moto answers ValidationException where AWS says ResourceNotFoundException;
    # whatever the code, it maps to that modelled class, as in boto3.
    with EMRContainersClient(**client_options) as client:
        with pytest.raises(errors.ValidationException) as caught:
            client.describe_virtual_cluster(id="b" * 25)
    with pytest.raises(boto.exceptions.ValidationException) as boto_caught:
        boto.describe_virtual_cluster(id="b" * 25)
    assert caught.value.message == boto_caught.value.response["Error"]["Message"]
    assert caught.value.status_code == 400
