"""Malformed models that used to crash (a traceback, or a client that fails
at call time) exit 2 with one line naming the file and the JSON path; names
that would collide with the runtime's own attributes either move the
runtime out of the way or exit 2."""

from __future__ import annotations

import copy
import importlib
import inspect
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore import xform_name

from codegen.api import generate_package
from codegen.errors import ModelError
from tests.conftest import MODELS
from tests.test_model_fuzz import run_generate
from typed_aws_runtime.client import BaseClient
from typed_aws_runtime.structure import set_fields
from typed_aws_runtime.transport import HttpResponse, InMemoryTransport

Model = dict[str, Any]


def _emr() -> Model:
    model: Model = json.loads(
        (MODELS / "emr-serverless" / "service-2.json").read_text()
    )
    return model


def _set(path: list[str], value: Any) -> Callable[[Model], None]:
    def edit(model: Model) -> None:
        target = model
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return edit


def _delete(path: list[str]) -> Callable[[Model], None]:
    def edit(model: Model) -> None:
        target = model
        for part in path[:-1]:
            target = target[part]
        del target[path[-1]]

    return edit


def _error_as_output(model: Model) -> None:
    model["operations"]["GetApplication"]["output"] = {"shape": "ValidationException"}


BROKEN: dict[str, tuple[Callable[[Model], None], str]] = {
    "enum-not-strings": (
        _set(["shapes", "JobRunMode", "enum"], [["BATCH"], {"x": 1}]),
        "$.shapes.JobRunMode.enum: expected a list of strings",
    ),
    "error-as-output": (
        _error_as_output,
        "$.operations.GetApplication.output.shape: an error shape as output",
    ),
    "surrogate-in-docs": (
        _set(["shapes", "JobRunMode", "documentation"], "lone \ud800 surrogate"),
        "$.shapes.JobRunMode.documentation: unwritable character",
    ),
    "nul-in-member-name": (
        _set(
            ["shapes", "StartJobRunRequest", "members", "na\x00me"],
            {"shape": "String256"},
        ),
        "$.shapes.StartJobRunRequest.members['na\\x00me']: unwritable character",
    ),
    "min-not-a-number": (
        _set(["shapes", "String256", "min"], "one"),
        "$.shapes.String256.min: expected a number",
    ),
    "payload-no-member": (
        _set(["shapes", "StartJobRunRequest", "payload"], "nothing"),
        "$.shapes.StartJobRunRequest.payload: no member 'nothing'",
    ),
    "uri-label-unbound": (
        _set(
            ["operations", "GetApplication", "http", "requestUri"],
            "/applications/{applicationId}/{missing}",
        ),
        "$.operations.GetApplication.http.requestUri: label {missing} is bound to "
        "no input member",
    ),
    "host-label-unbound": (
        _set(
            ["operations", "GetApplication", "endpoint"],
            {"hostPrefix": "{nothing}."},
        ),
        "$.operations.GetApplication.endpoint.hostPrefix: label {nothing}",
    ),
    "no-endpoint-prefix": (
        _delete(["metadata", "endpointPrefix"]),
        "$.metadata.endpointPrefix: missing endpointPrefix",
    ),
    "location-unknown": (
        _set(
            ["shapes", "GetApplicationRequest", "members", "applicationId", "location"],
            "body",
        ),
        "$.shapes.GetApplicationRequest.members.applicationId.location: expected "
        "one of",
    ),
    "shape-type-not-a-string": (
        _set(["shapes", "JobRunMode", "type"], {"a": 1}),
        "$.shapes.JobRunMode.type: unknown shape type",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_malformed_model_exits_2_with_file_and_path(case: str, tmp_path: Path) -> None:
    edit, expected = BROKEN[case]
    model = _emr()
    edit(model)
    status, stderr, _ = run_generate(tmp_path, {"service-2.json": model})
    assert status == 2, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "service-2.json: $" in lines[0]
    assert expected in lines[0], lines[0]


# -- names the runtime also uses ----------------------------------------------

RUNTIME_NAMED_OPERATIONS = ("Sleep", "Clock", "Invoke", "Send", "Url", "Prepare")


def _names_model() -> Model:
    model = _emr()
    shapes = model["shapes"]
    shapes["OddInput"] = {
        "type": "structure",
        "members": {
            "self": {"shape": "String256"},
            "set_fields": {"shape": "String256"},
            "sdk_unknown_member": {"shape": "String256"},
            "fields": {"shape": "String256"},
        },
    }
    shapes["OddError"] = {
        "type": "structure",
        "members": {"self": {"shape": "String256"}, "args": {"shape": "String256"}},
        "exception": True,
        "error": {"httpStatusCode": 400},
    }
    for name in RUNTIME_NAMED_OPERATIONS:
        model["operations"][name] = {
            "name": name,
            "http": {"method": "POST", "requestUri": f"/{name.lower()}"},
            "input": {"shape": "OddInput"},
            "output": {"shape": "OddInput"},
            "errors": [{"shape": "OddError"}],
        }
    return model


@pytest.fixture(scope="module")
def names_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    tmp_path = tmp_path_factory.mktemp("names")
    package = generate_package(
        _names_model(), tmp_path, name="runtime-names", format_code=False
    )
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(f"{package}.client")
    finally:
        sys.path.remove(str(tmp_path))
        for module in [m for m in sys.modules if m.startswith(package)]:
            del sys.modules[module]


def _client(module: Any, transport: InMemoryTransport) -> Any:
    return module.EMRServerlessClient(
        region_name="us-east-1",
        endpoint_url="http://127.0.0.1:9",
        aws_access_key_id="k",
        aws_secret_access_key="s",
        transport=transport,
    )


def test_operations_keep_boto3s_names_and_the_runtime_still_works(
    names_package: Any,
) -> None:
    error = HttpResponse(500, {"x-amzn-ErrorType": "InternalServerException"}, b"{}")
    ok = HttpResponse(200, {}, b'{"self": "a", "set_fields": "b"}')
    transport = InMemoryTransport([error, ok])
    client = _client(names_package, transport)
    slept: list[float] = []
    client._codegen_sleep = slept.append
    for name in RUNTIME_NAMED_OPERATIONS:
        method = getattr(client, name.lower())
        assert "set_fields" in inspect.signature(method).parameters
    result = client.sleep(self_="me", set_fields="x", sdk_unknown_member="y")
    assert len(slept) == 1  # the retry slept through the runtime's own hook
    body = transport.requests[0].body
    assert isinstance(body, bytes)
    assert json.loads(body) == {
        "self": "me",
        "set_fields": "x",
        "sdk_unknown_member": "y",
    }
    assert result.self == "a" and result.set_fields == "b"
    assert set_fields(result) == {"self": "a", "set_fields": "b"}
    assert client.clock(fields="f") is not None  # the operation, not a clock


def test_structures_and_errors_take_runtime_names_as_members(
    names_package: Any,
) -> None:
    shapes = importlib.import_module(names_package.__package__ + ".shapes")
    errors = importlib.import_module(names_package.__package__ + ".errors")
    odd = shapes.OddInput(self="a", set_fields="b")
    assert (odd.self, odd.set_fields) == ("a", "b")
    assert set_fields(odd) == {"self": "a", "set_fields": "b"}
    error = errors.OddError("boom", code="OddError", self="x", args_="y")
    assert error.self == "x" and error.args_ == "y" and error.args == ("boom",)


REFUSED = {
    "Close": "method name 'close' is boto3's client method close()",
    "GetPaginator": "'get_paginator' is boto3's client method",
    "CanPaginate": "'can_paginate' is boto3's client method",
    "Overload": "'overload' would shadow the client module's 'overload'",
    "Shapes": "'shapes' would shadow the client module's 'shapes'",
    "_Invoke": "is private",
}


@pytest.mark.parametrize("operation", sorted(REFUSED))
def test_names_that_cannot_be_honoured_exit_2(operation: str) -> None:
    model = _emr()
    model["operations"][operation] = copy.deepcopy(
        model["operations"]["GetApplication"]
    )
    with pytest.raises(ModelError) as info:
        generate_package(model, Path("/nonexistent"), name="refused")
    assert f"$.operations.{operation}" in str(info.value)
    assert REFUSED[operation] in str(info.value)


@pytest.mark.parametrize(
    ("service", "operation"),
    [
        ("emr-serverless", "GeneratePresignedUrl"),
        ("s3", "GeneratePresignedPost"),
        ("s3", "UploadFile"),
        ("s3", "DownloadFile"),
        ("s3", "UploadFileobj"),
        ("s3", "DownloadFileobj"),
    ],
)
def test_operation_named_like_a_runtime_client_method_exits_2(
    service: str, operation: str
) -> None:
    model = _emr()
    model["operations"][operation] = copy.deepcopy(
        model["operations"]["GetApplication"]
    )
    method = xform_name(operation)
    with pytest.raises(ModelError) as info:
        generate_package(model, Path("/nonexistent"), name=service)
    assert f"$.operations.{operation}" in str(info.value)
    assert f"{method!r} is boto3's client method {method}()" in str(info.value)


def test_mixin_methods_listed_for_the_generator_are_the_mixins() -> None:
    from codegen import client_methods
    from typed_aws_runtime.s3client import AsyncS3ClientMethods, S3ClientMethods

    def public(cls: type) -> set[str]:
        return {n for n in vars(cls) if not n.startswith("_")}

    assert public(S3ClientMethods) == set(client_methods.MIXIN_METHODS["s3"])
    assert public(AsyncS3ClientMethods) <= public(S3ClientMethods)
    base = {n for n in dir(BaseClient) if not n.startswith("_")}
    assert client_methods.COMMON_METHODS <= base


def test_union_member_named_like_the_unknown_member_attribute_exits_2() -> None:
    model = _emr()
    model["shapes"]["OddUnion"] = {
        "type": "structure",
        "union": True,
        "members": {"SdkUnknownMember": {"shape": "String256"}},
    }
    model["shapes"]["StartJobRunRequest"]["members"]["odd"] = {"shape": "OddUnion"}
    with pytest.raises(ModelError, match="sdk_unknown_member"):
        generate_package(model, Path("/nonexistent"), name="refused")


def test_surrogate_in_a_paginators_file_exits_2_naming_that_file(
    tmp_path: Path,
) -> None:
    paginators = json.loads(
        (MODELS / "emr-serverless" / "paginators-1.json").read_text()
    )
    paginators["pagination"]["ListApplications"]["result_key"] = "applications\ud800"
    status, stderr, _ = run_generate(
        tmp_path, {"service-2.json": _emr(), "paginators-1.json": paginators}
    )
    assert status == 2, stderr
    assert "paginators-1.json: $.pagination.ListApplications.result_key:" in stderr
    assert len(stderr.strip().splitlines()) == 1
