"""Every key of a service model the generator or the runtime reads, checked.

The resolver checks the model's structure (shape types, references); this
module checks the values the generator copies into the code or the wire
schema and the runtime reads from there: their types, and the references
written as strings (a ``payload``, a ``{Label}`` in ``requestUri`` or in
``hostPrefix``, ``required`` names). A value of the wrong type, or a string
Python source or a UTF-8 file cannot hold (a lone surrogate, a NUL in a
name), is a :class:`~codegen.errors.ModelError` naming the JSON path, never a
traceback or a client that fails at call time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from codegen.errors import ModelError

Path = list[str | int]
Check = Callable[[Any], str | None]  # a problem, or None


def _kind(*kinds: type, name: str) -> Check:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) and bool not in kinds:
            return f"expected {name}"
        return None if isinstance(value, kinds) else f"expected {name}"

    return check


STRING = _kind(str, name="a string")
BOOLEAN = _kind(bool, name="a boolean")
INTEGER = _kind(int, name="an integer")
NUMBER = _kind(int, float, name="a number")
OBJECT = _kind(dict, name="an object")


def _list_of(item: Check, name: str) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, list) or any(item(v) for v in value):
            return f"expected a list of {name}"
        return None

    return check


STRINGS = _list_of(STRING, "strings")


def _object_of(keys: Mapping[str, Check]) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, dict):
            return "expected an object"
        for key, item in keys.items():
            if key in value and (problem := item(value[key])):
                return f"{key}: {problem}"
        return None

    return check


def _one_of(*values: str) -> Check:
    def check(value: Any) -> str | None:
        return None if value in values else f"expected one of {', '.join(values)}"

    return check


DOCS = {"documentation": STRING, "deprecated": BOOLEAN, "deprecatedMessage": STRING}
_XML_NAMESPACE_OBJECT = _object_of({"uri": STRING, "prefix": STRING})


def XML_NAMESPACE(value: Any) -> str | None:  # noqa: N802 - a check, as above
    """A URI, or ``{"uri": ..., "prefix": ...}`` (both botocore spellings)."""
    return None if isinstance(value, str) else _XML_NAMESPACE_OBJECT(value)


METADATA: Mapping[str, Check] = {
    "apiVersion": STRING,
    "endpointPrefix": STRING,
    "jsonVersion": STRING,
    "protocol": STRING,
    "protocols": STRINGS,
    "serviceId": STRING,
    "serviceFullName": STRING,
    "signatureVersion": STRING,
    "signingName": STRING,
    "targetPrefix": STRING,
    "uid": STRING,
    "auth": STRINGS,
    "xmlNamespace": STRING,
    "awsQueryCompatible": OBJECT,
}
SHAPE: Mapping[str, Check] = {
    **DOCS,
    "min": NUMBER,
    "max": NUMBER,
    "timestampFormat": STRING,
    "streaming": BOOLEAN,
    "requiresLength": BOOLEAN,
    "payload": STRING,
    "union": BOOLEAN,
    "document": BOOLEAN,
    "exception": BOOLEAN,
    "fault": BOOLEAN,
    "error": _object_of(
        {"code": STRING, "httpStatusCode": INTEGER, "senderFault": BOOLEAN}
    ),
    "sensitive": BOOLEAN,
    "event": BOOLEAN,
    "eventstream": BOOLEAN,
    "retryable": _object_of({"throttling": BOOLEAN}),
    "flattened": BOOLEAN,
    "xmlNamespace": XML_NAMESPACE,
    "locationName": STRING,
    "queryName": STRING,
    "required": STRINGS,
    "enum": STRINGS,
    "resultWrapper": STRING,
    "location": STRING,
}
MEMBER: Mapping[str, Check] = {
    **DOCS,
    "location": _one_of("uri", "querystring", "header", "headers", "statusCode"),
    "locationName": STRING,
    "jsonvalue": BOOLEAN,
    "hostLabel": BOOLEAN,
    "idempotencyToken": BOOLEAN,
    "timestampFormat": STRING,
    "contextParam": _object_of({"name": STRING}),
    "eventpayload": BOOLEAN,
    "eventheader": BOOLEAN,
    "queryName": STRING,
    "flattened": BOOLEAN,
    "xmlNamespace": XML_NAMESPACE,
    "xmlAttribute": BOOLEAN,
    "endpointdiscoveryid": BOOLEAN,
    "sensitive": BOOLEAN,
    "resultWrapper": STRING,
    "payload": STRING,
}
OPERATION: Mapping[str, Check] = {
    **DOCS,
    "name": STRING,
    "http": _object_of(
        {"method": STRING, "requestUri": STRING, "responseCode": INTEGER}
    ),
    "authtype": STRING,
    "auth": STRINGS,
    "endpoint": _object_of({"hostPrefix": STRING}),
    "httpChecksumRequired": BOOLEAN,
    "httpChecksum": OBJECT,
    "requestcompression": _object_of({"encodings": STRINGS}),
    "staticContextParams": OBJECT,
    "contextParams": OBJECT,
    "operationContextParams": OBJECT,
    "endpointoperation": BOOLEAN,
    "endpointdiscovery": _object_of({"required": BOOLEAN}),
}
_LABEL = re.compile(r"\{([^}]*)\}")
# Code points no generated file can carry: lone surrogates (not UTF-8) and
# NUL (not in Python source).
_UNWRITABLE = re.compile("[\ud800-\udfff\x00]")


def _dict(value: Any) -> Mapping[str, Any]:
    """``value`` if an object, else empty (the resolver reports its type)."""
    return value if isinstance(value, dict) else {}


class ModelChecker:
    def __init__(self, file: str, model: Mapping[str, Any]) -> None:
        self.file = file
        self.model = model

    def error(self, path: Path, message: str) -> ModelError:
        return ModelError(self.file, path, message)

    def check(self) -> None:
        self.strings(self.model, [])
        shapes: Mapping[str, Any] = self.model["shapes"]
        self._keys(
            self.model,
            [],
            {"documentation": STRING, "clientContextParams": OBJECT},
        )
        for name, spec in _dict(self.model.get("clientContextParams")).items():
            self._keys(
                spec if isinstance(spec, dict) else {"type": spec},
                ["clientContextParams", name],
                {"type": _one_of("boolean", "string")},
            )
        self._keys(self.model["metadata"], ["metadata"], METADATA)
        if "endpointPrefix" not in self.model["metadata"]:
            raise self.error(["metadata", "endpointPrefix"], "missing endpointPrefix")
        for name, shape in shapes.items():
            path: Path = ["shapes", name]
            if not isinstance(shape, dict):
                continue  # the resolver reports it
            self._keys(shape, path, SHAPE)
            for member, ref in _dict(shape.get("members")).items():
                if isinstance(ref, dict):
                    self._keys(ref, [*path, "members", member], MEMBER)
            for key in ("member", "key", "value"):
                if isinstance(shape.get(key), dict):
                    self._keys(shape[key], [*path, key], MEMBER)
            self._payload(shape, path)
        for name, op in self.model["operations"].items():
            if isinstance(op, dict):
                self._operation(name, op)

    def _keys(
        self, obj: Mapping[str, Any], path: Path, checks: Mapping[str, Check]
    ) -> None:
        for key, check in checks.items():
            if key not in obj:
                continue
            problem = check(obj[key])
            if problem is not None:
                raise self.error([*path, key], problem)

    def strings(self, value: Any, path: Path) -> None:
        """No string anywhere (key or value) holds what no file can carry."""
        if isinstance(value, dict):
            for key, item in value.items():
                if _UNWRITABLE.search(key):
                    raise self.error([*path, key], f"unwritable character in {key!r}")
                self.strings(item, [*path, key])
        elif isinstance(value, list):
            for i, item in enumerate(value):
                self.strings(item, [*path, i])
        elif isinstance(value, str) and _UNWRITABLE.search(value):
            raise self.error(path, f"unwritable character in {value!r}")

    def _payload(self, shape: Mapping[str, Any], path: Path) -> None:
        payload = shape.get("payload")
        members = _dict(shape.get("members"))
        if payload is not None and payload not in members:
            raise self.error([*path, "payload"], f"no member {payload!r}")

    def _operation(self, name: str, op: Mapping[str, Any]) -> None:
        path: Path = ["operations", name]
        self._keys(op, path, OPERATION)
        if "errors" in op and not isinstance(op["errors"], list):
            raise self.error([*path, "errors"], "expected a list")
        shapes = self.model["shapes"]
        for key in ("input", "output"):
            ref = op.get(key)
            if not isinstance(ref, dict):
                continue
            self._keys(ref, [*path, key], MEMBER)
            target = shapes.get(str(ref.get("shape")))
            if isinstance(target, dict) and "payload" in ref:
                self._payload({**target, "payload": ref["payload"]}, [*path, key])
            if isinstance(target, dict) and target.get("exception"):
                raise self.error([*path, key, "shape"], f"an error shape as {key}")
        target = shapes.get(str(_dict(op.get("input")).get("shape")))
        members = _dict(_dict(target).get("members"))
        http = op.get("http")
        if isinstance(http, dict) and isinstance(http.get("requestUri"), str):
            bound = {
                ref.get("locationName", m)
                for m, ref in members.items()
                if isinstance(ref, dict) and ref.get("location") == "uri"
            }
            for label in _LABEL.findall(http["requestUri"].partition("?")[0]):
                if label.rstrip("+") not in bound:
                    raise self.error(
                        [*path, "http", "requestUri"],
                        f"label {{{label}}} is bound to no input member",
                    )
        host = _dict(op.get("endpoint")).get("hostPrefix")
        if isinstance(host, str):
            bound = {
                m
                for m, ref in members.items()
                if isinstance(ref, dict) and ref.get("hostLabel")
            }
            for label in _LABEL.findall(host):
                if label not in bound:
                    raise self.error(
                        [*path, "endpoint", "hostPrefix"],
                        f"label {{{label}}} is bound to no input member",
                    )


def check(file: str, model: Mapping[str, Any]) -> None:
    ModelChecker(file, model).check()


def check_strings(file: str, document: Mapping[str, Any]) -> None:
    """Only the strings, for the files besides the service model."""
    ModelChecker(file, document).strings(document, [])
