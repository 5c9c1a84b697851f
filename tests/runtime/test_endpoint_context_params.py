"""Endpoint parameters bound from the model (``staticContextParams``, an
input member's ``contextParam``, ``operationContextParams``): the request
goes where botocore sends it, signed for the same scope."""

from __future__ import annotations

import contextlib
import re
from typing import Any
from urllib.parse import urlsplit

import botocore.session
import pytest

from tests.conformance import test_differential as diff
from typed_aws_runtime.endpoint_context import compile_path
from typed_aws_runtime.transport import HttpResponse

_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")
_KVS = "arn:aws:cloudfront::123456789012:key-value-store/0123456789abcdef"
_TABLE = "arn:aws:dynamodb:us-west-2:123456789012:table/Music"

CASES: list[tuple[str, str, dict[str, Any]]] = [
    # staticContextParams: ApiType picks the control or the data plane.
    ("neptune-graph", "ListGraphs", {}),
    ("neptune-graph", "GetGraph", {"graphIdentifier": "g-0123456789"}),
    ("neptune-graph", "CancelQuery", {"graphIdentifier": "g-01", "queryId": "q"}),
    ("wellarchitected", "ListLenses", {}),
    # operationContextParams over maps and lists.
    ("dynamodb", "BatchGetItem", {"RequestItems": {_TABLE: {"Keys": [{}]}}}),
    (
        "dynamodb",
        "TransactGetItems",
        {"TransactItems": [{"Get": {"TableName": _TABLE, "Key": {}}}]},
    ),
    (
        "dynamodb",
        "ImportTable",
        {
            "S3BucketSource": {"S3Bucket": "b"},
            "InputFormat": "CSV",
            "ClientToken": "token",
            "TableCreationParameters": {
                "TableName": _TABLE,
                "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}],
                "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}],
                "BillingMode": "PAY_PER_REQUEST",
            },
        },
    ),
]


def _scope(headers: Any) -> tuple[str, str] | None:
    for name, value in dict(headers).items():
        if name.lower() == "authorization":
            found = _SCOPE.search(str(value))
            return (found.group(1), found.group(2)) if found else None
    return None


@pytest.mark.parametrize("name,operation,params", CASES)
def test_request_goes_where_botocore_sends_it(
    name: str, operation: str, params: dict[str, Any]
) -> None:
    svc = diff.service(name)
    svc.transport.operation = svc.capture.operation = operation
    diff.compare_requests(svc, operation, params)
    ours, theirs = svc.transport.last, svc.capture.request
    mine, boto = urlsplit(ours.url), urlsplit(theirs.url)
    assert (mine.netloc, mine.path) == (boto.netloc, boto.path)
    assert _scope(ours.headers) == _scope(theirs.headers)


@pytest.mark.parametrize("operation", ["DescribeKeyValueStore", "GetKey"])
def test_context_param_picks_the_host(
    operation: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """cloudfront-keyvaluestore: the ARN member (``contextParam``) picks the
    host. Its rules answer SigV4a only, which botocore signs only with the
    CRT: without it both refuse the call (MissingDependencyError, botocore's
    MissingDependencyException); the host is checked with the signer stubbed
    out, against botocore's endpoint provider (SigV4a itself: test_sigv4a)."""
    from botocore.endpoint_provider import EndpointProvider

    from typed_aws_runtime import auth, sigv4a
    from typed_aws_runtime.errors import MissingDependencyError

    svc = diff.service("cloudfront-keyvaluestore")
    loader = botocore.session.get_session().get_component("data_loader")
    provider = EndpointProvider(
        loader.load_service_model("cloudfront-keyvaluestore", "endpoint-rule-set-1"),
        loader.load_data("partitions"),
    )
    expected = provider.resolve_endpoint(Region="us-east-1", UseFIPS=False, KvsARN=_KVS)
    svc.transport.operation = operation
    svc.transport.clear()
    # A client of its own: the shared one keeps per-call endpoints (and their
    # auth schemes) from the other operations' runs.
    ours = type(svc.ours)(
        region_name="us-east-1",
        aws_access_key_id="AK",
        aws_secret_access_key="SK",
        transport=svc.transport,
        max_attempts=1,
    )
    method = getattr(ours, diff.support.method_name(operation))
    extra = {"key": "k"} if operation == "GetKey" else {}
    monkeypatch.setattr(auth, "crt_available", lambda: False)
    with pytest.raises(MissingDependencyError):
        method(kvs_arn=_KVS, **extra)
    assert svc.transport.requests == []
    monkeypatch.setattr(auth, "crt_available", lambda: True)
    monkeypatch.setattr(sigv4a, "sign_v4a", lambda *a, **k: None)
    svc.transport.queue(HttpResponse(200, {}, b"{}"))
    with contextlib.suppress(Exception):  # the empty answer may not parse
        method(kvs_arn=_KVS, **extra)
    sent = svc.transport.last
    assert urlsplit(sent.url).netloc == urlsplit(expected.url).netloc
    assert ".cloudfront-kvs.global." in sent.url


def test_paths_evaluate_as_jmespath_does() -> None:
    import jmespath

    data = {
        "RequestItems": {"a": 1, "b": 2},
        "TransactItems": [
            {"Put": {"TableName": "p"}},
            {"Get": {"TableName": "g"}},
            {"Delete": {"TableName": "d"}, "Update": {"TableName": "u"}},
            {},
        ],
        "T": {"TableName": "x"},
    }
    for path in (
        "keys(RequestItems)",
        "T.TableName",
        "TransactItems[*].Get.TableName",
        "TransactItems[*].[ConditionCheck.TableName, Put.TableName,"
        " Delete.TableName, Update.TableName][]",
        "Missing.TableName",
        "Missing[*].X",
    ):
        assert compile_path(path)(data) == jmespath.search(path, data), path
