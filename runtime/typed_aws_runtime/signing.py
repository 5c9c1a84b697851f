"""AWS Signature Version 4, header-for-header what ``botocore.auth.SigV4Auth``
produces for a non-S3 service.

Pure stdlib and on the per-call hot path, so what does not change between
calls is remembered: the amz-date string for the current second; the
canonical path and query, and the ``Host`` header, per URL; the credential
scope and an HMAC pre-keyed with the derived signing key, per (credentials,
date, region, service); the canonical request's template per tuple of signed
header names. A freshly built request (no signature header to replace, no
two names equal but for case) takes a fast path, one pass over its headers;
any other goes through the general code. A call then costs little beyond
two SHA-256 of small strings and one HMAC.

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
from collections.abc import Callable, Mapping
from functools import lru_cache
from operator import itemgetter
from typing import BinaryIO, Protocol
from urllib.parse import SplitResult, quote, urlsplit

from .credentials import Credentials
from .transport import HttpRequest
from .urls import remove_dot_segments

try:
    # OpenSSL's HMAC object: copying a pre-keyed one is cheaper than keying
    # anew, and, unlike hmac.HMAC, its copy() does not go through Python.
    from _hashlib import hmac_new as _hmac_new
except ImportError:  # pragma: no cover - Python built without OpenSSL
    _hmac_new = hmac.new  # type: ignore[assignment]

__all__ = [
    "EMPTY_SHA256_HASH",
    "UNSIGNED_PAYLOAD",
    "presign_v4",
    "presign_v4_query",
    "s3_payload_hash",
    "sign_v4",
]

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
# Headers that signing may remove, replace or read: their presence sends a
# request down the general path.
_REWRITTEN_HEADERS = frozenset(
    {
        "authorization",
        "date",
        "x-amz-date",
        "x-amz-security-token",
        "x-amz-content-sha256",
    }
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_UTC = datetime.UTC
_ONE_SECOND = datetime.timedelta(seconds=1)
_sha256 = hashlib.sha256


# Canonical request template (with "%s" for method, path and query, each
# header value and the payload hash), the getter of the header values in
# sorted order, and SignedHeaders; keyed by the signed names in header order.
_Layout = tuple[str, Callable[[dict[str, str]], tuple[str, ...]], str]
_layouts: dict[tuple[str, ...], _Layout] = {}
_MAX_LAYOUTS = 256


class _Mac(Protocol):
    def copy(self) -> _Mac: ...
    def update(self, msg: bytes, /) -> None: ...
    def hexdigest(self) -> str: ...


# What _signer derives from credentials, date, region and service, and the
# last call's: ((credentials, date, region, service), derived).
_Signer = tuple[str | None, str, str, str, _Mac]
_last_signer: tuple[tuple[object, ...], _Signer] = (
    (),
    (None, "", "", "", _hmac_new(b"", digestmod="sha256")),
)


# (tzinfo, start, end, amz_date, date) for the last second seen: a timestamp
# with that very tzinfo (None or UTC) in [start, end) reuses the strings.
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=_UTC)
_Second = tuple[datetime.tzinfo | None, datetime.datetime, datetime.datetime, str, str]
_last_second: _Second = (_UTC, _EPOCH, _EPOCH, "", "")


def sign_v4(
    request: HttpRequest,
    credentials: Credentials,
    *,
    region: str,
    service: str,
    timestamp: datetime.datetime,
    unsigned_payload: bool = False,
    payload_hash: str | None = None,
    raw_path: bool = False,
) -> None:
    """Sign ``request`` in place: date, token, payload and Authorization headers.

    ``timestamp`` is taken as UTC when naive. Safe to call again on a retry:
    headers from a previous signature are replaced, not duplicated.

    S3's signer (botocore's ``S3SigV4Auth``) is this one with
    ``payload_hash`` (always sent as ``X-Amz-Content-SHA256``, replacing any:
    the body's hash, ``UNSIGNED-PAYLOAD`` or the streaming-trailer constant,
    see :func:`s3_payload_hash`) and ``raw_path`` (the path is signed as sent:
    neither normalised nor encoded again).
    """
    if unsigned_payload:
        payload_hash = UNSIGNED_PAYLOAD
    global _last_signer
    tzinfo, start, end, amz_date, date = _last_second
    if timestamp.tzinfo is not tzinfo or not start <= timestamp < end:
        amz_date, date = _amz_date(timestamp)
    # Usually the same as last call's (providers hand out the same immutable
    # Credentials until they change): a tuple comparison by identity first.
    signer_key = (credentials, date, region, service)
    last_key, signer = _last_signer
    if signer_key != last_key:
        signer = _signer(*signer_key)
        _last_signer = (signer_key, signer)
    token, trimmed_token, scope, authorization, mac = signer
    headers = request.headers
    # Fast path: one pass computing each lower-cased name once; bail out to
    # the general code on the first header it would have to remove or merge.
    signed: dict[str, str] = {}
    # payload_hash None: hash the body (or use a caller's header).
    for name, value in headers.items():
        lname = name.lower()
        if lname in _UNSIGNED_HEADERS:
            continue
        if lname in signed or lname in _REWRITTEN_HEADERS:
            signed, payload_hash = _general_headers(
                headers, token, amz_date, payload_hash
            )
            break
        # Trimall (collapse runs of whitespace), as SigV4 requires.
        signed[lname] = " ".join(value.split())
    else:
        # Same insertion order as botocore's: visible on the wire.
        headers["X-Amz-Date"] = signed["x-amz-date"] = amz_date
        if token:
            headers["X-Amz-Security-Token"] = token
            signed["x-amz-security-token"] = trimmed_token
        if payload_hash is not None:
            headers["X-Amz-Content-SHA256"] = payload_hash
            signed["x-amz-content-sha256"] = payload_hash
    path_query, host = (_raw_url_parts if raw_path else _url_parts)(request.url)
    if "host" not in signed:
        signed["host"] = host
    if payload_hash is None:
        body = request.body
        # sha256 of b"" is EMPTY_SHA256_HASH: no need to test for emptiness.
        if isinstance(body, bytes):
            payload_hash = _sha256(body).hexdigest()
        else:
            payload_hash = _body_hash(body)
    key = tuple(signed)
    template, values, signed_names = _layouts.get(key) or _layout(key)
    canonical = template % (
        request.method.upper(),
        path_query,
        *values(signed),
        payload_hash,
    )
    mac = mac.copy()
    mac.update(
        f"{_ALGORITHM}\n{amz_date}\n{scope}\n"
        f"{_sha256(canonical.encode()).hexdigest()}".encode()
    )
    headers["Authorization"] = (
        f"{authorization}{signed_names}, Signature={mac.hexdigest()}"
    )


def presign_v4(
    url: str,
    operation_query: str,
    credentials: Credentials,
    *,
    region: str,
    service: str,
    timestamp: datetime.datetime,
    expires: int = 3600,
) -> str:
    """A presigned GET URL, as botocore's ``SigV4QueryAuth`` builds it: ``url``
    (no query) with the operation's parameters (``operation_query``, already
    encoded), then the authentication parameters, then ``X-Amz-Signature``;
    only ``host`` is signed, over an empty payload.

    Rare (cross-region copies presign once per call): nothing is cached.
    """
    amz_date, date = _amz_date(timestamp)
    token, _, scope, _, mac = _signer(credentials, date, region, service)
    auth = [
        ("X-Amz-Algorithm", _ALGORITHM),
        ("X-Amz-Credential", f"{credentials.access_key}/{scope}"),
        ("X-Amz-Date", amz_date),
        ("X-Amz-Expires", str(expires)),
        ("X-Amz-SignedHeaders", "host"),
    ]
    if token is not None:
        auth.append(("X-Amz-Security-Token", token))
    query = "&".join(
        f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in auth
    )
    signed = f"{url}?{operation_query}&{query}" if operation_query else f"{url}?{query}"
    path_query, host = _split_url(signed)
    canonical = f"GET\n{path_query}\nhost:{host}\n\nhost\n{EMPTY_SHA256_HASH}"
    mac = mac.copy()
    mac.update(
        f"{_ALGORITHM}\n{amz_date}\n{scope}\n"
        f"{_sha256(canonical.encode()).hexdigest()}".encode()
    )
    return f"{signed}&X-Amz-Signature={mac.hexdigest()}"


def presign_v4_query(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body_params: Mapping[str, object],
    credentials: Credentials,
    *,
    region: str,
    service: str,
    timestamp: datetime.datetime,
    expires: int,
    s3: bool,
) -> str:
    """A presigned URL, as botocore's ``SigV4QueryAuth`` (``s3``: its
    ``S3SigV4QueryAuth``: the path signed as sent, ``UNSIGNED-PAYLOAD``)
    builds it for ``generate_presigned_url``: the URL's query and
    ``body_params`` (the body moved into the query) re-encoded, then the
    authentication parameters, then ``X-Amz-Signature``; every header
    given is signed with ``host``, over an empty payload.
    """
    from urllib.parse import parse_qs, urlunsplit

    headers = {
        k: v
        for k, v in headers.items()
        if not (
            k.lower() == "content-type"
            and v == "application/x-www-form-urlencoded; charset=utf-8"
        )
    }
    amz_date, date = _amz_date(timestamp)
    token, _, scope, _, mac = _signer(credentials, date, region, service)
    parts = urlsplit(url)
    signed: dict[str, list[str]] = {}
    for name, value in headers.items():
        lname = name.lower()
        if lname not in _UNSIGNED_HEADERS and lname != "authorization":
            signed.setdefault(lname, []).append(" ".join(str(value).split()))
    if "host" not in signed:
        signed["host"] = [_host_header(parts)]
    names = sorted(signed)
    signed_names = ";".join(names)
    query: dict[str, object] = {
        k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()
    }
    query.update(body_params)
    auth: dict[str, object] = {
        "X-Amz-Algorithm": _ALGORITHM,
        "X-Amz-Credential": f"{credentials.access_key}/{scope}",
        "X-Amz-Date": amz_date,
        "X-Amz-Expires": expires,
        "X-Amz-SignedHeaders": signed_names,
    }
    if token is not None:
        auth["X-Amz-Security-Token"] = token
    encoded = _percent_encode_sequence(auth)
    if query:
        encoded = f"{_percent_encode_sequence(query)}&{encoded}"
    presigned = urlunsplit((parts.scheme, parts.netloc, parts.path, encoded, ""))
    path_query = (_raw_url_parts if s3 else _split_url)(presigned)[0]
    canonical_headers = "".join(f"{n}:{','.join(signed[n])}\n" for n in names)
    payload = UNSIGNED_PAYLOAD if s3 else EMPTY_SHA256_HASH
    canonical = (
        f"{method.upper()}\n{path_query}\n{canonical_headers}\n"
        f"{signed_names}\n{payload}"
    )
    mac = mac.copy()
    mac.update(
        f"{_ALGORITHM}\n{amz_date}\n{scope}\n"
        f"{_sha256(canonical.encode()).hexdigest()}".encode()
    )
    return f"{presigned}&X-Amz-Signature={mac.hexdigest()}"


def _percent_encode_sequence(mapping: Mapping[str, object]) -> str:
    """botocore's ``percent_encode_sequence`` of a dict (lists repeated)."""
    pairs = []
    for key, value in mapping.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append(f"{_percent_encode(key)}={_percent_encode(item)}")
    return "&".join(pairs)


def _percent_encode(value: object) -> str:
    if not isinstance(value, (bytes, str)):
        value = str(value)
    return quote(value, safe="-_.~")


def _amz_date(timestamp: datetime.datetime) -> tuple[str, str]:
    """The amz-date and date strings, remembered for the rest of the second."""
    global _last_second
    tzinfo = timestamp.tzinfo
    t = timestamp if tzinfo is None else timestamp.astimezone(_UTC)
    # Hand-formatted: strftime does not zero-pad years before 1000.
    date = f"{t.year:04d}{t.month:02d}{t.day:02d}"
    amz_date = f"{date}T{t.hour:02d}{t.minute:02d}{t.second:02d}Z"
    # Only naive and UTC: for those a same-tzinfo comparison is a comparison
    # of instants (not so for a zone with DST folds). No subclasses either.
    if (tzinfo is None or tzinfo is _UTC) and type(timestamp) is datetime.datetime:
        start = timestamp.replace(microsecond=0)
        if start.year < datetime.MAXYEAR:  # start + 1s cannot overflow
            _last_second = (tzinfo, start, start + _ONE_SECOND, amz_date, date)
    return amz_date, date


def _layout(names: tuple[str, ...]) -> _Layout:
    """Canonical request template, value getter and SignedHeaders for a
    tuple of signed names; remembered, as most calls sign the same names."""
    ordered = sorted(names)
    # botocore strips names for SignedHeaders, not in the canonical lines.
    signed_names = ";".join(sorted(name.strip() for name in ordered))
    lines = "".join(f"{name.replace('%', '%%')}:%s\n" for name in ordered)
    template = f"%s\n%s\n{lines}\n{signed_names.replace('%', '%%')}\n%s"
    values: Callable[[dict[str, str]], tuple[str, ...]]
    if len(ordered) > 1:
        values = itemgetter(*ordered)
    else:  # Never in practice (Host and a date are signed): not a tuple then.

        def values(signed: dict[str, str]) -> tuple[str, ...]:
            return (signed[ordered[0]],)

    layout = (template, values, signed_names)
    if len(_layouts) >= _MAX_LAYOUTS:
        _layouts.clear()
    _layouts[names] = layout
    return layout


def _general_headers(
    headers: dict[str, str], token: str | None, amz_date: str, content: str | None
) -> tuple[dict[str, str], str | None]:
    """Set the signature headers on any request (previous signature headers,
    a Date, names equal but for case), then return the headers to sign (by
    lower-case name, values joined with ``,``) and the payload hash that a
    header gives, if any."""
    _prepare_headers(headers, token, amz_date, content)
    signed: dict[str, list[str]] = {}
    payload_hash = None
    for name, value in headers.items():
        lname = name.lower()
        if lname not in _UNSIGNED_HEADERS:
            signed.setdefault(lname, []).append(" ".join(value.split()))
            if payload_hash is None and lname == "x-amz-content-sha256":
                payload_hash = value  # As sent: neither trimmed nor joined.
    joined = {name: ",".join(values) for name, values in signed.items()}
    return joined, payload_hash


def _pop(headers: dict[str, str], present: set[str], lower_name: str) -> bool:
    """Remove every header whose name matches case-insensitively."""
    if lower_name not in present:
        return False
    for name in [name for name in headers if name.lower() == lower_name]:
        del headers[name]
    return True


def _prepare_headers(
    headers: dict[str, str],
    token: str | None,
    amz_date: str,
    content: str | None,
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
    if token:
        _pop(headers, present, "x-amz-security-token")
        headers["X-Amz-Security-Token"] = token
    if content is not None:
        _pop(headers, present, "x-amz-content-sha256")
        headers["X-Amz-Content-SHA256"] = content


def _http_date(amz_date: str) -> str:
    from email.utils import formatdate  # Rare path; a costly import.

    moment = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=_UTC)
    return formatdate(moment.timestamp())


@lru_cache(maxsize=1024)
def _url_parts(url: str) -> tuple[str, str]:
    """Canonical path and query (one ``\\n`` apart), and the Host header."""
    return _split_url(url)


def _split_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    path = quote(remove_dot_segments(parts.path), safe="/~")
    return f"{path}\n{_canonical_query(parts.query)}", _host_header(parts)


@lru_cache(maxsize=1024)
def _raw_url_parts(url: str) -> tuple[str, str]:
    """S3's: the path as sent (``S3SigV4Auth._normalize_url_path``)."""
    parts = urlsplit(url)
    return f"{parts.path}\n{_canonical_query(parts.query)}", _host_header(parts)


def s3_payload_hash(
    body: bytes | BinaryIO,
    *,
    secure: bool,
    checksum_sent: bool,
    streaming_input: bool,
    signing_enabled: bool | None,
    unsigned_body: bool,
) -> str:
    """What botocore's ``S3SigV4Auth.payload`` sends as ``X-Amz-Content-SHA256``
    for a body sent whole (the streaming-trailer constant is the caller's):
    ``signing_enabled`` is ``s3={"payload_signing_enabled": ...}``;
    ``checksum_sent``: the request carries its checksum header (Content-MD5,
    or the flexible checksum's); ``unsigned_body``: the operation's
    ``v4-unsigned-body`` authtype."""
    if signing_enabled is None:
        if not secure or not checksum_sent:
            signing_enabled = True
        elif streaming_input:
            signing_enabled = False
        else:
            signing_enabled = not unsigned_body
    if not signing_enabled:
        return UNSIGNED_PAYLOAD
    if isinstance(body, bytes):
        return _sha256(body).hexdigest()
    return _body_hash(body)


def _host_header(url: SplitResult) -> str:
    # What an HTTP client sends: lower-case host, port only if non-default.
    host = url.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    port = url.port
    if port is not None and port != _DEFAULT_PORTS.get(url.scheme):
        host = f"{host}:{port}"
    return host


def _canonical_query(query: str) -> str:
    if not query:
        return ""
    pairs = sorted(pair.partition("=")[::2] for pair in query.split("&"))
    return "&".join(f"{key}={value}" for key, value in pairs)


def _body_hash(body: bytes | BinaryIO) -> str:
    if not body:
        return EMPTY_SHA256_HASH
    if isinstance(body, (bytes, bytearray, memoryview)):
        return _sha256(body).hexdigest()
    if isinstance(body, str):
        return _sha256(body.encode("utf-8")).hexdigest()
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
    digest = _sha256()
    for chunk in iter(lambda: body.read(_PAYLOAD_CHUNK), b""):
        digest.update(chunk)
    body.seek(position)
    return digest.hexdigest()


@lru_cache(maxsize=64)
def _signer(credentials: Credentials, date: str, region: str, service: str) -> _Signer:
    """Token as sent and as signed (trimmed), credential scope, Authorization
    header up to the signed names, and an HMAC keyed with the derived signing
    key (copied for each signature, never updated itself)."""
    token = credentials.token
    scope = f"{date}/{region}/{service}/aws4_request"
    authorization = (
        f"{_ALGORITHM} Credential={credentials.access_key}/{scope}, SignedHeaders="
    )
    secret = f"AWS4{credentials.secret_key}".encode()
    key = hmac.digest(secret, date.encode(), "sha256")
    for part in (region, service, "aws4_request"):
        key = hmac.digest(key, part.encode(), "sha256")
    mac = _hmac_new(key, digestmod="sha256")
    return token, " ".join(token.split()) if token else "", scope, authorization, mac
