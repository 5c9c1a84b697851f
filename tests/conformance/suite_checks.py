"""Checks every protocol's suite tests make of their written decisions.

``decisions`` (keyed ``input:<test id>`` / ``output:<test id>``) skip or
xfail cases with a reason; ``ignore_list_decisions`` say what we do with each
entry of botocore's ignore list that applies to the protocol's cases.
"""

from __future__ import annotations

from collections.abc import Mapping

from . import support
from .support import ProtocolCase


def ignore_list_names(protocol: str, cases: list[ProtocolCase]) -> set[str]:
    """Every ignore-list entry for ``protocol``: its cases, and the general
    suites that occur among ``cases``."""
    data = support.botocore_ignore_list()
    present = {c.description for c in cases}
    names = {
        f"suite:{name}"
        for name in data["general"]["input"]["suites"]
        if name in present
    }
    for direction in ("input", "output"):
        section = data["protocols"].get(protocol, {}).get(direction, {})
        names |= {f"{direction}:{c}" for c in section.get("cases", ())}
    return names


def check_ignore_list(
    protocol: str,
    cases: list[ProtocolCase],
    decisions: Mapping[str, tuple[str, str]],
    ignore_list_decisions: Mapping[str, str],
) -> None:
    assert ignore_list_names(protocol, cases) == set(ignore_list_decisions)
    for key, decision in ignore_list_decisions.items():
        assert decision, key
        kind, _, name = key.partition(":")
        covered = [
            f"{c.direction}:{c.test_id}"
            for c in cases
            if (c.description if kind == "suite" else f"{c.direction}:{c.case_id}")
            == (name if kind == "suite" else key)
        ]
        assert covered, key
        skipped = [k for k in covered if k in decisions]
        assert (
            decision.startswith("skipped") and skipped == covered
        ) or not skipped, key


def check_decisions(
    cases: list[ProtocolCase], decisions: Mapping[str, tuple[str, str]]
) -> None:
    ids = {f"{c.direction}:{c.test_id}" for c in cases}
    assert set(decisions) <= ids
    assert all(
        kind in ("skip", "xfail") and reason for kind, reason in decisions.values()
    )


_SPECIAL_FLOATS = {
    "Infinity": float("inf"),
    "-Infinity": float("-inf"),
    "NaN": float("nan"),
}


def botocore_body(case: ProtocolCase) -> bytes:
    """The body botocore's client sends for an input case: its serializer
    (``create_serializer``), then its request preparation (a form body is
    ``urlencode()``d there)."""
    from botocore.awsrequest import create_request_object, prepare_request_dict
    from botocore.model import ServiceModel
    from botocore.serialize import create_serializer

    model = ServiceModel(support.service_model(case))
    protocol = model.metadata["protocol"]
    op = model.operation_model(case.operation_name)
    params = {
        k: _SPECIAL_FLOATS.get(v, v) if isinstance(v, str) else v
        for k, v in case.case.get("params", {}).items()
    }
    serialized = create_serializer(protocol, include_validation=False)
    request_dict = serialized.serialize_to_request(params, op)
    prepare_request_dict(request_dict, "https://example.com")
    body = create_request_object(request_dict).prepare().body
    if isinstance(body, str):
        body = body.encode("utf-8")
    return body or b""
