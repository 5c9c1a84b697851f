"""S3 end to end against moto in server mode: our client and boto3 against
the same server give the same results.

Buckets in two regions; put, get and head; ListObjectsV2 pages with
prefixes and delimiters; copy; multipart upload; DeleteObjects; flexible
checksums sent by default and verified by moto (a wrong one is refused);
typed NoSuchKey and NoSuchBucket. With an ``endpoint_url`` both address
buckets path-style, as botocore does.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import inspect
import io
import zlib
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest

from tests.e2e.support import (
    RecordingTransport,
    same_as_boto3,
    same_error_as_boto3,
    same_pages_as_boto3,
    service_package,
)


@pytest.fixture(scope="module")
def s3() -> ModuleType:
    return service_package("s3")


@pytest.fixture
def transport() -> Iterator[RecordingTransport]:
    recording = RecordingTransport()
    yield recording
    recording.close()


@pytest.fixture
def ours(
    s3: ModuleType, client_options: dict[str, Any], transport: RecordingTransport
) -> Iterator[Any]:
    with s3.S3Client(transport=transport, **client_options) as client:
        yield client


@pytest.fixture
def ours_west(
    s3: ModuleType, client_options: dict[str, Any], transport: RecordingTransport
) -> Iterator[Any]:
    options = {**client_options, "region_name": "us-west-2"}
    with s3.S3Client(transport=transport, **options) as client:
        yield client


@pytest.fixture
def boto(boto3_client: Callable[[str], Any]) -> Any:
    return boto3_client("s3")


def _read(body: Any) -> bytes:
    """A streamed body's bytes (on the asynchronous client, replayed through
    tests.e2e.async_support.Blocking, awaited on its loop)."""
    data = body.read()
    if inspect.isawaitable(data):
        from tests.e2e.async_support import LoopThread

        assert LoopThread.latest is not None
        data = LoopThread.latest.run(data)
    return bytes(data)


def _crc32(data: bytes) -> str:
    return base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()


def _sha256(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def test_buckets_in_two_regions(
    s3: ModuleType, ours: Any, ours_west: Any, boto: Any
) -> None:
    shapes = importlib.import_module(f"{s3.__name__}.shapes")
    ours.create_bucket(bucket="e2e-east")
    ours_west.create_bucket(
        bucket="e2e-west",
        create_bucket_configuration=shapes.CreateBucketConfiguration(
            location_constraint="us-west-2"
        ),
    )
    for bucket, region in (("e2e-east", None), ("e2e-west", "us-west-2")):
        mine = ours.get_bucket_location(bucket=bucket)
        theirs = boto.get_bucket_location(Bucket=bucket)
        assert mine.location_constraint == theirs.get("LocationConstraint") == region
        head = ours.head_bucket(bucket=bucket)
        assert head.bucket_region == boto.head_bucket(Bucket=bucket)["BucketRegion"]
    names = [b.name for b in ours.list_buckets().buckets]
    assert names == [b["Name"] for b in boto.list_buckets()["Buckets"]]
    assert {"e2e-east", "e2e-west"} <= set(names)


def test_put_get_head_with_checksums(
    s3: ModuleType, ours: Any, boto: Any, transport: RecordingTransport
) -> None:
    ours.create_bucket(bucket="e2e-objects")
    data = b"hello, moto\n" * 100
    # Default: CRC32 in a header over http (no aws-chunked trailer).
    put = ours.put_object(bucket="e2e-objects", key="a/b.txt", body=data)
    request = transport.exchanges[-1][0]
    assert request.headers["x-amz-checksum-crc32"] == _crc32(data)
    assert put.checksum_crc32 == _crc32(data)
    # A file body with SHA256 (sent with Expect: 100-continue).
    put = ours.put_object(
        bucket="e2e-objects",
        key="a/c.bin",
        body=io.BytesIO(data),
        checksum_algorithm="SHA256",
        metadata={"k": "v"},
        content_type="application/octet-stream",
    )
    assert transport.exchanges[-1][0].headers["Expect"] == "100-continue"
    assert put.checksum_sha256 == _sha256(data)
    for key in ("a/b.txt", "a/c.bin"):
        got = ours.get_object(bucket="e2e-objects", key=key)
        theirs = boto.get_object(Bucket="e2e-objects", Key=key)
        assert _read(got.body) == theirs["Body"].read() == data
        assert got.e_tag == theirs["ETag"]
        assert got.metadata == theirs["Metadata"]
        assert got.checksum_crc32 == theirs.get("ChecksumCRC32")
        assert got.checksum_sha256 == theirs.get("ChecksumSHA256")
        # ChecksumMode ENABLED by default (response_checksum_validation).
        assert transport.exchanges[-1][0].headers["x-amz-checksum-mode"] == "ENABLED"
        head = ours.head_object(bucket="e2e-objects", key=key)
        same_as_boto3(
            head, boto, "HeadObject", boto.head_object(Bucket="e2e-objects", Key=key)
        )


@pytest.mark.parametrize("algorithm", ["CRC32", "SHA1", "SHA256"])
def test_moto_computes_the_checksum_we_sent(
    algorithm: str, ours: Any, boto: Any, transport: RecordingTransport
) -> None:
    """moto computes the named algorithm over the body it received (it does
    not echo ours): the checksum it returns is the one we sent."""
    ours.create_bucket(bucket="e2e-sums")
    data = bytes(range(256)) * 50
    put = ours.put_object(
        bucket="e2e-sums", key="k", body=data, checksum_algorithm=algorithm
    )
    sent = transport.exchanges[-1][0].headers[f"x-amz-checksum-{algorithm.lower()}"]
    member = f"checksum_{algorithm.lower()}"
    assert getattr(put, member) == sent
    head = ours.head_object(bucket="e2e-sums", key="k", checksum_mode="ENABLED")
    theirs = boto.head_object(Bucket="e2e-sums", Key="k", ChecksumMode="ENABLED")
    assert getattr(head, member) == theirs[f"Checksum{algorithm}"] == sent


def test_list_objects_v2_pages_prefixes_delimiters(ours: Any, boto: Any) -> None:
    ours.create_bucket(bucket="e2e-list")
    keys = [f"dir{i % 3}/file {i:02d}+&.txt" for i in range(23)] + ["top", "ü/ñ"]
    for key in keys:
        ours.put_object(bucket="e2e-list", key=key, body=key.encode())
    for kwargs in (
        {},
        {"prefix": "dir1/"},
        {"delimiter": "/"},
        {"prefix": "dir", "delimiter": "/"},
    ):
        boto_kwargs = {k.capitalize(): v for k, v in kwargs.items()}
        pages = same_pages_as_boto3(
            ours.get_paginator("list_objects_v2").paginate(
                bucket="e2e-list", max_keys=5, **kwargs
            ),
            boto,
            "ListObjectsV2",
            boto.get_paginator("list_objects_v2").paginate(
                Bucket="e2e-list", MaxKeys=5, **boto_kwargs
            ),
            opaque=("NextContinuationToken", "ContinuationToken"),
        )
        listed = [c.key for p in pages for c in (p.contents or ())]
        expected = sorted(k for k in keys if k.startswith(kwargs.get("prefix", "")))
        if "delimiter" not in kwargs:
            assert listed == expected


def test_copy_across_regions(ours: Any, ours_west: Any, boto: Any, s3: Any) -> None:
    shapes = importlib.import_module(f"{s3.__name__}.shapes")
    ours.create_bucket(bucket="e2e-src")
    ours_west.create_bucket(
        bucket="e2e-dst",
        create_bucket_configuration=shapes.CreateBucketConfiguration(
            location_constraint="us-west-2"
        ),
    )
    ours.put_object(bucket="e2e-src", key="a b/ü.txt", body=b"copied")
    copied = ours_west.copy_object(
        bucket="e2e-dst", key="copy", copy_source="e2e-src/a b/ü.txt"
    )
    theirs = boto.copy_object(
        Bucket="e2e-dst", Key="copy2", CopySource="e2e-src/a b/ü.txt"
    )
    assert copied.copy_object_result.e_tag == theirs["CopyObjectResult"]["ETag"]
    got = _read(ours.get_object(bucket="e2e-dst", key="copy").body)
    assert got == b"copied"


def test_multipart_upload(ours: Any, boto: Any, s3: Any) -> None:
    shapes = importlib.import_module(f"{s3.__name__}.shapes")
    ours.create_bucket(bucket="e2e-mpu")
    started = ours.create_multipart_upload(
        bucket="e2e-mpu", key="big", checksum_algorithm="CRC32"
    )
    parts = [b"a" * (5 * 1024 * 1024), b"tail"]
    done = []
    for number, data in enumerate(parts, start=1):
        part = ours.upload_part(
            bucket="e2e-mpu",
            key="big",
            upload_id=started.upload_id,
            part_number=number,
            body=data,
            checksum_algorithm="CRC32",
        )
        assert part.checksum_crc32 == _crc32(data)
        done.append(
            shapes.CompletedPart(
                e_tag=part.e_tag, part_number=number, checksum_crc32=part.checksum_crc32
            )
        )
    listed = ours.list_parts(bucket="e2e-mpu", key="big", upload_id=started.upload_id)
    same_as_boto3(
        listed,
        boto,
        "ListParts",
        boto.list_parts(Bucket="e2e-mpu", Key="big", UploadId=started.upload_id),
    )
    ours.complete_multipart_upload(
        bucket="e2e-mpu",
        key="big",
        upload_id=started.upload_id,
        multipart_upload=shapes.CompletedMultipartUpload(parts=done),
    )
    body = _read(ours.get_object(bucket="e2e-mpu", key="big").body)
    assert body == b"".join(parts)
    assert body == boto.get_object(Bucket="e2e-mpu", Key="big")["Body"].read()


def test_delete_objects(ours: Any, boto: Any, s3: Any) -> None:
    shapes = importlib.import_module(f"{s3.__name__}.shapes")
    ours.create_bucket(bucket="e2e-del")
    for key in ("one", "two"):
        ours.put_object(bucket="e2e-del", key=key, body=b"x")
    # A key with a line break (not stored: moto cannot take it in a path)
    # travels escaped in the XML body and comes back intact.
    deleted = ours.delete_objects(
        bucket="e2e-del",
        delete=shapes.Delete(
            objects=[shapes.ObjectIdentifier(key=k) for k in ("one", "line\nbreak")]
        ),
    )
    assert sorted(d.key for d in deleted.deleted) == ["line\nbreak", "one"]
    left = boto.list_objects_v2(Bucket="e2e-del")
    assert [c["Key"] for c in left["Contents"]] == ["two"]


def test_typed_missing_key_and_bucket(
    s3: ModuleType, ours: Any, boto: Any, transport: RecordingTransport
) -> None:
    ours.create_bucket(bucket="e2e-err")
    with pytest.raises(s3.errors.NoSuchKey) as raised:
        ours.get_object(bucket="e2e-err", key="missing")
    with pytest.raises(boto.exceptions.NoSuchKey) as theirs:
        boto.get_object(Bucket="e2e-err", Key="missing")
    reported = theirs.value.response
    assert raised.value.code == reported["Error"]["Code"] == "NoSuchKey"
    assert raised.value.message == reported["Error"]["Message"]
    assert raised.value.status_code == 404
    with pytest.raises(s3.errors.NoSuchBucket) as missing:
        ours.list_objects_v2(bucket="e2e-nowhere")
    response = transport.last_response
    with pytest.raises(boto.exceptions.NoSuchBucket) as theirs_bucket:
        boto.list_objects_v2(Bucket="e2e-nowhere")
    same_error_as_boto3(
        missing.value, response, boto, "ListObjectsV2", theirs_bucket.value
    )
