"""Fixtures of the end-to-end tests: a moto server and a scripted AWS stand-in.

Both listen on 127.0.0.1 on a free port, one per pytest(-xdist) worker, and
are reset before each test that uses them, so tests stay independent.
"""

from __future__ import annotations

import socket
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import botocore.config
import pytest

from tests.e2e.support import ACCESS_KEY, REGION, SECRET_KEY, ScriptedAwsServer


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # Nothing may reach for instance metadata or a real profile.
    for name in (
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_MAX_ATTEMPTS",
        "AWS_RETRY_MODE",
        "AWS_ENDPOINT_URL",
        "AWS_CA_BUNDLE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/e2e-config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/e2e-credentials")


# -- moto ----------------------------------------------------------------------


@pytest.fixture
def moto(moto_server: str) -> str:
    """The shared moto server (tests/conftest.py), reset for this test."""
    request = urllib.request.Request(f"{moto_server}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 200
    return moto_server


@pytest.fixture
def client_options(moto: str) -> dict[str, Any]:
    """Constructor arguments shared by our clients and boto3's."""
    return {
        "endpoint_url": moto,
        "region_name": REGION,
        "aws_access_key_id": ACCESS_KEY,
        "aws_secret_access_key": SECRET_KEY,
    }


@pytest.fixture
def boto3_client(client_options: dict[str, Any]) -> Callable[[str], Any]:
    """boto3 clients against the same server, standard retries."""
    session = boto3.session.Session()
    config = botocore.config.Config(retries={"mode": "standard"})

    def make(service: str) -> Any:
        return session.client(service, config=config, **client_options)

    return make


# -- the scripted server -------------------------------------------------------


@pytest.fixture(scope="session")
def _scripted_server() -> Iterator[ScriptedAwsServer]:
    server = ScriptedAwsServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def localhost_subdomains(monkeypatch: pytest.MonkeyPatch) -> None:
    """Resolve ``metadata.localhost``, ``storage-localhost``... to 127.0.0.1.

    Host prefixes turn ``http://localhost:PORT`` into names such as
    ``metadata.localhost``, which this machine's resolver does not know
    (no systemd-resolved, nothing in /etc/hosts). Patching getaddrinfo only
    for names ending in ``localhost`` keeps every real transport (ours and
    botocore's urllib3) unchanged, including the Host header it sends. Any
    other name fails to resolve, so no test can reach beyond 127.0.0.1.
    """
    original = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if host is None:
            pass  # a local wildcard address, for binding
        elif name.lower().endswith("localhost"):
            host = "127.0.0.1"
        elif name != "127.0.0.1":
            # These tests talk to 127.0.0.1 only: no DNS query leaves the box.
            raise socket.gaierror(socket.EAI_NONAME, f"e2e tests resolve no {name!r}")
        return original(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def aws_server(
    _scripted_server: ScriptedAwsServer, localhost_subdomains: None
) -> Iterator[ScriptedAwsServer]:
    """The scripted server, reset; by default it checks ``geo`` signatures.

    Call ``aws_server.reset(service=...)`` to check another signing name.
    """
    _scripted_server.reset(service="geo")
    yield _scripted_server
    _scripted_server.reset(service="geo")
