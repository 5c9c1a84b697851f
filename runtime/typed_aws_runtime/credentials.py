"""Credentials and region resolution.

Explicit credentials never touch botocore. Anything else is delegated to
botocore's standard provider chain (environment, shared files, SSO,
container and instance metadata), imported only when first needed so that
importing a generated client stays cheap.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from typing import Any, Protocol

from .errors import PicklableError

__all__ = [
    "BotocoreChainProvider",
    "CredentialProvider",
    "Credentials",
    "NoCredentialsError",
    "StaticCredentialProvider",
    "botocore_session",
    "resolve_region",
]


class NoCredentialsError(PicklableError):
    """No credentials were given and botocore's chain found none."""

    def __init__(self, profile_name: str | None = None) -> None:
        where = f" (profile {profile_name!r})" if profile_name else ""
        super().__init__(
            f"Unable to locate AWS credentials{where}: pass aws_access_key_id"
            " and aws_secret_access_key, or configure the environment, the"
            " shared credentials/config files, SSO, or instance metadata."
        )
        self.profile_name = profile_name


def _redact(access_key: str) -> str:
    # Enough to tell keys apart in a log, never enough to use one.
    return f"{access_key[:4]}****" if len(access_key) > 4 else "****"


class Credentials:
    """An immutable access key / secret key / session token triple.

    A plain slotted class rather than a dataclass: importing ``dataclasses``
    costs more than this whole module, and clients must start fast.
    """

    __slots__ = ("_access_key", "_secret_key", "_token")

    _access_key: str
    _secret_key: str
    _token: str | None

    def __init__(
        self, access_key: str, secret_key: str, token: str | None = None
    ) -> None:
        object.__setattr__(self, "_access_key", access_key)
        object.__setattr__(self, "_secret_key", secret_key)
        object.__setattr__(self, "_token", token)

    @property
    def access_key(self) -> str:
        return self._access_key

    @property
    def secret_key(self) -> str:
        return self._secret_key

    @property
    def token(self) -> str | None:
        return self._token

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Credentials are immutable; cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Credentials are immutable; cannot delete {name!r}")

    def _key(self) -> tuple[str, str, str | None]:
        return (self._access_key, self._secret_key, self._token)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Credentials):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        # Secret and token are never shown; the access key only redacted.
        token = ", token=****" if self._token else ""
        return f"Credentials(access_key={_redact(self._access_key)!r}{token})"

    __str__ = __repr__

    def __reduce__(self) -> tuple[Any, ...]:
        # Default slot pickling would go through the blocked __setattr__.
        return (Credentials, self._key())


class CredentialProvider(Protocol):
    """Anything that hands out current credentials, once per request."""

    def get(self) -> Credentials: ...


class StaticCredentialProvider:
    """Credentials given explicitly by the caller."""

    __slots__ = ("_credentials",)

    def __init__(
        self, access_key: str, secret_key: str, token: str | None = None
    ) -> None:
        self._credentials = Credentials(access_key, secret_key, token)

    def get(self) -> Credentials:
        return self._credentials

    def __repr__(self) -> str:
        return f"StaticCredentialProvider({self._credentials!r})"


@lru_cache(maxsize=8)
def _botocore_session(profile_name: str | None) -> Any:
    # One session per profile: building it parses the shared config files,
    # and both region and credential lookups need it.
    import botocore.session  # type: ignore[import-untyped, unused-ignore]

    return botocore.session.Session(profile=profile_name)


def botocore_session(profile_name: str | None) -> Any:
    """The botocore session of a profile, shared by the credential, region
    and token lookups (built once per profile)."""
    return _botocore_session(profile_name)


class BotocoreChainProvider:
    """Credentials from botocore's standard chain, resolved on first use.

    botocore's credentials object is kept, and asked for a frozen snapshot on
    every ``get()``, so temporary credentials (SSO, assume-role, instance
    metadata) are refreshed by botocore before they expire.
    """

    def __init__(self, profile_name: str | None = None) -> None:
        self._profile_name = profile_name
        self._lock = threading.Lock()
        self._source: Any = None
        self._last: tuple[tuple[str, str, str | None], Credentials] | None = None

    def _resolve_source(self) -> Any:
        with self._lock:
            if self._source is None:
                found = _botocore_session(self._profile_name).get_credentials()
                if found is None:
                    raise NoCredentialsError(self._profile_name)
                self._source = found
            return self._source

    @property
    def resolved(self) -> Any:
        """botocore's credentials object once the chain found one, else None."""
        return self._source

    def get(self) -> Credentials:
        source = self._source or self._resolve_source()
        frozen = source.get_frozen_credentials()
        key = (frozen.access_key, frozen.secret_key, frozen.token)
        last = self._last
        if last is not None and last[0] == key:
            return last[1]  # Unchanged since last call: reuse, no allocation.
        if not frozen.access_key or not frozen.secret_key:
            raise NoCredentialsError(self._profile_name)
        credentials = Credentials(*key)
        self._last = (key, credentials)
        return credentials

    def __repr__(self) -> str:
        return f"BotocoreChainProvider(profile_name={self._profile_name!r})"


def resolve_region(region_name: str | None, profile_name: str | None) -> str | None:
    """The region a client should use, or None when nothing names one.

    Order: the explicit argument; ``AWS_DEFAULT_REGION`` (what boto3 reads);
    ``AWS_REGION`` (what the other AWS SDKs read); then the profile's
    ``region`` in the shared config file, read through botocore.
    """
    if region_name:
        return region_name
    for variable in ("AWS_DEFAULT_REGION", "AWS_REGION"):
        value = os.environ.get(variable)
        if value:
            return value
    region = _botocore_session(profile_name).get_config_variable("region")
    return str(region) if region else None
