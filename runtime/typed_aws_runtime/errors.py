"""Exceptions the runtime raises; generated error classes derive from these.

Every one survives ``pickle`` (all protocols) and ``copy``: multiprocessing
and task queues pickle exceptions. Python rebuilds an exception by calling
its class with ``self.args`` (the message), which breaks every class whose
constructor takes something else; :class:`PicklableError` rebuilds it
without calling ``__init__`` instead, from its ``args`` and attributes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

_E = TypeVar("_E", bound=BaseException)


def _rebuild(cls: type[_E], args: tuple[Any, ...]) -> _E:
    # BaseException.__new__ stores args and does not run __init__; pickle
    # then restores the attributes through BaseException.__setstate__.
    return cls.__new__(cls, *args)


class PicklableError(Exception):
    """An exception that pickles and copies whatever its constructor takes.

    The same message (``args``), type and attributes come back; the
    traceback, cause and context do not (as for any pickled exception).
    Attribute values must pickle themselves.
    """

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.args), self.__dict__ or None)


class ParamValidationError(PicklableError, ValueError):
    """Input that the model forbids, found before anything was sent."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"Invalid parameters ({len(self.problems)}):\n{lines}")


class FrameError(PicklableError, ValueError):
    """Bytes that are not a well-formed event-stream message (a CRC that
    does not match, a length out of bounds, a header of unknown type); a
    response's event stream reports it as a ResponseParseError."""


class UnsupportedFeatureError(PicklableError, NotImplementedError):
    """The call needs something this runtime does not do yet (S3 Express
    sessions, an input event stream): refused before anything is sent."""


class MissingDependencyError(UnsupportedFeatureError):
    """The call needs ``awscrt``, the runtime's ``crt`` extra, which is not
    installed: SigV4a signing, CRC32C and CRC64NVME checksums (botocore
    raises its ``MissingDependencyException`` there, naming
    ``botocore[crt]``). Raised before anything is sent."""

    def __init__(self, feature: str = "SigV4a signing") -> None:
        super().__init__(
            f"This operation requires an additional dependency ({feature} needs "
            "awscrt). Use pip install 'typed-aws-runtime[crt]' before proceeding."
        )
        self.feature = feature


class FlexibleChecksumError(PicklableError, ValueError):
    """A response whose checksum does not match its body, or a checksum
    algorithm this runtime does not know (botocore's FlexibleChecksumError)."""


class UnsupportedOperationError(UnsupportedFeatureError):
    """An operation the generated client has a typed method for but cannot
    call (an input event stream); raised before anything is sent."""


class ClientError(PicklableError):
    """Base class of every error a generated client raises after sending."""


class ServiceError(ClientError):
    """An error response from the service.

    Modelled errors are subclasses (one per error shape) with their modelled
    members as attributes; an unmodelled code raises the service's base class.
    """

    def __init__(
        self,
        /,
        message: str = "",
        *,
        code: str = "",
        status_code: int = 0,
        request_id: str | None = None,
        **members: object,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status_code = status_code
        self.request_id = request_id
        for name, value in members.items():
            setattr(self, name, value)

    def __str__(self) -> str:
        where = f"HTTP {self.status_code}" + (
            f", request id {self.request_id}" if self.request_id else ""
        )
        return f"{self.code or type(self).__name__} ({where}): {self.message}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(code={self.code!r}, message={self.message!r}, "
            f"status_code={self.status_code!r}, request_id={self.request_id!r})"
        )


class ResponseParseError(ClientError):
    """A response whose body is not what the model says it is."""

    def __init__(
        self, reason: str, *, status_code: int, request_id: str | None
    ) -> None:
        self.status_code = status_code
        self.request_id = request_id
        super().__init__(
            f"cannot parse the response (HTTP {status_code}, request id "
            f"{request_id or 'unknown'}): {reason}"
        )


class NoRegionError(ClientError):
    """No region was given and none is configured."""

    def __init__(self) -> None:
        super().__init__(
            "no region: pass region_name=, or set AWS_REGION / AWS_DEFAULT_REGION, "
            "or a region in the shared config file"
        )


class EndpointDiscoveryError(ClientError):
    """Endpoint discovery could not give an endpoint (botocore's
    ``EndpointDiscoveryException``)."""


class EndpointDiscoveryRequired(EndpointDiscoveryError):
    """The operation requires endpoint discovery, which is turned off."""

    def __init__(self) -> None:
        super().__init__(
            "endpoint discovery is not enabled but this operation requires it"
        )


class EndpointDiscoveryRefreshFailed(EndpointDiscoveryError):
    """The endpoint operation gave no endpoint for an operation that needs one."""

    def __init__(self) -> None:
        super().__init__("endpoint discovery failed to refresh the required endpoints")


class InvalidEndpointDiscoveryConfigurationError(EndpointDiscoveryError):
    """``AWS_ENDPOINT_DISCOVERY_ENABLED`` is not ``true``, ``false`` or ``auto``."""

    def __init__(self, value: str) -> None:
        super().__init__(
            f"unsupported endpoint discovery configuration value {value!r}: "
            "expected true, false or auto"
        )
        self.value = value


class UnsupportedSignatureVersionError(ClientError):
    """None of the auth schemes the model or the endpoint offers can be
    used (botocore's ``UnknownSignatureVersionError`` and
    ``UnsupportedSignatureVersionError``)."""

    def __init__(self, signature_version: str) -> None:
        super().__init__(f"Unsupported signature version: {signature_version}")
        self.signature_version = signature_version


class NoAuthTokenError(ClientError):
    """A bearer-token operation found no token (botocore's
    ``NoAuthTokenError``): log in with ``aws sso login``, or set
    ``AWS_BEARER_TOKEN_<SERVICE>`` where the service accepts one."""

    def __init__(self) -> None:
        super().__init__("Unable to locate authorization token")
