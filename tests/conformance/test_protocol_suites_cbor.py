"""botocore's smithy-rpc-v2-cbor protocol suites, run against generated clients.

Every case of ``smithy-rpc-v2-cbor.json`` (input and output),
``smithy-rpc-v2-cbor-query-compatible.json`` (input and output) and
``smithy-rpc-v2-cbor-non-query-compatible.json`` (input) goes through
:mod:`tests.conformance.runner`, compared as botocore's
``tests/unit/test_protocols.py`` compares CBOR:

* the suites write CBOR bodies in base64; a request body is compared as the
  value botocore's own ``RpcV2CBORParser`` decodes it to (so definite and
  indefinite lengths, and the width of an integer head, compare equal), with
  NaN and the infinities as their names; an empty body compares as bytes;
* every expected header is compared, ``Content-Type`` included (botocore's
  runner drops none for this protocol);
* a response body is base64-decoded before it reaches the client.

Where we deliberately differ from botocore (no case of the suites shows it;
``test_cbor_protocol`` and ``test_cbor_properties`` do):

* a timestamp with a fraction of a second is sent as tag 1 over a double
  (Smithy); botocore truncates it to whole seconds. Whole seconds are an
  integer, botocore's bytes;
* a ``float`` beyond single precision is sent as a double (botocore raises
  ``OverflowError``); a null in a sparse list or map is sent as CBOR null
  (botocore fails);
* an empty response body is an empty output (botocore fails when the output
  has members), and an error body that is not a CBOR map (an empty 4xx, a
  proxy's text) gives the status as the code and the text as the message
  (botocore raises a parse error);
* a union naming a member this client does not know sets
  ``sdk_unknown_member``, as the JSON protocols do (botocore's RPC v2 parser
  returns it empty); an untagged number for a timestamp is epoch seconds
  (botocore returns the number).

Every case we do not pass carries a written decision in ``DECISIONS``;
``IGNORE_LIST_DECISIONS`` says what we do with each entry of botocore's ignore
list that names a case of these suites.
"""

from __future__ import annotations

import base64
import math
from typing import Any

import pytest

from . import runner, support
from .support import ProtocolCase

PROTOCOL = "smithy-rpc-v2-cbor"
QUERY_COMPATIBLE = "smithy-rpc-v2-cbor-query-compatible"
NON_QUERY_COMPATIBLE = "smithy-rpc-v2-cbor-non-query-compatible"


def _botocore_value(data: bytes) -> Any:
    """A CBOR body as botocore's own parser decodes it (the oracle)."""
    from botocore.parsers import RpcV2CBORParser

    parser = RpcV2CBORParser()
    return _special_floats(
        parser.parse_data_item(parser.get_peekable_stream_from_bytes(data))
    )


def _special_floats(value: Any) -> Any:
    # botocore's runner: NaN and the infinities compare as their names.
    if isinstance(value, dict):
        return {k: _special_floats(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_special_floats(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else str(value).replace("inf", "Infinity")
    return value


def cbor_bodies(actual: bytes, expected: bytes) -> tuple[Any, Any]:
    """Both bodies as decoded values, or as bytes when ours is empty."""
    expected_bytes = base64.b64decode(expected)
    if not actual:
        return actual, expected_bytes
    return _botocore_value(actual), _botocore_value(expected_bytes)


CBOR = runner.Rules(
    body=cbor_bodies,
    skip_header=lambda _name, _value: False,
    response_body=base64.b64decode,
)

# Cases whose outcome differs from the suite, each with the reason.
DECISIONS: dict[str, tuple[str, str]] = {}

# botocore's ignore-list entries that name a case of these suites.
IGNORE_LIST_DECISIONS: dict[str, str] = {
    "output:RpcV2CborExtraFieldsInTheBodyShouldBeSkippedByClients": (
        "implemented (Smithy): members the model does not know are skipped, "
        "nested maps, arrays and chunked strings included"
    ),
    "output:RpcV2CborDeserializesDenseSetMapAndSkipsNull": (
        "implemented (Smithy, and botocore's own CBOR decoder): a null map "
        "value is dropped"
    ),
}


def _params(cases: list[ProtocolCase]) -> list[Any]:
    return runner.params(cases, DECISIONS)


INPUT = support.load_cases("input", "smithy", PROTOCOL)
OUTPUT = support.load_cases("output", "smithy", PROTOCOL)
INPUT_QUERY = support.load_cases("input", "smithy", QUERY_COMPATIBLE)
OUTPUT_QUERY = support.load_cases("output", "smithy", QUERY_COMPATIBLE)
INPUT_NON_QUERY = support.load_cases("input", "smithy", NON_QUERY_COMPATIBLE)
OUTPUT_NON_QUERY = support.load_cases("output", "smithy", NON_QUERY_COMPATIBLE)
ALL = INPUT + OUTPUT + INPUT_QUERY + OUTPUT_QUERY + INPUT_NON_QUERY + OUTPUT_NON_QUERY


def test_suite_sizes() -> None:
    """The fixtures are botocore's complete smithy-rpc-v2-cbor suites."""
    assert (len(INPUT), len(OUTPUT)) == (15, 35)
    assert (len(INPUT_QUERY), len(OUTPUT_QUERY)) == (1, 2)
    assert (len(INPUT_NON_QUERY), len(OUTPUT_NON_QUERY)) == (1, 0)
    # No legacy (hand-written) suites exist for this protocol.
    assert not support.load_cases("input", "legacy", PROTOCOL)
    assert not support.load_cases("output", "legacy", PROTOCOL)


def test_every_ignore_list_entry_has_a_decision() -> None:
    data = support.botocore_ignore_list()
    names = {
        f"{direction}:{c}"
        for protocol in (PROTOCOL, QUERY_COMPATIBLE, NON_QUERY_COMPATIBLE)
        for direction in ("input", "output")
        for c in data["protocols"].get(protocol, {}).get(direction, {}).get("cases", ())
    }
    # The general entries (whole suites) name no case of these files.
    general = set(data["general"]["input"]["suites"])
    assert not [c for c in ALL if c.description in general]
    assert names == set(IGNORE_LIST_DECISIONS)
    for key, decision in IGNORE_LIST_DECISIONS.items():
        covered = [c for c in ALL if f"{c.direction}:{c.test_id}" == key]
        assert covered, key
        assert decision.startswith("skipped") == (key in DECISIONS), key
    assert len([c for c in ALL if support.botocore_ignores(c)]) == 2


def test_every_decision_names_a_case() -> None:
    ids = {f"{c.direction}:{c.test_id}" for c in ALL}
    assert set(DECISIONS) <= ids
    assert all(
        kind in ("skip", "xfail") and reason for kind, reason in DECISIONS.values()
    )


@pytest.mark.parametrize("case", _params(INPUT + INPUT_QUERY + INPUT_NON_QUERY))
def test_input(case: ProtocolCase, monkeypatch: pytest.MonkeyPatch) -> None:
    runner.run_input_case(case, monkeypatch, CBOR)


@pytest.mark.parametrize("case", _params(OUTPUT + OUTPUT_QUERY))
def test_output(case: ProtocolCase) -> None:
    runner.run_output_case(case, CBOR)
