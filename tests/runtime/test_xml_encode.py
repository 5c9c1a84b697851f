"""The XML encoder writes the very bytes botocore's ``RestXMLSerializer``
writes (its ElementTree output): for every input case of botocore's rest-xml
suites, and for a model built to reach every rule (escaping in text and
attributes, empty elements, namespaces with and without prefix, a flattened
list's namespace on its parent, wrapped and flattened lists and maps,
renamed items, entries and keys, nested lists, recursion, every scalar)."""

from __future__ import annotations

import copy
import datetime
import math
from typing import Any

import pytest
from botocore.model import OperationModel, ServiceModel
from botocore.serialize import RestXMLSerializer

from tests.conformance import support
from tests.conformance.support import ProtocolCase
from typed_aws_runtime.transport import HttpResponse, InMemoryTransport

_SPECIAL = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def _special_floats(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _special_floats(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_special_floats(v) for v in value]
    return _SPECIAL.get(value, value) if isinstance(value, str) else value


def _botocore_body(model: dict[str, Any], operation: str, params: Any) -> bytes:
    service = ServiceModel(model)
    op = OperationModel(model["operations"][operation], service, operation)
    body = RestXMLSerializer().serialize_to_request(copy.deepcopy(params), op)["body"]
    assert isinstance(body, bytes)
    return body


def _our_body(model: dict[str, Any], operation: str, params: Any) -> bytes:
    package = support.generated(model, prefix="xml_encode")
    transport = InMemoryTransport([HttpResponse(200, {}, b"")])
    client = support.client_class(package)(
        region_name="us-east-1",
        endpoint_url="https://example.com",
        aws_access_key_id="AKID",
        aws_secret_access_key="SECRET",
        transport=transport,
        max_attempts=1,
        disable_request_compression=True,  # the encoder's bytes, as sent
    )
    op = support.wire_schema(package).operation(operation)
    getattr(client, support.method_name(operation))(
        **support.typed_kwargs(op.input, params)
    )
    body = transport.last.body
    assert isinstance(body, bytes)
    return body


def _suite_cases() -> list[Any]:
    out = []
    for origin in ("smithy", "legacy"):
        for case in support.load_cases("input", origin, "rest-xml"):
            marks = []
            if case.description == "Idempotency token auto fill":
                # botocore fills tokens in a handler before its serializer
                # (and one case has no root name, where botocore raises).
                marks.append(
                    pytest.mark.skip(reason="botocore's serializer fills no tokens")
                )
            out.append(pytest.param(case, id=case.test_id, marks=marks))
    return out


@pytest.mark.parametrize("case", _suite_cases())
def test_suite_bodies_are_botocore_bytes(case: ProtocolCase) -> None:
    model = support.service_model(case)
    params = case.case["params"]
    expected = _botocore_body(model, case.operation_name, _special_floats(params))
    assert _our_body(model, case.operation_name, params) == expected


NASTY = "a & b < c > d \"e\" 'f' \r\n\t ü € \U0001f600 ]]> &amp;"

MODEL: dict[str, Any] = {
    "version": "2.0",
    "metadata": {
        "apiVersion": "2020-01-01",
        "endpointPrefix": "xmltest",
        "protocol": "rest-xml",
        "serviceId": "Xml Test",
        "signatureVersion": "v4",
        "signingName": "xmltest",
        "uid": "xmltest-2020-01-01",
    },
    "operations": {
        "Put": {
            "name": "Put",
            "http": {"method": "POST", "requestUri": "/put/{Id}"},
            "input": {
                "shape": "PutRequest",
                "locationName": "PutRequest",
                "xmlNamespace": {"uri": "https://example.com/doc/"},
            },
        },
        "PutPayload": {
            "name": "PutPayload",
            "http": {"method": "PUT", "requestUri": "/payload"},
            "input": {"shape": "PayloadRequest"},
        },
    },
    "shapes": {
        "PutRequest": {
            "type": "structure",
            "required": ["Id"],
            "members": {
                "Id": {"shape": "String", "location": "uri", "locationName": "Id"},
                "Header": {
                    "shape": "String",
                    "location": "header",
                    "locationName": "x-header",
                },
                "Text": {"shape": "String"},
                "Empty": {"shape": "String"},
                "Renamed": {"shape": "String", "locationName": "OtherName"},
                "Prefixed": {
                    "shape": "String",
                    "xmlNamespace": {"prefix": "p", "uri": "https://p.example/"},
                },
                "Int": {"shape": "Integer"},
                "Long": {"shape": "Long"},
                "Bool": {"shape": "Boolean"},
                "False": {"shape": "Boolean"},
                "Float": {"shape": "Float"},
                "Double": {"shape": "Double"},
                "NaN": {"shape": "Double"},
                "Inf": {"shape": "Double"},
                "NegInf": {"shape": "Float"},
                "Time": {"shape": "Timestamp"},
                "TimeMicro": {"shape": "Timestamp"},
                "TimeEpoch": {"shape": "Timestamp", "timestampFormat": "unixTimestamp"},
                "TimeHttp": {"shape": "HttpDate"},
                "Blob": {"shape": "Blob"},
                "EmptyBlob": {"shape": "Blob"},
                "Enum": {"shape": "Color"},
                "Struct": {"shape": "Inner"},
                "EmptyStruct": {"shape": "Inner"},
                "List": {"shape": "StringList"},
                "EmptyList": {"shape": "StringList"},
                "NamedItems": {"shape": "NamedList"},
                "Flat": {"shape": "StringList", "flattened": True},
                "FlatNamed": {
                    "shape": "NamedList",
                    "flattened": True,
                    "locationName": "Item",
                },
                "FlatNs": {
                    "shape": "StringList",
                    "flattened": True,
                    "xmlNamespace": "https://flat.example/",
                },
                "Nested": {"shape": "ListOfLists"},
                "Structs": {"shape": "InnerList"},
                "Map": {"shape": "StringMap"},
                "EmptyMap": {"shape": "StringMap"},
                "NamedMap": {"shape": "NamedMap", "locationName": "Attributes"},
                "FlatMap": {"shape": "StringMap", "flattened": True},
                "StructMap": {"shape": "InnerMap"},
                "NsMap": {"shape": "StringMap", "xmlNamespace": "https://map.example/"},
                "Recursive": {"shape": "Node"},
            },
        },
        "PayloadRequest": {
            "type": "structure",
            "members": {
                "Doc": {
                    "shape": "Attributed",
                    "locationName": "Document",
                    "xmlNamespace": {"uri": "https://doc.example/"},
                },
                "Header": {
                    "shape": "String",
                    "location": "header",
                    "locationName": "x-header",
                },
            },
            "payload": "Doc",
        },
        "Attributed": {
            "type": "structure",
            "members": {
                "Kind": {
                    "shape": "String",
                    "xmlAttribute": True,
                    "locationName": "xsi:type",
                },
                "Label": {
                    "shape": "String",
                    "xmlAttribute": True,
                    "locationName": "label",
                },
                "Value": {"shape": "String"},
                "Values": {
                    "shape": "StringList",
                    "flattened": True,
                    "xmlNamespace": "https://values.example/",
                },
            },
            "xmlNamespace": {
                "prefix": "xsi",
                "uri": "http://www.w3.org/2001/XMLSchema-instance",
            },
        },
        "Inner": {
            "type": "structure",
            "members": {"A": {"shape": "String"}, "B": {"shape": "Integer"}},
        },
        "Node": {
            "type": "structure",
            "members": {"Name": {"shape": "String"}, "Child": {"shape": "Node"}},
        },
        "StringList": {"type": "list", "member": {"shape": "String"}},
        "NamedList": {
            "type": "list",
            "member": {"shape": "String", "locationName": "Item"},
        },
        "ListOfLists": {"type": "list", "member": {"shape": "StringList"}},
        "InnerList": {
            "type": "list",
            "member": {"shape": "Inner", "locationName": "Inner"},
        },
        "StringMap": {
            "type": "map",
            "key": {"shape": "String"},
            "value": {"shape": "String"},
        },
        "NamedMap": {
            "type": "map",
            "key": {"shape": "String", "locationName": "Name"},
            "value": {"shape": "String", "locationName": "Value"},
        },
        "InnerMap": {
            "type": "map",
            "key": {"shape": "String"},
            "value": {"shape": "Inner"},
        },
        "String": {"type": "string"},
        "Color": {"type": "string", "enum": ["red", "green"]},
        "Integer": {"type": "integer"},
        "Long": {"type": "long"},
        "Boolean": {"type": "boolean"},
        "Float": {"type": "float"},
        "Double": {"type": "double"},
        "Timestamp": {"type": "timestamp"},
        "HttpDate": {"type": "timestamp", "timestampFormat": "rfc822"},
        "Blob": {"type": "blob"},
    },
}

UTC = datetime.UTC
PARAMS: dict[str, Any] = {
    "Id": "a/b c",
    "Header": "h",
    "Text": NASTY,
    "Empty": "",
    "Renamed": "r",
    "Prefixed": "p",
    "Int": -3,
    "Long": 2**53 + 1,
    "Bool": True,
    "False": False,
    "Float": 1.5,
    "Double": 1e-7,
    "NaN": math.nan,
    "Inf": math.inf,
    "NegInf": -math.inf,
    "Time": datetime.datetime(2020, 2, 29, 23, 59, 59, tzinfo=UTC),
    "TimeMicro": datetime.datetime(2020, 1, 1, 0, 0, 0, 123456, tzinfo=UTC),
    "TimeEpoch": datetime.datetime(2020, 1, 1, 0, 0, 1, 500000, tzinfo=UTC),
    "TimeHttp": datetime.datetime(2020, 1, 1, 12, 30, tzinfo=UTC),
    "Blob": b"\x00\xffbinary&<>",
    "EmptyBlob": b"",
    "Enum": "green",
    "Struct": {"A": NASTY, "B": 0},
    "EmptyStruct": {},
    "List": ["x", "", NASTY],
    "EmptyList": [],
    "NamedItems": ["i1", "i2"],
    "Flat": ["f1", "f2"],
    "FlatNamed": ["n1"],
    "FlatNs": ["ns1", "ns2"],
    "Nested": [["a", "b"], [], ["c"]],
    "Structs": [{"A": "1"}, {}, {"B": 2}],
    "Map": {"k1": "v1", NASTY: NASTY, "": ""},
    "EmptyMap": {},
    "NamedMap": {"n": "v"},
    "FlatMap": {"fk": "fv", "fk2": "fv2"},
    "StructMap": {"s": {"A": "a"}, "t": {}},
    "NsMap": {"k": "v"},
    "Recursive": {"Name": "1", "Child": {"Name": "2", "Child": {"Child": {}}}},
}


@pytest.mark.parametrize("name", [None, *PARAMS])
def test_every_rule_is_botocore_bytes(name: str | None) -> None:
    """All members at once, then each member alone (with the required Id)."""
    params = PARAMS if name is None else {"Id": "x", name: PARAMS[name]}
    expected = _botocore_body(MODEL, "Put", params)
    assert _our_body(MODEL, "Put", params) == expected


@pytest.mark.parametrize(
    "doc",
    [
        {"Kind": "Special", "Label": NASTY, "Value": "v", "Values": ["a", "b"]},
        {"Label": "only"},
        {"Values": []},
        {"Value": ""},
        {},
    ],
)
def test_payload_documents_are_botocore_bytes(doc: dict[str, Any]) -> None:
    """A structure payload: its member's locationName and namespace, its
    attributes in order after the xmlns, a flattened list's namespace set
    on (and here replacing) the payload element's own."""
    params = {"Doc": doc, "Header": "h"}
    expected = _botocore_body(MODEL, "PutPayload", params)
    assert _our_body(MODEL, "PutPayload", params) == expected


def test_no_body_members_set_sends_no_body() -> None:
    assert _our_body(MODEL, "Put", {"Id": "x", "Header": "h"}) == b""
    assert _botocore_body(MODEL, "Put", {"Id": "x", "Header": "h"}) == b""
    assert _our_body(MODEL, "PutPayload", {"Header": "h"}) == b""
    assert _botocore_body(MODEL, "PutPayload", {"Header": "h"}) == b""


def test_start_of_a_body() -> None:
    body = _our_body(MODEL, "Put", {"Id": "x", "Empty": ""})
    assert (
        body == b'<PutRequest xmlns="https://example.com/doc/"><Empty /></PutRequest>'
    )
