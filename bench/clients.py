"""The two clients of a per-call case: ours over a canned transport, and
botocore's with its sending replaced by a ``before-send`` handler returning
the same canned response."""

from __future__ import annotations

from typing import Any

KEYS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}
REGION = "us-east-1"


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Any:
        yield self._body


def botocore_client(
    service: str, body: bytes, content_type: str = "application/json"
) -> Any:
    import botocore.session
    from botocore.awsrequest import AWSResponse

    client = botocore.session.get_session().create_client(
        service, region_name=REGION, **KEYS
    )
    headers = {"x-amzn-requestid": "req-1", "content-type": content_type}

    def send(request: Any, **_: Any) -> Any:
        return AWSResponse(request.url, 200, headers, _Raw(body))

    client.meta.events.register("before-send", send)
    return client


def our_client(cls: Any, body: bytes, content_type: str = "application/json") -> Any:
    from typed_aws_runtime.transport import HttpResponse

    headers = {"x-amzn-requestid": "req-1", "content-type": content_type}

    class Canned:
        def send(self, request: Any) -> Any:
            return HttpResponse(200, headers, body)

    return cls(region_name=REGION, transport=Canned(), **KEYS)
