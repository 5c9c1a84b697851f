"""Presigned URLs and POSTs against botocore's, byte for byte, under fixed
clocks: every S3 operation (required members filled from botocore's model),
a few other services in other protocols, and the refusals."""

from __future__ import annotations

import base64
import datetime
import importlib
import json
from collections.abc import Iterator
from typing import Any

import botocore.auth
import botocore.session
import botocore.signers
import pytest
from botocore import xform_name
from botocore.config import Config
from botocore.model import Shape

from typed_aws_runtime.errors import ParamValidationError

FIXED = datetime.datetime(2024, 5, 6, 7, 8, 9)  # naive UTC, as botocore's clock
KEYS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "s3cr3t/KEY+x"}
REGION = "us-west-2"


@pytest.fixture(autouse=True)
def fixed_clocks(monkeypatch: pytest.MonkeyPatch) -> None:
    now = lambda remove_tzinfo=True: FIXED  # noqa: E731
    monkeypatch.setattr(botocore.auth, "get_current_datetime", now)
    monkeypatch.setattr(botocore.signers, "get_current_datetime", now)
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")


def botocore_client(service: str, **options: Any) -> Any:
    # botocore presigns S3 URLs with SigV2 (HmacV1QueryAuth) unless SigV4 is
    # asked for; ours are always SigV4, as botocore's with "s3v4".
    return botocore.session.get_session().create_client(
        service,
        region_name=REGION,
        config=Config(signature_version="s3v4"),
        **KEYS,
        **options,
    )


def our_client(package: str, cls: str, **options: Any) -> Any:
    module = importlib.import_module(f"generated.{package}")
    client = getattr(module, cls)(region_name=REGION, **KEYS, **options)
    client._codegen_clock = lambda: FIXED.replace(tzinfo=datetime.UTC)
    return client


def sample(shape: Shape, name: str = "") -> Any:
    """A small valid value of ``shape`` (required members only)."""
    kind = shape.type_name
    if kind == "structure":
        return {m: sample(shape.members[m], m) for m in shape.required_members}
    if kind == "list":
        return [sample(shape.member)]
    if kind == "map":
        return {"k": sample(shape.value)}
    if kind == "string":
        if shape.enum:
            return shape.enum[0]
        if name == "Bucket":
            return "amzn-s3-demo-bucket"
        if name == "CopySource":
            return "src-bucket/src key"
        return "a b/c~d" if name == "Key" else "value-1"
    if kind in ("integer", "long"):
        return 1
    if kind == "boolean":
        return True
    if kind == "timestamp":
        return datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    if kind == "blob":
        return b"blob"
    if kind in ("float", "double"):
        return 1.5
    raise AssertionError(kind)


def _s3_operations() -> Iterator[str]:
    model = botocore.session.get_session().get_service_model("s3")
    yield from model.operation_names


def both(ours: Any, theirs: Any, method: str, params: dict[str, Any]) -> None:
    try:
        expected = theirs.generate_presigned_url(method, Params=params, ExpiresIn=900)
    except Exception:  # noqa: BLE001 - botocore refuses: so must we
        with pytest.raises(Exception):  # noqa: B017
            ours.generate_presigned_url(method, Params=params, ExpiresIn=900)
        return
    assert ours.generate_presigned_url(method, Params=params, ExpiresIn=900) == expected


# Not yet as botocore (left for the next step, each refused or different):
# the copy source header's encoding, GetBucketLocation's path-style endpoint
# under the global-endpoint rule, and the operations whose endpoint has no
# bucket (ListDirectoryBuckets, WriteGetObjectResponse).
KNOWN_DIFFERENT = {
    "CopyObject",
    "UploadPartCopy",
    "GetBucketLocation",
    "ListDirectoryBuckets",
    "WriteGetObjectResponse",
}


@pytest.mark.parametrize(
    "operation",
    [
        (
            pytest.param(
                name,
                marks=pytest.mark.xfail(reason="not yet as botocore", strict=True),
            )
            if name in KNOWN_DIFFERENT
            else name
        )
        for name in _s3_operations()
    ],
)
def test_every_s3_operation(operation: str) -> None:
    theirs = botocore_client("s3")
    ours = our_client("s3", "S3Client")
    shape = theirs.meta.service_model.operation_model(operation).input_shape
    params = sample(shape) if shape is not None else {}
    both(ours, theirs, xform_name(operation), params)


@pytest.mark.parametrize(
    "params",
    [
        {"Bucket": "my-bucket", "Key": "dir/obj name+ü.txt"},
        {"Bucket": "my-bucket", "Key": "k", "Range": "bytes=0-9", "VersionId": "v"},
        {"Bucket": "my-bucket", "Key": "k", "ResponseContentType": "text/plain"},
        {"Bucket": "my.dotted.bucket", "Key": "k"},
    ],
)
@pytest.mark.parametrize("options", [{}, {"endpoint_url": "http://127.0.0.1:5000"}])
def test_s3_get_object_variants(
    params: dict[str, Any], options: dict[str, Any]
) -> None:
    theirs = botocore_client("s3", **options)
    ours = our_client("s3", "S3Client", **options)
    both(ours, theirs, "get_object", params)
    put = {"Bucket": params["Bucket"], "Key": params["Key"]}
    both(ours, theirs, "put_object", {**put, "ContentType": "text/plain"})
    url = ours.generate_presigned_url(
        "put_object", Params=put, HttpMethod="PUT", ExpiresIn=60
    )
    assert url == theirs.generate_presigned_url(
        "put_object", Params=put, HttpMethod="PUT", ExpiresIn=60
    )


def test_session_token_and_other_services() -> None:
    token = {"aws_session_token": "tok/en+="}
    cases = [
        ("sts", "STSClient", "get_caller_identity", {}),
        (
            "sts",
            "STSClient",
            "assume_role",
            {"RoleArn": "arn:r", "RoleSessionName": "s"},
        ),
        ("sqs", "SQSClient", "list_queues", {"QueueNamePrefix": "q"}),
        ("dynamodb", "DynamoDBClient", "list_tables", {"Limit": 3}),
        ("route53", "Route53Client", "get_hosted_zone", {"Id": "/hostedzone/Z1"}),
        (
            "emr_serverless",
            "EMRServerlessClient",
            "get_application",
            {"applicationId": "00f1"},
        ),
    ]
    for package, cls, method, params in cases:
        service = importlib.import_module(f"generated.{package}")
        name = json.loads(
            (
                importlib.resources.files(service) / "_schema.json"  # type: ignore[attr-defined]
            ).read_text()
        )["metadata"].get("endpointPrefix")
        assert name
        boto_name = {"emr_serverless": "emr-serverless"}.get(package, package)
        theirs = botocore.session.get_session().create_client(
            boto_name, region_name=REGION, **KEYS, **token
        )
        ours = our_client(package, cls, **token)
        both(ours, theirs, method, params)


def test_bad_params_refused_before_signing() -> None:
    ours = our_client("s3", "S3Client")
    with pytest.raises(ParamValidationError, match="no operation"):
        ours.generate_presigned_url("get_objekt", Params={})
    with pytest.raises(ParamValidationError, match="Nope"):
        ours.generate_presigned_url("get_object", Params={"Bucket": "b", "Nope": 1})
    with pytest.raises(ParamValidationError, match="key: required"):
        ours.generate_presigned_url("get_object", Params={"Bucket": "bucket"})
    with pytest.raises(ParamValidationError, match="part_number: expected an int"):
        ours.generate_presigned_url(
            "get_object", Params={"Bucket": "bucket", "Key": "k", "PartNumber": "x"}
        )


@pytest.mark.parametrize(
    "key, fields, conditions",
    [
        ("uploads/obj", None, None),
        ("uploads/${filename}", {"acl": "public-read"}, [{"acl": "public-read"}]),
        ("k", {"Content-Type": "text/plain"}, [["content-length-range", 1, 10]]),
    ],
)
def test_presigned_post_as_botocore(
    key: str, fields: dict[str, str] | None, conditions: list[Any] | None
) -> None:
    theirs = botocore_client("s3").generate_presigned_post(
        Bucket="my-bucket",
        Key=key,
        Fields=fields,
        Conditions=list(conditions) if conditions else None,  # botocore appends
        ExpiresIn=120,
    )
    ours = our_client("s3", "S3Client").generate_presigned_post(
        Bucket="my-bucket", Key=key, Fields=fields, Conditions=conditions, ExpiresIn=120
    )
    assert ours == theirs
    assert json.loads(base64.b64decode(ours["fields"]["policy"]))["expiration"] == (
        "2024-05-06T07:10:09Z"
    )
