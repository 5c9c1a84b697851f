"""The per-call matrix of issue 15: for each of rest-json, json, query and
rest-xml, a small and a mid call, a large request (a 1,000-entry map, a
1,000-element list), a large response (1,000 items) and a response heavy in
timestamps (ISO 8601 where the protocol sends it; json's format is epoch
seconds). Query's large cases use iam and sns, generated into a temporary
directory at bench time (not reference services); a protocol whose services
take no map in any input says so instead of a figure.

Each case is (protocol, kind, name, ours, theirs, check): ``check`` runs once
on both results and must hold (same count of items, same first value).
"""

from __future__ import annotations

import datetime
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.clients import botocore_client, our_client

N = 1000
Case = tuple[
    str, str, str, Callable[[], Any], Callable[[], Any], Callable[[Any, Any], bool]
]
_JSON = "application/json"
_DDB = "application/x-amz-json-1.0"
_XML = "text/xml"
_T0 = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def _iso(n: int) -> str:
    return (_T0 + datetime.timedelta(seconds=n * 37, milliseconds=n)).strftime(
        "%Y-%m-%dT%H:%M:%S.%f"
    )[:-3] + "Z"


def _pair(cls: Any, service: str, body: bytes, content_type: str) -> tuple[Any, Any]:
    return our_client(cls, body, content_type), botocore_client(
        service, body, content_type
    )


def rest_json() -> list[Case]:
    from generated.emr_containers import EMRContainersClient
    from generated.emr_serverless import EMRServerlessClient
    from generated.iot import IoTClient
    from generated.iot import shapes as io

    ours_es, theirs_es = _pair(
        EMRServerlessClient,
        "emr-serverless",
        b'{"applicationId": "app", "jobRunId": "run", "arn": "arn:aws:emr:1:run"}',
        _JSON,
    )
    tags = {f"key-{n:04d}": f"value-{n}" for n in range(N)}
    ours_tg, theirs_tg = _pair(
        IoTClient,
        "iot",
        b'{"thingGroupName": "g", "thingGroupArn": "arn:g", "thingGroupId": "id"}',
        _JSON,
    )
    tag_list = [io.Tag(key=f"key-{n}", value=f"value-{n}") for n in range(N)]
    boto_tags = [{"Key": f"key-{n}", "Value": f"value-{n}"} for n in range(N)]
    things = [
        {
            "thingName": f"thing-{n}",
            "thingTypeName": "sensor",
            "thingArn": f"arn:aws:iot:us-east-1:123456789012:thing/thing-{n}",
            "attributes": {"floor": str(n % 7)},
            "version": n,
        }
        for n in range(N)
    ]
    ours_things, theirs_things = _pair(
        IoTClient, "iot", json.dumps({"things": things}).encode(), _JSON
    )
    runs = [
        {
            "id": f"run-{n}",
            "name": f"job-{n}",
            "virtualClusterId": "vc",
            "arn": f"arn:aws:emr-containers:us-east-1:1:/vc/jobruns/{n}",
            "state": "COMPLETED",
            "createdAt": _iso(n),
            "finishedAt": _iso(n + 100),
        }
        for n in range(N)
    ]
    ours_runs, theirs_runs = _pair(
        EMRContainersClient,
        "emr-containers",
        json.dumps({"jobRuns": runs}).encode(),
        _JSON,
    )
    start_job = {
        "application_id": "app",
        "execution_role_arn": "arn:aws:iam::1:role/r",
        "name": "nightly",
    }
    boto_job = {
        "applicationId": "app",
        "executionRoleArn": "arn:aws:iam::1:role/r",
        "name": "nightly",
    }
    return [
        (
            "rest-json",
            "large request (map)",
            f"emr-serverless StartJobRun ({N} tags)",
            lambda: ours_es.start_job_run(**start_job, tags=tags),
            lambda: theirs_es.start_job_run(**boto_job, tags=tags),
            lambda a, b: a.job_run_id == b["jobRunId"],
        ),
        (
            "rest-json",
            "large request (list)",
            f"iot CreateThingGroup ({N} tags)",
            lambda: ours_tg.create_thing_group(thing_group_name="g", tags=tag_list),
            lambda: theirs_tg.create_thing_group(thingGroupName="g", tags=boto_tags),
            lambda a, b: a.thing_group_id == b["thingGroupId"],
        ),
        (
            "rest-json",
            "large response",
            f"iot ListThings ({N} things)",
            lambda: ours_things.list_things(),
            lambda: theirs_things.list_things(),
            lambda a, b: len(a.things) == len(b["things"]) == N
            and a.things[-1].attributes == b["things"][-1]["attributes"],
        ),
        (
            "rest-json",
            "timestamps (ISO 8601)",
            f"emr-containers ListJobRuns ({N} runs, {2 * N} timestamps)",
            lambda: ours_runs.list_job_runs(virtual_cluster_id="vc"),
            lambda: theirs_runs.list_job_runs(virtualClusterId="vc"),
            lambda a, b: len(a.job_runs) == N
            and a.job_runs[-1].finished_at == b["jobRuns"][-1]["finishedAt"],
        ),
    ]


def json_protocol() -> list[Case]:
    from generated.dynamodb import DynamoDBClient
    from generated.dynamodb import shapes as ddb

    ours_put, theirs_put = _pair(DynamoDBClient, "dynamodb", b"{}", _DDB)
    item = {f"attr{n:04d}": ddb.AttributeValue(s=f"value-{n}") for n in range(N)}
    boto_item = {f"attr{n:04d}": {"S": f"value-{n}"} for n in range(N)}
    item["pk"] = ddb.AttributeValue(s="user#1")
    boto_item["pk"] = {"S": "user#1"}
    ours_get, theirs_get = _pair(DynamoDBClient, "dynamodb", b'{"Responses": {}}', _DDB)
    keys = [{"pk": ddb.AttributeValue(s=f"user#{n}")} for n in range(N)]
    boto_keys = [{"pk": {"S": f"user#{n}"}} for n in range(N)]
    rows = [
        {
            "pk": {"S": f"user#{n}"},
            "sk": {"S": f"order#{n:04d}"},
            "total": {"N": str(n)},
            "paid": {"BOOL": True},
        }
        for n in range(N)
    ]
    ours_q, theirs_q = _pair(
        DynamoDBClient,
        "dynamodb",
        json.dumps({"Items": rows, "Count": N, "ScannedCount": N}).encode(),
        _DDB,
    )
    backups = [
        {
            "TableName": "orders",
            "TableId": "id",
            "TableArn": "arn:aws:dynamodb:us-east-1:1:table/orders",
            "BackupArn": f"arn:aws:dynamodb:us-east-1:1:table/orders/backup/{n}",
            "BackupName": f"b{n}",
            "BackupCreationDateTime": 1767225600 + n * 37.125,
            "BackupExpiryDateTime": 1777225600 + n * 37.125,
            "BackupStatus": "AVAILABLE",
            "BackupType": "USER",
            "BackupSizeBytes": n,
        }
        for n in range(N)
    ]
    ours_b, theirs_b = _pair(
        DynamoDBClient,
        "dynamodb",
        json.dumps({"BackupSummaries": backups}).encode(),
        _DDB,
    )
    return [
        (
            "json",
            "large request (map)",
            f"dynamodb PutItem ({N} attributes)",
            lambda: ours_put.put_item(table_name="orders", item=item),
            lambda: theirs_put.put_item(TableName="orders", Item=boto_item),
            lambda a, b: True,
        ),
        (
            "json",
            "large request (list)",
            f"dynamodb BatchGetItem ({N} keys)",
            lambda: ours_get.batch_get_item(
                request_items={"orders": ddb.KeysAndAttributes(keys=keys)}
            ),
            lambda: theirs_get.batch_get_item(
                RequestItems={"orders": {"Keys": boto_keys}}
            ),
            lambda a, b: a.responses == b["Responses"] == {},
        ),
        (
            "json",
            "large response",
            f"dynamodb Query ({N} items)",
            lambda: ours_q.query(
                table_name="orders", key_condition_expression="pk = :p"
            ),
            lambda: theirs_q.query(
                TableName="orders", KeyConditionExpression="pk = :p"
            ),
            lambda a, b: len(a.items) == len(b["Items"]) == N,
        ),
        (
            "json",
            "timestamps (epoch, json's format)",
            f"dynamodb ListBackups ({N} backups, {2 * N} timestamps)",
            lambda: ours_b.list_backups(),
            lambda: theirs_b.list_backups(),
            lambda a, b: a.backup_summaries[-1].backup_expiry_date_time
            == b["BackupSummaries"][-1]["BackupExpiryDateTime"],
        ),
    ]


_TEMP: list[Any] = []


def _generated_query_services() -> tuple[Any, Any]:
    """iam and sns (query), generated from botocore's models into a temporary
    directory for this run."""
    import botocore.session

    from codegen.api import generate_package

    tmp = tempfile.TemporaryDirectory()
    _TEMP.append(tmp)
    loader = botocore.session.get_session().get_component("data_loader")
    for name in ("iam", "sns"):
        generate_package(
            loader.load_service_model(name, "service-2"),
            Path(tmp.name),
            name=name,
            endpoint_rules=loader.load_service_model(name, "endpoint-rule-set-1"),
            format_code=False,
        )
    sys.path.insert(0, tmp.name)
    import importlib

    iam = importlib.import_module("iam.shapes"), importlib.import_module("iam")
    sns = importlib.import_module("sns.shapes"), importlib.import_module("sns")
    return iam, sns


def _query_xml(operation: str, result: str, namespace: str) -> bytes:
    return (
        f'<{operation}Response xmlns="{namespace}"><{operation}Result>{result}'
        f"</{operation}Result><ResponseMetadata><RequestId>r</RequestId>"
        f"</ResponseMetadata></{operation}Response>"
    ).encode()


def query() -> list[Case]:
    (iam_shapes, iam), (sns_shapes, sns) = _generated_query_services()
    iam_ns = "https://iam.amazonaws.com/doc/2010-05-08/"
    sns_ns = "http://sns.amazonaws.com/doc/2010-03-31/"
    ours_pub, theirs_pub = _pair(
        sns.SNSClient,
        "sns",
        _query_xml("Publish", "<MessageId>m</MessageId>", sns_ns),
        _XML,
    )
    attributes = {
        f"attr{n:04d}": sns_shapes.MessageAttributeValue(
            data_type="String", string_value=f"v{n}"
        )
        for n in range(N)
    }
    boto_attributes = {
        f"attr{n:04d}": {"DataType": "String", "StringValue": f"v{n}"} for n in range(N)
    }
    ours_role, theirs_role = _pair(
        iam.IAMClient,
        "iam",
        _query_xml(
            "CreateRole",
            "<Role><Path>/</Path><RoleName>r</RoleName><RoleId>AROA</RoleId>"
            "<Arn>arn:aws:iam::1:role/r</Arn>"
            "<CreateDate>2026-01-01T00:00:00Z</CreateDate></Role>",
            iam_ns,
        ),
        _XML,
    )
    tags = [iam_shapes.Tag(key=f"k{n}", value=f"v{n}") for n in range(N)]
    boto_tags = [{"Key": f"k{n}", "Value": f"v{n}"} for n in range(N)]
    subscriptions = "".join(
        f"<member><SubscriptionArn>arn:aws:sns:us-east-1:1:t:{n}</SubscriptionArn>"
        f"<Owner>123456789012</Owner><Protocol>sqs</Protocol>"
        f"<Endpoint>arn:aws:sqs:us-east-1:1:q{n}</Endpoint>"
        f"<TopicArn>arn:aws:sns:us-east-1:1:t</TopicArn></member>"
        for n in range(N)
    )
    ours_subs, theirs_subs = _pair(
        sns.SNSClient,
        "sns",
        _query_xml(
            "ListSubscriptions",
            f"<Subscriptions>{subscriptions}</Subscriptions>",
            sns_ns,
        ),
        _XML,
    )
    users = "".join(
        f"<member><Path>/</Path><UserName>u{n}</UserName><UserId>AIDA{n}</UserId>"
        f"<Arn>arn:aws:iam::1:user/u{n}</Arn><CreateDate>{_iso(n)}</CreateDate>"
        f"<PasswordLastUsed>{_iso(n + 500)}</PasswordLastUsed></member>"
        for n in range(N)
    )
    ours_users, theirs_users = _pair(
        iam.IAMClient,
        "iam",
        _query_xml(
            "ListUsers",
            f"<Users>{users}</Users><IsTruncated>false</IsTruncated>",
            iam_ns,
        ),
        _XML,
    )
    return [
        (
            "query",
            "large request (map)",
            f"sns Publish ({N} message attributes)",
            lambda: ours_pub.publish(
                topic_arn="arn:aws:sns:us-east-1:1:t",
                message="m",
                message_attributes=attributes,
            ),
            lambda: theirs_pub.publish(
                TopicArn="arn:aws:sns:us-east-1:1:t",
                Message="m",
                MessageAttributes=boto_attributes,
            ),
            lambda a, b: a.message_id == b["MessageId"],
        ),
        (
            "query",
            "large request (list)",
            f"iam CreateRole ({N} tags)",
            lambda: ours_role.create_role(
                role_name="r", assume_role_policy_document="{}", tags=tags
            ),
            lambda: theirs_role.create_role(
                RoleName="r", AssumeRolePolicyDocument="{}", Tags=boto_tags
            ),
            lambda a, b: a.role.role_id == b["Role"]["RoleId"],
        ),
        (
            "query",
            "large response",
            f"sns ListSubscriptions ({N} subscriptions)",
            lambda: ours_subs.list_subscriptions(),
            lambda: theirs_subs.list_subscriptions(),
            lambda a, b: len(a.subscriptions) == len(b["Subscriptions"]) == N,
        ),
        (
            "query",
            "timestamps (ISO 8601)",
            f"iam ListUsers ({N} users, {2 * N} timestamps)",
            lambda: ours_users.list_users(),
            lambda: theirs_users.list_users(),
            lambda a, b: len(a.users) == N
            and a.users[-1].password_last_used == b["Users"][-1]["PasswordLastUsed"],
        ),
    ]


def rest_xml() -> list[Case]:
    from generated.route53 import Route53Client
    from generated.route53 import shapes as r53

    ours_zone, theirs_zone = _pair(
        Route53Client,
        "route53",
        b'<?xml version="1.0" encoding="UTF-8"?><GetHostedZoneResponse '
        b'xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><HostedZone>'
        b"<Id>/hostedzone/Z1</Id><Name>example.com.</Name>"
        b"<CallerReference>ref</CallerReference><Config><PrivateZone>false"
        b"</PrivateZone></Config><ResourceRecordSetCount>2"
        b"</ResourceRecordSetCount></HostedZone><DelegationSet><NameServers>"
        b"<NameServer>ns-1.example.</NameServer><NameServer>ns-2.example."
        b"</NameServer></NameServers></DelegationSet></GetHostedZoneResponse>",
        _XML,
    )
    ns = "https://route53.amazonaws.com/doc/2013-04-01/"
    ours_change, theirs_change = _pair(
        Route53Client,
        "route53",
        (
            f'<ChangeResourceRecordSetsResponse xmlns="{ns}"><ChangeInfo><Id>/change/C1'
            "</Id><Status>PENDING</Status><SubmittedAt>2026-01-01T00:00:00.000Z"
            "</SubmittedAt></ChangeInfo></ChangeResourceRecordSetsResponse>"
        ).encode(),
        _XML,
    )
    changes = r53.ChangeBatch(
        changes=[
            r53.Change(
                action="UPSERT",
                resource_record_set=r53.ResourceRecordSet(
                    name=f"host{n}.example.com.",
                    type="A",
                    ttl=300,
                    resource_records=[r53.ResourceRecord(value=f"192.0.2.{n % 250}")],
                ),
            )
            for n in range(N)
        ]
    )
    boto_changes = {
        "Changes": [
            {
                "Action": "UPSERT",
                "ResourceRecordSet": {
                    "Name": f"host{n}.example.com.",
                    "Type": "A",
                    "TTL": 300,
                    "ResourceRecords": [{"Value": f"192.0.2.{n % 250}"}],
                },
            }
            for n in range(N)
        ]
    }
    records = "".join(
        f"<ResourceRecordSet><Name>host{n}.example.com.</Name><Type>A</Type>"
        f"<TTL>300</TTL><ResourceRecords><ResourceRecord><Value>192.0.2.{n % 250}"
        "</Value></ResourceRecord></ResourceRecords></ResourceRecordSet>"
        for n in range(N)
    )
    ours_sets, theirs_sets = _pair(
        Route53Client,
        "route53",
        (
            f'<ListResourceRecordSetsResponse xmlns="{ns}"><ResourceRecordSets>'
            f"{records}</ResourceRecordSets><IsTruncated>false</IsTruncated>"
            "<MaxItems>1000</MaxItems></ListResourceRecordSetsResponse>"
        ).encode(),
        _XML,
    )
    keys = "".join(
        f"<member><Name>ksk{n}</Name><KmsArn>arn:aws:kms:us-east-1:1:key/{n}</KmsArn>"
        f"<Flag>257</Flag><KeyTag>{n}</KeyTag><Status>ACTIVE</Status>"
        f"<CreatedDate>{_iso(n)}</CreatedDate>"
        f"<LastModifiedDate>{_iso(n + 500)}</LastModifiedDate></member>"
        for n in range(N)
    )
    ours_ksk, theirs_ksk = _pair(
        Route53Client,
        "route53",
        (
            f'<GetDNSSECResponse xmlns="{ns}"><Status><ServeSignature>SIGNING'
            f"</ServeSignature></Status><KeySigningKeys>{keys}</KeySigningKeys>"
            "</GetDNSSECResponse>"
        ).encode(),
        _XML,
    )
    return [
        (
            "rest-xml",
            "small",
            "route53 GetHostedZone",
            lambda: ours_zone.get_hosted_zone(id="Z1"),
            lambda: theirs_zone.get_hosted_zone(Id="Z1"),
            lambda a, b: a.hosted_zone.id == b["HostedZone"]["Id"],
        ),
        (
            "rest-xml",
            "large request (list)",
            f"route53 ChangeResourceRecordSets ({N} changes)",
            lambda: ours_change.change_resource_record_sets(
                hosted_zone_id="Z1", change_batch=changes
            ),
            lambda: theirs_change.change_resource_record_sets(
                HostedZoneId="Z1", ChangeBatch=boto_changes
            ),
            lambda a, b: a.change_info.id == b["ChangeInfo"]["Id"],
        ),
        (
            "rest-xml",
            "large response",
            f"route53 ListResourceRecordSets ({N} records)",
            lambda: ours_sets.list_resource_record_sets(hosted_zone_id="Z1"),
            lambda: theirs_sets.list_resource_record_sets(HostedZoneId="Z1"),
            lambda a, b: len(a.resource_record_sets)
            == len(b["ResourceRecordSets"])
            == N,
        ),
        (
            "rest-xml",
            "timestamps (ISO 8601)",
            f"route53 GetDNSSEC ({N} keys, {2 * N} timestamps)",
            lambda: ours_ksk.get_dnssec(hosted_zone_id="Z1"),
            lambda: theirs_ksk.get_dnssec(HostedZoneId="Z1"),
            lambda a, b: a.key_signing_keys[-1].last_modified_date
            == b["KeySigningKeys"][-1]["LastModifiedDate"],
        ),
    ]


def cases() -> list[Case]:
    return rest_json() + json_protocol() + query() + rest_xml()


# Inputs no service of a protocol can take here, said instead of a figure.
NOT_MEASURED = (
    ("rest-xml", "large request (map)", "route53 takes no map in any input"),
)
