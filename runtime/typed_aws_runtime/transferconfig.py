"""boto3's ``TransferConfig`` and the errors of managed transfers
(``transfer.py`` does the transfers; this module is small, so that the S3
client's methods can name these types without importing it)."""

from __future__ import annotations

from typed_aws_runtime.errors import ClientError, ParamValidationError

__all__ = ["RetriesExceededError", "S3UploadFailedError", "TransferConfig"]

KB = 1024
MB = KB * KB


_NAMES = (
    "multipart_threshold",
    "max_concurrency",
    "multipart_chunksize",
    "num_download_attempts",
    "io_chunksize",
    "use_threads",
)


class TransferConfig:
    """boto3's ``TransferConfig``, with its names and defaults, keyword
    only, checked at construction, immutable.

    Left out: ``max_io_queue`` (writes are not queued: each worker writes
    its own range), ``max_bandwidth``, ``preferred_transfer_client`` (the
    CRT), and the checksum settings (the client's). A plain class rather
    than a dataclass: ``dataclasses`` would cost the S3 client's import
    about 10 ms.
    """

    __slots__ = _NAMES

    multipart_threshold: int
    max_concurrency: int
    multipart_chunksize: int
    num_download_attempts: int
    io_chunksize: int
    use_threads: bool

    def __init__(
        self,
        *,
        multipart_threshold: int = 8 * MB,
        max_concurrency: int = 10,
        multipart_chunksize: int = 8 * MB,
        num_download_attempts: int = 5,
        io_chunksize: int = 256 * KB,
        use_threads: bool = True,
    ) -> None:
        problems = []
        values = dict(
            multipart_threshold=multipart_threshold,
            max_concurrency=max_concurrency,
            multipart_chunksize=multipart_chunksize,
            num_download_attempts=num_download_attempts,
            io_chunksize=io_chunksize,
        )
        for name, value in values.items():
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                problems.append(f"{name}: expected a positive int, got {value!r}")
        if not isinstance(use_threads, bool):
            problems.append(f"use_threads: expected a bool, got {use_threads!r}")
        if problems:
            raise ParamValidationError(problems)
        for name, value in {**values, "use_threads": use_threads}.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"TransferConfig is immutable: cannot set {name}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TransferConfig):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in _NAMES)

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, n) for n in _NAMES))

    def __repr__(self) -> str:
        args = ", ".join(f"{n}={getattr(self, n)!r}" for n in _NAMES)
        return f"TransferConfig({args})"


class S3UploadFailedError(ClientError):
    """An upload failed with an error from S3 (boto3's name); the S3 error
    is the ``__cause__``. A multipart upload was aborted first."""


class RetriesExceededError(ClientError):
    """A download range failed to read ``num_download_attempts`` times
    (s3transfer's name); ``last_exception`` is the last read error."""

    def __init__(self, last_exception: BaseException | None) -> None:
        self.last_exception = last_exception
        super().__init__(f"Max Retries Exceeded: {last_exception!r}")
