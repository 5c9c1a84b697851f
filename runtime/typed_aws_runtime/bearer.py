"""Bearer-token auth (``smithy.api#httpBearerAuth``, ``signatureVersion:
bearer``: codecatalyst; bedrock with a token in the environment), as
botocore's ``BearerAuth`` signs: ``Authorization: Bearer <token>``.

The token comes from where a botocore client takes it: the environment
variable for the service's signing name (``AWS_BEARER_TOKEN_<NAME>``,
botocore's ``ScopedEnvTokenProvider``), else the session's token provider
chain (``botocore.tokens.create_token_resolver``: the SSO token of the
profile's ``sso_session``, refreshed by botocore before it expires). botocore
is imported when the first token is needed.
"""

from __future__ import annotations

import threading
from typing import Any

from .auth import bearer_token_from_environment
from .errors import NoAuthTokenError
from .transport import HttpRequest

__all__ = ["BotocoreTokenProvider", "sign_bearer"]


class BotocoreTokenProvider:
    """The token a botocore client of this profile and signing name would
    use, looked up once (as botocore does when it builds a client) and
    asked for a fresh frozen value on every request."""

    def __init__(self, profile_name: str | None, signing_name: str) -> None:
        self._profile_name = profile_name
        self._signing_name = signing_name
        self._lock = threading.Lock()
        self._source: Any = None
        self._loaded = False

    def _load(self) -> Any:
        with self._lock:
            if not self._loaded:
                token: Any = bearer_token_from_environment(self._signing_name)
                if token is None:
                    from .credentials import botocore_session

                    token = botocore_session(self._profile_name).get_auth_token()
                self._source = token
                self._loaded = True
            return self._source

    def get(self) -> str:
        source = self._source if self._loaded else self._load()
        if source is None:
            raise NoAuthTokenError()
        if isinstance(source, str):
            return source
        frozen = (
            source.get_frozen_token() if hasattr(source, "get_frozen_token") else source
        )
        if frozen is None or not frozen.token:
            raise NoAuthTokenError()
        return str(frozen.token)


def sign_bearer(request: HttpRequest, token: str) -> None:
    """botocore's ``BearerAuth.add_auth``: an earlier ``Authorization``
    header is replaced (and moves to the end, as botocore's does)."""
    headers = request.headers
    for name in [k for k in headers if k.lower() == "authorization"]:
        del headers[name]
    headers["Authorization"] = f"Bearer {token}"
