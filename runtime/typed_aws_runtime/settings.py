"""The client's constructor values, checked when the client is built.

A bad value raises ``ValueError`` there, naming the argument (the spec: bad
values raise ``ValueError`` at construction), instead of failing, or being
silently replaced, at the first call. Only the standard library is imported:
building a client stays cheap.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

MAX_ATTEMPTS_VARIABLE = "AWS_MAX_ATTEMPTS"
DEFAULT_MAX_ATTEMPTS = 3  # botocore's standard mode
DEFAULT_TIMEOUT = 60.0  # seconds, botocore's connect and read timeouts
_REGION = re.compile(r"^[a-zA-Z0-9](?:[a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])?$")
# botocore's is_valid_endpoint_url: characters urlsplit would silently drop,
# and the host name's labels.
_UNSAFE = frozenset("\t\r\n")
_HOST = re.compile(
    r"^((?!-)[A-Z\d-]{1,63}(?<!-)\.)*((?!-)[A-Z\d-]{1,63}(?<!-))$", re.IGNORECASE
)


def region_name(value: Any) -> str | None:
    """The region, or None; it becomes part of a host name."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"region_name must be a str, not {type(value).__name__}")
    if not _REGION.match(value):
        # botocore refuses these when the client is built, too.
        raise ValueError(f"invalid region name {value!r}")
    return value


def max_attempts(value: Any) -> int:
    """The number of attempts per call: the argument, else
    ``AWS_MAX_ATTEMPTS``, else 3. The environment is read here, when the
    client is built, and a bad value in it is an error, as in botocore
    (which raises for anything ``int()`` refuses, and for less than 1)."""
    if value is not None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(
                f"max_attempts must be an int of at least 1, not {value!r}"
            )
        if value < 1:
            raise ValueError(f"max_attempts must be at least 1, not {value!r}")
        return value
    raw = os.environ.get(MAX_ATTEMPTS_VARIABLE)
    if raw is None:
        return DEFAULT_MAX_ATTEMPTS
    try:
        found = int(raw)
    except ValueError:
        raise ValueError(
            f"{MAX_ATTEMPTS_VARIABLE} must be an integer of at least 1, not {raw!r}"
        ) from None
    if found < 1:
        raise ValueError(f"{MAX_ATTEMPTS_VARIABLE} must be at least 1, not {raw!r}")
    return found


def timeout(name: str, value: Any) -> float:
    """A timeout in seconds: a positive, finite number (None: 60)."""
    if value is None:
        return DEFAULT_TIMEOUT
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{name} must be a number of seconds, not {value!r}")
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(
            f"{name} must be a positive, finite number of seconds, not {value!r}"
        )
    return float(value)


def endpoint_url(value: Any) -> str | None:
    """An endpoint URL: ``http`` or ``https``, a valid host, a valid port."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"endpoint_url must be a str, not {type(value).__name__}")
    problem = _url_problem(value)
    if problem is not None:
        raise ValueError(f"invalid endpoint_url {value!r}: {problem}")
    return value


def _url_problem(url: str) -> str | None:
    if _UNSAFE.intersection(url):
        return "it contains a tab, CR or LF"
    try:
        parts = urlsplit(url)
        port = parts.port  # a port that is not a number in range raises here
    except ValueError as exc:
        return str(exc)
    if parts.scheme not in ("http", "https") or not url.lower().startswith(
        parts.scheme + "://"
    ):
        return "it must start with http:// or https://"
    host = parts.hostname
    if not host:
        return "it has no host"
    if parts.netloc.rpartition("@")[2].startswith("["):
        import ipaddress

        try:
            ipaddress.IPv6Address(host.partition("%")[0])
        except ValueError:
            return f"{host!r} is not an IPv6 address"
        return None
    if len(host) > 255 or not _HOST.match(host.removesuffix(".")):
        return f"{host!r} is not a valid host name"
    if port == 0:
        return "its port must be from 1 to 65535"
    return None


def client_context_params(
    value: Any, known: Mapping[str, str]
) -> dict[str, bool | str]:
    """botocore's ``Config(client_context_params=...)``: keys are the
    model's ``clientContextParams`` names as ``xform_name`` spells them
    (``use_arn_region``), values booleans or strings as the model types
    them. botocore ignores a key it does not know; a typo here would go
    unnoticed, so it is a ``ValueError``, as is a value of the wrong type."""
    if not isinstance(value, Mapping):
        raise ValueError(
            f"client_context_params must be a mapping, not {type(value).__name__}"
        )
    out: dict[str, bool | str] = {}
    for key, item in value.items():
        kind = known.get(key) if isinstance(key, str) else None
        if kind is None:
            choices = ", ".join(sorted(known)) or "none for this service"
            raise ValueError(
                f"unknown client_context_params key {key!r} (known: {choices})"
            )
        expected = bool if kind == "boolean" else str
        if not isinstance(item, expected):
            raise ValueError(
                f"client_context_params[{key!r}] must be a {expected.__name__}, "
                f"not {item!r}"
            )
        out[key] = item
    return out


def sigv4a_signing_region_set(value: Any) -> str | None:
    """botocore's ``Config(sigv4a_signing_region_set=...)``: the regions a
    SigV4a signature covers, comma-separated (``*``: all)."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ValueError(
            f"sigv4a_signing_region_set must be a non-empty str, not {value!r}"
        )
    return value
