"""botocore's awsJson protocol suites (``json`` = awsJson 1.1, ``json_1_0``,
``json_1_0-query-compatible``), run against generated clients.

Cases run through :mod:`tests.conformance.runner` as the rest-json suites do
(see ``test_protocol_suites.py``), with one difference in how they compare:
every expected header is checked, ``Content-Type`` included (botocore's
runner drops an expected ``Content-Type`` only for rest-json's blob and string
payloads; an awsJson body is always ``application/x-amz-json-1.x``). Bodies
compare as parsed JSON, as botocore's runner compares them.

``DECISIONS`` skips a case with its written reason; ``IGNORE_LIST_DECISIONS``
says what we do with every entry of botocore's ignore list for ``json`` and
``json_1_0`` (and the general entries that name a suite of these files).
"""

from __future__ import annotations

from typing import Any

import pytest

from . import runner, support
from .support import ProtocolCase

AWS_JSON = runner.Rules(skip_header=lambda _name, _value: False)
PROTOCOLS = ("json", "json_1_0", "json_1_0-query-compatible")

_FOLLOW = "follows botocore (on its ignore list): "
_COMPRESSION = (
    "implemented: request compression (the compress_request customization, as "
    "botocore's compress.py); botocore's runner skips the suite, as its "
    "serializer does not compress"
)
_HOST_WITH_PATH = (
    "skip",
    _FOLLOW
    + (
        "with endpoint_url https://example.com/custom the request goes to "
        "'/custom', as botocore's client joins an RPC path '/' to it (its "
        "_urljoin keeps the endpoint's path unchanged); Smithy wants '/custom/'"
    ),
)

DECISIONS: dict[str, tuple[str, str]] = {
    "output:legacy-03.1-Lists": (
        "xfail",
        (
            "its model declares MapType a string and answers objects for it: "
            "botocore keeps the wrong-typed value, we raise ResponseParseError "
            "(spec, Responses: a member of the wrong type is refused; "
            "tests/conformance/test_response_robustness.py)"
        ),
    ),
    "input:AwsJson11HostWithPath": _HOST_WITH_PATH,
    "input:AwsJson10HostWithPath": _HOST_WITH_PATH,
    "output:legacy-00.0-Scalar members": (
        "skip",
        (
            "uses the pre-Smithy 'character' shape type, which no botocore model "
            "uses any more; the generator rejects unknown shape types (spec: exit 2)"
        ),
    ),
}

_SMITHY_ERROR_CODE = (
    "implemented (Smithy): an error's code comes from the body's __type "
    "(botocore), else the X-Amzn-Errortype header, else the body's 'code' "
    "(botocore knows neither and reports the status code); a namespace before "
    "'#' and a URI after ':' are dropped. A 5xx with an empty body but the "
    "header raises the modelled error (botocore: code '500')"
)

# botocore's ignore list for json and json_1_0 (and its general entries that
# name a suite of these files), and what we do with each entry.
IGNORE_LIST_DECISIONS: dict[str, str] = {
    # general
    "suite:Test cases for PutWithContentEncoding operation": _COMPRESSION,
    "suite:Test cases for HostWithPathOperation operation": "skipped: see DECISIONS",
    "suite:Idempotency token auto fill": (
        "implemented (Smithy): a missing idempotency token is filled with a "
        "UUID4; the test pins uuid4 to the expected value"
    ),
    # json input
    "input:AwsJson11StructuresDontSerializeNullValues": (
        "implemented (Smithy): a member set to None is not sent, as every "
        "generated method passes None for an omitted argument (botocore would "
        "send null for an explicit None)"
    ),
    # json and json_1_0 output
    **{
        f"output:AwsJson{v}FooError{case}": _SMITHY_ERROR_CODE
        for v in ("11", "10")
        for case in (
            "UsingXAmznErrorType",
            "UsingXAmznErrorTypeWithUri",
            "UsingXAmznErrorTypeWithUriAndNamespace",
            "UsingCode",
            "UsingCodeAndNamespace",
            "UsingCodeUriAndNamespace",
        )
    },
}


def _params(cases: list[ProtocolCase]) -> list[Any]:
    return runner.params(cases, DECISIONS)


def _load(direction: str, origin: str) -> list[ProtocolCase]:
    return [c for p in PROTOCOLS for c in support.load_cases(direction, origin, p)]


INPUT_SMITHY = _load("input", "smithy")
INPUT_LEGACY = _load("input", "legacy")
OUTPUT_SMITHY = _load("output", "smithy")
OUTPUT_LEGACY = _load("output", "legacy")
ALL = INPUT_SMITHY + INPUT_LEGACY + OUTPUT_SMITHY + OUTPUT_LEGACY


def _count(direction: str, origin: str, protocol: str) -> int:
    return len(support.load_cases(direction, origin, protocol))


def test_suite_sizes() -> None:
    """The fixtures are botocore's complete awsJson suites."""
    sizes = {
        p: tuple(
            _count(d, o, p)
            for d, o in (
                ("input", "smithy"),
                ("input", "legacy"),
                ("output", "smithy"),
                ("output", "legacy"),
            )
        )
        for p in PROTOCOLS
    }
    assert sizes == {
        "json": (54, 24, 58, 20),
        "json_1_0": (21, 0, 32, 0),
        "json_1_0-query-compatible": (1, 0, 2, 0),
    }


def test_every_ignore_list_entry_has_a_decision() -> None:
    data = support.botocore_ignore_list()
    descriptions = {c.description for c in ALL}
    names = {
        f"suite:{name}"
        for name in data["general"]["input"]["suites"]
        if name in descriptions
    }
    for protocol in PROTOCOLS:
        entries = data["protocols"].get(protocol, {})
        for direction, section in entries.items():
            names |= {f"{direction}:{c}" for c in section.get("cases", ())}
            names |= {f"suite:{s}" for s in section.get("suites", ())}
    assert names == set(IGNORE_LIST_DECISIONS)
    for key, decision in IGNORE_LIST_DECISIONS.items():
        kind, _, name = key.partition(":")
        covered = [
            f"{c.direction}:{c.test_id}"
            for c in ALL
            if (c.description if kind == "suite" else f"{c.direction}:{c.case_id}")
            == (name if kind == "suite" else key)
        ]
        assert covered, key
        skipped = [k for k in covered if k in DECISIONS]
        assert (
            decision.startswith("skipped") and skipped == covered
        ) or not skipped, key
    ignored = [c for c in ALL if support.botocore_ignores(c)]
    assert len(ignored) == 21  # 13 cases by id, 8 in the three suites


def test_every_decision_names_a_case() -> None:
    ids = {f"{c.direction}:{c.test_id}" for c in ALL}
    assert set(DECISIONS) <= ids
    assert all(
        kind in ("skip", "xfail") and reason for kind, reason in DECISIONS.values()
    )


@pytest.mark.parametrize("case", _params(INPUT_SMITHY))
def test_input_smithy(case: ProtocolCase, monkeypatch: pytest.MonkeyPatch) -> None:
    runner.run_input_case(case, monkeypatch, AWS_JSON)


@pytest.mark.parametrize("case", _params(INPUT_LEGACY))
def test_input_legacy(case: ProtocolCase, monkeypatch: pytest.MonkeyPatch) -> None:
    runner.run_input_case(case, monkeypatch, AWS_JSON)


@pytest.mark.parametrize("case", _params(OUTPUT_SMITHY))
def test_output_smithy(case: ProtocolCase) -> None:
    runner.run_output_case(case)


@pytest.mark.parametrize("case", _params(OUTPUT_LEGACY))
def test_output_legacy(case: ProtocolCase) -> None:
    runner.run_output_case(case)
