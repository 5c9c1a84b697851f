"""botocore's rest-xml protocol suites, run against generated clients.

Each case runs through ``runner.py`` as the rest-json cases do (see
``test_protocol_suites.py``), with the rest-xml rules of botocore's
``tests/unit/test_protocols.py``:

* a body compares as botocore's runner compares rest-xml bodies: both sides
  through ``ElementTree.canonicalize(..., strip_text=True)`` (C14N 2.0:
  attribute order and namespace spelling normalised, whitespace around text
  dropped; element order and text still count), byte for byte when either
  side is not XML. That is what botocore's runner asserts (not bytes: the
  Smithy bodies are indented). Byte-identical output with botocore's own
  serializer is checked separately, for every input case here and more
  (``tests/runtime/test_xml_encode.py``);
* an expected ``Content-Type`` is never required: botocore sets none for
  rest-xml (its runner drops the expectation) and neither do we.

``DECISIONS`` skips a case with its reason; ``IGNORE_LIST_DECISIONS`` says
what we do with every entry of botocore's ignore list for rest-xml.

Where we differ from botocore without a case to show it (each a bug or a
gap a user would hit otherwise):

* structure members are written in model order, not in the caller's dict
  order (a typed call has none; route53 requires the model's order);
* a member set to None is left out and the next ones are still written
  (botocore's ``_serialize_type_structure`` returns at the first None);
* an ``xmlAttribute`` member that is not a string is written as its element
  text would be (botocore's ElementTree refuses it);
* an error body whose root is a namespaced ``<Error>`` is read as the bare
  form (botocore compares the tag with its namespace and finds no code);
* an error's request id falls back from ``<RequestId>`` to the headers and
  back (botocore reads only one place per form).
"""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

import pytest

from . import runner, suite_checks, support
from .support import ProtocolCase

_FOLLOW = "follows botocore (on its ignore list): "
PROTOCOL = "rest-xml"


def xml_bodies(actual: bytes, expected: bytes) -> tuple[Any, Any]:
    """Both bodies canonicalized as botocore's runner does; bytes otherwise."""
    try:
        return (
            ElementTree.canonicalize(actual.decode("utf-8"), strip_text=True),
            ElementTree.canonicalize(expected.decode("utf-8"), strip_text=True),
        )
    except ElementTree.ParseError:
        return actual, expected


REST_XML = runner.Rules(
    body=xml_bodies, skip_header=lambda name, _value: name == "content-type"
)

_ROOT = (
    "the root element of a structure payload is the payload member's "
    "locationName (else its shape's), as botocore writes it and as every "
    "botocore model is written for (cloudfront's DistributionConfig, S3's "
    "LifecycleConfiguration); Smithy names it after the target shape"
)
_CONTENT_ENCODING = (
    "request compression is implemented (the compress_request customization, as "
    "botocore's compress.py, which appends 'custom,gzip' where Smithy wants "
    "'custom, gzip'): one case of the suite differs, so the suite stays skipped "
    "as botocore skips it; test_customizations compares compression with botocore"
)
_CHARACTER = (
    "uses the pre-Smithy 'character' shape type, which no botocore model "
    "uses any more; the generator rejects unknown shape types (spec: exit 2)"
)

# Cases whose outcome differs from the suite, each with the reason.
DECISIONS: dict[str, tuple[str, str]] = {
    "input:BodyWithXmlName": (
        "skip",
        _FOLLOW
        + (
            "the root element is the operation input's locationName "
            "(BodyWithXmlNameRequest), which botocore merges over the shape's "
            "(Ahoy); and a member's element takes its target shape's "
            "locationName (Hello) when the member has none, as botocore"
        ),
    ),
    "input:RestXmlHttpPayloadWithUnion": ("skip", _FOLLOW + _ROOT),
    "input:HttpPayloadWithXmlName": ("skip", _FOLLOW + _ROOT),
    "input:HttpPayloadWithXmlNamespace": ("skip", _FOLLOW + _ROOT),
    "input:HttpPayloadWithXmlNamespaceAndPrefix": ("skip", _FOLLOW + _ROOT),
    "input:XmlAttributesOnPayload": ("skip", _FOLLOW + _ROOT),
    "input:NullAndEmptyHeaders": (
        "skip",
        _FOLLOW
        + (
            "an empty list header is not sent at all, as botocore; Smithy sends "
            "an empty X-C header"
        ),
    ),
    "input:SDKAppliedContentEncoding_restXml": ("skip", _FOLLOW + _CONTENT_ENCODING),
    "input:SDKAppendedGzipAfterProvidedEncoding_restXml": (
        "skip",
        _FOLLOW + _CONTENT_ENCODING,
    ),
    "output:ComplexError": (
        "skip",
        _FOLLOW
        + (
            "the error's message is the text of <Message> ('Hi'), as botocore "
            "gives it; the case expects an empty message"
        ),
    ),
    "output:HttpPayloadTraitsWithNoBlobBody": (
        "skip",
        _FOLLOW
        + (
            "an empty body gives an empty blob/string payload (b'' / ''), as "
            "botocore gives it, rather than leaving the member unset as Smithy "
            "does: code written against boto3 never sees None there"
        ),
    ),
    "output:legacy-00.0-Scalar members": ("skip", _CHARACTER),
    "output:legacy-00.1-Scalar members": ("skip", _CHARACTER),
    "output:legacy-10.0-Scalar members in headers": ("skip", _CHARACTER),
}

# botocore's ignore list for rest-xml (and its general suites that rest-xml
# has), and what we do with each entry.
IGNORE_LIST_DECISIONS: dict[str, str] = {
    # general
    "suite:Test cases for PutWithContentEncoding operation": "skipped: see DECISIONS",
    "suite:Test cases for QueryIdempotencyTokenAutoFill operation": (
        "implemented (Smithy): a missing idempotency token is filled with a "
        "UUID4; the test pins uuid4 to the expected value"
    ),
    "suite:Idempotency token auto fill": "implemented (Smithy), as the suite above",
    # input
    "input:BodyWithXmlName": "skipped: see DECISIONS",
    "input:RestXmlHttpPayloadWithUnion": "skipped: see DECISIONS",
    "input:HttpPayloadWithXmlName": "skipped: see DECISIONS",
    "input:HttpPayloadWithXmlNamespace": "skipped: see DECISIONS",
    "input:HttpPayloadWithXmlNamespaceAndPrefix": "skipped: see DECISIONS",
    "input:XmlAttributesOnPayload": "skipped: see DECISIONS",
    "input:NullAndEmptyHeaders": "skipped: see DECISIONS",
    "input:RestXmlQueryPrecedence": (
        "implemented (Smithy): a named query member wins over the same key in a "
        "map of query parameters whatever the member order (the shared HTTP "
        "bindings, as for rest-json)"
    ),
    # output
    "output:InputAndOutputWithTimestampHeaders": (
        "implemented (Smithy): a list of HTTP dates in a header is split into "
        "dates (botocore splits on every comma and fails)"
    ),
    "output:RestXmlHttpPayloadWithUnsetUnion": (
        "implemented (Smithy): an empty body leaves a union payload unset "
        "(botocore raises ResponseParserError: a union needs one member)"
    ),
    "output:HttpPayloadTraitsWithNoBlobBody": "skipped: see DECISIONS",
    "output:ComplexError": "skipped: see DECISIONS",
    "output:BodyWithXmlName": (
        "implemented (Smithy): a member whose element name comes from its "
        "target shape's locationName (<Hello>) is also read from an element "
        "of its own name (<nested>) (the XML decoder's rule); botocore reads "
        "only <Hello> and finds nothing"
    ),
    "output:XmlLists": (
        "implemented (Smithy): a flattened list whose items' locationName is "
        "not the member's name is also read from elements named as the member "
        "(the XML decoder's rule; botocore reads only the items' name and "
        "misses flattenedList and flattenedList2)"
    ),
}


def _params(cases: list[ProtocolCase]) -> list[Any]:
    return runner.params(cases, DECISIONS)


INPUT_SMITHY = support.load_cases("input", "smithy", PROTOCOL)
INPUT_LEGACY = support.load_cases("input", "legacy", PROTOCOL)
OUTPUT_SMITHY = support.load_cases("output", "smithy", PROTOCOL)
OUTPUT_LEGACY = support.load_cases("output", "legacy", PROTOCOL)


def test_suite_sizes() -> None:
    """The fixtures are botocore's complete rest-xml suites."""
    assert (len(INPUT_SMITHY), len(INPUT_LEGACY)) == (94, 45)
    assert (len(OUTPUT_SMITHY), len(OUTPUT_LEGACY)) == (78, 25)


def _all_cases() -> list[ProtocolCase]:
    return INPUT_SMITHY + INPUT_LEGACY + OUTPUT_SMITHY + OUTPUT_LEGACY


def test_every_ignore_list_entry_has_a_decision() -> None:
    cases = _all_cases()
    suite_checks.check_ignore_list(PROTOCOL, cases, DECISIONS, IGNORE_LIST_DECISIONS)
    ignored = [c for c in cases if support.botocore_ignores(c)]
    assert len(ignored) == 20  # 14 cases by id, 6 in the three general suites


def test_every_decision_names_a_case() -> None:
    suite_checks.check_decisions(_all_cases(), DECISIONS)


@pytest.mark.parametrize("case", _params(INPUT_SMITHY))
def test_input_smithy(case: ProtocolCase, monkeypatch: pytest.MonkeyPatch) -> None:
    runner.run_input_case(case, monkeypatch, REST_XML)


@pytest.mark.parametrize("case", _params(INPUT_LEGACY))
def test_input_legacy(case: ProtocolCase, monkeypatch: pytest.MonkeyPatch) -> None:
    runner.run_input_case(case, monkeypatch, REST_XML)


@pytest.mark.parametrize("case", _params(OUTPUT_SMITHY))
def test_output_smithy(case: ProtocolCase) -> None:
    runner.run_output_case(case)


@pytest.mark.parametrize("case", _params(OUTPUT_LEGACY))
def test_output_legacy(case: ProtocolCase) -> None:
    runner.run_output_case(case)
