"""Route 53 (rest-xml) end to end against moto: our client and boto3 agree."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest

from tests.e2e.support import (
    RecordingTransport,
    same_as_boto3,
    same_as_botocore_parse,
    same_error_as_boto3,
    same_pages_as_boto3,
    service_package,
)


@pytest.fixture(scope="module")
def route53() -> ModuleType:
    return service_package("route53")


@pytest.fixture
def transport() -> Iterator[RecordingTransport]:
    recording = RecordingTransport()
    yield recording
    recording.close()


@pytest.fixture
def ours(
    route53: ModuleType, client_options: dict[str, Any], transport: RecordingTransport
) -> Iterator[Any]:
    with route53.Route53Client(transport=transport, **client_options) as client:
        yield client


@pytest.fixture
def boto(boto3_client: Callable[[str], Any]) -> Any:
    return boto3_client("route53")


def _bare(zone_id: str) -> str:
    """``/hostedzone/Z123`` -> ``Z123``: what the URI takes (the client strips
    it too, as botocore's fix_route53_ids: test_zone_id_as_returned_is_accepted)."""
    return zone_id.rpartition("/")[2]


def _change(shapes: ModuleType, action: str, name: str, kind: str, *values: str) -> Any:
    return shapes.Change(
        action=action,
        resource_record_set=shapes.ResourceRecordSet(
            name=name,
            type=kind,
            ttl=300,
            resource_records=[shapes.ResourceRecord(value=v) for v in values],
        ),
    )


def test_zone_and_records_lifecycle(
    route53: ModuleType, ours: Any, boto: Any, transport: RecordingTransport
) -> None:
    shapes = importlib.import_module(f"{route53.__name__}.shapes")
    errors = importlib.import_module(f"{route53.__name__}.errors")
    enums = importlib.import_module(f"{route53.__name__}.enums")
    created = ours.create_hosted_zone(
        name="e2e.example.com",
        caller_reference="e2e-ref-0",
        hosted_zone_config=shapes.HostedZoneConfig(
            comment="e2e & <zone>", private_zone=False
        ),
    )
    same_as_botocore_parse(created, boto, "CreateHostedZone", transport.last_response)
    zone = _bare(created.hosted_zone.id)
    assert created.hosted_zone.name == "e2e.example.com."
    assert created.location.endswith(f"/hostedzone/{zone}")
    got = ours.get_hosted_zone(id=zone)
    same_as_boto3(got, boto, "GetHostedZone", boto.get_hosted_zone(Id=zone))
    assert got.hosted_zone.config.comment == "e2e & <zone>"

    changed = ours.change_resource_record_sets(
        hosted_zone_id=zone,
        change_batch=shapes.ChangeBatch(
            comment="seed",
            changes=[
                _change(
                    shapes, "CREATE", f"host{n}.e2e.example.com", "A", f"10.0.0.{n}"
                )
                for n in range(6)
            ]
            + [
                _change(
                    shapes,
                    "CREATE",
                    "e2e.example.com",
                    "TXT",
                    '"v=spf1 -all"',
                    '"a & <b>"',
                ),
                _change(
                    shapes,
                    enums.ChangeAction.CREATE,
                    "www.e2e.example.com",
                    enums.RRType.CNAME,
                    "host0.e2e.example.com",
                ),
            ],
        ),
    )
    same_as_botocore_parse(
        changed, boto, "ChangeResourceRecordSets", transport.last_response
    )
    assert changed.change_info.status in (
        enums.ChangeStatus.INSYNC,
        enums.ChangeStatus.PENDING,
    )

    # Three record sets a page (MaxItems is a string on the wire), ours
    # against boto3's.
    pages = same_pages_as_boto3(
        ours.get_paginator("list_resource_record_sets").paginate(
            hosted_zone_id=zone, page_size=3
        ),
        boto,
        "ListResourceRecordSets",
        boto.get_paginator("list_resource_record_sets").paginate(
            HostedZoneId=zone, PaginationConfig={"PageSize": 3}
        ),
    )
    records = [r for page in pages for r in page.resource_record_sets]
    assert len(pages) == 4 and len(records) == 10  # with the NS and SOA sets
    txt = next(r for r in records if r.type == "TXT")
    assert [v.value for v in txt.resource_records] == ['"v=spf1 -all"', '"a & <b>"']
    assert {r.type for r in records} == {"A", "CNAME", "NS", "SOA", "TXT"}

    for n in range(1, 5):
        ours.create_hosted_zone(
            name=f"e2e-{n}.example.com", caller_reference=f"e2e-ref-{n}"
        )
    zones = same_pages_as_boto3(
        ours.get_paginator("list_hosted_zones").paginate(page_size=2),
        boto,
        "ListHostedZones",
        boto.get_paginator("list_hosted_zones").paginate(
            PaginationConfig={"PageSize": 2}
        ),
    )
    assert [len(page.hosted_zones) for page in zones] == [2, 2, 1]

    # A zone that does not exist: the modelled NoSuchHostedZone.
    with pytest.raises(errors.NoSuchHostedZone) as caught:
        ours.get_hosted_zone(id="Z0000000000000E2E")
    response = transport.last_response
    with pytest.raises(boto.exceptions.NoSuchHostedZone) as boto_caught:
        boto.get_hosted_zone(Id="Z0000000000000E2E")
    error = caught.value
    assert isinstance(error, errors.Route53Error)
    same_error_as_boto3(error, response, boto, "GetHostedZone", boto_caught.value)
    assert error.code == "NoSuchHostedZone"
    assert error.status_code == 404

    ours.change_resource_record_sets(
        hosted_zone_id=zone,
        change_batch=shapes.ChangeBatch(
            changes=[
                _change(
                    shapes, "DELETE", f"host{n}.e2e.example.com", "A", f"10.0.0.{n}"
                )
                for n in range(6)
            ]
            + [
                _change(
                    shapes,
                    "DELETE",
                    "e2e.example.com",
                    "TXT",
                    '"v=spf1 -all"',
                    '"a & <b>"',
                ),
                _change(
                    shapes,
                    "DELETE",
                    "www.e2e.example.com",
                    "CNAME",
                    "host0.e2e.example.com",
                ),
            ]
        ),
    )
    deleted = ours.delete_hosted_zone(id=zone)
    same_as_botocore_parse(deleted, boto, "DeleteHostedZone", transport.last_response)
    with pytest.raises(errors.NoSuchHostedZone):
        ours.get_hosted_zone(id=zone)


def test_zone_id_as_returned_is_accepted(
    route53: ModuleType, ours: Any, boto: Any
) -> None:
    """The Id CreateHostedZone returns is taken as is: ``/hostedzone/`` is
    stripped (botocore's fix_route53_ids, the ``keep_last_segment`` rule)."""
    zone_id = ours.create_hosted_zone(
        name="e2e.example.com", caller_reference="e2e-ref"
    ).hosted_zone.id
    assert zone_id.startswith("/hostedzone/")
    same_as_boto3(
        ours.get_hosted_zone(id=zone_id),
        boto,
        "GetHostedZone",
        boto.get_hosted_zone(Id=zone_id),
    )
