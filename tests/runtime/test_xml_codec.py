"""The XML decoder on what the protocol suites leave out, against botocore's
``BaseXMLResponseParser`` where botocore has a rule."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from typed_aws_runtime.codecs import xml
from typed_aws_runtime.schema import ServiceSchema

SHAPES: dict[str, Any] = {
    "Output": {
        "type": "structure",
        "members": {
            "Grantee": {"shape": "Grantee", "name": "grantee"},
            "Tags": {"shape": "TagMap", "name": "tags"},
            "Items": {"shape": "ItemList", "name": "items"},
            "When": {"shape": "When", "name": "when"},
            "Size": {"shape": "Long", "name": "size"},
            "Ratio": {"shape": "Double", "name": "ratio"},
            "On": {"shape": "Bool", "name": "on"},
            "Data": {"shape": "Blob", "name": "data"},
            "Note": {"shape": "String", "name": "note"},
            "Header": {"shape": "String", "name": "header", "location": "header"},
        },
    },
    "Grantee": {
        "type": "structure",
        "members": {
            "Type": {
                "shape": "String",
                "name": "type",
                "locationName": "xsi:type",
                "xmlAttribute": True,
            },
            "ID": {"shape": "String", "name": "id"},
        },
    },
    "TagMap": {
        "type": "map",
        "key": {"shape": "String", "locationName": "Name"},
        "value": {"shape": "String", "locationName": "Value"},
    },
    # SimpleDB's shape: elements named by the list member's locationName.
    "ItemList": {
        "type": "list",
        "member": {"shape": "String", "locationName": "Item"},
        "flattened": True,
    },
    "String": {"type": "string"},
    "When": {"type": "timestamp"},
    "Long": {"type": "long"},
    "Double": {"type": "double"},
    "Bool": {"type": "boolean"},
    "Blob": {"type": "blob"},
}

BODY = b"""<?xml version="1.0" encoding="UTF-8"?>
<Result xmlns="https://example.com/doc/"
        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <Grantee xsi:type="CanonicalUser"><ID>abc</ID></Grantee>
  <Tags>
    <entry><Name>a</Name><Value>1</Value></entry>
    <entry><Name>b</Name><Value></Value></entry>
  </Tags>
  <Item>x</Item>
  <Item>y</Item>
  <When>2024-01-02T03:04:05.5Z</When>
  <Size>12345678901</Size>
  <Ratio>-Infinity</Ratio>
  <On>true</On>
  <Data>AP8=</Data>
  <Note/>
  <Note>second</Note>
  <Header>not read from the body</Header>
</Result>
"""


def _schema() -> ServiceSchema:
    return ServiceSchema(
        "not_a_package",
        {"metadata": {}, "baseErrorClass": "E", "shapes": SHAPES, "operations": {}},
    )


def _botocore(body: bytes) -> dict[str, Any]:
    from botocore.model import ShapeResolver
    from botocore.parsers import QueryParser

    shape = ShapeResolver(SHAPES).get_shape_by_name("Output")
    parsed: dict[str, Any] = QueryParser().parse(
        {"status_code": 200, "headers": {}, "body": body}, shape
    )
    parsed.pop("ResponseMetadata")
    return parsed


def test_decodes_as_botocore() -> None:
    shape = _schema().structure("Output")
    values = xml.decoder(shape)(xml.parse(BODY))
    assert values == {
        "grantee": {"type": "CanonicalUser", "id": "abc"},
        "tags": {"a": "1", "b": ""},
        "items": ["x", "y"],
        "when": datetime.datetime(2024, 1, 2, 3, 4, 5, 500000, tzinfo=datetime.UTC),
        "size": 12345678901,
        "ratio": float("-inf"),
        "on": True,
        "data": b"\x00\xff",
        "note": "",  # the first of a repeated element, empty: ""
    }
    expected = _botocore(BODY)
    expected.pop("Note")  # botocore has no rule for a repeated scalar
    wire = {
        "Grantee": {"Type": "CanonicalUser", "ID": "abc"},
        "Tags": values["tags"],
        "Items": values["items"],
        "When": values["when"],
        "Size": values["size"],
        "Ratio": values["ratio"],
        "On": values["on"],
        "Data": values["data"],
    }
    assert wire == expected


def test_members_decoder_is_unbuilt_and_skips_located_members() -> None:
    shape = _schema().structure("Output")
    members = xml.members_decoder(shape)(xml.parse(BODY))
    assert "header" not in members and members["size"] == 12345678901


def test_bad_documents() -> None:
    shape = _schema().structure("Output")
    decode = xml.decoder(shape)
    with pytest.raises(ValueError, match="invalid XML"):
        xml.parse(b"<Result><unclosed></Result>")
    with pytest.raises(ValueError, match="unknown tag"):
        decode(xml.parse(b"<R><Tags><entry><Nope>1</Nope></entry></Tags></R>"))
    with pytest.raises(ValueError):
        decode(xml.parse(b"<R><Size>big</Size></R>"))
    # An entry without a value is dropped, as a null in a JSON map is.
    assert decode(xml.parse(b"<R><Tags><entry><Name>k</Name></entry></Tags></R>")) == {
        "tags": {}
    }


def test_unknown_union_member() -> None:
    schema = ServiceSchema(
        "not_a_package",
        {
            "metadata": {},
            "baseErrorClass": "E",
            "operations": {},
            "shapes": {
                "U": {
                    "type": "structure",
                    "union": True,
                    "members": {"A": {"shape": "S", "name": "a"}},
                },
                "S": {"type": "string"},
            },
        },
    )
    decode = xml.decoder(schema.structure("U"))
    assert decode(xml.parse(b"<U><A>x</A></U>")) == {"a": "x"}
    assert decode(xml.parse(b"<U><New>x</New></U>")) == {
        "SDK_UNKNOWN_MEMBER": {"name": "New"}
    }


_NS_BODIES = [
    # The root's default namespace, its only attribute: dropped before parsing.
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Result xmlns="https://e.com/doc/">'
    b"<Size>1</Size><Item>x</Item><Item>y</Item>"
    b"<Tags><entry><Name>a</Name><Value>1</Value></entry></Tags></Result>",
    b'<Result xmlns="urn:a" ><Note/><Size>2</Size></Result>',
    b'<Result xmlns="urn:a"/>',
    # A child declaring another default namespace keeps it.
    b'<Result xmlns="urn:a"><Size xmlns="urn:b">3</Size><Note xmlns="">n</Note>'
    b"</Result>",
    # Not the only attribute, or a prefix: parsed as it is.
    b'<Result xmlns="urn:a" xmlns:p="urn:p"><p:Size>4</p:Size></Result>',
    b'<p:Result xmlns:p="urn:p"><p:Note>q</p:Note></p:Result>',
    b'<!DOCTYPE Result><Result xmlns="urn:a"><Size>5</Size></Result>',
]


@pytest.mark.parametrize("body", _NS_BODIES)
def test_namespaces_are_ignored_as_botocore(body: bytes) -> None:
    root = xml.parse(body)
    assert xml.local_name(root.tag) == "Result"
    values = xml.decoder(_schema().structure("Output"))(root)
    assert {key.capitalize(): value for key, value in values.items()} == _botocore(body)


@given(
    uri=st.one_of(
        st.text(st.characters(codec="utf-8", exclude_characters='"'), max_size=30),
        st.sampled_from(
            ["http://www.w3.org/XML/1998/namespace", "http://www.w3.org/2000/xmlns/"]
        ),
    ),
    prolog=st.sampled_from(["", '<?xml version="1.0"?>', '<?xml version="1.0"?>\n ']),
    before=st.sampled_from([" ", "\n\t", "\x0b"]),
    after=st.sampled_from(["", " ", "\r\n", "\x0c"]),
    size=st.integers(min_value=-(2**63), max_value=2**63 - 1),
)
def test_a_root_default_namespace_is_read_as_botocore(
    uri: str, prolog: str, before: str, after: str, size: int
) -> None:
    """The root's default namespace is dropped before parsing (a shortcut):
    what is refused and what is read stay botocore's."""
    from botocore.parsers import ResponseParserError

    body = (
        f'{prolog}<Result{before}xmlns="{uri}"{after}><Size>{size}</Size>'
        "<Item>x</Item><Note>n</Note></Result>"
    ).encode()
    try:
        expected = {key.lower(): value for key, value in _botocore(body).items()}
    except ResponseParserError:
        with pytest.raises(ValueError, match="invalid XML"):
            xml.parse(body)
        return
    values = xml.decoder(_schema().structure("Output"))(xml.parse(body))
    assert values == expected == {"size": size, "items": ["x"], "note": "n"}
