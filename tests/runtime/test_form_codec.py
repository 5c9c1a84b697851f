"""The form codec: urlencoding byte for byte as botocore's, and its rules on
shapes the suites leave out."""

from __future__ import annotations

import datetime
import math
from typing import Any
from urllib.parse import urlencode as stdlib_urlencode

from typed_aws_runtime.codecs import form
from typed_aws_runtime.schema import ServiceSchema

TRICKY = [
    "",
    "plain",
    "a b",
    "a+b",
    "~-_.",
    "ä/ö?&=#%",
    "emoji \U0001f600",
    '{"Statement": [{"Effect": "Allow"}]}',
    "".join(chr(i) for i in range(128)),
]


def test_urlencode_is_botocores() -> None:
    # botocore prepares a form body with urlencode(pairs, doseq=True).
    pairs = [(f"K{i}.{t}", t) for i, t in enumerate(TRICKY)]
    assert form.urlencode(pairs) == stdlib_urlencode(pairs, doseq=True)


def _schema(shapes: dict[str, Any]) -> ServiceSchema:
    return ServiceSchema(
        "not_a_package",
        {"metadata": {}, "baseErrorClass": "E", "shapes": shapes, "operations": {}},
    )


def _string() -> dict[str, Any]:
    return {"type": "string"}


def _botocore_pairs(
    shapes: dict[str, Any], params: dict[str, Any], ec2: bool
) -> list[tuple[str, Any]]:
    """What botocore's serializer builds for the same model and values."""
    from botocore.model import ServiceModel
    from botocore.serialize import create_serializer

    protocol = "ec2" if ec2 else "query"
    model = ServiceModel(
        {
            "metadata": {"protocol": protocol, "apiVersion": "2024-01-01"},
            "shapes": shapes,
            "operations": {
                "Op": {
                    "name": "Op",
                    "http": {"method": "POST", "requestUri": "/"},
                    "input": {"shape": "Input"},
                }
            },
        }
    )
    serializer = create_serializer(protocol, include_validation=False)
    body = serializer.serialize_to_request(params, model.operation_model("Op"))["body"]
    return [(k, str(v)) for k, v in body.items()][2:]  # after Action, Version


def test_maps_and_scalars() -> None:
    shapes: dict[str, Any] = {
        "Input": {
            "type": "structure",
            "members": {
                "Attrs": {"shape": "Attrs", "name": "attrs"},
                "Flat": {"shape": "Attrs", "name": "flat", "flattened": True},
                "When": {"shape": "When", "name": "when"},
                "Epoch": {
                    "shape": "When",
                    "name": "epoch",
                    "timestampFormat": "unixTimestamp",
                },
                "Ratio": {"shape": "Double", "name": "ratio"},
                "On": {"shape": "Bool", "name": "on"},
                "Data": {"shape": "Blob", "name": "data"},
            },
        },
        "Attrs": {
            "type": "map",
            "key": {"shape": "String", "locationName": "name"},
            "value": {"shape": "String"},
        },
        "String": _string(),
        "When": {"type": "timestamp"},
        "Double": {"type": "double"},
        "Bool": {"type": "boolean"},
        "Blob": {"type": "blob"},
    }
    shape = _schema(shapes).structure("Input")
    when = datetime.datetime(2024, 1, 2, 3, 4, 5, 600000, tzinfo=datetime.UTC)
    params = {
        "Attrs": {"a": "1", "b": "2"},
        "Flat": {"c": "3"},
        "When": when,
        "Epoch": when,
        "Ratio": math.inf,
        "On": False,
        "Data": b"\x00\xff",
    }
    for ec2, name in ((False, "name"), (True, "Name")):
        pairs: form.Pairs = []
        form.input_encoder(shape, ec2)(pairs, params)
        assert pairs == [
            (f"Attrs.entry.1.{name}", "a"),
            ("Attrs.entry.1.value", "1"),
            (f"Attrs.entry.2.{name}", "b"),
            ("Attrs.entry.2.value", "2"),
            (f"Flat.1.{name}", "c"),
            ("Flat.1.value", "3"),
            ("When", "2024-01-02T03:04:05.600000Z"),
            ("Epoch", "1704164645"),
            ("Ratio", "Infinity"),
            ("On", "false"),
            ("Data", "AP8="),
        ]
        assert pairs == _botocore_pairs(shapes, params, ec2)


def test_lists_query_and_ec2() -> None:
    shapes: dict[str, Any] = {
        "Input": {
            "type": "structure",
            "members": {
                "Names": {"shape": "Names", "name": "names"},
                "Empty": {"shape": "Names", "name": "empty"},
                "Ids": {
                    "shape": "Names",
                    "name": "ids",
                    "locationName": "instanceId",
                    "queryName": "InstanceId",
                },
            },
        },
        "Names": {
            "type": "list",
            "member": {"shape": "String", "locationName": "item"},
        },
        "String": _string(),
    }
    shape = _schema(shapes).structure("Input")
    params: dict[str, Any] = {"Names": ["a", "b"], "Empty": [], "Ids": ["i-1"]}
    query: form.Pairs = []
    form.input_encoder(shape)(query, params)
    assert query == [
        ("Names.item.1", "a"),
        ("Names.item.2", "b"),
        ("Empty", ""),
        ("instanceId.item.1", "i-1"),
    ]
    assert query == _botocore_pairs(shapes, params, ec2=False)
    ec2: form.Pairs = []
    form.input_encoder(shape, ec2=True)(ec2, params)
    assert ec2 == [("Names.1", "a"), ("Names.2", "b"), ("InstanceId.1", "i-1")]
    assert ec2 == _botocore_pairs(shapes, params, ec2=True)
