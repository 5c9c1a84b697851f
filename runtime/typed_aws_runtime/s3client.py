"""The methods boto3 gives S3's client beyond the model's operations, as
mixins the generated ``S3Client`` and ``AsyncS3Client`` inherit (the
generator's table: ``codegen/client_methods.py``). Each is thin: the work
is in ``presign.py`` and ``transfer.py``, imported on first use."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any, cast

from typed_aws_runtime.transferconfig import TransferConfig

if TYPE_CHECKING:
    from typed_aws_runtime.client import BaseClient
    from typed_aws_runtime.transfer import AsyncS3Operations, S3Operations

    _Base = BaseClient
else:
    _Base = object

__all__ = ["AsyncS3ClientMethods", "S3ClientMethods"]


class S3ClientMethods(_Base):
    """boto3's S3 client methods: presigned POSTs and managed transfers
    (``upload_file``, ``download_file``, ``upload_fileobj``,
    ``download_fileobj``, with boto3's arguments; see ``transfer.py``)."""

    def generate_presigned_post(
        self,
        Bucket: str,  # noqa: N803 - boto3's names
        Key: str,  # noqa: N803
        Fields: Mapping[str, str] | None = None,  # noqa: N803
        Conditions: Sequence[Any] | None = None,  # noqa: N803
        ExpiresIn: int = 3600,  # noqa: N803
    ) -> dict[str, Any]:
        """``{"url": ..., "fields": {...}}`` for an HTML form POST upload,
        as boto3's (botocore's ``S3PostPresigner``): the policy document
        holds ``Conditions``, the bucket and the key, signed with SigV4."""
        from typed_aws_runtime.presign import generate_presigned_post

        return generate_presigned_post(self, Bucket, Key, Fields, Conditions, ExpiresIn)

    def upload_file(
        self,
        Filename: str | os.PathLike[str],  # noqa: N803 - boto3's names
        Bucket: str,  # noqa: N803
        Key: str,  # noqa: N803
        ExtraArgs: Mapping[str, Any] | None = None,  # noqa: N803
        Callback: Callable[[int], object] | None = None,  # noqa: N803
        Config: TransferConfig | None = None,  # noqa: N803
    ) -> None:
        """Upload a file, in parts in parallel from ``multipart_threshold``
        (boto3's ``upload_file``). ``ExtraArgs``: s3transfer's allowed upload
        arguments, wire names (``{"ContentType": ..., "Metadata": {...}}``).
        ``Callback(n)``: n more bytes sent, from worker threads."""
        from typed_aws_runtime.transfer import upload_file

        upload_file(
            cast("S3Operations", self),
            Filename,
            Bucket,
            Key,
            ExtraArgs,
            Callback,
            Config,
        )

    def upload_fileobj(
        self,
        Fileobj: IO[bytes],  # noqa: N803 - boto3's names
        Bucket: str,  # noqa: N803
        Key: str,  # noqa: N803
        ExtraArgs: Mapping[str, Any] | None = None,  # noqa: N803
        Callback: Callable[[int], object] | None = None,  # noqa: N803
        Config: TransferConfig | None = None,  # noqa: N803
    ) -> None:
        """Upload a binary file object from where it stands (boto3's
        ``upload_fileobj``); parts are held in memory, at most
        ``max_concurrency`` + 1 at a time."""
        from typed_aws_runtime.transfer import upload_fileobj

        upload_fileobj(
            cast("S3Operations", self),
            Fileobj,
            Bucket,
            Key,
            ExtraArgs,
            Callback,
            Config,
        )

    def download_file(
        self,
        Bucket: str,  # noqa: N803 - boto3's names
        Key: str,  # noqa: N803
        Filename: str | os.PathLike[str],  # noqa: N803
        ExtraArgs: Mapping[str, Any] | None = None,  # noqa: N803
        Callback: Callable[[int], object] | None = None,  # noqa: N803
        Config: TransferConfig | None = None,  # noqa: N803
    ) -> None:
        """Download an object to a file (boto3's ``download_file``): ranged
        GETs in parallel from ``multipart_threshold``, written in place into
        a temporary file renamed onto ``Filename`` once complete."""
        from typed_aws_runtime.transfer import download_file

        download_file(
            cast("S3Operations", self),
            Bucket,
            Key,
            Filename,
            ExtraArgs,
            Callback,
            Config,
        )

    def download_fileobj(
        self,
        Bucket: str,  # noqa: N803 - boto3's names
        Key: str,  # noqa: N803
        Fileobj: IO[bytes],  # noqa: N803
        ExtraArgs: Mapping[str, Any] | None = None,  # noqa: N803
        Callback: Callable[[int], object] | None = None,  # noqa: N803
        Config: TransferConfig | None = None,  # noqa: N803
    ) -> None:
        """Download an object into a binary file object (boto3's
        ``download_fileobj``)."""
        from typed_aws_runtime.transfer import download_fileobj

        download_fileobj(
            cast("S3Operations", self),
            Bucket,
            Key,
            Fileobj,
            ExtraArgs,
            Callback,
            Config,
        )


if TYPE_CHECKING:
    from typed_aws_runtime.aio import AsyncBaseClient

    _AsyncBase = AsyncBaseClient
else:
    _AsyncBase = object


class AsyncS3ClientMethods(_AsyncBase):
    """boto3's S3 presigned POST and ``upload_file`` / ``download_file`` on
    the asynchronous client (coroutines, as aiobotocore's): tasks under a
    semaphore of ``max_concurrency``, file I/O in worker threads."""

    async def generate_presigned_post(
        self,
        Bucket: str,  # noqa: N803 - boto3's names
        Key: str,  # noqa: N803
        Fields: Mapping[str, str] | None = None,  # noqa: N803
        Conditions: Sequence[Any] | None = None,  # noqa: N803
        ExpiresIn: int = 3600,  # noqa: N803
    ) -> dict[str, Any]:
        """As :meth:`S3ClientMethods.generate_presigned_post`."""
        from typed_aws_runtime.presign import generate_presigned_post

        await self._ready_to_sign()
        return generate_presigned_post(self, Bucket, Key, Fields, Conditions, ExpiresIn)

    async def upload_file(
        self,
        Filename: str | os.PathLike[str],  # noqa: N803 - boto3's names
        Bucket: str,  # noqa: N803
        Key: str,  # noqa: N803
        ExtraArgs: Mapping[str, Any] | None = None,  # noqa: N803
        Callback: Callable[[int], object] | None = None,  # noqa: N803
        Config: TransferConfig | None = None,  # noqa: N803
    ) -> None:
        """As :meth:`S3ClientMethods.upload_file`; each part is read into
        memory in a worker thread (at most ``max_concurrency`` at a time)."""
        from typed_aws_runtime.transfer import async_upload_file

        await async_upload_file(
            cast("AsyncS3Operations", self),
            Filename,
            Bucket,
            Key,
            ExtraArgs,
            Callback,
            Config,
        )

    async def download_file(
        self,
        Bucket: str,  # noqa: N803 - boto3's names
        Key: str,  # noqa: N803
        Filename: str | os.PathLike[str],  # noqa: N803
        ExtraArgs: Mapping[str, Any] | None = None,  # noqa: N803
        Callback: Callable[[int], object] | None = None,  # noqa: N803
        Config: TransferConfig | None = None,  # noqa: N803
    ) -> None:
        """As :meth:`S3ClientMethods.download_file`."""
        from typed_aws_runtime.transfer import async_download_file

        await async_download_file(
            cast("AsyncS3Operations", self),
            Bucket,
            Key,
            Filename,
            ExtraArgs,
            Callback,
            Config,
        )
