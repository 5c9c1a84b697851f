"""SigV4a with awscrt (the runtime's ``crt`` extra), against botocore's own
CRT signer (``botocore.crt.auth.CrtSigV4AsymAuth``) under the same clock.

SigV4a signatures are randomized ECDSA, so two signatures of one request
differ. What must agree: every header but the signature itself (the region
set, the date, the payload hash, the signed header list, in the same
order), and each signature must verify, with the public key derived from
the secret key as the SigV4a specification derives it, over the string to
sign that botocore's SigV4 code computes for the signed request (the same
canonical request; only the algorithm name and the scope differ).

Skipped when awscrt is not importable (install ``typed-aws-runtime[crt]``,
or put a target directory with awscrt on ``PYTHONPATH``).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("awscrt")

import botocore.auth  # noqa: E402
import botocore.crt.auth  # noqa: E402
import botocore.session  # noqa: E402
from botocore.awsrequest import AWSRequest, AWSResponse, HeadersDict  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.credentials import Credentials as BotocoreCredentials  # noqa: E402
from cryptography.exceptions import InvalidSignature  # noqa: E402
from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402

from tests.conformance import support  # noqa: E402
from typed_aws_runtime.credentials import Credentials  # noqa: E402
from typed_aws_runtime.http import wire_headers  # noqa: E402
from typed_aws_runtime.sigv4a import sign_v4a  # noqa: E402
from typed_aws_runtime.transport import (  # noqa: E402
    HttpRequest,
    HttpResponse,
    InMemoryTransport,
)

NOW = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
ACCESS, SECRET, TOKEN = "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "tok"
_P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


@pytest.fixture(autouse=True)
def _crt(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Ours: awscrt allowed. botocore: its CRT SigV4a signer registered
    # (tests/conftest.py keeps its pure-Python signers otherwise), fixed clock.
    monkeypatch.delenv("BOTO_DISABLE_CRT", raising=False)
    monkeypatch.setitem(
        botocore.auth.AUTH_TYPE_MAPS, "v4a", botocore.crt.auth.CrtSigV4AsymAuth
    )
    monkeypatch.setattr(
        botocore.crt.auth, "get_current_datetime", lambda remove_tzinfo=True: NOW
    )
    yield


def _private_key(access_key: str, secret_key: str) -> ec.EllipticCurvePrivateKey:
    """The SigV4a key derivation: NIST SP 800-108 counter-mode HMAC-SHA256
    over the access key and a counter, until the candidate is below n - 1."""
    key = f"AWS4A{secret_key}".encode()
    for counter in range(1, 255):
        fixed = (
            b"\x00\x00\x00\x01"
            + b"AWS4-ECDSA-P256-SHA256"
            + b"\x00"
            + access_key.encode()
            + bytes([counter])
            + b"\x00\x00\x01\x00"
        )
        candidate = int.from_bytes(hmac.digest(key, fixed, "sha256"), "big")
        if candidate <= _P256_ORDER - 2:
            return ec.derive_private_key(candidate + 1, ec.SECP256R1())
    raise AssertionError("no key derived")


PUBLIC_KEY = _private_key(ACCESS, SECRET).public_key()


def _headers(headers: Any) -> list[tuple[str, str]]:
    items = headers.items() if hasattr(headers, "items") else headers
    return [
        (k, v.decode() if isinstance(v, bytes) else str(v))
        for k, v in items
        if k.lower() not in ("user-agent", "amz-sdk-invocation-id", "amz-sdk-request")
    ]


def _verify(method: str, url: str, headers: list[tuple[str, str]], body: bytes) -> str:
    """Check the request's SigV4a signature; return its canonical request."""
    fields = {k: v for k, v in headers if k.lower() != "content-length"}
    authorization = fields.pop("Authorization")
    algorithm, _, rest = authorization.partition(" ")
    assert algorithm == "AWS4-ECDSA-P256-SHA256"
    parts = dict(p.split("=", 1) for p in rest.split(", "))
    request = AWSRequest(method=method, url=url, data=body, headers=fields)
    signer = botocore.auth.SigV4Auth(
        BotocoreCredentials(ACCESS, SECRET, TOKEN), "x", "x"
    )
    # botocore's canonical request over the headers it signed.
    signed = parts["SignedHeaders"].split(";")
    assert signed == sorted(
        k.lower()
        for k in fields
        if k.lower() not in botocore.auth.SIGNED_HEADERS_BLACKLIST
    )
    canonical = signer.canonical_request(request)
    scope = parts["Credential"].split("/", 1)[1]
    string_to_sign = "\n".join(
        [
            algorithm,
            fields["X-Amz-Date"],
            scope,
            hashlib.sha256(canonical.encode()).hexdigest(),
        ]
    )
    try:
        PUBLIC_KEY.verify(
            bytes.fromhex(parts["Signature"]),
            string_to_sign.encode(),
            ec.ECDSA(hashes.SHA256()),
        )
    except InvalidSignature:
        pytest.fail(f"signature does not verify over\n{canonical}")
    return canonical


def _without_signature(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [
        (k, v.split(", Signature=")[0] if k == "Authorization" else v)
        for k, v in headers
    ]


CASES = [
    ("POST", "https://example.com/a/b?x=1&a=2", {"Content-Type": "x"}, b"{}", False),
    ("GET", "https://example.com/", {}, b"", False),
    ("PUT", "https://example.com:8443/k%20y/./z", {"X-A": " a  b "}, b"data", True),
    ("POST", "http://127.0.0.1:5000/", {}, b"payload", True),
]


@pytest.mark.parametrize(("method", "url", "headers", "body", "unsigned"), CASES)
def test_signer_matches_botocore_crt(
    method: str, url: str, headers: dict[str, str], body: bytes, unsigned: bool
) -> None:
    ours = HttpRequest(method, url, dict(headers), body)
    sign_v4a(
        ours,
        Credentials(ACCESS, SECRET, TOKEN),
        region_set="*",
        service="svc",
        timestamp=NOW,
        unsigned_payload=unsigned,
    )
    theirs = AWSRequest(method=method, url=url, data=body, headers=dict(headers))
    theirs.context["payload_signing_enabled"] = not unsigned
    botocore.crt.auth.CrtSigV4AsymAuth(
        BotocoreCredentials(ACCESS, SECRET, TOKEN), "svc", "*"
    ).add_auth(theirs)
    mine, boto = _headers(ours.headers), _headers(theirs.headers.items())
    assert _without_signature(mine) == _without_signature(boto)
    assert _verify(method, url, mine, body) == _verify(method, url, boto, body)


class _Capture:
    request: Any = None

    def handler(self, request: Any, **_: Any) -> AWSResponse:
        self.request = request

        class Raw:
            def stream(self, **_: Any) -> Iterator[bytes]:
                yield b"{}"

        return AWSResponse(request.url, 200, HeadersDict({}), Raw())


SEND_EMAIL = {
    "EndpointId": "abc123.xyz",
    "Content": {"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}}},
    "Destination": {"ToAddresses": ["a@example.com"]},
}
PUT_EVENTS = {
    "EndpointId": "abcde.veo",
    "Entries": [{"Source": "s", "DetailType": "d", "Detail": "{}"}],
}


@pytest.mark.parametrize(
    ("name", "operation", "params"),
    [("sesv2", "SendEmail", SEND_EMAIL), ("events", "PutEvents", PUT_EVENTS)],
)
def test_calls_sign_sigv4a_as_botocore(
    name: str, operation: str, params: dict[str, Any]
) -> None:
    """sesv2 ``send_email(endpoint_id=...)`` and EventBridge global
    endpoints: the rule set answers ``sigv4a`` over ``*``."""
    loader = botocore.session.get_session().get_component("data_loader")
    package = support.generated(
        loader.load_service_model(name, "service-2"),
        loader.load_service_model(name, "endpoint-rule-set-1"),
        prefix=f"v4a_{name}",
    )
    transport = InMemoryTransport([HttpResponse(200, {}, b"{}")])
    ours = support.client_class(package)(
        region_name="us-east-1",
        aws_access_key_id=ACCESS,
        aws_secret_access_key=SECRET,
        aws_session_token=TOKEN,
        transport=transport,
        max_attempts=1,
    )
    ours._codegen_clock = lambda: NOW
    schema = support.wire_schema(package)
    method = support.method_name(operation)
    getattr(ours, method)(
        **support.typed_kwargs(schema.operation(operation).input, params)
    )
    boto = botocore.session.Session().create_client(
        name,
        region_name="us-east-1",
        aws_access_key_id=ACCESS,
        aws_secret_access_key=SECRET,
        aws_session_token=TOKEN,
        config=Config(retries={"total_max_attempts": 1}),
    )
    capture = _Capture()
    boto.meta.events.register("before-send", capture.handler)
    getattr(boto, method)(**params)
    sent, theirs = transport.last, capture.request
    assert sent.url == theirs.url
    mine = _headers(wire_headers(sent))  # with the Content-Length sent
    boto_headers = _headers(theirs.headers.items())
    assert dict(_without_signature(mine)) == dict(_without_signature(boto_headers))
    assert dict(mine)["X-Amz-Region-Set"] == "*"
    body = sent.body if isinstance(sent.body, bytes) else b""
    their_body = theirs.body or b""
    # Each signature verifies over its own body; the bodies are equal as JSON
    # (key order may differ), so the canonical requests are compared
    # without their last line, the payload hash.
    assert json.loads(body) == json.loads(their_body)
    mine_canonical = _verify(sent.method, sent.url, mine, body)
    their_canonical = _verify(theirs.method, theirs.url, boto_headers, their_body)
    assert mine_canonical.rpartition("\n")[0] == their_canonical.rpartition("\n")[0]


def test_configured_region_set_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    """``sigv4a_signing_region_set`` (and ``AWS_SIGV4A_SIGNING_REGION_SET``)
    name the region set, as botocore's Config option does."""
    loader = botocore.session.get_session().get_component("data_loader")
    package = support.generated(
        loader.load_service_model("sesv2", "service-2"),
        loader.load_service_model("sesv2", "endpoint-rule-set-1"),
        prefix="v4a_sesv2",
    )
    schema = support.wire_schema(package)
    kwargs = support.typed_kwargs(schema.operation("SendEmail").input, SEND_EMAIL)
    for option, variable in ((None, "us-west-2,eu-west-1"), ("us-east-2", None)):
        if variable:
            monkeypatch.setenv("AWS_SIGV4A_SIGNING_REGION_SET", variable)
        else:
            monkeypatch.delenv("AWS_SIGV4A_SIGNING_REGION_SET", raising=False)
        transport = InMemoryTransport([HttpResponse(200, {}, b"{}")])
        ours = support.client_class(package)(
            region_name="us-east-1",
            aws_access_key_id=ACCESS,
            aws_secret_access_key=SECRET,
            transport=transport,
            sigv4a_signing_region_set=option,
        )
        ours.send_email(**kwargs)
        assert transport.last.headers["X-Amz-Region-Set"] == (option or variable)
