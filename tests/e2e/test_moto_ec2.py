"""EC2 (ec2 protocol) end to end against moto: our client, generated from the
installed botocore's model, and boto3 agree."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest

from tests.e2e.support import (
    RecordingTransport,
    same_as_boto3,
    same_as_botocore_parse,
    same_error_as_boto3,
    same_pages_as_boto3,
    service_package,
)

AMI = "ami-12c6146b"  # one of the images moto ships


@pytest.fixture(scope="module")
def ec2() -> ModuleType:
    return service_package("ec2")


@pytest.fixture
def transport() -> Iterator[RecordingTransport]:
    recording = RecordingTransport()
    yield recording
    recording.close()


@pytest.fixture
def ours(
    ec2: ModuleType, client_options: dict[str, Any], transport: RecordingTransport
) -> Iterator[Any]:
    with ec2.EC2Client(transport=transport, **client_options) as client:
        yield client


@pytest.fixture
def boto(boto3_client: Callable[[str], Any]) -> Any:
    return boto3_client("ec2")


def test_instances_lifecycle(
    ec2: ModuleType, ours: Any, boto: Any, transport: RecordingTransport
) -> None:
    shapes = importlib.import_module(f"{ec2.__name__}.shapes")
    enums = importlib.import_module(f"{ec2.__name__}.enums")
    image = ours.describe_images(image_ids=[AMI])
    same_as_boto3(image, boto, "DescribeImages", boto.describe_images(ImageIds=[AMI]))
    assert [i.image_id for i in image.images] == [AMI]

    launched = []
    for count in (2, 1, 1, 1, 1, 1, 1):
        reservation = ours.run_instances(
            image_id=AMI,
            min_count=count,
            max_count=count,
            instance_type=enums.InstanceType.T3_MICRO,
            tag_specifications=[
                shapes.TagSpecification(
                    resource_type=enums.ResourceType.INSTANCE,
                    tags=[shapes.Tag(key="team", value="e2e & <co>")],
                )
            ],
        )
        # New ids each call: compared with botocore's parse of this response.
        same_as_botocore_parse(
            reservation, boto, "RunInstances", transport.last_response
        )
        assert len(reservation.instances) == count
        launched += [i.instance_id for i in reservation.instances]
    assert len(set(launched)) == 8

    # Five a page (EC2's smallest MaxResults; moto counts reservations),
    # ours against boto3's.
    pages = same_pages_as_boto3(
        ours.get_paginator("describe_instances").paginate(page_size=5),
        boto,
        "DescribeInstances",
        boto.get_paginator("describe_instances").paginate(
            PaginationConfig={"PageSize": 5}
        ),
    )
    assert [len(page.reservations) for page in pages] == [5, 2]
    seen = [
        i.instance_id
        for page in pages
        for reservation in page.reservations
        for i in reservation.instances
    ]
    assert sorted(seen) == sorted(launched)
    first = pages[0].reservations[0].instances[0]
    assert first.state.name is enums.InstanceStateName.RUNNING
    assert first.launch_time.tzinfo is not None
    assert first.tags == [shapes.Tag(key="team", value="e2e & <co>")]

    ours.create_tags(
        resources=launched[:2],
        tags=[shapes.Tag(key="role", value="web"), shapes.Tag(key="empty", value="")],
    )
    web = ours.describe_instances(
        filters=[shapes.Filter(name="tag:role", values=["web"])]
    )
    same_as_boto3(
        web,
        boto,
        "DescribeInstances",
        boto.describe_instances(Filters=[{"Name": "tag:role", "Values": ["web"]}]),
    )
    assert sorted(
        i.instance_id for r in web.reservations for i in r.instances
    ) == sorted(launched[:2])
    # moto ignores MaxResults for DescribeTags: one page.
    tag_pages = same_pages_as_boto3(
        ours.get_paginator("describe_tags").paginate(
            filters=[shapes.Filter(name="resource-id", values=launched[:2])],
            page_size=5,
        ),
        boto,
        "DescribeTags",
        boto.get_paginator("describe_tags").paginate(
            Filters=[{"Name": "resource-id", "Values": launched[:2]}],
            PaginationConfig={"PageSize": 5},
        ),
    )
    tags = [t for page in tag_pages for t in page.tags]
    assert sorted((t.resource_id, t.key, t.value) for t in tags) == sorted(
        (i, k, v)
        for i in launched[:2]
        for k, v in (("team", "e2e & <co>"), ("role", "web"), ("empty", ""))
    )

    # An instance that does not exist: EC2 models no errors, so the base
    # class carries the code boto3 reports.
    missing = "i-0123456789abcdef0"
    with pytest.raises(ec2.errors.EC2Error) as caught:
        ours.describe_instances(instance_ids=[missing])
    response = transport.last_response
    with pytest.raises(boto.exceptions.ClientError) as boto_caught:
        boto.describe_instances(InstanceIds=[missing])
    error = caught.value
    assert type(error) is ec2.errors.EC2Error
    same_error_as_boto3(error, response, boto, "DescribeInstances", boto_caught.value)
    assert error.code == "InvalidInstanceID.NotFound"
    assert error.status_code == 400

    terminated = ours.terminate_instances(instance_ids=launched)
    same_as_botocore_parse(
        terminated, boto, "TerminateInstances", transport.last_response
    )
    assert sorted(c.instance_id for c in terminated.terminating_instances) == sorted(
        launched
    )
    assert {c.current_state.name for c in terminated.terminating_instances} == {
        enums.InstanceStateName.SHUTTING_DOWN
    }
    running = ours.describe_instances(
        filters=[shapes.Filter(name="instance-state-name", values=["running"])]
    )
    same_as_boto3(
        running,
        boto,
        "DescribeInstances",
        boto.describe_instances(
            Filters=[{"Name": "instance-state-name", "Values": ["running"]}]
        ),
    )
    assert running.reservations == []


def test_user_data_encoded_as_boto3(ours: Any, boto: Any) -> None:
    """UserData sent base64 encoded (botocore's base64_encode_user_data, the
    ``base64_text`` customization)."""
    script = "#!/bin/sh\necho e2e\n"
    ours_id = (
        ours.run_instances(image_id=AMI, min_count=1, max_count=1, user_data=script)
        .instances[0]
        .instance_id
    )
    boto_id = boto.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, UserData=script)[
        "Instances"
    ][0]["InstanceId"]
    stored = [
        boto.describe_instance_attribute(InstanceId=i, Attribute="userData")["UserData"]
        for i in (ours_id, boto_id)
    ]
    assert stored[0] == stored[1]


def test_console_output_decoded_as_boto3(ours: Any, boto: Any) -> None:
    """Output base64-decoded (botocore's decode_console_output, the
    ``decode_base64_text`` customization)."""
    instance = ours.run_instances(image_id=AMI, min_count=1, max_count=1)
    instance_id = instance.instances[0].instance_id
    same_as_boto3(
        ours.get_console_output(instance_id=instance_id),
        boto,
        "GetConsoleOutput",
        boto.get_console_output(InstanceId=instance_id),
    )
