"""Which way a request is signed, against botocore's own decisions.

* every ``auth`` list of every model, and every ``authSchemes`` list of
  every endpoint rule set botocore ships, resolve as botocore resolves them
  (``resolve_auth_type``, ``EndpointRulesetResolver.auth_schemes_to_signing_ctx``),
  with and without awscrt where botocore's answer depends on it;
* bearer tokens: codecatalyst (``signatureVersion: bearer``) with a token
  from the environment and from the SSO token cache, bedrock with
  ``AWS_BEARER_TOKEN_BEDROCK``: the same ``Authorization`` header as a
  botocore client of the same environment;
* SigV4a without awscrt: the error botocore raises (naming the extra), and
  SigV4 where the rule set also offers it (sustainability), signed for the
  same scope as botocore.

SigV4a with awscrt is in ``test_sigv4a.py``.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import botocore.auth
import botocore.session
import pytest
from botocore.awsrequest import AWSResponse, HeadersDict
from botocore.config import Config
from botocore.exceptions import MissingDependencyException
from botocore.regions import EndpointRulesetResolver

from tests.conformance import support
from typed_aws_runtime import auth
from typed_aws_runtime.errors import (
    MissingDependencyError,
    NoAuthTokenError,
    UnsupportedSignatureVersionError,
)
from typed_aws_runtime.transport import HttpResponse, InMemoryTransport

_SESSION = botocore.session.get_session()
_LOADER = _SESSION.get_component("data_loader")
_DATA = Path(botocore.__file__).parent / "data"
NOW = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _no_crt(monkeypatch: pytest.MonkeyPatch) -> None:
    # botocore here has no awscrt (its HAS_CRT is False): ours must agree.
    if botocore.auth.AUTH_TYPE_MAPS.get("v4a") is None:
        monkeypatch.setenv("BOTO_DISABLE_CRT", "true")


def _latest(name: str, kind: str) -> Any:
    return _LOADER.load_service_model(name, kind)


def _all_auth_lists() -> list[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()
    for name in _SESSION.get_available_services():
        model = _latest(name, "service-2")
        found.add(tuple(model["metadata"].get("auth", ())))
        for op in model["operations"].values():
            found.add(tuple(op.get("auth", ())))
    found.discard(())
    return sorted(found)


def _walk_schemes(node: Any) -> Iterator[list[dict[str, Any]]]:
    if isinstance(node, dict):
        if "authSchemes" in node:
            yield node["authSchemes"]
        for value in node.values():
            yield from _walk_schemes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk_schemes(value)


def _all_scheme_lists() -> list[list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(_DATA.glob("*/*/endpoint-rule-set-1.json.gz")):
        with gzip.open(path) as handle:
            rules = json.load(handle)
        for schemes in _walk_schemes(rules):
            found.setdefault(json.dumps(schemes, sort_keys=True), schemes)
    return list(found.values())


@pytest.mark.parametrize("trait", _all_auth_lists(), ids=",".join)
def test_auth_lists_resolve_as_botocore(trait: tuple[str, ...]) -> None:
    try:
        expected: str | type[Exception] = botocore.auth.resolve_auth_type(list(trait))
    except Exception as error:  # noqa: BLE001 - the oracle's outcome
        expected = type(error)
    try:
        ours: str | type[Exception] = auth.resolve_auth_type(trait)
    except UnsupportedSignatureVersionError:
        ours = UnsupportedSignatureVersionError
    if isinstance(expected, str):
        assert ours == expected
    else:
        assert ours is UnsupportedSignatureVersionError


def _botocore_choice(schemes: list[dict[str, Any]]) -> Any:
    resolver = EndpointRulesetResolver(
        endpoint_ruleset_data={"version": "1.0", "parameters": {}, "rules": []},
        partition_data=_LOADER.load_data("partitions"),
        service_model=None,
        builtins={},
        client_context={},
        event_emitter=None,
    )
    try:
        return resolver.auth_schemes_to_signing_ctx(schemes)
    except MissingDependencyException:
        return MissingDependencyError


def test_endpoint_auth_schemes_choose_as_botocore() -> None:
    lists = _all_scheme_lists()
    assert len(lists) > 10
    for schemes in lists:
        expected = _botocore_choice(schemes)
        try:
            chosen = auth.endpoint_auth(schemes)
        except MissingDependencyError:
            assert expected is MissingDependencyError, schemes
            continue
        version, context = expected
        assert chosen.version == version, schemes
        assert chosen.signing_name == context.get("signing_name"), schemes
        assert chosen.signing_region == context.get("region"), schemes


def test_endpoint_auth_with_crt_prefers_sigv4a(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "crt_available", lambda: True)
    chosen = auth.endpoint_auth(
        [{"name": "sigv4a", "signingRegionSet": ["*"]}, {"name": "sigv4"}]
    )
    assert chosen == auth.EndpointAuth("v4a", None, "*")
    assert auth.resolve_auth_type(["aws.auth#sigv4a", "aws.auth#sigv4"]) == "v4a"
    monkeypatch.setattr(auth, "crt_available", lambda: False)
    assert auth.resolve_auth_type(["aws.auth#sigv4a", "aws.auth#sigv4"]) == "v4"
    with pytest.raises(MissingDependencyError, match=r"typed-aws-runtime\[crt\]"):
        auth.endpoint_auth([{"name": "sigv4a", "signingRegionSet": ["*"]}])


# -- whole calls, ours against a botocore client of the same environment --------


class _Capture:
    def __init__(self) -> None:
        self.request: Any = None

    def handler(self, request: Any, **_: Any) -> AWSResponse:
        self.request = request

        class Raw:
            def stream(self, **_: Any) -> Iterator[bytes]:
                yield b"{}"

        return AWSResponse(request.url, 200, HeadersDict({}), Raw())


def _pair(
    name: str, **ours_options: Any
) -> tuple[Any, InMemoryTransport, Any, _Capture]:
    model = _latest(name, "service-2")
    rules = _latest(name, "endpoint-rule-set-1")
    package = support.generated(model, rules, prefix=f"auth_{name.replace('-', '_')}")
    transport = InMemoryTransport([HttpResponse(200, {}, b"{}")])
    ours = support.client_class(package)(
        region_name="us-east-1",
        aws_access_key_id="AK",
        aws_secret_access_key="SK",
        transport=transport,
        max_attempts=1,
        **ours_options,
    )
    ours._codegen_clock = lambda: NOW
    session = botocore.session.Session()
    boto = session.create_client(
        name,
        region_name="us-east-1",
        aws_access_key_id="AK",
        aws_secret_access_key="SK",
        config=Config(retries={"total_max_attempts": 1}),
    )
    capture = _Capture()
    boto.meta.events.register("before-send", capture.handler)
    return ours, transport, boto, capture


def _header(headers: Any, name: str) -> str | None:
    for key, value in dict(headers).items():
        if key.lower() == name:
            return value.decode() if isinstance(value, bytes) else str(value)
    return None


@pytest.fixture
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No shared config, credentials or tokens from this machine."""
    for key in list(os.environ):
        if key.startswith(("AWS_", "BOTO_")) and key != "BOTO_DISABLE_CRT":
            monkeypatch.delenv(key)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    (tmp_path / "config").write_text("")
    from typed_aws_runtime import credentials

    credentials._botocore_session.cache_clear()
    return tmp_path


def test_codecatalyst_bearer_token_from_the_environment(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_BEARER_TOKEN_CODECATALYST", "tok-123")
    ours, transport, boto, capture = _pair("codecatalyst")
    ours.list_spaces()
    boto.list_spaces()
    sent = _header(transport.last.headers, "authorization")
    assert sent == _header(capture.request.headers, "authorization") == "Bearer tok-123"
    assert _header(transport.last.headers, "x-amz-date") is None


def test_codecatalyst_bearer_token_from_the_sso_cache(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from botocore.tokens import SSOTokenProvider

    cache = isolated / "sso-cache"
    cache.mkdir()
    monkeypatch.setattr(SSOTokenProvider, "_SSO_TOKEN_CACHE_DIR", str(cache))
    (isolated / "config").write_text(
        "[default]\nsso_session = dev\n\n"
        "[sso-session dev]\nsso_start_url = https://example.awsapps.com/start\n"
        "sso_region = us-east-1\n"
    )
    key = hashlib.sha1(b"dev").hexdigest()
    (cache / f"{key}.json").write_text(
        json.dumps(
            {
                "startUrl": "https://example.awsapps.com/start",
                "region": "us-east-1",
                "accessToken": "sso-token-xyz",
                "expiresAt": "2999-01-01T00:00:00Z",
            }
        )
    )
    ours, transport, boto, capture = _pair("codecatalyst")
    ours.list_spaces()
    boto.list_spaces()
    sent = _header(transport.last.headers, "authorization")
    assert sent == _header(capture.request.headers, "authorization")
    assert sent == "Bearer sso-token-xyz"


def test_codecatalyst_without_a_token(isolated: Path) -> None:
    ours, transport, boto, _ = _pair("codecatalyst")
    with pytest.raises(NoAuthTokenError):
        ours.list_spaces()
    assert transport.requests == []
    with pytest.raises(botocore.exceptions.NoAuthTokenError):
        boto.list_spaces()


def test_bedrock_prefers_the_bearer_token_of_the_environment(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours, transport, boto, capture = _pair("bedrock")
    ours.list_foundation_models()
    boto.list_foundation_models()
    for headers in (transport.last.headers, capture.request.headers):
        assert str(_header(headers, "authorization")).startswith("AWS4-HMAC-SHA256 ")
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", "bedrock-key")
    ours, transport, boto, capture = _pair("bedrock")
    transport.queue(HttpResponse(200, {}, b"{}"))
    ours.list_foundation_models()
    boto.list_foundation_models()
    sent = _header(transport.last.headers, "authorization")
    assert sent == _header(capture.request.headers, "authorization")
    assert sent == "Bearer bedrock-key"


SEND_EMAIL = {
    "EndpointId": "abc123.xyz",
    "Content": {"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}}},
    "Destination": {"ToAddresses": []},
}


def typed(client: Any, operation: str, params: dict[str, Any]) -> dict[str, Any]:
    schema = support.wire_schema(
        __import__(type(client).__module__.rpartition(".")[0], fromlist=["_"])
    )
    return support.typed_kwargs(schema.operation(operation).input, params)


def test_sigv4a_without_awscrt_raises_as_botocore(isolated: Path) -> None:
    ours, transport, boto, _ = _pair("sesv2")
    with pytest.raises(MissingDependencyError, match=r"typed-aws-runtime\[crt\]"):
        ours.send_email(**typed(ours, "SendEmail", SEND_EMAIL))
    assert transport.requests == []
    with pytest.raises(MissingDependencyException):
        boto.send_email(**SEND_EMAIL)
    # Without an endpoint id: the regional endpoint, SigV4.
    regional = {k: v for k, v in SEND_EMAIL.items() if k != "EndpointId"}
    ours.send_email(**typed(ours, "SendEmail", regional))
    assert str(_header(transport.last.headers, "authorization")).startswith(
        "AWS4-HMAC-SHA256 Credential=AK/20260102/us-east-1/ses/"
    )


FALLBACK_CALLS = [
    (
        "sustainability",
        "GetEstimatedCarbonEmissions",
        {
            "TimePeriod": {
                "Start": datetime.datetime(2025, 1, 1),
                "End": datetime.datetime(2025, 2, 1),
            }
        },
    ),
    (
        "partnercentral-channel",
        "AcceptChannelHandshake",
        {"catalog": "AWS", "identifier": "handshake-0123456789"},
    ),
]


@pytest.mark.parametrize(("name", "operation", "params"), FALLBACK_CALLS)
def test_sigv4a_or_sigv4_falls_back_to_sigv4_as_botocore(
    isolated: Path, name: str, operation: str, params: dict[str, Any]
) -> None:
    """``auth: [sigv4a, sigv4]`` and rules offering both: without awscrt,
    botocore signs SigV4 for the endpoint's region; so do we."""
    ours, transport, boto, capture = _pair(name)
    method = support.method_name(operation)
    getattr(ours, method)(**typed(ours, operation, params))
    getattr(boto, method)(**params)
    mine = str(_header(transport.last.headers, "authorization"))
    theirs = str(_header(capture.request.headers, "authorization"))
    assert mine.startswith("AWS4-HMAC-SHA256 ")
    # botocore signs with its own clock: the scope's date is left out.
    assert re.sub(r"/\d{8}/", "/", mine.split(", Signature=")[0]) == re.sub(
        r"/\d{8}/", "/", theirs.split(", Signature=")[0]
    )
    assert transport.last.url == capture.request.url
