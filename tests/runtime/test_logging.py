"""DEBUG log records, as botocore logs them (the request sent, each retry
decision with its reason and delay, the endpoint resolved), under the
``typed_aws_runtime`` module loggers; and no secret in any record: the secret
key, the session token, the Authorization value, sensitive members' values
(location's ``Key`` query parameter, ``PlaceId`` path label and ``Text`` body
member)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from generated.emr_serverless import EMRServerlessClient
from generated.location import LocationClient
from typed_aws_runtime.errors import ServiceError
from typed_aws_runtime.http import ConnectTimeoutError
from typed_aws_runtime.transport import HttpResponse, InMemoryTransport

ACCESS_KEY = "AKIDSENTINELACCESS"
SECRET_KEY = "sentinel-secret-key-9f8e7d"
TOKEN = "sentinel-session-token-1a2b3c"
API_KEY = "v1.public.sentinel-api-key"
PLACE_ID = "sentinel-place-id-42"
TEXT = "sentinel sensitive text"
SECRETS = (SECRET_KEY, TOKEN, API_KEY, PLACE_ID, TEXT, "sentinel-place", "Signature=")


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.DEBUG, logger="typed_aws_runtime")
    yield caplog


def _client(cls: type[LocationClient], transport: InMemoryTransport) -> LocationClient:
    client = cls(
        region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        aws_session_token=TOKEN,
        transport=transport,
    )
    client._codegen_sleep = lambda _: None
    return client


def _text(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(f"{r.name} {r.getMessage()} {r.args!r}" for r in caplog.records)


def test_request_endpoint_and_retries_are_logged_without_secrets(
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    transport = InMemoryTransport(
        [
            HttpResponse(503, {"x-amzn-ErrorType": "ServiceUnavailable"}, b"{}"),
            HttpResponse(429, {"x-amzn-ErrorType": "ThrottlingException"}, b"{}"),
        ]
    )
    client = _client(LocationClient, transport)
    client.get_place(index_name="idx", place_id=PLACE_ID, key=API_KEY)
    client.search_place_index_for_text(index_name="idx", text=TEXT, key=API_KEY)
    # The secrets really were sent: the log is where they must not be.
    sent = transport.requests[0]
    assert API_KEY in sent.url and PLACE_ID in sent.url
    assert TOKEN in sent.headers.values()
    assert TEXT.encode() in bytes(transport.requests[-1].body)  # type: ignore[arg-type]

    records = debug_logs.records
    assert {r.name for r in records} == {
        "typed_aws_runtime.client",
        "typed_aws_runtime.retries",
    }
    assert all(r.levelno == logging.DEBUG for r in records)
    messages = [r.getMessage() for r in records]
    endpoint = [m for m in messages if m.startswith("Endpoint resolved")]
    assert endpoint == [
        "Endpoint resolved for Location in us-east-1 (rule set): "
        "https://geo.us-east-1.amazonaws.com"
    ]
    sent_logs = [m for m in messages if m.startswith("Sending http request")]
    assert len(sent_logs) == 4  # three attempts of GetPlace, one search
    assert sent_logs[0].startswith(
        "Sending http request for GetPlace (attempt 1): GET "
        "https://places.geo.us-east-1.amazonaws.com/places/v0/indexes/{IndexName}/"
        "places/{PlaceId}?key=***"
    )
    assert "'Authorization': '***'" in sent_logs[0]
    assert "'X-Amz-Security-Token': '***'" in sent_logs[0]
    assert "'User-Agent'" in sent_logs[0]
    retries = [r.getMessage() for r in records if r.name.endswith("retries")]
    assert retries[0].startswith(
        "Retry needed (HTTP 503, error code ServiceUnavailable), "
        "retrying request after delay of: "
    )
    assert retries[0].endswith("(attempt 2 of 3)")
    assert "ThrottlingException" in retries[1] and retries[1].endswith(
        "(attempt 3 of 3)"
    )
    text = _text(debug_logs)
    for secret in SECRETS:
        assert secret not in text, secret


def test_giving_up_is_logged(debug_logs: pytest.LogCaptureFixture) -> None:
    transport = InMemoryTransport(
        [HttpResponse(500, {}, b"{}")] * 3
        + [HttpResponse(400, {"x-amzn-ErrorType": "ValidationException"}, b"{}")]
    )
    client = _client(LocationClient, transport)
    with pytest.raises(ServiceError):
        client.get_place(index_name="idx", place_id=PLACE_ID, key=API_KEY)
    with pytest.raises(ServiceError):
        client.get_place(index_name="idx", place_id=PLACE_ID, key=API_KEY)
    retries = [r.getMessage() for r in debug_logs.records if r.name.endswith("retries")]
    assert retries[-2].startswith("Max attempts of 3 reached (HTTP 500")
    assert retries[-1] == (
        "Not retrying request: HTTP 400, error code ValidationException"
    )
    for secret in SECRETS:
        assert secret not in _text(debug_logs), secret


def test_transport_errors_are_logged_by_type(
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    url = f"https://places.geo.us-east-1.amazonaws.com/x?key={API_KEY}"

    def fail(_: object) -> HttpResponse:
        raise ConnectTimeoutError(url)

    transport = InMemoryTransport([fail, fail, fail])
    client = _client(LocationClient, transport)
    with pytest.raises(ConnectTimeoutError):
        client.get_place(index_name="idx", place_id=PLACE_ID, key=API_KEY)
    messages = [r.getMessage() for r in debug_logs.records]
    assert (
        "Exception received when sending HTTP request for GetPlace: "
        "ConnectTimeoutError"
    ) in messages
    assert any(m.startswith("Retry needed (ConnectTimeoutError)") for m in messages)
    assert API_KEY not in _text(debug_logs)


def test_configured_endpoint_is_logged_without_userinfo(
    debug_logs: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_EMR_SERVERLESS", "http://u:pw@127.0.0.1:9")
    transport = InMemoryTransport()
    EMRServerlessClient(
        region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        transport=transport,
    ).list_applications()
    assert transport.last.url.startswith("http://u:pw@127.0.0.1:9/")
    messages = [r.getMessage() for r in debug_logs.records]
    assert (
        "Endpoint resolved for EMR Serverless in us-east-1 (configured endpoint "
        "URL): http://127.0.0.1:9"
    ) in messages
    assert "pw" not in _text(debug_logs)


def test_nothing_is_logged_above_debug(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="typed_aws_runtime")
    transport = InMemoryTransport([HttpResponse(503, {}, b"{}")])
    _client(LocationClient, transport).get_place(
        index_name="idx", place_id=PLACE_ID, key=API_KEY
    )
    assert [r for r in caplog.records if r.name.startswith("typed_aws_runtime")] == []
