"""``clientContextParams``: endpoint rule-set parameters a client sets
(S3's ``UseArnRegion``, ``ForcePathStyle``, ...), given as botocore's
``Config(client_context_params=...)`` takes them (``xform_name`` keys),
through the constructor option of the same name. The oracle is a botocore
client of the same model and rules with that Config."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.awsrequest import AWSResponse, HeadersDict
from botocore.config import Config

from tests.conformance import support
from typed_aws_runtime.transport import HttpResponse, InMemoryTransport

MODEL: dict[str, Any] = {
    "version": "2.0",
    "metadata": {
        "apiVersion": "2020-01-01",
        "endpointPrefix": "ctx",
        "protocol": "rest-json",
        "serviceId": "Ctx Test",
        "signatureVersion": "v4",
        "signingName": "ctx",
        "uid": "ctx-2020-01-01",
    },
    "clientContextParams": {
        "UseArnRegion": {"type": "boolean", "documentation": "d"},
        "Stage": {"type": "string", "documentation": "d"},
    },
    "operations": {
        "Get": {
            "name": "Get",
            "http": {"method": "GET", "requestUri": "/get"},
            "input": {"shape": "GetInput"},
        },
        "Pinned": {
            "name": "Pinned",
            "http": {"method": "GET", "requestUri": "/pinned"},
            "input": {"shape": "GetInput"},
            "staticContextParams": {"Stage": {"value": "static"}},
        },
    },
    "shapes": {
        "GetInput": {
            "type": "structure",
            "members": {
                "Stage": {
                    "shape": "S",
                    "location": "querystring",
                    "locationName": "stage",
                    "contextParam": {"name": "Stage"},
                }
            },
        },
        "S": {"type": "string"},
    },
}


def _endpoint(host: str) -> dict[str, Any]:
    return {
        "type": "endpoint",
        "endpoint": {"url": host, "properties": {}, "headers": {}},
    }


RULES: dict[str, Any] = {
    "version": "1.0",
    "parameters": {
        "Region": {"type": "String", "builtIn": "AWS::Region", "required": True},
        "UseArnRegion": {"type": "Boolean", "required": False},
        "Stage": {"type": "String", "required": True, "default": "prod"},
    },
    "rules": [
        {
            "conditions": [
                {"fn": "isSet", "argv": [{"ref": "UseArnRegion"}]},
                {"fn": "booleanEquals", "argv": [{"ref": "UseArnRegion"}, True]},
            ],
            **_endpoint("https://arn-{Stage}.{Region}.example.com"),
        },
        {"conditions": [], **_endpoint("https://{Stage}.{Region}.example.com")},
    ],
}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ctx-models")
    target = path / "ctx-test" / "2020-01-01"
    target.mkdir(parents=True)
    (target / "service-2.json").write_text(json.dumps(MODEL))
    (target / "endpoint-rule-set-1.json").write_text(json.dumps(RULES))
    return path


class _Capture:
    url: str = ""

    def handler(self, request: Any, **_: Any) -> AWSResponse:
        self.url = request.url

        class Raw:
            def stream(self, **_: Any) -> Iterator[bytes]:
                yield b"{}"

        return AWSResponse(request.url, 200, HeadersDict({}), Raw())


def _urls(
    data_dir: Path, context: dict[str, Any] | None, operation: str, **params: Any
) -> tuple[str, str]:
    package = support.generated(MODEL, RULES, prefix="ctx_params")
    transport = InMemoryTransport([HttpResponse(200, {}, b"{}")])
    ours = support.client_class(package)(
        region_name="us-west-2",
        aws_access_key_id="AK",
        aws_secret_access_key="SK",
        transport=transport,
        client_context_params=context,
    )
    method = support.method_name(operation)
    getattr(ours, method)(**{k.lower(): v for k, v in params.items()})
    session = botocore.session.Session()
    session.get_component("data_loader").search_paths.insert(0, str(data_dir))
    boto = session.create_client(
        "ctx-test",
        region_name="us-west-2",
        aws_access_key_id="AK",
        aws_secret_access_key="SK",
        config=Config(client_context_params=context),
    )
    capture = _Capture()
    boto.meta.events.register("before-send", capture.handler)
    getattr(boto, method)(**params)
    return transport.last.url, capture.url


@pytest.mark.parametrize(
    ("context", "operation", "params", "expected"),
    [
        (None, "Get", {}, "https://prod.us-west-2.example.com/get"),
        ({"use_arn_region": True}, "Get", {}, "https://arn-prod.us-west-2"),
        ({"use_arn_region": False}, "Get", {}, "https://prod.us-west-2"),
        ({"stage": "beta"}, "Get", {}, "https://beta.us-west-2"),
        # an input member's contextParam wins over the client's value ...
        ({"stage": "beta"}, "Get", {"Stage": "gamma"}, "https://gamma."),
        # ... and so does the operation's staticContextParams
        (
            {"stage": "beta", "use_arn_region": True},
            "Pinned",
            {},
            "https://arn-static.",
        ),
    ],
)
def test_client_context_params_bind_as_in_botocore(
    data_dir: Path,
    context: dict[str, Any] | None,
    operation: str,
    params: dict[str, Any],
    expected: str,
) -> None:
    ours, theirs = _urls(data_dir, context, operation, **params)
    assert ours == theirs
    assert ours.startswith(expected)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            {"use_arn_regoin": True},
            "unknown client_context_params key 'use_arn_regoin'",
        ),
        ({"use_arn_region": "yes"}, r"client_context_params\['use_arn_region'\] must"),
        ({"stage": 1}, r"must be a str"),
        (["use_arn_region"], "must be a mapping"),
    ],
)
def test_bad_client_context_params_fail_at_construction(
    value: Any, message: str
) -> None:
    package = support.generated(MODEL, RULES, prefix="ctx_params")
    with pytest.raises(ValueError, match=message):
        support.client_class(package)(
            region_name="us-west-2", client_context_params=value
        )


def test_a_service_without_client_context_params_refuses_any() -> None:
    model = json.loads(json.dumps(MODEL))
    del model["clientContextParams"]
    package = support.generated(model, RULES, prefix="ctx_none")
    with pytest.raises(ValueError, match="none for this service"):
        support.client_class(package)(client_context_params={"stage": "x"})
