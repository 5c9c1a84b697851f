"""Secrets stay secret: reprs, strs and exception messages never show them.

Covers credentials, clients, requests and responses, every structure with a
``sensitive`` member in the five models (checked against the models
themselves), results parsed from real responses (moto's IoT key pair), and the
messages of every kind of exception a call can raise.
"""

from __future__ import annotations

import importlib
import json
import socket
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generated.emr_serverless import shapes as emr_shapes
from generated.iot import IoTClient
from generated.location import LocationClient
from generated.location import shapes as location_shapes
from tests.e2e.support import (
    ACCESS_KEY,
    REGION,
    SECRET_KEY,
    SESSION_TOKEN,
    Reply,
    ScriptedAwsServer,
    python_name,
)
from typed_aws_runtime.credentials import (
    BotocoreChainProvider,
    Credentials,
    NoCredentialsError,
    StaticCredentialProvider,
)
from typed_aws_runtime.errors import ParamValidationError
from typed_aws_runtime.structure import Structure
from typed_aws_runtime.transport import HttpResponse, InMemoryTransport

MODELS = Path(__file__).resolve().parents[2] / "models"
PACKAGES = {
    "emr-serverless": "emr_serverless",
    "emr-containers": "emr_containers",
    "location": "location",
    "omics": "omics",
    "iot": "iot",
}
SECRETS = (SECRET_KEY, SESSION_TOKEN)


def _no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text
    assert ACCESS_KEY not in text or "Credential=" in text  # only inside a scope


def _everything(exc: BaseException) -> str:
    """An exception's message, repr and whole formatted chain."""
    return "\n".join([str(exc), repr(exc), *traceback.format_exception(exc)])


# -- credentials, clients, requests --------------------------------------------


def test_credentials_never_show_secret_or_token() -> None:
    credentials = Credentials(ACCESS_KEY, SECRET_KEY, SESSION_TOKEN)
    for text in (
        repr(credentials),
        str(credentials),
        f"{credentials}",
        repr(StaticCredentialProvider(ACCESS_KEY, SECRET_KEY, SESSION_TOKEN)),
        repr([credentials]),
        repr({"c": credentials}),
    ):
        _no_secret(text)
        assert ACCESS_KEY not in text  # only a redacted prefix
    assert "AKID" in repr(credentials)
    _no_secret(repr(BotocoreChainProvider("default")))


def test_client_repr_and_str_hide_credentials() -> None:
    transport = InMemoryTransport()
    client = LocationClient(
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        aws_session_token=SESSION_TOKEN,
        transport=transport,
    )
    client.describe_key(key_name="k")  # the credentials are loaded now
    for text in (repr(client), str(client), f"{client!r}"):
        _no_secret(text)
        assert ACCESS_KEY not in text


def test_request_and_response_reprs_hide_signature_and_token() -> None:
    transport = InMemoryTransport([HttpResponse(200, {}, b"{}")])
    client = LocationClient(
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        aws_session_token=SESSION_TOKEN,
        transport=transport,
    )
    client.describe_key(key_name="k")
    request = transport.last
    assert request.headers["X-Amz-Security-Token"] == SESSION_TOKEN  # it was sent
    signature = request.headers["Authorization"].rsplit("Signature=", 1)[1]
    for text in (
        repr(request),
        str(request),
        repr(transport.requests),
        repr(HttpResponse(200, {"x": SESSION_TOKEN}, SESSION_TOKEN.encode())),
    ):
        _no_secret(text)
        assert signature not in text and "Authorization" not in text


# -- sensitive members ---------------------------------------------------------


class _Marker:
    def __repr__(self) -> str:
        return "SENSITIVE-MARKER"

    __str__ = __repr__


def _sensitive_members(service: str) -> dict[str, set[str]]:
    """Per structure shape: members whose value the model marks sensitive
    (the member's shape, or the element of its list or map, or the member)."""
    shapes = json.loads((MODELS / service / "service-2.json").read_text())["shapes"]

    def sensitive(name: str, seen: frozenset[str] = frozenset()) -> bool:
        shape = shapes[name]
        if shape.get("sensitive"):
            return True
        if name in seen:
            return False
        if shape["type"] == "list":
            return sensitive(shape["member"]["shape"], seen | {name})
        if shape["type"] == "map":
            return sensitive(shape["value"]["shape"], seen | {name})
        return False

    found: dict[str, set[str]] = {}
    for name, shape in shapes.items():
        if shape["type"] != "structure" or shape.get("exception"):
            continue
        members = {
            m
            for m, ref in shape.get("members", {}).items()
            if ref.get("sensitive") or sensitive(ref["shape"])
        }
        if members:
            found[name] = members
    return found


def _sensitive_cases() -> Iterator[Any]:
    for service, package in PACKAGES.items():
        module = importlib.import_module(f"generated.{package}.shapes")
        for shape, members in sorted(_sensitive_members(service).items()):
            cls = getattr(module, shape.lstrip("_"), None)
            if cls is None:  # input/output wrappers fold into method signatures
                continue
            yield pytest.param(cls, sorted(members), id=f"{package}.{shape}")


SENSITIVE_CASES = list(_sensitive_cases())


def test_the_models_have_sensitive_structures() -> None:
    services = {case.id.split(".")[0] for case in SENSITIVE_CASES}
    assert {"emr_serverless", "emr_containers", "iot", "location"} <= services
    assert len(SENSITIVE_CASES) > 50


@pytest.mark.parametrize(("cls", "members"), SENSITIVE_CASES)
def test_sensitive_members_are_redacted(
    cls: type[Structure], members: list[str]
) -> None:
    fields = {python_name(m) for m in members}
    assert fields <= set(cls.__field_order__)
    assert fields <= cls._sensitive_
    obj = cls(**{name: _Marker() for name in fields})
    for text in (repr(obj), str(obj), repr([obj]), f"{obj}"):
        assert "SENSITIVE-MARKER" not in text
        for name in fields:
            assert f"{name}=*** sensitive ***" in text


def test_nested_sensitive_values_are_redacted() -> None:
    driver = emr_shapes.JobDriver(
        spark_submit=emr_shapes.SparkSubmit(
            entry_point="s3://bucket/very-secret-entry.py",
            entry_point_arguments=["--password=hunter2"],
            spark_submit_parameters="--conf spark.secret=abc123",
        )
    )
    overrides = emr_shapes.ConfigurationOverrides(
        application_configuration=[
            emr_shapes.Configuration(
                classification="spark-defaults",
                properties={"spark.db.password": "s3cr3t-value"},
            )
        ]
    )
    for text in (repr(driver), repr(overrides)):
        for secret in ("very-secret-entry", "hunter2", "abc123", "s3cr3t-value"):
            assert secret not in text
    assert "classification='spark-defaults'" in repr(overrides)
    # Non-sensitive members stay readable.
    place = location_shapes.JobInputOptions(location="s3://in/", format="Parquet")
    assert "s3://in/" in repr(place)


def test_private_key_from_moto_is_not_in_repr(client_options: dict[str, Any]) -> None:
    with IoTClient(**client_options) as client:
        created = client.create_keys_and_certificate(set_as_active=True)
    assert created.key_pair is not None
    private_key = created.key_pair.private_key or ""
    assert "PRIVATE KEY" in private_key  # the value is there to be used
    body = private_key.splitlines()[1]
    for text in (repr(created), str(created), repr(created.key_pair)):
        assert body not in text and "PRIVATE KEY" not in text
    assert created.certificate_id and created.certificate_id in repr(created)


def test_api_key_from_response_is_not_in_repr() -> None:
    body = json.dumps(
        {
            "Key": "v1.public.THE-API-KEY-VALUE",
            "KeyArn": "arn:aws:geo:k",
            "KeyName": "k",
            "Restrictions": {"AllowActions": ["geo:GetMap*"], "AllowResources": ["*"]},
            "CreateTime": "2024-01-01T00:00:00Z",
            "ExpireTime": "2025-01-01T00:00:00Z",
            "UpdateTime": "2024-01-01T00:00:00Z",
        }
    ).encode()
    transport = InMemoryTransport([HttpResponse(200, {}, body)])
    client = LocationClient(
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        transport=transport,
    )
    key = client.describe_key(key_name="k")
    assert key.key == "v1.public.THE-API-KEY-VALUE"
    assert "THE-API-KEY-VALUE" not in repr(key)
    assert "geo:GetMap*" in repr(key)


# -- exception messages --------------------------------------------------------


def _client(**options: Any) -> LocationClient:
    return LocationClient(
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        aws_session_token=SESSION_TOKEN,
        **options,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_no_exception_message_contains_the_secret(
    aws_server: ScriptedAwsServer,
) -> None:
    raised: list[BaseException] = []

    def capture(call: Any) -> None:
        try:
            call()
        except Exception as exc:  # noqa: BLE001 - collecting every kind
            raised.append(exc)
        else:
            raise AssertionError("expected an exception")

    # Refused connection, read timeout, connection reset (default transport).
    # localhost, not 127.0.0.1: the host prefix makes it cp.metadata.localhost,
    # which the aws_server fixture resolves locally (never through DNS).
    closed = _client(endpoint_url=f"http://localhost:{_free_port()}", max_attempts=1)
    capture(lambda: closed.describe_key(key_name="k"))
    aws_server.reset(service="geo", token=SESSION_TOKEN)
    aws_server.script(
        Reply(delay=1.5),
        Reply(reset=True),
        Reply(
            401,
            {"message": "The security token included in the request is invalid."},
            {"x-amzn-ErrorType": "UnrecognizedClientException"},
        ),
        Reply(200, b"not json"),
    )
    impatient = _client(
        endpoint_url=aws_server.endpoint_url, max_attempts=1, read_timeout=0.5
    )
    capture(lambda: impatient.describe_key(key_name="k"))
    live = _client(endpoint_url=aws_server.endpoint_url, max_attempts=1)
    for _ in range(3):
        capture(lambda: live.describe_key(key_name="k"))
    # Bad input, invalid region, missing credentials.
    capture(lambda: live.describe_key(key_name=""))
    capture(
        lambda: live.calculate_route(
            calculator_name=1,
            departure_position="x",  # type: ignore[arg-type]
            destination_position=[0.0, 0.0],
        )
    )
    capture(
        lambda: LocationClient(
            region_name="us east 1",
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )
    )
    capture(lambda: LocationClient(aws_access_key_id=ACCESS_KEY))
    capture(lambda: (_ for _ in ()).throw(NoCredentialsError("p")))

    kinds = {type(e).__name__ for e in raised}
    assert {
        "EndpointConnectionError",
        "ReadTimeoutError",
        "ConnectionClosedError",
        "LocationError",
        "ResponseParseError",
        "ParamValidationError",
        "ValueError",
        "NoCredentialsError",
    } <= kinds, kinds
    for exc in raised:
        _no_secret(_everything(exc))
    # The requests really carried the secrets' products (token, signature).
    assert all(
        r.header("X-Amz-Security-Token") == SESSION_TOKEN for r in aws_server.take()
    )


def test_validation_message_does_not_echo_sensitive_numbers() -> None:
    client = _client(transport=InMemoryTransport())
    with pytest.raises(ParamValidationError) as caught:
        client.calculate_route(
            calculator_name="c",
            departure_position=[1.0, 2.0],
            destination_position=[3.0, 4.0],
            travel_mode="Truck",
            truck_mode_options=location_shapes.CalculateRouteTruckModeOptions(
                dimensions=location_shapes.TruckDimensions(height=-123.456789)
            ),
        )
    assert "height" in str(caught.value)
    assert "123.456789" not in str(caught.value)
