"""One protocol class per protocol botocore speaks, chosen by the schema.

Only the module of the protocol a client speaks is imported.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typed_aws_runtime.protocols.base import ClientProtocol
    from typed_aws_runtime.schema import ServiceSchema

# metadata.protocol (as the generator resolved it) -> (module, class).
PROTOCOLS: dict[str, tuple[str, str]] = {
    "rest-json": ("restjson", "RestJson"),
    "json": ("awsjson", "AwsJson"),
    "rest-xml": ("restxml", "RestXml"),
    "query": ("query", "Query"),
    "ec2": ("ec2", "Ec2"),
    "smithy-rpc-v2-cbor": ("rpcv2cbor", "RpcV2Cbor"),
}


def for_schema(schema: ServiceSchema) -> ClientProtocol:
    """The protocol object of a service, built once per client state."""
    name = schema.metadata.get("protocol", "")
    try:
        module_name, class_name = PROTOCOLS[name]
    except KeyError:
        raise ValueError(f"unsupported protocol {name!r}") from None
    module = importlib.import_module(f"{__name__}.{module_name}")
    protocol: ClientProtocol = getattr(module, class_name)(schema)
    return protocol
