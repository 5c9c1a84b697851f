"""Managed transfers (boto3's ``upload_file`` and friends) against moto in
server mode, with boto3 as the oracle: the same object (content, ETag with
its ``-N`` parts count, ContentType, Metadata) as boto3's ``upload_file``
with the same settings, downloads equal to what boto3 reads, progress
callbacks summing to the size, a failing part retried or the upload aborted
(faults injected by a transport wrapper), a ranged GET retried after a read
error, a 100 MB upload in bounded memory, and the asynchronous versions."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO, cast

import boto3.s3.transfer
import pytest

from generated.s3 import AsyncS3Client, S3Client
from typed_aws_runtime.errors import ParamValidationError
from typed_aws_runtime.http import ConnectionClosedError, Urllib3Transport
from typed_aws_runtime.transfer import ALLOWED_DOWNLOAD_ARGS, ALLOWED_UPLOAD_ARGS
from typed_aws_runtime.transferconfig import (
    RetriesExceededError,
    S3UploadFailedError,
    TransferConfig,
)
from typed_aws_runtime.transport import HttpRequest, HttpResponse

MiB = 1024 * 1024
SMALL = os.urandom(300_000)
BIG = os.urandom(20 * MiB + 12345)  # 5 parts of 5 MiB, the last short
OURS = TransferConfig(multipart_threshold=5 * MiB, multipart_chunksize=5 * MiB)
THEIRS = boto3.s3.transfer.TransferConfig(
    multipart_threshold=5 * MiB, multipart_chunksize=5 * MiB
)


class Counter:
    """A progress callback that sums what it is told, from any thread."""

    def __init__(self) -> None:
        self.total = 0
        self.calls = 0
        self.threads: set[str] = set()
        self._lock = threading.Lock()

    def __call__(self, amount: int) -> None:
        with self._lock:
            self.total += amount
            self.calls += 1
            self.threads.add(threading.current_thread().name)


@pytest.fixture
def s3(client_options: dict[str, Any]) -> S3Client:
    return S3Client(**client_options)


@pytest.fixture
def boto_s3(boto3_client: Callable[[str], Any]) -> Any:
    return boto3_client("s3")


def test_allowed_args_are_s3transfers() -> None:
    assert set(ALLOWED_UPLOAD_ARGS) == set(
        boto3.s3.transfer.S3Transfer.ALLOWED_UPLOAD_ARGS
    )
    assert set(ALLOWED_DOWNLOAD_ARGS) == set(
        boto3.s3.transfer.S3Transfer.ALLOWED_DOWNLOAD_ARGS
    )


@pytest.mark.parametrize("data", [SMALL, BIG], ids=["small", "multipart"])
def test_upload_file_as_boto3(
    s3: S3Client, boto_s3: Any, tmp_path: Path, data: bytes
) -> None:
    s3.create_bucket(bucket="xfer")
    path = tmp_path / "src"
    path.write_bytes(data)
    progress = Counter()
    s3.upload_file(
        str(path),
        "xfer",
        "ours",
        ExtraArgs={"ContentType": "text/x-ours", "Metadata": {"origin": "typed"}},
        Callback=progress,
        Config=OURS,
    )
    boto_s3.upload_file(
        str(path),
        "xfer",
        "theirs",
        ExtraArgs={"ContentType": "text/x-ours", "Metadata": {"origin": "typed"}},
        Config=THEIRS,
    )
    assert progress.total == len(data)
    ours = boto_s3.head_object(Bucket="xfer", Key="ours")
    theirs = boto_s3.head_object(Bucket="xfer", Key="theirs")
    assert ours["ETag"] == theirs["ETag"]
    if len(data) > 5 * MiB:
        assert ours["ETag"].endswith('-5"')
        assert len(progress.threads) > 1  # parts went in parallel
    else:
        assert "-" not in ours["ETag"]
    assert ours["ContentType"] == theirs["ContentType"] == "text/x-ours"
    assert ours["Metadata"] == theirs["Metadata"] == {"origin": "typed"}
    got = boto_s3.get_object(Bucket="xfer", Key="ours")["Body"].read()
    assert got == data


@pytest.mark.parametrize("data", [SMALL, BIG, b""], ids=["small", "ranged", "empty"])
def test_download_file_as_boto3(
    s3: S3Client, boto_s3: Any, tmp_path: Path, data: bytes
) -> None:
    boto_s3.create_bucket(Bucket="down")
    boto_s3.put_object(Bucket="down", Key="obj", Body=data)
    target = tmp_path / "got"
    target.write_bytes(b"old content, replaced")
    progress = Counter()
    s3.download_file("down", "obj", str(target), Callback=progress, Config=OURS)
    assert target.read_bytes() == data
    assert progress.total == len(data)
    assert sorted(os.listdir(tmp_path)) == ["got"]  # the temporary file is gone
    theirs = tmp_path / "theirs"
    boto_s3.download_file("down", "obj", str(theirs), Config=THEIRS)
    assert theirs.read_bytes() == target.read_bytes()


def test_fileobj_round_trip(s3: S3Client, boto_s3: Any) -> None:
    s3.create_bucket(bucket="fobj")
    source = io.BytesIO(b"skipped" + BIG)
    source.read(7)  # read from where it stands, as boto3
    progress = Counter()
    s3.upload_fileobj(source, "fobj", "obj", Callback=progress, Config=OURS)
    assert progress.total == len(BIG)
    head = boto_s3.head_object(Bucket="fobj", Key="obj")
    assert head["ETag"].endswith('-5"')
    assert boto_s3.get_object(Bucket="fobj", Key="obj")["Body"].read() == BIG

    sink = io.BytesIO()
    s3.download_fileobj("fobj", "obj", sink, Config=OURS)
    assert sink.getvalue() == BIG

    class WriteOnly(io.RawIOBase):  # cannot seek: ranges must come in order
        def __init__(self) -> None:
            self.data = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, b: Any) -> int:
            self.data += b
            return len(b)

    pipe = WriteOnly()
    s3.download_fileobj("fobj", "obj", pipe, Config=OURS)  # type: ignore[arg-type]
    assert bytes(pipe.data) == BIG


def test_extra_args_checked(s3: S3Client, tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x")
    with pytest.raises(ParamValidationError, match="Bucket"):
        s3.upload_file(str(path), "b", "k", ExtraArgs={"Bucket": "other"})
    with pytest.raises(ValueError, match="ContentType"):  # boto3 raises ValueError
        s3.download_file("b", "k", str(path), ExtraArgs={"ContentType": "x"})
    with pytest.raises(ParamValidationError, match="max_concurrency"):
        TransferConfig(max_concurrency=0)


class FaultyTransport:
    """The default transport, but ``fault(request, attempt)`` may answer
    instead (``attempt``: how often this method and URL came before)."""

    def __init__(
        self, fault: Callable[[HttpRequest, int], HttpResponse | None]
    ) -> None:
        self.inner = Urllib3Transport()
        self.fault = fault
        self.seen: dict[tuple[str, str], int] = {}
        self.log: list[tuple[str, str]] = []
        self._lock = threading.Lock()

    def send(self, request: HttpRequest) -> HttpResponse:
        key = (request.method, request.url)
        with self._lock:
            attempt = self.seen.get(key, 0)
            self.seen[key] = attempt + 1
            self.log.append(key)
        answer = self.fault(request, attempt)
        return answer if answer is not None else self.inner.send(request)


INTERNAL_ERROR = HttpResponse(
    500,
    {"Content-Type": "application/xml"},
    b"<Error><Code>InternalError</Code><Message>injected</Message></Error>",
)


def part_number(request: HttpRequest) -> int | None:
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(request.url).query)
    return int(query["partNumber"][0]) if "partNumber" in query else None


def test_failed_part_is_retried(
    client_options: dict[str, Any], boto_s3: Any, tmp_path: Path
) -> None:
    def fault(request: HttpRequest, attempt: int) -> HttpResponse | None:
        return INTERNAL_ERROR if part_number(request) == 2 and attempt == 0 else None

    transport = FaultyTransport(fault)
    s3 = S3Client(**client_options, transport=transport)
    s3.create_bucket(bucket="retry")
    path = tmp_path / "src"
    path.write_bytes(BIG)
    progress = Counter()
    s3.upload_file(str(path), "retry", "obj", Callback=progress, Config=OURS)
    sent = [part_number(HttpRequest(m, u, {}, b"")) for m, u in transport.log]
    assert sent.count(2) == 2 and sent.count(1) == 1
    assert progress.total == len(BIG)  # the part re-sent is not counted twice
    assert boto_s3.get_object(Bucket="retry", Key="obj")["Body"].read() == BIG


def test_failing_part_aborts_the_upload(
    client_options: dict[str, Any], boto_s3: Any, tmp_path: Path
) -> None:
    def fault(request: HttpRequest, attempt: int) -> HttpResponse | None:
        return INTERNAL_ERROR if part_number(request) == 3 else None

    transport = FaultyTransport(fault)
    s3 = S3Client(**client_options, transport=transport, max_attempts=2)
    s3.create_bucket(bucket="abort")
    path = tmp_path / "src"
    path.write_bytes(BIG)
    with pytest.raises(S3UploadFailedError, match="InternalError") as failed:
        s3.upload_file(str(path), "abort", "obj", Config=OURS)
    assert failed.value.__cause__ is not None
    assert [m for m, _ in transport.log].count("DELETE") == 1  # AbortMultipartUpload
    assert boto_s3.list_multipart_uploads(Bucket="abort").get("Uploads", []) == []
    assert "Contents" not in boto_s3.list_objects_v2(Bucket="abort")


class BrokenBody(io.RawIOBase):
    """A body that gives ``good`` bytes, then fails as a connection closed
    early does."""

    def __init__(self, inner: Any, good: int, url: str) -> None:
        super().__init__()
        self.inner, self.left, self.url = inner, good, url

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if self.left <= 0:
            raise ConnectionClosedError(self.url)
        data = self.inner.read(min(self.left, size if size and size > 0 else 65536))
        self.left -= len(data)
        return bytes(data)

    def close(self) -> None:
        self.inner.close()
        super().close()


@pytest.mark.parametrize("always", [False, True], ids=["retried", "exhausted"])
def test_download_read_error_retries_the_range(
    client_options: dict[str, Any], boto_s3: Any, tmp_path: Path, always: bool
) -> None:
    boto_s3.create_bucket(Bucket="flaky")
    boto_s3.put_object(Bucket="flaky", Key="obj", Body=BIG)
    inner = Urllib3Transport()

    def fault(request: HttpRequest, attempt: int) -> HttpResponse | None:
        if request.method != "GET" or request.headers.get("Range") != (
            f"bytes={5 * MiB}-{10 * MiB - 1}"
        ):
            return None
        if attempt > 0 and not always:
            return None
        response = inner.send(request)
        response.body = cast(
            BinaryIO, BrokenBody(response.body, 1_000_000, request.url)
        )
        return response

    transport = FaultyTransport(fault)
    s3 = S3Client(**client_options, transport=transport)
    target = tmp_path / "got"
    progress = Counter()
    config = TransferConfig(
        multipart_threshold=5 * MiB,
        multipart_chunksize=5 * MiB,
        num_download_attempts=3,
    )
    if always:
        with pytest.raises(RetriesExceededError) as failed:
            s3.download_file("flaky", "obj", str(target), Config=config)
        assert isinstance(failed.value.last_exception, ConnectionClosedError)
        assert not target.exists() and os.listdir(tmp_path) == []
        return
    s3.download_file("flaky", "obj", str(target), Callback=progress, Config=config)
    assert target.read_bytes() == BIG
    assert progress.total == len(BIG)  # the lost bytes were taken back


def test_async_upload_and_download_file(
    client_options: dict[str, Any], boto_s3: Any, tmp_path: Path
) -> None:
    path = tmp_path / "src"
    path.write_bytes(BIG)
    small = tmp_path / "small"
    small.write_bytes(SMALL)
    up, down = Counter(), Counter()

    async def scenario() -> None:
        async with AsyncS3Client(**client_options) as s3:
            await s3.create_bucket(bucket="aio-xfer")
            await s3.upload_file(
                str(path),
                "aio-xfer",
                "big",
                ExtraArgs={"ContentType": "application/x-aio"},
                Callback=up,
                Config=OURS,
            )
            await s3.upload_file(str(small), "aio-xfer", "small")
            await s3.download_file(
                "aio-xfer",
                "big",
                str(tmp_path / "big-back"),
                Callback=down,
                Config=OURS,
            )
            await s3.download_file("aio-xfer", "small", str(tmp_path / "small-back"))

    asyncio.run(scenario())
    boto_s3.upload_file(str(path), "aio-xfer", "theirs", Config=THEIRS)
    ours = boto_s3.head_object(Bucket="aio-xfer", Key="big")
    assert ours["ETag"] == boto_s3.head_object(Bucket="aio-xfer", Key="theirs")["ETag"]
    assert ours["ContentType"] == "application/x-aio"
    assert (tmp_path / "big-back").read_bytes() == BIG
    assert (tmp_path / "small-back").read_bytes() == SMALL
    assert up.total == down.total == len(BIG)
    body = boto_s3.get_object(Bucket="aio-xfer", Key="small")["Body"].read()
    assert body == SMALL


MEMORY_SCRIPT = """
import os, resource, sys
from generated.s3 import S3Client
from typed_aws_runtime.transferconfig import TransferConfig

path, endpoint = sys.argv[1], sys.argv[2]
s3 = S3Client(endpoint_url=endpoint, region_name="us-east-1",
              aws_access_key_id="AKIDE2EEXAMPLE000001",
              aws_secret_access_key="e2eSecretKey/NEVER+shown/0123456789abcd")
s3.create_bucket(bucket="memory")
small = TransferConfig(multipart_threshold=5 << 20, multipart_chunksize=5 << 20)
s3.upload_file(path, "memory", "warm", Config=small)  # threads, pool, codecs loaded
s3.delete_object(bucket="memory", key="warm")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
big = path + ".big"
with open(big, "wb") as f:
    for _ in range(100):
        f.write(os.urandom(1 << 20))
s3.upload_file(big, "memory", "big")  # defaults: 8 MiB parts, 10 threads
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
head = s3.head_object(bucket="memory", key="big")
print(after - before, head.content_length, head.e_tag)
"""


def test_upload_file_of_100_mb_in_bounded_memory(moto: str, tmp_path: Path) -> None:
    path = tmp_path / "warm"
    path.write_bytes(os.urandom(6 * MiB))
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{root / 'runtime'}"}
    answer = subprocess.run(
        [sys.executable, "-c", MEMORY_SCRIPT, str(path), moto],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=True,
    )
    growth_kib, length, etag = answer.stdout.split()
    print(f"peak RSS growth {int(growth_kib) // 1024} MiB")
    assert int(length) == 100 * MiB
    assert etag.endswith('-13"')  # 12 parts of 8 MiB and one of 4 MiB
    # 10 threads x 8 MiB parts would be 80 MiB if parts were held in memory.
    assert int(growth_kib) < 60 * 1024, f"peak RSS grew by {growth_kib} KiB"
