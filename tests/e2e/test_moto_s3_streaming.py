"""S3 streaming both ways against moto in server mode, with boto3 as the
oracle: GetObject's body as a file object (ranged reads, iteration, ``with``,
``close``), PutObject and UploadPart from a binary file read in pieces, on
the blocking and the asynchronous client."""

from __future__ import annotations

import asyncio
import io
import os
from collections.abc import Callable
from typing import Any

import pytest

from generated.s3 import AsyncS3Client, S3Client
from typed_aws_runtime.streaming import StreamingBody, as_async_body

DATA = os.urandom(300_000)


class CountingReader(io.BytesIO):
    """A binary file that remembers the largest single read asked of it."""

    largest = 0

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            self.largest = max(self.largest, len(self.getbuffer()))
        else:
            self.largest = max(self.largest, size)
        return super().read(size)


@pytest.fixture
def s3(client_options: dict[str, Any]) -> S3Client:
    return S3Client(**client_options)


@pytest.fixture
def boto_s3(boto3_client: Callable[[str], Any]) -> Any:
    return boto3_client("s3")


def test_put_from_file_is_read_in_pieces_and_get_streams(
    s3: S3Client, boto_s3: Any
) -> None:
    s3.create_bucket(bucket="stream-bucket")
    body = CountingReader(DATA)
    s3.put_object(bucket="stream-bucket", key="obj", body=body)
    assert 0 < body.largest <= 1024 * 1024 < len(DATA) * 4
    body = CountingReader(DATA * 8)  # 2.4 MB: more than one signing chunk
    s3.put_object(bucket="stream-bucket", key="big", body=body)
    assert body.largest <= 1024 * 1024
    assert boto_s3.get_object(Bucket="stream-bucket", Key="big")["Body"].read() == (
        DATA * 8
    )
    assert boto_s3.get_object(Bucket="stream-bucket", Key="obj")["Body"].read() == DATA

    out = s3.get_object(bucket="stream-bucket", key="obj")
    assert isinstance(out.body, StreamingBody)
    with out.body as stream:
        head = stream.read(10)
        assert stream.tell() == 10
        rest = b"".join(stream)
    assert stream.closed
    assert head + rest == DATA


@pytest.mark.parametrize("spec", ["bytes=0-9", "bytes=100-", "bytes=-7"])
def test_ranged_get_as_boto3(s3: S3Client, boto_s3: Any, spec: str) -> None:
    s3.create_bucket(bucket="range-bucket")
    s3.put_object(bucket="range-bucket", key="obj", body=DATA)
    ours = s3.get_object(bucket="range-bucket", key="obj", range=spec)
    theirs = boto_s3.get_object(Bucket="range-bucket", Key="obj", Range=spec)
    assert ours.body is not None
    assert ours.body.read() == theirs["Body"].read()
    assert ours.content_range == theirs["ContentRange"]
    assert ours.content_length == theirs["ContentLength"]


def test_upload_part_from_file(s3: S3Client, boto_s3: Any, tmp_path: Any) -> None:
    s3.create_bucket(bucket="part-bucket")
    path = tmp_path / "part"
    path.write_bytes(DATA * 20)  # 6 MB: above S3's 5 MiB minimum part
    upload = s3.create_multipart_upload(bucket="part-bucket", key="mp")
    assert upload.upload_id is not None
    with open(path, "rb") as f:
        part = s3.upload_part(
            bucket="part-bucket",
            key="mp",
            part_number=1,
            upload_id=upload.upload_id,
            body=f,
        )
    boto_s3.complete_multipart_upload(
        Bucket="part-bucket",
        Key="mp",
        UploadId=upload.upload_id,
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part.e_tag}]},
    )
    got = boto_s3.get_object(Bucket="part-bucket", Key="mp")["Body"].read()
    assert got == DATA * 20


def test_async_put_from_file_and_streamed_get(
    client_options: dict[str, Any], boto_s3: Any, tmp_path: Any
) -> None:
    path = tmp_path / "obj"
    path.write_bytes(DATA)

    async def scenario() -> tuple[bytes, bytes, list[bytes]]:
        async with AsyncS3Client(**client_options) as s3:
            await s3.create_bucket(bucket="async-bucket")
            with open(path, "rb") as f:
                await s3.put_object(bucket="async-bucket", key="obj", body=f)
            out = await s3.get_object(bucket="async-bucket", key="obj")
            async with as_async_body(out.body) as body:
                whole = await body.read()
            ranged = await s3.get_object(
                bucket="async-bucket", key="obj", range="bytes=5-14"
            )
            part = await as_async_body(ranged.body).read()
            chunks = await s3.get_object(bucket="async-bucket", key="obj")
            pieces = [c async for c in as_async_body(chunks.body).iter_chunks(65536)]
            return whole, part, pieces

    whole, part, pieces = asyncio.run(scenario())
    assert whole == DATA == b"".join(pieces)
    assert max(len(p) for p in pieces) <= 65536
    theirs = boto_s3.get_object(Bucket="async-bucket", Key="obj", Range="bytes=5-14")
    assert part == theirs["Body"].read()
