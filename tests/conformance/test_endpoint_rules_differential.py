"""Every endpoint rule set botocore ships, evaluated by our resolver and by
botocore's ``EndpointProvider`` for the same random parameters.

botocore's wheel carries no ``endpoint-tests-1.json`` (the Smithy test cases
of each rule set), so the oracle is botocore's provider itself. For each
rule set, hypothesis draws parameter sets: each parameter set or not;
booleans; regions from every partition (and odd strings); endpoints
(URLs with ports, paths, IPv4 and IPv6 hosts, queries, other schemes);
ARNs of several shapes; S3 bucket names (dots, capitals, IP addresses, too
short); free text with the characters the standard library treats
specially. Both must give the same URL, headers and properties, or both an
error with the same message. This exercises every function the rule sets
call (``aws.partition``, ``aws.parseArn``, ``aws.isVirtualHostableS3Bucket``,
``parseURL``, ``substring``, ``uriEncode``, ``isValidHostLabel``,
``getAttr``, ...) where the rules reach them.

``CODEGEN_RULES_EXAMPLES`` sets the examples per rule set (default 10; the
``slow`` variant uses 200).
"""

from __future__ import annotations

import gzip
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import botocore
import botocore.session
import pytest
from botocore.endpoint_provider import EndpointProvider
from botocore.exceptions import EndpointResolutionError as BotocoreResolutionError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from typed_aws_runtime.endpoints import (
    EndpointResolutionError,
    EndpointResolver,
    load_partitions,
)

_DATA = Path(botocore.__file__).parent / "data"
_LOADER = botocore.session.get_session().get_component("data_loader")
EXAMPLES = int(os.environ.get("CODEGEN_RULES_EXAMPLES", "10"))
SLOW_EXAMPLES = int(os.environ.get("CODEGEN_RULES_SLOW_EXAMPLES", "200"))


def _rule_sets() -> list[str]:
    names = []
    for service in sorted(p.name for p in _DATA.iterdir() if p.is_dir()):
        versions = sorted(p for p in (_DATA / service).iterdir() if p.is_dir())
        if versions and (versions[-1] / "endpoint-rule-set-1.json.gz").exists():
            names.append(service)
    return names


RULE_SETS = _rule_sets()


@cache
def _pair(service: str) -> tuple[EndpointResolver, EndpointProvider, dict[str, Any]]:
    rules = _LOADER.load_service_model(service, "endpoint-rule-set-1")
    partitions = _LOADER.load_data("partitions")
    return (
        EndpointResolver(rules, load_partitions()),
        EndpointProvider(rules, partitions),
        rules["parameters"],
    )


def _regions() -> list[str]:
    out = ["aws-global", "us-east-1-fips", "fips-us-east-1", "local", "a", "-bad"]
    for partition in load_partitions()["partitions"]:
        out.extend(sorted(partition.get("regions", {}))[:6])
    return out


_FUNNY = st.text(st.sampled_from("abcXYZ019.-_:/?#[]@%~ é\t"), min_size=0, max_size=20)
_REGIONS = st.sampled_from(_regions()) | _FUNNY
_ENDPOINTS = st.sampled_from(
    [
        "https://example.com",
        "http://example.com:8080",
        "https://example.com/path/to",
        "https://example.com/a/../b/",
        "http://127.0.0.1",
        "https://10.0.0.1:443/x",
        "https://[::1]",
        "http://[fe80::1%25en0]:8080",
        "https://example.com?query=1",
        "ftp://example.com",
        "https://EXAMPLE.com",
        "https://example.com:99999",
        "not a url",
        "https://bucket.s3.amazonaws.com",
    ]
) | _FUNNY.map(lambda t: "https://" + t)
_ARNS = st.sampled_from(
    [
        "arn:aws:s3:us-west-2:123456789012:accesspoint/myendpoint",
        "arn:aws:s3:us-west-2:123456789012:accesspoint:myendpoint",
        "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap",
        "arn:aws:s3-outposts:us-west-2:123456789012:outpost/op-01234567890123456/accesspoint/reports",
        "arn:aws:s3-object-lambda:us-east-1:123456789012:accesspoint/mybanner",
        "arn:aws-cn:s3:cn-north-1:123456789012:accesspoint/ap",
        "arn:aws:dynamodb:us-west-2:123456789012:table/Music",
        "arn:aws:cloudfront::123456789012:key-value-store/0123456789abcdef",
        "arn:aws:sqs:us-east-1:123456789012:queue",
        "arn:aws:s3:::bucket",
        "arn::s3:us-west-2:1:x",
        "arn:aws:s3:us-west-2:1",
        "arn:aws:s3:us-west-2:1:",
        "not:an:arn",
    ]
) | _FUNNY.map(lambda t: "arn:aws:" + t)
_BUCKETS = (
    st.sampled_from(
        [
            "my-bucket",
            "my.bucket.name",
            "MyBucket",
            "192.168.0.1",
            "ab",
            "a--b",
            "bucket-",
            "-bucket",
            "my_bucket",
            "mybucket--x-s3",
            "mybucket--usw2-az1--x-s3",
            "a" * 64,
        ]
    )
    | _FUNNY
)


def _string(name: str) -> st.SearchStrategy[str]:
    lowered = name.lower()
    if lowered == "region" or "region" in lowered:
        return _REGIONS
    if lowered == "endpoint" or "url" in lowered:
        return _ENDPOINTS
    if "arn" in lowered:
        return _ARNS
    if "bucket" in lowered:
        return _BUCKETS
    return _FUNNY | _ARNS | _BUCKETS | _REGIONS


@st.composite
def _parameters(draw: Any, spec: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, param in spec.items():
        if not draw(st.integers(0, 4)):
            continue  # unset (defaults and "required" errors are compared too)
        kind = str(param.get("type", "")).lower()
        if kind == "boolean":
            out[name] = draw(st.booleans())
        elif kind == "stringarray":
            out[name] = draw(st.lists(_string(name), max_size=3))
        else:
            out[name] = draw(_string(name))
    return out


def _outcome_ours(resolver: EndpointResolver, params: dict[str, Any]) -> Any:
    try:
        endpoint = resolver.resolve(params)
    except EndpointResolutionError as error:
        return ("error", str(error))
    return (endpoint.url, endpoint.headers, endpoint.properties)


def _outcome_botocore(provider: EndpointProvider, params: dict[str, Any]) -> Any:
    try:
        endpoint = provider.resolve_endpoint(**params)
    except BotocoreResolutionError as error:
        return ("error", str(error).removeprefix("Error when resolving endpoint: "))
    except (TypeError, KeyError, ValueError):
        # Where botocore itself crashes: parseURL of a URL without a host
        # ("https://") matches a regex against None, of "https://[" raises
        # urllib's ValueError; a template naming an unset parameter is a
        # KeyError. A client never passes such endpoints (an endpoint_url
        # without a valid host is refused when the client is built); ours
        # must give an endpoint or an EndpointResolutionError, never crash.
        return _CRASH
    return (endpoint.url, endpoint.headers, endpoint.properties)


_CRASH = ("botocore crashed",)


def check(service: str, params: dict[str, Any]) -> None:
    resolver, provider, _ = _pair(service)
    ours = _outcome_ours(resolver, dict(params))
    theirs = _outcome_botocore(provider, dict(params))
    if theirs is _CRASH:
        return
    assert ours == theirs, params


_SETTINGS: dict[str, Any] = dict(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("service", RULE_SETS)
@settings(max_examples=EXAMPLES, **_SETTINGS)
@given(data=st.data())
def test_rule_set_resolves_as_botocore(service: str, data: Any) -> None:
    spec = _pair(service)[2]
    check(service, data.draw(_parameters(spec)))


@pytest.mark.slow
@pytest.mark.parametrize("service", RULE_SETS)
@settings(max_examples=SLOW_EXAMPLES, **_SETTINGS)
@given(data=st.data())
def test_rule_set_resolves_as_botocore_slow(service: str, data: Any) -> None:
    spec = _pair(service)[2]
    check(service, data.draw(_parameters(spec)))


def test_every_rule_set_function_is_implemented() -> None:
    """The functions the shipped rule sets call are all ours (an unknown
    one would be an error at resolution time, not at load time)."""
    used: set[str] = set()
    for path in _DATA.glob("*/*/endpoint-rule-set-1.json.gz"):
        with gzip.open(path) as handle:
            text = handle.read().decode()
        for chunk in text.split('"fn"')[1:]:
            used.add(json.loads(chunk.split(",", 1)[0].split(":", 1)[1].strip()))
    library = _pair(RULE_SETS[0])[0]._library._functions  # noqa: SLF001
    assert used <= set(library), sorted(used - set(library))
