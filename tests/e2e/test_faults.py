"""Faults against a local server: retries as botocore's ``standard`` mode.

Each fault is scripted on the local server, then met by our client and by a
botocore client (both with random jitter patched to 1 and sleeping into a
recorder): both must make the same attempts, send the same
``amz-sdk-request`` headers, wait the same delays (1, 2, 4... capped at 20),
re-sign every attempt, keep the idempotency token, and end with the same
kind of error.
"""

from __future__ import annotations

import datetime
import re
import types
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import botocore.config
import botocore.exceptions
import pytest
from botocore.retries.standard import ExponentialBackoff

from generated.location import LocationClient, errors, shapes
from generated.omics import OmicsClient
from generated.omics import errors as omics_errors
from tests.e2e.support import (
    ACCESS_KEY,
    REGION,
    SECRET_KEY,
    Reply,
    ScriptedAwsServer,
    error_reply,
)
from typed_aws_runtime import http
from typed_aws_runtime.errors import ServiceError
from typed_aws_runtime.retries import RetryPolicy

ROLE = "arn:aws:iam::123456789012:role/e2e"
OK = Reply(
    200,
    {
        "CreatedAt": "2024-05-01T00:00:00Z",
        "JobArn": "arn:aws:geo:::job/j",
        "JobId": "j",
        "Status": "Pending",
    },
)
# Only the read-timeout fault gets a short read timeout: a loaded machine
# must not turn the other faults' answers into timeouts.
READ_TIMEOUT = 0.4


def _start_job_args() -> dict[str, Any]:
    return dict(
        action="ValidateAddress",
        execution_role_arn=ROLE,
        input_options=shapes.JobInputOptions(location="s3://in/", format="Parquet"),
        output_options=shapes.JobOutputOptions(format="Parquet", location="s3://out/"),
    )


_BOTO_ARGS = dict(
    Action="ValidateAddress",
    ExecutionRoleArn=ROLE,
    InputOptions={"Location": "s3://in/", "Format": "Parquet"},
    OutputOptions={"Format": "Parquet", "Location": "s3://out/"},
)


@pytest.fixture(autouse=True)
def _jitter_is_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """random() -> 1 in our policy and in botocore's standard backoff."""
    monkeypatch.setitem(RetryPolicy.__init__.__kwdefaults__, "random", lambda: 1.0)
    defaults = list(ExponentialBackoff.__init__.__defaults__ or ())
    defaults[1] = lambda: 1.0  # (max_backoff, random, service_name, detector)
    monkeypatch.setattr(ExponentialBackoff.__init__, "__defaults__", tuple(defaults))


@pytest.fixture
def botocore_sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """What botocore's endpoint would have slept, instead of sleeping."""
    slept: list[float] = []
    monkeypatch.setattr(
        "botocore.endpoint.time", types.SimpleNamespace(sleep=slept.append)
    )
    return slept


class Ours:
    """Our client, with its sleeps recorded."""

    def __init__(self, server: ScriptedAwsServer, **options: Any) -> None:
        self.client = LocationClient(
            endpoint_url=server.endpoint_url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            **options,
        )
        self.slept: list[float] = []
        self.client._codegen_sleep = self.slept.append


@pytest.fixture
def ours(aws_server: ScriptedAwsServer) -> Iterator[Callable[..., Ours]]:
    made: list[Ours] = []

    def make(**options: Any) -> Ours:
        made.append(Ours(aws_server, **options))
        return made[-1]

    yield make
    for o in made:
        o.client.close()


def _botocore(server: ScriptedAwsServer, max_attempts: int, read_timeout: float) -> Any:
    return boto3.session.Session().client(
        "location",
        endpoint_url=server.endpoint_url,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=botocore.config.Config(
            retries={"mode": "standard", "total_max_attempts": max_attempts},
            read_timeout=read_timeout,
        ),
    )


FAULTS: dict[str, Callable[[], Reply]] = {
    "500-modelled": lambda: error_reply(500, "InternalServerException", "boom"),
    "502-empty": lambda: Reply(502, b""),
    "503-html": lambda: Reply(
        503,
        b"<html><body>Service Unavailable</body></html>",
        {"Content-Type": "text/html"},
        request_id=None,
    ),
    "504-json": lambda: error_reply(504, None, "gateway timeout"),
    "400-throttling-header": lambda: error_reply(
        400, "ThrottlingException:http://x/", "slow down"
    ),
    "429-throttling": lambda: error_reply(429, "ThrottlingException", "rate exceeded"),
    "429-too-many-requests": lambda: error_reply(429, "TooManyRequestsException", "no"),
    "400-request-timeout-in-body": lambda: error_reply(
        400, "RequestTimeout", "late", in_header=False
    ),
    "connection-reset": lambda: Reply(reset=True),
    "read-timeout": lambda: Reply(delay=READ_TIMEOUT * 3),
}
# What each ends with: our exception class, botocore's error code or exception.
OUTCOMES: dict[str, tuple[type[BaseException], str | type[BaseException]]] = {
    "500-modelled": (errors.InternalServerException, "InternalServerException"),
    "502-empty": (errors.LocationError, "502"),
    "503-html": (errors.LocationError, "503"),
    "504-json": (errors.LocationError, "504"),
    "400-throttling-header": (errors.ThrottlingException, "ThrottlingException"),
    "429-throttling": (errors.ThrottlingException, "ThrottlingException"),
    "429-too-many-requests": (errors.LocationError, "TooManyRequestsException"),
    "400-request-timeout-in-body": (errors.LocationError, "RequestTimeout"),
    "connection-reset": (
        http.ConnectionClosedError,
        botocore.exceptions.ConnectionClosedError,
    ),
    "read-timeout": (http.ReadTimeoutError, botocore.exceptions.ReadTimeoutError),
}


def _sdk_requests(requests: list[Any], read_timeout: float) -> list[str]:
    """The amz-sdk-request headers, each ttl checked then masked.

    After a response with a ``Date`` header botocore adds
    ``ttl=<Date + read_timeout>``; the server's clock is ours here.
    """
    values = []
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    for request in requests:
        value = request.header("amz-sdk-request") or ""
        match = re.match(r"ttl=(\d{8}T\d{6}Z); ", value)
        if match:
            moment = datetime.datetime.strptime(match[1], "%Y%m%dT%H%M%SZ")
            assert abs((moment - now).total_seconds() - read_timeout) < 30
            value = "ttl=T; " + value[match.end() :]
        values.append(value)
    return values


@pytest.mark.parametrize("fault", list(FAULTS))
def test_fault_is_retried_like_botocore(
    fault: str,
    aws_server: ScriptedAwsServer,
    ours: Callable[..., Ours],
    botocore_sleeps: list[float],
) -> None:
    attempts = 4
    ours_class, boto_outcome = OUTCOMES[fault]
    aws_server.script(*(FAULTS[fault]() for _ in range(attempts)))
    read_timeout = READ_TIMEOUT if fault == "read-timeout" else 60.0
    mine = ours(max_attempts=attempts, read_timeout=read_timeout)
    with pytest.raises(ours_class) as caught:
        mine.client.start_job(**_start_job_args())
    requests = aws_server.take()

    aws_server.script(*(FAULTS[fault]() for _ in range(attempts)))
    with pytest.raises(Exception) as boto_caught:
        _botocore(aws_server, attempts, read_timeout).start_job(**_BOTO_ARGS)
    boto_requests = aws_server.take()

    # Same attempts, same amz-sdk-request headers, same delays.
    assert len(requests) == len(boto_requests) == attempts
    ttl = "ttl=T; " if fault not in ("connection-reset", "read-timeout") else ""
    assert (
        _sdk_requests(requests, read_timeout)
        == _sdk_requests(boto_requests, read_timeout)
        == [
            "attempt=1",
            f"{ttl}attempt=2; max=4",
            f"{ttl}attempt=3; max=4",
            f"{ttl}attempt=4; max=4",
        ]
    )
    assert mine.slept == botocore_sleeps == [1.0, 2.0, 4.0]
    # One invocation, one idempotency token, every attempt signed afresh.
    assert len({r.header("amz-sdk-invocation-id") for r in requests}) == 1
    tokens = {r.json()["ClientToken"] for r in requests}
    assert len(tokens) == 1 and len(tokens.pop()) == 36
    aws_server.reset(service="geo")  # keep the signature results above
    assert all(r.signature_problem is None for r in requests + boto_requests)

    # Same kind of error at the end.
    error = caught.value
    if isinstance(boto_outcome, str):
        assert isinstance(boto_caught.value, botocore.exceptions.ClientError)
        assert isinstance(error, ServiceError)
        boto_error = boto_caught.value.response["Error"]
        assert error.code == boto_error["Code"] == boto_outcome
        assert (
            error.status_code
            == boto_caught.value.response["ResponseMetadata"]["HTTPStatusCode"]
        )
    else:
        assert isinstance(boto_caught.value, boto_outcome)
        assert isinstance(error, http.TransportError)
        assert aws_server.endpoint_url.replace(
            "localhost", "metadata.localhost"
        ) in str(error)


def test_recovers_after_transient_failures(
    aws_server: ScriptedAwsServer, ours: Callable[..., Ours]
) -> None:
    aws_server.script(
        Reply(503, b""),
        Reply(reset=True),
        error_reply(429, "ThrottlingException", "slow"),
        OK,
    )
    mine = ours(max_attempts=5)
    result = mine.client.start_job(**_start_job_args())
    assert result.job_id == "j"
    requests = aws_server.take()
    assert len(requests) == 4 and mine.slept == [1.0, 2.0, 4.0]
    assert len({r.json()["ClientToken"] for r in requests}) == 1
    assert all(r.signature_problem is None for r in requests)


def test_backoff_is_capped_at_20_seconds(
    aws_server: ScriptedAwsServer, ours: Callable[..., Ours]
) -> None:
    aws_server.script(*(Reply(500, b"") for _ in range(8)))
    mine = ours(max_attempts=8)
    with pytest.raises(errors.LocationError) as caught:
        mine.client.start_job(**_start_job_args())
    assert caught.value.code == "500"
    assert mine.slept == [1.0, 2.0, 4.0, 8.0, 16.0, 20.0, 20.0]
    assert len(aws_server.take()) == 8


@pytest.mark.parametrize(
    "reply",
    [
        error_reply(400, "ValidationException", "bad", reason="Missing", fieldList=[]),
        error_reply(403, "AccessDeniedException", "denied"),
        error_reply(404, "ResourceNotFoundException", "gone"),
        error_reply(409, "ConflictException", "conflict"),
        error_reply(400, "SomethingUnmodelled", "new error"),
    ],
    ids=lambda r: r.headers.get("x-amzn-ErrorType"),
)
def test_client_errors_are_not_retried(
    reply: Reply, aws_server: ScriptedAwsServer, ours: Callable[..., Ours]
) -> None:
    aws_server.script(reply, OK)
    mine = ours(max_attempts=5)
    with pytest.raises(errors.LocationError) as caught:
        mine.client.start_job(**_start_job_args())
    assert caught.value.code == reply.headers["x-amzn-ErrorType"]
    assert len(aws_server.take()) == 1 and mine.slept == []


def test_default_is_three_attempts(
    aws_server: ScriptedAwsServer, ours: Callable[..., Ours]
) -> None:
    aws_server.script(*(Reply(503, b"") for _ in range(4)))
    mine = ours()
    with pytest.raises(errors.LocationError):
        mine.client.start_job(**_start_job_args())
    assert len(aws_server.take()) == 3 and mine.slept == [1.0, 2.0]


def test_each_attempt_is_signed_again_with_the_clock(
    aws_server: ScriptedAwsServer, ours: Callable[..., Ours]
) -> None:
    start = datetime.datetime(2024, 2, 29, 23, 59, 58, tzinfo=datetime.UTC)
    ticks = iter(start + datetime.timedelta(seconds=3 * n) for n in range(10))
    aws_server.script(Reply(500, b""), Reply(500, b""), OK)
    mine = ours(max_attempts=3)
    mine.client._codegen_clock = lambda: next(ticks)
    mine.client.start_job(**_start_job_args())
    requests = aws_server.take()
    assert [r.header("X-Amz-Date") for r in requests] == [
        "20240229T235958Z",
        "20240301T000001Z",
        "20240301T000004Z",
    ]
    # The date moved across midnight: a new scope, a new signature, each valid.
    assert "/20240229/us-east-1/geo/aws4_request" in (
        requests[0].header("Authorization") or ""
    )
    assert "/20240301/us-east-1/geo/aws4_request" in (
        requests[1].header("Authorization") or ""
    )
    assert len({r.header("Authorization") for r in requests}) == 3
    assert all(r.signature_problem is None for r in requests), [
        r.signature_problem for r in requests
    ]


def test_retry_headers_are_sent_but_not_signed(
    aws_server: ScriptedAwsServer, ours: Callable[..., Ours]
) -> None:
    # Regression: botocore adds amz-sdk-invocation-id / amz-sdk-request after
    # signing; we used to sign them, so SignedHeaders differed from botocore's.
    aws_server.script(Reply(500, b""), OK)
    ours(max_attempts=2).client.start_job(**_start_job_args())
    for request in aws_server.take():
        signed = (request.header("Authorization") or "").split("SignedHeaders=")[1]
        assert signed.startswith("content-type;host;x-amz-date,")
        assert request.header("amz-sdk-request") and request.header(
            "amz-sdk-invocation-id"
        )
        assert request.signature_problem is None


class _Pipe:
    """A one-shot stream: read() only, no seek or tell."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def read(self, size: int = -1) -> bytes:
        size = len(self._data) if size is None or size < 0 else size
        piece, self._data = self._data[:size], self._data[size:]
        return piece


@pytest.mark.parametrize(
    "make_body",
    [
        lambda data: _Pipe(data),
        lambda data: _Unseekable(data),
    ],
    ids=["read-only", "raw-unseekable"],
)
def test_unrewindable_upload_is_not_retried(
    make_body: Callable[[bytes], Any], aws_server: ScriptedAwsServer
) -> None:
    # Regression: a retry would resend what is left of a consumed stream (and
    # a RawIOBase that cannot tell() crashed the call before sending anything).
    aws_server.reset(service="omics")
    aws_server.script(error_reply(503, None, "busy"), Reply(200, {"checksum": "c"}))
    client = OmicsClient(
        endpoint_url=aws_server.endpoint_url,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )
    slept: list[float] = []
    client._codegen_sleep = slept.append
    data = b"read-set-part" * 10_000
    with pytest.raises(omics_errors.OmicsError) as caught:
        client.upload_read_set_part(
            sequence_store_id="1234567890",
            upload_id="1029384756",
            part_source="SOURCE1",
            part_number=1,
            payload=make_body(data),
        )
    assert caught.value.status_code == 503
    (request,) = aws_server.take()
    assert request.body == data and request.chunked
    assert request.signature_problem is None
    assert slept == []
    client.close()


class _Unseekable:
    """Like a pipe opened with open(): seekable() is False, tell() raises."""

    def __init__(self, data: bytes) -> None:
        import io

        self._raw = io.BytesIO(data)

    def read(self, size: int = -1) -> bytes:
        return self._raw.read(size)

    def seekable(self) -> bool:
        return False

    def tell(self) -> int:
        raise OSError("Illegal seek")

    def seek(self, *args: Any) -> int:
        raise OSError("Illegal seek")


def test_seekable_upload_is_rewound_for_each_attempt(
    aws_server: ScriptedAwsServer, tmp_path: Any
) -> None:
    aws_server.reset(service="omics")
    aws_server.script(
        error_reply(503, None, "busy"), Reply(reset=True), Reply(200, {"checksum": "c"})
    )
    client = OmicsClient(
        endpoint_url=aws_server.endpoint_url,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        max_attempts=3,
    )
    client._codegen_sleep = lambda _: None
    source = tmp_path / "part"
    data = bytes(range(256)) * 4096
    source.write_bytes(b"HEADER" + data)
    with source.open("rb") as f:
        f.seek(6)  # the upload starts where the file is, not at 0
        result = client.upload_read_set_part(
            sequence_store_id="1234567890",
            upload_id="1029384756",
            part_source="SOURCE1",
            part_number=1,
            payload=f,
        )
    assert result.checksum == "c"
    requests = aws_server.take()
    assert [len(r.body) for r in requests] == [len(data)] * 3
    assert all(r.body == data and r.signature_problem is None for r in requests)
    client.close()


def test_ttl_follows_the_server_date_like_botocore() -> None:
    # Regression: botocore puts ``ttl=<Date + read_timeout>`` in front of
    # amz-sdk-request on a retry after any response with a Date header.
    from typed_aws_runtime.transport import HttpResponse, InMemoryTransport

    dated = {"Date": "Wed, 21 Oct 2015 07:28:00 GMT"}
    transport = InMemoryTransport(
        [
            HttpResponse(503, dated, b""),
            HttpResponse(503, {}, b""),  # no Date: the ttl is kept
            HttpResponse(503, {"date": "Wed, 21 Oct 2015 07:29:30 GMT"}, b""),
            HttpResponse(200, {}, OK.payload()),
        ]
    )
    client = LocationClient(
        endpoint_url="http://localhost:1",
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        max_attempts=4,
        read_timeout=60,
        transport=transport,
    )
    client._codegen_sleep = lambda _: None
    client.start_job(**_start_job_args())
    assert [r.headers["amz-sdk-request"] for r in transport.requests] == [
        "attempt=1",
        "ttl=20151021T072900Z; attempt=2; max=4",
        "ttl=20151021T072900Z; attempt=3; max=4",
        "ttl=20151021T073030Z; attempt=4; max=4",
    ]
