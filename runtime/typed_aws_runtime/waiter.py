"""Waiters: botocore's ``Waiter.wait`` over a typed client.

A generated waiter class carries its ``waiters-2.json`` entry as a
:class:`WaiterSpec`. Each attempt calls the client method; the outcome is
put in botocore's dict form (the output by member names plus
``ResponseMetadata``, or ``{"Error": {"Code", "Message"}, ...}`` for a
service error) and the acceptors are matched against it exactly as
``botocore.waiter`` matches them (``jmespath``, imported on first use).
Between attempts the waiter sleeps through ``client._codegen_sleep``.
The polling itself (:meth:`WaiterBase._polls`) does no I/O: :class:`Waiter`
calls and sleeps blocking, :class:`AsyncWaiter` awaits both.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from typed_aws_runtime.errors import ClientError, ServiceError
from typed_aws_runtime.paginate import Registry, to_wire

if TYPE_CHECKING:
    from typed_aws_runtime.aio import AsyncBaseClient
    from typed_aws_runtime.client import BaseClient
    from typed_aws_runtime.transport import HttpResponse

__all__ = [
    "Acceptor",
    "AsyncWaiter",
    "Registry",
    "Waiter",
    "WaiterError",
    "WaiterFailureError",
    "WaiterSpec",
    "WaiterTimeoutError",
]

MATCHERS = frozenset({"path", "pathAll", "pathAny", "status", "error"})


class WaiterError(ClientError):
    """A waiter that did not reach a success state (botocore's ``WaiterError``).

    ``last_response`` is what the last attempt returned: the typed output,
    or the service error it raised.
    """

    def __init__(self, name: str, reason: str, last_response: object) -> None:
        super().__init__(f"Waiter {name} failed: {reason}")
        self.name = name
        self.reason = reason
        self.last_response = last_response


class WaiterFailureError(WaiterError):
    """A failure acceptor matched, or an error no acceptor expected came back."""


class WaiterTimeoutError(WaiterError):
    """``max_attempts`` attempts were made without reaching success or failure."""


class Acceptor:
    """One acceptor of a waiter: matches botocore's dict form of a response."""

    __slots__ = ("state", "matcher", "argument", "expected", "_compiled")

    def __init__(
        self, state: str, matcher: str, argument: str | None, expected: Any
    ) -> None:
        if matcher not in MATCHERS:
            raise ValueError(f"Unknown acceptor: {matcher}")
        self.state = state
        self.matcher = matcher
        self.argument = argument
        self.expected = expected
        self._compiled: Any = None

    def __repr__(self) -> str:
        return (
            f"Acceptor({self.state!r}, {self.matcher!r}, {self.argument!r}, "
            f"{self.expected!r})"
        )

    @property
    def explanation(self) -> str:
        if self.matcher == "path":
            return (
                f'For expression "{self.argument}" we matched expected path: '
                f'"{self.expected}"'
            )
        if self.matcher == "pathAll":
            return (
                f'For expression "{self.argument}" all members matched '
                f'expected path: "{self.expected}"'
            )
        if self.matcher == "pathAny":
            return (
                f'For expression "{self.argument}" we matched expected '
                f'path: "{self.expected}" at least once'
            )
        if self.matcher == "status":
            return f"Matched expected HTTP status code: {self.expected}"
        return f"Matched expected service error code: {self.expected}"

    def matches(self, response: Mapping[str, Any]) -> bool | None:
        """botocore's matcher functions, one per kind."""
        matcher = self.matcher
        expected = self.expected
        if matcher == "status":
            status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            return bool(status == expected)
        if matcher == "error":
            if expected is True:
                return "Error" in response and "Code" in response["Error"]
            if expected is False:
                return "Error" not in response
            return bool(response.get("Error", {}).get("Code", "") == expected)
        if is_valid_waiter_error(response):
            return None
        result = self._search(response)
        if matcher == "path":
            return bool(result == expected)
        if not isinstance(result, list) or not result:
            # pathAll and pathAny need a non-empty list.
            return False
        if matcher == "pathAll":
            return all(element == expected for element in result)
        return any(element == expected for element in result)

    def _search(self, response: Mapping[str, Any]) -> Any:
        if self._compiled is None:
            import jmespath

            self._compiled = jmespath.compile(self.argument)
        return self._compiled.search(response)


def is_valid_waiter_error(response: Mapping[str, Any]) -> bool:
    error = response.get("Error")
    return isinstance(error, dict) and "Code" in error


class WaiterSpec:
    """One ``waiters-2.json`` entry: what to call, how often, what to accept."""

    __slots__ = ("name", "operation", "method", "delay", "max_attempts", "acceptors")

    def __init__(
        self,
        name: str,
        operation: str,
        method: str,
        delay: float,
        max_attempts: int,
        acceptors: Sequence[Acceptor],
    ) -> None:
        self.name = name
        self.operation = operation
        self.method = method
        self.delay = delay
        self.max_attempts = max_attempts
        self.acceptors = tuple(acceptors)


class WaiterBase:
    """What a waiter of either client shares: its spec, and the polling."""

    _spec: ClassVar[WaiterSpec]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} polling {self._spec.method}>"

    @property
    def name(self) -> str:
        """The waiter's name in the model (``RunCompleted``)."""
        return self._spec.name

    def _polls(
        self, delay: float, max_attempts: int
    ) -> Generator[float | None, tuple[dict[str, Any], object], None]:
        """botocore's Waiter.wait, step for step, without I/O: yields None
        for an attempt (send back ``(dict form, what the caller sees)``) and
        a delay to sleep between attempts; returns on success."""
        spec = self._spec
        acceptors = spec.acceptors
        current_state = "waiting"
        last_matched: Acceptor | None = None
        attempts = 0
        while True:
            response, last = yield None
            attempts += 1
            acceptor: Acceptor | None = None
            for acceptor in acceptors:
                if acceptor.matches(response):
                    last_matched = acceptor
                    current_state = acceptor.state
                    break
            else:
                if is_valid_waiter_error(response):
                    error = response["Error"]
                    code = error.get("Code", "Unknown")
                    message = error.get("Message", "Unknown")
                    raise WaiterFailureError(
                        spec.name, f"An error occurred ({code}): {message}", last
                    )
            if current_state == "success":
                return
            # As botocore, the explanation is the loop's last acceptor: the one
            # that matched, or the model's last one when none did.
            explanation = acceptor.explanation if acceptor is not None else ""
            if current_state == "failure":
                raise WaiterFailureError(
                    spec.name,
                    f"Waiter encountered a terminal failure state: {explanation}",
                    last,
                )
            if attempts >= max_attempts:
                reason = "Max attempts exceeded"
                if last_matched is not None:
                    reason += f". Previously accepted state: {explanation}"
                raise WaiterTimeoutError(spec.name, reason, last)
            yield delay

    def _package(self) -> str:
        raise NotImplementedError

    @staticmethod
    def _error_outcome(exc: ServiceError) -> tuple[dict[str, Any], object]:
        metadata = {"RequestId": exc.request_id, "HTTPStatusCode": exc.status_code}
        return (
            {
                "Error": {"Code": exc.code, "Message": exc.message},
                "ResponseMetadata": metadata,
            },
            exc,
        )

    def _outcome(
        self, result: object, seen: list[HttpResponse]
    ) -> tuple[dict[str, Any], object]:
        """One successful call, as botocore's dict form and as the caller
        would see it."""
        response: dict[str, Any] = {}
        if result is not None:
            from typed_aws_runtime import schema

            op = schema.load(self._package()).operation(self._spec.operation)
            if op.output is not None:
                response = to_wire(op.output, result)
        if seen:
            http = seen[-1]
            headers = {k.lower(): v for k, v in http.headers.items()}
            response["ResponseMetadata"] = {
                "RequestId": headers.get("x-amzn-requestid")
                or headers.get("x-amz-request-id"),
                "HTTPStatusCode": http.status_code,
                "HTTPHeaders": headers,
            }
        return response, result


class Waiter(WaiterBase):
    """Base class of generated waiters: ``wait(...)`` polls until done."""

    def __init__(self, client: BaseClient) -> None:
        self._client = client

    def _package(self) -> str:
        return self._client._package

    def _wait(self, params: dict[str, Any], delay: float, max_attempts: int) -> None:
        method = getattr(self._client, self._spec.method)
        polls = self._polls(delay, max_attempts)
        answer: Any = None
        while True:
            try:
                step = polls.send(answer)
            except StopIteration:
                return
            if step is None:
                answer = self._attempt(method, params)
            else:
                answer = None
                self._client._codegen_sleep(step)

    def _attempt(
        self, method: Callable[..., Any], params: dict[str, Any]
    ) -> tuple[dict[str, Any], object]:
        from typed_aws_runtime.client import RESPONSE_OBSERVER

        seen: list[HttpResponse] = []
        token = RESPONSE_OBSERVER.set(seen.append)
        try:
            result = method(**params)
        except ServiceError as exc:
            return self._error_outcome(exc)
        finally:
            RESPONSE_OBSERVER.reset(token)
        return self._outcome(result, seen)


class AsyncWaiter(WaiterBase):
    """Base class of the asynchronous client's waiters: ``await wait(...)``."""

    def __init__(self, client: AsyncBaseClient) -> None:
        self._client = client

    def _package(self) -> str:
        return self._client._package

    async def _wait(
        self, params: dict[str, Any], delay: float, max_attempts: int
    ) -> None:
        method = getattr(self._client, self._spec.method)
        polls = self._polls(delay, max_attempts)
        answer: Any = None
        while True:
            try:
                step = polls.send(answer)
            except StopIteration:
                return
            if step is None:
                answer = await self._attempt(method, params)
            else:
                answer = None
                await self._client._codegen_sleep(step)

    async def _attempt(
        self, method: Callable[..., Awaitable[Any]], params: dict[str, Any]
    ) -> tuple[dict[str, Any], object]:
        from typed_aws_runtime.client import RESPONSE_OBSERVER

        seen: list[HttpResponse] = []
        token = RESPONSE_OBSERVER.set(seen.append)
        try:
            result = await method(**params)
        except ServiceError as exc:
            return self._error_outcome(exc)
        finally:
            RESPONSE_OBSERVER.reset(token)
        return self._outcome(result, seen)
