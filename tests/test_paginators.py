"""Paginators: every model entry generated, typed, and botocore's semantics.

Each paginator of the five models runs against botocore's own paginator on
the same fake service (3 pages, served by token), over several
``max_items`` / ``page_size`` / ``starting_token`` scenarios: the same
requests, pages, items, resume tokens (and resumptions from either side's
token), ``build_full_result`` and ``non_aggregate_part``.
"""

from __future__ import annotations

import inspect
import json
import re
import subprocess
import sys
import typing
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import botocore.model
import pytest
from botocore import xform_name
from botocore.exceptions import PaginationError as BotoPaginationError

from codegen import symbols
from tests.conftest import ROOT, SERVICES
from tests.pagination_support import (
    Pair,
    clients,
    model,
    our_kwargs,
    put,
    query,
    sample_input,
    serialized,
    typed_to_dict,
    without_metadata,
)
from typed_aws_runtime.paginate import PageIterator, PaginationError, decode_token

PAGINATORS = [
    (service, name)
    for service in SERVICES
    for name in sorted(model(service, "paginators-1.json").get("pagination", {}))
]
PAGE_SIZES = (3, 2, 3)


def config(service: str, name: str) -> dict[str, Any]:
    entry: dict[str, Any] = model(service, "paginators-1.json")["pagination"][name]
    return entry


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


# -- the generated surface -----------------------------------------------------------


def test_every_paginator_of_every_model_is_generated() -> None:
    assert len(PAGINATORS) == 110
    for service in SERVICES:
        entries = model(service, "paginators-1.json").get("pagination", {})
        pair = clients(service)
        registry = pair.module("paginators").PAGINATORS
        assert set(registry) == {xform_name(op) for op in entries}, service
        for operation, entry in entries.items():
            cls = registry[xform_name(operation)]
            spec = cls._spec
            assert spec.operation == operation
            assert spec.method == xform_name(operation)
            assert list(spec.input_token) == _list(entry["input_token"])
            assert list(spec.output_token) == _list(entry["output_token"])
            assert list(spec.result_key) == _list(entry["result_key"])
            assert spec.more_results == entry.get("more_results")
            assert list(spec.non_aggregate_keys) == entry.get("non_aggregate_keys", [])
            paginator = pair.ours.get_paginator(xform_name(operation))
            assert type(paginator) is cls
            params = inspect.signature(cls.paginate).parameters
            assert {"max_items", "starting_token"} <= set(params)
            assert ("page_size" in params) == ("limit_key" in entry)
            # The input tokens are the paginator's, not the caller's.
            for token in _list(entry["input_token"]):
                assert spec.input_token[token] == xform_name(token)
                assert xform_name(token) not in params or token == "startingToken"
            hints = typing.get_type_hints(cls.paginate)
            assert hints["return"].__origin__ is PageIterator
            assert f"`{spec.method}`" in (cls.paginate.__doc__ or "")


def test_unknown_paginator_name_is_a_value_error() -> None:
    pair = clients("emr-serverless")
    with pytest.raises(ValueError, match="list_jobs"):
        pair.ours.get_paginator("list_jobs")
    with pytest.raises(ValueError):
        pair.ours.get_paginator("ListJobRuns")  # boto3's name only


def test_the_client_module_does_not_import_paginators_or_waiters() -> None:
    code = (
        "import sys\n"
        "import generated.omics.client as c\n"
        "assert 'generated.omics.paginators' not in sys.modules\n"
        "assert 'generated.omics.waiters' not in sys.modules\n"
        f"assert {symbols.PAGINATOR.module!r} not in sys.modules\n"
        "assert 'jmespath' not in sys.modules\n"
        "c.OmicsClient(region_name='us-east-1').get_paginator('list_runs')\n"
        "assert 'generated.omics.paginators' in sys.modules\n"
        "assert 'generated.omics.waiters' not in sys.modules\n"
        "assert 'jmespath' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_typed_usage_passes_mypy_and_misuse_fails_it() -> None:
    usage = "tests/typing/paginators_usage.py"
    misuse = "tests/typing/paginators_errors.py"
    expected = set()
    for number, line in enumerate((ROOT / misuse).read_text().splitlines(), 1):
        marker = re.search(r"  # E: ([a-z, -]+)$", line)
        if marker:
            for code in marker.group(1).split(","):
                expected.add((misuse, number, code.strip()))
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", usage, misuse],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    found = set()
    for line in result.stdout.splitlines():
        if ": error: " in line:
            where, _, message = line.partition(": error: ")
            path, _, line_number = where.rpartition(":")
            code = message.rsplit("[", 1)[1].rstrip("]")
            found.add((path, int(line_number), code))
    assert found == expected, result.stdout
    assert result.returncode == 1


# -- a fake paginated service -------------------------------------------------------


def _scalar(shape: botocore.model.Shape, tag: str) -> Any:
    kind = shape.type_name
    if kind == "string":
        return shape.metadata.get("enum", [tag])[0] if shape.enum else tag
    if kind in ("integer", "long"):
        return len(tag)
    if kind in ("float", "double"):
        return 0.5
    if kind == "boolean":
        return True
    if kind == "timestamp":
        return 1700000000
    if kind == "structure":
        return {}
    if kind == "list":
        return []
    if kind == "map":
        return {}
    return "YmxvYg=="


def _item(shape: botocore.model.Shape, tag: str) -> Any:
    """A list element that tells pages and positions apart."""
    if shape.type_name == "string" and not shape.enum:
        return tag
    if isinstance(shape, botocore.model.StructureShape):
        for name, member in shape.members.items():
            if member.type_name == "string" and not member.enum:
                if "location" not in member.serialization:
                    return {serialized(shape, name): tag}
        return {}
    return _scalar(shape, tag)


def _result_shape(
    output: botocore.model.StructureShape, path: str
) -> botocore.model.Shape:
    shape: botocore.model.Shape = output
    for part in path.split("."):
        assert isinstance(shape, botocore.model.StructureShape)
        shape = shape.members[part]
    return shape


class FakeService:
    """Pages served by token: no token -> page 0, ``tok-K`` -> page K+1."""

    def __init__(
        self,
        pair: Pair,
        operation: str,
        entry: Mapping[str, Any],
        sizes: tuple[int, ...],
    ) -> None:
        op = pair.botocore_model.operation_model(operation)
        output = op.output_shape
        assert isinstance(output, botocore.model.StructureShape)
        self.input = op.input_shape
        self.input_tokens = _list(entry["input_token"])
        self.pages: list[tuple[dict[str, str], bytes]] = []
        for k, size in enumerate(sizes):
            body: dict[str, Any] = {}
            headers = {"Content-Type": "application/json", "x-amzn-requestid": f"r{k}"}
            for index, key in enumerate(_list(entry["result_key"])):
                shape = _result_shape(output, key)
                if isinstance(shape, botocore.model.ListShape):
                    value: Any = [
                        _item(shape.member, f"p{k}-k{index}-i{i}") for i in range(size)
                    ]
                else:
                    value = _scalar(shape, f"p{k}-k{index}")
                put(body, headers, output, key, value)
            for key in entry.get("non_aggregate_keys", []):
                put(
                    body,
                    headers,
                    output,
                    key,
                    _scalar(_result_shape(output, key), f"n{k}"),
                )
            last = k == len(sizes) - 1
            if not last:
                for token in _list(entry["output_token"]):
                    put(body, headers, output, token, f"tok-{k}")
            if entry.get("more_results"):
                put(body, headers, output, entry["more_results"], not last)
            self.pages.append((headers, json.dumps(body).encode()))
        self.calls = 0

    def token(self, url: str, headers: Mapping[str, str], body: bytes) -> str | None:
        assert isinstance(self.input, botocore.model.StructureShape)
        name = self.input_tokens[0]
        member = self.input.members[name]
        wire = serialized(self.input, name)
        location = member.serialization.get("location")
        if location == "querystring":
            return query(url).get(wire, [None])[0]
        if location == "header":
            return {k.lower(): v for k, v in headers.items()}.get(wire.lower())
        return json.loads(body or b"{}").get(wire) if body else None

    def __call__(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        self.calls += 1
        token = self.token(url, headers, body)
        index = 0 if token is None else int(token.rsplit("-", 1)[1]) + 1
        page_headers, page_body = self.pages[index]
        return 200, page_headers, page_body


# -- the comparison ------------------------------------------------------------------


def _run_both(
    pair: Pair,
    operation: str,
    wire_input: dict[str, Any],
    paging: dict[str, Any],
    *,
    extras: bool = False,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Iterate our paginator and botocore's the same way; what each saw.

    ``extras``: also ``items()`` and ``build_full_result()`` (each paginates
    again, on both sides).
    """
    output = pair.botocore_model.operation_model(operation).output_shape
    assert output is not None
    method = xform_name(operation)
    renamed = {"max_items": "max_items_", "page_size": "page_size_"}
    kwargs = our_kwargs(pair, operation, wire_input, renamed)
    ours_paginator = pair.ours.get_paginator(method)
    ours: dict[str, Any] = {}
    pair.transport.requests.clear()
    pages: PageIterator[Any, Any] = ours_paginator.paginate(**kwargs, **paging)
    ours["pages"] = [typed_to_dict(p, output) for p in pages]
    ours["resume"] = pages.resume_token
    ours["requests"] = pair.our_requests
    ours["non_aggregate"] = pages.non_aggregate_part

    config = {
        "MaxItems": paging.get("max_items"),
        "PageSize": paging.get("page_size"),
        "StartingToken": paging.get("starting_token"),
    }
    config = {k: v for k, v in config.items() if v is not None}
    boto_paginator = pair.boto.get_paginator(method)
    boto: dict[str, Any] = {}
    pair.boto_requests.clear()
    iterator = boto_paginator.paginate(**wire_input, PaginationConfig=config)
    boto["pages"] = [without_metadata(p) for p in iterator]
    boto["resume"] = iterator.resume_token
    boto["requests"] = list(pair.boto_requests)
    boto["non_aggregate"] = iterator.non_aggregate_part
    if extras:
        result_shape = _result_shape(output, pages.result_keys[0])
        element = getattr(result_shape, "member", result_shape)
        ours["items"] = [typed_to_dict(i, element) for i in pages.items()]
        ours["full"] = pages.build_full_result()
        again = boto_paginator.paginate(**wire_input, PaginationConfig=dict(config))
        boto["items"] = list(again.result_key_iters()[0])
        again = boto_paginator.paginate(**wire_input, PaginationConfig=dict(config))
        boto["full"] = again.build_full_result()
    return ours, boto


def _request_key(method: str, url: str) -> tuple[str, str, list[tuple[str, str]]]:
    # The query's order is the serializer's (model order), botocore's the
    # order its paginator adds keywords in: compare the parameters.
    parts = urlsplit(url)
    return (
        method,
        f"{parts.scheme}://{parts.netloc}{parts.path}",
        sorted(parse_qsl(parts.query, keep_blank_values=True)),
    )


def _same_requests(ours: list[Any], boto: list[Any]) -> None:
    assert [_request_key(m, u) for m, u, _ in ours] == [
        _request_key(m, u) for m, u, _ in boto
    ]
    for (_, _, a), (_, _, b) in zip(ours, boto, strict=True):
        assert (json.loads(a) if a else None) == (json.loads(b) if b else None)


SCENARIOS: tuple[dict[str, int], ...] = (
    {},
    {"max_items": 2},
    {"max_items": 3},
    {"max_items": 4},
    {"page_size": 2, "max_items": 4},
)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize(("service", "operation"), PAGINATORS)
def test_paginator_matches_botocore(service: str, operation: str) -> None:
    pair = clients(service)
    entry = config(service, operation)
    fake = FakeService(pair, operation, entry, PAGE_SIZES)
    pair.answer(fake)
    wire_input = sample_input(pair, operation)
    for number, scenario in enumerate(SCENARIOS):
        if "page_size" in scenario and "limit_key" not in entry:
            scenario = {"max_items": 5}
        paging = dict(scenario)
        for resumption in range(10):  # resume until done, from botocore's token
            extras = resumption == 0 and number in (0, 3)
            ours, boto = _run_both(pair, operation, wire_input, paging, extras=extras)
            where = (scenario, paging)
            assert ours.keys() == boto.keys()
            for key in ours:
                if key != "requests":
                    assert ours[key] == boto[key], (key, where)
            _same_requests(ours["requests"], boto["requests"])
            if boto["resume"] is None:
                break
            paging = {**paging, "starting_token": boto["resume"]}
        else:
            raise AssertionError(f"no end after 10 resumptions: {scenario}")


def test_items_are_every_item_once_and_resume_tokens_are_botocores() -> None:
    pair = clients("emr-serverless")
    entry = config("emr-serverless", "ListJobRuns")
    pair.answer(FakeService(pair, "ListJobRuns", entry, (3, 2, 3)))
    paginator = pair.ours.get_paginator("list_job_runs")
    everything = list(paginator.paginate(application_id="app").items())
    assert len(everything) == len({repr(r) for r in everything}) == 8
    collected: list[Any] = []
    token = None
    while True:
        pages = paginator.paginate(
            application_id="app", max_items=3, starting_token=token
        )
        collected.extend(pages.items())
        token = pages.resume_token
        if token is None:
            break
    assert collected == everything
    # A cut inside the second page: botocore's token format, exactly.
    pages = paginator.paginate(application_id="app", max_items=4)
    list(pages)
    assert pages.resume_token is not None
    assert decode_token(pages.resume_token) == {
        "nextToken": "tok-0",
        "boto_truncate_amount": 1,
    }


def test_a_raw_service_token_and_an_old_style_token_resume_as_in_botocore() -> None:
    pair = clients("emr-serverless")
    entry = config("emr-serverless", "ListJobRuns")
    pair.answer(FakeService(pair, "ListJobRuns", entry, PAGE_SIZES))
    wire = {"applicationId": "app"}
    for token in ("tok-0", "tok-1", "tok-0___1", "None___2"):
        paging = {"starting_token": token}
        ours, boto = _run_both(pair, "ListJobRuns", wire, paging, extras=True)
        assert ours["pages"] == boto["pages"], token
        assert ours["items"] == boto["items"], token
        assert ours["full"] == boto["full"], token


def test_the_same_token_twice_stops_as_botocore_does() -> None:
    pair = clients("emr-serverless")
    body = json.dumps({"jobRuns": [], "nextToken": "again"}).encode()
    pair.answer(lambda *_: (200, {"Content-Type": "application/json"}, body))
    with pytest.raises(BotoPaginationError):
        list(pair.boto.get_paginator("list_job_runs").paginate(applicationId="a"))
    boto_calls = len(pair.boto_requests)
    with pytest.raises(PaginationError, match="same next token"):
        list(pair.ours.get_paginator("list_job_runs").paginate(application_id="a"))
    assert len(pair.transport.requests) == boto_calls == 2


def test_page_size_goes_to_the_limit_key_and_wins_over_it() -> None:
    pair = clients("omics")
    entry = config("omics", "ListBatch")
    pair.answer(FakeService(pair, "ListBatch", entry, PAGE_SIZES))
    paginator = pair.ours.get_paginator("list_batch")
    list(paginator.paginate(max_items_=7))
    assert query(pair.transport.requests[0].url)["maxItems"] == ["7"]
    pair.transport.requests.clear()
    list(paginator.paginate(max_items_=7, page_size=2, max_items=2))
    assert [query(r.url).get("maxItems") for r in pair.transport.requests] == [["2"]]


# -- against moto -----------------------------------------------------------------


@pytest.fixture
def emr_clients(
    moto_server: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Any, Any]]:
    import boto3

    from generated.emr_serverless import EMRServerlessClient

    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_MAX_ATTEMPTS"):
        monkeypatch.delenv(name, raising=False)
    options: dict[str, Any] = {
        "endpoint_url": moto_server,
        "region_name": "us-east-1",
        "aws_access_key_id": "AKIDMOTO",
        "aws_secret_access_key": "SECRET",
    }
    boto = boto3.session.Session().client("emr-serverless", **options)
    with EMRServerlessClient(**options) as ours:
        yield ours, boto


def test_job_runs_page_as_boto3_pages_them_against_moto(
    emr_clients: tuple[Any, Any],
) -> None:
    from generated.emr_serverless import shapes

    ours, boto = emr_clients
    app = ours.create_application(
        name="paginate-app", release_label="emr-6.6.0", type="SPARK"
    ).application_id
    driver = shapes.JobDriver(
        spark_submit=shapes.SparkSubmit(entry_point="s3://b/j.py")
    )
    role = "arn:aws:iam::123456789012:role/job"
    started = [
        ours.start_job_run(
            application_id=app, execution_role_arn=role, job_driver=driver, name=f"r{n}"
        ).job_run_id
        for n in range(7)
    ]
    paginator = ours.get_paginator("list_job_runs")
    boto_paginator = boto.get_paginator("list_job_runs")

    pages = list(paginator.paginate(application_id=app, page_size=2))
    assert [len(p.job_runs) for p in pages] == [2, 2, 2, 1]
    ours_ids = [
        r.id for r in paginator.paginate(application_id=app, page_size=2).items()
    ]
    boto_ids = [
        r["id"]
        for page in boto_paginator.paginate(
            applicationId=app, PaginationConfig={"PageSize": 2}
        )
        for r in page["jobRuns"]
    ]
    assert ours_ids == boto_ids
    assert sorted(ours_ids) == sorted(started) and len(set(ours_ids)) == 7

    # max_items + starting_token: the same tokens, resumable from either side.
    for max_items in (3, 4):
        ours_pages = paginator.paginate(
            application_id=app, page_size=2, max_items=max_items
        )
        first = [r.id for r in ours_pages.items()]
        boto_pages = boto_paginator.paginate(
            applicationId=app, PaginationConfig={"PageSize": 2, "MaxItems": max_items}
        )
        boto_first = [r["id"] for r in boto_pages.result_key_iters()[0]]
        assert first == boto_first == boto_ids[:max_items]
        assert ours_pages.resume_token == boto_pages.resume_token is not None
        token = boto_pages.resume_token
        rest_ours = [
            r.id
            for r in paginator.paginate(
                application_id=app, page_size=2, starting_token=token
            ).items()
        ]
        rest_boto = [
            r["id"]
            for page in boto_paginator.paginate(
                applicationId=app,
                PaginationConfig={
                    "PageSize": 2,
                    "StartingToken": ours_pages.resume_token,
                },
            )
            for r in page["jobRuns"]
        ]
        assert rest_ours == rest_boto == boto_ids[max_items:]


# -- what the five models do not use: a model of our own ----------------------------

CUSTOM_MODEL: dict[str, Any] = {
    "version": "2.0",
    "metadata": {
        "apiVersion": "2020-01-01",
        "endpointPrefix": "pagetest",
        "protocol": "rest-json",
        "protocols": ["rest-json"],
        "serviceId": "Page Test",
        "signatureVersion": "v4",
        "signingName": "pagetest",
        "uid": "pagetest-2020-01-01",
    },
    "operations": {
        "ListThings": {
            "name": "ListThings",
            "http": {"method": "GET", "requestUri": "/things"},
            "input": {"shape": "ListThingsRequest"},
            "output": {"shape": "ListThingsResponse"},
        },
        "ListOthers": {
            "name": "ListOthers",
            "http": {"method": "POST", "requestUri": "/others"},
            "input": {"shape": "ListOthersRequest"},
            "output": {"shape": "ListOthersResponse"},
        },
    },
    "shapes": {
        "String": {"type": "string"},
        "Integer": {"type": "integer"},
        "Boolean": {"type": "boolean"},
        "Strings": {"type": "list", "member": {"shape": "String"}},
        "Thing": {"type": "structure", "members": {"Name": {"shape": "String"}}},
        "Things": {"type": "list", "member": {"shape": "Thing"}},
        "Result": {
            "type": "structure",
            "members": {
                "Things": {"shape": "Things"},
                "Count": {"shape": "Integer"},
                "NextB": {"shape": "String"},
            },
        },
        "Meta": {"type": "structure", "members": {"Unit": {"shape": "String"}}},
        "ListThingsRequest": {
            "type": "structure",
            "members": {
                "Marker1": {
                    "shape": "String",
                    "location": "querystring",
                    "locationName": "m1",
                },
                "Marker2": {
                    "shape": "String",
                    "location": "querystring",
                    "locationName": "m2",
                },
                "Limit": {
                    "shape": "String",
                    "location": "querystring",
                    "locationName": "limit",
                },
                "MaxItems": {
                    "shape": "Integer",
                    "location": "querystring",
                    "locationName": "max",
                },
            },
        },
        "ListThingsResponse": {
            "type": "structure",
            "members": {
                "Result": {"shape": "Result"},
                "Others": {"shape": "Strings"},
                "NextA": {"shape": "String"},
                "Truncated": {"shape": "Boolean"},
                "Meta": {"shape": "Meta"},
            },
        },
        "ListOthersRequest": {
            "type": "structure",
            "members": {"After": {"shape": "String"}, "PageSize": {"shape": "Integer"}},
        },
        "ListOthersResponse": {
            "type": "structure",
            "members": {"Items": {"shape": "Strings"}, "HasMore": {"shape": "Boolean"}},
        },
    },
}
CUSTOM_PAGINATORS: dict[str, Any] = {
    "pagination": {
        "ListThings": {
            "input_token": ["Marker1", "Marker2"],
            "output_token": ["NextA", "Result.NextB"],
            "more_results": "Truncated",
            "limit_key": "Limit",
            "result_key": ["Result.Things", "Others", "Result.Count"],
            "non_aggregate_keys": ["Meta.Unit"],
        },
        "ListOthers": {
            "input_token": "After",
            "output_token": "Items[-1]",
            "more_results": "HasMore",
            "limit_key": "PageSize",
            "result_key": "Items",
        },
    }
}


def things_server(
    method: str, url: str, headers: Mapping[str, str], body: bytes
) -> tuple[int, dict[str, str], bytes]:
    """ListThings: pages 3, 2, 3 by (m1, m2); ListOthers: by the last item."""
    if "/things" in url:
        params = query(url)
        marker = params.get("m1", [None])[0]
        k = 0 if marker is None else int(marker.split("-")[1]) + 1
        assert params.get("m2", [None])[0] == (None if k == 0 else f"b-{k - 1}")
        size = PAGE_SIZES[k]
        last = k == len(PAGE_SIZES) - 1
        page: dict[str, Any] = {
            "Result": {
                "Things": [{"Name": f"t-{k}-{i}"} for i in range(size)],
                "Count": size,
            },
            "Others": [f"o-{k}"],
            "Truncated": not last,
            "Meta": {"Unit": f"unit-{k}"},
        }
        if not last:
            page["NextA"] = f"a-{k}"
            page["Result"]["NextB"] = f"b-{k}"
    else:
        after = json.loads(body).get("After") if body else None
        k = 0 if after is None else int(after.split("-")[1]) + 1
        size = PAGE_SIZES[k]
        page = {
            "Items": [f"i-{k}-{i}" for i in range(size)],
            "HasMore": k < len(PAGE_SIZES) - 1,
        }
    return 200, {"Content-Type": "application/json"}, json.dumps(page).encode()


@pytest.fixture(scope="module")
def custom(tmp_path_factory: pytest.TempPathFactory) -> Pair:
    from tests.pagination_support import custom_clients

    return custom_clients(
        "pagetest",
        CUSTOM_MODEL,
        CUSTOM_PAGINATORS,
        None,
        tmp_path_factory.mktemp("pagetest"),
    )


@pytest.mark.parametrize("operation", ["ListThings", "ListOthers"])
def test_tokens_paths_more_results_and_string_limits_as_botocore(
    custom: Pair, operation: str
) -> None:
    custom.answer(things_server)
    scenarios = [*SCENARIOS, {"max_items": 5}, {"max_items": 1}, {"page_size": 3}]
    for scenario in scenarios:
        paging = dict(scenario)
        for _ in range(10):
            ours, boto = _run_both(custom, operation, {}, paging, extras=True)
            for key in ours:
                if key != "requests":
                    assert ours[key] == boto[key], (key, scenario, paging)
            _same_requests(ours["requests"], boto["requests"])
            if boto["resume"] is None:
                break
            paging = {**paging, "starting_token": boto["resume"]}
        else:
            raise AssertionError(f"no end after 10 resumptions: {scenario}")


def test_custom_paginators_are_typed(custom: Pair) -> None:
    module = custom.module("paginators")
    things = typing.get_type_hints(module.ListThingsPaginator.paginate)
    assert things["return"].__args__[1].__name__ == "Thing"
    others = typing.get_type_hints(module.ListOthersPaginator.paginate)
    assert others["return"].__args__[1] is str
    params = inspect.signature(module.ListThingsPaginator.paginate).parameters
    # Both input tokens are the paginator's; the member named like max_items
    # moved aside; the string limit key gets page_size as a string.
    assert "marker1" not in params and "marker2" not in params
    assert {"limit", "max_items_", "max_items", "page_size"} <= set(params)
    custom.answer(things_server)
    pages = custom.ours.get_paginator("list_things").paginate(page_size=2, max_items_=9)
    list(pages)
    assert query(custom.transport.requests[0].url) == {"limit": ["2"], "max": ["9"]}
