"""Managed S3 transfers, as boto3's ``S3Transfer`` (s3transfer) does them:
``upload_file``, ``upload_fileobj``, ``download_file``, ``download_fileobj``
on the blocking client, ``upload_file`` and ``download_file`` on the
asynchronous one (``s3client.py`` holds the methods; the work is here,
imported on first use).

- **Uploads** below ``multipart_threshold`` are one ``PutObject``; from
  it, ``CreateMultipartUpload``, the parts (``UploadPart``) in parallel,
  ``CompleteMultipartUpload`` with the parts in order, and
  ``AbortMultipartUpload`` when a part fails for good (the client's own
  retries, botocore's standard mode, retry each part first, as under
  boto3). The part size is s3transfer's (``ChunksizeAdjuster``: at least
  5 MiB, at most 5 GiB, at most 10,000 parts).
- **Memory**: ``upload_file`` sends each part from a window of the file
  (a file object limited to the part, read in pieces by the transport),
  so memory does not grow with the file or the part size;
  ``upload_fileobj`` reads parts into memory, at most ``max_concurrency``
  + 1 at a time (s3transfer reads them into memory too).
- **Downloads**: ``HeadObject`` (size, ETag), then one ``GetObject`` below
  the threshold, else ranged ``GetObject`` calls with ``IfMatch`` on the
  ETag; ``download_file`` writes each range in place into a temporary file
  beside the target (s3transfer's name: the file name, a dot, 8 hex
  digits), renamed onto the target once complete and removed on failure.
  A read error of the body (a connection closed or timed out mid-body)
  retries that range, up to ``num_download_attempts`` times in all, as
  s3transfer does (``RetriesExceededError`` after).
- **Progress**: ``Callback(bytes)`` from the worker threads, as boto3's.
  Uploads report each byte once, the first time the part's window reads
  past it (a part re-read for its signature or a retry reports nothing
  twice, so the sum is the size and the running total never goes back);
  downloads report bytes as they arrive and a negative amount when a range
  is retried (s3transfer's behaviour).
- **ExtraArgs** are boto3's (wire names: ``ContentType``, ``Metadata``),
  checked against s3transfer's ``ALLOWED_UPLOAD_ARGS`` /
  ``ALLOWED_DOWNLOAD_ARGS`` and passed as the typed methods' keyword
  parameters (``content_type=``, ``metadata=``), so the methods' own
  validation applies.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import io
import math
import os
import secrets
import threading
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from typing import IO, Any, Protocol

from typed_aws_runtime.errors import ParamValidationError, ServiceError
from typed_aws_runtime.transferconfig import (
    RetriesExceededError,
    S3UploadFailedError,
    TransferConfig,
)

__all__ = [
    "ALLOWED_DOWNLOAD_ARGS",
    "ALLOWED_UPLOAD_ARGS",
    "RetriesExceededError",
    "S3UploadFailedError",
    "AsyncS3Operations",
    "S3Operations",
    "TransferConfig",
    "async_download_file",
    "async_upload_file",
    "download_file",
    "download_fileobj",
    "upload_file",
    "upload_fileobj",
]

MB = 1024 * 1024
MAX_PARTS = 10_000
MAX_PART_SIZE = 5 * 1024 * MB
MIN_PART_SIZE = 5 * MB

# s3transfer's lists (s3transfer 0.17: manager.py, constants.py).
_FULL_OBJECT_CHECKSUM_ARGS = (
    "ChecksumCRC32",
    "ChecksumCRC32C",
    "ChecksumCRC64NVME",
    "ChecksumMD5",
    "ChecksumSHA1",
    "ChecksumSHA256",
    "ChecksumSHA512",
    "ChecksumXXHASH3",
    "ChecksumXXHASH64",
    "ChecksumXXHASH128",
)
_ALLOWED_SHARED_ARGS = (
    "ACL",
    "CacheControl",
    "ChecksumAlgorithm",
    "ContentDisposition",
    "ContentEncoding",
    "ContentLanguage",
    "ContentType",
    "ExpectedBucketOwner",
    "Expires",
    "GrantFullControl",
    "GrantRead",
    "GrantReadACP",
    "GrantWriteACP",
    "Metadata",
    "ObjectLockLegalHoldStatus",
    "ObjectLockMode",
    "ObjectLockRetainUntilDate",
    "RequestPayer",
    "ServerSideEncryption",
    "StorageClass",
    "SSECustomerAlgorithm",
    "SSECustomerKey",
    "SSECustomerKeyMD5",
    "SSEKMSKeyId",
    "SSEKMSEncryptionContext",
    "Tagging",
    "WebsiteRedirectLocation",
)
ALLOWED_UPLOAD_ARGS: tuple[str, ...] = (
    _ALLOWED_SHARED_ARGS
    + ("ChecksumType", "MpuObjectSize")
    + _FULL_OBJECT_CHECKSUM_ARGS
)
ALLOWED_DOWNLOAD_ARGS: tuple[str, ...] = (
    "ChecksumMode",
    "VersionId",
    "SSECustomerAlgorithm",
    "SSECustomerKey",
    "SSECustomerKeyMD5",
    "RequestPayer",
    "ExpectedBucketOwner",
)
# Which upload arguments go to which call (s3transfer's upload.py).
_PUT_OBJECT_BLOCKLIST = ("ChecksumType", "MpuObjectSize")
_CREATE_MULTIPART_BLOCKLIST = _FULL_OBJECT_CHECKSUM_ARGS + ("MpuObjectSize",)
_UPLOAD_PART_ARGS = (
    "ChecksumAlgorithm",
    "SSECustomerKey",
    "SSECustomerAlgorithm",
    "SSECustomerKeyMD5",
    "RequestPayer",
    "ExpectedBucketOwner",
)
_COMPLETE_MULTIPART_ARGS = (
    "SSECustomerKey",
    "SSECustomerAlgorithm",
    "SSECustomerKeyMD5",
    "RequestPayer",
    "ExpectedBucketOwner",
    "ChecksumType",
    "MpuObjectSize",
) + _FULL_OBJECT_CHECKSUM_ARGS
# HeadObject takes these of the download arguments (s3transfer passes
# them all; ChecksumMode is GetObject's and HeadObject's both).
_HEAD_OBJECT_ARGS = ALLOWED_DOWNLOAD_ARGS

Callback = Callable[[int], object]


def adjust_chunksize(chunksize: int, size: int | None = None) -> int:
    """s3transfer's ``ChunksizeAdjuster``: within S3's part-size limits,
    doubled until the file fits in 10,000 parts."""
    chunksize = max(min(chunksize, MAX_PART_SIZE), MIN_PART_SIZE)
    if size is not None:
        while math.ceil(size / chunksize) > MAX_PARTS:
            chunksize *= 2
    return chunksize


# -- ExtraArgs -------------------------------------------------------------


def _check_extra(
    extra_args: Mapping[str, Any] | None, allowed: Sequence[str]
) -> dict[str, Any]:
    extra = dict(extra_args or {})
    problems = [
        f"ExtraArgs: invalid key {name!r}, must be one of: {', '.join(allowed)}"
        for name in extra
        if name not in allowed
    ]
    if problems:
        raise ParamValidationError(problems)
    return extra


def _keywords(
    client: object,
    operation: str,
    extra: Mapping[str, Any],
    keep: Callable[[str], bool],
) -> dict[str, Any]:
    """The ``extra`` arguments ``keep`` selects, keyed by the typed method's
    parameter names (the operation's input members, from its schema)."""
    members = _schema(client).operation(operation).input.members
    return {
        members[wire].python: value
        for wire, value in extra.items()
        if keep(wire) and wire in members
    }


def _schema(client: object) -> Any:
    from typed_aws_runtime import schema

    return schema.load(type(client).__module__.rpartition(".")[0])


def _completed_upload(client: object, parts: Sequence[tuple[int, Any]]) -> Any:
    """``CompletedMultipartUpload`` (the generated class, from the schema)
    of the parts in order: each part's ETag and whatever checksum its
    ``UploadPart`` answer carries."""
    schema = _schema(client)
    complete = schema.operation("CompleteMultipartUpload").input
    upload_shape = complete.members["MultipartUpload"].shape
    part_shape = upload_shape.members["Parts"].shape.member.shape
    names = [m.python for wire, m in part_shape.members.items() if wire != "PartNumber"]
    completed = []
    for number, answer in sorted(parts, key=lambda p: p[0]):
        fields = {n: getattr(answer, n, None) for n in names}
        fields = {n: v for n, v in fields.items() if v is not None}
        completed.append(part_shape.cls(part_number=number, **fields))
    return upload_shape.cls(parts=completed)


def _upload_plan(size: int, config: TransferConfig) -> list[tuple[int, int]]:
    chunk = adjust_chunksize(config.multipart_chunksize, size)
    count = max(1, math.ceil(size / chunk))
    return [(i * chunk, min(chunk, size - i * chunk)) for i in range(count)]


def _download_plan(size: int, config: TransferConfig) -> list[str]:
    """s3transfer's ranges (``calculate_range_parameter``): the last is open."""
    chunk = config.multipart_chunksize
    count = max(1, math.ceil(size / chunk))
    return [
        f"bytes={i * chunk}-{'' if i == count - 1 else i * chunk + chunk - 1}"
        for i in range(count)
    ]


# -- the blocking client -----------------------------------------------------


class S3Operations(Protocol):
    """The typed S3 operations a transfer calls."""

    def put_object(self, **kwargs: Any) -> Any: ...
    def create_multipart_upload(self, **kwargs: Any) -> Any: ...
    def upload_part(self, **kwargs: Any) -> Any: ...
    def complete_multipart_upload(self, **kwargs: Any) -> Any: ...
    def abort_multipart_upload(self, **kwargs: Any) -> Any: ...
    def head_object(self, **kwargs: Any) -> Any: ...
    def get_object(self, **kwargs: Any) -> Any: ...


class _Progress:
    """Reports each byte of a window once (the high-water mark)."""

    __slots__ = ("callback", "seen")

    def __init__(self, callback: Callback | None) -> None:
        self.callback = callback
        self.seen = 0

    def reached(self, position: int) -> None:
        if position > self.seen:
            if self.callback is not None:
                self.callback(position - self.seen)
            self.seen = position


class FileWindow(io.RawIOBase):
    """``length`` bytes of a file from ``start``, as a seekable binary file
    of their own (s3transfer's ``ReadFileChunk``), read in whatever pieces
    the transport asks for."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        start: int,
        length: int,
        callback: Callback | None = None,
    ) -> None:
        super().__init__()
        self._file = open(path, "rb")  # noqa: SIM115 - closed with the window
        self._start = start
        self._length = length
        self._position = 0
        self._progress = _Progress(callback)
        self._file.seek(start)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        left = self._length - self._position
        if size is None or size < 0 or size > left:
            size = left
        data = self._file.read(size)
        self._position += len(data)
        self._progress.reached(self._position)
        return data

    def readall(self) -> bytes:
        return self.read()

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        data = self.read(len(view))
        view[: len(data)] = data
        return len(data)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if whence == os.SEEK_CUR:
            offset += self._position
        elif whence == os.SEEK_END:
            offset += self._length
        self._position = max(0, min(offset, self._length))
        self._file.seek(self._start + self._position)
        return self._position

    def tell(self) -> int:
        return self._position

    def __len__(self) -> int:
        return self._length

    def close(self) -> None:
        if not self.closed:
            self._file.close()
        super().close()


def _run_parts(jobs: Sequence[Callable[[], Any]], config: TransferConfig) -> list[Any]:
    """Each job's result, in order; the first failure cancels the jobs not
    started yet and is raised once the running ones are done."""
    if not config.use_threads or len(jobs) == 1:
        return [job() for job in jobs]
    with concurrent.futures.ThreadPoolExecutor(
        max_workers=config.max_concurrency, thread_name_prefix="s3transfer"
    ) as pool:
        futures = [pool.submit(job) for job in jobs]
        done, _ = concurrent.futures.wait(
            futures, return_when=concurrent.futures.FIRST_EXCEPTION
        )
        failed = next((f for f in futures if f.done() and f.exception()), None)
        if failed is not None:
            for future in futures:
                future.cancel()
            concurrent.futures.wait(futures)
            raise failed.exception()  # type: ignore[misc]
        return [f.result() for f in futures]


def _fail_upload(error: BaseException, what: str) -> BaseException:
    if isinstance(error, ServiceError):
        failed = S3UploadFailedError(f"Failed to upload {what}: {error}")
        failed.__cause__ = error
        return failed
    return error


def upload_file(
    client: S3Operations,
    filename: str | os.PathLike[str],
    bucket: str,
    key: str,
    extra_args: Mapping[str, Any] | None = None,
    callback: Callback | None = None,
    config: TransferConfig | None = None,
) -> None:
    """boto3's ``upload_file`` (see the module's documentation)."""
    config = config or TransferConfig()
    extra = _check_extra(extra_args, ALLOWED_UPLOAD_ARGS)
    size = os.path.getsize(filename)
    what = f"{os.fspath(filename)} to {bucket}/{key}"
    if size < config.multipart_threshold:
        put = _keywords(
            client, "PutObject", extra, lambda n: n not in _PUT_OBJECT_BLOCKLIST
        )
        with FileWindow(filename, 0, size, callback) as body:
            try:
                client.put_object(bucket=bucket, key=key, body=body, **put)
            except ServiceError as error:
                raise _fail_upload(error, what) from error
        return
    plan = _upload_plan(size, config)

    def part(start: int, length: int) -> Callable[[str, int], Any]:
        def send(upload_id: str, number: int) -> Any:
            with FileWindow(filename, start, length, callback) as body:
                return client.upload_part(
                    bucket=bucket,
                    key=key,
                    upload_id=upload_id,
                    part_number=number,
                    body=body,
                    **part_args,
                )

        return send

    part_args = _keywords(client, "UploadPart", extra, _UPLOAD_PART_ARGS.__contains__)
    _multipart(client, bucket, key, extra, [part(s, n) for s, n in plan], config, what)


def _multipart(
    client: S3Operations,
    bucket: str,
    key: str,
    extra: Mapping[str, Any],
    senders: Sequence[Callable[..., Any]],
    config: TransferConfig,
    what: str,
) -> None:
    create = _keywords(
        client,
        "CreateMultipartUpload",
        extra,
        lambda n: n not in _CREATE_MULTIPART_BLOCKLIST,
    )
    try:
        upload_id = client.create_multipart_upload(
            bucket=bucket, key=key, **create
        ).upload_id
    except ServiceError as error:
        raise _fail_upload(error, what) from error
    try:
        answers = _run_parts(
            [
                functools.partial(send, upload_id, n)
                for n, send in enumerate(senders, start=1)
            ],
            config,
        )
        complete = _keywords(
            client,
            "CompleteMultipartUpload",
            extra,
            _COMPLETE_MULTIPART_ARGS.__contains__,
        )
        client.complete_multipart_upload(
            bucket=bucket,
            key=key,
            upload_id=upload_id,
            multipart_upload=_completed_upload(
                client, list(enumerate(answers, start=1))
            ),
            **complete,
        )
    except BaseException as error:
        _abort(client, bucket, key, upload_id, extra)
        raise _fail_upload(error, what) from error


def _abort(
    client: S3Operations,
    bucket: str,
    key: str,
    upload_id: str,
    extra: Mapping[str, Any],
) -> None:
    abort = _keywords(
        client,
        "AbortMultipartUpload",
        extra,
        ("RequestPayer", "ExpectedBucketOwner").__contains__,
    )
    try:
        client.abort_multipart_upload(
            bucket=bucket, key=key, upload_id=upload_id, **abort
        )
    except Exception:  # noqa: BLE001 - the part's error is the one to raise
        pass


def _read_parts(fileobj: IO[bytes], chunk: int, first: bytes) -> Iterator[bytes]:
    """``first`` then the rest of ``fileobj``, in pieces of ``chunk`` bytes
    (the last shorter)."""
    pending = first
    ended = False
    while True:
        while len(pending) < chunk and not ended:
            data = fileobj.read(chunk - len(pending))
            if data:
                pending += data
            else:
                ended = True
        if not pending:
            return
        yield pending[:chunk]
        pending = pending[chunk:]


def upload_fileobj(
    client: S3Operations,
    fileobj: IO[bytes],
    bucket: str,
    key: str,
    extra_args: Mapping[str, Any] | None = None,
    callback: Callback | None = None,
    config: TransferConfig | None = None,
) -> None:
    """boto3's ``upload_fileobj``: ``fileobj`` is read from where it is,
    in parts held in memory (at most ``max_concurrency`` + 1 at a time)."""
    config = config or TransferConfig()
    extra = _check_extra(extra_args, ALLOWED_UPLOAD_ARGS)
    if not hasattr(fileobj, "read"):
        raise ParamValidationError(
            ["Fileobj: expected a binary file object with read()"]
        )
    what = f"fileobj to {bucket}/{key}"
    first = fileobj.read(config.multipart_threshold)
    if not isinstance(first, bytes):
        raise ParamValidationError(
            ["Fileobj: expected a binary file object (read() gave no bytes)"]
        )
    if len(first) < config.multipart_threshold:
        put = _keywords(
            client, "PutObject", extra, lambda n: n not in _PUT_OBJECT_BLOCKLIST
        )
        try:
            client.put_object(bucket=bucket, key=key, body=first, **put)
        except ServiceError as error:
            raise _fail_upload(error, what) from error
        if callback is not None and first:
            callback(len(first))
        return
    chunk = adjust_chunksize(config.multipart_chunksize)
    part_args = _keywords(client, "UploadPart", extra, _UPLOAD_PART_ARGS.__contains__)
    create = _keywords(
        client,
        "CreateMultipartUpload",
        extra,
        lambda n: n not in _CREATE_MULTIPART_BLOCKLIST,
    )
    try:
        upload_id = client.create_multipart_upload(
            bucket=bucket, key=key, **create
        ).upload_id
    except ServiceError as error:
        raise _fail_upload(error, what) from error

    def send(number: int, data: bytes) -> tuple[int, Any]:
        answer = client.upload_part(
            bucket=bucket,
            key=key,
            upload_id=upload_id,
            part_number=number,
            body=data,
            **part_args,
        )
        if callback is not None:
            callback(len(data))
        return number, answer

    answers: list[tuple[int, Any]] = []
    try:
        workers = config.max_concurrency if config.use_threads else 1
        window = threading.BoundedSemaphore(workers)
        with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
            futures = []
            for number, data in enumerate(_read_parts(fileobj, chunk, first), start=1):
                window.acquire()
                future = pool.submit(send, number, data)
                future.add_done_callback(lambda _: window.release())
                futures.append(future)
                if any(f.done() and f.exception() for f in futures):
                    break
            concurrent.futures.wait(futures)
            answers.extend(future.result() for future in futures)
        complete = _keywords(
            client,
            "CompleteMultipartUpload",
            extra,
            _COMPLETE_MULTIPART_ARGS.__contains__,
        )
        client.complete_multipart_upload(
            bucket=bucket,
            key=key,
            upload_id=upload_id,
            multipart_upload=_completed_upload(client, answers),
            **complete,
        )
    except BaseException as error:
        _abort(client, bucket, key, upload_id, extra)
        raise _fail_upload(error, what) from error


def _retryable_read_errors() -> tuple[type[BaseException], ...]:
    """s3transfer's ``S3_RETRYABLE_DOWNLOAD_ERRORS``, ours: the transport's
    errors while reading a body (a connection closed early, a timeout)."""
    from typed_aws_runtime.http import TransportError

    return (TransportError, ConnectionError, TimeoutError)


class _ReadFailed(Exception):
    def __init__(self, error: BaseException) -> None:
        super().__init__(error)
        self.error = error


def _chunks(
    body: Any, size: int, retryable: tuple[type[BaseException], ...]
) -> Iterator[bytes]:
    while True:
        try:
            data = body.read(size)
        except retryable as error:
            raise _ReadFailed(error) from error
        if not data:
            return
        yield data


def _get_range(
    client: S3Operations,
    bucket: str,
    key: str,
    get: Mapping[str, Any],
    config: TransferConfig,
    callback: Callback | None,
    write: Callable[[int, bytes], object],
) -> None:
    """One ``GetObject`` (ranged or not) written through ``write(offset,
    data)`` (offsets from the range's start), retried on read errors."""
    retryable = _retryable_read_errors()
    last: BaseException | None = None
    for _ in range(config.num_download_attempts):
        done = 0
        try:
            out = client.get_object(bucket=bucket, key=key, **get)
            with out.body as body:
                for data in _chunks(body, config.io_chunksize, retryable):
                    write(done, data)
                    done += len(data)
                    if callback is not None:
                        callback(len(data))
            return
        except _ReadFailed as failed:
            last = failed.error
        except retryable as error:
            last = error
        if callback is not None and done:
            callback(-done)
    raise RetriesExceededError(last)


def _download(
    client: S3Operations,
    bucket: str,
    key: str,
    extra_args: Mapping[str, Any] | None,
    callback: Callback | None,
    config: TransferConfig,
    open_range: Callable[[int], Callable[[int, bytes], object]],
    on_size: Callable[[int], object],
) -> None:
    extra = _check_extra(extra_args, ALLOWED_DOWNLOAD_ARGS)
    head = _keywords(client, "HeadObject", extra, _HEAD_OBJECT_ARGS.__contains__)
    info = client.head_object(bucket=bucket, key=key, **head)
    size = int(info.content_length or 0)
    on_size(size)
    get = _keywords(client, "GetObject", extra, ALLOWED_DOWNLOAD_ARGS.__contains__)
    if size < config.multipart_threshold:
        _get_range(client, bucket, key, get, config, callback, open_range(0))
        return
    chunk = config.multipart_chunksize
    jobs = [
        (
            lambda i=i, spec=spec: _get_range(
                client,
                bucket,
                key,
                {**get, "range": spec, "if_match": info.e_tag},
                config,
                callback,
                open_range(i * chunk),
            )
        )
        for i, spec in enumerate(_download_plan(size, config))
    ]
    _run_parts(jobs, config)


def temporary_name(filename: str) -> str:
    """s3transfer's ``get_temp_filename``: beside the target, a dot and 8
    hex digits appended (the name cut to stay within 255 characters)."""
    suffix = "." + secrets.token_hex(4)
    path, name = os.path.split(filename)
    return os.path.join(path, name[: 255 - len(suffix)] + suffix)


def download_file(
    client: S3Operations,
    bucket: str,
    key: str,
    filename: str | os.PathLike[str],
    extra_args: Mapping[str, Any] | None = None,
    callback: Callback | None = None,
    config: TransferConfig | None = None,
) -> None:
    """boto3's ``download_file`` (see the module's documentation)."""
    config = config or TransferConfig()
    target = os.fspath(filename)
    temp = temporary_name(target)
    lock = threading.Lock()
    handles: list[IO[bytes]] = []

    def on_size(size: int) -> None:
        with open(temp, "wb") as f:
            f.truncate(size)

    def open_range(start: int) -> Callable[[int, bytes], object]:
        handle: list[IO[bytes]] = []

        def write(offset: int, data: bytes) -> None:
            if not handle:
                opened: IO[bytes] = open(temp, "r+b")  # noqa: SIM115 - closed below
                with lock:
                    handles.append(opened)
                handle.append(opened)
            f = handle[0]
            f.seek(start + offset)
            f.write(data)

        return write

    try:
        _download(
            client, bucket, key, extra_args, callback, config, open_range, on_size
        )
        for f in handles:
            f.close()
        if not os.path.exists(temp):  # an empty object: nothing was written
            open(temp, "wb").close()
        os.replace(temp, target)
    except BaseException:
        for f in handles:
            f.close()
        if os.path.exists(temp):
            os.remove(temp)
        raise


def download_fileobj(
    client: S3Operations,
    bucket: str,
    key: str,
    fileobj: IO[bytes],
    extra_args: Mapping[str, Any] | None = None,
    callback: Callback | None = None,
    config: TransferConfig | None = None,
) -> None:
    """boto3's ``download_fileobj``: ranges are written at their offsets
    (relative to where ``fileobj`` stands) when it can seek, in order
    otherwise (each range then waits for the ones before it)."""
    config = config or TransferConfig()
    if not hasattr(fileobj, "write"):
        raise ParamValidationError(
            ["Fileobj: expected a binary file object with write()"]
        )
    try:
        base: int | None = fileobj.tell() if fileobj.seekable() else None
    except (AttributeError, OSError):
        base = None
    lock = threading.Lock()
    turn = threading.Condition(lock)
    state = {"next": 0}

    def open_range(start: int) -> Callable[[int, bytes], object]:
        def write(offset: int, data: bytes) -> None:
            if base is not None:
                with lock:
                    fileobj.seek(base + start + offset)
                    fileobj.write(data)
                return
            with turn:  # no seeking: ranges in order, a range's bytes in order
                turn.wait_for(lambda: state["next"] == start + offset)
                fileobj.write(data)
                state["next"] += len(data)
                turn.notify_all()

        return write

    if base is None:
        # In order only: one range at a time keeps the waits from blocking
        # the workers the earlier ranges need.
        config = TransferConfig(
            multipart_threshold=config.multipart_threshold,
            max_concurrency=1,
            multipart_chunksize=config.multipart_chunksize,
            num_download_attempts=config.num_download_attempts,
            io_chunksize=config.io_chunksize,
            use_threads=False,
        )
    _download(
        client, bucket, key, extra_args, callback, config, open_range, lambda _: None
    )
    if base is not None:
        fileobj.seek(0, os.SEEK_END)


# -- the asynchronous client -------------------------------------------------


class AsyncS3Operations(Protocol):
    """The typed S3 operations an asynchronous transfer awaits."""

    def put_object(self, **kwargs: Any) -> Awaitable[Any]: ...
    def create_multipart_upload(self, **kwargs: Any) -> Awaitable[Any]: ...
    def upload_part(self, **kwargs: Any) -> Awaitable[Any]: ...
    def complete_multipart_upload(self, **kwargs: Any) -> Awaitable[Any]: ...
    def abort_multipart_upload(self, **kwargs: Any) -> Awaitable[Any]: ...
    def head_object(self, **kwargs: Any) -> Awaitable[Any]: ...
    def get_object(self, **kwargs: Any) -> Awaitable[Any]: ...


def _read_window(path: str, start: int, length: int) -> bytes:
    with open(path, "rb") as f:
        f.seek(start)
        return f.read(length)


async def _gather_or_cancel(coroutines: Sequence[Awaitable[Any]]) -> list[Any]:
    """Every result in order; on the first failure the other tasks are
    cancelled (and awaited) before it is raised."""
    tasks = [asyncio.ensure_future(c) for c in coroutines]
    try:
        return await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


async def async_upload_file(
    client: AsyncS3Operations,
    filename: str | os.PathLike[str],
    bucket: str,
    key: str,
    extra_args: Mapping[str, Any] | None = None,
    callback: Callback | None = None,
    config: TransferConfig | None = None,
) -> None:
    """``upload_file`` on the asynchronous client: parts are tasks, at
    most ``max_concurrency`` at a time (a semaphore), each read from the
    file in a worker thread into memory and sent as bytes."""
    config = config or TransferConfig()
    extra = _check_extra(extra_args, ALLOWED_UPLOAD_ARGS)
    path = os.fspath(filename)
    await asyncio.to_thread(_schema, client)  # read once, off the loop
    size = await asyncio.to_thread(os.path.getsize, path)
    what = f"{path} to {bucket}/{key}"
    if size < config.multipart_threshold:
        put = _keywords(
            client, "PutObject", extra, lambda n: n not in _PUT_OBJECT_BLOCKLIST
        )
        data = await asyncio.to_thread(_read_window, path, 0, size)
        try:
            await client.put_object(bucket=bucket, key=key, body=data, **put)
        except ServiceError as error:
            raise _fail_upload(error, what) from error
        if callback is not None and size:
            callback(size)
        return
    create = _keywords(
        client,
        "CreateMultipartUpload",
        extra,
        lambda n: n not in _CREATE_MULTIPART_BLOCKLIST,
    )
    part_args = _keywords(client, "UploadPart", extra, _UPLOAD_PART_ARGS.__contains__)
    try:
        created = await client.create_multipart_upload(bucket=bucket, key=key, **create)
    except ServiceError as error:
        raise _fail_upload(error, what) from error
    upload_id = created.upload_id
    limit = asyncio.Semaphore(config.max_concurrency if config.use_threads else 1)

    async def part(number: int, start: int, length: int) -> Any:
        async with limit:
            data = await asyncio.to_thread(_read_window, path, start, length)
            answer = await client.upload_part(
                bucket=bucket,
                key=key,
                upload_id=upload_id,
                part_number=number,
                body=data,
                **part_args,
            )
            if callback is not None:
                callback(length)
            return answer

    try:
        answers = await _gather_or_cancel(
            [
                part(n, s, ln)
                for n, (s, ln) in enumerate(_upload_plan(size, config), start=1)
            ]
        )
        complete = _keywords(
            client,
            "CompleteMultipartUpload",
            extra,
            _COMPLETE_MULTIPART_ARGS.__contains__,
        )
        await client.complete_multipart_upload(
            bucket=bucket,
            key=key,
            upload_id=upload_id,
            multipart_upload=_completed_upload(
                client, list(enumerate(answers, start=1))
            ),
            **complete,
        )
    except BaseException as error:
        abort = _keywords(
            client,
            "AbortMultipartUpload",
            extra,
            ("RequestPayer", "ExpectedBucketOwner").__contains__,
        )
        try:
            await client.abort_multipart_upload(
                bucket=bucket, key=key, upload_id=upload_id, **abort
            )
        except Exception:  # noqa: BLE001 - the part's error is the one to raise
            pass
        raise _fail_upload(error, what) from error


def _write_at(f: IO[bytes], offset: int, data: bytes) -> None:
    f.seek(offset)
    f.write(data)


def _create_sized(path: str, size: int) -> None:
    with open(path, "wb") as f:
        f.truncate(size)


async def async_download_file(
    client: AsyncS3Operations,
    bucket: str,
    key: str,
    filename: str | os.PathLike[str],
    extra_args: Mapping[str, Any] | None = None,
    callback: Callback | None = None,
    config: TransferConfig | None = None,
) -> None:
    """``download_file`` on the asynchronous client: ranges are tasks, at
    most ``max_concurrency`` at a time; the body is read on the loop and
    written (in place, into the temporary file) in a worker thread."""
    from typed_aws_runtime.streaming import as_async_body

    config = config or TransferConfig()
    extra = _check_extra(extra_args, ALLOWED_DOWNLOAD_ARGS)
    await asyncio.to_thread(_schema, client)
    target = os.fspath(filename)
    temp = temporary_name(target)
    head = _keywords(client, "HeadObject", extra, _HEAD_OBJECT_ARGS.__contains__)
    get = _keywords(client, "GetObject", extra, ALLOWED_DOWNLOAD_ARGS.__contains__)
    info = await client.head_object(bucket=bucket, key=key, **head)
    size = int(info.content_length or 0)
    retryable = _retryable_read_errors()
    limit = asyncio.Semaphore(config.max_concurrency if config.use_threads else 1)

    async def fetch(start: int, args: Mapping[str, Any]) -> None:
        async with limit:
            f = await asyncio.to_thread(open, temp, "r+b")
            try:
                last: BaseException | None = None
                for _ in range(config.num_download_attempts):
                    done = 0
                    try:
                        out = await client.get_object(bucket=bucket, key=key, **args)
                        body = as_async_body(out.body)
                        async with body:
                            while data := await body.read(config.io_chunksize):
                                await asyncio.to_thread(
                                    _write_at, f, start + done, data
                                )
                                done += len(data)
                                if callback is not None:
                                    callback(len(data))
                        return
                    except retryable as error:
                        last = error
                    if callback is not None and done:
                        callback(-done)
                raise RetriesExceededError(last)
            finally:
                await asyncio.to_thread(f.close)

    try:
        await asyncio.to_thread(_create_sized, temp, size)
        if size < config.multipart_threshold:
            await fetch(0, get)
        else:
            chunk = config.multipart_chunksize
            await _gather_or_cancel(
                [
                    fetch(i * chunk, {**get, "range": spec, "if_match": info.e_tag})
                    for i, spec in enumerate(_download_plan(size, config))
                ]
            )
        await asyncio.to_thread(os.replace, temp, target)
    except BaseException:
        if await asyncio.to_thread(os.path.exists, temp):
            await asyncio.to_thread(os.remove, temp)
        raise
