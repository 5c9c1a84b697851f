"""The generated API surface: operations, annotations, imports and lint."""

from __future__ import annotations

import importlib
import inspect
import json
import subprocess
import sys
import typing
from types import ModuleType

import pytest
from botocore import xform_name

from codegen import naming
from tests.conftest import GENERATED, MODELS, ROOT, SERVICES


def package(service: str) -> ModuleType:
    return importlib.import_module(f"generated.{naming.package_name(service)}")


def client_class(service: str) -> type:
    model = json.loads((MODELS / service / "service-2.json").read_text())
    name = naming.client_class_name(model["metadata"]["serviceId"])
    cls: type = getattr(package(service), name)
    return cls


def test_client_class_names() -> None:
    names = {s: client_class(s).__name__ for s in SERVICES}
    assert names == {
        "emr-serverless": "EMRServerlessClient",
        "emr-containers": "EMRContainersClient",
        "location": "LocationClient",
        "omics": "OmicsClient",
        "iot": "IoTClient",
    }


def test_every_operation_is_a_method_named_as_boto3_names_it() -> None:
    total = 0
    for service in SERVICES:
        model = json.loads((MODELS / service / "service-2.json").read_text())
        cls = client_class(service)
        for operation in model["operations"]:
            assert callable(getattr(cls, xform_name(operation))), (service, operation)
            total += 1
    assert total == 488


@pytest.mark.parametrize("service", SERVICES)
def test_type_hints_resolve_everywhere(service: str) -> None:
    cls = client_class(service)
    for name, member in vars(cls).items():
        if inspect.isfunction(member) and not name.startswith("_"):
            typing.get_type_hints(member)
    for module_name in ("shapes", "errors"):
        module = importlib.import_module(f"{package(service).__name__}.{module_name}")
        for value in vars(module).values():
            if inspect.isclass(value) and value.__module__ == module.__name__:
                typing.get_type_hints(value)


@pytest.mark.parametrize("service", SERVICES)
def test_methods_parameters_match_the_input_members(service: str) -> None:
    model = json.loads((MODELS / service / "service-2.json").read_text())
    cls = client_class(service)
    for operation, spec in model["operations"].items():
        params = inspect.signature(getattr(cls, xform_name(operation))).parameters
        members = model["shapes"][spec["input"]["shape"]] if "input" in spec else {}
        expected = {naming.member_name(m) for m in members.get("members", {})}
        assert set(params) - {"self"} == expected, operation
        required = set(members.get("required", ()))
        tokens = {
            m
            for m, r in members.get("members", {}).items()
            if r.get("idempotencyToken")
        }
        for member in members.get("members", {}):
            param = params[naming.member_name(member)]
            is_required = member in required and member not in tokens
            assert (param.default is inspect.Parameter.empty) == is_required, (
                operation,
                member,
            )


def test_importing_a_package_does_not_import_the_generator() -> None:
    code = (
        "import sys, generated.iot\n"
        "bad = {'jinja2', 'black', 'click', 'botocore', 'urllib3'} & set(sys.modules)\n"
        "assert not bad, bad\n"
        "c = generated.iot.IoTClient(region_name='us-east-1', aws_access_key_id='a',"
        " aws_secret_access_key='b')\n"
        "bad = {'jinja2', 'black', 'click', 'botocore', 'urllib3'} & set(sys.modules)\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_mypy_strict_passes_on_generated() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(GENERATED)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_ruff_passes_on_generated() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", str(GENERATED)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_a_call_with_explicit_keys_never_imports_botocore() -> None:
    code = (
        "import sys\n"
        "from generated.iot import IoTClient\n"
        "from typed_aws_runtime.transport import InMemoryTransport\n"
        "c = IoTClient(region_name='us-east-1', aws_access_key_id='a',"
        " aws_secret_access_key='b', transport=InMemoryTransport())\n"
        "c.list_things()\n"
        "assert not [m for m in sys.modules if m.startswith('botocore')]\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
