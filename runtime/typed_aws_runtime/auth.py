"""Which way a request is signed, decided as botocore decides it.

The model says it as data: the service's ``auth`` list (or its older
``signatureVersion``), an operation's own ``auth`` list (or ``authtype``),
and the ``authSchemes`` property of the endpoint the rule set resolves.
botocore's order, kept here:

* an operation's ``auth`` list resolves to its first entry botocore can
  sign with (``resolve_auth_type``): ``smithy.api#noAuth`` at once, SigV4a
  only when ``awscrt`` is there; else its ``authtype``;
* the endpoint's ``authSchemes``, when the rule set gives them, replace
  that choice (``auth_schemes_to_signing_ctx``): the first scheme botocore
  knows, with its signing name and region (``signingRegionSet`` joined);
  none known raises, naming the ``crt`` extra when SigV4a would do;
* an operation with neither signs as the client does: the service's
  ``auth`` list resolved, else ``signatureVersion``; bedrock's bearer token
  from ``AWS_BEARER_TOKEN_BEDROCK`` first, when the model offers bearer auth
  (``_set_auth_scheme_preference_signer``).

``v4`` and ``v4-unsigned-body`` are SigV4 (``signing.py``), ``v4a`` SigV4a
(``sigv4a.py``, with ``awscrt``), ``bearer`` a token (``bearer.py``),
``v2`` SigV2 (``sigv2.py``), ``none`` nothing. The decision is made once
per client and operation; a call only compares strings.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from importlib.util import find_spec
from typing import Any, NamedTuple

from .errors import MissingDependencyError, UnsupportedSignatureVersionError

__all__ = [
    "AUTH_TRAITS",
    "EndpointAuth",
    "bearer_token_from_environment",
    "client_auth",
    "crt_available",
    "endpoint_auth",
    "known_signature_versions",
    "prefers_bearer",
    "resolve_auth_type",
]

# botocore's AUTH_TYPE_TO_SIGNATURE_VERSION.
AUTH_TRAITS = {
    "aws.auth#sigv4": "v4",
    "aws.auth#sigv4a": "v4a",
    "smithy.api#httpBearerAuth": "bearer",
    "smithy.api#noAuth": "none",
}
# The keys of botocore's AUTH_TYPE_MAPS without awscrt, and what awscrt adds
# (botocore.crt.CRT_SUPPORTED_AUTH_TYPES): what botocore *knows*, which
# decides its choice even where this runtime cannot sign (S3's own signers).
_KNOWN = frozenset(
    {
        "v2",
        "v3",
        "v3https",
        "s3",
        "s3-query",
        "s3-presign-post",
        "s3v4-presign-post",
        "v4-s3express",
        "v4-s3express-query",
        "v4-s3express-presign-post",
        "bearer",
        "v4",
        "v4-query",
        "s3v4",
        "s3v4-query",
    }
)
_CRT_ONLY = frozenset({"v4a", "s3v4a", "s3v4a-query"})
_CRT_SUPPORTED = frozenset({"v4", "v4-query", "v4a", "s3v4", "s3v4-query"}) | _CRT_ONLY
# botocore's get_bearer_auth_supported_services(): signing names whose
# bearer token may come from AWS_BEARER_TOKEN_<NAME>.
_BEARER_FROM_ENVIRONMENT = frozenset({"bedrock"})


def crt_available() -> bool:
    """Whether botocore would sign with awscrt here (its ``HAS_CRT``):
    ``awscrt`` importable and ``BOTO_DISABLE_CRT`` not ``true``. Nothing is
    imported to find out."""
    if os.environ.get("BOTO_DISABLE_CRT", "false").lower() == "true":
        return False
    return find_spec("awscrt") is not None


def known_signature_versions(crt: bool) -> frozenset[str]:
    """The keys of botocore's ``AUTH_TYPE_MAPS``, with or without awscrt."""
    return _KNOWN | _CRT_ONLY if crt else _KNOWN


def _known(version: str) -> bool:
    # awscrt is looked for only when a CRT-only scheme comes up.
    return version in _KNOWN or (version in _CRT_ONLY and crt_available())


def resolve_auth_type(trait: Sequence[str]) -> str:
    """botocore's ``resolve_auth_type``: the first entry of an ``auth``
    list that can be used."""
    for name in trait:
        version = AUTH_TRAITS.get(name)
        if version is None:
            raise UnsupportedSignatureVersionError(name)
        if version == "none" or _known(version):
            return version
    raise UnsupportedSignatureVersionError(", ".join(trait))


class EndpointAuth(NamedTuple):
    """The auth scheme an endpoint asks for: botocore's signature version
    name, and the signing name and region it sets (None: keep the
    client's)."""

    version: str
    signing_name: str | None
    signing_region: str | None


def endpoint_auth(schemes: Sequence[Mapping[str, Any]]) -> EndpointAuth:
    """botocore's ``auth_schemes_to_signing_ctx`` (no scheme requested in
    code): the first scheme it knows; ``sigv4`` is ``v4``, ``sigv4a`` is
    ``v4a``; the region is ``signingRegion`` or the joined
    ``signingRegionSet``."""
    names = [str(s.get("name", "")) for s in schemes]
    stripped = [n[3:] if n.startswith("sig") else n for n in names]
    for scheme, version in zip(schemes, stripped, strict=True):
        if _known(version):
            region = scheme.get("signingRegion")
            if region is None and scheme.get("signingRegionSet"):
                region = ",".join(scheme["signingRegionSet"])
            return EndpointAuth(version, scheme.get("signingName"), region)
    if not crt_available() and any(v in _CRT_SUPPORTED for v in stripped):
        raise MissingDependencyError()
    raise UnsupportedSignatureVersionError(", ".join(stripped))


def bearer_token_from_environment(signing_name: str) -> str | None:
    """botocore's ``get_token_from_environment``:
    ``AWS_BEARER_TOKEN_<SIGNING_NAME>`` (upper case, ``-`` and spaces as
    ``_``)."""
    if not signing_name.strip():
        return None
    name = signing_name.replace("-", "_").replace(" ", "_").upper()
    return os.environ.get(f"AWS_BEARER_TOKEN_{name}")


def prefers_bearer(signing_name: str, auth_options: Sequence[str] | None) -> bool:
    """botocore's ``_should_prefer_bearer_auth`` with nothing set in code:
    a service that accepts an environment token, offers bearer auth, and
    has one in the environment."""
    return (
        signing_name in _BEARER_FROM_ENVIRONMENT
        and bool(auth_options)
        and "smithy.api#httpBearerAuth" in (auth_options or ())
        and bearer_token_from_environment(signing_name) is not None
    )


def client_auth(metadata: Mapping[str, Any]) -> str | None:
    """The client's own signature version (botocore's
    ``_resolve_signature_version`` for a service other than S3): the
    ``auth`` list resolved, else ``signatureVersion``."""
    trait = metadata.get("auth")
    if trait:
        return resolve_auth_type(trait)
    version = metadata.get("signatureVersion")
    return str(version) if version is not None else None
