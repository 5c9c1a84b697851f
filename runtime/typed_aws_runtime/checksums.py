"""Flexible checksums, as botocore's ``httpchecksum.py`` does them.

Every service's operations with the ``httpChecksum`` trait (or
``httpChecksumRequired``) are covered, not S3's only: the trait is read from
``_schema.json`` and compiled once per operation into a :class:`Plan`.

- **Requests**: a checksum of the body is sent when the operation requires
  one (``httpChecksumRequired``, ``requestChecksumRequired``), or when it
  supports one (``requestAlgorithmMember``) and ``request_checksum_calculation``
  is ``when_supported`` (the default): CRC32 unless the caller names the
  algorithm (the algorithm member, ``ChecksumAlgorithm``), in the header
  ``x-amz-checksum-<algorithm>``. A streaming upload over https sends it as a
  trailer of an ``aws-chunked`` body (unsigned payload); over http, in the
  header. A checksum header the caller set wins (nothing is computed).
- **Responses**: when the request has the validation mode member
  (``ChecksumMode``; set to ``ENABLED`` by default when
  ``response_checksum_validation`` is ``when_supported``), the first
  algorithm of botocore's priority list that the response carries is
  checked: a whole body at once, a streamed body as it is read (at its end).
  A mismatch raises :class:`~typed_aws_runtime.errors.FlexibleChecksumError`.
  Multipart checksums (``...-3``) are not checked, as botocore does not.
- **Algorithms**: CRC32, SHA1, SHA256, SHA512 always; CRC32C, CRC64NVME and
  the xxhash family only with ``awscrt`` installed (botocore's ``[crt]``
  extra), as botocore: naming one of them without it raises
  :class:`~typed_aws_runtime.errors.MissingDependencyError`, and a response
  carrying only those is not checked.
"""

from __future__ import annotations

import base64
import io
import os
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol, cast

from typed_aws_runtime.streaming import AsyncRawStream

if TYPE_CHECKING:
    from typed_aws_runtime.protocols.base import SerializedRequest
    from typed_aws_runtime.schema import Operation
    from typed_aws_runtime.transport import HttpResponse

__all__ = [
    "CALCULATION_VARIABLE",
    "VALIDATION_VARIABLE",
    "AwsChunkedBody",
    "Plan",
    "apply_request_checksum",
    "checksum_settings",
    "forget_algorithms",
    "plan_for",
    "supported_algorithms",
    "validate_response",
]

CALCULATION_VARIABLE = "AWS_REQUEST_CHECKSUM_CALCULATION"
VALIDATION_VARIABLE = "AWS_RESPONSE_CHECKSUM_VALIDATION"
_VALID = ("when_supported", "when_required")
DEFAULT_ALGORITHM = "CRC32"
STREAMING_UNSIGNED_PAYLOAD_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
# Private headers read (and removed) by the S3 signer: the payload hash of a
# body sent with a trailer, the name of the checksum header sent.
TRAILER_HASH_HEADER = "x-codegen-payload-hash"
CHECKSUM_NAME_HEADER = "x-codegen-checksum-header"
_CHECKSUM_HEADER = re.compile(r"^X-Amz-Checksum-([a-z0-9]*)$", re.IGNORECASE)
# botocore's _ALGORITHMS_PRIORITY_LIST.
_PRIORITY = (
    "xxhash128",
    "xxhash3",
    "crc64nvme",
    "xxhash64",
    "crc32c",
    "crc32",
    "sha1",
    "sha256",
    "sha512",
)
_CRT_ONLY = ("crc32c", "crc64nvme", "xxhash64", "xxhash3", "xxhash128")


class Checksum(Protocol):
    def update(self, chunk: bytes) -> None: ...

    def digest(self) -> bytes: ...


class _Crc32:
    __slots__ = ("_value",)

    def __init__(self) -> None:
        self._value = 0

    def update(self, chunk: bytes) -> None:
        import zlib

        self._value = zlib.crc32(chunk, self._value) & 0xFFFFFFFF

    def digest(self) -> bytes:
        return self._value.to_bytes(4, "big")


class _Hash:
    __slots__ = ("_hash",)

    def __init__(self, name: str) -> None:
        import hashlib

        self._hash = hashlib.new(name)

    def update(self, chunk: bytes) -> None:
        self._hash.update(chunk)

    def digest(self) -> bytes:
        return self._hash.digest()


class _CrtCrc:
    """awscrt's CRC32C and CRC64NVME (botocore's ``CrtCrc*Checksum``)."""

    __slots__ = ("_function", "_value", "_size")

    def __init__(self, function: Callable[[bytes, int], int], size: int) -> None:
        self._function, self._value, self._size = function, 0, size

    def update(self, chunk: bytes) -> None:
        self._value = self._function(chunk, self._value) & ((1 << 8 * self._size) - 1)

    def digest(self) -> bytes:
        return self._value.to_bytes(self._size, "big")


class _CrtXxhash:
    __slots__ = ("_hash",)

    def __init__(self, hash_: Any) -> None:
        self._hash = hash_

    def update(self, chunk: bytes) -> None:
        self._hash.update(chunk)

    def digest(self) -> bytes:
        return bytes(self._hash.finalize())


@lru_cache(maxsize=1)
def _factories() -> dict[str, Callable[[], Checksum]]:
    factories: dict[str, Callable[[], Checksum]] = {
        "crc32": _Crc32,
        "sha1": lambda: _Hash("sha1"),
        "sha256": lambda: _Hash("sha256"),
        "sha512": lambda: _Hash("sha512"),
    }
    from typed_aws_runtime.auth import crt_available

    if not crt_available():  # as botocore's HAS_CRT (BOTO_DISABLE_CRT too)
        return factories
    try:
        from awscrt import checksums as crt  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError:
        return factories
    factories["crc32c"] = lambda: _CrtCrc(crt.crc32c, 4)
    if hasattr(crt, "crc64nvme"):
        factories["crc64nvme"] = lambda: _CrtCrc(crt.crc64nvme, 8)
    xxhash = getattr(crt, "XXHash", None)
    if xxhash is not None:
        factories["xxhash64"] = lambda: _CrtXxhash(xxhash.new_xxhash64())
        factories["xxhash3"] = lambda: _CrtXxhash(xxhash.new_xxhash3_64())
        factories["xxhash128"] = lambda: _CrtXxhash(xxhash.new_xxhash3_128())
    return factories


def forget_algorithms() -> None:
    """Look for awscrt again at the next checksum (tests)."""
    _factories.cache_clear()


def supported_algorithms() -> frozenset[str]:
    """The algorithms this process can compute (lower case)."""
    return frozenset(_factories())


def new_checksum(algorithm: str) -> Checksum:
    return _factories()[algorithm]()


def b64_checksum(algorithm: str, body: bytes | BinaryIO) -> str:
    """The base64 checksum of a body from its current position (a file is
    rewound to it)."""
    checksum = new_checksum(algorithm)
    if isinstance(body, (bytes, bytearray, memoryview)):
        checksum.update(bytes(body))
    else:
        start = body.tell()
        for chunk in iter(lambda: body.read(1024 * 1024), b""):
            checksum.update(chunk)
        body.seek(start)
    return base64.b64encode(checksum.digest()).decode("ascii")


def checksum_settings(
    calculation: str | None, validation: str | None
) -> tuple[str, str]:
    """``request_checksum_calculation`` and ``response_checksum_validation``
    as botocore resolves them: the client's arguments, else
    ``AWS_REQUEST_CHECKSUM_CALCULATION`` / ``AWS_RESPONSE_CHECKSUM_VALIDATION``,
    else ``when_supported``; any case; another value is a ValueError (botocore's
    ``InvalidChecksumConfigError``, at client creation)."""
    out = []
    for name, value, variable in (
        ("request_checksum_calculation", calculation, CALCULATION_VARIABLE),
        ("response_checksum_validation", validation, VALIDATION_VARIABLE),
    ):
        if value is None:
            value = os.environ.get(variable) or "when_supported"
        if not isinstance(value, str) or value.lower() not in _VALID:
            raise ValueError(
                f"invalid {name} {value!r}: one of {', '.join(_VALID)} "
                f"(or the variable {variable})"
            )
        out.append(value.lower())
    return out[0], out[1]


class Plan:
    """What the ``httpChecksum`` trait asks of one operation."""

    __slots__ = (
        "required",
        "algorithm_member",
        "algorithm_header",
        "mode_member",
        "response_algorithms",
        "streams_input",
        "streams_output",
    )

    def __init__(self, op: Operation, spec: Mapping[str, Any]) -> None:
        trait: Mapping[str, Any] = spec.get("httpChecksum") or {}
        self.required = bool(
            spec.get("httpChecksumRequired") or trait.get("requestChecksumRequired")
        )
        member = trait.get("requestAlgorithmMember")
        self.algorithm_member: str | None = member
        self.algorithm_header: str | None = None
        if member is not None and op.input is not None:
            found = op.input.members.get(member)
            if found is not None:
                self.algorithm_header = found.location_name
        self.mode_member: str | None = trait.get("requestValidationModeMember")
        names = {a.lower() for a in trait.get("responseAlgorithms", ())}
        self.response_algorithms = tuple(a for a in _PRIORITY if a in names)
        self.streams_input = op.streams_input
        self.streams_output = op.streams_output


def plan_for(op: Operation, spec: Mapping[str, Any]) -> Plan | None:
    """The operation's plan, or None when it has no checksum trait."""
    if not (spec.get("httpChecksum") or spec.get("httpChecksumRequired")):
        return None
    return Plan(op, spec)


def default_validation_mode(
    plan: Plan, params: Mapping[str, Any] | None, validation: str
) -> Mapping[str, Any] | None:
    """botocore's ``_handle_request_validation_mode_member``: ``ENABLED``
    unless given, when validation is ``when_supported``."""
    member = plan.mode_member
    if member is None or validation != "when_supported":
        return params
    if params is not None and params.get(member) is not None:
        return params
    return {**(params or {}), member: "ENABLED"}


def apply_request_checksum(
    plan: Plan,
    request: SerializedRequest,
    url: str,
    params: Mapping[str, Any] | None,
    calculation: str,
    *,
    s3_signing: bool,
    unsigned: bool,
) -> None:
    """botocore's ``resolve_request_checksum_algorithm`` and
    ``apply_request_checksum`` on a serialized request."""
    headers = request.headers
    if any(_CHECKSUM_HEADER.match(name) for name in headers):
        return  # the caller gave one
    given = (params or {}).get(plan.algorithm_member) if plan.algorithm_member else None
    if given is not None:
        algorithm = str(given).lower()
        if algorithm not in supported_algorithms():
            from typed_aws_runtime.errors import (
                FlexibleChecksumError,
                MissingDependencyError,
            )

            if algorithm in _CRT_ONLY:
                raise MissingDependencyError(f"the {algorithm.upper()} checksum")
            raise FlexibleChecksumError(f"Unsupported checksum algorithm: {algorithm}")
    elif plan.required or (
        plan.algorithm_member is not None and calculation == "when_supported"
    ):
        algorithm = DEFAULT_ALGORITHM.lower()
        if plan.algorithm_header is not None:
            headers[plan.algorithm_header] = DEFAULT_ALGORITHM
    else:
        return
    name = f"x-amz-checksum-{algorithm}"
    body = request.body
    if plan.streams_input and url.startswith("https:"):
        # Streaming input over TLS: an unsigned aws-chunked body with the
        # checksum in its trailer.
        headers["Transfer-Encoding"] = "chunked"
        encoding = headers.get("Content-Encoding")
        headers["Content-Encoding"] = (
            f"{encoding},aws-chunked" if encoding else "aws-chunked"
        )
        headers["X-Amz-Trailer"] = name
        length = _length(body)
        if length is None and "Content-Length" in headers:
            length = int(headers["Content-Length"])
        if length is not None:
            headers["X-Amz-Decoded-Content-Length"] = str(length)
        headers.pop("Content-Length", None)
        chunked = AwsChunkedBody(
            io.BytesIO(bytes(body)) if isinstance(body, (bytes, bytearray)) else body,
            algorithm,
            name,
        )
        request.body = cast(BinaryIO, chunked)
        if unsigned:
            headers["X-Amz-Content-SHA256"] = STREAMING_UNSIGNED_PAYLOAD_TRAILER
        elif s3_signing:
            headers[TRAILER_HASH_HEADER] = STREAMING_UNSIGNED_PAYLOAD_TRAILER
        return
    headers[name] = b64_checksum(algorithm, body)
    if s3_signing:
        headers[CHECKSUM_NAME_HEADER] = name


def _length(body: bytes | BinaryIO) -> int | None:
    """botocore's ``determine_content_length``."""
    if isinstance(body, (bytes, bytearray, memoryview)):
        return len(body)
    try:
        return os.fstat(body.fileno()).st_size - body.tell()
    except (AttributeError, OSError, io.UnsupportedOperation):
        pass
    try:
        position = body.tell()
        end = body.seek(0, os.SEEK_END)
        body.seek(position)
    except (AttributeError, OSError, ValueError):
        return None
    return end - position


class AwsChunkedBody(io.RawIOBase):
    """botocore's ``AwsChunkedWrapper``: the body in ``aws-chunked`` framing
    (1 MiB chunks: ``<hex size>\\r\\n<data>\\r\\n``), ended by a zero chunk
    carrying the checksum trailer. It rewinds to its start only (retries)."""

    CHUNK_SIZE = 1024 * 1024

    def __init__(self, raw: BinaryIO, algorithm: str, name: str) -> None:
        super().__init__()
        self._raw = raw
        self._algorithm = algorithm
        self._name = name.encode("ascii")
        try:
            self._start: int | None = raw.tell() if raw.seekable() else None
        except (AttributeError, OSError):
            self._start = None
        self._reset()

    def _reset(self) -> None:
        self._pending = b""
        self._done = False
        self._position = 0
        self._checksum = new_checksum(self._algorithm)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self._start is not None

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = 0) -> int:
        if offset != 0 or whence != 0 or self._start is None:
            raise io.UnsupportedOperation("an aws-chunked body rewinds to 0 only")
        self._raw.seek(self._start)
        self._reset()
        return 0

    def _chunk(self) -> bytes:
        data = self._raw.read(self.CHUNK_SIZE)
        if not data:
            self._done = True
            digest = base64.b64encode(self._checksum.digest())
            return b"0\r\n%s:%s\r\n\r\n" % (self._name, digest)
        self._checksum.update(data)
        return b"%x\r\n%s\r\n" % (len(data), data)

    def read(self, size: int | None = -1) -> bytes:
        want = None if size is None or size < 0 else size
        while not self._done and (want is None or len(self._pending) < want):
            self._pending += self._chunk()
        if want is None:
            out, self._pending = self._pending, b""
        else:
            out, self._pending = self._pending[:want], self._pending[want:]
        self._position += len(out)
        return out

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


# -- responses ------------------------------------------------------------------------


def validate_response(
    plan: Plan, params: Mapping[str, Any] | None, response: HttpResponse
) -> HttpResponse:
    """botocore's ``handle_checksum_body``: the response, its body checked
    (bytes) or wrapped to be checked as it is read (a stream)."""
    if plan.mode_member is None or (params or {}).get(plan.mode_member) is None:
        return response
    if response.status_code >= 300:
        return response
    supported = supported_algorithms()
    headers = {k.lower(): v for k, v in response.headers.items()}
    for algorithm in plan.response_algorithms:
        if algorithm not in supported:
            continue
        expected = headers.get(f"x-amz-checksum-{algorithm}")
        if expected is None or "-" in expected:
            continue
        from typed_aws_runtime.transport import HttpResponse

        body = response.body
        if isinstance(body, (bytes, bytearray)) and plan.streams_output:
            # A streamed payload the transport read whole: still checked as
            # the caller reads it, as botocore checks it.
            body = io.BytesIO(bytes(body))
        if isinstance(body, (bytes, bytearray)):
            checksum = new_checksum(algorithm)
            checksum.update(bytes(body))
            _check(checksum, expected)
            return response
        wrapped: Any = (
            _AsyncValidatingStream(body, algorithm, expected)
            if isinstance(body, AsyncRawStream)
            else _ValidatingStream(body, algorithm, expected)
        )
        return HttpResponse(response.status_code, response.headers, wrapped)
    return response


def _check(checksum: Checksum, expected: str) -> None:
    digest = checksum.digest()
    try:
        ok = digest == base64.b64decode(expected)
    except ValueError:
        ok = False
    if not ok:
        from typed_aws_runtime.errors import FlexibleChecksumError

        raise FlexibleChecksumError(
            f"Expected checksum {expected} did not match calculated checksum: "
            f"{base64.b64encode(digest).decode('ascii')}"
        )


class _ValidatingStream(io.RawIOBase):
    """A streamed body checked as it is read: at its end, a mismatch raises
    (botocore's ``StreamingChecksumBody``)."""

    def __init__(self, raw: BinaryIO, algorithm: str, expected: str) -> None:
        super().__init__()
        self._raw = raw
        self._checksum = new_checksum(algorithm)
        self._expected = expected
        self._checked = False

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        chunk = self._raw.read() if size is None or size < 0 else self._raw.read(size)
        self._checksum.update(chunk)
        if (size is None or size < 0 or (not chunk and size > 0)) and not self._checked:
            self._checked = True
            _check(self._checksum, self._expected)
        return chunk

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


class _AsyncValidatingStream(AsyncRawStream):
    """The same over an asynchronous body (``await read()``)."""

    def __init__(self, raw: Any, algorithm: str, expected: str) -> None:
        self._raw = raw
        self._checksum = new_checksum(algorithm)
        self._expected = expected
        self._checked = False

    async def read(self, amt: int | None = None) -> bytes:
        chunk: bytes = await self._raw.read(amt)
        self._checksum.update(chunk)
        if (amt is None or not chunk) and not self._checked:
            self._checked = True
            _check(self._checksum, self._expected)
        return chunk

    def close(self) -> None:
        self._raw.close()
