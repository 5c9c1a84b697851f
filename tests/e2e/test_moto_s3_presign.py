"""Presigned requests used for real against moto in server mode, through
plain urllib3 (no client, no credentials on the sending side): an object
PUT through our presigned PutObject URL and read back through our presigned
GetObject URL, against what boto3 stores and reads; a form POST built from
our ``generate_presigned_post``, accepted by moto as an upload.

moto (5.x, server mode) does not check presigned signatures (a tampered
``X-Amz-Signature`` is served too): what these tests show is that the URL,
its query and the form fields are the ones S3 acts on; the signatures
themselves are compared byte for byte with botocore's under a fixed clock
in tests/conformance/test_presign.py."""

from __future__ import annotations

import asyncio
import os
import urllib.parse
from collections.abc import Callable
from typing import Any

import boto3
import botocore.config
import pytest
import urllib3

from generated.s3 import AsyncS3Client, S3Client

DATA = os.urandom(70_000)


@pytest.fixture
def s3(client_options: dict[str, Any]) -> S3Client:
    return S3Client(**client_options)


@pytest.fixture
def boto_s3(boto3_client: Callable[[str], Any]) -> Any:
    return boto3_client("s3")


@pytest.fixture
def boto_s3v4(client_options: dict[str, Any]) -> Any:
    """boto3 presigning with SigV4, as ours always does: by default boto3
    presigns S3 URLs with the legacy query signature (``AWSAccessKeyId``,
    ``Signature``, ``Expires``) in most regions."""
    config = botocore.config.Config(signature_version="s3v4")
    return boto3.session.Session().client("s3", config=config, **client_options)


def query_names(url: str) -> set[str]:
    return set(urllib.parse.parse_qs(urllib.parse.urlsplit(url).query))


def test_presigned_put_then_get(s3: S3Client, boto_s3: Any, boto_s3v4: Any) -> None:
    boto_s3.create_bucket(Bucket="presigned")
    http = urllib3.PoolManager()
    put_url = s3.generate_presigned_url(
        "put_object",
        Params={"Bucket": "presigned", "Key": "dir/obj name.bin"},
        ExpiresIn=300,
    )
    theirs = boto_s3v4.generate_presigned_url(
        "put_object",
        Params={"Bucket": "presigned", "Key": "dir/obj name.bin"},
        ExpiresIn=300,
    )
    # The same URL but for the time and signature (the conformance tests
    # compare them byte for byte under a fixed clock).
    assert put_url.split("?")[0] == theirs.split("?")[0]
    assert query_names(put_url) == query_names(theirs)
    answer = http.request("PUT", put_url, body=DATA)
    assert answer.status == 200, answer.data
    got = boto_s3.get_object(Bucket="presigned", Key="dir/obj name.bin")
    assert got["Body"].read() == DATA

    get_url = s3.generate_presigned_url(
        "get_object", Params={"Bucket": "presigned", "Key": "dir/obj name.bin"}
    )
    answer = http.request("GET", get_url)
    assert answer.status == 200
    assert answer.data == DATA
    assert answer.headers["ETag"] == got["ETag"]
    theirs_get = boto_s3v4.generate_presigned_url(
        "get_object", Params={"Bucket": "presigned", "Key": "dir/obj name.bin"}
    )
    assert http.request("GET", theirs_get).data == answer.data

    # A ranged presigned GET: the Range is a header the caller adds.
    ranged = s3.generate_presigned_url(
        "get_object", Params={"Bucket": "presigned", "Key": "dir/obj name.bin"}
    )
    answer = http.request("GET", ranged, headers={"Range": "bytes=10-19"})
    assert answer.status == 206 and answer.data == DATA[10:20]


def test_presigned_url_of_a_missing_object_is_404(s3: S3Client, boto_s3: Any) -> None:
    boto_s3.create_bucket(Bucket="presigned-missing")
    url = s3.generate_presigned_url(
        "get_object", Params={"Bucket": "presigned-missing", "Key": "nothing"}
    )
    answer = urllib3.PoolManager().request("GET", url)
    assert answer.status == 404
    assert b"NoSuchKey" in answer.data


def test_presigned_post_is_accepted(s3: S3Client, boto_s3: Any, boto_s3v4: Any) -> None:
    boto_s3.create_bucket(Bucket="posted")
    post = s3.generate_presigned_post(
        "posted",
        "uploads/${filename}",
        Fields={"Content-Type": "text/plain", "success_action_status": "201"},
        Conditions=[
            {"Content-Type": "text/plain"},
            {"success_action_status": "201"},
            ["content-length-range", 1, 1_000_000],
        ],
        ExpiresIn=600,
    )
    theirs = boto_s3v4.generate_presigned_post(
        "posted",
        "uploads/${filename}",
        Fields={"Content-Type": "text/plain", "success_action_status": "201"},
        Conditions=[
            {"Content-Type": "text/plain"},
            {"success_action_status": "201"},
            ["content-length-range", 1, 1_000_000],
        ],
        ExpiresIn=600,
    )
    assert post["url"] == theirs["url"]
    assert set(post["fields"]) == set(theirs["fields"])
    assert {
        k: v for k, v in post["fields"].items() if "x-amz" not in k and k != "policy"
    } == {
        k: v for k, v in theirs["fields"].items() if "x-amz" not in k and k != "policy"
    }
    fields: dict[str, Any] = dict(post["fields"])
    fields["file"] = ("note.txt", b"posted through a form", "text/plain")
    answer = urllib3.PoolManager().request("POST", post["url"], fields=fields)
    assert answer.status == 201, answer.data
    got = boto_s3.get_object(Bucket="posted", Key="uploads/note.txt")
    assert got["Body"].read() == b"posted through a form"
    assert got["ContentType"] == "text/plain"


def test_async_presigned_url_works(
    client_options: dict[str, Any], boto_s3: Any
) -> None:
    boto_s3.create_bucket(Bucket="presigned-aio")
    boto_s3.put_object(Bucket="presigned-aio", Key="k", Body=DATA)

    async def presign() -> str:
        async with AsyncS3Client(**client_options) as client:
            return await client.generate_presigned_url(
                "get_object", Params={"Bucket": "presigned-aio", "Key": "k"}
            )

    answer = urllib3.PoolManager().request("GET", asyncio.run(presign()))
    assert answer.status == 200 and answer.data == DATA
