"""AWS Signature Version 4a (ECDSA P-256 over a region set), as
``botocore.crt.auth.CrtSigV4AsymAuth`` signs a request of a service other
than S3.

botocore signs SigV4a only through ``awscrt`` (AWS's common runtime), and so
does this module: the ``crt`` extra of the runtime
(``pip install 'typed-aws-runtime[crt]'``). ``awscrt`` is imported on the
first SigV4a signature, never before; without it the call raises
:class:`~typed_aws_runtime.errors.MissingDependencyError`, where botocore
raises its ``MissingDependencyException``.

What botocore's signer does, step for step: the headers of an earlier
signature are removed, a ``host`` header added when missing, the payload is
hashed (or ``UNSIGNED-PAYLOAD`` over HTTPS where the operation says so, with
``X-Amz-Content-SHA256``), and the request's headers become the signed
request's, in the order awscrt gives them.
"""

from __future__ import annotations

import datetime
import io
from typing import Any
from urllib.parse import urlsplit

from .credentials import Credentials
from .errors import MissingDependencyError
from .transport import HttpRequest

__all__ = ["sign_v4a"]

_REMOVED = frozenset(
    {"authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"}
)
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


def _awscrt() -> Any:
    try:
        import awscrt.auth  # type: ignore[import-not-found, import-untyped, unused-ignore]
        import awscrt.http  # type: ignore[import-not-found, import-untyped, unused-ignore]
    except ImportError:
        raise MissingDependencyError() from None
    return awscrt


def _should_sign(name: str, **_: Any) -> bool:
    return name.lower() not in _UNSIGNED_HEADERS


def sign_v4a(
    request: HttpRequest,
    credentials: Credentials,
    *,
    region_set: str,
    service: str,
    timestamp: datetime.datetime,
    unsigned_payload: bool = False,
) -> None:
    """Sign ``request`` in place for ``region_set`` (``*``, or regions
    joined with commas). ``timestamp`` is taken as UTC when naive."""
    crt = _awscrt()
    headers = request.headers
    existing_sha256 = next(
        (v for k, v in headers.items() if k.lower() == "x-amz-content-sha256"), None
    )
    for name in [k for k in headers if k.lower() in _REMOVED]:
        del headers[name]
    url = urlsplit(request.url)
    if not any(k.lower() == "host" for k in headers):
        headers["host"] = _host(url.hostname or "", url.port, url.scheme)
    payload: str | None
    if request.url.startswith("https") and unsigned_payload:
        payload = "UNSIGNED-PAYLOAD"
    else:
        payload = existing_sha256  # None: awscrt hashes the body
    auth = crt.auth
    if timestamp.tzinfo is None:
        timestamp = timestamp.replace(tzinfo=datetime.UTC)
    config = auth.AwsSigningConfig(
        algorithm=auth.AwsSigningAlgorithm.V4_ASYMMETRIC,
        signature_type=auth.AwsSignatureType.HTTP_REQUEST_HEADERS,
        credentials_provider=auth.AwsCredentialsProvider.new_static(
            access_key_id=credentials.access_key,
            secret_access_key=credentials.secret_key,
            session_token=credentials.token,
        ),
        region=region_set,
        service=service,
        date=timestamp,
        should_sign_header=_should_sign,
        use_double_uri_encode=True,
        should_normalize_uri_path=True,
        signed_body_value=payload,
        signed_body_header_type=(
            auth.AwsSignedBodyHeaderType.X_AMZ_CONTENT_SHA_256
            if payload is not None
            else auth.AwsSignedBodyHeaderType.NONE
        ),
    )
    body = request.body
    position: int | None = None
    stream: Any = None
    if isinstance(body, (bytes, bytearray, memoryview)):
        stream = io.BytesIO(bytes(body)) if body else None
    elif body is not None:
        stream = body
        position = body.tell()
    path = url.path or "/"
    if url.query:
        path = f"{path}?{url.query}"
    signed = crt.http.HttpRequest(
        method=request.method,
        path=path,
        headers=crt.http.HttpHeaders(list(headers.items())),
        body_stream=stream,
    )
    auth.aws_sign_request(signed, config).result()
    if position is not None:
        stream.seek(position)
    headers.clear()
    headers.update(signed.headers)


def _host(hostname: str, port: int | None, scheme: str) -> str:
    # botocore's _host_from_url: the port only when it is not the default.
    host = f"[{hostname}]" if ":" in hostname else hostname
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    return host
