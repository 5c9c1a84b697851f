"""botocore's S3 handlers (as rules of the customization table) against
botocore: the same request, signature included, at one fixed moment; the
same refusals before sending; listings' keys decoded as botocore decodes them.

Both clients run with botocore's default checksum settings (``when_supported``):
flexible checksums are part of every request compared.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ParamValidationError as BotocoreParamValidationError

from tests import s3_support
from typed_aws_runtime.errors import ParamValidationError
from typed_aws_runtime.transport import HttpResponse

_IGNORED = s3_support.IGNORED_HEADERS


def _pair() -> tuple[Any, Any, Any]:
    boto = s3_support.boto_client(region_name="us-west-2")
    ours, transport = s3_support.ours_client(region_name="us-west-2")
    return boto, ours, transport


def _snake(name: str) -> str:
    from botocore import xform_name

    return str(xform_name(name))


def _same_request(operation: str, params: dict[str, Any]) -> None:
    boto, ours, transport = _pair()
    expected = s3_support.capture_botocore(
        boto, lambda: getattr(boto, _snake(operation))(**params)
    )
    transport.clear()
    transport.queue(HttpResponse(200, {}, b""))
    try:
        getattr(ours, _snake(operation))(**{_snake(k): v for k, v in params.items()})
    except Exception:  # noqa: BLE001, S110 - an empty response may not parse
        pass
    got = transport.last
    assert (got.method, got.url) == (expected.method, expected.url)
    mine = {k.lower(): v for k, v in got.headers.items() if k.lower() not in _IGNORED}
    theirs = {
        k.lower(): v for k, v in expected.headers.items() if k.lower() not in _IGNORED
    }
    assert mine == theirs
    body = got.body if isinstance(got.body, bytes) else got.body.read()
    assert body == expected.body


@pytest.mark.parametrize(
    "source",
    [
        "bucket/key",
        "bucket/a b/c+d?versionId=v1",
        "bucket/\u00fc~!*'()",
        "bucket/key?versionId=",
        "arn:aws:s3:us-west-2:123456789012:accesspoint/myap/object/k",
    ],
)
def test_copy_source_encoding(source: str) -> None:
    _same_request("CopyObject", {"Bucket": "dest", "Key": "k", "CopySource": source})
    _same_request(
        "UploadPartCopy",
        {
            "Bucket": "dest",
            "Key": "k",
            "CopySource": source,
            "PartNumber": 1,
            "UploadId": "u",
        },
    )


@pytest.mark.parametrize("key", ["0123456789abcdef0123456789abcdef", "\u00e9" * 16])
def test_sse_customer_key_md5(key: str) -> None:
    _same_request(
        "GetObject",
        {
            "Bucket": "b",
            "Key": "k",
            "SSECustomerKey": key,
            "SSECustomerAlgorithm": "AES256",
        },
    )
    _same_request(
        "CopyObject",
        {
            "Bucket": "b",
            "Key": "k",
            "CopySource": "src/k",
            "SSECustomerKey": key,
            "SSECustomerAlgorithm": "AES256",
            "CopySourceSSECustomerKey": key[::-1],
            "CopySourceSSECustomerAlgorithm": "AES256",
        },
    )
    # A caller's MD5: the key goes as given.
    _same_request(
        "HeadObject",
        {
            "Bucket": "b",
            "Key": "k",
            "SSECustomerKey": key,
            "SSECustomerKeyMD5": "given",
            "SSECustomerAlgorithm": "AES256",
        },
    )


def _both_refuse(operation: str, params: dict[str, Any]) -> None:
    boto, ours, transport = _pair()
    with pytest.raises(BotocoreParamValidationError):
        getattr(boto, _snake(operation))(**params)
    transport.clear()
    with pytest.raises(ParamValidationError):
        getattr(ours, _snake(operation))(**{_snake(k): v for k, v in params.items()})
    assert not transport.requests


@pytest.mark.parametrize("bucket", ["a/b", "bucket?x", "b\u00fc", "a" * 256])
def test_invalid_bucket_names_refused(bucket: str) -> None:
    _both_refuse("GetObject", {"Bucket": bucket, "Key": "k"})


@pytest.mark.parametrize("metadata", [{"k": "v\u00e9"}, {"cl\u00e9": "v"}])
def test_non_ascii_metadata_refused(metadata: dict[str, str]) -> None:
    _both_refuse(
        "CopyObject",
        {"Bucket": "b", "Key": "k", "CopySource": "s/k", "Metadata": metadata},
    )


_LISTING = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
    b"<Name>b</Name><Prefix>a%2Bb%20c</Prefix><KeyCount>1</KeyCount>"
    b"<MaxKeys>1000</MaxKeys><Delimiter>%2F</Delimiter>"
    b"<EncodingType>{enc}</EncodingType><IsTruncated>false</IsTruncated>"
    b"<Contents><Key>a%2Bb+c%26%C3%BC</Key><Size>1</Size></Contents>"
    b"<CommonPrefixes><Prefix>p%2Fq+</Prefix></CommonPrefixes>"
    b"</ListBucketResult>"
)


@pytest.mark.parametrize("given", [None, "url"])
@pytest.mark.parametrize("answered", [b"url", b"other"])
def test_list_objects_v2_keys_round_trip(given: str | None, answered: bytes) -> None:
    from botocore.awsrequest import AWSResponse

    body = _LISTING.replace(b"{enc}", answered)
    boto, ours, transport = _pair()
    params: dict[str, Any] = {"Bucket": "b"}
    if given is not None:
        params["EncodingType"] = given

    class _Raw:
        def stream(self, **kwargs: Any) -> Any:
            yield body

    def respond(request: Any, **kwargs: Any) -> AWSResponse:
        assert "encoding-type=url" in request.url
        return AWSResponse(request.url, 200, {}, _Raw())

    boto.meta.events.register("before-send.s3.ListObjectsV2", respond)
    expected = boto.list_objects_v2(**params)
    transport.clear()
    transport.queue(HttpResponse(200, {}, body))
    got = ours.list_objects_v2(**{_snake(k): v for k, v in params.items()})
    assert "encoding-type=url" in transport.last.url
    assert got.prefix == expected["Prefix"]
    assert got.delimiter == expected["Delimiter"]
    assert [c.key for c in got.contents] == [c["Key"] for c in expected["Contents"]]
    assert [p.prefix for p in got.common_prefixes] == [
        p["Prefix"] for p in expected["CommonPrefixes"]
    ]
