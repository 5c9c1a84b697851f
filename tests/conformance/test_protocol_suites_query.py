"""botocore's query protocol suites, run against generated clients.

As ``test_protocol_suites.py`` (rest-json) does, through ``runner`` with the
form rules (``runner.FORM``), which are botocore's runner's for query:

* bodies compare as their ordered ``key=value`` pairs: botocore's runner
  percent-encodes its serializer's pairs (a space as ``%20``) where its
  client, and we, send ``urlencode()``'s (a space as ``+``); the pairs and
  their order are the same;
* an expected ``Content-Type: application/x-www-form-urlencoded`` gets the
  ``; charset=utf-8`` botocore sends, as botocore's runner adds it;
* output cases of the Smithy suite have no ``resultWrapper`` in their model:
  as botocore's runner does, ``<Operation>Result`` is set for an output with
  members before the model is generated.

``DECISIONS`` skips a case with its reason; ``IGNORE_LIST_DECISIONS`` says
what we do with every entry of botocore's ignore list for query.
"""

from __future__ import annotations

import dataclasses
import gzip
from typing import Any

import pytest

from . import runner, suite_checks, support
from .support import ProtocolCase

PROTOCOL = "query"
_FOLLOW = "follows botocore (on its ignore list): "
_COMPRESSION = (
    "implemented: request compression (the compress_request customization, as "
    "botocore's compress.py); botocore's runner skips the suite, as its "
    "serializer does not compress"
)

DECISIONS: dict[str, tuple[str, str]] = {
    "output:legacy-00.0-Scalar members": (
        "skip",
        (
            "uses the pre-Smithy 'character' shape type, which no botocore model "
            "uses any more; the generator rejects unknown shape types (spec: exit 2)"
        ),
    ),
    "input:QueryHostWithPath": (
        "skip",
        _FOLLOW
        + (
            "a query request goes to the endpoint's own path as botocore's client "
            "sends it ('/custom', its _urljoin keeps a path without adding '/'); "
            "Smithy expects '/custom/'"
        ),
    ),
}

IGNORE_LIST_DECISIONS: dict[str, str] = {
    "suite:Test cases for PutWithContentEncoding operation": _COMPRESSION,
    "suite:Test cases for QueryIdempotencyTokenAutoFill operation": (
        "implemented (Smithy): a missing idempotency token is filled with a "
        "UUID4; the test pins uuid4 to the expected value"
    ),
    "suite:Test cases for HostWithPathOperation operation": "skipped: see DECISIONS",
    "suite:Idempotency token auto fill": "implemented (Smithy), as the suite above",
    "input:QueryFlattenedListArgWithXmlName": (
        "implemented (Smithy): a flattened list under a member with a "
        "locationName of its own is keyed by that name (Hi.1); botocore replaces "
        "it by the list member's locationName (item.1). Every model botocore "
        "ships gives the list member's name only, where we send what botocore does"
    ),
    "output:QueryXmlLists": (
        "implemented (Smithy and botocore): a flattened list's elements are "
        "named by the list member's locationName (botocore) or, where no other "
        "member has that name, by the member's own name (Smithy); botocore "
        "reads only the first and misses both flattened lists of this case"
    ),
    "output:QueryComplexError": (
        "implemented: the modelled members of the <Error> element (a string and a "
        "nested structure) are parsed; an error without <Message> has the message "
        "'' (botocore's parsed error has no Message key, which its runner compares)"
    ),
}


def _with_request_uri(case: ProtocolCase) -> ProtocolCase:
    """Legacy cases leave out ``requestUri``, which query never reads (it
    posts to the endpoint's path); the generator requires one: ``/``."""
    http = case.given.get("http", {})
    if "requestUri" in http:
        return case
    given = {**case.given, "http": {**http, "requestUri": "/"}}
    return dataclasses.replace(case, case={**case.case, "given": given})


def _with_result_wrapper(case: ProtocolCase) -> ProtocolCase:
    """botocore's runner: an output with members sits in ``<Op>Result``."""
    given = case.given
    output = given.get("output")
    if output is None or "resultWrapper" in output:
        return case
    if not case.suite["shapes"][output["shape"]].get("members"):
        return case
    wrapped = {**output, "resultWrapper": f"{case.operation_name}Result"}
    return dataclasses.replace(
        case, case={**case.case, "given": {**given, "output": wrapped}}
    )


_AUTOFILL = (
    "botocore's serializer leaves a missing idempotency token out (its client's "
    "handler fills it); we fill it (the suite's expectation)"
)
# Input cases whose body is not byte for byte botocore's, each with its reason.
BOTOCORE_BODY_DIFFERS: dict[str, str] = {
    "QueryProtocolIdempotencyTokenAutoFill": _AUTOFILL,
    "legacy-12.1-Idempotency token auto fill": _AUTOFILL,
    "QueryFlattenedListArgWithXmlName": (
        "the member's own locationName keys a flattened list (IGNORE_LIST_DECISIONS)"
    ),
}


def _same_bytes_as_botocore(case: ProtocolCase, body: Any) -> None:
    """The body is exactly the bytes botocore's client sends (its urlencoding
    too), not only the same pairs."""
    if case.given.get("requestcompression") and body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)  # botocore's client compresses after this
    reason = BOTOCORE_BODY_DIFFERS.get(case.test_id)
    if reason is None:
        assert body == suite_checks.botocore_body(case)


def _params(cases: list[ProtocolCase]) -> list[Any]:
    return runner.params(cases, DECISIONS)


INPUT_SMITHY = support.load_cases("input", "smithy", PROTOCOL)
INPUT_LEGACY = [
    _with_request_uri(c) for c in support.load_cases("input", "legacy", PROTOCOL)
]
OUTPUT_SMITHY = [
    _with_result_wrapper(c) for c in support.load_cases("output", "smithy", PROTOCOL)
]
OUTPUT_LEGACY = support.load_cases("output", "legacy", PROTOCOL)
ALL = INPUT_SMITHY + INPUT_LEGACY + OUTPUT_SMITHY + OUTPUT_LEGACY


def test_suite_sizes() -> None:
    """The fixtures are botocore's complete query suites."""
    assert (len(INPUT_SMITHY), len(INPUT_LEGACY)) == (38, 25)
    assert (len(OUTPUT_SMITHY), len(OUTPUT_LEGACY)) == (38, 19)


def test_every_ignore_list_entry_has_a_decision() -> None:
    suite_checks.check_ignore_list(PROTOCOL, ALL, DECISIONS, IGNORE_LIST_DECISIONS)


def test_every_decision_names_a_case() -> None:
    suite_checks.check_decisions(ALL, DECISIONS)
    inputs = {c.test_id for c in INPUT_SMITHY + INPUT_LEGACY}
    assert set(BOTOCORE_BODY_DIFFERS) <= inputs


@pytest.mark.parametrize("case", _params(INPUT_SMITHY))
def test_input_smithy(case: ProtocolCase, monkeypatch: pytest.MonkeyPatch) -> None:
    request = runner.run_input_case(case, monkeypatch, runner.FORM)
    _same_bytes_as_botocore(case, request.body)


@pytest.mark.parametrize("case", _params(INPUT_LEGACY))
def test_input_legacy(case: ProtocolCase, monkeypatch: pytest.MonkeyPatch) -> None:
    request = runner.run_input_case(case, monkeypatch, runner.FORM)
    _same_bytes_as_botocore(case, request.body)


@pytest.mark.parametrize("case", _params(OUTPUT_SMITHY))
def test_output_smithy(case: ProtocolCase) -> None:
    runner.run_output_case(case)


@pytest.mark.parametrize("case", _params(OUTPUT_LEGACY))
def test_output_legacy(case: ProtocolCase) -> None:
    runner.run_output_case(case)
