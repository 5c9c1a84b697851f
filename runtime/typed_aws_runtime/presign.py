"""Presigned requests, as boto3 makes them: ``generate_presigned_url`` on
every client and S3's ``generate_presigned_post``.

The client's methods are thin (``client.py``, ``aio.py``); the work is here.
``Params`` is boto3's dict form (wire member names, nested dicts and lists):
it is turned into the typed input (structure classes for nested members),
then goes through what a call does before sending (botocore's parameter
handlers, validation, the endpoint bound to the call, serialization), so a
bad parameter is the same ``ParamValidationError`` a call raises, before
anything is signed. Signing is botocore's query-string SigV4
(``SigV4QueryAuth``; for S3 ``S3SigV4QueryAuth``: the path as sent,
``UNSIGNED-PAYLOAD``), from ``signing.presign_v4_query``.

Decision: no typed form (``client.presign.get_object(bucket=...)``) yet.
boto3's dict form is what code moving from boto3 has, and it is the form
botocore's handlers and every tutorial use; a typed form would double the
generated surface (one more method per operation on every client) for a
rarely used feature. The dict is still checked against the operation's
input schema, member by member.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from typed_aws_runtime.errors import ParamValidationError, UnsupportedFeatureError

if TYPE_CHECKING:
    from typed_aws_runtime.client import ClientCore
    from typed_aws_runtime.schema import Shape

__all__ = ["boto3_params", "generate_presigned_post", "generate_presigned_url"]


def boto3_params(shape: Shape, params: object, path: str = "") -> Any:
    """boto3's dict form of a value of ``shape`` as the typed value: dicts of
    structures become their classes (keyed by Python names); problems (an
    unknown member, a dict where a structure is due) raise one
    ``ParamValidationError`` naming each, as botocore's validator does."""
    problems: list[str] = []
    value = _convert(shape, params, path or "input", problems)
    if problems:
        raise ParamValidationError(problems)
    return value


def _convert(shape: Shape, value: Any, path: str, problems: list[str]) -> Any:
    from typed_aws_runtime.schema import ListShape, MapShape, StructureShape

    if value is None:
        return None
    if isinstance(shape, StructureShape) and not shape.document:
        if not isinstance(value, Mapping):
            problems.append(
                f"{path}: expected a dict of {shape.name}, got {type(value).__name__}"
            )
            return value
        fields: dict[str, Any] = {}
        for key, item in value.items():
            member = shape.members.get(key)
            if member is None:
                problems.append(
                    f'{path}: unknown parameter "{key}", must be one of: '
                    + ", ".join(shape.members)
                )
                continue
            fields[key] = _convert(member.shape, item, f"{path}.{key}", problems)
        return fields
    if isinstance(shape, ListShape) and isinstance(value, Sequence):
        if isinstance(value, (str, bytes)):
            return value
        return [
            _convert(shape.member.shape, item, f"{path}[{i}]", problems)
            for i, item in enumerate(value)
        ]
    if isinstance(shape, MapShape) and isinstance(value, Mapping):
        return {
            k: _convert(shape.value.shape, v, f"{path}.{k}", problems)
            for k, v in value.items()
        }
    return value


def _typed(shape: Shape, fields: Any) -> Any:
    """The converted dict form with structure classes built (Python names)."""
    from typed_aws_runtime.schema import ListShape, MapShape, StructureShape

    if fields is None:
        return None
    if isinstance(shape, StructureShape) and not shape.document:
        if not isinstance(fields, Mapping):
            return fields
        values = {
            shape.members[k].python: _typed(shape.members[k].shape, v)
            for k, v in fields.items()
        }
        return shape.cls(**values) if shape.cls is not None else values
    if isinstance(shape, ListShape) and isinstance(fields, list):
        return [_typed(shape.member.shape, item) for item in fields]
    if isinstance(shape, MapShape) and isinstance(fields, Mapping):
        return {k: _typed(shape.value.shape, v) for k, v in fields.items()}
    return fields


def generate_presigned_url(
    client: ClientCore[Any],
    client_method: str,
    params: Mapping[str, Any] | None,
    expires_in: int,
    http_method: str | None,
) -> str:
    """botocore's ``generate_presigned_url`` for ``client`` (prepared)."""
    state = client._state or client._prepare()
    if isinstance(expires_in, bool) or not isinstance(expires_in, int):
        raise ParamValidationError([f"ExpiresIn: expected an int, got {expires_in!r}"])
    operation = _operation_name(state.schema, client_method)
    op = state.schema.operation(operation)
    top = _top_level(op, params)
    url, headers, body = client._presign_request(
        operation, top, _global_endpoint(client, state, top)
    )
    query: dict[str, object] = _body_params(state.protocol, body)
    if state.endpoint_auth not in (None, "v4"):
        # (S3 Express sessions, SigV4a: botocore's -query signers of those.)
        raise UnsupportedFeatureError(
            f"presigning with the endpoint's auth scheme {state.endpoint_auth!r} "
            "is not supported yet"
        )
    if state.signing_region is None:
        from typed_aws_runtime.errors import NoRegionError

        raise NoRegionError()
    from typed_aws_runtime.signing import presign_v4_query

    return presign_v4_query(
        http_method or op.method,
        url,
        headers,
        query,
        state.credentials.get(),
        region=_signing_region(state, top),
        service=state.signing_name,
        timestamp=client._codegen_clock(),
        expires=expires_in,
        s3=state.s3_signing,
    )


# The aws partition's regions (botocore's partitions.json regionRegex).
_AWS_REGION = re.compile(r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$")
_HOST_LABEL = re.compile(r"^[a-z0-9][a-z0-9\-]*[a-z0-9]$")


def _global_endpoint(
    client: ClientCore[Any], state: Any, params: Mapping[str, Any]
) -> dict[str, object] | None:
    """botocore presigns S3 against the global endpoint
    (``_should_use_global_endpoint`` and ``customize_endpoint_resolver_builtins``):
    region ``aws-global`` unless the aws partition is not the client's, a
    dual-stack, regional us-east-1 or virtual addressing is configured, or
    the bucket needs path-style, is an ARN or an S3 Express bucket."""
    if not state.s3_signing or state.endpoint_resolver is None:
        return None
    config = state.s3_config
    region = state.region or ""
    if not _AWS_REGION.match(region) and region != "aws-global":
        return None
    if config.get("use_dualstack_endpoint") or client._use_dualstack:
        return None
    if (
        config.get("us_east_1_regional_endpoint") == "regional"
        and region == "us-east-1"
    ):
        return None
    if config.get("addressing_style") == "virtual":
        return None
    if state.endpoint_params.get("ForcePathStyle"):
        return None
    bucket = params.get("Bucket")
    if isinstance(bucket, str):
        from typed_aws_runtime.s3config import is_arn

        if not _HOST_LABEL.match(bucket) or is_arn(bucket):
            return None
        if bucket.endswith("--x-s3") or bucket.endswith("--xa-s3"):
            return None
    return {"Region": "aws-global", "UseGlobalEndpoint": True}


def _signing_region(state: Any, params: Mapping[str, Any]) -> str:
    """botocore's ``ignore_signing_region``: the client's region signs a
    presigned S3 request unless the bucket is an ARN."""
    from typed_aws_runtime.s3config import is_arn

    if state.s3_signing and state.region and not is_arn(params.get("Bucket", "")):
        return str(state.region)
    return str(state.signing_region)


def _operation_name(schema: Any, client_method: str) -> str:
    from botocore import xform_name

    names = {xform_name(name): name for name in schema.operation_names()}
    try:
        return str(names[client_method])
    except (KeyError, TypeError):
        raise ParamValidationError(
            [f"ClientMethod: the client has no operation {client_method!r}"]
        ) from None


def _top_level(op: Any, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """boto3's Params as the wire-keyed mapping a generated method passes
    to the pipeline (nested structures as their classes)."""
    if params is None:
        params = {}
    if op.input is None:
        if params:
            raise ParamValidationError(
                [f"Params: {op.name} takes no parameters, got {sorted(params)}"]
            )
        return {}
    fields = boto3_params(op.input, params, "Params")
    return {
        wire: _typed(op.input.members[wire].shape, value)
        for wire, value in fields.items()
    }


def _body_params(protocol: object, body: object) -> dict[str, object]:
    """botocore moves a body into the query (``_get_body_as_dict``): form
    pairs for query and ec2, a JSON object otherwise; any other body
    (XML, a blob) botocore cannot presign either: refused."""
    if not body:
        return {}
    if not isinstance(body, (bytes, bytearray)):
        raise UnsupportedFeatureError("a streaming body cannot be presigned")
    name = type(protocol).__name__
    if name in ("Query", "Ec2"):
        from urllib.parse import parse_qsl

        return dict(parse_qsl(body.decode(), keep_blank_values=True))
    try:
        decoded = json.loads(bytes(body).decode("utf-8"))
    except ValueError:
        decoded = None
    if not isinstance(decoded, dict):
        raise UnsupportedFeatureError(
            "this operation's request body cannot go into a presigned URL"
        )
    return decoded


def generate_presigned_post(
    client: ClientCore[Any],
    bucket: str,
    key: str,
    fields: Mapping[str, str] | None,
    conditions: Sequence[Any] | None,
    expires_in: int,
) -> dict[str, Any]:
    """botocore's ``S3PostPresigner.generate_presigned_post`` over the URL
    of a ``PutObject``-less request to the bucket (boto3 resolves the
    endpoint of CreateBucket with ``Bucket``)."""
    state = client._state or client._prepare()
    fields = dict(fields or {})
    conditions = list(conditions or [])
    op = state.schema.operation("CreateBucket")
    url, _, _ = client._presign_request(
        op.name, {"Bucket": bucket}, _global_endpoint(client, state, {"Bucket": bucket})
    )
    if state.signing_region is None:
        from typed_aws_runtime.errors import NoRegionError

        raise NoRegionError()
    now = client._codegen_clock()
    if now.tzinfo is not None:
        now = now.astimezone(datetime.UTC).replace(tzinfo=None)
    expiration = now + datetime.timedelta(seconds=expires_in)
    policy: dict[str, Any] = {
        "expiration": expiration.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "conditions": conditions,
    }
    conditions.append({"bucket": bucket})
    # The key: botocore's ${filename} form becomes a starts-with condition.
    if key.endswith("${filename}"):
        conditions.append(["starts-with", "$key", key[: -len("${filename}")]])
    else:
        conditions.append({"key": key})
    fields["key"] = key
    credentials = state.credentials.get()
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    date = amz_date[:8]
    region = _signing_region(state, {"Bucket": bucket})
    scope = f"{date}/{region}/s3/aws4_request"
    credential = f"{credentials.access_key}/{scope}"
    fields["x-amz-algorithm"] = "AWS4-HMAC-SHA256"
    fields["x-amz-credential"] = credential
    fields["x-amz-date"] = amz_date
    conditions.append({"x-amz-algorithm": "AWS4-HMAC-SHA256"})
    conditions.append({"x-amz-credential": credential})
    conditions.append({"x-amz-date": amz_date})
    if credentials.token is not None:
        fields["x-amz-security-token"] = credentials.token
        conditions.append({"x-amz-security-token": credentials.token})
    encoded = base64.b64encode(json.dumps(policy).encode("utf-8")).decode("utf-8")
    fields["policy"] = encoded
    key_bytes = f"AWS4{credentials.secret_key}".encode()
    for part in (date, region, "s3", "aws4_request"):
        key_bytes = hmac.digest(key_bytes, part.encode(), "sha256")
    fields["x-amz-signature"] = hmac.new(
        key_bytes, encoded.encode("utf-8"), hashlib.sha256
    ).hexdigest()
    return {"url": url, "fields": fields}
