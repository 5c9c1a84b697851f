"""Evaluator for endpoint rule sets (``endpoint-rule-set-1.json``).

Behaves as ``botocore.endpoint_provider.EndpointProvider`` does, without
importing botocore. Where botocore differs from the Smithy rules-engine
specification, botocore wins, because its users see botocore's endpoints:

* a tree rule whose conditions hold but whose children all fail falls
  through to the next rule instead of being an error;
* a condition fails only on ``False`` or ``None`` (``""`` passes);
* ``aws.partition`` of an unknown region answers the first partition.

Resolutions are cached per parameter set: the rules are pure.
"""

from __future__ import annotations

import json
import os
import re
import string
import threading
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any, NamedTuple
from urllib.parse import quote, urlparse

from typed_aws_runtime.urls import remove_dot_segments

__all__ = [
    "EndpointResolutionError",
    "EndpointResolver",
    "ResolvedEndpoint",
    "load_partitions",
]

_PARTITIONS_FILE = os.path.join(os.path.dirname(__file__), "data", "partitions.json")
_CACHE_SIZE = 256
_TEMPLATE_RE = re.compile(r"\{[a-zA-Z#]+\}")
_GET_ATTR_RE = re.compile(r"(\w*)\[(\d+)\]")
_HOST_LABEL_RE = re.compile(r"^(?!-)[a-zA-Z\d-]{1,63}(?<!-)$")
_FORMATTER = string.Formatter()

# IP literal patterns, as botocore vendors them from urllib3.
_IPV4 = r"(?:[0-9]{1,3}\.){3}[0-9]{1,3}"
_IPV4_RE = re.compile(f"^{_IPV4}$")
_HEX = "[0-9A-Fa-f]{1,4}"
_LS32 = f"(?:{_HEX}:{_HEX}|{_IPV4})"
_IPV6 = (
    "(?:"
    + "|".join(
        (
            f"(?:{_HEX}:){{6}}{_LS32}",
            f"::(?:{_HEX}:){{5}}{_LS32}",
            f"(?:{_HEX})?::(?:{_HEX}:){{4}}{_LS32}",
            f"(?:(?:{_HEX}:)?{_HEX})?::(?:{_HEX}:){{3}}{_LS32}",
            f"(?:(?:{_HEX}:){{0,2}}{_HEX})?::(?:{_HEX}:){{2}}{_LS32}",
            f"(?:(?:{_HEX}:){{0,3}}{_HEX})?::{_HEX}:{_LS32}",
            f"(?:(?:{_HEX}:){{0,4}}{_HEX})?::{_LS32}",
            f"(?:(?:{_HEX}:){{0,5}}{_HEX})?::{_HEX}",
            f"(?:(?:{_HEX}:){{0,6}}{_HEX})?::",
        )
    )
    + ")"
)
_UNRESERVED = r"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._!\-~"
_ZONE_ID = f"(?:%25|%)(?:[{_UNRESERVED}]|%[a-fA-F0-9]{{2}})+"


@lru_cache(maxsize=1)
def _ipv6_addrz_re() -> re.Pattern[str]:
    # Compiled on first use: it alone would double this module's import time.
    return re.compile(rf"^\[{_IPV6}(?:{_ZONE_ID})?\]$")


_PARAMETER_TYPES: dict[str, type] = {
    "string": str,
    "boolean": bool,
    "stringarray": tuple,
}


class EndpointResolutionError(Exception):
    """An error rule matched, no rule matched, or a parameter is invalid."""


class ResolvedEndpoint(NamedTuple):
    """Where to send a request. Shared by the cache: treat it as read-only.

    A NamedTuple, like botocore's ``RuleSetEndpoint`` (and cheaper to import
    than a dataclass).
    """

    url: str
    headers: dict[str, list[str]]
    properties: dict[str, Any]


@lru_cache(maxsize=1)
def load_partitions() -> Mapping[str, Any]:
    """The partitions data shipped with the runtime (copied from botocore)."""
    with open(_PARTITIONS_FILE, encoding="utf-8") as handle:
        data: Mapping[str, Any] = json.load(handle)
    return data


class _Parameter(NamedTuple):
    name: str
    type: type
    builtin: str | None
    default: object
    required: bool


class _Partition(NamedTuple):
    id: str
    regions: frozenset[str]
    region_regex: re.Pattern[str]
    outputs: Mapping[str, Any]


class EndpointResolver:
    """Resolves endpoint parameters to an endpoint through one rule set."""

    def __init__(
        self, ruleset: Mapping[str, Any], partitions: Mapping[str, Any]
    ) -> None:
        self._parameters = {
            name: _parse_parameter(name, spec)
            for name, spec in ruleset.get("parameters", {}).items()
        }
        self._rules: Sequence[Mapping[str, Any]] = ruleset.get("rules", [])
        self._library = _Library(partitions)
        self._cache: dict[tuple[tuple[str, object], ...], ResolvedEndpoint | str] = {}
        self._lock = threading.Lock()

    def parameter_names(self) -> tuple[str, ...]:
        """The rule set's parameter names, in its order."""
        return tuple(self._parameters)

    def referenced_parameter_names(self) -> tuple[str, ...]:
        """The parameters some rule reads (``{"ref": name}`` or ``{name}`` in
        a template), in the rule set's order: the others cannot change an
        endpoint (S3's ``Key``, ``Prefix``, ``CopySource``)."""
        text = json.dumps(self._rules)
        return tuple(
            name
            for name in self._parameters
            if f'"ref": "{name}"' in text or "{" + name in text
        )

    def uses_builtins(self, prefix: str) -> bool:
        """Whether a parameter's builtIn starts with ``prefix``."""
        return any(
            p.builtin is not None and p.builtin.startswith(prefix)
            for p in self._parameters.values()
        )

    def params_from_builtins(self, builtins: Mapping[str, object]) -> dict[str, object]:
        """Map values keyed by builtIn (``AWS::Region``, ``SDK::Endpoint``...)
        to the rule set's own parameter names; unknown builtIns are ignored."""
        return {
            name: builtins[param.builtin]
            for name, param in self._parameters.items()
            if param.builtin is not None and builtins.get(param.builtin) is not None
        }

    def resolve(self, params: Mapping[str, object]) -> ResolvedEndpoint:
        """The endpoint for ``params`` (keyed by rule-set parameter name)."""
        frozen = {name: _freeze(value) for name, value in params.items()}
        key = tuple(sorted(frozen.items()))
        cached = self._cache.get(key)
        if cached is None:
            cached = self._evaluate_or_message(frozen)
            with self._lock:  # Clients are shared between threads.
                if len(self._cache) >= _CACHE_SIZE:
                    del self._cache[next(iter(self._cache))]  # Oldest first.
                self._cache[key] = cached
        if isinstance(cached, str):
            raise EndpointResolutionError(cached)
        return cached

    def _evaluate_or_message(self, params: dict[str, object]) -> ResolvedEndpoint | str:
        try:
            return self._evaluate(params)
        except EndpointResolutionError as error:
            return str(error)

    def _evaluate(self, params: dict[str, object]) -> ResolvedEndpoint:
        given = dict(params)
        for name, parameter in self._parameters.items():
            value = _process_input(parameter, params.get(name))
            if value is not None:
                params[name] = value
        for rule in self._rules:
            result = self._library.evaluate_rule(rule, dict(params))
            if result is not None:
                return result
        listing = "\n".join(f"{name}: {value}" for name, value in given.items())
        raise EndpointResolutionError(f"No endpoint found for parameters:\n{listing}")


def _parse_parameter(name: str, spec: Mapping[str, Any]) -> _Parameter:
    kind = _PARAMETER_TYPES.get(str(spec.get("type", "")).lower())
    if kind is None:
        raise EndpointResolutionError(
            f"Unknown parameter type {spec.get('type')!r} for parameter {name}"
        )
    return _Parameter(
        name=name,
        type=kind,
        builtin=spec.get("builtIn"),
        default=spec.get("default"),
        required=bool(spec.get("required")),
    )


def _freeze(value: object) -> object:
    # Lists (string arrays) become tuples: hashable and the type botocore wants.
    if isinstance(value, list):
        return tuple(value)
    return value


def _process_input(parameter: _Parameter, value: object) -> object:
    if value is None:
        if parameter.default is not None:
            return parameter.default
        if parameter.required:
            raise EndpointResolutionError(
                f"Cannot find value for required parameter {parameter.name}"
            )
        return None
    if not isinstance(value, parameter.type):
        raise EndpointResolutionError(
            f"Value ({parameter.name}) is the wrong type. "
            f"Must be {parameter.type.__name__}."
        )
    return value


class _Library:
    """Rule evaluation and the standard library of rule-set functions."""

    def __init__(self, partitions: Mapping[str, Any]) -> None:
        self._partitions = [
            _Partition(
                id=entry["id"],
                regions=frozenset(entry.get("regions", {})),
                region_regex=re.compile(entry["regionRegex"]),
                outputs={**entry["outputs"], "name": entry["id"]},
            )
            for entry in partitions["partitions"]
        ]
        self._functions: dict[str, Callable[..., Any]] = {
            "isSet": _is_set,
            "not": _not,
            "booleanEquals": _boolean_equals,
            "stringEquals": _string_equals,
            "getAttr": _get_attr,
            "substring": _substring,
            "uriEncode": _uri_encode,
            "parseURL": _parse_url,
            "isValidHostLabel": _is_valid_host_label,
            "aws.partition": self._partition,
            "aws.parseArn": _parse_arn,
            "aws.isVirtualHostableS3Bucket": _is_virtual_hostable_s3_bucket,
        }

    # -- rules ---------------------------------------------------------------

    def evaluate_rule(
        self, rule: Mapping[str, Any], scope: dict[str, Any]
    ) -> ResolvedEndpoint | None:
        for condition in rule.get("conditions", ()):
            result = self._call(condition, scope)
            if result is False or result is None:
                return None
        kind = rule.get("type")
        if kind == "endpoint":
            return self._endpoint(rule["endpoint"], scope)
        if kind == "error":
            raise EndpointResolutionError(str(self._value(rule["error"], scope)))
        if kind == "tree":
            for child in rule["rules"]:
                # Each child sees the tree's scope, never a sibling's assigns.
                found = self.evaluate_rule(child, dict(scope))
                if found is not None:
                    return found
            return None
        raise EndpointResolutionError(
            f"Unknown rule type: {kind}. "
            "A rule must be of type tree, endpoint or error."
        )

    def _endpoint(
        self, endpoint: Mapping[str, Any], scope: dict[str, Any]
    ) -> ResolvedEndpoint:
        headers = {
            name: [self._value(item, scope) for item in values]
            for name, values in endpoint.get("headers", {}).items()
        }
        properties = self._properties(endpoint.get("properties", {}), scope)
        return ResolvedEndpoint(
            self._value(endpoint["url"], scope), headers, properties
        )

    def _properties(self, value: Any, scope: Mapping[str, Any]) -> Any:
        # Properties only expand templates (no refs or functions), as botocore.
        if isinstance(value, list):
            return [self._properties(item, scope) for item in value]
        if isinstance(value, dict):
            return {key: self._properties(item, scope) for key, item in value.items()}
        if isinstance(value, str) and _TEMPLATE_RE.search(value):
            return _template(value, scope)
        return value

    # -- values ----------------------------------------------------------------

    def _value(self, value: Any, scope: dict[str, Any]) -> Any:
        if isinstance(value, dict):
            if "fn" in value:
                return self._call(value, scope)
            if "ref" in value:
                return scope.get(value["ref"])
        elif isinstance(value, str) and _TEMPLATE_RE.search(value):
            return _template(value, scope)
        return value

    def _call(self, call: Mapping[str, Any], scope: dict[str, Any]) -> Any:
        args = [self._value(arg, scope) for arg in call.get("argv", ())]
        function = self._functions.get(call["fn"])
        if function is None:
            raise EndpointResolutionError(f"Unknown rule-set function {call['fn']!r}")
        result = function(*args)
        assign = call.get("assign")
        if assign is not None:
            if assign in scope:
                raise EndpointResolutionError(
                    f"Assignment {assign} already exists in scoped variables "
                    "and cannot be overwritten"
                )
            scope[assign] = result
        return result

    def _partition(self, region: str | None) -> dict[str, Any]:
        if region is not None:
            for partition in self._partitions:
                if region in partition.regions or partition.region_regex.match(region):
                    return dict(partition.outputs)
        return dict(self._partitions[0].outputs)


def _template(value: str, scope: Mapping[str, Any]) -> str:
    parts: list[str] = []
    for literal, reference, _, _ in _FORMATTER.parse(value):
        parts.append(literal)
        if reference is not None:
            resolved: Any = scope
            for name in reference.split("#"):
                try:
                    resolved = resolved[name]
                except (KeyError, TypeError, IndexError):
                    raise EndpointResolutionError(
                        f"Template {value!r} refers to {reference!r}, which is not set"
                    ) from None
            parts.append(f"{resolved}")
    return "".join(parts)


# -- standard library ------------------------------------------------------------


def _is_set(value: object) -> bool:
    return value is not None


def _not(value: object) -> bool:
    return not value


def _boolean_equals(left: object, right: object) -> bool:
    if not (isinstance(left, bool) and isinstance(right, bool)):
        raise EndpointResolutionError(
            f"Both arguments must be bools, not {type(left)} and {type(right)}."
        )
    return left is right


def _string_equals(left: object, right: object) -> bool:
    if not (isinstance(left, str) and isinstance(right, str)):
        raise EndpointResolutionError(
            f"Both values must be strings, not {type(left)} and {type(right)}."
        )
    return left == right


def _get_attr(value: Any, path: str) -> Any:
    # "a.b[2]": nested names, an index allowed only at the end.
    for part in path.split("."):
        match = _GET_ATTR_RE.search(part)
        if match is not None:
            name, index = match.group(1), int(match.group(2))
            if name:
                value = value.get(name) if isinstance(value, dict) else None
            if value is None or index >= len(value):
                return None
            return value[index]
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _substring(value: object, start: int, stop: int, reverse: bool) -> str | None:
    if not isinstance(value, str):
        raise EndpointResolutionError(f"Input must be a string, not {type(value)}.")
    if start >= stop or len(value) < stop or not value.isascii():
        return None
    if reverse is True:
        return value[len(value) - stop : len(value) - start]
    return value[start:stop]


def _uri_encode(value: object) -> str | None:
    if value is None:
        return None
    data = value if isinstance(value, bytes) else str(value).encode("utf-8")
    return quote(data, safe="-._~")


def _parse_url(value: str | None) -> dict[str, Any] | None:
    if value is None:
        return None
    try:
        parts = urlparse(value)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:  # also an unclosed "[" (botocore raises there)
        return None
    if parts.scheme not in ("https", "http") or parts.query:
        return None
    normalized = quote(remove_dot_segments(parts.path))
    if not normalized.endswith("/"):
        normalized += "/"
    return {
        "scheme": parts.scheme,
        "authority": parts.netloc,
        "path": parts.path,
        "normalizedPath": normalized,
        "isIp": _is_ip(value, parts.hostname),
    }


def _is_ip(url: str, hostname: str | None) -> bool:
    if hostname is None:
        return False
    if _IPV4_RE.match(hostname):
        return True
    if "\t" in url or "\r" in url or "\n" in url:
        return False
    return _ipv6_addrz_re().match(f"[{hostname}]") is not None


def _is_valid_host_label(value: str | None, allow_subdomains: bool) -> bool:
    if value is None or (allow_subdomains is False and "." in value):
        return False
    if allow_subdomains is True:
        return all(_is_valid_host_label(label, False) for label in value.split("."))
    return _HOST_LABEL_RE.match(value) is not None


def _parse_arn(value: str | None) -> dict[str, Any] | None:
    if value is None or not value.startswith("arn:"):
        return None
    parts = value.split(":", 5)
    if len(parts) < 6:
        return None
    _, partition, service, region, account, resource = parts
    if not (partition and service and resource):
        return None
    return {
        "partition": partition,
        "service": service,
        "region": region,
        "accountId": account,
        "resourceId": resource.replace(":", "/").split("/"),
    }


def _is_virtual_hostable_s3_bucket(value: str | None, allow_subdomains: bool) -> bool:
    if (
        value is None
        or len(value) < 3
        or value.lower() != value
        or _IPV4_RE.match(value) is not None
    ):
        return False
    return _is_valid_host_label(value, allow_subdomains)
