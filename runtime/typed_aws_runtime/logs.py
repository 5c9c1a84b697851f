"""What the runtime's DEBUG log records show of a request, secrets redacted.

botocore logs the request it sends (``endpoint.py``: "Sending http request")
with every header and the body. These records show the method, the URL and
the headers, never the body, and never a secret: the ``Authorization``
value, the session token (``X-Amz-Security-Token``), and the value of every
member the model marks sensitive that the request carries in a header, the
query string or the path (a sensitive path label shows the path template,
``/places/{PlaceId}``, instead of the path). The secret key itself is never
in a request.

Only called once a logger is enabled for DEBUG: nothing here runs on a call
with logging off.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from .schema import MapShape, Operation, Shape

__all__ = ["REDACTED", "LazyLogger", "request_summary"]

REDACTED = "***"


class LazyLogger:
    """A module logger that does not import :mod:`logging` (5 ms and 1 MiB
    of a fresh process). Until something imports it, no handler or level can
    have been set, so no record could be emitted: ``isEnabledFor`` is False
    and ``debug`` does nothing, exactly as the real logger would behave. Once
    :mod:`logging` is imported, every call goes to ``logging.getLogger(name)``.
    """

    __slots__ = ("_name", "_logger")

    def __init__(self, name: str) -> None:
        self._name = name
        self._logger: Any = None

    def _get(self) -> Any:
        logger = self._logger
        if logger is None:
            logging = sys.modules.get("logging")
            if logging is None:
                return None
            logger = self._logger = logging.getLogger(self._name)
        return logger

    def isEnabledFor(self, level: int) -> bool:  # noqa: N802 - logging's name
        logger = self._get()
        return logger is not None and bool(logger.isEnabledFor(level))

    def debug(self, msg: str, *args: object) -> None:
        logger = self._get()
        if logger is not None:
            logger.debug(msg, *args, stacklevel=2)


# Headers that hold credentials in every protocol (lower case).
_SECRET_HEADERS = frozenset(
    {"authorization", "x-amz-security-token", "proxy-authorization", "x-amz-signature"}
)
_SECRET_QUERY = frozenset({"x-amz-security-token", "x-amz-signature", "signature"})


class _Plan:
    """Where one operation's sensitive members go on the wire."""

    __slots__ = ("headers", "header_prefixes", "query", "all_query", "path")

    def __init__(self, op: Operation) -> None:
        self.headers: set[str] = set()
        self.header_prefixes: list[str] = []
        self.query: set[str] = set()
        self.all_query = False
        self.path = False
        shape = op.input
        if shape is None:
            return
        for member in shape.members.values():
            if not _holds_secret(member.shape):
                continue
            name = member.location_name or member.wire
            if member.location == "header":
                self.headers.add(name.lower())
            elif member.location == "headers":
                self.header_prefixes.append(name.lower())
            elif member.location == "querystring":
                if isinstance(member.shape, MapShape):
                    self.all_query = True
                else:
                    self.query.add(name)
            elif member.location == "uri":
                self.path = True


def _holds_secret(shape: Shape) -> bool:
    if shape.sensitive:
        return True
    if isinstance(shape, MapShape):
        return shape.key.shape.sensitive or shape.value.shape.sensitive
    member = getattr(shape, "member", None)  # a list
    return member is not None and bool(member.shape.sensitive)


_PLANS: dict[str, _Plan] = {}


def request_summary(
    op: Operation, method: str, url: str, headers: Mapping[str, str]
) -> str:
    """``"POST https://host/path?query headers={...}"``, secrets redacted."""
    key = f"{id(op)}:{op.name}"
    plan = _PLANS.get(key)
    if plan is None:
        plan = _PLANS[key] = _Plan(op)
    shown = {
        name: REDACTED if _secret_header(plan, name.lower()) else value
        for name, value in headers.items()
    }
    return f"{method} {_safe_url(plan, op, url)} headers={shown!r}"


def _secret_header(plan: _Plan, name: str) -> bool:
    return (
        name in _SECRET_HEADERS
        or name in plan.headers
        or any(name.startswith(prefix) for prefix in plan.header_prefixes)
    )


def _safe_url(plan: _Plan, op: Operation, url: str) -> str:
    parts = urlsplit(url)
    path = parts.path
    if plan.path:
        path = op.path
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode(
            [
                (
                    name,
                    (
                        REDACTED
                        if plan.all_query
                        or name in plan.query
                        or name.lower() in _SECRET_QUERY
                        else value
                    ),
                )
                for name, value in pairs
            ],
            safe="*/",
        )
    netloc = parts.hostname or ""  # without any user:password@
    if ":" in netloc:
        netloc = f"[{netloc}]"
    if parts.port is not None:
        netloc = f"{netloc}:{parts.port}"
    return f"{parts.scheme}://{netloc}{path}" + (f"?{query}" if query else "")
