"""Endpoint rule sets: our resolver against botocore's EndpointProvider."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from typing import Any

import botocore
import botocore.session
import pytest
from botocore.endpoint_provider import EndpointProvider
from botocore.exceptions import EndpointResolutionError as BotocoreResolutionError

from typed_aws_runtime.endpoints import (
    EndpointResolutionError,
    EndpointResolver,
    load_partitions,
)

SERVICES = ["emr-serverless", "emr-containers", "location", "omics", "iot"]
CUSTOM_ENDPOINTS = [
    "https://example.com",
    "http://localhost:8080/base/path",
    "https://10.0.0.1",
    "https://[::1]:443",
    "ftp://bad.example.com",
]
EXTRA_REGIONS = [
    "us-fake-9",
    "cn-future-1",
    "aws-global",
    "Not A Region",
    "eu-isoe-west-9",
]


@cache
def _loader() -> Any:
    return botocore.session.get_session().get_component("data_loader")


@cache
def _ruleset(service: str) -> dict[str, Any]:
    ruleset: dict[str, Any] = _loader().load_service_model(
        service, "endpoint-rule-set-1"
    )
    return ruleset


def _regions() -> list[str]:
    partitions = load_partitions()["partitions"]
    return [region for p in partitions for region in p["regions"]] + EXTRA_REGIONS


def _cases() -> Iterator[dict[str, object]]:
    for region in _regions():
        for fips in (False, True):
            for dual in (False, True):
                yield {"Region": region, "UseFIPS": fips, "UseDualStack": dual}
    for endpoint in CUSTOM_ENDPOINTS:
        for fips in (False, True):
            yield {"Region": "us-west-2", "UseFIPS": fips, "Endpoint": endpoint}
    yield {"Endpoint": "https://example.com"}  # no region at all
    yield {}


def _botocore_outcome(
    provider: EndpointProvider, params: dict[str, object]
) -> tuple[str, Any]:
    try:
        endpoint = provider.resolve_endpoint(**params)
    except BotocoreResolutionError as error:
        return ("error", str(error).removeprefix("Endpoint resolution error: "))
    return ("ok", (endpoint.url, endpoint.headers, endpoint.properties))


def _our_outcome(
    resolver: EndpointResolver, params: dict[str, object]
) -> tuple[str, Any]:
    try:
        endpoint = resolver.resolve(params)
    except EndpointResolutionError as error:
        return ("error", str(error))
    return ("ok", (endpoint.url, endpoint.headers, endpoint.properties))


@pytest.mark.parametrize("service", SERVICES)
def test_matches_botocore_for_every_region_and_variant(service: str) -> None:
    ruleset = _ruleset(service)
    partitions = load_partitions()
    provider = EndpointProvider(ruleset, json.loads(json.dumps(partitions)))
    resolver = EndpointResolver(ruleset, partitions)
    checked = 0
    for params in _cases():
        expected = _botocore_outcome(provider, dict(params))
        assert _our_outcome(resolver, dict(params)) == expected, params
        checked += 1
    assert checked > 200


def test_cached_result_is_stable_and_errors_repeat() -> None:
    resolver = EndpointResolver(_ruleset("iot"), load_partitions())
    first = resolver.resolve({"Region": "eu-west-1"})
    assert resolver.resolve({"Region": "eu-west-1"}) is first
    assert first.url == "https://iot.eu-west-1.amazonaws.com"
    for _ in range(2):
        with pytest.raises(EndpointResolutionError, match="FIPS and custom endpoint"):
            resolver.resolve({"Endpoint": "https://x.example", "UseFIPS": True})


def test_wrong_parameter_type_is_an_error() -> None:
    resolver = EndpointResolver(_ruleset("omics"), load_partitions())
    with pytest.raises(EndpointResolutionError, match="UseFIPS"):
        resolver.resolve({"Region": "us-east-1", "UseFIPS": "yes"})


def test_params_from_builtins_maps_to_parameter_names() -> None:
    resolver = EndpointResolver(_ruleset("location"), load_partitions())
    params = resolver.params_from_builtins(
        {
            "AWS::Region": "ap-south-1",
            "AWS::UseFIPS": False,
            "SDK::Endpoint": None,
            "AWS::S3::Accelerate": True,
        }
    )
    assert params == {"Region": "ap-south-1", "UseFIPS": False}


# A synthetic rule set exercising the functions the five services do not use.
LIBRARY_RULESET: dict[str, Any] = {
    "version": "1.0",
    "parameters": {
        "Region": {"type": "String", "builtIn": "AWS::Region"},
        "Bucket": {"type": "String"},
        "Arn": {"type": "String"},
        "Key": {"type": "String"},
        "Names": {"type": "stringArray", "default": ["first", "second"]},
    },
    "rules": [
        {
            "conditions": [
                {"fn": "isSet", "argv": [{"ref": "Arn"}]},
                {"fn": "aws.parseArn", "argv": [{"ref": "Arn"}], "assign": "parsed"},
                {
                    "fn": "getAttr",
                    "argv": [{"ref": "parsed"}, "resourceId[1]"],
                    "assign": "second",
                },
            ],
            "endpoint": {
                "url": "https://{second}.{parsed#service}.{parsed#region}.example",
                "properties": {"account": "{parsed#accountId}", "n": [1, "{second}"]},
                "headers": {"x-partition": ["{parsed#partition}"]},
            },
            "type": "endpoint",
        },
        {
            "conditions": [
                {"fn": "isSet", "argv": [{"ref": "Bucket"}]},
                {
                    "fn": "aws.isVirtualHostableS3Bucket",
                    "argv": [{"ref": "Bucket"}, True],
                },
                {
                    "fn": "substring",
                    "argv": [{"ref": "Bucket"}, 0, 3, True],
                    "assign": "tail",
                },
                {"fn": "uriEncode", "argv": [{"ref": "Key"}], "assign": "key"},
            ],
            "endpoint": {"url": "https://{Bucket}.s3.example/{key}?t={tail}"},
            "type": "endpoint",
        },
        {
            "conditions": [
                {"fn": "isSet", "argv": [{"ref": "Bucket"}]},
                {
                    "fn": "not",
                    "argv": [
                        {"fn": "isValidHostLabel", "argv": [{"ref": "Bucket"}, False]}
                    ],
                },
            ],
            "error": "Invalid bucket {Bucket}",
            "type": "error",
        },
        {
            "conditions": [
                {"fn": "isSet", "argv": [{"ref": "Region"}]},
                {"fn": "getAttr", "argv": [{"ref": "Names"}, "[0]"], "assign": "first"},
                {"fn": "stringEquals", "argv": [{"ref": "first"}, "first"]},
            ],
            "rules": [
                {
                    "conditions": [
                        {
                            "fn": "aws.partition",
                            "argv": [{"ref": "Region"}],
                            "assign": "p",
                        }
                    ],
                    "endpoint": {"url": "https://svc.{Region}.{p#dnsSuffix}/{p#name}"},
                    "type": "endpoint",
                }
            ],
            "type": "tree",
        },
    ],
}


@pytest.mark.parametrize(
    "params",
    [
        {"Arn": "arn:aws:geo:us-east-1:123456789012:map/name/extra"},
        {"Arn": "arn:aws:geo:us-east-1:123456789012:map"},
        {"Arn": "arn:aws-cn:iot:cn-north-1::thing:thing-1", "Region": "cn-north-1"},
        {"Arn": "not-an-arn", "Region": "us-east-1"},
        {"Arn": "arn:aws:geo", "Region": "us-east-1"},
        {"Bucket": "my-bucket.logs", "Key": "a b/ü?"},
        {"Bucket": "My_Bucket"},
        {"Bucket": "10.0.0.1"},
        {"Bucket": "ab", "Region": "us-gov-west-1"},
        {"Region": "us-east-1", "Names": ["other"]},
        {"Region": "cn-northwest-1", "Names": ("first",)},
        {"Region": "unknown-place"},
        {},
    ],
)
def test_library_functions_match_botocore(params: dict[str, object]) -> None:
    botocore_params = {
        key: tuple(value) if isinstance(value, list) else value
        for key, value in params.items()
    }
    provider = EndpointProvider(
        json.loads(json.dumps(LIBRARY_RULESET)),
        json.loads(json.dumps(load_partitions())),
    )
    resolver = EndpointResolver(LIBRARY_RULESET, load_partitions())
    assert _our_outcome(resolver, params) == _botocore_outcome(
        provider, botocore_params
    )


def test_parse_url_matches_botocore() -> None:
    from botocore.endpoint_provider import RuleSetStandardLibrary

    from typed_aws_runtime.endpoints import _parse_url

    library = RuleSetStandardLibrary(load_partitions())
    for url in [
        "https://example.com",
        "https://example.com/a/./b/../c//d/",
        "http://127.0.0.1:8080/x%20y",
        "https://[fe80::1%25en0]:443/p",
        "https://[2001:db8::1]",
        "https://host/p;params",
        "https://host/?q=1",
        "https://host:notaport/",
        "ftp://host/",
        "https://host/ü",
    ]:
        assert _parse_url(url) == library.parse_url(url), url


def test_partitions_copy_equals_installed_botocore() -> None:
    path = os.path.join(os.path.dirname(botocore.__file__), "data", "partitions.json")
    with open(path, encoding="utf-8") as handle:
        assert load_partitions() == json.load(handle)


def test_importing_endpoints_does_not_import_botocore() -> None:
    code = (
        "import sys, typed_aws_runtime.endpoints as e; "
        "e.load_partitions(); "
        "assert not [m for m in sys.modules if m.startswith('botocore')]"
    )
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)
