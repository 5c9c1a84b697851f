"""STS (query) end to end against moto: our client and boto3 agree."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest

from generated.sts import STSClient, errors, shapes
from tests.e2e.support import (
    RecordingTransport,
    same_as_boto3,
    same_as_botocore_parse,
    same_error_as_boto3,
)

ROLE = "arn:aws:iam::123456789012:role/e2e-deployer"
POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
    }
)


@pytest.fixture
def transport() -> Iterator[RecordingTransport]:
    recording = RecordingTransport()
    yield recording
    recording.close()


@pytest.fixture
def ours(
    client_options: dict[str, Any], transport: RecordingTransport
) -> Iterator[STSClient]:
    with STSClient(transport=transport, **client_options) as client:
        yield client


@pytest.fixture
def boto(boto3_client: Callable[[str], Any]) -> Any:
    return boto3_client("sts")


def test_identity_and_assumed_role(
    ours: STSClient,
    boto: Any,
    transport: RecordingTransport,
    client_options: dict[str, Any],
) -> None:
    me = ours.get_caller_identity()
    same_as_boto3(me, boto, "GetCallerIdentity", boto.get_caller_identity())
    assert me.account == "123456789012"

    assumed = ours.assume_role(
        role_arn=ROLE,
        role_session_name="e2e-session",
        duration_seconds=900,
        policy=POLICY,
        policy_arns=[
            shapes.PolicyDescriptorType(arn="arn:aws:iam::aws:policy/ReadOnlyAccess")
        ],
        tags=[shapes.Tag(key="project", value="e2e & <co>")],
        transitive_tag_keys=["project"],
        external_id="e2e-external",
    )
    # New keys each call: compared with botocore's parse of this response.
    same_as_botocore_parse(assumed, boto, "AssumeRole", transport.last_response)
    credentials = assumed.credentials
    assert credentials is not None
    assert credentials.access_key_id.startswith("ASIA")
    assert credentials.expiration.tzinfo is not None
    assert assumed.assumed_role_user is not None
    assert assumed.assumed_role_user.arn == (
        "arn:aws:sts::123456789012:assumed-role/e2e-deployer/e2e-session"
    )
    assert assumed.packed_policy_size is not None

    # The temporary credentials sign the next call (with their session
    # token); moto answers with the assumed role, as boto3 sees it too.
    temporary = {
        **client_options,
        "aws_access_key_id": credentials.access_key_id,
        "aws_secret_access_key": credentials.secret_access_key,
        "aws_session_token": credentials.session_token,
    }
    as_role_transport = RecordingTransport()
    with STSClient(transport=as_role_transport, **temporary) as as_role:
        who = as_role.get_caller_identity()
    # moto draws a new role id for each call on a role IAM does not know.
    same_as_botocore_parse(
        who, boto, "GetCallerIdentity", as_role_transport.last_response
    )
    boto_who = boto3.session.Session().client("sts", **temporary).get_caller_identity()
    assert who.arn == boto_who["Arn"] == assumed.assumed_role_user.arn
    assert who.account == boto_who["Account"]
    assert (who.user_id or "").endswith(":e2e-session")

    federated = ours.get_federation_token(name="e2e-fed", duration_seconds=900)
    # The expiration moves with the clock: botocore's parse of this response.
    same_as_botocore_parse(
        federated, boto, "GetFederationToken", transport.last_response
    )
    assert federated.federated_user is not None
    assert federated.federated_user.federated_user_id == "123456789012:e2e-fed"


def test_web_identity_is_unsigned_as_in_boto3(
    ours: STSClient, boto: Any, transport: RecordingTransport
) -> None:
    # botocore's choose-signer handler (and the model's noAuth) send
    # AssumeRoleWithWebIdentity unsigned: no Authorization, no X-Amz-Date.
    assumed = ours.assume_role_with_web_identity(
        role_arn=ROLE, role_session_name="e2e-web", web_identity_token="e2e-token"
    )
    same_as_botocore_parse(
        assumed, boto, "AssumeRoleWithWebIdentity", transport.last_response
    )
    sent = {name.lower() for name in transport.exchanges[-1][0].headers}
    assert not sent & {"authorization", "x-amz-date", "x-amz-security-token"}
    assert assumed.assumed_role_user is not None
    assert assumed.assumed_role_user.arn == (
        "arn:aws:sts::123456789012:assumed-role/e2e-deployer/e2e-web"
    )


def test_unmodelled_error_raises_base_class(
    ours: STSClient, boto: Any, transport: RecordingTransport
) -> None:
    # STS has no not-found error; moto refuses an over-long federation
    # policy with ValidationError, which the model does not name.
    too_long = json.dumps({"Version": "2012-10-17", "Statement": [], "x": "y" * 2100})
    with pytest.raises(errors.STSError) as caught:
        ours.get_federation_token(name="e2e-fed", policy=too_long)
    response = transport.last_response
    with pytest.raises(boto.exceptions.ClientError) as boto_caught:
        boto.get_federation_token(Name="e2e-fed", Policy=too_long)
    error = caught.value
    assert type(error) is errors.STSError
    same_error_as_boto3(error, response, boto, "GetFederationToken", boto_caught.value)
    assert error.code == "ValidationError"
    assert error.status_code == 400
