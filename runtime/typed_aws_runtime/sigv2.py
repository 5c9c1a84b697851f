"""AWS Signature Version 2, parameter for parameter what
``botocore.auth.SigV2Auth`` produces.

Only SimpleDB (``sdb``) still signs this way: its model says
``signatureVersion: "v2"`` and its endpoint rules name no auth scheme.
(importexport's model says v2 too, but its endpoint rules name sigv4, and
botocore forces v4 for it anyway: it is signed with SigV4.)

The signature goes into the parameters, not a header: ``AWSAccessKeyId``,
``SignatureVersion=2``, ``SignatureMethod=HmacSHA256``, ``Timestamp``,
``SecurityToken`` (with a session token) and ``Signature``, an HMAC-SHA256
(base64) of ``METHOD\\nhost\\npath\\n`` and the parameters sorted by name,
each name and value percent-encoded (``-_.~`` and alphanumerics kept).

The parameters are the form body's (a POST with a body), else the query
string's. botocore keeps them as a dict and encodes that dict with
``urlencode`` after signing; this module decodes the body (or the query),
sets the same keys in the same order and encodes it the same way, so the
bytes sent are botocore's. A parameter already named like an auth parameter
is overwritten where it stands, as in botocore's dict. Retrying re-signs: the
client rebuilds the request from the serialized body for each attempt.
"""

from __future__ import annotations

import base64
import datetime
import hmac
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from .credentials import Credentials
from .transport import HttpRequest

__all__ = ["sign_v2"]

_UTC = datetime.UTC


def sign_v2(
    request: HttpRequest, credentials: Credentials, *, timestamp: datetime.datetime
) -> None:
    """Sign ``request`` in place: its form body, or its query string when the
    body is empty. ``timestamp`` is taken as UTC when naive."""
    body = request.body
    if not isinstance(body, (bytes, bytearray)):
        raise ValueError("SigV2 signs form parameters: the body must be bytes")
    parts = urlsplit(request.url)
    source = bytes(body) if body else parts.query.encode("ascii")
    params = dict(parse_qsl(source.decode("ascii"), keep_blank_values=True))
    params["AWSAccessKeyId"] = credentials.access_key
    params["SignatureVersion"] = "2"
    params["SignatureMethod"] = "HmacSHA256"
    params["Timestamp"] = _timestamp(timestamp)
    if credentials.token:
        params["SecurityToken"] = credentials.token
    params["Signature"] = signature(
        request.method, parts.netloc, parts.path, params, credentials.secret_key
    )
    encoded = urlencode(list(params.items()))
    if body:
        request.body = encoded.encode("ascii")
    else:
        request.url = urlunsplit(parts._replace(query=encoded))


def signature(
    method: str, host: str, path: str, params: dict[str, str], secret_key: str
) -> str:
    """The base64 HMAC-SHA256 of botocore's string to sign (a ``Signature``
    parameter, from an earlier attempt, is left out)."""
    pairs = "&".join(
        f"{quote(key, safe='')}={quote(params[key], safe='-_~')}"
        for key in sorted(params)
        if key != "Signature"
    )
    text = f"{method}\n{host}\n{path or '/'}\n{pairs}"
    digest = hmac.digest(secret_key.encode("utf-8"), text.encode("utf-8"), "sha256")
    return base64.b64encode(digest).decode("ascii")


def _timestamp(moment: datetime.datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(_UTC)
    # Hand-formatted: strftime does not zero-pad years before 1000.
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T"
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}Z"
    )
