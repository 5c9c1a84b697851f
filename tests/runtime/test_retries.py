"""Retry decisions, backoff and quota against botocore.retries.standard."""

from __future__ import annotations

from functools import cache
from typing import Any

import botocore.exceptions as bexc
import botocore.session
from botocore.awsrequest import AWSRequest
from botocore.handlers import add_retry_headers
from botocore.retries import quota as bquota
from botocore.retries import standard
from hypothesis import given, settings
from hypothesis import strategies as st

from typed_aws_runtime import http
from typed_aws_runtime.retries import (
    THROTTLING_ERROR_CODES,
    RetryPolicy,
    RetryQuota,
    amz_sdk_request_header,
)

URL = "https://omics.us-east-1.amazonaws.com/x"


@cache
def _operation() -> Any:
    # An operation whose model marks some of its errors retryable.
    model = botocore.session.get_session().get_service_model("omics")
    return model.operation_model("GetReadSet")


def _modeled_codes() -> frozenset[str]:
    return frozenset(
        shape.metadata.get("error", {}).get("code") or shape.name
        for shape in _operation().error_shapes
        if shape.metadata.get("retryable") is not None
    )


class _HttpResponse:
    def __init__(self, status_code: int) -> None:
        self.status_code = status_code
        self.headers: dict[str, str] = {}
        self.content = b""


# Each of our exceptions, and what botocore's HTTP layer raises in its place.
EXCEPTIONS: dict[str, tuple[BaseException, BaseException]] = {
    "connect": (
        http.EndpointConnectionError(URL),
        bexc.EndpointConnectionError(endpoint_url=URL),
    ),
    "connect-timeout": (
        http.ConnectTimeoutError(URL),
        bexc.ConnectTimeoutError(endpoint_url=URL),
    ),
    "read-timeout": (
        http.ReadTimeoutError(URL),
        bexc.ReadTimeoutError(endpoint_url=URL),
    ),
    "closed": (
        http.ConnectionClosedError(URL),
        bexc.ConnectionClosedError(endpoint_url=URL),
    ),
    "ssl": (http.SSLError(URL), bexc.SSLError(endpoint_url=URL, error="x")),
    "transport": (http.TransportError(URL), bexc.HTTPClientError(error="x")),
    # From a custom transport: a raw socket error is what botocore's HTTP
    # layer wraps in HTTPClientError; a raw timeout is what urllib3 turns
    # into the ReadTimeoutError botocore then raises.
    "builtin-reset": (ConnectionResetError(), bexc.HTTPClientError(error="x")),
    "builtin-timeout": (TimeoutError(), bexc.ReadTimeoutError(endpoint_url=URL)),
    "not-network": (ValueError("bad"), ValueError("bad")),
}
ERROR_CODES = sorted(THROTTLING_ERROR_CODES) + [
    "RequestTimeout",
    "RequestTimeoutException",
    "InternalServerException",
    "RangeNotSatisfiableException",
    "ThrottlingException",
    "ValidationException",
    "AccessDeniedException",
    "IDPCommunicationError",
]
STATUS_CODES = [200, 204, 400, 403, 404, 408, 409, 416, 429, 500, 501, 502, 503, 504]

responses = st.tuples(
    st.sampled_from(STATUS_CODES), st.one_of(st.none(), st.sampled_from(ERROR_CODES))
)
outcomes = st.one_of(
    responses.map(lambda r: ("response", r)),
    st.sampled_from(sorted(EXCEPTIONS)).map(lambda e: ("exception", e)),
)


def _botocore_context(
    attempt: int, outcome: tuple[str, Any], ctx: dict[str, Any]
) -> Any:
    kind, value = outcome
    if kind == "exception":
        return standard.RetryContext(
            attempt_number=attempt,
            operation_model=_operation(),
            caught_exception=EXCEPTIONS[value][1],
            request_context=ctx,
        )
    status, code = value
    parsed = {"Error": {"Code": code}} if code is not None else {}
    return standard.RetryContext(
        attempt_number=attempt,
        operation_model=_operation(),
        http_response=_HttpResponse(status),
        parsed_response=parsed,
        request_context=ctx,
    )


def _our_inputs(
    outcome: tuple[str, Any],
) -> tuple[int | None, str | None, BaseException | None]:
    kind, value = outcome
    if kind == "exception":
        return None, None, EXCEPTIONS[value][0]
    status, code = value
    return status, code, None


@settings(max_examples=300, deadline=None)
@given(attempt=st.integers(1, 6), max_attempts=st.integers(1, 6), outcome=outcomes)
def test_should_retry_matches_standard_conditions(
    attempt: int, max_attempts: int, outcome: tuple[str, Any]
) -> None:
    conditions = standard.StandardRetryConditions(max_attempts=max_attempts)
    expected = conditions.is_retryable(_botocore_context(attempt, outcome, {}))
    status, code, exception = _our_inputs(outcome)
    policy = RetryPolicy(max_attempts)
    actual = policy.should_retry(
        attempt, status, code, exception, modeled_retryable_codes=_modeled_codes()
    )
    assert actual is expected


@settings(max_examples=200, deadline=None)
@given(attempt=st.integers(1, 12), rand=st.floats(0, 1, exclude_max=True))
def test_delay_matches_exponential_backoff(attempt: int, rand: float) -> None:
    backoff = standard.ExponentialBackoff(random=lambda: rand)
    context = standard.RetryContext(attempt_number=attempt)
    policy = RetryPolicy(random=lambda: rand)
    assert policy.delay(attempt) == backoff.delay_amount(context)
    assert 0 <= policy.delay(attempt) <= 20


def _botocore_handler(max_attempts: int, capacity: int, rand: float) -> tuple[Any, Any]:
    retry_quota = bquota.RetryQuota(initial_capacity=capacity)
    checker = standard.RetryQuotaChecker(retry_quota)
    handler = standard.RetryHandler(
        retry_policy=standard.RetryPolicy(
            retry_checker=standard.StandardRetryConditions(max_attempts=max_attempts),
            retry_backoff=standard.ExponentialBackoff(random=lambda: rand),
        ),
        retry_event_adapter=standard.RetryEventAdapter(),
        retry_quota=checker,
    )
    return handler, checker


def _needs_retry_kwargs(
    attempt: int, outcome: tuple[str, Any], ctx: dict[str, Any]
) -> dict[str, Any]:
    kind, value = outcome
    kwargs: dict[str, Any] = {
        "attempts": attempt,
        "operation": _operation(),
        "request_dict": {"context": ctx},
        "response": None,
        "caught_exception": None,
    }
    if kind == "exception":
        kwargs["caught_exception"] = EXCEPTIONS[value][1]
    else:
        status, code = value
        parsed = {"Error": {"Code": code}} if code is not None else {}
        kwargs["response"] = (_HttpResponse(status), parsed)
    return kwargs


@settings(max_examples=150, deadline=None)
@given(
    calls=st.lists(st.lists(outcomes, min_size=1, max_size=6), min_size=1, max_size=12),
    max_attempts=st.integers(1, 5),
    capacity=st.sampled_from([0, 5, 12, 30, 500]),
)
def test_quota_and_delays_match_retry_handler(
    calls: list[list[tuple[str, Any]]], max_attempts: int, capacity: int
) -> None:
    """Whole calls, attempt by attempt: same delays, same capacity left."""
    handler, checker = _botocore_handler(max_attempts, capacity, 0.5)
    policy = RetryPolicy(
        max_attempts, quota=RetryQuota(initial_capacity=capacity), random=lambda: 0.5
    )
    for outcomes_of_call in calls:
        ctx: dict[str, Any] = {}
        state = policy.begin()
        for index, outcome in enumerate(outcomes_of_call, start=1):
            expected = handler.needs_retry(**_needs_retry_kwargs(index, outcome, ctx))
            status, code, exception = _our_inputs(outcome)
            actual = policy.next_delay(
                state, status, code, exception, modeled_retryable_codes=_modeled_codes()
            )
            assert actual == expected
            assert policy.quota.available_capacity == checker._quota.available_capacity
            if expected is None:
                if status is not None:
                    checker.release_retry_quota(ctx, _HttpResponse(status))
                    policy.record_success(state, status)
                break
            assert state.attempt == index + 1
        assert policy.quota.available_capacity == checker._quota.available_capacity


def test_quota_costs_and_refunds() -> None:
    quota = RetryQuota()
    policy = RetryPolicy(quota=quota)
    state = policy.begin()
    assert policy.next_delay(state, None, None, http.ReadTimeoutError(URL)) is not None
    assert quota.available_capacity == 490  # a timeout costs 10
    assert policy.next_delay(state, 503, None, None) is not None
    assert quota.available_capacity == 485  # any other retry costs 5
    assert policy.next_delay(state, 503, None, None) is None  # attempts exhausted
    policy.record_success(state, 200)
    assert quota.available_capacity == 490  # refund what the last retry took
    policy.record_success(policy.begin(), 200)
    assert quota.available_capacity == 491  # no retry: refund 1
    policy.record_success(policy.begin(), 404)
    assert quota.available_capacity == 491  # only 2xx refund


def test_amz_sdk_request_header_matches_botocore() -> None:
    for retries_context, attempt, max_attempts in [
        ({"attempt": 1}, 1, None),
        ({"attempt": 1, "max": 3}, 1, 3),
        ({"attempt": 2, "max": 5}, 2, 5),
    ]:
        request = AWSRequest(method="GET", url=URL)
        request.context["retries"] = {**retries_context, "invocation-id": "id"}
        add_retry_headers(request)
        assert (
            amz_sdk_request_header(attempt, max_attempts)
            == request.headers["amz-sdk-request"]
        )
    assert amz_sdk_request_header(1, 3) == "attempt=1; max=3"


def test_invalid_max_attempts() -> None:
    try:
        RetryPolicy(0)
    except ValueError as error:
        assert "max_attempts" in str(error)
    else:  # pragma: no cover
        raise AssertionError("expected ValueError")
