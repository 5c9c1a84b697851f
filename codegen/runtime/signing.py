"""AWS Signature Version 4, header-for-header what ``botocore.auth.SigV4Auth``
produces for a non-S3 service.

Pure stdlib and on the per-call hot path: the derived signing key is cached
per (secret, date, region, service), so a call costs two SHA-256 of small
strings plus one HMAC.

Deliberate parity with botocore, including its quirks:

* The path is normalised (dot segments and empty segments removed) and then
  percent-encoded once more with ``/`` and ``~`` safe; the serializer has
  already encoded it, so ``%`` becomes ``%25`` (double encoding, as every
  non-S3 service expects).
* The query string is taken from the URL as sent, split on ``&`` and ``=``
  and sorted, without re-encoding.
* Header names are compared case-insensitively; two names differing only in
  case are both signed, their values joined with ``,``.
* With a ``Date`` header present, botocore rewrites ``Date`` and drops
  ``X-Amz-Date``; otherwise it sets ``X-Amz-Date``.
* ``UNSIGNED-PAYLOAD`` also sets (and signs) ``X-Amz-Content-SHA256``; a
  caller-supplied ``X-Amz-Content-SHA256`` is used as the payload hash.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from functools import lru_cache
from typing import BinaryIO
from urllib.parse import quote, urlsplit

from .credentials import Credentials
from .transport import HttpRequest
from .urls import remove_dot_segments

__all__ = ["EMPTY_SHA256_HASH", "UNSIGNED_PAYLOAD", "sign_v4"]

EMPTY_SHA256_HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
_ALGORITHM = "AWS4-HMAC-SHA256"
_PAYLOAD_CHUNK = 1024 * 1024
# Hop-by-hop and proxy-rewritten headers that botocore never signs.
_UNSIGNED_HEADERS = frozenset(
    {
        "connection",
        "expect",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "user-agent",
        "x-amzn-trace-id",
    }
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def sign_v4(
    request: HttpRequest,
    credentials: Credentials,
    *,
    region: str,
    service: str,
    timestamp: datetime.datetime,
    unsigned_payload: bool = False,
) -> None:
    """Sign ``request`` in place: date, token, payload and Authorization headers.

    ``timestamp`` is taken as UTC when naive. Safe to call again on a retry:
    headers from a previous signature are replaced, not duplicated.
    """
    amz_date = _amz_date(timestamp)
    headers = request.headers
    _prepare_headers(headers, credentials, amz_date, unsigned_payload)
    url = urlsplit(request.url)
    signed = _headers_to_sign(headers, url.netloc, url.scheme)
    names = sorted(signed)
    # botocore strips names for SignedHeaders but not in the canonical lines.
    signed_names = ";".join(sorted(name.strip() for name in names))
    canonical = "\n".join(
        (
            request.method.upper(),
            _canonical_path(url.path),
            _canonical_query(url.query),
            "".join(f"{name}:{','.join(signed[name])}\n" for name in names),
            signed_names,
            _payload_hash(request.body, headers),
        )
    )
    scope = f"{amz_date[:8]}/{region}/{service}/aws4_request"
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    string_to_sign = f"{_ALGORITHM}\n{amz_date}\n{scope}\n{digest}"
    key = _signing_key(credentials.secret_key, amz_date[:8], region, service)
    signature = hmac.digest(key, string_to_sign.encode("utf-8"), "sha256").hex()
    headers["Authorization"] = (
        f"{_ALGORITHM} Credential={credentials.access_key}/{scope}, "
        f"SignedHeaders={signed_names}, Signature={signature}"
    )


def _amz_date(timestamp: datetime.datetime) -> str:
    if timestamp.tzinfo is not None:
        timestamp = timestamp.astimezone(datetime.UTC)
    t = timestamp
    # Hand-formatted: strftime is measurably slower on the hot path.
    day = f"{t.year:04d}{t.month:02d}{t.day:02d}"
    return f"{day}T{t.hour:02d}{t.minute:02d}{t.second:02d}Z"


def _pop(headers: dict[str, str], present: set[str], lower_name: str) -> bool:
    """Remove every header whose name matches case-insensitively."""
    if lower_name not in present:
        return False
    for name in [name for name in headers if name.lower() == lower_name]:
        del headers[name]
    return True


def _prepare_headers(
    headers: dict[str, str],
    credentials: Credentials,
    amz_date: str,
    unsigned_payload: bool,
) -> None:
    # Same order of removal and insertion as botocore, so that the final
    # header order (visible on the wire) matches too.
    present = {name.lower() for name in headers}
    _pop(headers, present, "authorization")
    if _pop(headers, present, "date"):
        headers["Date"] = _http_date(amz_date)
        _pop(headers, present, "x-amz-date")
    else:
        _pop(headers, present, "x-amz-date")
        headers["X-Amz-Date"] = amz_date
    if credentials.token:
        _pop(headers, present, "x-amz-security-token")
        headers["X-Amz-Security-Token"] = credentials.token
    if unsigned_payload:
        _pop(headers, present, "x-amz-content-sha256")
        headers["X-Amz-Content-SHA256"] = UNSIGNED_PAYLOAD


def _http_date(amz_date: str) -> str:
    from email.utils import formatdate  # Rare path; a costly import.

    moment = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(
        tzinfo=datetime.UTC
    )
    return formatdate(moment.timestamp())


def _headers_to_sign(
    headers: dict[str, str], netloc: str, scheme: str
) -> dict[str, list[str]]:
    signed: dict[str, list[str]] = {}
    for name, value in headers.items():
        lname = name.lower()
        if lname not in _UNSIGNED_HEADERS:
            # Trimall: collapse runs of whitespace, as SigV4 requires.
            signed.setdefault(lname, []).append(" ".join(value.split()))
    if "host" not in signed:
        signed["host"] = [_host_header(netloc, scheme)]
    return signed


@lru_cache(maxsize=256)
def _host_header(netloc: str, scheme: str) -> str:
    # What an HTTP client sends: lower-case host, port only if non-default.
    url = urlsplit(f"{scheme}://{netloc}")
    host = url.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    port = url.port
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    return host


@lru_cache(maxsize=1024)
def _canonical_path(path: str) -> str:
    return quote(remove_dot_segments(path), safe="/~")


def _canonical_query(query: str) -> str:
    if not query:
        return ""
    pairs = sorted(pair.partition("=")[::2] for pair in query.split("&"))
    return "&".join(f"{key}={value}" for key, value in pairs)


def _payload_hash(body: bytes | BinaryIO, headers: dict[str, str]) -> str:
    for name, value in headers.items():
        if name.lower() == "x-amz-content-sha256":
            return value
    if not body:
        return EMPTY_SHA256_HASH
    if isinstance(body, (bytes, bytearray, memoryview)):
        return hashlib.sha256(body).hexdigest()
    if isinstance(body, str):
        return hashlib.sha256(body.encode("utf-8")).hexdigest()
    return _hash_stream(body)


def _hash_stream(body: BinaryIO) -> str:
    """Hash a file from its current position, then rewind to it."""
    try:
        position = body.tell()
    except (AttributeError, OSError) as error:
        raise ValueError(
            "a streaming body must be seekable to be signed; "
            "use an unsigned payload for one that is not"
        ) from error
    digest = hashlib.sha256()
    for chunk in iter(lambda: body.read(_PAYLOAD_CHUNK), b""):
        digest.update(chunk)
    body.seek(position)
    return digest.hexdigest()


@lru_cache(maxsize=64)
def _signing_key(secret_key: str, date: str, region: str, service: str) -> bytes:
    key = hmac.digest(f"AWS4{secret_key}".encode(), date.encode(), "sha256")
    for part in (region, service, "aws4_request"):
        key = hmac.digest(key, part.encode(), "sha256")
    return key
