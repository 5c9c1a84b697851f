"""A client generated from botocore's own STS model (query) against botocore.

AssumeRole with managed policy ARNs, session tags and a policy document sends
exactly the body botocore's ``create_serializer('query')`` builds (urlencoded
as its request preparation does); a realistic response parses to the values
botocore's ``create_parser('query')`` gives, and an error response to the
modelled error with botocore's code, message and request id.
"""

from __future__ import annotations

import datetime
import gzip
import importlib
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import botocore
import pytest
from botocore.awsrequest import create_request_object, prepare_request_dict
from botocore.model import OperationModel, ServiceModel
from botocore.parsers import create_parser
from botocore.serialize import create_serializer

from typed_aws_runtime.errors import ServiceError
from typed_aws_runtime.transport import HttpResponse, InMemoryTransport

from . import support

MODEL = Path(botocore.__file__).parent / "data" / "sts" / "2011-06-15"
ENDPOINT = "https://sts.amazonaws.com"

POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::b/*",
            }
        ],
    }
)
# botocore-style parameters, in the model's member order.
PARAMS: dict[str, Any] = {
    "RoleArn": "arn:aws:iam::123456789012:role/demo role",
    "RoleSessionName": "session+name@example.com",
    "PolicyArns": [
        {"arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"},
        {"arn": "arn:aws:iam::123456789012:policy/team/Custom~Policy"},
    ],
    "Policy": POLICY,
    "DurationSeconds": 3600,
    "Tags": [
        {"Key": "Project", "Value": "Ünïcode & more"},
        {"Key": "Cost Center", "Value": "12345"},
    ],
    "TransitiveTagKeys": ["Project", "Cost Center"],
    "ExternalId": "ext/id=1",
}

RESPONSE = b"""<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <SourceIdentity>DevUser123</SourceIdentity>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/demo/John</Arn>
      <AssumedRoleId>ARO123EXAMPLE123:John</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
      <SessionToken>AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQW
LWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGd
QrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU
9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz
+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==</SessionToken>
      <Expiration>2019-11-09T13:34:41Z</Expiration>
    </Credentials>
    <PackedPolicySize>6</PackedPolicySize>
  </AssumeRoleResult>
  <ResponseMetadata>
    <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
  </ResponseMetadata>
</AssumeRoleResponse>
"""

ERROR = b"""<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>Sender</Type>
    <Code>MalformedPolicyDocument</Code>
    <Message>Syntax errors in policy.</Message>
  </Error>
  <RequestId>6b4c1e9e-2b1a-4a43-9c1f-0d5a2f4c1b2e</RequestId>
</ErrorResponse>
"""


@pytest.fixture(scope="module")
def model() -> dict[str, Any]:
    with gzip.open(MODEL / "service-2.json.gz") as f:
        return json.load(f)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def package(model: dict[str, Any]) -> ModuleType:
    return support.generated(model, prefix="sts_query")


@pytest.fixture(scope="module")
def operation(model: dict[str, Any]) -> OperationModel:
    return ServiceModel(model, service_name="sts").operation_model("AssumeRole")


def _client(package: ModuleType, *responses: HttpResponse) -> tuple[Any, Any]:
    transport = InMemoryTransport(list(responses))
    client = support.client_class(package)(
        region_name="us-east-1",
        endpoint_url=ENDPOINT,
        aws_access_key_id="AKID",
        aws_secret_access_key="SECRET",
        transport=transport,
        max_attempts=1,
    )
    return client, transport


def _assume_role(client: Any, package: ModuleType) -> Any:
    shapes = importlib.import_module(f"{package.__name__}.shapes")
    return client.assume_role(
        role_arn=PARAMS["RoleArn"],
        role_session_name=PARAMS["RoleSessionName"],
        policy_arns=[
            shapes.PolicyDescriptorType(arn=p["arn"]) for p in PARAMS["PolicyArns"]
        ],
        policy=POLICY,
        duration_seconds=3600,
        tags=[shapes.Tag(key=t["Key"], value=t["Value"]) for t in PARAMS["Tags"]],
        transitive_tag_keys=PARAMS["TransitiveTagKeys"],
        external_id=PARAMS["ExternalId"],
    )


def _botocore_request(operation: OperationModel) -> Any:
    serialized = create_serializer("query").serialize_to_request(PARAMS, operation)
    prepare_request_dict(serialized, ENDPOINT)
    return create_request_object(serialized).prepare()


def test_assume_role_sends_botocores_body(
    package: ModuleType, operation: OperationModel
) -> None:
    ok = HttpResponse(200, {}, RESPONSE)
    client, transport = _client(package, ok)
    _assume_role(client, package)
    sent = transport.last
    expected = _botocore_request(operation)
    assert sent.method == expected.method == "POST"
    assert sent.url == expected.url == f"{ENDPOINT}/"
    assert sent.body == expected.body.encode("ascii")
    assert sent.headers["Content-Type"] == expected.headers["Content-Type"]
    # The parts that need encoding are there, encoded as urlencode() does.
    assert b"&PolicyArns.member.2.arn=" in sent.body
    assert b"&Tags.member.1.Value=%C3%9Cn%C3%AFcode+%26+more&" in sent.body
    assert b"&TransitiveTagKeys.member.2=Cost+Center&" in sent.body


def test_assume_role_parses_as_botocore(
    package: ModuleType, operation: OperationModel
) -> None:
    client, _ = _client(package, HttpResponse(200, {}, RESPONSE))
    result = _assume_role(client, package)
    parsed = create_parser("query").parse(
        {"status_code": 200, "headers": {}, "body": RESPONSE}, operation.output_shape
    )
    parsed.pop("ResponseMetadata")
    op = support.wire_schema(package).operation("AssumeRole")
    assert op.output is not None
    assert support.to_botocore(op.output, result) == parsed
    expiration = result.credentials.expiration
    assert expiration == datetime.datetime(2019, 11, 9, 13, 34, 41, tzinfo=datetime.UTC)
    assert result.packed_policy_size == 6
    assert result.credentials.session_token.startswith("AQoDYXdzEPT//")


def test_assume_role_error_as_botocore(
    package: ModuleType, model: dict[str, Any]
) -> None:
    client, _ = _client(package, HttpResponse(400, {}, ERROR))
    with pytest.raises(ServiceError) as info:
        _assume_role(client, package)
    error = info.value
    parsed = create_parser("query").parse(
        {"status_code": 400, "headers": {}, "body": ERROR}, None
    )
    assert type(error).__name__ == "MalformedPolicyDocumentException"
    assert error.code == parsed["Error"]["Code"] == "MalformedPolicyDocument"
    assert error.message == parsed["Error"]["Message"]
    assert error.request_id == parsed["ResponseMetadata"]["RequestId"]
    assert error.status_code == 400
