"""``make bench``: per-call time and cold start, as ratios against botocore.

Per call: validate, serialize, sign, "send" over an in-memory transport, parse.
Ours uses ``InMemoryTransport``; botocore's client has its sending replaced by
a ``before-send`` handler returning the same canned response. The
asynchronous client against aiobotocore: ``bench/aio.py``. Cold start: a
fresh interpreter importing the package and constructing the first client,
against ``import boto3; boto3.client(...)``. Every figure is a median.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# botocore as most installs have it: its pure-Python signers, not awscrt's
# (the dev venv has awscrt for the SigV4a tests). Before botocore is imported.
sys.modules.setdefault("awscrt", None)  # type: ignore[arg-type]

from bench.clients import botocore_client, our_client  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _time_per_call(call: Callable[[], Any], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        call()
    return (time.perf_counter() - start) / calls


def _paired(
    ours: Callable[[], Any], theirs: Callable[[], Any], calls: int, repeats: int
) -> tuple[float, float, float]:
    """Median seconds per call of each, and the median of the paired ratios.

    Repeats alternate between the two clients, so a burst of machine noise
    hits both sides of a pair alike.
    """
    ours()
    theirs()  # first calls load schemas, endpoints, credentials
    mine, botocore, ratios = [], [], []
    for _ in range(repeats):
        a = _time_per_call(ours, calls)
        b = _time_per_call(theirs, calls)
        mine.append(a)
        botocore.append(b)
        ratios.append(b / a)
    return (
        statistics.median(mine),
        statistics.median(botocore),
        statistics.median(ratios),
    )


Case = tuple[str, str, str, Callable[[], Any], Callable[[], Any]]


def _cases() -> list[Case]:
    from generated.emr_serverless import EMRServerlessClient
    from generated.iot import IoTClient

    emr_body = json.dumps(
        {"applicationId": "app", "jobRunId": "run", "arn": "arn:aws:emr:1:run"}
    ).encode()
    ours_emr = our_client(EMRServerlessClient, emr_body)
    theirs_emr = botocore_client("emr-serverless", emr_body)
    iot_body = json.dumps(
        {"jobArn": "arn:aws:iot:1:job/j", "jobId": "j", "description": "d"}
    ).encode()
    ours_iot = our_client(IoTClient, iot_body)
    theirs_iot = botocore_client("iot", iot_body)
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    return (
        _rest_json_cases(ours_emr, theirs_emr, ours_iot, theirs_iot, start)
        + _json_cases()
        + _query_cases()
        + _rest_xml_cases()
    )


def _rest_json_cases(
    ours_emr: Any, theirs_emr: Any, ours_iot: Any, theirs_iot: Any, start: Any
) -> list[Case]:
    from generated.emr_serverless import shapes as es
    from generated.iot import shapes as io

    return [
        (
            "rest-json",
            "mid",
            "emr-serverless StartJobRun",
            lambda: ours_emr.start_job_run(
                application_id="app",
                execution_role_arn="arn:aws:iam::1:role/r",
                execution_timeout_minutes=60,
                name="nightly",
                tags={"team": "data"},
                job_driver=es.JobDriver(
                    spark_submit=es.SparkSubmit(
                        entry_point="s3://b/main.py", entry_point_arguments=["1", "2"]
                    )
                ),
            ),
            lambda: theirs_emr.start_job_run(
                applicationId="app",
                executionRoleArn="arn:aws:iam::1:role/r",
                executionTimeoutMinutes=60,
                name="nightly",
                tags={"team": "data"},
                jobDriver={
                    "sparkSubmit": {
                        "entryPoint": "s3://b/main.py",
                        "entryPointArguments": ["1", "2"],
                    }
                },
            ),
        ),
        (
            "rest-json",
            "small",
            "iot CreateJob",
            lambda: ours_iot.create_job(
                job_id="job-1",
                targets=["arn:aws:iot:us-east-1:1:thing/t"],
                document='{"op": "reboot"}',
                tags=[io.Tag(key="k", value="v")],
                timeout_config=io.TimeoutConfig(in_progress_timeout_in_minutes=10),
                scheduling_config=io.SchedulingConfig(start_time=start.isoformat()),
            ),
            lambda: theirs_iot.create_job(
                jobId="job-1",
                targets=["arn:aws:iot:us-east-1:1:thing/t"],
                document='{"op": "reboot"}',
                tags=[{"Key": "k", "Value": "v"}],
                timeoutConfig={"inProgressTimeoutInMinutes": 10},
                schedulingConfig={"startTime": start.isoformat()},
            ),
        ),
    ]


def _json_cases() -> list[Case]:
    """awsJson 1.0: dynamodb GetItem (small) and Query (25 items)."""
    from generated.dynamodb import DynamoDBClient
    from generated.dynamodb import shapes as ddb

    content_type = "application/x-amz-json-1.0"
    item = {
        "pk": {"S": "user#1"},
        "sk": {"S": "order#0001"},
        "total": {"N": "12.50"},
        "tags": {"SS": ["a", "b"]},
        "paid": {"BOOL": True},
    }
    get_body = json.dumps({"Item": item}).encode()
    items = [
        {**item, "sk": {"S": f"order#{n:04d}"}, "total": {"N": str(n)}}
        for n in range(25)
    ]
    query_body = json.dumps({"Items": items, "Count": 25, "ScannedCount": 25}).encode()
    ours_get = our_client(DynamoDBClient, get_body, content_type)
    theirs_get = botocore_client("dynamodb", get_body, content_type)
    ours_query = our_client(DynamoDBClient, query_body, content_type)
    theirs_query = botocore_client("dynamodb", query_body, content_type)
    key = {"pk": ddb.AttributeValue(s="user#1"), "sk": ddb.AttributeValue(s="order#1")}
    boto_key = {"pk": {"S": "user#1"}, "sk": {"S": "order#1"}}
    values = {":pk": ddb.AttributeValue(s="user#1")}
    return [
        (
            "json",
            "small",
            "dynamodb GetItem",
            lambda: ours_get.get_item(
                table_name="orders", key=key, consistent_read=True
            ),
            lambda: theirs_get.get_item(
                TableName="orders", Key=boto_key, ConsistentRead=True
            ),
        ),
        (
            "json",
            "mid",
            "dynamodb Query (25 items)",
            lambda: ours_query.query(
                table_name="orders",
                key_condition_expression="pk = :pk",
                expression_attribute_values=values,
                limit=25,
            ),
            lambda: theirs_query.query(
                TableName="orders",
                KeyConditionExpression="pk = :pk",
                ExpressionAttributeValues={":pk": {"S": "user#1"}},
                Limit=25,
            ),
        ),
    ]


def _query_cases() -> list[Case]:
    """query: sts AssumeRole with policy ARNs and tags."""
    from generated.sts import STSClient
    from generated.sts import shapes as sts

    body = (
        b'<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
        b"<AssumeRoleResult><SourceIdentity>dev</SourceIdentity><AssumedRoleUser>"
        b"<Arn>arn:aws:sts::123456789012:assumed-role/demo/session</Arn>"
        b"<AssumedRoleId>ARO123EXAMPLE123:session</AssumedRoleId></AssumedRoleUser>"
        b"<Credentials><AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>"
        b"<SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>"
        b"<SessionToken>AQoDYXdzEPT//////////wEXAMPLEtc764</SessionToken>"
        b"<Expiration>2026-07-15T23:28:33.359Z</Expiration></Credentials>"
        b"<PackedPolicySize>6</PackedPolicySize></AssumeRoleResult>"
        b"<ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7"
        b"</RequestId></ResponseMetadata></AssumeRoleResponse>"
    )
    content_type = "text/xml"
    ours = our_client(STSClient, body, content_type)
    theirs = botocore_client("sts", body, content_type)
    arns = [f"arn:aws:iam::123456789012:policy/p{n}" for n in range(3)]
    identity = (
        b'<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
        b"<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/u</Arn>"
        b"<UserId>AIDA</UserId><Account>123456789012</Account>"
        b"</GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId>"
        b"</ResponseMetadata></GetCallerIdentityResponse>"
    )
    small = our_client(STSClient, identity, content_type)
    theirs_small = botocore_client("sts", identity, content_type)
    return [
        (
            "query",
            "mid",
            "sts AssumeRole",
            lambda: ours.assume_role(
                role_arn="arn:aws:iam::123456789012:role/demo",
                role_session_name="session",
                duration_seconds=3600,
                policy_arns=[sts.PolicyDescriptorType(arn=a) for a in arns],
                tags=[sts.Tag(key="team", value="data")],
                source_identity="dev",
            ),
            lambda: theirs.assume_role(
                RoleArn="arn:aws:iam::123456789012:role/demo",
                RoleSessionName="session",
                DurationSeconds=3600,
                PolicyArns=[{"arn": a} for a in arns],
                Tags=[{"Key": "team", "Value": "data"}],
                SourceIdentity="dev",
            ),
        ),
        (
            "query",
            "small",
            "sts GetCallerIdentity",
            lambda: small.get_caller_identity(),
            lambda: theirs_small.get_caller_identity(),
        ),
    ]


def _rest_xml_cases() -> list[Case]:
    """rest-xml: route53 ListResourceRecordSets, 100 record sets."""
    from generated.route53 import Route53Client

    records = "".join(
        f"<ResourceRecordSet><Name>host{n}.example.com.</Name><Type>A</Type>"
        f"<TTL>300</TTL><ResourceRecords><ResourceRecord><Value>192.0.2.{n}"
        "</Value></ResourceRecord></ResourceRecords></ResourceRecordSet>"
        for n in range(100)
    )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<ListResourceRecordSetsResponse xmlns="https://route53.amazonaws.com/'
        'doc/2013-04-01/"><ResourceRecordSets>'
        f"{records}</ResourceRecordSets><IsTruncated>true</IsTruncated>"
        "<NextRecordName>host100.example.com.</NextRecordName>"
        "<NextRecordType>A</NextRecordType><MaxItems>100</MaxItems>"
        "</ListResourceRecordSetsResponse>"
    ).encode()
    content_type = "text/xml"
    ours = our_client(Route53Client, body, content_type)
    theirs = botocore_client("route53", body, content_type)
    return [
        (
            "rest-xml",
            "mid",
            "route53 ListResourceRecordSets (100)",
            lambda: ours.list_resource_record_sets(
                hosted_zone_id="Z1D633PJN98FT9", max_items="100"
            ),
            lambda: theirs.list_resource_record_sets(
                HostedZoneId="Z1D633PJN98FT9", MaxItems="100"
            ),
        )
    ]


def per_call(calls: int, repeats: int, only: str | None = None) -> list[dict[str, Any]]:
    from bench import matrix

    rows = []
    everything = [(*case, None) for case in _cases()] + [
        (*case[:5], case[5]) for case in matrix.cases()
    ]
    for protocol, kind, name, ours, theirs, check in everything:
        if only and only not in f"{protocol} {kind} {name}":
            continue
        if check is not None and not check(ours(), theirs()):
            raise AssertionError(f"{name}: the two clients read different results")
        # Large cases take longer per call: fewer calls, same repeats.
        n = calls if kind in ("small", "mid") else max(calls // 10, 5)
        mine, botocore, ratio = _paired(ours, theirs, n, repeats)
        rows.append(
            {
                "protocol": protocol,
                "kind": kind,
                "case": name,
                "ours_us": mine * 1e6,
                "botocore_us": botocore * 1e6,
                "ratio": ratio,
            }
        )
    return rows


_OURS = (
    "import time; t = time.perf_counter(); import generated.{pkg} as p; "
    "p.{cls}(region_name='us-east-1', aws_access_key_id='a', "
    "aws_secret_access_key='b'); "
    "print(time.perf_counter() - t)"
)
_BOTO3 = (
    # boto3 without its optional crt extra (see bench.first_call.WITHOUT_CRT)
    "import sys; sys.modules['awscrt'] = None; "
    "import time; t = time.perf_counter(); import boto3; "
    "boto3.client('{svc}', region_name='us-east-1', aws_access_key_id='a', "
    "aws_secret_access_key='b'); print(time.perf_counter() - t)"
)


def _fresh(code: str) -> tuple[float, float]:
    """(in-process import+construct seconds, whole-process wall seconds)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return float(out), time.perf_counter() - start


def cold_start(runs: int) -> list[dict[str, Any]]:
    import compileall

    # Like an installed package (and like botocore in site-packages): bytecode exists.
    compileall.compile_dir(str(ROOT / "generated"), quiet=1)
    compileall.compile_dir(str(ROOT / "codegen"), quiet=1)
    rows = []
    for svc, pkg, cls in (
        ("emr-serverless", "emr_serverless", "EMRServerlessClient"),
        ("iot", "iot", "IoTClient"),
    ):
        ours = [_fresh(_OURS.format(pkg=pkg, cls=cls)) for _ in range(runs)]
        boto3 = [_fresh(_BOTO3.format(svc=svc)) for _ in range(runs)]
        mine_in = statistics.median(o[0] for o in ours)
        theirs_in = statistics.median(b[0] for b in boto3)
        mine_wall = statistics.median(o[1] for o in ours)
        theirs_wall = statistics.median(b[1] for b in boto3)
        rows.append(
            {
                "case": f"{svc} import + first client",
                "ours_ms": mine_in * 1e3,
                "boto3_ms": theirs_in * 1e3,
                "ratio": theirs_in / mine_in,
                "ours_process_ms": mine_wall * 1e3,
                "boto3_process_ms": theirs_wall * 1e3,
                "process_ratio": theirs_wall / mine_wall,
            }
        )
    return rows


# The five reference services of the spec's generation target.
REFERENCE = ("emr-serverless", "emr-containers", "iot", "location", "omics")


def _generate(models: Path, out: Path, cache: Path, *services: str) -> float:
    env = {**os.environ, "CODEGEN_CACHE": str(cache)}
    command = [sys.executable, "-m", "codegen", "generate", "--models-dir"]
    start = time.perf_counter()
    subprocess.run(
        [*command, str(models), "--output", str(out), *services],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def generation(runs: int) -> list[dict[str, Any]]:
    """Wall time of generating the five reference services: from nothing,
    with nothing changed, after one operation's documentation changed."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        models = Path(tmp) / "models"
        subprocess.run(["cp", "-r", str(ROOT / "models"), str(models)], check=True)
        for label, prepare, target in (
            ("from nothing (empty output, empty cache)", "fresh", 5.0),
            ("nothing changed", "same", 1.0),
            ("one operation's documentation changed", "doc", None),
        ):
            samples = []
            for i in range(runs):
                fresh = prepare == "fresh"
                cache = Path(tmp) / (f"cache-fresh-{i}" if fresh else "cache")
                out = Path(tmp) / (f"out-{i}" if fresh else "out")
                if prepare == "doc":
                    path = models / "iot" / "service-2.json"
                    model = json.loads(path.read_text())
                    model["operations"]["CreateJob"][
                        "documentation"
                    ] = f"<p>Edit {i}.</p>"
                    path.write_text(json.dumps(model, indent=2))
                samples.append(_generate(models, out, cache, *REFERENCE))
            rows.append(
                {
                    "case": label,
                    "median_s": statistics.median(samples),
                    "target_s": target,
                }
            )
    return rows


def every_service(jobs: int) -> dict[str, Any]:
    """Every service of the installed botocore, from nothing, with ``jobs``
    workers: wall time and the largest process's peak RSS. Services with
    event streams are refused by the generator until they land: skipped."""
    import resource

    import botocore.session

    from codegen.update import copy_models

    services = botocore.session.get_session().get_available_services()
    with tempfile.TemporaryDirectory() as tmp:
        models = Path(tmp) / "models"
        for _ in copy_models(services, models):
            pass
        skipped = [
            name
            for name in services
            if '"eventstream": true' in (models / name / "service-2.json").read_text()
        ]
        chosen = [name for name in services if name not in skipped]
        env = {**os.environ, "CODEGEN_CACHE": str(Path(tmp) / "cache")}
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "codegen",
                "generate",
                "--models-dir",
                str(models),
                "--output",
                str(Path(tmp) / "out"),
                "--jobs",
                str(jobs),
                *chosen,
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "generated": len(chosen),
        "skipped": len(skipped),
        "wall_s": wall,
        "peak_mib": peak,
    }


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--cold-runs", type=int, default=7)
    parser.add_argument("--first-call-runs", type=int, default=9)
    parser.add_argument("--generation-runs", type=int, default=3)
    parser.add_argument("--only", help="per-call cases whose label holds this")
    parser.add_argument("--skip-per-call", action="store_true")
    parser.add_argument("--skip-cold", action="store_true")
    parser.add_argument("--skip-generation", action="store_true")
    parser.add_argument("--skip-async", action="store_true")
    parser.add_argument("--concurrent-calls", type=int, default=1000)
    parser.add_argument(
        "--every-service",
        action="store_true",
        help="only generate every botocore service (make bench-generate)",
    )
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    failures = 0
    if args.every_service:
        row = every_service(args.jobs)
        ok = row["wall_s"] < 180 and row["peak_mib"] < 1024
        failures += not ok
        print(
            f"generation, every botocore service from nothing ({args.jobs} jobs): "
            f"{row['generated']} generated, {row['skipped']} skipped (event "
            f"streams), {row['wall_s']:.0f} s, largest process peak "
            f"{row['peak_mib']:.0f} MiB   target < 180 s and < 1024 MiB   "
            f"{_verdict(ok)}"
        )
        sys.exit(1 if failures else 0)
    if not args.skip_per_call:
        print(
            f"per call (medians of {args.repeats} alternating repeats of "
            f"{args.calls} calls, a tenth as many for large cases; ratio = median "
            "of paired ratios; target 5x):"
        )
        for row in per_call(args.calls, args.repeats, args.only):
            ok = row["ratio"] >= 5
            failures += not ok
            print(
                f"  {row['protocol']:<9} {row['kind']:<22.22} {row['case']:<50.50} "
                f"ours {row['ours_us']:8.1f} us  botocore {row['botocore_us']:9.1f} "
                f"us  {row['ratio']:5.1f}x  {_verdict(ok)}"
            )
        from bench.matrix import NOT_MEASURED

        for protocol, kind, reason in NOT_MEASURED:
            print(f"  {protocol:<9} {kind:<22} not measured: {reason}")
    if not args.skip_async:
        from bench import aio

        aio.report(args.calls, args.repeats, args.concurrent_calls)
    if not args.skip_cold:
        from bench.first_call import first_call

        result = first_call(args.first_call_runs)
        print(
            f"time to first response (fresh process: import, construct, one call "
            f"over the default transport to a local HTTPS server, exit; median of "
            f"{args.first_call_runs}; bare interpreter start-up "
            f"{result['bare_ms']:.0f} ms, {result['bare_rss_mib']:.1f} MiB):"
        )
        for row in result["rows"]:
            speed = row["boto3_ms"] / row["ours_ms"]
            memory = row["ours_rss_mib"] / row["boto3_rss_mib"]
            ok_speed, ok_memory = speed >= 5, memory <= 0.5
            failures += (not ok_speed) + (not ok_memory)
            print(
                f"  {row['case']:<32} ours {row['ours_ms']:6.1f} ms  boto3 "
                f"{row['boto3_ms']:6.1f} ms  {speed:4.1f}x (target 5x) "
                f"{_verdict(ok_speed)}   peak RSS ours {row['ours_rss_mib']:5.1f} "
                f"MiB  boto3 {row['boto3_rss_mib']:5.1f} MiB  {memory:4.2f} of "
                f"boto3's (target 0.5) {_verdict(ok_memory)}"
            )
        print(f"import + first client, in-process (median of {args.cold_runs}):")
        for row in cold_start(args.cold_runs):
            print(
                f"  {row['case']:<36} ours {row['ours_ms']:6.1f} ms   boto3 "
                f"{row['boto3_ms']:6.1f} ms   ratio {row['ratio']:5.1f}x"
            )
    if not args.skip_generation:
        print(
            f"generation, the five reference services (median of "
            f"{args.generation_runs}; every service: make bench-generate):"
        )
        for row in generation(args.generation_runs):
            target = row["target_s"]
            verdict = ""
            if target is not None:
                ok = row["median_s"] < target
                failures += not ok
                verdict = f"target < {target:.0f} s  {_verdict(ok)}"
            print(f"  {row['case']:<42} {row['median_s']:6.2f} s   {verdict}")
    print(f"{failures} target(s) missed" if failures else "every target met")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
