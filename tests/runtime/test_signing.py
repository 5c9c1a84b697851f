"""SigV4: our headers must equal botocore's SigV4Auth for the same request."""

from __future__ import annotations

import datetime
import io
import string
import zoneinfo
from unittest import mock

import botocore.auth
import botocore.credentials
import pytest
from botocore.awsrequest import AWSRequest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from typed_aws_runtime import signing
from typed_aws_runtime.credentials import Credentials
from typed_aws_runtime.signing import sign_v4
from typed_aws_runtime.transport import HttpRequest

UNRESERVED = string.ascii_letters + string.digits + "-._~"
SUB_DELIMS = "!$&'()*+,;=:@"
TCHARS = string.ascii_letters + string.digits + "!#$%&'*+-.^_`|~"
SPECIAL_HEADERS = [
    "Date",
    "date",
    "X-Amz-Date",
    "x-amz-date",
    "Authorization",
    "X-Amz-Security-Token",
    "X-Amz-Content-SHA256",
    "x-amz-content-sha256",
    "Host",
    "User-Agent",
    "Content-Type",
    "content-type",
    "Expect",
    "Transfer-Encoding",
    "X-Amzn-Trace-Id",
    "X-Amz-Target",
    " X-Padded",  # botocore strips names for SignedHeaders only
    "X-Padded\t",
]
UTC = datetime.UTC
PLUS_TWO = datetime.timezone(datetime.timedelta(hours=2))
MINUS_FIVE_HALF = datetime.timezone(-datetime.timedelta(hours=5, minutes=30))


def _botocore_headers(
    method: str,
    url: str,
    headers: dict[str, str],
    body: bytes | io.BytesIO,
    credentials: Credentials,
    region: str,
    service: str,
    when: datetime.datetime,
    unsigned: bool,
) -> list[tuple[str, str]]:
    request = AWSRequest(method=method, url=url, headers=headers, data=body)
    if unsigned:
        # What botocore's handlers set for unsignedPayload/v4-unsigned-body.
        request.context["payload_signing_enabled"] = False
    boto_credentials = botocore.credentials.Credentials(
        credentials.access_key, credentials.secret_key, credentials.token
    )
    signer = botocore.auth.SigV4Auth(boto_credentials, service, region)
    if when.tzinfo is not None:
        # botocore formats the clock's fields as they are: give it UTC.
        when = when.astimezone(UTC)
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=when):
        signer.add_auth(request)
    return list(request.headers.items())


def _ours(
    method: str,
    url: str,
    headers: dict[str, str],
    body: bytes | io.BytesIO,
    credentials: Credentials,
    region: str,
    service: str,
    when: datetime.datetime,
    unsigned: bool,
) -> list[tuple[str, str]]:
    request = HttpRequest(method, url, dict(headers), body)
    sign_v4(
        request,
        credentials,
        region=region,
        service=service,
        timestamp=when,
        unsigned_payload=unsigned,
    )
    return list(request.headers.items())


pct_byte = st.integers(0, 255).map(lambda b: f"%{b:02X}")
path_char = st.one_of(st.sampled_from(UNRESERVED + SUB_DELIMS), pct_byte)
segment = st.one_of(
    st.lists(path_char, max_size=8).map("".join),
    st.sampled_from([".", "..", "", "%2F", "%2E%2E"]),
)
paths = st.lists(segment, max_size=6).map(lambda s: "/" + "/".join(s))
query_text = st.lists(st.one_of(st.sampled_from(UNRESERVED), pct_byte), max_size=6).map(
    "".join
)
query_pair = st.one_of(
    st.tuples(st.sampled_from(["a", "A", "b", "key", "x-id"]), query_text).map(
        "=".join
    ),
    st.tuples(query_text, query_text).map("=".join),
    query_text,  # a key with no '=' at all
)
queries = st.lists(query_pair, max_size=6).map("&".join)
hosts = st.sampled_from(
    [
        "iot.us-east-1.amazonaws.com",
        "Data.IoT.eu-west-1.AmazonAWS.com",
        "localhost",
        "127.0.0.1",
        "[::1]",
    ]
)
ports = st.sampled_from(["", ":80", ":443", ":8443"])
urls = st.builds(
    lambda scheme, host, port, path, query: (
        f"{scheme}://{host}{port}{path}" + (f"?{query}" if query else "")
    ),
    st.sampled_from(["https", "http"]),
    hosts,
    ports,
    paths,
    queries,
)
header_names = st.one_of(
    st.sampled_from(SPECIAL_HEADERS),
    st.text(TCHARS, min_size=1, max_size=12),
)
header_values = st.text(
    st.sampled_from(string.ascii_letters + string.digits + " \t-_/;=,:é\xa0"),
    max_size=20,
)
bodies = st.one_of(
    st.just(b""),
    st.binary(max_size=64),
    st.tuples(st.binary(max_size=8), st.binary(max_size=64)),
)
credentials = st.builds(
    Credentials,
    st.sampled_from(["AKIDEXAMPLE", "ASIAXXXXXXXXXXXXXXXX"]),
    st.text(string.ascii_letters + string.digits + "/+", min_size=1, max_size=40),
    st.one_of(st.none(), st.just(""), st.text(string.printable[:94], max_size=30)),
)
EARLIEST, LATEST = datetime.datetime(2000, 1, 1), datetime.datetime(2099, 12, 31)
# Naive (taken as UTC), UTC, or another offset (converted to UTC).
timezones: st.SearchStrategy[datetime.tzinfo | None] = st.sampled_from(
    [None, UTC, PLUS_TWO, MINUS_FIVE_HALF]
)
moments = st.one_of(
    st.datetimes(EARLIEST, LATEST),
    st.datetimes(
        EARLIEST, LATEST, timezones=st.sampled_from([UTC, PLUS_TWO, MINUS_FIVE_HALF])
    ),
)


def _body_pair(body: bytes | tuple[bytes, bytes]) -> tuple[object, object]:
    """The same body for both signers; a (prefix, rest) pair is a file at offset."""
    if isinstance(body, bytes):
        return body, body
    prefix, rest = body
    streams = []
    for _ in range(2):
        stream = io.BytesIO(prefix + rest)
        stream.seek(len(prefix))
        streams.append(stream)
    return streams[0], streams[1]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(["GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "get"]),
    url=urls,
    headers=st.dictionaries(header_names, header_values, max_size=6),
    body=bodies,
    creds=credentials,
    region=st.sampled_from(["us-east-1", "eu-west-1", "cn-north-1"]),
    service=st.sampled_from(["iot", "execute-api", "emr-serverless", "geo"]),
    when=moments,
    unsigned=st.booleans(),
)
def test_headers_match_botocore(
    method: str,
    url: str,
    headers: dict[str, str],
    body: bytes | tuple[bytes, bytes],
    creds: Credentials,
    region: str,
    service: str,
    when: datetime.datetime,
    unsigned: bool,
) -> None:
    theirs_body, ours_body = _body_pair(body)
    args = (creds, region, service, when, unsigned)
    expected = _botocore_headers(method, url, headers, theirs_body, *args)  # type: ignore[arg-type]
    actual = _ours(method, url, headers, ours_body, *args)  # type: ignore[arg-type]
    assert actual == expected
    if isinstance(ours_body, io.BytesIO):
        # Hashed without being consumed.
        assert isinstance(theirs_body, io.BytesIO)
        assert ours_body.tell() == theirs_body.tell()


def test_known_vector_get_vanilla() -> None:
    # AWS's published "get-vanilla" SigV4 test vector.
    request = HttpRequest(
        "GET", "https://example.amazonaws.com/", {"Host": "example.amazonaws.com"}
    )
    sign_v4(
        request,
        Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
        region="us-east-1",
        service="service",
        timestamp=datetime.datetime(2015, 8, 30, 12, 36, 0),
    )
    assert request.headers["Authorization"] == (
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
        "aws4_request, SignedHeaders=host;x-amz-date, Signature="
        "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
    )


def test_resigning_replaces_previous_signature_headers() -> None:
    creds = Credentials("AKID", "secret", "token")
    request = HttpRequest(
        "POST", "https://iot.us-east-1.amazonaws.com/things", {}, b"{}"
    )
    first = datetime.datetime(2024, 1, 1, 0, 0, 0)
    sign_v4(request, creds, region="us-east-1", service="iot", timestamp=first)
    later = first + datetime.timedelta(seconds=5)
    sign_v4(request, creds, region="us-east-1", service="iot", timestamp=later)
    expected = _botocore_headers(
        "POST",
        request.url,
        {},
        b"{}",
        creds,
        "us-east-1",
        "iot",
        later,
        False,
    )
    assert list(request.headers.items()) == expected


def test_aware_timestamp_is_converted_to_utc() -> None:
    creds = Credentials("AKID", "secret")
    plus_two = datetime.timezone(datetime.timedelta(hours=2))
    aware = datetime.datetime(2024, 1, 1, 2, 0, 0, tzinfo=plus_two)
    request = HttpRequest("GET", "https://geo.us-east-1.amazonaws.com/", {})
    sign_v4(request, creds, region="us-east-1", service="geo", timestamp=aware)
    assert request.headers["X-Amz-Date"] == "20240101T000000Z"


def test_unseekable_stream_needs_unsigned_payload() -> None:
    class Pipe(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def tell(self) -> int:
            raise io.UnsupportedOperation("not seekable")

    request = HttpRequest("PUT", "https://x.amazonaws.com/", {}, Pipe())  # type: ignore[arg-type]
    creds = Credentials("AKID", "secret")
    when = datetime.datetime(2024, 1, 1)
    try:
        sign_v4(request, creds, region="us-east-1", service="x", timestamp=when)
    except ValueError as error:
        assert "unsigned" in str(error)
    else:  # pragma: no cover
        raise AssertionError("expected ValueError")
    sign_v4(
        request,
        creds,
        region="us-east-1",
        service="x",
        timestamp=when,
        unsigned_payload=True,
    )
    assert request.headers["X-Amz-Content-SHA256"] == "UNSIGNED-PAYLOAD"


# Header names that never leave sign_v4's fast path: no signature header to
# replace or read, and (being distinct lower-case) no two equal but for case.
plain_header_names = st.one_of(
    st.sampled_from(
        ["content-type", "host", "user-agent", "expect", "x-amz-target", " x-pad"]
    ),
    st.text(string.ascii_lowercase + string.digits + "-_.", min_size=1, max_size=12),
).filter(lambda name: name not in signing._REWRITTEN_HEADERS)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(["GET", "POST", "put"]),
    url=urls,
    headers=st.dictionaries(plain_header_names, header_values, max_size=6),
    body=bodies,
    creds=credentials,
    when=moments,
    unsigned=st.booleans(),
)
def test_fresh_request_fast_path_matches_botocore(
    method: str,
    url: str,
    headers: dict[str, str],
    body: bytes | tuple[bytes, bytes],
    creds: Credentials,
    when: datetime.datetime,
    unsigned: bool,
) -> None:
    theirs_body, ours_body = _body_pair(body)
    args = (creds, "us-east-1", "iot", when, unsigned)
    expected = _botocore_headers(method, url, headers, theirs_body, *args)  # type: ignore[arg-type]
    with mock.patch.object(
        signing, "_general_headers", wraps=signing._general_headers
    ) as general:
        actual = _ours(method, url, headers, ours_body, *args)  # type: ignore[arg-type]
    assert not general.called
    assert actual == expected
    if isinstance(ours_body, io.BytesIO):
        assert isinstance(theirs_body, io.BytesIO)
        assert ours_body.tell() == theirs_body.tell()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    url=urls,
    headers=st.dictionaries(header_names, header_values, max_size=6),
    body=st.binary(max_size=64),
    creds=credentials,
    first=moments,
    later=moments,
    unsigned=st.booleans(),
    again_unsigned=st.booleans(),
)
def test_resigned_request_general_path_matches_botocore(
    url: str,
    headers: dict[str, str],
    body: bytes,
    creds: Credentials,
    first: datetime.datetime,
    later: datetime.datetime,
    unsigned: bool,
    again_unsigned: bool,
) -> None:
    # A retry: the request already carries the first signature's headers,
    # so the second signing must take the general path.
    request = HttpRequest("POST", url, dict(headers), body)
    region, service = "eu-west-1", "geo"
    sign_v4(
        request,
        creds,
        region=region,
        service=service,
        timestamp=first,
        unsigned_payload=unsigned,
    )
    signed_once = dict(request.headers)
    with mock.patch.object(
        signing, "_general_headers", wraps=signing._general_headers
    ) as general:
        sign_v4(
            request,
            creds,
            region=region,
            service=service,
            timestamp=later,
            unsigned_payload=again_unsigned,
        )
    assert general.called
    expected = _botocore_headers(
        "POST", url, signed_once, body, creds, region, service, later, again_unsigned
    )
    assert list(request.headers.items()) == expected


@settings(max_examples=100, deadline=None)
@given(
    base=st.datetimes(EARLIEST, LATEST),
    steps=st.lists(
        st.tuples(st.integers(-2_500_000, 2_500_000), timezones), max_size=8
    ),
)
def test_timestamps_in_sequence_match_botocore(
    base: datetime.datetime,
    steps: list[tuple[int, datetime.tzinfo | None]],
) -> None:
    # Close timestamps, naive and aware, as a clock gives them: exercises
    # the reuse of the amz-date string within a second and its boundaries.
    creds = Credentials("AKID", "secret")
    url = "https://geo.us-east-1.amazonaws.com/maps"
    for offset, tzinfo in [(0, None), *steps]:
        moment = base + datetime.timedelta(microseconds=offset)
        if tzinfo is not None:
            moment = moment.replace(tzinfo=UTC).astimezone(tzinfo)
        request = HttpRequest("GET", url, {})
        sign_v4(request, creds, region="us-east-1", service="geo", timestamp=moment)
        expected = _botocore_headers(
            "GET", url, {}, b"", creds, "us-east-1", "geo", moment, False
        )
        assert list(request.headers.items()) == expected


def test_timestamps_at_second_day_and_range_boundaries() -> None:
    creds = Credentials("AKID", "secret")
    url = "https://geo.us-east-1.amazonaws.com/"
    moments = [
        datetime.datetime(2024, 1, 1, 23, 59, 59, 999_999),
        datetime.datetime(2024, 1, 1, 23, 59, 59, 0),
        datetime.datetime(2024, 1, 2, 0, 0, 0),
        datetime.datetime(2024, 1, 1, 23, 59, 59, 500_000, tzinfo=UTC),
        datetime.datetime(2024, 1, 2, 1, 59, 59, 500_000, tzinfo=PLUS_TWO),
        datetime.datetime(2024, 1, 2, 0, 0, 0, tzinfo=UTC),
        datetime.datetime(2024, 1, 2, 0, 0, 0),
        datetime.datetime(9999, 12, 31, 23, 59, 59, 999_999),
        datetime.datetime(9999, 12, 31, 23, 59, 59, 999_999),
    ]
    for moment in moments:
        request = HttpRequest("GET", url, {})
        sign_v4(request, creds, region="us-east-1", service="geo", timestamp=moment)
        expected = _botocore_headers(
            "GET", url, {}, b"", creds, "us-east-1", "geo", moment, False
        )
        assert list(request.headers.items()) == expected, moment


def test_session_token_with_whitespace_is_trimmed_when_signed() -> None:
    creds = Credentials("AKID", "secret", "  tok  en\t")
    url = "https://geo.us-east-1.amazonaws.com/"
    headers = {"Content-Type": " a  b "}
    when = datetime.datetime(2024, 1, 1)
    for _ in range(2):  # the second time from the cache
        request = HttpRequest("GET", url, dict(headers))
        sign_v4(request, creds, region="us-east-1", service="geo", timestamp=when)
        expected = _botocore_headers(
            "GET", url, headers, b"", creds, "us-east-1", "geo", when, False
        )
        assert list(request.headers.items()) == expected


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Type": "a", "content-type": " b  c "},
        {"X-Amz-Target": "x", "x-amz-target": "y", "Host": "h", "host": "H"},
        {"X-Amz-Content-SHA256": " abc  def "},
        {"x-amz-content-sha256": "first", "X-Amz-Content-SHA256": "second"},
        {"Date": "whatever", "X-Amz-Date": "old", "Authorization": "old"},
        {"Content-Type": "a", "Expect": "100-continue", "expect": "x"},
    ],
)
@pytest.mark.parametrize("unsigned", [False, True])
def test_awkward_headers_match_botocore(
    headers: dict[str, str], unsigned: bool
) -> None:
    creds = Credentials("AKID", "secret", "token")
    url = "https://iot.us-east-1.amazonaws.com/things?b=1&a=2"
    when = datetime.datetime(2024, 1, 1, 12, 30, 15, 250_000, tzinfo=UTC)
    args = (creds, "us-east-1", "iot", when, unsigned)
    expected = _botocore_headers("PUT", url, headers, b"{}", *args)
    assert _ours("PUT", url, headers, b"{}", *args) == expected


def test_timestamps_in_a_zone_with_dst_folds() -> None:
    # Same wall-clock second twice (fold 0 then 1), an hour apart in UTC: a
    # string remembered for the first must not be reused for the second.
    try:
        berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    except zoneinfo.ZoneInfoNotFoundError:  # pragma: no cover
        pytest.skip("no tz database")
    creds = Credentials("AKID", "secret")
    url = "https://geo.us-east-1.amazonaws.com/"
    first = datetime.datetime(2024, 10, 27, 2, 30, 0, tzinfo=berlin)
    for moment in (first, first.replace(microsecond=1, fold=1)):
        request = HttpRequest("GET", url, {})
        sign_v4(request, creds, region="us-east-1", service="geo", timestamp=moment)
        expected = _botocore_headers(
            "GET", url, {}, b"", creds, "us-east-1", "geo", moment, False
        )
        assert list(request.headers.items()) == expected, moment
