"""IAM (query) end to end against moto: our client, generated from the
installed botocore's model, and boto3 agree."""

from __future__ import annotations

import importlib
import json
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

TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def _policy(n: int) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["s3:GetObject"],
                    "Resource": f"arn:aws:s3:::e2e-bucket-{n}/*",
                }
            ],
        }
    )


@pytest.fixture(scope="module")
def iam() -> ModuleType:
    return service_package("iam")


@pytest.fixture
def transport() -> Iterator[RecordingTransport]:
    recording = RecordingTransport()
    yield recording
    recording.close()


@pytest.fixture
def ours(
    iam: ModuleType, client_options: dict[str, Any], transport: RecordingTransport
) -> Iterator[Any]:
    with iam.IAMClient(transport=transport, **client_options) as client:
        yield client


@pytest.fixture
def boto(boto3_client: Callable[[str], Any]) -> Any:
    return boto3_client("iam")


def test_users_roles_policies_lifecycle(
    iam: ModuleType, ours: Any, boto: Any, transport: RecordingTransport
) -> None:
    shapes = importlib.import_module(f"{iam.__name__}.shapes")
    errors = importlib.import_module(f"{iam.__name__}.errors")
    for n in range(3):
        created = ours.create_user(
            user_name=f"e2e-user-{n}",
            path="/e2e/",
            tags=[
                shapes.Tag(key="team", value="e2e"),
                shapes.Tag(key="n", value=str(n)),
            ],
        )
        same_as_botocore_parse(created, boto, "CreateUser", transport.last_response)
    user = ours.get_user(user_name="e2e-user-1")
    same_as_boto3(user, boto, "GetUser", boto.get_user(UserName="e2e-user-1"))
    assert user.user.arn == "arn:aws:iam::123456789012:user/e2e/e2e-user-1"
    assert user.user.create_date.tzinfo is not None
    # moto ignores MaxItems for ListUsers: one page, ours against boto3's.
    users = same_pages_as_boto3(
        ours.get_paginator("list_users").paginate(path_prefix="/e2e/"),
        boto,
        "ListUsers",
        boto.get_paginator("list_users").paginate(PathPrefix="/e2e/"),
    )
    assert [u.user_name for page in users for u in page.users] == [
        f"e2e-user-{n}" for n in range(3)
    ]

    role = ours.create_role(
        role_name="e2e-role",
        assume_role_policy_document=json.dumps(TRUST),
        description="an e2e role",
        max_session_duration=7200,
    ).role
    assert role.arn == "arn:aws:iam::123456789012:role/e2e-role"
    assert role.max_session_duration == 7200
    # URL-encoded JSON on the wire, decoded as boto3 decodes it (see
    # test_policy_documents_decoded_as_boto3).
    assert role.assume_role_policy_document == TRUST
    ours.put_role_policy(
        role_name="e2e-role", policy_name="inline", policy_document=_policy(9)
    )

    # Three managed policies attached, listed two a page with our paginator.
    arns = []
    for n in range(3):
        policy = ours.create_policy(
            policy_name=f"e2e-policy-{n}",
            policy_document=_policy(n),
            description=f"policy {n}",
        )
        same_as_botocore_parse(policy, boto, "CreatePolicy", transport.last_response)
        ours.attach_role_policy(role_name="e2e-role", policy_arn=policy.policy.arn)
        arns.append(policy.policy.arn)
    attached = same_pages_as_boto3(
        ours.get_paginator("list_attached_role_policies").paginate(
            role_name="e2e-role", page_size=2
        ),
        boto,
        "ListAttachedRolePolicies",
        boto.get_paginator("list_attached_role_policies").paginate(
            RoleName="e2e-role", PaginationConfig={"PageSize": 2}
        ),
    )
    assert [len(page.attached_policies) for page in attached] == [2, 1]
    assert [p.policy_arn for page in attached for p in page.attached_policies] == arns
    local = same_pages_as_boto3(
        ours.get_paginator("list_policies").paginate(scope="Local", page_size=2),
        boto,
        "ListPolicies",
        boto.get_paginator("list_policies").paginate(
            Scope="Local", PaginationConfig={"PageSize": 2}
        ),
    )
    assert [p.attachment_count for page in local for p in page.policies] == [1, 1, 1]

    # A user that does not exist: the modelled NoSuchEntityException.
    with pytest.raises(errors.NoSuchEntityException) as caught:
        ours.get_user(user_name="e2e-nobody")
    response = transport.last_response
    with pytest.raises(boto.exceptions.NoSuchEntityException) as boto_caught:
        boto.get_user(UserName="e2e-nobody")
    error = caught.value
    assert isinstance(error, errors.IAMError)
    same_error_as_boto3(error, response, boto, "GetUser", boto_caught.value)
    assert error.code == "NoSuchEntity"
    assert error.status_code == 404

    for arn in arns:
        ours.detach_role_policy(role_name="e2e-role", policy_arn=arn)
        ours.delete_policy(policy_arn=arn)
    ours.delete_role_policy(role_name="e2e-role", policy_name="inline")
    ours.delete_role(role_name="e2e-role")
    for n in range(3):
        ours.delete_user(user_name=f"e2e-user-{n}")
    left = ours.list_users()
    same_as_boto3(left, boto, "ListUsers", boto.list_users())
    assert left.users == []
    with pytest.raises(errors.NoSuchEntityException):
        ours.get_role(role_name="e2e-role")


def test_policy_documents_decoded_as_boto3(ours: Any, boto: Any) -> None:
    """Policy documents (URL-encoded JSON on the wire) decoded, as botocore's
    json_decode_policies does (the ``decode_json`` customization)."""
    ours.create_role(
        role_name="e2e-role", assume_role_policy_document=json.dumps(TRUST)
    )
    ours.put_role_policy(
        role_name="e2e-role", policy_name="inline", policy_document=_policy(1)
    )
    same_as_boto3(
        ours.get_role_policy(role_name="e2e-role", policy_name="inline"),
        boto,
        "GetRolePolicy",
        boto.get_role_policy(RoleName="e2e-role", PolicyName="inline"),
    )
    same_as_boto3(
        ours.get_role(role_name="e2e-role"),
        boto,
        "GetRole",
        boto.get_role(RoleName="e2e-role"),
    )
