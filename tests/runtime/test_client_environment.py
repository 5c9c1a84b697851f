"""Endpoint URLs from the environment, with boto3's precedence (explicit
argument > ``AWS_ENDPOINT_URL_<SERVICE>`` > ``AWS_ENDPOINT_URL``, none of
them under ``AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true``), compared with
``boto3.client(...).meta.endpoint_url``; and the transport options' checks."""

from __future__ import annotations

import importlib
import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
import pytest
from botocore.configprovider import ConfiguredEndpointProvider

from generated.emr_containers import EMRContainersClient
from generated.emr_serverless import EMRServerlessClient
from generated.iot import IoTClient
from tests.conftest import GENERATED
from typed_aws_runtime import schema
from typed_aws_runtime.client import BaseClient
from typed_aws_runtime.transport import InMemoryTransport

KEYS: dict[str, Any] = {
    "aws_access_key_id": "AKIDEXAMPLE",
    "aws_secret_access_key": "s",
}
CLIENTS: dict[str, tuple[type[BaseClient], str]] = {
    "emr-serverless": (EMRServerlessClient, "list_applications"),
    "emr-containers": (EMRContainersClient, "list_virtual_clusters"),
    "iot": (IoTClient, "list_things"),
}


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in list(os.environ):
        if name.startswith(("AWS_ENDPOINT_URL", "AWS_IGNORE_CONFIGURED")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    yield


def _our_endpoint(service: str, explicit: str | None) -> str:
    cls, method = CLIENTS[service]
    transport = InMemoryTransport()
    client = cls(
        region_name="us-east-1", endpoint_url=explicit, transport=transport, **KEYS
    )
    getattr(client, method)()
    parts = urlsplit(transport.last.url)
    return f"{parts.scheme}://{parts.netloc}"


def _service_variable(service: str) -> str:
    name: str = ConfiguredEndpointProvider({}, {}, service)._get_service_env_var_name()
    return name


CASES = list(
    itertools.product(
        sorted(CLIENTS),
        [None, "http://explicit.test:1"],
        [None, "http://service-variable.test:2"],
        [None, "http://global-variable.test:3"],
        [None, "true", "TRUE", "false"],
    )
)


@pytest.mark.parametrize(("service", "explicit", "specific", "common", "ignore"), CASES)
def test_endpoint_precedence_as_boto3(
    monkeypatch: pytest.MonkeyPatch,
    service: str,
    explicit: str | None,
    specific: str | None,
    common: str | None,
    ignore: str | None,
) -> None:
    for name, value in (
        (_service_variable(service), specific),
        ("AWS_ENDPOINT_URL", common),
        ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", ignore),
    ):
        if value is not None:
            monkeypatch.setenv(name, value)
    boto = boto3.client(service, region_name="us-east-1", endpoint_url=explicit, **KEYS)
    assert _our_endpoint(service, explicit) == boto.meta.endpoint_url


def test_another_services_variable_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_EMR_CONTAINERS", "http://other.test:4")
    assert _our_endpoint("emr-serverless", None) == (
        "https://emr-serverless.us-east-1.amazonaws.com"
    )


def _variable_cases() -> list[str]:
    return sorted(p.name for p in GENERATED.iterdir() if (p / "_schema.json").is_file())


@pytest.mark.parametrize("package", _variable_cases())
def test_service_variable_name_as_botocore(
    package: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The variable our client reads is the one botocore reads (its client
    name rule), for every generated service."""
    importlib.import_module(f"generated.{package}")
    metadata = schema.load(f"generated.{package}").metadata
    # The package is named from botocore's service name (the client name).
    variable = _service_variable(package.rstrip("_").replace("_", "-"))
    from typed_aws_runtime.client import configured_endpoint_url

    monkeypatch.setenv(variable, "http://found.test")
    assert configured_endpoint_url(metadata["serviceId"]) == "http://found.test"


@pytest.mark.slow
def test_service_variable_name_as_botocore_for_every_service() -> None:
    import botocore.session

    from typed_aws_runtime.client import configured_endpoint_url

    session = botocore.session.get_session()
    loader = session.get_component("data_loader")
    for name in session.get_available_services():
        service_id = loader.load_service_model(name, "service-2")["metadata"][
            "serviceId"
        ]
        variable = _service_variable(name)
        os.environ[variable] = "http://x.test"
        try:
            assert configured_endpoint_url(service_id) == "http://x.test", name
        finally:
            del os.environ[variable]


# -- option checks ---------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        {"max_pool_connections": 0},
        {"max_pool_connections": -1},
        {"max_pool_connections": True},
        {"max_pool_connections": "10"},
        {"max_pool_connections": 2.5},
        {"proxies": "http://proxy:3128"},
        {"proxies": {"http": ""}},
        {"proxies": {"http": 3128}},
        {"proxies": {"http": "ftp://proxy:21"}},
        {"proxies": {"https": "http://proxy:notaport"}},
        {"verify": "/nonexistent/ca-bundle.pem"},
        {"verify": ""},
        {"verify": 1},
    ],
)
def test_bad_transport_options_are_refused_at_construction(
    options: dict[str, Any],
) -> None:
    with pytest.raises(ValueError):
        EMRServerlessClient(region_name="us-east-1", **options)


def test_good_transport_options_are_accepted(tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text("")
    options: dict[str, Any]
    for options in (
        {"max_pool_connections": 1},
        {"max_pool_connections": 50},
        {"proxies": {}},
        {"proxies": {"http": "proxy:3128", "https": "https://u:p@proxy:3129"}},
        {"verify": False},
        {"verify": True},
        {"verify": str(bundle)},
        {"verify": str(tmp_path)},
    ):
        EMRServerlessClient(region_name="us-east-1", **options).close()
