"""AWS-wide wire rules, one place each: timestamps, base64, special floats,
percent-encoding, error codes, request ids, status reasons.

Every protocol uses these; none of them knows about a protocol.
"""

from __future__ import annotations

import base64
import calendar
import datetime
import math
import re
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*").fullmatch
_UTC = datetime.UTC
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=_UTC)


# -- timestamps ------------------------------------------------------------------


def aware(value: datetime.datetime) -> datetime.datetime:
    """Naive datetimes are UTC, as botocore assumes."""
    if value.tzinfo is None:
        return value.replace(tzinfo=_UTC)
    return value.astimezone(_UTC)


def format_timestamp(value: datetime.datetime, fmt: str) -> str | int:
    """A timestamp in one of the model's formats (``iso8601``, ``rfc822``,
    ``unixTimestamp``), as botocore's serializers write it."""
    value = aware(value)
    fmt = fmt.lower()
    if fmt == "iso8601":
        pattern = "%Y-%m-%dT%H:%M:%S.%fZ" if value.microsecond else "%Y-%m-%dT%H:%M:%SZ"
        return value.strftime(pattern)
    seconds = calendar.timegm(value.timetuple())
    if fmt == "rfc822":
        from email.utils import formatdate  # a costly import, paid only here

        return formatdate(seconds, usegmt=True)
    return int(seconds)


def epoch_seconds(value: datetime.datetime) -> float:
    """Seconds since the epoch, with the fraction (CBOR's tag 1)."""
    value = aware(value)
    return calendar.timegm(value.timetuple()) + value.microsecond / 1e6


def parse_timestamp(value: Any) -> datetime.datetime:
    """A timestamp in any format a service sends: epoch seconds (number or
    text), ISO 8601, or an HTTP date."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return EPOCH + datetime.timedelta(seconds=value)
    text = str(value).strip()
    if text[:1].isdigit() and len(text) > 4 and text[4:5] == "-":
        # ISO 8601, the common case: no detour through float() or email.
        try:
            return aware(datetime.datetime.fromisoformat(text.replace("Z", "+00:00")))
        except ValueError:
            pass
    try:
        return EPOCH + datetime.timedelta(seconds=float(text))
    except ValueError:
        pass
    try:
        from email.utils import parsedate_to_datetime  # see format_timestamp

        return aware(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        pass
    return aware(datetime.datetime.fromisoformat(text.replace("Z", "+00:00")))


_from_iso = datetime.datetime.fromisoformat
_seconds = datetime.timedelta


def parse_iso8601(value: Any) -> datetime.datetime:
    """A timestamp where the protocol declares ISO 8601 (XML bodies, JSON
    text): that format first, with no detour; anything else as
    :func:`parse_timestamp` reads it (services send other formats too)."""
    if type(value) is str and value[4:5] == "-" and value[:1].isdigit():
        try:
            parsed = _from_iso(value)  # "Z" included, since Python 3.11
        except ValueError:
            return parse_timestamp(value)
        zone = parsed.tzinfo
        if zone is _UTC:
            return parsed
        if zone is None:
            return parsed.replace(tzinfo=_UTC)
        return parsed.astimezone(_UTC)
    return parse_timestamp(value)


def parse_epoch(value: float) -> datetime.datetime:
    """Epoch seconds (a JSON number) as a timestamp."""
    return EPOCH + _seconds(seconds=value)


# -- scalars ---------------------------------------------------------------------


def float_out(value: float) -> float | str:
    """A float as JSON carries it: NaN and the infinities as strings."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def float_text(value: float) -> str:
    return str(float_out(value))


def float_in(value: Any) -> float:
    """``"NaN"``, ``"Infinity"``, ``"-Infinity"`` and numbers."""
    return float(value)


def b64encode(value: bytes | str) -> str:
    if isinstance(value, str):
        value = value.encode("utf-8")
    return base64.b64encode(value).decode("ascii")


def b64decode(value: str | bytes) -> bytes:
    return base64.b64decode(value)


def bool_text(value: bool) -> str:
    return "true" if value else "false"


def percent_encode(value: str, safe: str = "-_.~") -> str:
    # Letters, digits and "-_.~" are never encoded, whatever ``safe`` says:
    # most labels and query values are only that, and skip ``quote``.
    if _UNRESERVED(value):
        return value
    return quote(value, safe=safe)


# -- responses -------------------------------------------------------------------


def lower_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


def request_id(headers: Mapping[str, str]) -> str | None:
    """The request id of a response, from lower-cased headers."""
    return headers.get("x-amzn-requestid") or headers.get("x-amz-request-id")


def clean_error_code(code: str) -> str:
    """``aws.protocoltests#FooError:http://...`` -> ``FooError`` (botocore and
    Smithy: drop a namespace before ``#`` and anything after ``:``)."""
    return code.split(":", 1)[0].rsplit("#", 1)[-1]


def query_error_code(headers: Mapping[str, str]) -> str | None:
    """The awsQueryCompatible code (``x-amzn-query-error: Code;Sender``)."""
    value = headers.get("x-amzn-query-error")
    if not value:
        return None
    code = value.split(";", 1)[0].strip()
    return code or None


def status_reason(status: int) -> str:
    # http.client.responses without importing http.client: it pulls in ssl
    # and email (about 25 ms), which a client's first call should not pay.
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
