"""SigV2: what we sign must be what ``botocore.auth.SigV2Auth`` signs.

* ``sign_v2`` against ``SigV2Auth`` for drawn parameters, URLs and
  credentials, with botocore's clock fixed: the body (or the URL, for a
  request without body) must be byte for byte botocore's;
* a client generated from botocore's sdb model against botocore's sdb
  client: the whole request (body included, signature and timestamp too, the
  clocks being fixed) is botocore's;
* a retry signs again with a fresh timestamp;
* importexport, v2 in its model, is signed with SigV4 as botocore signs it.
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import hashlib
import hmac
import io
import string
from collections.abc import Iterator
from typing import Any
from unittest import mock
from urllib.parse import parse_qsl, urlencode

import botocore.auth
import botocore.credentials
import botocore.session
import pytest
from botocore.awsrequest import AWSRequest, AWSResponse, HeadersDict
from botocore.config import Config
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.conformance import support
from typed_aws_runtime import schema
from typed_aws_runtime.credentials import Credentials
from typed_aws_runtime.errors import ResponseParseError
from typed_aws_runtime.sigv2 import sign_v2
from typed_aws_runtime.transport import HttpRequest, HttpResponse, InMemoryTransport

UTC = datetime.UTC
WHEN = datetime.datetime(2024, 2, 29, 23, 59, 58, tzinfo=UTC)
IGNORED_HEADERS = frozenset(
    {"user-agent", "amz-sdk-invocation-id", "amz-sdk-request", "content-length"}
)
# (The utf-8 codec already leaves out surrogates.)
_TEXT = st.text(st.characters(codec="utf-8"), max_size=12)
_ZONES: list[datetime.tzinfo] = [UTC, datetime.timezone(-datetime.timedelta(hours=7))]
_WHEN = st.datetimes(
    min_value=datetime.datetime(1990, 1, 1), max_value=datetime.datetime(2100, 1, 1)
)
_KEYS = st.text(string.ascii_letters + string.digits + "._-~*", min_size=1, max_size=10)
AUTH_KEYS = (
    "AWSAccessKeyId",
    "SignatureVersion",
    "SignatureMethod",
    "Timestamp",
    "SecurityToken",
    "Signature",
)


def _botocore_sign(
    method: str,
    url: str,
    params: dict[str, str],
    credentials: Credentials,
    when: datetime.datetime,
) -> AWSRequest:
    """botocore's signed request; ``params`` go in the body (POST with
    parameters) or, as for a GET, into ``request.params``."""
    if params and method == "POST":
        request = AWSRequest(method=method, url=url, data=dict(params))
    else:
        request = AWSRequest(method=method, url=url, params=dict(params))
    boto_credentials = botocore.credentials.Credentials(
        credentials.access_key, credentials.secret_key, credentials.token
    )
    when_utc = when.astimezone(UTC) if when.tzinfo is not None else when
    with mock.patch.object(
        botocore.auth.time, "gmtime", return_value=when_utc.timetuple()
    ):
        botocore.auth.SigV2Auth(boto_credentials).add_auth(request)
    return request


def _ours(
    method: str,
    url: str,
    params: dict[str, str],
    credentials: Credentials,
    when: datetime.datetime,
) -> HttpRequest:
    if params and method == "POST":
        request = HttpRequest(method, url, {}, urlencode(list(params.items())).encode())
    else:
        query = urlencode(list(params.items()))
        request = HttpRequest(method, f"{url}?{query}" if query else url, {})
    sign_v2(request, credentials, timestamp=when)
    return request


_HOSTS = st.sampled_from(
    ["sdb.amazonaws.com", "SDB.us-west-2.amazonaws.com", "127.0.0.1:8080", "[::1]:9"]
)
_PATHS = st.sampled_from(["", "/", "/a/b", "/a%20b/", "/~x"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(["POST", "GET"]),
    host=_HOSTS,
    path=_PATHS,
    params=st.dictionaries(
        _KEYS | st.sampled_from(AUTH_KEYS) | _TEXT, _TEXT, max_size=6
    ),
    access_key=st.text(string.ascii_uppercase + string.digits, min_size=1, max_size=20),
    secret=_TEXT.filter(bool),
    token=st.none() | _TEXT,
    when=_WHEN
    | st.builds(datetime.datetime.replace, _WHEN, tzinfo=st.sampled_from(_ZONES)),
)
@example(
    method="POST",
    host="sdb.amazonaws.com",
    path="/",
    params={"Action": "PutAttributes", "Attribute.1.Value": "a b+c/é~*"},
    access_key="AKID",
    secret="secret",
    token="tok/en+=",
    when=WHEN,
)
def test_sign_v2_matches_botocore(
    method: str,
    host: str,
    path: str,
    params: dict[str, str],
    access_key: str,
    secret: str,
    token: str | None,
    when: datetime.datetime,
) -> None:
    credentials = Credentials(access_key, secret, token)
    url = f"https://{host}{path}"
    theirs = _botocore_sign(method, url, params, credentials, when)
    ours = _ours(method, url, params, credentials, when)
    prepared = theirs.prepare()
    if params and method == "POST":
        assert ours.body == prepared.body.encode()
        assert ours.url == url
    else:
        assert ours.body == b""
        assert ours.url == prepared.url


def test_signature_is_the_documented_hmac() -> None:
    """The string to sign, written out once by hand (AWS's SigV2 description)."""
    request = HttpRequest(
        "POST",
        "https://sdb.amazonaws.com/",
        {},
        b"Action=ListDomains&Version=2009-04-15",
    )
    sign_v2(request, Credentials("AK", "SK"), timestamp=WHEN)
    params = dict(parse_qsl(request.body.decode()))  # type: ignore[union-attr]
    text = (
        "POST\nsdb.amazonaws.com\n/\nAWSAccessKeyId=AK&Action=ListDomains"
        "&SignatureMethod=HmacSHA256&SignatureVersion=2"
        "&Timestamp=2024-02-29T23%3A59%3A58Z&Version=2009-04-15"
    )
    expected = base64.b64encode(
        hmac.digest(b"SK", text.encode(), hashlib.sha256)
    ).decode()
    assert params["Signature"] == expected
    assert list(params) == [
        "Action",
        "Version",
        "AWSAccessKeyId",
        "SignatureVersion",
        "SignatureMethod",
        "Timestamp",
        "Signature",
    ]


def test_a_stream_body_is_refused() -> None:
    request = HttpRequest("POST", "https://h/", {}, io.BytesIO(b"a=b"))
    with pytest.raises(ValueError):
        sign_v2(request, Credentials("AK", "SK"), timestamp=WHEN)


# -- generated clients against botocore's ------------------------------------------


class _Raw(io.BytesIO):
    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.getvalue()


class _Capture:
    def __init__(self, body: bytes) -> None:
        self.requests: list[Any] = []
        self.body = body

    def handler(self, request: Any, **_: Any) -> AWSResponse:
        self.requests.append(request)
        return AWSResponse(request.url, 200, HeadersDict({}), _Raw(self.body))


def _pair(
    name: str, token: str | None, body: bytes
) -> tuple[Any, InMemoryTransport, Any, _Capture]:
    session = botocore.session.get_session()
    loader = session.get_component("data_loader")
    model = loader.load_service_model(name, "service-2")
    rules = loader.load_service_model(name, "endpoint-rule-set-1")
    package = support.generated(model, rules, prefix=f"sigv2_{name}")
    transport = InMemoryTransport()
    ours = support.client_class(package)(
        region_name="us-east-1",
        aws_access_key_id="AKID",
        aws_secret_access_key="secret/key+",
        aws_session_token=token,
        transport=transport,
        max_attempts=1,
    )
    ours._codegen_clock = lambda: WHEN
    boto = session.create_client(
        name,
        region_name="us-east-1",
        aws_access_key_id="AKID",
        aws_secret_access_key="secret/key+",
        aws_session_token=token,
        config=Config(retries={"total_max_attempts": 1}),
    )
    capture = _Capture(body)
    boto.meta.events.register("before-send", capture.handler)
    return ours, transport, boto, capture


def _bytes(body: str | bytes) -> bytes:
    return body.encode() if isinstance(body, str) else body


def _headers(headers: Any) -> dict[str, str]:
    out = {}
    for name, value in headers.items():
        if name.lower() in IGNORED_HEADERS:
            continue
        out[name.lower()] = value.decode() if isinstance(value, bytes) else str(value)
    return out


SDB_CALLS: list[tuple[str, dict[str, Any]]] = [
    ("CreateDomain", {"DomainName": "music~ domain*"}),
    (
        "PutAttributes",
        {
            "DomainName": "d",
            "ItemName": "ïtem/1",
            "Attributes": [
                {"Name": "a", "Value": "1 + 1 = 2", "Replace": True},
                {"Name": "b&c", "Value": ""},
            ],
            "Expected": {"Name": "v", "Value": "x", "Exists": True},
        },
    ),
    (
        "BatchDeleteAttributes",
        {"DomainName": "d", "Items": [{"Name": "i1"}, {"Name": "i2"}]},
    ),
    ("Select", {"SelectExpression": "select * from `d` where a = '1'"}),
    ("ListDomains", {"MaxNumberOfDomains": 5}),
]


@pytest.mark.parametrize("token", [None, "session/token+="])
@pytest.mark.parametrize(
    ("operation", "params"), SDB_CALLS, ids=[c[0] for c in SDB_CALLS]
)
def test_generated_sdb_client_sends_what_botocore_sends(
    operation: str, params: dict[str, Any], token: str | None
) -> None:
    ours, transport, boto, capture = _pair("sdb", token, b"<x/>")
    op = schema.load(type(ours).__module__.rpartition(".")[0]).operation(operation)
    with contextlib.suppress(ResponseParseError):  # the canned answer: no output
        getattr(ours, support.method_name(operation))(
            **support.typed_kwargs(op.input, params)
        )
    with mock.patch.object(botocore.auth.time, "gmtime", return_value=WHEN.timetuple()):
        try:
            getattr(boto, support.method_name(operation))(**params)
        except Exception:  # noqa: BLE001 - the canned answer need not parse
            pass
    theirs = capture.requests[-1]
    mine = transport.last
    assert mine.method == theirs.method
    assert mine.url == theirs.url
    assert mine.body == _bytes(theirs.body)
    # Content-Length: ours is the transport's (the body's length).
    assert int(theirs.headers["Content-Length"]) == len(_bytes(theirs.body))
    assert _headers(mine.headers) == _headers(theirs.headers)
    assert "Authorization" not in mine.headers
    assert b"Signature=" in mine.body


def test_a_retry_signs_again_with_a_fresh_timestamp() -> None:
    ours, transport, _, _ = _pair("sdb", "tok", b"<x/>")
    ours._max_attempts = 3
    ours._codegen_sleep = lambda _: None
    ticks = iter([WHEN, WHEN + datetime.timedelta(seconds=7)])
    ours._codegen_clock = lambda: next(ticks)
    transport.queue(HttpResponse(500, {}, b""), HttpResponse(200, {}, b"<x/>"))
    ours.create_domain(domain_name="d")
    first, second = (dict(parse_qsl(r.body.decode())) for r in transport.requests)  # type: ignore[union-attr]
    assert first["Timestamp"] == "2024-02-29T23:59:58Z"
    assert second["Timestamp"] == "2024-03-01T00:00:05Z"
    assert first["Signature"] != second["Signature"]
    for request in transport.requests:
        body = request.body.decode()  # type: ignore[union-attr]
        pairs = parse_qsl(body)
        assert [k for k, _ in pairs].count("Signature") == 1
        assert [k for k, _ in pairs].count("Timestamp") == 1
        # Each attempt's signature is valid for what that attempt sends.
        params = dict(pairs)
        boto = botocore.auth.SigV2Auth(
            botocore.credentials.Credentials("AKID", "secret/key+", "tok")
        )
        signed = AWSRequest(method="POST", url=request.url, data=params)
        _, signature = boto.calc_signature(signed, params)
        assert params["Signature"] == signature


def test_importexport_is_signed_with_sigv4_as_botocore_does() -> None:
    """Its model says v2; its endpoint rules say sigv4 (and botocore's
    client forces v4 for it)."""
    ours, transport, boto, capture = _pair("importexport", None, b"<x/>")
    with contextlib.suppress(ResponseParseError):
        ours.list_jobs(max_jobs=3)
    try:
        boto.list_jobs(MaxJobs=3)
    except Exception:  # noqa: BLE001 - the canned answer need not parse
        pass
    theirs = capture.requests[-1]
    mine = transport.last
    assert mine.body == _bytes(theirs.body)
    assert b"Signature" not in mine.body
    ours_scope = mine.headers["Authorization"].split(",")[0]
    theirs_scope = theirs.headers["Authorization"].decode().split(",")[0]
    # The date part of the scope comes from each client's clock.
    assert ours_scope.split("/")[2:] == theirs_scope.split("/")[2:]
