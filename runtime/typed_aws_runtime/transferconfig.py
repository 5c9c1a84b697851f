"""boto3's ``TransferConfig`` and the errors of managed transfers
(``transfer.py`` does the transfers; this module is small, so that the S3
client's methods can name these types without importing it)."""

from __future__ import annotations

from dataclasses import dataclass

from typed_aws_runtime.errors import ClientError, ParamValidationError

__all__ = ["RetriesExceededError", "S3UploadFailedError", "TransferConfig"]

KB = 1024
MB = KB * KB


@dataclass(frozen=True, kw_only=True)
class TransferConfig:
    """boto3's ``TransferConfig``, with its names and defaults.

    Left out: ``max_io_queue`` (writes are not queued: each worker writes
    its own range), ``io_chunksize`` is kept (the piece read from a
    download stream), ``max_bandwidth``, ``preferred_transfer_client``
    (the CRT), and the checksum settings (the client's).
    """

    multipart_threshold: int = 8 * MB
    max_concurrency: int = 10
    multipart_chunksize: int = 8 * MB
    num_download_attempts: int = 5
    io_chunksize: int = 256 * KB
    use_threads: bool = True

    def __post_init__(self) -> None:
        problems = []
        for name in (
            "multipart_threshold",
            "max_concurrency",
            "multipart_chunksize",
            "num_download_attempts",
            "io_chunksize",
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                problems.append(f"{name}: expected a positive int, got {value!r}")
        if not isinstance(self.use_threads, bool):
            problems.append(f"use_threads: expected a bool, got {self.use_threads!r}")
        if problems:
            raise ParamValidationError(problems)


class S3UploadFailedError(ClientError):
    """An upload failed with an error from S3 (boto3's name); the S3 error
    is the ``__cause__``. A multipart upload was aborted first."""


class RetriesExceededError(ClientError):
    """A download range failed to read ``num_download_attempts`` times
    (s3transfer's name); ``last_exception`` is the last read error."""

    def __init__(self, last_exception: BaseException | None) -> None:
        self.last_exception = last_exception
        super().__init__(f"Max Retries Exceeded: {last_exception!r}")
