"""botocore's rest-json protocol suites, run against generated clients.

Every case becomes its own test: its model (suite metadata and shapes plus the
case's operation) is generated into a throwaway package, a client is built
over an :class:`InMemoryTransport`, and the request it sends (input cases) or
the value it returns or raises (output cases) is compared the way botocore's
``tests/unit/test_protocols.py`` compares them:

* the method, the path and query exactly; the body as JSON when both sides are
  JSON, else byte for byte, and only when the case gives one; every expected
  header present and equal (names case-insensitive), every ``forbidHeaders``
  name absent; the host after the host prefix is applied to the endpoint;
* list-valued headers compare with ``", "`` normalised to ``","`` as botocore's
  runner does (Smithy writes ``"a, b"``, botocore sends ``"a,b"``; both are the
  same HTTP list);
* an expected ``Content-Type`` other than ``application/json`` (a blob or
  string payload) is not required, as botocore's runner drops it: botocore
  sets none of its own there, and neither do we;
* ``forbidHeaders`` are checked on the request handed to the transport, as
  botocore checks its serializer's output; ``requireHeaders`` (always
  ``Content-Length``) on the headers that go on the wire, after the default
  transport adds the length, as botocore's preparer does;
* output cases compare the typed result, converted back to botocore's shape
  (wire names, epoch timestamps, blobs as text), with the expected result, and
  errors by code, message and modelled members.

Cases on botocore's ignore list, and any case we do not pass, carry a written
decision: ``DECISIONS`` (keyed ``input:<test id>`` / ``output:<test id>``) skips
a case with its reason, ``IGNORE_LIST_DECISIONS`` says what we do with every
entry of botocore's ignore list, passing or not.
"""

from __future__ import annotations

from typing import Any

import pytest

from . import runner, support
from .support import ProtocolCase

_FOLLOW = "follows botocore (on its ignore list): "

# Cases whose outcome differs from the suite, each with the reason. "skip":
# we deliberately follow botocore where it deviates from Smithy; "xfail": a
# known gap.
_COMPRESSION = (
    "request compression is implemented (the compress_request customization, as "
    "botocore's compress.py, which appends 'custom,gzip' where Smithy wants "
    "'custom, gzip'): one case of the suite differs, so the suite stays skipped "
    "as botocore skips it; test_customizations compares compression with botocore"
)

DECISIONS: dict[str, tuple[str, str]] = {
    "input:RestJsonHttpChecksumRequired": (
        "skip",
        _FOLLOW
        + (
            "botocore >= 1.36 sends x-amz-checksum-crc32 (not Content-MD5) for "
            "httpChecksumRequired operations; no rest-json model in botocore uses the "
            "trait and we send neither header (an open gap, for any future model)"
        ),
    ),
    "input:RestJsonHttpPayloadWithUnsetUnion": (
        "skip",
        _FOLLOW
        + (
            "an unset structure or union payload is sent as '{}', as botocore sends "
            "it and every service has accepted it; Smithy wants an empty body"
        ),
    ),
    "input:MediaTypeHeaderInputBase64": (
        "skip",
        _FOLLOW
        + (
            "a jsonvalue header carries a JSON document (our parameter is a Document): "
            "json.dumps then base64, as botocore; Smithy base64s the raw string"
        ),
    ),
    "input:RestJsonNullAndEmptyHeaders": (
        "skip",
        _FOLLOW
        + (
            "an empty list header is not sent at all, as botocore; Smithy sends an "
            "empty X-C header"
        ),
    ),
    "input:SDKAppliedContentEncoding_restJson1": ("skip", _FOLLOW + _COMPRESSION),
    "input:SDKAppendedGzipAfterProvidedEncoding_restJson1": (
        "skip",
        _FOLLOW + _COMPRESSION,
    ),
    "output:RestJsonHttpPayloadTraitsWithNoBlobBody": (
        "skip",
        _FOLLOW
        + (
            "an empty body gives an empty blob/string payload (b'' / ''), as botocore "
            "gives it, rather than leaving the member unset as Smithy does: code "
            "written against boto3 never sees None there"
        ),
    ),
    "output:MediaTypeHeaderOutputBase64": (
        "skip",
        _FOLLOW
        + (
            "a jsonvalue header is base64-decoded and parsed as JSON, as botocore "
            "does; Smithy's mediaType string keeps the decoded text"
        ),
    ),
    "output:legacy-00.0-Scalar members": (
        "skip",
        (
            "uses the pre-Smithy 'character' shape type, which no botocore model "
            "uses any more; the generator rejects unknown shape types (spec: exit 2)"
        ),
    ),
}

# botocore's ignore list for rest-json, and what we do with each entry.
IGNORE_LIST_DECISIONS: dict[str, str] = {
    # general
    "suite:Test cases for PutWithContentEncoding operation": "skipped: see DECISIONS",
    "suite:Test cases for QueryIdempotencyTokenAutoFill operation": (
        "implemented (Smithy): a missing idempotency token is filled with a "
        "UUID4; the test pins uuid4 to the expected value"
    ),
    "suite:Test cases for HostWithPathOperation operation": (
        "implemented (Smithy): the path of a custom endpoint_url is kept in front "
        "of the operation's path, as botocore's client (not its runner) does"
    ),
    "suite:Idempotency token auto fill": "implemented (Smithy), as the suite above",
    # input
    "input:MediaTypeHeaderInputBase64": "skipped: see DECISIONS",
    "input:RestJsonHttpChecksumRequired": "skipped: see DECISIONS",
    "input:RestJsonNullAndEmptyHeaders": "skipped: see DECISIONS",
    "input:RestJsonQueryPrecedence": (
        "implemented (Smithy): a named query member wins over the same key in a "
        "map of query parameters whatever the member order; botocore lets the "
        "later member win, which a user with a typed API cannot even control"
    ),
    "input:RestJsonHttpPayloadWithUnsetUnion": "skipped: see DECISIONS",
    "input:DocumentTypeAsPayloadInputString": (
        "implemented (Smithy): a document payload is the body itself; botocore "
        'sends {"null": <document>}, a bug a user would hit'
    ),
    "input:DocumentTypeAsPayloadInput": "implemented (Smithy), as above",
    # output
    "output:RestJsonFooErrorUsingXAmznErrorType": (
        "implemented (Smithy): a 5xx with an empty body but an X-Amzn-Errortype "
        "header raises the modelled error; botocore reports code '500'. Without "
        "the header we give botocore's code (the status) and message (its reason)"
    ),
    "output:RestJsonFooErrorUsingXAmznErrorTypeWithUri": "implemented, as above",
    "output:RestJsonFooErrorUsingXAmznErrorTypeWithUriAndNamespace": (
        "implemented (Smithy), as above"
    ),
    "output:RestJsonHttpPayloadTraitsWithNoBlobBody": "skipped: see DECISIONS",
    "output:RestJsonHttpPayloadWithUnsetUnion": (
        "implemented (Smithy) for output: an empty body leaves a union payload "
        "unset (botocore raises ResponseParserError: a union needs one member)"
    ),
    "output:RestJsonInputAndOutputWithTimestampHeaders": (
        "implemented (Smithy): a list of HTTP dates in a header is split into "
        "dates (botocore splits on every comma and fails)"
    ),
    "output:RestJsonInputAndOutputWithQuotedStringHeaders": (
        "implemented (Smithy): quoted items of a header list are unquoted "
        "(botocore splits inside the quotes)"
    ),
    "output:RestJsonDeserializesDenseSetMapAndSkipsNull": (
        "implemented (Smithy): a null value in a map is dropped (botocore keeps "
        "None, which the typed Mapping[str, X] would not admit)"
    ),
    "output:MediaTypeHeaderOutputBase64": "skipped: see DECISIONS",
}


def _params(cases: list[ProtocolCase]) -> list[Any]:
    return runner.params(cases, DECISIONS)


INPUT_SMITHY = support.load_cases("input", "smithy")
INPUT_LEGACY = support.load_cases("input", "legacy")
OUTPUT_SMITHY = support.load_cases("output", "smithy")
OUTPUT_LEGACY = support.load_cases("output", "legacy")


def test_suite_sizes() -> None:
    """The fixtures are botocore's complete rest-json suites."""
    assert (len(INPUT_SMITHY), len(INPUT_LEGACY)) == (113, 56)
    assert (len(OUTPUT_SMITHY), len(OUTPUT_LEGACY)) == (91, 33)


def test_every_ignore_list_entry_has_a_decision() -> None:
    data = support.botocore_ignore_list()
    names = {f"suite:{name}" for name in data["general"]["input"]["suites"]}
    for direction in ("input", "output"):
        names |= {
            f"{direction}:{c}"
            for c in data["protocols"]["rest-json"][direction]["cases"]
        }
    assert names == set(IGNORE_LIST_DECISIONS)
    cases = INPUT_SMITHY + INPUT_LEGACY + OUTPUT_SMITHY + OUTPUT_LEGACY
    for key, decision in IGNORE_LIST_DECISIONS.items():
        kind, _, name = key.partition(":")
        covered = [
            f"{c.direction}:{c.test_id}"
            for c in cases
            if (c.description if kind == "suite" else f"{c.direction}:{c.case_id}")
            == (name if kind == "suite" else key)
        ]
        assert covered, key
        skipped = [k for k in covered if k in DECISIONS]
        assert (
            decision.startswith("skipped") and skipped == covered
        ) or not skipped, key
    ignored = [
        c
        for c in INPUT_SMITHY + INPUT_LEGACY + OUTPUT_SMITHY + OUTPUT_LEGACY
        if support.botocore_ignores(c)
    ]
    assert len(ignored) == 23  # 16 cases by id, 7 in the four suites


def test_every_decision_names_a_case() -> None:
    ids = {
        f"{c.direction}:{c.test_id}"
        for c in INPUT_SMITHY + INPUT_LEGACY + OUTPUT_SMITHY + OUTPUT_LEGACY
    }
    assert set(DECISIONS) <= ids
    assert all(
        kind in ("skip", "xfail") and reason for kind, reason in DECISIONS.values()
    )


@pytest.mark.parametrize("case", _params(INPUT_SMITHY))
def test_input_smithy(case: ProtocolCase, monkeypatch: pytest.MonkeyPatch) -> None:
    runner.run_input_case(case, monkeypatch)


@pytest.mark.parametrize("case", _params(INPUT_LEGACY))
def test_input_legacy(case: ProtocolCase, monkeypatch: pytest.MonkeyPatch) -> None:
    runner.run_input_case(case, monkeypatch)


@pytest.mark.parametrize("case", _params(OUTPUT_SMITHY))
def test_output_smithy(case: ProtocolCase) -> None:
    runner.run_output_case(case)


@pytest.mark.parametrize("case", _params(OUTPUT_LEGACY))
def test_output_legacy(case: ProtocolCase) -> None:
    runner.run_output_case(case)
