"""botocore's ec2 protocol suites, run against generated clients.

As ``test_protocol_suites.py`` (rest-json) does, through ``runner`` with the
form rules (``runner.FORM``), which are botocore's runner's for query:

* bodies compare as their ordered ``key=value`` pairs: botocore's runner
  percent-encodes its serializer's pairs (a space as ``%20``) where its
  client, and we, send ``urlencode()``'s (a space as ``+``); the pairs and
  their order are the same;
* an expected ``Content-Type: application/x-www-form-urlencoded`` gets the
  ``; charset=utf-8`` botocore sends, as botocore's runner adds it;
* ec2 outputs have no result wrapper: the output is the root's children.

``DECISIONS`` skips a case with its reason; ``IGNORE_LIST_DECISIONS`` says
what we do with every entry of botocore's ignore list for ec2.
"""

from __future__ import annotations

import dataclasses
import gzip
from typing import Any

import pytest

from . import runner, suite_checks, support
from .support import ProtocolCase

PROTOCOL = "ec2"
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
    "input:Ec2QueryHostWithPath": (
        "skip",
        _FOLLOW
        + (
            "an ec2 request goes to the endpoint's own path as botocore's client "
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
    "input:Ec2QueryEndpointTraitWithHostLabel": (
        "implemented (Smithy): a member with neither queryName nor locationName "
        "is keyed by its name capitalised (Smithy's ec2QueryName); botocore "
        "keeps the name as is, and every ec2 member botocore ships already "
        "starts with a capital, so both send the same there"
    ),
    "input:Ec2Lists": "implemented (Smithy), as Ec2QueryEndpointTraitWithHostLabel",
    "input:Ec2TimestampsInput": (
        "implemented (Smithy), as Ec2QueryEndpointTraitWithHostLabel"
    ),
    "output:Ec2XmlLists": (
        "implemented (Smithy and botocore): a flattened list's elements are "
        "named by the list member's locationName (botocore) or, where no other "
        "member has that name, by the member's own name (Smithy); botocore "
        "reads only the first and misses both flattened lists of this case"
    ),
    "output:Ec2ComplexError": (
        "implemented: the modelled members of <Errors><Error> (a string and a "
        "nested structure) are parsed and <Message>Hi</Message> is the message; "
        "the case names no errorMessage (so botocore's runner expects ''), and "
        "this test supplies the 'Hi' of its body"
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


_AUTOFILL = (
    "botocore's serializer leaves a missing idempotency token out (its client's "
    "handler fills it); we fill it (the suite's expectation)"
)
_CAPITALISED = (
    "a member without a name of its own is capitalised (see IGNORE_LIST_DECISIONS)"
)
# Input cases whose body is not byte for byte botocore's, each with its reason.
BOTOCORE_BODY_DIFFERS: dict[str, str] = {
    "Ec2ProtocolIdempotencyTokenAutoFill": _AUTOFILL,
    "legacy-08.1-Idempotency token auto fill": _AUTOFILL,
    "Ec2ProtocolIdempotencyTokenAutoFillIsSet": _CAPITALISED,
    "Ec2QueryEndpointTraitWithHostLabel": _CAPITALISED,
    "Ec2Lists": _CAPITALISED,
    "Ec2TimestampsInput": _CAPITALISED,
    "SDKAppliedContentEncoding_ec2Query": _CAPITALISED,
    "SDKAppendsGzipAndIgnoresHttpProvidedEncoding_ec2Query": _CAPITALISED,
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


def _with_error_message(case: ProtocolCase) -> ProtocolCase:
    """Ec2ComplexError's body has a message its case leaves out."""
    if case.case_id != "Ec2ComplexError" or "errorMessage" in case.case:
        return case
    return dataclasses.replace(case, case={**case.case, "errorMessage": "Hi"})


OUTPUT_SMITHY = [
    _with_error_message(c) for c in support.load_cases("output", "smithy", PROTOCOL)
]
OUTPUT_LEGACY = support.load_cases("output", "legacy", PROTOCOL)
ALL = INPUT_SMITHY + INPUT_LEGACY + OUTPUT_SMITHY + OUTPUT_LEGACY


def test_suite_sizes() -> None:
    """The fixtures are botocore's complete ec2 suites."""
    assert (len(INPUT_SMITHY), len(INPUT_LEGACY)) == (29, 12)
    assert (len(OUTPUT_SMITHY), len(OUTPUT_LEGACY)) == (29, 13)


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
