"""S3 per call against botocore: ``python -m bench.s3``.

PutObject (1 KiB, bytes), GetObject (1 KiB, body read) and ListObjectsV2
(1,000 keys), each with botocore's default flexible-checksum settings on
both sides (CRC32 sent, the response's CRC32 checked), over an in-memory
transport (ours) and a ``before-send`` handler (botocore). Medians of paired
repeats, as ``bench/__main__.py`` measures.
"""

from __future__ import annotations

import argparse
import base64
import io
import statistics
import time
import zlib
from collections.abc import Callable
from typing import Any

KEYS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}
REGION = "us-east-1"
OBJECT = b"x" * 1024
CRC = base64.b64encode(zlib.crc32(OBJECT).to_bytes(4, "big")).decode()


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._data = io.BytesIO(body)

    def stream(self, **_: Any) -> Any:
        yield self._data.read()

    def read(self, amt: int | None = None, **_: Any) -> bytes:
        return self._data.read() if amt is None else self._data.read(amt)


def _listing(keys: int) -> bytes:
    contents = "".join(
        f"<Contents><Key>prefix/key-{n:05d}.txt</Key>"
        "<LastModified>2026-01-01T00:00:00.000Z</LastModified>"
        f'<ETag>"{n:032x}"</ETag><Size>{n}</Size>'
        "<StorageClass>STANDARD</StorageClass></Contents>"
        for n in range(keys)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
        f"<Name>b</Name><Prefix></Prefix><KeyCount>{keys}</KeyCount>"
        f"<MaxKeys>{keys}</MaxKeys><IsTruncated>false</IsTruncated>{contents}"
        "</ListBucketResult>"
    ).encode()


def _answers() -> dict[str, tuple[dict[str, str], bytes]]:
    return {
        "PutObject": ({"ETag": '"e"', "x-amz-checksum-crc32": CRC}, b""),
        "GetObject": (
            {
                "ETag": '"e"',
                "Content-Length": str(len(OBJECT)),
                "x-amz-checksum-crc32": CRC,
                "Last-Modified": "Thu, 01 Jan 2026 00:00:00 GMT",
            },
            OBJECT,
        ),
        "ListObjectsV2": ({"Content-Type": "application/xml"}, _listing(1000)),
    }


def _clients() -> tuple[Any, Any]:
    import botocore.session
    from botocore.awsrequest import AWSResponse

    from generated.s3 import S3Client
    from typed_aws_runtime.transport import HttpResponse

    answers = _answers()
    theirs = botocore.session.get_session().create_client(
        "s3", region_name=REGION, **KEYS
    )

    def send(request: Any, **kwargs: Any) -> Any:
        name = kwargs["event_name"].rsplit(".", 1)[1]
        headers, body = answers[name]
        return AWSResponse(request.url, 200, headers, _Raw(body))

    theirs.meta.events.register("before-send.s3", send)

    class Canned:
        def send(self, request: Any) -> Any:
            operation = _operation(request.method, request.url)
            headers, body = answers[operation]
            return HttpResponse(
                200, headers, io.BytesIO(body) if operation == "GetObject" else body
            )

    ours = S3Client(
        region_name=REGION,
        transport=Canned(),
        aws_access_key_id=KEYS["aws_access_key_id"],
        aws_secret_access_key=KEYS["aws_secret_access_key"],
    )
    return ours, theirs


def _operation(method: str, url: str) -> str:
    if method == "PUT":
        return "PutObject"
    return "ListObjectsV2" if "list-type=2" in url else "GetObject"


def cases() -> list[tuple[str, Callable[[], Any], Callable[[], Any]]]:
    ours, theirs = _clients()
    return [
        (
            "s3 PutObject (1 KiB)",
            lambda: ours.put_object(bucket="b", key="k", body=OBJECT),
            lambda: theirs.put_object(Bucket="b", Key="k", Body=OBJECT),
        ),
        (
            "s3 GetObject (1 KiB, read)",
            lambda: ours.get_object(bucket="b", key="k").body.read(),
            lambda: theirs.get_object(Bucket="b", Key="k")["Body"].read(),
        ),
        (
            "s3 ListObjectsV2 (1,000 keys)",
            lambda: ours.list_objects_v2(bucket="b"),
            lambda: theirs.list_objects_v2(Bucket="b"),
        ),
    ]


def _per_call(call: Callable[[], Any], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        call()
    return (time.perf_counter() - start) / calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"{'case':34} {'ours µs':>10} {'botocore µs':>12} {'ratio':>7}")
    for name, ours, theirs in cases():
        ours()
        theirs()
        mine, boto, ratios = [], [], []
        for _ in range(args.repeats):
            calls = args.calls if "1,000" not in name else max(args.calls // 20, 5)
            a, b = _per_call(ours, calls), _per_call(theirs, calls)
            mine.append(a)
            boto.append(b)
            ratios.append(b / a)
        print(
            f"{name:34} {statistics.median(mine) * 1e6:10.1f} "
            f"{statistics.median(boto) * 1e6:12.1f} {statistics.median(ratios):6.1f}x"
        )


if __name__ == "__main__":
    main()
