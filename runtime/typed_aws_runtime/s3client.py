"""The methods boto3 gives S3's client beyond the model's operations, as
mixins the generated ``S3Client`` and ``AsyncS3Client`` inherit (the
generator's table: ``codegen/client_methods.py``). Each is thin: the work
is in ``presign.py``, imported on first use."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typed_aws_runtime.client import BaseClient

    _Base = BaseClient
else:
    _Base = object

__all__ = ["AsyncS3ClientMethods", "S3ClientMethods"]


class S3ClientMethods(_Base):
    """boto3's S3 client methods: presigned POSTs (managed transfers,
    boto3's ``upload_file`` and friends, are not done yet)."""

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


if TYPE_CHECKING:
    from typed_aws_runtime.aio import AsyncBaseClient

    _AsyncBase = AsyncBaseClient
else:
    _AsyncBase = object


class AsyncS3ClientMethods(_AsyncBase):
    """boto3's S3 presigned POST on the asynchronous client (a coroutine, as
    aiobotocore's). Managed transfers are the blocking client's only."""

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
