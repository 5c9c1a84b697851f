"""botocore's remaining S3 handlers and its flexible checksums, against
botocore: the same requests (signature, checksum headers and aws-chunked
bodies included) and the same results for the same responses.

Both clients use botocore's default checksum settings (``when_supported``)
unless a test says otherwise. awscrt is not installed here: CRC32C and
CRC64NVME behave as botocore's do without it.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from botocore.compat import HAS_CRT
from botocore.config import Config
from botocore.exceptions import ClientError, MissingDependencyException
from botocore.exceptions import FlexibleChecksumError as BotocoreChecksumError

from tests import s3_support
from tests.s3_support import assert_same_request, botocore_answers
from typed_aws_runtime.errors import (
    FlexibleChecksumError,
    MissingDependencyError,
    ServiceError,
)
from typed_aws_runtime.transport import HttpRequest, HttpResponse

_NS = b'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"'


def _boto(**config: Any) -> Any:
    return s3_support.boto_client(
        region_name="us-west-2",
        config=Config(retries={"mode": "standard", "total_max_attempts": 3}, **config),
    )


def _ours(**options: Any) -> tuple[Any, Any]:
    ours, transport = s3_support.ours_client(region_name="us-west-2", **options)
    ours._codegen_sleep = lambda seconds: None
    transport.clear()
    return ours, transport


@pytest.fixture(autouse=True)
def _no_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setattr(time, "sleep", lambda seconds: None)


# -- GetBucketLocation ----------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint '
        + _NS
        + b">eu-west-1</LocationConstraint>",
        b"<LocationConstraint " + _NS + b"/>",
        b"<LocationConstraint>EU</LocationConstraint>",
    ],
)
def test_get_bucket_location_body(body: bytes) -> None:
    boto = _boto()
    botocore_answers(boto, [(200, {}, body)])
    expected = boto.get_bucket_location(Bucket="b")
    ours, transport = _ours()
    transport.queue(HttpResponse(200, {}, body))
    got = ours.get_bucket_location(bucket="b")
    assert got.location_constraint == expected.get("LocationConstraint")
    # Path-style whatever the addressing, as botocore sends it.
    assert transport.last.url == "https://s3.us-west-2.amazonaws.com/b?location"


# -- 200 with an error ----------------------------------------------------------------

_ERROR = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code>'
    b"<Message>We encountered an internal error. Please try again.</Message>"
    b"<RequestId>R1</RequestId></Error>"
)
_COPY_OK = (
    b"<CopyObjectResult " + _NS + b"><ETag>&quot;e&quot;</ETag>"
    b"<LastModified>2024-01-01T00:00:00.000Z</LastModified></CopyObjectResult>"
)
_COMPLETE_OK = (
    b"<CompleteMultipartUploadResult "
    + _NS
    + b"><Location>l</Location><Bucket>b</Bucket><Key>k</Key><ETag>&quot;e&quot;"
    b"</ETag></CompleteMultipartUploadResult>"
)
_PART_OK = (
    b"<CopyPartResult " + _NS + b"><ETag>&quot;e&quot;</ETag>"
    b"<LastModified>2024-01-01T00:00:00.000Z</LastModified></CopyPartResult>"
)
_CALLS: dict[str, tuple[dict[str, Any], bytes, str]] = {
    "CopyObject": (
        {"Bucket": "b", "Key": "k", "CopySource": "s/k"},
        _COPY_OK,
        "CopyObjectResult",
    ),
    "CompleteMultipartUpload": (
        {"Bucket": "b", "Key": "k", "UploadId": "u"},
        _COMPLETE_OK,
        "Location",
    ),
    "UploadPartCopy": (
        {
            "Bucket": "b",
            "Key": "k",
            "CopySource": "s/k",
            "UploadId": "u",
            "PartNumber": 1,
        },
        _PART_OK,
        "CopyPartResult",
    ),
}


def _snake(name: str) -> str:
    from botocore import xform_name

    return str(xform_name(name))


@pytest.mark.parametrize("operation", sorted(_CALLS))
@pytest.mark.parametrize(
    "bodies",
    [
        [_ERROR, _ERROR, _ERROR],
        [_ERROR, "ok"],
        [b"<CopyObjectResult><ETag>cut sh", "ok"],
        ["ok"],
        # A namespaced root is not botocore's "Error" (ElementTree's tag is
        # "{ns}Error"): parsed as the output.
        [b"<Error " + _NS + b"><Code>InternalError</Code></Error>"],
    ],
    ids=["error-every-time", "error-then-ok", "cut-short-then-ok", "ok", "ns-error"],
)
def test_200_with_an_error_is_retried_then_raised(
    operation: str, bodies: list[Any]
) -> None:
    params, ok, member = _CALLS[operation]
    answers = [(200, {}, ok if b == "ok" else b) for b in bodies]
    boto = _boto()
    sent = botocore_answers(boto, answers)
    ours, transport = _ours()
    transport.queue(*(HttpResponse(s, h, b) for s, h, b in answers))
    try:
        expected: Any = getattr(boto, _snake(operation))(**params)
    except ClientError as exc:
        expected = exc
    try:
        got: Any = getattr(ours, _snake(operation))(
            **{_snake(k): v for k, v in params.items()}
        )
    except ServiceError as exc:
        got = exc
    assert len(transport.requests) == len(sent)
    if isinstance(expected, ClientError):
        assert isinstance(got, ServiceError)
        assert got.code == expected.response["Error"]["Code"]
        assert got.message == expected.response["Error"]["Message"]
        assert (
            got.status_code == expected.response["ResponseMetadata"]["HTTPStatusCode"]
        )
    else:
        assert not isinstance(got, ServiceError)
        value = getattr(got, _snake(member))
        theirs = expected.get(member)
        if member in ("CopyPartResult", "CopyObjectResult"):
            assert (value and value.e_tag) == (theirs or {}).get("ETag")
        else:
            assert value == theirs


def test_200_error_left_alone_for_blob_payloads() -> None:
    """GetObject's body is the object: an <Error> document there is data."""
    boto = _boto(response_checksum_validation="when_required")
    botocore_answers(boto, [(200, {}, _ERROR)])
    assert boto.get_object(Bucket="b", Key="k")["Body"].read() == _ERROR
    ours, transport = _ours(response_checksum_validation="when_required")
    transport.queue(HttpResponse(200, {}, io.BytesIO(_ERROR)))
    assert ours.get_object(bucket="b", key="k").body.read() == _ERROR
    assert len(transport.requests) == 1


# -- Expires ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "expires", ["Thu, 01 Dec 2044 16:00:00 GMT", "invalid-date", "0"]
)
@pytest.mark.parametrize("operation", ["HeadObject", "GetObject"])
def test_expires_and_expires_string(operation: str, expires: str) -> None:
    headers = {"Expires": expires, "Content-Length": "0"}
    boto = _boto()
    botocore_answers(boto, [(200, headers, b"")])
    expected = getattr(boto, _snake(operation))(Bucket="b", Key="k")
    ours, transport = _ours()
    transport.queue(HttpResponse(200, headers, b""))
    got = getattr(ours, _snake(operation))(bucket="b", key="k")
    assert got.expires == expected.get("Expires")
    assert got.expires_string == expected.get("ExpiresString")


# -- request handlers: XML escaping, Expect, checksums ------------------------------


@pytest.mark.parametrize("key", ["a\nb", "c\r\nd", "plain", "x\ry&<z>"])
def test_delete_objects_escapes_newlines(key: str) -> None:
    got = assert_same_request(
        "DeleteObjects",
        {"Bucket": "b", "Delete": {"Objects": [{"Key": key}, {"Key": "k2"}]}},
    )
    # requestChecksumRequired: CRC32 by default.
    assert "x-amz-checksum-crc32" in got.headers


def test_lifecycle_configuration_escapes_newlines() -> None:
    assert_same_request(
        "PutBucketLifecycleConfiguration",
        {
            "Bucket": "b",
            "LifecycleConfiguration": {
                "Rules": [
                    {  # model order (botocore writes the caller's order)
                        "Expiration": {"Days": 3},
                        "ID": "line\none",
                        "Filter": {"Prefix": "p\r\n"},
                        "Status": "Enabled",
                    }
                ]
            },
        },
    )


@pytest.mark.parametrize("scheme", ["https", "http"])
@pytest.mark.parametrize(
    "body", [b"hello", b"", io.BytesIO(b"file body"), io.BytesIO(b"x" * 70000)]
)
@pytest.mark.parametrize("algorithm", [None, "CRC32", "SHA1", "SHA256"])
def test_put_object_checksums_and_expect(
    scheme: str, body: Any, algorithm: str | None
) -> None:
    """Over https, an aws-chunked body with the checksum in its trailer;
    over http, in a header; a file body is sent with Expect: 100-continue."""
    if hasattr(body, "seek"):
        body.seek(0)
    params: dict[str, Any] = {"Bucket": "b", "Key": "k", "Body": body}
    if algorithm is not None:
        params["ChecksumAlgorithm"] = algorithm
    options: dict[str, Any] = {}
    if scheme == "http":
        options = {"endpoint_url": "http://127.0.0.1:9000"}
    got = assert_same_request(
        "PutObject", params, boto_options=options, ours_options=options
    )
    assert got.headers["Expect"] == "100-continue"


def test_upload_part_from_file_with_trailer() -> None:
    assert_same_request(
        "UploadPart",
        {
            "Bucket": "b",
            "Key": "k",
            "Body": io.BytesIO(b"part" * 1000),
            "PartNumber": 2,
            "UploadId": "u",
            "ChecksumAlgorithm": "SHA256",
        },
    )


@pytest.mark.parametrize(
    "header", ["ChecksumCRC32", "ChecksumSHA256", "ContentMD5", "ChecksumCRC32C"]
)
def test_a_checksum_the_caller_gives_wins(header: str) -> None:
    assert_same_request(
        "PutObject", {"Bucket": "b", "Key": "k", "Body": b"data", header: "AAAAAA=="}
    )


@pytest.mark.parametrize("setting", ["when_required", "WHEN_SUPPORTED"])
def test_request_checksum_calculation_setting(setting: str) -> None:
    config = Config(request_checksum_calculation=setting)
    options = {"request_checksum_calculation": setting}
    # Supported, not required: only when_supported sends one.
    assert_same_request(
        "PutObject",
        {"Bucket": "b", "Key": "k", "Body": b"data"},
        config=config,
        ours_options=options,
    )
    # Required: sent either way.
    assert_same_request(
        "PutBucketAcl",
        {"Bucket": "b", "ACL": "private"},
        config=config,
        ours_options=options,
    )


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required")
    monkeypatch.setenv("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required")
    got = assert_same_request("PutObject", {"Bucket": "b", "Key": "k", "Body": b"d"})
    assert not any(k.startswith("x-amz-checksum") for k in got.headers)
    got = assert_same_request("GetObject", {"Bucket": "b", "Key": "k"})
    assert "x-amz-checksum-mode" not in got.headers
    monkeypatch.setenv("AWS_RESPONSE_CHECKSUM_VALIDATION", "sometimes")
    with pytest.raises(ValueError, match="response_checksum_validation"):
        _ours()


def test_bad_setting_refused_at_construction() -> None:
    with pytest.raises(ValueError, match="request_checksum_calculation"):
        _ours(request_checksum_calculation="always")


@pytest.mark.parametrize("algorithm", ["CRC32C", "CRC64NVME"])
@pytest.mark.parametrize("scheme", ["https", "http"])
def test_crt_algorithms_with_awscrt(algorithm: str, scheme: str) -> None:
    """With awscrt installed both compute CRC32C and CRC64NVME."""
    if not HAS_CRT:  # (tests/conftest.py sets BOTO_DISABLE_CRT)
        pytest.skip("botocore does not use awscrt here (BOTO_DISABLE_CRT)")
    options = {"endpoint_url": "http://127.0.0.1:9000"} if scheme == "http" else {}
    assert_same_request(
        "PutObject",
        {"Bucket": "b", "Key": "k", "Body": b"x" * 99, "ChecksumAlgorithm": algorithm},
        boto_options=options,
        ours_options=options,
    )


@pytest.mark.parametrize("algorithm", ["CRC32C", "CRC64NVME"])
def test_crt_algorithms_without_awscrt(
    algorithm: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without awscrt, as botocore without it: refused before sending."""
    import sys

    from typed_aws_runtime import checksums

    monkeypatch.setitem(sys.modules, "awscrt", None)
    checksums.forget_algorithms()
    try:
        ours, transport = _ours()
        with pytest.raises(MissingDependencyError, match="awscrt"):
            ours.put_object(
                bucket="b", key="k", body=b"x", checksum_algorithm=algorithm
            )
        assert not transport.requests
    finally:
        monkeypatch.undo()
        checksums.forget_algorithms()


@pytest.mark.parametrize("algorithm", ["MD5"] + ([] if HAS_CRT else ["CRC32C"]))
def test_algorithms_botocore_cannot_compute(algorithm: str) -> None:
    boto = _boto()
    botocore_answers(boto, [(200, {}, b"")])
    ours, transport = _ours()
    params = {"Bucket": "b", "Key": "k", "Body": b"x", "ChecksumAlgorithm": algorithm}
    with pytest.raises(Exception) as theirs:
        boto.put_object(**params)
    mine = MissingDependencyError if algorithm != "MD5" else FlexibleChecksumError
    with pytest.raises(mine):
        ours.put_object(**{_snake(k): v for k, v in params.items()})
    expected = (
        MissingDependencyException if algorithm != "MD5" else BotocoreChecksumError
    )
    assert isinstance(theirs.value, expected)
    assert not transport.requests


def test_s3control_checksum_required() -> None:
    assert_same_request(
        "DeleteAccessGrant",
        {"AccountId": "123456789012", "AccessGrantId": "g1"},
        service="s3control",
    )


def test_trailer_body_is_resent_whole_on_retry() -> None:
    ours, transport = _ours()
    bodies: list[bytes] = []

    def answer(status: int) -> Any:
        def respond(request: HttpRequest) -> HttpResponse:
            bodies.append(s3_support.request_body(request.body))
            return HttpResponse(status, {}, b"")

        return respond

    transport.queue(answer(500), answer(200))
    ours.put_object(bucket="b", key="k", body=io.BytesIO(b"abc" * 10))
    assert len(bodies) == 2 and bodies[0] == bodies[1]
    trailer = f"0\r\nx-amz-checksum-crc32:{_b64('crc32', b'abc' * 10)}\r\n\r\n"
    assert bodies[0] == b"1e\r\n" + b"abc" * 10 + b"\r\n" + trailer.encode()


# -- response checksums --------------------------------------------------------------

_DATA = b"the object's bytes" * 100


def _b64(algorithm: str, data: bytes) -> str:
    from typed_aws_runtime.checksums import b64_checksum

    return b64_checksum(algorithm, data)


@pytest.mark.parametrize(
    "headers",
    [
        {"x-amz-checksum-crc32": _b64("crc32", _DATA)},
        {"x-amz-checksum-crc32": _b64("crc32", b"other")},
        {"x-amz-checksum-sha256": _b64("sha256", b"other")},
        {
            "x-amz-checksum-sha1": _b64("sha1", b"other"),
            "x-amz-checksum-crc32": _b64("crc32", _DATA),
        },
        {"x-amz-checksum-crc32": "AAAAAA==-3"},
        {"x-amz-checksum-crc64nvme": "AAAAAAAAAAA="},
        {},
    ],
)
@pytest.mark.parametrize("validation", ["when_supported", "when_required"])
@pytest.mark.parametrize("amt", [None, 7])
def test_get_object_checksum_validated_as_read(
    headers: dict[str, str], validation: str, amt: int | None
) -> None:
    boto = _boto(response_checksum_validation=validation)
    sent = botocore_answers(boto, [(200, headers, _DATA)])
    ours, transport = _ours(response_checksum_validation=validation)
    transport.queue(HttpResponse(200, headers, io.BytesIO(_DATA)))

    def drain(body: Any) -> bytes:
        if amt is None:
            return bytes(body.read())
        out = b""
        while chunk := body.read(amt):
            out += chunk
        return out

    try:
        expected: Any = drain(boto.get_object(Bucket="b", Key="k")["Body"])
    except BotocoreChecksumError as exc:
        expected = exc
    try:
        got: Any = drain(ours.get_object(bucket="b", key="k").body)
    except FlexibleChecksumError as exc:
        got = exc
    assert transport.last.headers.get("x-amz-checksum-mode") == sent[0].headers.get(
        "x-amz-checksum-mode"
    )
    if isinstance(expected, Exception):
        assert isinstance(got, FlexibleChecksumError)
        assert str(got) == str(expected)
    else:
        assert got == expected == _DATA


def test_get_object_checksum_mode_given_is_kept() -> None:
    got = assert_same_request(
        "GetObject",
        {"Bucket": "b", "Key": "k", "ChecksumMode": "ENABLED"},
        config=Config(response_checksum_validation="when_required"),
        ours_options={"response_checksum_validation": "when_required"},
    )
    assert got.headers["x-amz-checksum-mode"] == "ENABLED"
