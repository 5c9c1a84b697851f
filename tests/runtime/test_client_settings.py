"""Constructor values are checked when the client is built (the spec: bad
values raise ``ValueError`` at construction), not at the first call, and
``AWS_MAX_ATTEMPTS`` is read as botocore reads it."""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Iterator
from typing import Any

import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import InvalidMaxRetryAttemptsError
from botocore.utils import is_valid_endpoint_url, is_valid_ipv6_endpoint_url
from hypothesis import given, settings
from hypothesis import strategies as st

from generated.sqs import SQSClient
from typed_aws_runtime.transport import HttpResponse, InMemoryTransport

KEYS = {"aws_access_key_id": "AK", "aws_secret_access_key": "SK"}


def build(**kwargs: Any) -> SQSClient:
    return SQSClient(region_name="us-east-1", **KEYS, **kwargs)


def attempts(client: SQSClient, transport: InMemoryTransport) -> int:
    """How many requests one failing call makes (every answer a 500)."""
    client._codegen_sleep = lambda _: None
    transport.queue(*[HttpResponse(500, {}, b"{}") for _ in range(20)])
    with pytest.raises(Exception):  # noqa: B017 - the service error, any class
        client.list_queues()
    return len(transport.requests)


@contextlib.contextmanager
def environment(name: str, value: str | None) -> Iterator[None]:
    old = os.environ.get(name)
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


@pytest.fixture(autouse=True)
def _no_max_attempts_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_MAX_ATTEMPTS", raising=False)


# -- max_attempts ----------------------------------------------------------------


BAD_MAX_ATTEMPTS = [0, -1, -100, "2", "3", 2.0, 1.5, True, False, [3], b"2"]


@pytest.mark.parametrize("value", BAD_MAX_ATTEMPTS, ids=repr)
def test_bad_max_attempts_fail_at_construction(value: Any) -> None:
    with pytest.raises(ValueError, match="max_attempts"):
        build(max_attempts=value, transport=InMemoryTransport())


@given(st.integers(max_value=0))
@settings(max_examples=20)
def test_max_attempts_below_one_fail_as_in_botocore(value: int) -> None:
    with pytest.raises(InvalidMaxRetryAttemptsError):
        Config(retries={"total_max_attempts": value})  # the oracle refuses it too
    with pytest.raises(ValueError, match="max_attempts must be at least 1"):
        build(max_attempts=value)


@pytest.mark.parametrize("value", [1, 2, 5])
def test_max_attempts_is_the_number_of_attempts(value: int) -> None:
    transport = InMemoryTransport()
    assert attempts(build(max_attempts=value, transport=transport), transport) == value


def test_default_max_attempts_is_three() -> None:
    transport = InMemoryTransport()
    assert attempts(build(transport=transport), transport) == 3


# -- AWS_MAX_ATTEMPTS, as botocore reads it --------------------------------------


def botocore_attempts(value: str) -> int | None:
    """botocore's total attempts with ``AWS_MAX_ATTEMPTS=value``; None where it
    refuses to build the client."""
    with environment("AWS_MAX_ATTEMPTS", value):
        try:
            client = botocore.session.get_session().create_client(
                "sqs", region_name="us-east-1", **KEYS
            )
        except (ValueError, InvalidMaxRetryAttemptsError):
            return None
    found: int = client.meta.config.retries["total_max_attempts"]
    return found


ENV_VALUES = st.one_of(
    st.integers(-3, 6).map(str),
    st.sampled_from(["", " ", " 2 ", "+3", "2.5", "abc", "0x3", "1_0", "٣", "3\n"]),
    st.text(st.sampled_from("0123456789 +-._x"), max_size=4),
)


@given(ENV_VALUES)
@settings(max_examples=25, deadline=None)
def test_aws_max_attempts_as_botocore_reads_it(value: str) -> None:
    expected = botocore_attempts(value)
    transport = InMemoryTransport()
    with environment("AWS_MAX_ATTEMPTS", value):
        if expected is None:
            with pytest.raises(ValueError, match="AWS_MAX_ATTEMPTS"):
                build(transport=transport)
            return
        client = build(transport=transport)
    if expected <= 6:
        assert attempts(client, transport) == expected


def test_aws_max_attempts_is_read_when_the_client_is_built() -> None:
    transport = InMemoryTransport()
    with environment("AWS_MAX_ATTEMPTS", "2"):
        client = build(transport=transport)
    assert attempts(client, transport) == 2  # as botocore: not read at the call


def test_explicit_max_attempts_wins_over_a_bad_variable() -> None:
    # botocore reads the variable only when no explicit value is given.
    with environment("AWS_MAX_ATTEMPTS", "abc"):
        botocore.session.get_session().create_client(
            "sqs",
            region_name="us-east-1",
            config=Config(retries={"total_max_attempts": 2}),
            **KEYS,
        )
        transport = InMemoryTransport()
        client = build(max_attempts=2, transport=transport)
    assert attempts(client, transport) == 2


# -- endpoint_url ----------------------------------------------------------------


BAD_ENDPOINTS = [
    "localhost:4566",
    "127.0.0.1:4566",
    "localhost",
    "//localhost:4566",
    "http:/localhost",
    "http:localhost",
    "ftp://localhost",
    "file:///etc/passwd",
    "ws://localhost:4566",
    "http://",
    "https://:443",
    "http://user@",
    "http://a b",
    "http://host\n.example",
    "http://host\t",
    "http://-host",
    "http://host_name",
    "http://[::1",
    "http://[not-ipv6]",
    "http://host:99999",
    "http://host:abc",
    "http://host:0",
    "",
    " ",
]


@pytest.mark.parametrize("url", BAD_ENDPOINTS, ids=repr)
def test_bad_endpoint_urls_fail_at_construction(url: str) -> None:
    with pytest.raises(ValueError, match="endpoint_url"):
        build(endpoint_url=url)


@pytest.mark.parametrize("value", [b"http://localhost", 4566, ["http://x"]], ids=repr)
def test_endpoint_url_of_the_wrong_type_fails_at_construction(value: Any) -> None:
    with pytest.raises(ValueError, match="endpoint_url must be a str"):
        build(endpoint_url=value)


GOOD_ENDPOINTS = [
    "http://localhost:4566",
    "http://127.0.0.1:4566",
    "https://sqs.us-east-1.amazonaws.com",
    "https://example.com/prefix/",
    "HTTP://Example.COM",
    "http://[::1]:4566",
    "http://[fe80::1%25eth0]:80",
    "http://user:secret@localhost:4566",
    "http://example.com.",
]


@pytest.mark.parametrize("url", GOOD_ENDPOINTS)
def test_good_endpoint_urls_are_used(url: str) -> None:
    assert is_valid_endpoint_url(url) or is_valid_ipv6_endpoint_url(url)
    transport = InMemoryTransport([HttpResponse(200, {}, b"{}")])
    build(endpoint_url=url, transport=transport).list_queues()
    sent = transport.last.url.lower()
    host = url.lower().split("://", 1)[1].rsplit("@", 1)[-1].split("/")[0]
    assert sent.startswith(url.lower().split("://", 1)[0] + "://")
    assert host in sent


# Host parts: names (with what may not be in one), IPv4 and IPv6 addresses.
# (No ":" in names: a port is drawn apart, from 1 to 65535; botocore does not
# look at the port, and port 0 or above 65535 is a deliberate refusal.)
_HOSTS = (
    st.text(st.sampled_from("abcXYZ019-._~ %[]@"), max_size=12)
    | st.ip_addresses(v=4).map(str)
    | st.ip_addresses(v=6).map(lambda a: f"[{a}]")
)


@given(
    scheme=st.sampled_from(["http", "https", "HTTPS"]),
    host=_HOSTS,
    port=st.none() | st.integers(1, 65535),
    path=st.sampled_from(["", "/", "/p/q"]),
)
@settings(max_examples=200)
def test_http_endpoint_urls_accepted_as_botocore_accepts_them(
    scheme: str, host: str, port: int | None, path: str
) -> None:
    url = f"{scheme}://{host}" + (f":{port}" if port is not None else "") + path
    try:
        botocore_ok = bool(
            is_valid_endpoint_url(url) or is_valid_ipv6_endpoint_url(url)
        )
    except ValueError:
        botocore_ok = False  # urlsplit itself refuses it (a bad IPv6 literal)
    try:
        build(endpoint_url=url)
    except ValueError as exc:
        assert "endpoint_url" in str(exc)
        ours_ok = False
    else:
        ours_ok = True
    assert ours_ok == botocore_ok, url


# -- timeouts and region ------------------------------------------------------------


BAD_TIMEOUTS = [-1, -0.5, 0, 0.0, math.nan, math.inf, -math.inf, "5", b"5", True, [1]]


@pytest.mark.parametrize("name", ["connect_timeout", "read_timeout"])
@pytest.mark.parametrize("value", BAD_TIMEOUTS, ids=repr)
def test_bad_timeouts_fail_at_construction(name: str, value: Any) -> None:
    with pytest.raises(ValueError, match=name):
        build(**{name: value})


@given(
    name=st.sampled_from(["connect_timeout", "read_timeout"]),
    value=st.floats(allow_nan=True) | st.integers(-(10**6), 10**6),
)
@settings(max_examples=50)
def test_timeouts_positive_finite_numbers_only(name: str, value: float) -> None:
    if value > 0 and math.isfinite(value):
        build(**{name: value})
    else:
        with pytest.raises(ValueError, match=name):
            build(**{name: value})


@pytest.mark.parametrize("value", [5, b"us-east-1", ["us-east-1"], 1.5], ids=repr)
def test_region_of_the_wrong_type_fails_at_construction(value: Any) -> None:
    with pytest.raises(ValueError, match="region_name must be a str"):
        SQSClient(region_name=value, **KEYS)


@pytest.mark.parametrize(
    "value", ["us east 1", "us-east-1/", "-us", "us_east_1"], ids=repr
)
def test_invalid_region_names_fail_at_construction_as_in_botocore(value: str) -> None:
    from botocore.exceptions import InvalidRegionError

    with pytest.raises(InvalidRegionError):
        botocore.session.get_session().create_client("sqs", region_name=value, **KEYS)
    with pytest.raises(ValueError, match="region"):
        SQSClient(region_name=value, **KEYS)
