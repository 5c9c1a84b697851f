"""HealthOmics streaming upload and download against a local scripted server.

moto has no Omics. ``UploadReadSetPart`` streams its input (``authtype``
``v4-unsigned-body``); ``GetReadSet`` and ``GetReference`` stream their
output. Both go to the ``storage-`` host prefix and are signed for ``omics``.
What we send is compared with what a botocore client sends to the same server.
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import botocore.config
import pytest

from generated.omics import OmicsClient, enums, errors
from tests.e2e.support import (
    ACCESS_KEY,
    REGION,
    SECRET_KEY,
    Reply,
    ScriptedAwsServer,
    comparable_headers,
    error_reply,
    sha256,
)
from typed_aws_runtime.streaming import StreamingBody

STORE = "1234567890"
UPLOAD = "9876543210"
PART = os.urandom(3 * 1024 * 1024 + 4321)  # > 20 of urllib3's 128 KiB blocks


@pytest.fixture
def omics_server(aws_server: ScriptedAwsServer) -> ScriptedAwsServer:
    aws_server.reset(service="omics")
    return aws_server


@pytest.fixture
def ours(omics_server: ScriptedAwsServer) -> Iterator[OmicsClient]:
    with OmicsClient(
        endpoint_url=omics_server.endpoint_url,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    ) as client:
        yield client


def _botocore(server: ScriptedAwsServer) -> Any:
    return boto3.session.Session().client(
        "omics",
        endpoint_url=server.endpoint_url,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=botocore.config.Config(retries={"mode": "standard"}),
    )


class _Pipe(io.RawIOBase):
    """A readable stream that cannot seek or tell, like a socket or a pipe."""

    def __init__(self, data: bytes, piece: int = 50_000) -> None:
        self._data = memoryview(data)
        self._piece = piece

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = min(len(buffer), self._piece, len(self._data))
        buffer[:n] = self._data[:n]
        self._data = self._data[n:]
        return n


def _checksum_reply() -> Reply:
    return Reply(200, {"checksum": "e2e-part-checksum"})


def test_upload_from_file_arrives_intact_unsigned_like_botocore(
    omics_server: ScriptedAwsServer, ours: OmicsClient, tmp_path: Path
) -> None:
    source = tmp_path / "part.bam"
    source.write_bytes(PART)
    omics_server.script(_checksum_reply(), _checksum_reply())
    with source.open("rb") as f:
        result = ours.upload_read_set_part(
            sequence_store_id=STORE,
            upload_id=UPLOAD,
            part_source=enums.ReadSetPartSource.SOURCE1,
            part_number=1,
            payload=f,
        )
    with source.open("rb") as f:
        _botocore(omics_server).upload_read_set_part(
            sequenceStoreId=STORE,
            uploadId=UPLOAD,
            partSource="SOURCE1",
            partNumber=1,
            payload=f,
        )
    assert result.checksum == "e2e-part-checksum"

    mine, theirs = omics_server.take()
    for request in (mine, theirs):
        assert request.signature_problem is None, request.signature_problem
        assert request.method == "PUT"
        assert request.host == f"storage-localhost:{omics_server.port}"
        assert request.target == (
            f"/sequencestore/{STORE}/upload/{UPLOAD}/part"
            "?partSource=SOURCE1&partNumber=1"
        )
        assert sha256(request.body) == sha256(PART) and not request.chunked
        # v4-unsigned-body: flagged, and signed with UNSIGNED-PAYLOAD.
        assert request.header("X-Amz-Content-SHA256") == "UNSIGNED-PAYLOAD"
    assert comparable_headers(mine) == comparable_headers(theirs)
    assert mine.header("Content-Length") == str(len(PART))
    assert (
        mine.header("Authorization").split("Signature=")[0]
        == theirs.header("Authorization").split("Signature=")[0]
    )


def test_upload_from_unseekable_stream_is_sent_chunked(
    omics_server: ScriptedAwsServer, ours: OmicsClient
) -> None:
    omics_server.script(_checksum_reply(), _checksum_reply())
    result = ours.upload_read_set_part(
        sequence_store_id=STORE,
        upload_id=UPLOAD,
        part_source="SOURCE2",
        part_number=2,
        payload=_Pipe(PART),
    )
    _botocore(omics_server).upload_read_set_part(
        sequenceStoreId=STORE,
        uploadId=UPLOAD,
        partSource="SOURCE2",
        partNumber=2,
        payload=_Pipe(PART),
    )
    assert result.checksum == "e2e-part-checksum"
    mine, theirs = omics_server.take()
    omics_server.assert_all_signed()
    assert mine.chunked and theirs.chunked and len(mine.chunk_sizes) > 1
    assert sha256(mine.body) == sha256(theirs.body) == sha256(PART)
    assert comparable_headers(mine) == comparable_headers(theirs)


def test_upload_from_bytes(omics_server: ScriptedAwsServer, ours: OmicsClient) -> None:
    omics_server.script(_checksum_reply(), _checksum_reply())
    ours.upload_read_set_part(
        sequence_store_id=STORE,
        upload_id=UPLOAD,
        part_source="SOURCE1",
        part_number=3,
        payload=PART[:1000],
    )
    _botocore(omics_server).upload_read_set_part(
        sequenceStoreId=STORE,
        uploadId=UPLOAD,
        partSource="SOURCE1",
        partNumber=3,
        payload=PART[:1000],
    )
    mine, theirs = omics_server.take()
    omics_server.assert_all_signed()
    assert mine.body == theirs.body == PART[:1000]
    assert comparable_headers(mine) == comparable_headers(theirs)


def test_download_streams_in_chunks(
    omics_server: ScriptedAwsServer, ours: OmicsClient
) -> None:
    content = os.urandom(8 * 131072 + 999)
    chunks = [content[i : i + 131072] for i in range(0, len(content), 131072)]
    gate = threading.Event()
    headers = {"Content-Type": "application/octet-stream"}
    omics_server.script(
        Reply(200, headers=headers, chunks=chunks, gate=gate, gate_after=2),
        Reply(200, headers=headers, chunks=chunks),
    )
    try:
        result = ours.get_read_set(
            sequence_store_id=STORE,
            id="5555555555",
            part_number=1,
            file=enums.ReadSetFile.SOURCE1,
        )
        payload = result.payload
        assert isinstance(payload, StreamingBody)
        # The server holds back the rest until the gate opens: this read can
        # only succeed if the client streams instead of preloading the body.
        head = payload.read(1000)
        assert head == content[:1000]
    finally:
        gate.set()
    received = [head]
    received += list(payload.iter_chunks(65536))
    assert all(len(piece) <= 65536 for piece in received)
    assert b"".join(received) == content
    assert payload.read() == b""
    payload.close()

    boto_result = _botocore(omics_server).get_read_set(
        id="5555555555", sequenceStoreId=STORE, file="SOURCE1", partNumber=1
    )
    assert boto_result["payload"].read() == content
    mine, theirs = omics_server.take()
    omics_server.assert_all_signed()
    assert (
        mine.method == "GET" and mine.host == f"storage-localhost:{omics_server.port}"
    )
    # botocore orders the query as the caller orders the arguments; ours
    # follows the model, which is what botocore gives for model order.
    assert (
        mine.target
        == theirs.target
        == (f"/sequencestore/{STORE}/readset/5555555555?file=SOURCE1&partNumber=1")
    )
    assert comparable_headers(mine) == comparable_headers(theirs)
    assert mine.header("X-Amz-Content-SHA256") is None


def test_download_with_range_header_and_context_manager(
    omics_server: ScriptedAwsServer, ours: OmicsClient
) -> None:
    content = os.urandom(100)
    omics_server.script(Reply(200, content), Reply(200, content))
    result = ours.get_reference(
        reference_store_id=STORE, id="7777777777", part_number=1, range="bytes=0-99"
    )
    assert result.payload is not None
    with result.payload as body:
        assert body.read(40) + body.read() == content
    _botocore(omics_server).get_reference(
        referenceStoreId=STORE,
        id="7777777777",
        partNumber=1,
        range="bytes=0-99",
    )["payload"].read()
    mine, theirs = omics_server.take()
    omics_server.assert_all_signed()
    assert mine.header("Range") == "bytes=0-99"
    assert mine.target == theirs.target
    assert comparable_headers(mine) == comparable_headers(theirs)


def test_error_on_streaming_operation_is_typed(
    omics_server: ScriptedAwsServer, ours: OmicsClient
) -> None:
    omics_server.script(
        error_reply(
            404,
            "ResourceNotFoundException",
            "Read set 1 not found",
            request_id="req-rnf",
        ),
        Reply(200, b"after the error"),
    )
    with pytest.raises(errors.ResourceNotFoundException) as caught:
        ours.get_read_set(sequence_store_id=STORE, id="1111111111", part_number=1)
    error = caught.value
    assert (error.code, error.message, error.status_code, error.request_id) == (
        "ResourceNotFoundException",
        "Read set 1 not found",
        404,
        "req-rnf",
    )
    # The connection of the error went back to the pool: the client still works.
    again = ours.get_read_set(sequence_store_id=STORE, id="1111111111", part_number=1)
    assert again.payload is not None and again.payload.read() == b"after the error"
    again.payload.close()
