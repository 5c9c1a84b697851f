"""Many threads making their first calls on one client at once: each request
and each parsed response is what a single thread gets, so no thread ever used
a half-compiled validator, encoder or decoder, or a half-built call state."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from generated.iot import IoTClient
from generated.iot import shapes as io
from typed_aws_runtime import schema
from typed_aws_runtime.transport import HttpRequest, HttpResponse

THREADS = 8
JOB = {
    "jobArn": "arn:aws:iot:us-east-1:1:job/j",
    "jobId": "j",
    "status": "IN_PROGRESS",
    "targets": ["arn:aws:iot:us-east-1:1:thing/t"],
    "createdAt": 1700000000.5,
    "abortConfig": {
        "criteriaList": [
            {
                "failureType": "FAILED",
                "action": "CANCEL",
                "thresholdPercentage": 12.5,
                "minNumberOfExecutedThings": 3,
            }
        ]
    },
    "jobProcessDetails": {"numberOfQueuedThings": 4},
    "timeoutConfig": {"inProgressTimeoutInMinutes": 10},
}


class _Echo:
    """Thread-safe: records requests, answers with the job above."""

    def __init__(self) -> None:
        self.requests: list[HttpRequest] = []
        self._lock = threading.Lock()

    def send(self, request: HttpRequest) -> HttpResponse:
        with self._lock:
            self.requests.append(request)
        body = {"job": JOB} if request.method == "GET" else {"jobId": "j"}
        return HttpResponse(200, {"x-amzn-requestid": "r"}, json.dumps(body).encode())


def _client(transport: _Echo) -> IoTClient:
    return IoTClient(
        region_name="us-east-1",
        aws_access_key_id="AKID",
        aws_secret_access_key="secret",
        transport=transport,
    )


def _body(request: HttpRequest) -> Any:
    assert isinstance(request.body, bytes)
    return json.loads(request.body)


@pytest.fixture
def cold(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # A fresh schema means fresh shape objects: nothing compiled yet.
    monkeypatch.setattr(schema, "_SCHEMAS", {})
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        yield
    finally:
        sys.setswitchinterval(interval)


def _calls(client: IoTClient, n: int) -> io.DescribeJobResponse:
    """A create (sent with nested structures) and a describe (parsed)."""
    client.create_job(
        job_id=f"job-{n}",
        targets=[f"arn:aws:iot:us-east-1:1:thing/t{n}"],
        document='{"op": "reboot"}',
        tags=[io.Tag(key="k", value=str(n))],
        abort_config=io.AbortConfig(
            criteria_list=[
                io.AbortCriteria(
                    failure_type="FAILED",
                    action="CANCEL",
                    threshold_percentage=12.5,
                    min_number_of_executed_things=n + 1,
                )
            ]
        ),
        timeout_config=io.TimeoutConfig(in_progress_timeout_in_minutes=10 + n),
    )
    return client.describe_job(job_id=f"job-{n}")


@pytest.mark.parametrize("round_", range(6))
def test_first_calls_from_many_threads_match_a_single_thread(
    cold: None, round_: int
) -> None:
    transport = _Echo()
    client = _client(transport)
    barrier = threading.Barrier(THREADS)
    results: dict[int, Any] = {}
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            barrier.wait(5)
            results[n] = _calls(client, n)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    concurrent = {
        _body(r)["timeoutConfig"]["inProgressTimeoutInMinutes"] - 10: r
        for r in transport.requests
        if r.method == "PUT"
    }

    single = _Echo()
    alone = _client(single)
    for n in range(THREADS):
        expected = _calls(alone, n)
        assert results[n] == expected
        assert results[n].job.abort_config.criteria_list[0].threshold_percentage == 12.5
        mine = concurrent[n]
        theirs = single.requests[-2]
        assert mine.url == theirs.url
        assert _body(mine) == _body(theirs)
