"""Waiters: every model entry generated, typed, and botocore's semantics.

Each waiter of the five models runs against botocore's own waiter on the
same scripted responses (one per attempt): a response for each acceptor, a
state no acceptor knows, an error no acceptor expects. Both must reach the
same outcome (success, failure, timeout) with the same reason, after the
same number of calls and the same sleeps. The acceptor kinds the five models
do not use (pathAll, pathAny, status, boolean error) are checked against
botocore's matcher functions directly.
"""

from __future__ import annotations

import inspect
import json
import typing
from typing import Any

import botocore.model
import botocore.waiter
import pytest
from botocore import xform_name
from botocore.exceptions import WaiterError as BotoWaiterError

from tests.conftest import SERVICES
from tests.pagination_support import (
    Answer,
    Pair,
    clients,
    model,
    our_kwargs,
    put,
    query,
    sample_input,
    typed_to_dict,
    without_metadata,
)
from typed_aws_runtime.errors import ServiceError
from typed_aws_runtime.waiter import (
    Acceptor,
    WaiterError,
    WaiterFailureError,
    WaiterTimeoutError,
)

WAITERS = [
    (service, name)
    for service in SERVICES
    for name in sorted(model(service, "waiters-2.json").get("waiters", {}))
]
JSON = {"Content-Type": "application/json", "x-amzn-requestid": "req-1"}


def entry(service: str, name: str) -> dict[str, Any]:
    found: dict[str, Any] = model(service, "waiters-2.json")["waiters"][name]
    return found


# -- the generated surface -----------------------------------------------------------


def test_every_waiter_of_every_model_is_generated() -> None:
    assert len(WAITERS) == 19
    for service in SERVICES:
        entries = model(service, "waiters-2.json").get("waiters", {})
        pair = clients(service)
        if not entries:
            assert not hasattr(pair.ours, "get_waiter")
            continue
        registry = pair.module("waiters").WAITERS
        assert set(registry) == {xform_name(name) for name in entries}
        for name, spec_entry in entries.items():
            cls = registry[xform_name(name)]
            spec = cls._spec
            assert spec.name == name
            assert spec.operation == spec_entry["operation"]
            assert spec.method == xform_name(spec_entry["operation"])
            assert spec.delay == spec_entry["delay"]
            assert spec.max_attempts == spec_entry["maxAttempts"]
            assert [
                (a.state, a.matcher, a.argument, a.expected) for a in spec.acceptors
            ] == [
                (a["state"], a["matcher"], a.get("argument"), a["expected"])
                for a in spec_entry["acceptors"]
            ]
            waiter = pair.ours.get_waiter(xform_name(name))
            assert type(waiter) is cls and waiter.name == name
            params = inspect.signature(cls.wait).parameters
            assert params["delay"].default == spec_entry["delay"]
            assert params["max_attempts"].default == spec_entry["maxAttempts"]
            hints = typing.get_type_hints(cls.wait)
            assert hints["return"] is type(None)
            assert f"`{spec.method}`" in (cls.wait.__doc__ or "")


def test_unknown_waiter_name_is_a_value_error() -> None:
    pair = clients("omics")
    with pytest.raises(ValueError, match="run_done"):
        pair.ours.get_waiter("run_done")


# -- scripted comparisons with botocore ----------------------------------------------


class Script:
    """Answers in order, one per call; the last one repeats."""

    def __init__(self, answers: list[Answer]) -> None:
        self.answers = answers
        self.calls = 0

    def __call__(self, *_: Any) -> Answer:
        answer = self.answers[min(self.calls, len(self.answers) - 1)]
        self.calls += 1
        return answer


def _output(pair: Pair, operation: str) -> botocore.model.StructureShape:
    shape = pair.botocore_model.operation_model(operation).output_shape
    assert isinstance(shape, botocore.model.StructureShape)
    return shape


def trigger(pair: Pair, operation: str, acceptor: dict[str, Any]) -> Answer:
    """A response that the acceptor matches."""
    matcher = acceptor["matcher"]
    expected = acceptor["expected"]
    if matcher == "path":
        body: dict[str, Any] = {}
        headers = dict(JSON)
        put(body, headers, _output(pair, operation), acceptor["argument"], expected)
        return 200, headers, json.dumps(body).encode()
    if matcher == "status":
        return expected, dict(JSON), b"{}"
    if matcher == "error":
        if expected is False:
            return 200, dict(JSON), b"{}"
        code = "SomeError" if expected is True else expected
        headers = {**JSON, "x-amzn-errortype": code}
        return 400, headers, json.dumps({"message": f"{code} happened"}).encode()
    raise AssertionError(f"no trigger for {matcher}")


def unknown_state(pair: Pair, operation: str, acceptors: list[Any]) -> Answer:
    """A 200 whose path values no acceptor expects."""
    body: dict[str, Any] = {}
    headers = dict(JSON)
    for acceptor in acceptors:
        if acceptor["matcher"] == "path":
            output = _output(pair, operation)
            put(body, headers, output, acceptor["argument"], "NO_SUCH_STATE")
    return 200, headers, json.dumps(body).encode()


UNEXPECTED_ERROR: Answer = (
    400,
    {**JSON, "x-amzn-errortype": "AccessDeniedException"},
    b'{"message": "not for you"}',
)


def _outcome(error: BaseException | None) -> tuple[str, str | None]:
    if error is None:
        return "success", None
    if isinstance(error, BotoWaiterError):
        reason = str(error.kwargs["reason"])
        kind = "timeout" if reason.startswith("Max attempts exceeded") else "failure"
        return kind, reason
    assert isinstance(error, WaiterError)
    kind = "timeout" if isinstance(error, WaiterTimeoutError) else "failure"
    assert isinstance(error, (WaiterFailureError, WaiterTimeoutError))
    return kind, error.reason


def run_both(
    pair: Pair,
    name: str,
    operation: str,
    answers: list[Answer],
    monkeypatch: pytest.MonkeyPatch,
    *,
    delay: float = 2,
    max_attempts: int = 3,
) -> None:
    """Wait with ours and with botocore on the same script; assert the same."""
    wire = sample_input(pair, operation)
    kwargs = our_kwargs(
        pair,
        operation,
        wire,
        {"delay": "delay_", "max_attempts": "max_attempts_"},
    )
    ours_script = Script(answers)
    pair.answer(ours_script)
    ours_error: BaseException | None = None
    try:
        pair.ours.get_waiter(xform_name(name)).wait(
            **kwargs, delay=delay, max_attempts=max_attempts
        )
    except Exception as exc:  # noqa: BLE001 - compared with botocore's below
        ours_error = exc
    our_sleeps = list(pair.our_sleeps)

    boto_script = Script(answers)
    pair.answer(boto_script)
    boto_sleeps: list[float] = []
    monkeypatch.setattr(
        botocore.waiter, "time", type("T", (), {"sleep": boto_sleeps.append})
    )
    boto_error: BaseException | None = None
    try:
        pair.boto.get_waiter(xform_name(name)).wait(
            **wire, WaiterConfig={"Delay": delay, "MaxAttempts": max_attempts}
        )
    except Exception as exc:  # noqa: BLE001 - compared with ours below
        boto_error = exc

    if not isinstance(boto_error, (BotoWaiterError, type(None))):
        # botocore let something else out (a JMESPath type error): so must we.
        assert type(ours_error) is type(boto_error), (ours_error, boto_error)
        return
    assert _outcome(ours_error) == _outcome(boto_error)
    assert ours_script.calls == boto_script.calls
    assert our_sleeps == boto_sleeps
    if isinstance(ours_error, WaiterError):
        assert isinstance(boto_error, BotoWaiterError)
        assert str(ours_error) == str(boto_error)
        last, boto_last = ours_error.last_response, boto_error.last_response
        if isinstance(last, ServiceError):
            assert boto_last["Error"]["Code"] == last.code
            assert boto_last["Error"]["Message"] == last.message
        else:
            ours_dict = typed_to_dict(last, _output(pair, operation))
            assert ours_dict == without_metadata(boto_last)


@pytest.mark.parametrize(("service", "name"), WAITERS)
def test_waiter_matches_botocore(
    service: str, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pair = clients(service)
    spec_entry = entry(service, name)
    operation = spec_entry["operation"]
    acceptors = spec_entry["acceptors"]
    success = next(a for a in acceptors if a["state"] == "success")
    unknown = unknown_state(pair, operation, acceptors)
    scripts: list[list[Answer]] = []
    for acceptor in acceptors:
        # Each acceptor first; then success (after a retry) or more unknowns.
        scripts.append(
            [trigger(pair, operation, acceptor), trigger(pair, operation, success)]
        )
        scripts.append([trigger(pair, operation, acceptor), unknown, unknown, unknown])
    scripts.append([unknown])  # nothing matches: timeout
    scripts.append([UNEXPECTED_ERROR])  # an error no acceptor expects: failure
    scripts.append([unknown, UNEXPECTED_ERROR])
    for answers in scripts:
        run_both(pair, name, operation, answers, monkeypatch)
    # The model's own delay and attempts, when the caller gives none.
    run_both(
        pair,
        name,
        operation,
        [unknown],
        monkeypatch,
        delay=spec_entry["delay"],
        max_attempts=spec_entry["maxAttempts"],
    )


def test_defaults_come_from_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    pair = clients("location")
    pair.answer(
        Script(
            [unknown_state(pair, "GetJob", [{"matcher": "path", "argument": "Status"}])]
        )
    )
    with pytest.raises(WaiterTimeoutError) as caught:
        pair.ours.get_waiter("job_completed").wait(job_id="job-1")
    assert pair.our_sleeps == [60] * 4
    assert len(pair.transport.requests) == 5
    assert caught.value.reason == "Max attempts exceeded"
    assert str(caught.value) == "Waiter JobCompleted failed: Max attempts exceeded"


def test_error_acceptor_succeeds_on_its_code() -> None:
    pair = clients("omics")
    gone = (
        404,
        {**JSON, "x-amzn-errortype": "ResourceNotFoundException"},
        b'{"message": "gone"}',
    )
    deleting = (200, dict(JSON), b'{"status": "DELETING"}')
    pair.answer(Script([deleting, deleting, gone]))
    pair.ours.get_waiter("variant_store_deleted").wait(name="store", delay=1)
    assert pair.our_sleeps == [1, 1]


# -- every acceptor kind against botocore's matchers ---------------------------------


RESPONSES: list[dict[str, Any]] = [
    {},
    {"ResponseMetadata": {"HTTPStatusCode": 200}},
    {"ResponseMetadata": {"HTTPStatusCode": 404}},
    {
        "Error": {"Code": "ResourceNotFoundException", "Message": "m"},
        "ResponseMetadata": {"HTTPStatusCode": 404},
    },
    {"Error": {"Code": "", "Message": ""}, "ResponseMetadata": {"HTTPStatusCode": 500}},
    {"Error": "not a dict"},
    {"status": "ACTIVE"},
    {"status": "FAILED", "items": []},
    {"items": [{"state": "ok"}, {"state": "ok"}]},
    {"items": [{"state": "ok"}, {"state": "bad"}]},
    {"items": [{"state": "bad"}]},
    {"items": "ok"},
    {"count": 3, "flag": True, "nested": {"deep": {"value": "x"}}},
    {"flag": False, "count": 0},
]
ACCEPTORS: list[dict[str, Any]] = [
    {"matcher": "path", "argument": "status", "expected": "ACTIVE"},
    {"matcher": "path", "argument": "nested.deep.value", "expected": "x"},
    {"matcher": "path", "argument": "length(items) > `1`", "expected": True},
    {"matcher": "path", "argument": "count", "expected": 3},
    {"matcher": "path", "argument": "flag", "expected": False},
    {"matcher": "path", "argument": "missing", "expected": None},
    {"matcher": "pathAll", "argument": "items[].state", "expected": "ok"},
    {"matcher": "pathAny", "argument": "items[].state", "expected": "bad"},
    {"matcher": "pathAll", "argument": "items", "expected": "ok"},
    {"matcher": "pathAny", "argument": "status", "expected": "ACTIVE"},
    {"matcher": "status", "expected": 200},
    {"matcher": "status", "expected": 404},
    {"matcher": "error", "expected": "ResourceNotFoundException"},
    {"matcher": "error", "expected": True},
    {"matcher": "error", "expected": False},
]


def _verdict(match: Any, response: dict[str, Any]) -> object:
    """A matcher's answer, or the exception it raised (botocore lets it out)."""
    try:
        return bool(match(response))
    except Exception as exc:  # compared with botocore, not swallowed
        return type(exc)


@pytest.mark.parametrize("acceptor", ACCEPTORS, ids=lambda a: f"{a['matcher']}")
def test_every_acceptor_kind_matches_as_botocore(acceptor: dict[str, Any]) -> None:
    theirs = botocore.waiter.AcceptorConfig({"state": "success", **acceptor})
    ours = Acceptor(
        "success", acceptor["matcher"], acceptor.get("argument"), acceptor["expected"]
    )
    for response in RESPONSES:
        assert _verdict(ours.matches, response) == _verdict(
            theirs.matcher_func, response
        ), (acceptor, response)
        assert ours.explanation == theirs.explanation


def test_an_unknown_matcher_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown acceptor"):
        Acceptor("success", "pathSome", "a", 1)


# -- the acceptor kinds the five models do not use, end to end ----------------------

CUSTOM_MODEL: dict[str, Any] = {
    "version": "2.0",
    "metadata": {
        "apiVersion": "2020-01-01",
        "endpointPrefix": "waittest",
        "protocol": "rest-json",
        "protocols": ["rest-json"],
        "serviceId": "Wait Test",
        "signatureVersion": "v4",
        "signingName": "waittest",
        "uid": "waittest-2020-01-01",
    },
    "operations": {
        "GetThing": {
            "name": "GetThing",
            "http": {"method": "GET", "requestUri": "/things/{Id}"},
            "input": {"shape": "GetThingRequest"},
            "output": {"shape": "GetThingResponse"},
            "errors": [{"shape": "NotFound"}],
        }
    },
    "shapes": {
        "String": {"type": "string"},
        "Strings": {"type": "list", "member": {"shape": "String"}},
        "Item": {"type": "structure", "members": {"State": {"shape": "String"}}},
        "Items": {"type": "list", "member": {"shape": "Item"}},
        "GetThingRequest": {
            "type": "structure",
            "required": ["Id"],
            "members": {
                "Id": {"shape": "String", "location": "uri", "locationName": "Id"},
                "Delay": {
                    "shape": "String",
                    "location": "querystring",
                    "locationName": "d",
                },
            },
        },
        "GetThingResponse": {
            "type": "structure",
            "members": {
                "Status": {"shape": "String"},
                "Items": {"shape": "Items"},
                "Tags": {"shape": "Strings"},
            },
        },
        "NotFound": {
            "type": "structure",
            "members": {"message": {"shape": "String"}},
            "error": {"httpStatusCode": 404},
            "exception": True,
        },
    },
}
CUSTOM_WAITERS: dict[str, Any] = {
    "version": 2,
    "waiters": {
        "ThingReady": {
            "operation": "GetThing",
            "delay": 5,
            "maxAttempts": 4,
            "acceptors": [
                {
                    "matcher": "pathAll",
                    "argument": "Items[].State",
                    "expected": "ok",
                    "state": "success",
                },
                {
                    "matcher": "pathAny",
                    "argument": "Tags",
                    "expected": "broken",
                    "state": "failure",
                },
                {"matcher": "status", "expected": 202, "state": "retry"},
                {"matcher": "error", "expected": "NotYet", "state": "retry"},
                {"matcher": "error", "expected": True, "state": "failure"},
                {
                    "matcher": "path",
                    "argument": "length(Items) > `2`",
                    "expected": True,
                    "state": "success",
                },
            ],
        },
        "ThingGone": {
            "operation": "GetThing",
            "delay": 1.5,
            "maxAttempts": 3,
            "acceptors": [
                {"matcher": "error", "expected": "NotFound", "state": "success"},
                {"matcher": "error", "expected": False, "state": "retry"},
            ],
        },
    },
}


def _json(status: int, body: Any, code: str | None = None) -> Answer:
    headers = {**JSON, **({"x-amzn-errortype": code} if code else {})}
    return status, headers, json.dumps(body).encode()


@pytest.fixture(scope="module")
def custom(tmp_path_factory: pytest.TempPathFactory) -> Pair:
    from tests.pagination_support import custom_clients

    return custom_clients(
        "waittest",
        CUSTOM_MODEL,
        None,
        CUSTOM_WAITERS,
        tmp_path_factory.mktemp("waittest"),
    )


OK = {"Items": [{"State": "ok"}, {"State": "ok"}]}
MIXED = {"Items": [{"State": "ok"}, {"State": "no"}]}
CUSTOM_SCRIPTS: list[tuple[str, list[Answer]]] = [
    ("ThingReady", [_json(200, OK)]),
    (
        "ThingReady",
        [_json(200, MIXED), _json(202, {}), _json(400, {}, "NotYet"), _json(200, OK)],
    ),
    ("ThingReady", [_json(200, MIXED), _json(202, {}), _json(200, {})]),
    ("ThingReady", [_json(200, {"Tags": ["fine", "broken"]})]),
    ("ThingReady", [_json(400, {"message": "no"}, "Other")]),
    ("ThingReady", [_json(500, {"message": "down"})]),
    ("ThingReady", [_json(200, {"Items": []})]),
    ("ThingReady", [_json(200, {"Items": [{"State": "a"}, {}, {"State": "c"}]})]),
    (
        "ThingGone",
        [_json(200, {}), _json(200, {}), _json(404, {"message": "x"}, "NotFound")],
    ),
    ("ThingGone", [_json(200, {})]),
    ("ThingGone", [_json(400, {"message": "boom"}, "Boom")]),
    ("ThingGone", [_json(200, {}), _json(400, {"message": "boom"}, "Boom")]),
]


@pytest.mark.parametrize(("name", "answers"), CUSTOM_SCRIPTS)
def test_path_all_any_status_and_boolean_error_acceptors_as_botocore(
    custom: Pair, name: str, answers: list[Answer], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec_entry = CUSTOM_WAITERS["waiters"][name]
    for max_attempts in (2, spec_entry["maxAttempts"]):
        run_both(
            custom,
            name,
            "GetThing",
            answers,
            monkeypatch,
            delay=spec_entry["delay"],
            max_attempts=max_attempts,
        )


def test_a_member_named_delay_moves_aside(custom: Pair) -> None:
    waiter = custom.ours.get_waiter("thing_gone")
    params = inspect.signature(type(waiter).wait).parameters
    assert list(params) == ["self", "id", "delay_", "delay", "max_attempts"]
    assert params["delay"].default == 1.5
    custom.answer(Script([_json(404, {"message": "x"}, "NotFound")]))
    waiter.wait(id="t1", delay_="later")
    assert query(custom.transport.requests[0].url) == {"d": ["later"]}
    assert custom.transport.requests[0].url.split("?")[0].endswith("/things/t1")
