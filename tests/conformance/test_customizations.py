"""botocore's hand-written customizations, each against botocore itself.

For every rule of ``codegen/customizations.py`` a botocore client and ours
(generated into a temporary package from the installed botocore model) make
the same call. botocore's prepared request is captured by a ``before-send``
handler (as in ``test_differential``); ours by an ``InMemoryTransport``. Both
clocks are fixed (botocore's ``get_current_datetime`` and our ``clock``), and
gzip's timestamp too, so the whole request must be equal: method, URL,
headers (``Authorization`` and ``X-Amz-Date`` included; only ``User-Agent``
and the two ``amz-sdk-*`` headers, per-client and per-call, are left out),
``Content-Length`` and body, byte for byte. A presigned URL in a body is then
equal too, signature included. For output rules both parse the same
response (written by ``responses.py`` from botocore's shape model) and the
results must be equal.
"""

from __future__ import annotations

import base64
import copy
import datetime
import functools
import gzip
import importlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import botocore.auth
import botocore.compress
import botocore.session
import pytest
from botocore.awsrequest import AWSResponse, HeadersDict
from botocore.config import Config
from botocore.exceptions import ClientError

from codegen import protocols
from typed_aws_runtime.errors import ServiceError
from typed_aws_runtime.http import wire_headers
from typed_aws_runtime.transport import HttpResponse, InMemoryTransport

from . import responses, support

FIXED = datetime.datetime(2024, 5, 6, 7, 8, 9)  # naive UTC, as botocore's clock
# botocore's CRT signers (awscrt installed) write the Host header into the
# request; an HTTP client sends the same one from the URL, which is compared.
UNCOMPARED = frozenset(
    {"user-agent", "amz-sdk-invocation-id", "amz-sdk-request", "host"}
)


@pytest.fixture(autouse=True)
def fixed_clocks(monkeypatch: pytest.MonkeyPatch) -> None:
    def fixed(remove_tzinfo: bool = True) -> datetime.datetime:
        return FIXED if remove_tzinfo else FIXED.replace(tzinfo=datetime.UTC)

    monkeypatch.setattr(botocore.auth, "get_current_datetime", fixed)
    try:
        crt_auth = importlib.import_module("botocore.crt.auth")
    except ImportError:  # awscrt not installed: botocore signs itself
        pass
    else:
        monkeypatch.setattr(crt_auth, "get_current_datetime", fixed)
    # gzip writes the time into its header; botocore bound gzip.compress.
    fixed_gzip = functools.partial(gzip.compress, mtime=0)
    monkeypatch.setattr(botocore.compress, "gzip_compress", fixed_gzip)
    monkeypatch.setattr(gzip, "compress", fixed_gzip)
    for name in ("AWS_LAMBDA_FUNCTION_NAME", "_X_AMZN_TRACE_ID"):
        monkeypatch.delenv(name, raising=False)
    for name in (
        "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES",
        "AWS_DISABLE_REQUEST_COMPRESSION",
    ):
        monkeypatch.delenv(name, raising=False)


class _Raw(io.BytesIO):
    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.getvalue()


@dataclass
class Pair:
    """botocore's client and ours for one service, with what each sent."""

    name: str
    package: Any
    ours: Any
    transport: InMemoryTransport
    boto: Any
    request: Any = None
    answer: tuple[int, dict[str, str], bytes] = (200, {}, b"{}")

    def capture(self, request: Any, **_: Any) -> AWSResponse:
        self.request = request
        status, headers, body = self.answer
        return AWSResponse(request.url, status, HeadersDict(headers), _Raw(body))

    @property
    def schema(self) -> Any:
        return support.wire_schema(self.package)

    def call(self, operation: str, params: dict[str, Any]) -> tuple[Any, Any]:
        """The same call through both clients; (ours, botocore's) results."""
        method = support.method_name(operation)
        op = self.schema.operation(operation)
        self.transport.requests.clear()
        self.request = None
        mine = getattr(self.ours, method)(**support.typed_kwargs(op.input, params))
        # botocore serializes in the caller's order, ours in the model's.
        members = op.input.members if op.input is not None else {}
        ordered = {k: params[k] for k in members if k in params}
        theirs = getattr(self.boto, method)(**copy.deepcopy(ordered))
        theirs.pop("ResponseMetadata", None)
        return mine, theirs

    def respond(self, status: int, headers: dict[str, str], body: bytes) -> None:
        """The next response of both clients."""
        self.answer = (status, headers, body)
        self.transport.queue(HttpResponse(status, dict(headers), body))


_PAIRS: dict[tuple[Any, ...], Pair] = {}


def pair(
    name: str,
    *,
    region: str = "us-east-1",
    endpoint_url: str | None = None,
    fresh: bool = False,
    **options: Any,
) -> Pair:
    """Both clients of ``name``, built once per process (``fresh``: anew, for
    settings a client reads on its first call)."""
    key = (name, region, endpoint_url, tuple(sorted(options.items())))
    if key in _PAIRS and not fresh:
        return _PAIRS[key]
    session = botocore.session.get_session()
    loader = session.get_component("data_loader")
    model = loader.load_service_model(name, "service-2")
    rules = loader.load_service_model(name, "endpoint-rule-set-1")
    package = support.generated(model, rules, prefix=f"custom_{name.replace('-', '_')}")
    boto = session.create_client(
        name,
        region_name=region,
        endpoint_url=endpoint_url,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="SECRET",
        config=Config(retries={"total_max_attempts": 1}, **options),
    )
    transport = InMemoryTransport()
    ours = support.client_class(package)(
        region_name=region,
        endpoint_url=endpoint_url,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="SECRET",
        transport=transport,
        max_attempts=1,
        **options,
    )
    ours._codegen_clock = lambda: FIXED.replace(tzinfo=datetime.UTC)
    found = Pair(name, package, ours, transport, boto)
    boto.meta.events.register("before-send", found.capture)
    _PAIRS[key] = found
    return found


def supported(name: str) -> Any:
    """Skip a service whose protocol the runtime does not speak yet."""
    session = botocore.session.get_session()
    metadata = session.get_component("data_loader").load_service_model(
        name, "service-2"
    )["metadata"]
    protocol = protocols.resolve(metadata)
    return pytest.mark.skipif(
        protocol not in protocols.SUPPORTED,
        reason=f"{name} speaks {protocol}, not supported yet",
    )


def _headers(headers: Any) -> dict[str, str]:
    return {
        k.lower(): v.decode() if isinstance(v, bytes) else str(v)
        for k, v in headers.items()
        if k.lower() not in UNCOMPARED
    }


def _bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode()
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    data = body.read()
    body.seek(0)
    return bytes(data)


def assert_same_request(p: Pair) -> tuple[Any, Any]:
    """What both clients sent must be equal; returns (ours, botocore's)."""
    ours, theirs = p.transport.last, p.request
    assert theirs is not None, "botocore sent nothing"
    assert ours.method == theirs.method
    assert ours.url == theirs.url
    assert _headers(wire_headers(ours)) == _headers(theirs.headers)
    assert _bytes(ours.body) == _bytes(theirs.body)
    return ours, theirs


def _form(body: Any) -> dict[str, str]:
    return dict(parse_qsl(_bytes(body).decode(), keep_blank_values=True))


# -- signing: operations botocore sends unsigned ----------------------------------


UNSIGNED = [
    ("cognito-identity", "GetId", {"IdentityPoolId": "us-east-1:pool"}),
    ("cognito-identity", "GetOpenIdToken", {"IdentityId": "us-east-1:id"}),
    (
        "cognito-identity",
        "UnlinkIdentity",
        {
            "IdentityId": "us-east-1:id",
            "Logins": {"graph.facebook.com": "token"},
            "LoginsToRemove": ["graph.facebook.com"],
        },
    ),
    ("cognito-identity", "GetCredentialsForIdentity", {"IdentityId": "us-east-1:id"}),
    (
        "sts",
        "AssumeRoleWithWebIdentity",
        {
            "RoleArn": "arn:aws:iam::123456789012:role/r",
            "RoleSessionName": "session",
            "WebIdentityToken": "token",
        },
    ),
    (
        "sts",
        "AssumeRoleWithSAML",
        {
            "RoleArn": "arn:aws:iam::123456789012:role/r",
            "PrincipalArn": "arn:aws:iam::123456789012:saml-provider/p",
            "SAMLAssertion": "x" * 8,
        },
    ),
]


@pytest.mark.parametrize(
    ("name", "operation", "params"),
    [
        pytest.param(*case, id=f"{case[0]}-{case[1]}", marks=supported(case[0]))
        for case in UNSIGNED
    ],
)
def test_unsigned_operations(name: str, operation: str, params: dict[str, Any]) -> None:
    p = pair(name)
    p.respond(*_empty_response(p, operation))
    p.call(operation, params)
    ours, _ = assert_same_request(p)
    assert "Authorization" not in ours.headers
    # A static rule: the operation keeps the pipeline's plain path.
    assert p.schema.operation(operation).custom is None


def _empty_response(p: Pair, operation: str) -> tuple[int, dict[str, str], bytes]:
    model = p.boto.meta.service_model.operation_model(operation)
    protocol = str(p.schema.metadata["protocol"])
    if model.output_shape is None:
        json_like = protocol in ("json", "rest-json")
        return 200, {}, b"{}" if json_like else f"<{operation}Response/>".encode()
    return responses.encode(protocol, model, {}, 200)


# -- request compression (the requestcompression trait) -----------------------------


def _metric_data(count: int) -> dict[str, Any]:
    return {
        "Namespace": "app",
        "MetricData": [
            {"MetricName": f"latency-{i}", "Value": float(i), "Unit": "Milliseconds"}
            for i in range(count)
        ],
    }


@pytest.mark.parametrize(
    ("options", "count", "compressed"),
    [
        pytest.param({}, 300, True, id="above-default-minimum"),
        pytest.param({}, 3, False, id="below-default-minimum"),
        pytest.param({"request_min_compression_size_bytes": 64}, 3, True, id="min-64"),
        pytest.param({"disable_request_compression": True}, 300, False, id="disabled"),
    ],
)
def test_request_compression(
    options: dict[str, Any], count: int, compressed: bool
) -> None:
    p = pair("cloudwatch", **options)
    p.call("PutMetricData", _metric_data(count))
    ours, _ = assert_same_request(p)
    assert (ours.headers.get("Content-Encoding") == "gzip") is compressed
    body = _bytes(ours.body)
    plain = gzip.decompress(body) if compressed else body
    assert json.loads(plain)["Namespace"] == "app"


def test_request_compression_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "64")
    p = pair("cloudwatch", fresh=True)
    p.call("PutMetricData", _metric_data(3))
    ours, _ = assert_same_request(p)
    assert ours.headers["Content-Encoding"] == "gzip"
    monkeypatch.setenv("AWS_DISABLE_REQUEST_COMPRESSION", "true")
    p = pair("cloudwatch", fresh=True)
    p.call("PutMetricData", _metric_data(300))
    ours, _ = assert_same_request(p)
    assert "Content-Encoding" not in ours.headers


def test_request_compression_minimum_is_checked() -> None:
    client_class = support.client_class(pair("cloudwatch").package)
    for bad in (0, 1048577):
        with pytest.raises(ValueError, match="request_min_compression_size_bytes"):
            client_class(
                region_name="us-east-1", request_min_compression_size_bytes=bad
            )


# -- request rewrites of json and rest-json services -------------------------------


def test_machinelearning_predict_goes_to_the_predict_endpoint() -> None:
    p = pair("machinelearning")
    p.call(
        "Predict",
        {
            "MLModelId": "ml-1",
            "Record": {"age": "42"},
            "PredictEndpoint": "https://realtime.machinelearning.us-east-1.amazonaws.com",
        },
    )
    ours, _ = assert_same_request(p)
    assert (
        urlsplit(ours.url).netloc == "realtime.machinelearning.us-east-1.amazonaws.com"
    )


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        ("GetRestApis", {}),
        ("GetRestApis", {"limit": 5}),
        (
            "GetExport",
            {
                "restApiId": "a1",
                "stageName": "prod",
                "exportType": "oas30",
                "accepts": "application/yaml",
            },
        ),
    ],
)
def test_apigateway_accept_header(operation: str, params: dict[str, Any]) -> None:
    p = pair("apigateway")
    p.call(operation, params)
    ours, _ = assert_same_request(p)
    assert ours.headers["Accept"] == params.get("accepts", "application/json")


def test_cloudsearchdomain_search_is_a_form_post() -> None:
    p = pair(
        "cloudsearchdomain",
        endpoint_url="https://search-d.us-east-1.cloudsearch.amazonaws.com",
    )
    p.call("Search", {"query": "star wars & more", "size": 3, "return": "title"})
    ours, _ = assert_same_request(p)
    assert ours.method == "POST" and "?" not in ours.url
    assert _form(ours.body)["q"] == "star wars & more"


GLACIER = [
    ("ListVaults", {}),
    ("ListVaults", {"accountId": "123456789012"}),
    ("DescribeVault", {"vaultName": "photos"}),
    ("UploadArchive", {"vaultName": "v", "body": b"x" * (3 * 1024 * 1024 + 17)}),
    ("UploadArchive", {"vaultName": "v", "body": b""}),
    ("UploadArchive", {"vaultName": "v", "body": b"abc", "checksum": "given"}),
    (
        "UploadMultipartPart",
        {"vaultName": "v", "uploadId": "u", "range": "bytes 0-4/*", "body": b"hello"},
    ),
]


@pytest.mark.parametrize(
    ("operation", "params"),
    [pytest.param(o, p, id=f"{o}-{i}") for i, (o, p) in enumerate(GLACIER)],
)
def test_glacier(operation: str, params: dict[str, Any]) -> None:
    p = pair("glacier")
    p.respond(*_empty_response(p, operation))
    p.call(operation, params)
    ours, _ = assert_same_request(p)
    assert ours.headers["x-amz-glacier-version"] == "2012-06-01"
    assert urlsplit(ours.url).path.startswith("/" + params.get("accountId", "-") + "/")


def test_glacier_checksums_of_a_file_body_leave_it_where_it_was() -> None:
    p = pair("glacier")
    data = b"0123456789" * 200_000
    ours_body, their_body = io.BytesIO(data), io.BytesIO(data)
    ours_body.seek(5)
    their_body.seek(5)
    p.respond(*_empty_response(p, "UploadArchive"))
    op = p.schema.operation("UploadArchive")
    p.transport.requests.clear()
    p.ours.upload_archive(vault_name="v", body=ours_body)
    p.boto.upload_archive(vaultName="v", body=their_body)
    ours = p.transport.last
    expected = botocore.utils.calculate_tree_hash(io.BytesIO(data[5:]))
    assert ours.headers["x-amz-sha256-tree-hash"] == expected
    assert _headers(wire_headers(ours)) == _headers(p.request.headers)
    assert op.custom is not None


def test_glacier_account_id_is_optional_to_a_caller() -> None:
    import inspect

    method = support.client_class(pair("glacier").package).list_vaults
    parameter = inspect.signature(method).parameters["account_id"]
    assert parameter.default is None


# -- error rewrites -----------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"error": "invalid_grant", "error_description": "the grant expired"},
        {"error": "invalid_grant", "error_description": "d", "message": "kept"},
        {"error": "invalid_grant"},
    ],
)
def test_sso_oidc_oauth2_errors_take_their_description(body: dict[str, str]) -> None:
    p = pair("sso-oidc")
    headers = {"x-amzn-errortype": "InvalidGrantException", "x-amzn-RequestId": "r-1"}
    raw = json.dumps(body).encode()
    p.respond(400, headers, raw)
    params = {"clientId": "c", "clientSecret": "s", "grantType": "refresh_token"}
    op = p.schema.operation("CreateToken")
    with pytest.raises(ServiceError) as ours:
        p.ours.create_token(**support.typed_kwargs(op.input, params))
    with pytest.raises(ClientError) as theirs:
        p.boto.create_token(**params)
    error = theirs.value.response["Error"]
    assert (ours.value.code, ours.value.message) == (
        error["Code"],
        error.get("Message", ""),
    )


# -- recursion detection (every service, inside Lambda) -----------------------------


def test_recursion_detection_header_inside_lambda(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "fn")
    monkeypatch.setenv(
        "_X_AMZN_TRACE_ID", "Root=1-5759e988;Parent=53995c3f;Sampled=1 é"
    )
    p = pair("apigateway", fresh=True)
    p.call("GetRestApis", {})
    ours, _ = assert_same_request(p)
    assert ours.headers["X-Amzn-Trace-Id"].startswith("Root=1-5759e988;")


# -- parameter rewrites of query, ec2 and rest-xml services -------------------------


@supported("route53")
@pytest.mark.parametrize(
    ("operation", "params", "path"),
    [
        ("GetChange", {"Id": "/change/C2682N5HXP0BZ4"}, "/change/C2682N5HXP0BZ4"),
        ("GetHostedZone", {"Id": "/hostedzone/Z1D633"}, "/hostedzone/Z1D633"),
        ("GetHostedZone", {"Id": "Z1D633"}, "/hostedzone/Z1D633"),
        (
            "ListResourceRecordSets",
            {"HostedZoneId": "/hostedzone/Z1D633"},
            "/hostedzone/Z1D633/rrset",
        ),
        (
            "GetReusableDelegationSet",
            {"Id": "/delegationset/N1PA6795"},
            "/delegationset/N1PA6795",
        ),
        # TagResourceId is none of the shapes botocore strips: sent as given.
        (
            "ChangeTagsForResource",
            {"ResourceType": "hostedzone", "ResourceId": "/hostedzone/Z1"},
            "/tags/hostedzone/%2Fhostedzone%2FZ1",
        ),
    ],
)
def test_route53_ids(operation: str, params: dict[str, Any], path: str) -> None:
    p = pair("route53")
    p.respond(*_empty_response(p, operation))
    p.call(operation, params)
    ours, _ = assert_same_request(p)
    assert urlsplit(ours.url).path == "/2013-04-01" + path


USER_DATA = [
    pytest.param(
        "ec2",
        "RunInstances",
        {"MinCount": 1, "MaxCount": 1, "ClientToken": "token-1"},
        id="ec2",
    ),
    pytest.param(
        "autoscaling",
        "CreateLaunchConfiguration",
        {"LaunchConfigurationName": "lc"},
        id="autoscaling",
    ),
]


@pytest.mark.parametrize(("name", "operation", "params"), USER_DATA)
@pytest.mark.parametrize(
    "user_data", ["#!/bin/sh\necho héllo\n", b"\x00\xffbinary"], ids=["text", "bytes"]
)
def test_user_data_is_sent_base64_encoded(
    name: str, operation: str, params: dict[str, Any], user_data: str | bytes
) -> None:
    if protocols.resolve(_metadata(name)) not in protocols.SUPPORTED:
        pytest.skip(f"{name}: protocol not supported yet")
    p = pair(name)
    p.respond(*_empty_response(p, operation))
    p.call(operation, {**params, "UserData": user_data})
    ours, _ = assert_same_request(p)
    raw = user_data.encode() if isinstance(user_data, str) else user_data
    assert _form(ours.body)["UserData"] == base64.b64encode(raw).decode()


def _metadata(name: str) -> dict[str, Any]:
    loader = botocore.session.get_session().get_component("data_loader")
    metadata: dict[str, Any] = loader.load_service_model(name, "service-2")["metadata"]
    return metadata


# -- presigned URLs of cross-region copies ----------------------------------------


PRESIGNED = [
    pytest.param(
        "ec2",
        "CopySnapshot",
        {"SourceRegion": "us-west-2", "SourceSnapshotId": "snap-1", "Encrypted": True},
        id="ec2-CopySnapshot",
    ),
    pytest.param(
        "ec2",
        "CopySnapshot",
        {
            "SourceRegion": "us-west-2",
            "SourceSnapshotId": "snap-1",
            "DestinationRegion": "eu-west-1",
            "Description": "a copy & more",
        },
        id="ec2-CopySnapshot-destination-given",
    ),
    pytest.param(
        "ec2",
        "CopySnapshot",
        {
            "SourceRegion": "us-west-2",
            "SourceSnapshotId": "snap-1",
            "PresignedUrl": "https://given",
        },
        id="ec2-CopySnapshot-url-given",
    ),
    pytest.param(
        "rds",
        "CopyDBSnapshot",
        {
            "SourceDBSnapshotIdentifier": "arn:aws:rds:us-west-2:1:snapshot:s",
            "TargetDBSnapshotIdentifier": "t",
            "KmsKeyId": "k",
            "SourceRegion": "us-west-2",
            "Tags": [{"Key": "a b", "Value": "c/d"}],
        },
        id="rds-CopyDBSnapshot",
    ),
    pytest.param(
        "rds",
        "CopyDBSnapshot",
        {"SourceDBSnapshotIdentifier": "s", "TargetDBSnapshotIdentifier": "t"},
        id="rds-CopyDBSnapshot-local",
    ),
    pytest.param(
        "rds",
        "CopyDBSnapshot",
        {
            "SourceDBSnapshotIdentifier": "s",
            "TargetDBSnapshotIdentifier": "t",
            "SourceRegion": "us-west-2",
            "PreSignedUrl": "https://given",
        },
        id="rds-CopyDBSnapshot-url-given",
    ),
    pytest.param(
        "rds",
        "CopyDBClusterSnapshot",
        {
            "SourceDBClusterSnapshotIdentifier": "s",
            "TargetDBClusterSnapshotIdentifier": "t",
            "SourceRegion": "us-west-2",
        },
        id="rds-CopyDBClusterSnapshot",
    ),
    pytest.param(
        "rds",
        "CreateDBInstanceReadReplica",
        {
            "DBInstanceIdentifier": "r",
            "SourceDBInstanceIdentifier": "arn:aws:rds:us-west-2:1:db:s",
            "SourceRegion": "us-west-2",
        },
        id="rds-CreateDBInstanceReadReplica",
    ),
    pytest.param(
        "rds",
        "StartDBInstanceAutomatedBackupsReplication",
        {
            "SourceDBInstanceArn": "arn:aws:rds:us-west-2:1:db:s",
            "SourceRegion": "us-west-2",
        },
        id="rds-StartDBInstanceAutomatedBackupsReplication",
    ),
    pytest.param(
        "rds",
        "CreateDBCluster",
        {
            "DBClusterIdentifier": "c",
            "Engine": "aurora-mysql",
            "SourceRegion": "us-west-2",
        },
        id="rds-CreateDBCluster",
    ),
    pytest.param(
        "neptune",
        "CreateDBCluster",
        {"DBClusterIdentifier": "c", "Engine": "neptune", "SourceRegion": "us-west-2"},
        id="neptune-CreateDBCluster",
    ),
    pytest.param(
        "neptune",
        "CopyDBClusterSnapshot",
        {
            "SourceDBClusterSnapshotIdentifier": "s",
            "TargetDBClusterSnapshotIdentifier": "t",
            "SourceRegion": "us-west-2",
        },
        id="neptune-CopyDBClusterSnapshot",
    ),
    pytest.param(
        "docdb",
        "CreateDBCluster",
        {"DBClusterIdentifier": "c", "Engine": "docdb", "SourceRegion": "us-west-2"},
        id="docdb-CreateDBCluster",
    ),
    pytest.param(
        "docdb",
        "CopyDBClusterSnapshot",
        {
            "SourceDBClusterSnapshotIdentifier": "s",
            "TargetDBClusterSnapshotIdentifier": "t",
            "SourceRegion": "us-west-2",
        },
        id="docdb-CopyDBClusterSnapshot",
    ),
]


@pytest.mark.parametrize(("name", "operation", "params"), PRESIGNED)
def test_presigned_urls(name: str, operation: str, params: dict[str, Any]) -> None:
    if protocols.resolve(_metadata(name)) not in protocols.SUPPORTED:
        pytest.skip(f"{name}: protocol not supported yet")
    p = pair(name)
    p.respond(*_empty_response(p, operation))
    p.call(operation, params)
    ours, theirs = assert_same_request(p)
    sent = _form(ours.body)
    key = "PresignedUrl" if name == "ec2" else "PreSignedUrl"
    assert "SourceRegion" in sent if name == "ec2" else "SourceRegion" not in sent
    if key in params or (name != "ec2" and "SourceRegion" not in params):
        assert sent.get(key) == params.get(key)
        return
    url = urlsplit(sent[key])
    assert (
        url.netloc == f"{p.schema.metadata['endpointPrefix']}.us-west-2.amazonaws.com"
    )
    query = dict(parse_qsl(url.query))
    assert query["Action"] == operation
    assert query["DestinationRegion"] == "us-east-1"
    assert query["X-Amz-Credential"].split("/")[2] == "us-west-2"
    assert query["X-Amz-Expires"] == "3600"


# -- output rewrites ------------------------------------------------------------------


POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*"}]}
QUOTED = quote(json.dumps(POLICY))

OUTPUTS = [
    pytest.param(
        "iam",
        "GetRolePolicy",
        {"RoleName": "r", "PolicyName": "p"},
        {"RoleName": "r", "PolicyName": "p", "PolicyDocument": QUOTED},
        id="iam-GetRolePolicy",
    ),
    pytest.param(
        "iam",
        "GetRolePolicy",
        {"RoleName": "r", "PolicyName": "p"},
        {"RoleName": "r", "PolicyName": "p", "PolicyDocument": "not%20json"},
        id="iam-GetRolePolicy-not-json",
    ),
    pytest.param(
        "iam",
        "GetAccountAuthorizationDetails",
        {},
        {
            "UserDetailList": [
                {"UserName": "u", "UserPolicyList": [{"PolicyDocument": QUOTED}]}
            ],
            "RoleDetailList": [
                {
                    "AssumeRolePolicyDocument": QUOTED,
                    "InstanceProfileList": [
                        {
                            "InstanceProfileName": "i",
                            "Path": "/",
                            "InstanceProfileId": "id-instance-1",
                            "Arn": "arn:aws:iam::123456789012:instance-profile/i",
                            "CreateDate": datetime.datetime(
                                2024, 1, 1, tzinfo=datetime.UTC
                            ),
                            "Roles": [
                                {
                                    "Path": "/",
                                    "RoleName": "r",
                                    "RoleId": "id-role-1",
                                    "Arn": "arn:aws:iam::123456789012:role/r",
                                    "CreateDate": datetime.datetime(
                                        2024, 1, 1, tzinfo=datetime.UTC
                                    ),
                                    "AssumeRolePolicyDocument": QUOTED,
                                }
                            ],
                        }
                    ],
                }
            ],
            "Policies": [
                {"PolicyVersionList": [{"Document": QUOTED, "VersionId": "v1"}]}
            ],
        },
        id="iam-GetAccountAuthorizationDetails",
    ),
    pytest.param(
        "cloudformation",
        "GetTemplate",
        {"StackName": "s"},
        {"TemplateBody": json.dumps({"Resources": {"B": {"Type": "AWS::S3::Bucket"}}})},
        id="cloudformation-GetTemplate-json",
    ),
    pytest.param(
        "cloudformation",
        "GetTemplate",
        {"StackName": "s"},
        {"TemplateBody": "Resources:\n  B:\n    Type: AWS::S3::Bucket\n"},
        id="cloudformation-GetTemplate-yaml",
    ),
    pytest.param(
        "ec2",
        "GetConsoleOutput",
        {"InstanceId": "i-1"},
        {
            "InstanceId": "i-1",
            "Output": base64.b64encode("boot ok é\n".encode() + b"\xff").decode(),
        },
        id="ec2-GetConsoleOutput",
    ),
    pytest.param(
        "ec2",
        "GetConsoleOutput",
        {"InstanceId": "i-1"},
        {"InstanceId": "i-1", "Output": "not base64!"},
        id="ec2-GetConsoleOutput-not-base64",
    ),
]


@pytest.mark.parametrize(("name", "operation", "params", "output"), OUTPUTS)
def test_outputs_are_decoded_as_botocore_decodes_them(
    name: str, operation: str, params: dict[str, Any], output: dict[str, Any]
) -> None:
    if protocols.resolve(_metadata(name)) not in protocols.SUPPORTED:
        pytest.skip(f"{name}: protocol not supported yet")
    p = pair(name)
    model = p.boto.meta.service_model.operation_model(operation)
    protocol = str(p.schema.metadata["protocol"])
    p.respond(*responses.encode(protocol, model, output, 200))
    mine, theirs = p.call(operation, params)
    op = p.schema.operation(operation)
    assert support.to_botocore(op.output, mine) == theirs


def test_operations_without_call_time_rules_keep_the_plain_path() -> None:
    """The pipeline branches once, on ``op.custom``: None for an operation
    without rules and for one with static rules only."""
    schema = pair("cloudwatch").schema
    assert schema.operation("ListMetrics").custom is None
    assert schema.operation("PutMetricData").custom is not None


@pytest.mark.parametrize(
    ("name", "where", "field", "annotation"),
    [
        ("ec2", "client", ("run_instances", "user_data"), "str | bytes | None"),
        (
            "autoscaling",
            "client",
            ("create_launch_configuration", "user_data"),
            "str | bytes | None",
        ),
        ("glacier", "client", ("list_vaults", "account_id"), "str | None"),
        ("iam", "shapes", ("Role", "assume_role_policy_document"), "Document | None"),
        ("iam", "shapes", ("GetRolePolicyResponse", "policy_document"), "Document"),
        (
            "cloudformation",
            "shapes",
            ("GetTemplateOutput", "template_body"),
            "Document | None",
        ),
    ],
)
def test_typed_signatures_follow_the_customizations(
    name: str, where: str, field: tuple[str, str], annotation: str
) -> None:
    import inspect

    if protocols.resolve(_metadata(name)) not in protocols.SUPPORTED:
        pytest.skip(f"{name}: protocol not supported yet")
    package = pair(name).package
    owner, attribute = field
    if where == "client":
        method = getattr(support.client_class(package), owner)
        found = inspect.signature(method).parameters[attribute].annotation
    else:
        import importlib

        shapes = importlib.import_module(f"{package.__name__}.shapes")
        cls = getattr(shapes, owner)
        found = cls.__annotations__[attribute]
    assert found == annotation
