"""Every runtime exception, and every generated error class, survives pickle
(all protocols), ``copy.copy`` and ``copy.deepcopy`` with the same type,
message and attributes.

The classes are enumerated, not listed by hand: every exception class defined
in a module of ``typed_aws_runtime``, and every class of the ``errors`` module
of each package under ``generated/``. A new runtime exception without an
example below fails :func:`test_every_runtime_exception_has_an_example`.
"""

from __future__ import annotations

import copy
import datetime
import importlib
import inspect
import pickle
import pkgutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import typed_aws_runtime
from tests.conftest import GENERATED
from typed_aws_runtime import schema
from typed_aws_runtime.codecs.cbor import CBORDecodeError
from typed_aws_runtime.connections import InsecureRequestWarning
from typed_aws_runtime.credentials import NoCredentialsError
from typed_aws_runtime.endpoints import EndpointResolutionError
from typed_aws_runtime.errors import (
    ClientError,
    EndpointDiscoveryError,
    EndpointDiscoveryRefreshFailed,
    EndpointDiscoveryRequired,
    FlexibleChecksumError,
    FrameError,
    InvalidEndpointDiscoveryConfigurationError,
    MissingDependencyError,
    NoAuthTokenError,
    NoRegionError,
    ParamValidationError,
    PicklableError,
    ResponseParseError,
    ServiceError,
    UnsupportedFeatureError,
    UnsupportedOperationError,
    UnsupportedSignatureVersionError,
)
from typed_aws_runtime.http import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
    SSLError,
    TransportError,
)
from typed_aws_runtime.paginate import PaginationError
from typed_aws_runtime.transferconfig import RetriesExceededError, S3UploadFailedError
from typed_aws_runtime.waiter import WaiterError, WaiterFailureError, WaiterTimeoutError

URL = "https://iot.us-east-1.amazonaws.com/things"


def _urllib3_error() -> BaseException:
    from urllib3.exceptions import ProtocolError

    return ProtocolError("Connection aborted.", ConnectionResetError(104, "reset"))


EXAMPLES: dict[type[BaseException], Callable[[], BaseException]] = {
    PicklableError: lambda: PicklableError("plain"),
    InsecureRequestWarning: lambda: InsecureRequestWarning("Unverified HTTPS"),
    ParamValidationError: lambda: ParamValidationError(["a: missing", "b.c: type"]),
    ClientError: lambda: ClientError("something"),
    ServiceError: lambda: ServiceError(
        "Denied", code="AccessDenied", status_code=403, request_id="r-1", extra=[1]
    ),
    FrameError: lambda: FrameError("the message CRC does not match"),
    UnsupportedFeatureError: lambda: UnsupportedFeatureError("S3 Express sessions"),
    MissingDependencyError: MissingDependencyError,
    NoAuthTokenError: NoAuthTokenError,
    UnsupportedSignatureVersionError: lambda: UnsupportedSignatureVersionError("v9"),
    FlexibleChecksumError: lambda: FlexibleChecksumError("Expected checksum x"),
    S3UploadFailedError: lambda: S3UploadFailedError("Failed to upload f to b/k"),
    RetriesExceededError: lambda: RetriesExceededError(OSError(104, "reset")),
    UnsupportedOperationError: lambda: UnsupportedOperationError(
        "X sends an input event stream"
    ),
    ResponseParseError: lambda: ResponseParseError(
        "not JSON", status_code=200, request_id="r-2"
    ),
    NoRegionError: NoRegionError,
    EndpointDiscoveryError: lambda: EndpointDiscoveryError("no endpoint"),
    EndpointDiscoveryRequired: EndpointDiscoveryRequired,
    EndpointDiscoveryRefreshFailed: EndpointDiscoveryRefreshFailed,
    InvalidEndpointDiscoveryConfigurationError: (
        lambda: InvalidEndpointDiscoveryConfigurationError("maybe")
    ),
    TransportError: lambda: TransportError(URL, OSError(5, "io")),
    EndpointConnectionError: lambda: EndpointConnectionError(URL, _urllib3_error()),
    SSLError: lambda: SSLError(URL),
    ConnectTimeoutError: lambda: ConnectTimeoutError(
        URL, TimeoutError(110, "Connection timed out")
    ),
    ReadTimeoutError: lambda: ReadTimeoutError(
        URL, TimeoutError(110, "Connection timed out")
    ),
    ConnectionClosedError: lambda: ConnectionClosedError(URL, _urllib3_error()),
    NoCredentialsError: lambda: NoCredentialsError("dev"),
    EndpointResolutionError: lambda: EndpointResolutionError("no rule matched"),
    CBORDecodeError: lambda: CBORDecodeError("truncated"),
    PaginationError: lambda: PaginationError("token repeated"),
    WaiterError: lambda: WaiterError("ThingReady", "gave up", {"a": 1}),
    WaiterFailureError: lambda: WaiterFailureError(
        "ThingReady", "failure state", ServiceError("x", code="Y", status_code=400)
    ),
    WaiterTimeoutError: lambda: WaiterTimeoutError("ThingReady", "max", None),
}


def _name(cls: type) -> str:
    return cls.__name__


def _runtime_exception_classes() -> set[type[BaseException]]:
    found: set[type[BaseException]] = set()
    for info in pkgutil.walk_packages(
        typed_aws_runtime.__path__, prefix="typed_aws_runtime."
    ):
        module = importlib.import_module(info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(value, BaseException)
                and value.__module__ == info.name
                # (a module's private exception never reaches a caller)
                and not value.__name__.startswith("_")
            ):
                found.add(value)
    return found


def _packages() -> list[str]:
    return sorted(
        path.name
        for path in GENERATED.iterdir()
        if (path / "errors.py").is_file() and (path / "_schema.json").is_file()
    )


# -- comparing ------------------------------------------------------------------


def _same(original: BaseException, copied: BaseException) -> None:
    assert type(copied) is type(original)
    assert copied.args == original.args
    assert str(copied) == str(original)
    assert repr(copied) == repr(original)
    assert copied.__dict__.keys() == original.__dict__.keys()
    for name, value in original.__dict__.items():
        other = copied.__dict__[name]
        if isinstance(value, BaseException):
            assert type(other) is type(value) and str(other) == str(value), name
        else:
            assert other == value, name


def _round_trips(error: BaseException) -> Iterator[BaseException]:
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        yield pickle.loads(pickle.dumps(error, protocol=protocol))
    yield copy.copy(error)
    yield copy.deepcopy(error)


def _check(error: BaseException) -> None:
    for copied in _round_trips(error):
        _same(error, copied)


# -- runtime classes ------------------------------------------------------------


_CLASSES: list[type[BaseException]] = sorted(EXAMPLES, key=_name)


def test_every_runtime_exception_has_an_example() -> None:
    assert _runtime_exception_classes() == set(EXAMPLES)


@pytest.mark.parametrize("cls", _CLASSES)
def test_runtime_exception_round_trips(cls: type[BaseException]) -> None:
    error = EXAMPLES[cls]()
    assert type(error) is cls
    _check(error)


def test_a_raised_error_keeps_its_notes_but_not_its_traceback() -> None:
    try:
        raise ResponseParseError("bad", status_code=500, request_id=None)
    except ResponseParseError as caught:
        caught.add_note("while parsing")
        error = caught
    copied = pickle.loads(pickle.dumps(error))
    assert copied.__notes__ == ["while parsing"]
    assert copied.__traceback__ is None
    assert (copied.status_code, copied.request_id) == (500, None)


# -- generated classes ----------------------------------------------------------


class _Values:
    """A value of every modelled member, built from the runtime schema."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def of(self, shape: schema.Shape, depth: int = 0) -> Any:
        kind = shape.type
        if isinstance(shape, schema.StructureShape):
            if shape.document:
                return {"doc": [1, "two", None, {"three": 3.5}]}
            if depth > 3 or shape.cls is None:
                return None
            values = {
                member.python: self.of(member.shape, depth + 1)
                for member in shape.members.values()
            }
            values = {k: v for k, v in values.items() if v is not None}
            if shape.union:
                values = dict(list(values.items())[:1])
            return shape.cls(**values)
        if isinstance(shape, schema.ListShape):
            item = self.of(shape.member.shape, depth + 1)
            return [] if item is None else [item]
        if isinstance(shape, schema.MapShape):
            value = self.of(shape.value.shape, depth + 1)
            return {} if value is None else {"key": value}
        if shape.enum_class is not None:
            return next(iter(shape.enum_class))  # type: ignore[call-overload]
        return _SCALARS[kind]


_SCALARS: dict[str, Any] = {
    "string": "text \u00e9\u4e2d",
    "integer": 7,
    "long": 1 << 40,
    "boolean": True,
    "float": 1.5,
    "double": 2.25,
    "blob": b"\x00\xffbytes",
    "timestamp": datetime.datetime(2024, 2, 29, 12, 30, tzinfo=datetime.UTC),
}


def _generated_errors(package: str) -> list[type[ServiceError]]:
    module = importlib.import_module(f"generated.{package}.errors")
    return [
        value
        for _, value in inspect.getmembers(module, inspect.isclass)
        if issubclass(value, ServiceError) and value.__module__ == module.__name__
    ]


@pytest.mark.parametrize("package", _packages())
def test_generated_errors_round_trip(package: str) -> None:
    classes = _generated_errors(package)
    assert classes, package
    service = schema.load(f"generated.{package}")
    shapes = {
        shape.error_class: shape
        for shape in service.error_shapes().values()
        if shape.error_class is not None
    }
    values = _Values()
    with_members = 0
    for cls in classes:
        shape = shapes.get(cls)
        members = {}
        if shape is not None:
            members = {
                member.python: values.of(member.shape)
                for member in shape.members.values()
                if member.python != "message"
            }
            with_members += bool(members)
        error = cls(
            "it failed: \u00e9",
            code=shape.error_code if shape is not None else "Unmodelled",
            status_code=400,
            request_id="req-1",
            **members,
        )
        _check(error)
        for name, value in members.items():
            assert getattr(pickle.loads(pickle.dumps(error)), name) == value
    # Every modelled error shape has its class (the check above saw them all).
    assert set(shapes) <= set(classes)
    if package in {"iot", "location", "dynamodb"}:
        assert with_members  # modelled members were exercised
