"""Which protocol a service speaks, decided as botocore decides it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# botocore.utils.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS.
PRIORITY = ("json", "rest-json", "rest-xml", "smithy-rpc-v2-cbor", "query", "ec2")
# The protocols the runtime has a class for (runtime/typed_aws_runtime/protocols).
SUPPORTED = frozenset(
    {"rest-json", "json", "rest-xml", "smithy-rpc-v2-cbor", "query", "ec2"}
)


def resolve(metadata: Mapping[str, Any]) -> str | None:
    """The protocol botocore would use: the first of its priority order that
    ``metadata.protocols`` lists, else ``metadata.protocol``; None when
    botocore would refuse the model."""
    listed = metadata.get("protocols")
    if isinstance(listed, list) and listed:
        return next((p for p in PRIORITY if p in listed), None)
    legacy = metadata.get("protocol")
    return legacy if isinstance(legacy, str) else None
