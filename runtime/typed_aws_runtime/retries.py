"""Retries as botocore's ``standard`` mode (``botocore.retries.standard``).

A call is retried while attempts remain and the failure is transient
(RequestTimeout-like codes, HTTP 500/502/503/504, a connection error or
timeout), throttled (the fixed list of throttling codes) or modelled as
retryable (the ``retryable`` trait on the operation's error shapes). Each
retry takes capacity from a token bucket shared by a client's calls and
waits ``random() * min(2 ** (attempt - 1), 20)`` seconds.

Typical use by a client, per call::

    state = policy.begin()
    while True:
        ... send attempt ``state.attempt`` ...
        delay = policy.next_delay(state, status, code, exception)
        if delay is None:
            break  # success, or a failure to raise
        time.sleep(delay)
    policy.record_success(state, status)  # only on a 2xx response
"""

from __future__ import annotations

import random as _random
import threading
from collections.abc import Callable, Container

from .http import ConnectTimeoutError, ReadTimeoutError, TransportError
from .logs import LazyLogger

__all__ = [
    "RETRYABLE_EXCEPTIONS",
    "THROTTLING_ERROR_CODES",
    "TRANSIENT_ERROR_CODES",
    "TRANSIENT_STATUS_CODES",
    "RetryPolicy",
    "RetryQuota",
    "RetryState",
    "amz_sdk_request_header",
]

# botocore's retries/standard.py logs each decision at DEBUG; so does this.
_log = LazyLogger(__name__)
_DEBUG = 10  # logging.DEBUG

THROTTLING_ERROR_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "TransactionInProgressException",
        "RequestLimitExceeded",
        "BandwidthLimitExceeded",
        "LimitExceededException",
        "RequestThrottled",
        "SlowDown",
        "PriorRequestNotComplete",
        "EC2ThrottledException",
    }
)
TRANSIENT_ERROR_CODES = frozenset(
    {"RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete"}
)
TRANSIENT_STATUS_CODES = frozenset({500, 502, 503, 504})
# What botocore's HTTP layer raises as ConnectionError / HTTPClientError.
# Built-in connection and timeout errors count too, for custom transports.
RETRYABLE_EXCEPTIONS: tuple[type[BaseException], ...] = (
    TransportError,
    ConnectionError,
    TimeoutError,
)
_TIMEOUT_EXCEPTIONS: tuple[type[BaseException], ...] = (
    ConnectTimeoutError,
    ReadTimeoutError,
    TimeoutError,
)


class RetryQuota:
    """Token bucket bounding retries across all calls of one client."""

    INITIAL_CAPACITY = 500

    def __init__(self, initial_capacity: int = INITIAL_CAPACITY) -> None:
        self._max_capacity = initial_capacity
        self._available = initial_capacity
        self._lock = threading.Lock()

    @property
    def available_capacity(self) -> int:
        return self._available

    def acquire(self, amount: int) -> bool:
        """Take ``amount``; False (and nothing taken) when there is not enough."""
        with self._lock:
            if amount > self._available:
                return False
            self._available -= amount
            return True

    def release(self, amount: int) -> None:
        """Give back ``amount``, never beyond the initial capacity."""
        if self._available == self._max_capacity:
            return  # The common case: a full bucket needs no lock.
        with self._lock:
            self._available = min(self._max_capacity, self._available + amount)


class RetryState:
    """Progress of one call: the current attempt and the capacity it holds."""

    __slots__ = ("acquired", "attempt")

    def __init__(self) -> None:
        self.attempt = 1
        self.acquired: int | None = None


class RetryPolicy:
    """botocore ``standard`` retry decisions, backoff and quota accounting."""

    RETRY_COST = 5
    TIMEOUT_RETRY_COST = 10
    NO_RETRY_INCREMENT = 1
    BASE = 2
    MAX_BACKOFF = 20.0

    def __init__(
        self,
        max_attempts: int = 3,
        *,
        quota: RetryQuota | None = None,
        random: Callable[[], float] = _random.random,
    ) -> None:
        if max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, not {max_attempts}")
        self.max_attempts = max_attempts
        self.quota = quota if quota is not None else RetryQuota()
        self._random = random

    def is_retryable(
        self,
        status_code: int | None,
        error_code: str | None,
        exception: BaseException | None,
        *,
        modeled_retryable_codes: Container[str] = (),
    ) -> bool:
        """Whether the failure is of a retryable kind, attempts aside.

        ``modeled_retryable_codes``: error codes of the operation's error
        shapes that carry the ``retryable`` trait.
        """
        if error_code is not None and (
            error_code in TRANSIENT_ERROR_CODES
            or error_code in THROTTLING_ERROR_CODES
            or error_code in modeled_retryable_codes
        ):
            return True
        if status_code in TRANSIENT_STATUS_CODES:
            return True
        return isinstance(exception, RETRYABLE_EXCEPTIONS)

    def should_retry(
        self,
        attempt: int,
        status_code: int | None,
        error_code: str | None,
        exception: BaseException | None,
        *,
        modeled_retryable_codes: Container[str] = (),
    ) -> bool:
        """Whether failed attempt ``attempt`` (1-based) deserves another."""
        return attempt < self.max_attempts and self.is_retryable(
            status_code,
            error_code,
            exception,
            modeled_retryable_codes=modeled_retryable_codes,
        )

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt ``attempt``: full jitter."""
        return self._random() * min(float(self.BASE ** (attempt - 1)), self.MAX_BACKOFF)

    def retry_cost(self, exception: BaseException | None) -> int:
        return (
            self.TIMEOUT_RETRY_COST
            if isinstance(exception, _TIMEOUT_EXCEPTIONS)
            else self.RETRY_COST
        )

    def begin(self) -> RetryState:
        return RetryState()

    def next_delay(
        self,
        state: RetryState,
        status_code: int | None,
        error_code: str | None,
        exception: BaseException | None,
        *,
        modeled_retryable_codes: Container[str] = (),
    ) -> float | None:
        """Seconds to wait before the next attempt, or None to stop here.

        Stops when the outcome is not retryable, attempts are exhausted, or
        the quota is empty. Otherwise takes quota and advances ``state``.
        """
        debug = _log.isEnabledFor(_DEBUG)
        if not self.is_retryable(
            status_code,
            error_code,
            exception,
            modeled_retryable_codes=modeled_retryable_codes,
        ):
            if debug:
                _log.debug(
                    "Not retrying request: %s",
                    _reason(status_code, error_code, exception),
                )
            return None
        if state.attempt >= self.max_attempts:
            if debug:
                _log.debug(
                    "Max attempts of %s reached (%s).",
                    self.max_attempts,
                    _reason(status_code, error_code, exception),
                )
            return None
        cost = self.retry_cost(exception)
        if not self.quota.acquire(cost):
            if debug:
                _log.debug(
                    "Retry needed but retry quota reached, not retrying request."
                )
            return None
        state.acquired = cost
        delay = self.delay(state.attempt)
        if debug:
            _log.debug(
                "Retry needed (%s), retrying request after delay of: %.3f s "
                "(attempt %d of %d)",
                _reason(status_code, error_code, exception),
                delay,
                state.attempt + 1,
                self.max_attempts,
            )
        state.attempt += 1
        return delay

    def record_success(self, state: RetryState, status_code: int) -> None:
        """Refill the quota after a 2xx: what the last retry took, else 1."""
        if 200 <= status_code < 300:
            refund = (
                self.NO_RETRY_INCREMENT if state.acquired is None else state.acquired
            )
            self.quota.release(refund)


def _reason(
    status_code: int | None, error_code: str | None, exception: BaseException | None
) -> str:
    # The exception's type only: its message may hold a URL with a query.
    if exception is not None:
        return type(exception).__name__
    return f"HTTP {status_code}" + (f", error code {error_code}" if error_code else "")


def amz_sdk_request_header(attempt: int, max_attempts: int | None) -> str:
    """The ``amz-sdk-request`` header value, e.g. ``"attempt=1; max=3"``.

    botocore itself sends ``max`` only from the second attempt on (it learns
    it from the retry checker); pass ``max_attempts=None`` to copy that.
    """
    if max_attempts is None:
        return f"attempt={attempt}"
    return f"attempt={attempt}; max={max_attempts}"
