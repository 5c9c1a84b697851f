"""S3's client options (boto3's ``Config(s3={...})``) and the endpoint rule
set's S3 built-ins they set.

The constructor takes ``s3=`` with boto3's keys, typed (:class:`S3Config`),
checked when the client is built. The environment fills what the dict leaves
out, as botocore's config store does (``AWS_S3_USE_ARN_REGION``,
``AWS_S3_US_EAST_1_REGIONAL_ENDPOINT``,
``AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS``); the shared config file's
``s3`` section is not read (the client reads no config file for endpoints).

:func:`endpoint_builtins` is botocore's
``ClientArgsCreator.compute_endpoint_resolver_builtin_defaults`` for the S3
built-ins; the per-call part (GetBucketLocation path-style, ARN buckets
virtual-hosted) is the ``s3_endpoint_builtins`` customization rule.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Literal, TypedDict
from urllib.parse import urlsplit

__all__ = ["S3Config", "check", "endpoint_builtins", "resolved", "is_arn"]


class S3Config(TypedDict, total=False):
    """boto3's ``Config(s3={...})`` keys (every one optional)."""

    addressing_style: Literal["auto", "virtual", "path"]
    use_accelerate_endpoint: bool
    use_dualstack_endpoint: bool
    us_east_1_regional_endpoint: Literal["regional", "legacy"]
    use_arn_region: bool
    s3_disable_multiregion_access_points: bool
    payload_signing_enabled: bool


_BOOLEANS = frozenset(
    {
        "use_accelerate_endpoint",
        "use_dualstack_endpoint",
        "use_arn_region",
        "s3_disable_multiregion_access_points",
        "payload_signing_enabled",
    }
)
_CHOICES = {
    "addressing_style": ("auto", "virtual", "path"),
    "us_east_1_regional_endpoint": ("regional", "legacy"),
}
_ENVIRONMENT = {
    "use_arn_region": "AWS_S3_USE_ARN_REGION",
    "us_east_1_regional_endpoint": "AWS_S3_US_EAST_1_REGIONAL_ENDPOINT",
    "s3_disable_multiregion_access_points": "AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS",
}
# botocore.utils.S3_ACCELERATE_WHITELIST
_ACCELERATE_FEATURES = frozenset({"dualstack"})


def check(value: Mapping[str, Any] | None) -> dict[str, Any]:
    """The ``s3=`` argument, checked (``ValueError`` naming the key)."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValueError(f"s3 must be a mapping, not {type(value).__name__}")
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key in _BOOLEANS:
            if not isinstance(item, bool):
                raise ValueError(f"s3[{key!r}] must be a bool, not {item!r}")
        elif key in _CHOICES:
            if item not in _CHOICES[key]:
                raise ValueError(
                    f"s3[{key!r}] must be one of {', '.join(_CHOICES[key])}, "
                    f"not {item!r}"
                )
        else:
            raise ValueError(f"unknown s3 option {key!r}")
        out[key] = item
    return out


def resolved(config: Mapping[str, Any]) -> dict[str, Any]:
    """The options, with the environment's values for those not given
    (botocore: the client's ``s3`` dict over the config store's)."""
    out = dict(config)
    for key, variable in _ENVIRONMENT.items():
        raw = os.environ.get(variable)
        if key in out or raw is None:
            continue
        if key == "us_east_1_regional_endpoint":
            raw = raw.lower()
            if raw not in _CHOICES[key]:
                # botocore's InvalidS3UsEast1RegionalEndpointConfigError
                raise ValueError(f"{variable} must be regional or legacy, not {raw!r}")
            out[key] = raw
        else:
            out[key] = raw.lower() == "true"  # botocore's ensure_boolean
    return out


def endpoint_builtins(
    config: Mapping[str, Any], region: str | None, endpoint_url: str | None
) -> dict[str, object]:
    """The S3 built-ins of the rule sets (S3 and S3 Control), keyed by builtIn."""
    if config.get("use_accelerate_endpoint", False):
        force_path_style = False
    elif endpoint_url is not None and not is_accelerate_url(endpoint_url):
        force_path_style = config.get("addressing_style") != "virtual"
    else:
        force_path_style = config.get("addressing_style") == "path"
    return {
        "AWS::S3::UseGlobalEndpoint": (
            config.get("us_east_1_regional_endpoint", "legacy") == "legacy"
            and region in ("us-east-1", None)
        ),
        "AWS::S3::Accelerate": config.get("use_accelerate_endpoint", False),
        "AWS::S3::ForcePathStyle": force_path_style,
        "AWS::S3::UseArnRegion": config.get("use_arn_region", True),
        "AWS::S3Control::UseArnRegion": config.get("use_arn_region", False),
        "AWS::S3::DisableMultiRegionAccessPoints": config.get(
            "s3_disable_multiregion_access_points", False
        ),
    }


def is_accelerate_url(url: str) -> bool:
    """botocore's ``is_s3_accelerate_url``."""
    parts = urlsplit(url)
    if not parts.netloc.endswith("amazonaws.com") or parts.scheme not in (
        "https",
        "http",
    ):
        return False
    labels = parts.netloc.split(".")
    if labels[0] != "s3-accelerate":
        return False
    features = labels[1:-2]
    return len(features) == len(set(features)) and all(
        f in _ACCELERATE_FEATURES for f in features
    )


def is_arn(value: object) -> bool:
    """botocore's ``ArnParser.is_arn``: ``arn:`` and at least six parts."""
    return isinstance(value, str) and value.startswith("arn:") and value.count(":") >= 5
