"""The wire schema: the part of the model the runtime needs, nothing more.

It keeps botocore's own key names, so the runtime's codec reads like
botocore's serializer and parser, and adds the Python names the generated
classes use. Documentation, examples and patterns are dropped.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from codegen import naming
from codegen.resolved import ResolvedModel

SCHEMA_VERSION = 1
_METADATA = (
    "apiVersion",
    "awsQueryCompatible",
    "endpointPrefix",
    "jsonVersion",
    "protocol",
    "serviceId",
    "signatureVersion",
    "signingName",
    "targetPrefix",
    "uid",
    "auth",
    "xmlNamespace",
)
_MEMBER_KEYS = (
    "location",
    "locationName",
    "jsonvalue",
    "hostLabel",
    "idempotencyToken",
    "timestampFormat",
    "contextParam",
    "eventpayload",
    "eventheader",
    "queryName",
    "flattened",
    "xmlNamespace",
    "xmlAttribute",
    "endpointdiscoveryid",
)
_SHAPE_KEYS = (
    "timestampFormat",
    "streaming",
    "requiresLength",
    "payload",
    "union",
    "document",
    "exception",
    "error",
    "sensitive",
    "event",
    "eventstream",
    "retryable",
    "flattened",
    "xmlNamespace",
    "locationName",
    "queryName",
)
_OPERATION_KEYS = (
    "authtype",
    "auth",
    "endpoint",
    "httpChecksumRequired",
    "httpChecksum",
    "requestcompression",
    "staticContextParams",
    "contextParams",
    "operationContextParams",
    "deprecated",
    "endpointoperation",
    "endpointdiscovery",
)


def _pick(source: Mapping[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: source[k] for k in keys if k in source}


def _ref(ref: dict[str, Any]) -> dict[str, Any]:
    return {"shape": ref["shape"], **_pick(ref, _MEMBER_KEYS)}


def _inherited(r: ResolvedModel, ref: dict[str, Any]) -> dict[str, Any]:
    # botocore lets a shape carry its members' location (old models do);
    # the member's own keys still win.
    return _pick(r.shapes[ref["shape"]], ("location", "locationName"))


def _shape(r: ResolvedModel, name: str) -> dict[str, Any]:
    shape = r.shapes[name]
    kind = shape["type"]
    out: dict[str, Any] = {"type": kind, **_pick(shape, _SHAPE_KEYS)}
    if kind in ("integer", "long", "float", "double"):
        out.update(_pick(shape, ("min", "max")))
    elif kind in ("string", "blob", "list", "map") and "min" in shape:
        out["min"] = shape["min"]
    if kind == "structure":
        names = r.member_names[name]
        out["members"] = {
            m: {**_inherited(r, ref), **_ref(ref), "name": names[m]}
            for m, ref in shape.get("members", {}).items()
        }
        if shape.get("required"):
            out["required"] = list(shape["required"])
        if name in r.class_names:
            out["class"] = r.class_names[name]
        if name in r.error_names:
            out["errorClass"] = r.error_names[name]
    elif kind == "list":
        out["member"] = {**_inherited(r, shape["member"]), **_ref(shape["member"])}
    elif kind == "map":
        out["key"] = {**_inherited(r, shape["key"]), **_ref(shape["key"])}
        out["value"] = {**_inherited(r, shape["value"]), **_ref(shape["value"])}
    elif kind == "string" and name in r.class_names:
        out["enumClass"] = r.class_names[name]
    return out


def _operation(r: ResolvedModel, op: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "http": _pick(op["http"], ("method", "requestUri", "responseCode"))
    }
    for key in ("input", "output"):
        if key in op:
            out[key] = op[key]["shape"]
    # query: the output's wrapper element, from the reference or else (as
    # botocore merges them) from the output shape itself.
    output = op.get("output", {})
    wrapper = output.get("resultWrapper") or (
        r.shapes[output["shape"]].get("resultWrapper") if output else None
    )
    if wrapper:
        out["resultWrapper"] = wrapper
    if op.get("errors"):
        out["errors"] = [e["shape"] for e in op["errors"]]
    out.update(_pick(op, _OPERATION_KEYS))
    return out


def client_context_params(r: ResolvedModel) -> dict[str, dict[str, str]]:
    """The model's ``clientContextParams``: rule-set parameter name -> its
    type and the key botocore's ``Config(client_context_params=...)`` (and
    the client's constructor option of that name) gives it under."""
    found = r.files.service.get("clientContextParams") or {}
    return {
        name: {"type": spec["type"], "name": naming.context_param_name(name)}
        for name, spec in sorted(found.items())
    }


def build_schema(r: ResolvedModel) -> dict[str, Any]:
    shapes = {n: _shape(r, n) for n in sorted(r.reachable)}
    for name in sorted(r.operations):
        op = r.operations[name]
        for key in ("input", "output"):
            # botocore merges traits written on the operation's reference
            # (``"input": {"shape": "X", "payload": "foo"}``) into the shape.
            ref = op.get(key)
            if ref and ref["shape"] in shapes:
                shapes[ref["shape"]].update(_pick(ref, _SHAPE_KEYS))
    context = client_context_params(r)
    return {
        "version": SCHEMA_VERSION,
        "baseErrorClass": r.base_error,
        # The protocol the runtime speaks: the one botocore resolves.
        "metadata": {**_pick(r.metadata, _METADATA), "protocol": r.protocol},
        **({"clientContextParams": context} if context else {}),
        "operations": {
            # botocore's hand-written customizations that apply, as rules.
            n: {**_operation(r, r.operations[n]), **r.customized.schema_entry(n)}
            for n in sorted(r.operations)
        },
        "shapes": shapes,
    }


def dump(value: Any, indent: str = "") -> str:
    """JSON with one line per leaf object: a member change is a one-line diff."""
    if isinstance(value, dict) and value and not _is_leaf(value):
        inner = indent + " "
        items = [f"{inner}{json.dumps(k)}: {dump(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    return json.dumps(value, sort_keys=False, separators=(", ", ": "))


def _is_leaf(value: dict[str, Any]) -> bool:
    def scalar(v: Any) -> bool:
        return not isinstance(v, (dict, list)) or (
            isinstance(v, list) and all(not isinstance(x, (dict, list)) for x in v)
        )

    return (
        all(
            scalar(v) or (isinstance(v, dict) and all(scalar(x) for x in v.values()))
            for v in value.values()
        )
        and "members" not in value
    )
