"""ec2: the query protocol with ec2's form rules (``queryName``, capitalised
``locationName``, lists always flattened) and its responses (botocore's
``EC2Serializer`` and ``EC2QueryParser``).

The output is the root element's children (no result wrapper); an error is
``<Response><Errors><Error><Code>`` with ``<RequestID>`` beside ``Errors``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from typed_aws_runtime.codecs import xml as xml_codec
from typed_aws_runtime.protocols.query import Query

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element


class Ec2(Query):
    EC2 = True
    REQUEST_ID = "RequestID"

    @staticmethod
    def error_element(root: Element) -> Element:
        """``<Response><Errors><Error>`` (else the root's ``Error``, else the root)."""
        errors = xml_codec.children(root).get("Errors")
        if errors is not None:
            error = xml_codec.children(errors).get("Error")
            if error is not None:
                return error
        return Query.error_element(root)
