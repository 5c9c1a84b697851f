"""Our CBOR codec against botocore's, on random values of representative shapes.

A small rpc-v2-cbor model (scalars of every kind, enums, timestamps, blobs,
single and double floats with NaN and the infinities, nested and recursive
structures, a union, lists of lists, maps of structures) is generated into a
package. For random typed values of its structures:

* the bytes our encoder writes decode, with botocore's own ``RpcV2CBORParser``,
  to the value botocore's serializer was given (botocore's form: wire names,
  datetimes, bytes); and, when no timestamp has a fraction of a second (which
  botocore truncates, and we keep), they are botocore's bytes exactly;
* the bytes botocore's ``RpcV2CBORSerializer`` writes decode, with our codec,
  to the value botocore's own parser reads from them.

Timestamps are drawn between 1970 and 2038: botocore cannot encode an epoch
before 1970 (it writes a negative number as unsigned), and up to 2^31 seconds
a double holds epoch seconds to well under a microsecond.

A few examples by default; ``-m slow`` runs many more.
"""

from __future__ import annotations

import datetime
import functools
import math
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from typed_aws_runtime.codecs import cbor
from typed_aws_runtime.schema import ListShape, MapShape, Shape, StructureShape

from . import support

_S = {"type": "string"}
MODEL: dict[str, Any] = {
    "version": "2.0",
    "metadata": {
        "apiVersion": "2020-07-14",
        "protocol": "smithy-rpc-v2-cbor",
        "protocols": ["smithy-rpc-v2-cbor"],
        "targetPrefix": "PropertyService",
        "serviceId": "Cbor Property",
        "endpointPrefix": "cborproperty",
        "signingName": "cborproperty",
        "signatureVersion": "v4",
    },
    "operations": {
        "Echo": {
            "name": "Echo",
            "http": {"method": "POST", "requestUri": "/"},
            "input": {"shape": "Top"},
            "output": {"shape": "Top"},
        }
    },
    "shapes": {
        "Top": {
            "type": "structure",
            "members": {
                "name": {"shape": "String"},
                "count": {"shape": "Integer"},
                "big": {"shape": "Long"},
                "flag": {"shape": "Boolean"},
                "ratio": {"shape": "Float"},
                "value": {"shape": "Double"},
                "when": {"shape": "Timestamp"},
                "data": {"shape": "Blob"},
                "kind": {"shape": "Kind"},
                "items": {"shape": "ItemList"},
                "tags": {"shape": "TagMap"},
                "matrix": {"shape": "Matrix"},
                "lookup": {"shape": "ItemMap"},
                "times": {"shape": "TimestampList"},
                "blobs": {"shape": "BlobList"},
                "choice": {"shape": "Choice"},
                "nested": {"shape": "Top"},
            },
        },
        "Item": {
            "type": "structure",
            "required": ["id"],
            "members": {
                "id": {"shape": "String"},
                "at": {"shape": "Timestamp"},
                "scores": {"shape": "DoubleList"},
                "meta": {"shape": "FloatMap"},
            },
        },
        "Choice": {
            "type": "structure",
            "union": True,
            "members": {
                "text": {"shape": "String"},
                "number": {"shape": "Integer"},
                "item": {"shape": "Item"},
                "stamps": {"shape": "TimestampList"},
            },
        },
        "ItemList": {"type": "list", "member": {"shape": "Item"}},
        "ItemMap": {
            "type": "map",
            "key": {"shape": "String"},
            "value": {"shape": "Item"},
        },
        "TagMap": {
            "type": "map",
            "key": {"shape": "String"},
            "value": {"shape": "String"},
        },
        "FloatMap": {
            "type": "map",
            "key": {"shape": "String"},
            "value": {"shape": "Float"},
        },
        "DoubleList": {"type": "list", "member": {"shape": "Double"}},
        "Matrix": {"type": "list", "member": {"shape": "DoubleList"}},
        "TimestampList": {"type": "list", "member": {"shape": "Timestamp"}},
        "BlobList": {"type": "list", "member": {"shape": "Blob"}},
        "Kind": {"type": "string", "enum": ["small", "Large", "ALL_CAPS"]},
        "String": _S,
        "Integer": {"type": "integer"},
        "Long": {"type": "long"},
        "Boolean": {"type": "boolean"},
        "Float": {"type": "float"},
        "Double": {"type": "double"},
        "Timestamp": {"type": "timestamp"},
        "Blob": {"type": "blob"},
    },
}

_UTC = datetime.UTC
_LOW = datetime.datetime(1970, 1, 1)
_HIGH = datetime.datetime(2038, 1, 1)
_INT_RANGES = {"integer": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}


def _package() -> Any:
    return support.generated(MODEL, prefix="cbor_property")


def _shape(name: str) -> StructureShape:
    return support.wire_schema(_package()).structure(name)


# -- strategies: typed values of a shape -----------------------------------------


def _timestamps() -> st.SearchStrategy[datetime.datetime]:
    whole = st.datetimes(_LOW, _HIGH).map(lambda d: d.replace(microsecond=0))
    return st.one_of(whole, st.datetimes(_LOW, _HIGH)).map(
        lambda d: d.replace(tzinfo=_UTC)
    )


def values(shape: Shape, depth: int = 0) -> st.SearchStrategy[Any]:
    kind = shape.type
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        return _structures(shape, depth)
    if kind == "list":
        assert isinstance(shape, ListShape)
        return st.lists(values(shape.member.shape, depth + 1), max_size=3)
    if kind == "map":
        assert isinstance(shape, MapShape)
        return st.dictionaries(
            st.text(max_size=8), values(shape.value.shape, depth + 1), max_size=3
        )
    if kind == "string":
        if shape.enum_class is not None:
            return st.sampled_from(list(shape.enum_class))
        return st.text(max_size=30)
    if kind in _INT_RANGES:
        low, high = _INT_RANGES[kind]
        return st.one_of(st.integers(-30, 30), st.integers(low, high))
    if kind == "boolean":
        return st.booleans()
    if kind == "float":
        return st.floats(width=32)  # what a single-precision float holds
    if kind == "double":
        return st.floats()
    if kind == "timestamp":
        return _timestamps()
    if kind == "blob":
        return st.binary(max_size=40)
    raise AssertionError(kind)


def _structures(shape: StructureShape, depth: int) -> st.SearchStrategy[Any]:
    cls = shape.cls
    assert cls is not None
    members = list(shape.members.values())
    if depth > 2:  # no deeper recursion: only what is required
        members = [m for m in members if m.wire in shape.required]
    if shape.union:
        if not members:
            return st.nothing()
        return st.sampled_from(members).flatmap(
            lambda m: values(m.shape, depth + 1).map(lambda v: cls(**{m.python: v}))
        )

    def build(drawn: Mapping[str, Any]) -> Any:
        # In model order, as botocore is given them: the same bytes.
        return cls(
            **{
                m.python: drawn[m.python]
                for m in members
                if drawn[m.python] is not None
            }
        )

    fields = {
        m.python: (
            values(m.shape, depth + 1)
            if m.wire in shape.required
            else st.none() | values(m.shape, depth + 1)
        )
        for m in members
    }
    return st.fixed_dictionaries(fields).map(build)


# -- botocore's side ---------------------------------------------------------------


@functools.cache
def _botocore_shape(name: str) -> Any:
    from botocore.model import ServiceModel

    return ServiceModel(MODEL).shape_for(name)


def botocore_encode(name: str, value: Any) -> bytes:
    from botocore.serialize import RpcV2CBORSerializer

    out = bytearray()
    RpcV2CBORSerializer()._serialize_data_item(out, value, _botocore_shape(name))
    return bytes(out)


def botocore_decode(name: str, data: bytes) -> Any:
    from botocore.parsers import RpcV2CBORParser

    parser = RpcV2CBORParser()
    plain = parser.parse_data_item(parser.get_peekable_stream_from_bytes(data))
    return parser._parse_shape(_botocore_shape(name), plain)


def comparable(value: Any) -> Any:
    """NaN equal to itself; enum members as their strings."""
    if isinstance(value, dict):
        return {k: comparable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [comparable(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, str):
        return str.__str__(value)
    return value


def _fractional(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_fractional(v) for v in value.values())
    if isinstance(value, list):
        return any(_fractional(v) for v in value)
    return isinstance(value, datetime.datetime) and value.microsecond != 0


# -- the properties ----------------------------------------------------------------

_SETTINGS: dict[str, Any] = dict(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _check(name: str, value: Any) -> None:
    shape = _shape(name)
    plain = support.to_botocore(shape, value)

    # Ours -> botocore's decoder.
    ours = cbor.dumps(shape, value)
    assert comparable(botocore_decode(name, ours)) == comparable(plain)
    theirs = botocore_encode(name, plain)
    if not _fractional(plain):
        assert ours == theirs

    # botocore's encoder -> ours.
    typed = cbor.decode(shape, cbor.loads(theirs))
    assert comparable(support.to_botocore(shape, typed)) == comparable(
        botocore_decode(name, theirs)
    )


@pytest.fixture(scope="module", autouse=True)
def _generated() -> None:
    _package()


@pytest.mark.parametrize("name", ["Top", "Item"])
def test_round_trips_with_botocore(name: str) -> None:
    @settings(max_examples=25, **_SETTINGS)
    @given(st.data())
    def run(data: st.DataObject) -> None:
        _check(name, data.draw(values(_shape(name))))

    run()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["Top", "Item"])
def test_round_trips_with_botocore_slow(name: str) -> None:
    @settings(max_examples=1000, **_SETTINGS)
    @given(st.data())
    def run(data: st.DataObject) -> None:
        _check(name, data.draw(values(_shape(name))))

    run()
