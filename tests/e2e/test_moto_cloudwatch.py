"""CloudWatch (awsJson 1.0 by botocore's protocol priority, query-compatible)
end to end against moto: our client and boto3 agree."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from generated.cloudwatch import CloudWatchClient, enums, errors, shapes
from tests.e2e.support import (
    RecordingTransport,
    same_as_boto3,
    same_error_as_boto3,
    same_pages_as_boto3,
)

NAMESPACE = "E2E/Shop"


@pytest.fixture
def transport() -> Iterator[RecordingTransport]:
    recording = RecordingTransport()
    yield recording
    recording.close()


@pytest.fixture
def ours(
    client_options: dict[str, Any], transport: RecordingTransport
) -> Iterator[CloudWatchClient]:
    with CloudWatchClient(transport=transport, **client_options) as client:
        yield client


@pytest.fixture
def boto(boto3_client: Callable[[str], Any]) -> Any:
    return boto3_client("cloudwatch")


def _alarm(ours: CloudWatchClient, n: int) -> None:
    ours.put_metric_alarm(
        alarm_name=f"e2e-latency-{n}",
        alarm_description=f"latency of shard {n}",
        namespace=NAMESPACE,
        metric_name="Latency",
        dimensions=[shapes.Dimension(name="Shard", value=str(n))],
        statistic=enums.Statistic.AVERAGE,
        period=60,
        evaluation_periods=2,
        threshold=250.5 + n,
        comparison_operator=enums.ComparisonOperator.GREATERTHANTHRESHOLD,
        unit="Milliseconds",
        treat_missing_data="notBreaching",
        tags=[shapes.Tag(key="team", value="e2e")],
    )


def test_metrics_and_alarms_lifecycle(
    ours: CloudWatchClient, boto: Any, transport: RecordingTransport
) -> None:
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    ours.put_metric_data(
        namespace=NAMESPACE,
        metric_data=[
            shapes.MetricDatum(
                metric_name="Latency",
                dimensions=[shapes.Dimension(name="Shard", value=str(n % 3))],
                timestamp=now - datetime.timedelta(seconds=n),
                value=100.0 + n * 12.5,
                unit=enums.StandardUnit.MILLISECONDS,
            )
            for n in range(9)
        ]
        + [
            shapes.MetricDatum(
                metric_name="Orders",
                timestamp=now,
                statistic_values=shapes.StatisticSet(
                    sample_count=4, sum=10.0, minimum=1.0, maximum=4.0
                ),
                unit="Count",
            )
        ],
    )
    # moto pages ListMetrics at 500 metrics (ListMetrics takes no page size).
    ours.put_metric_data(
        namespace=NAMESPACE,
        metric_data=[
            shapes.MetricDatum(
                metric_name="Hits",
                dimensions=[shapes.Dimension(name="Page", value=f"p{n:03}")],
                value=1.0,
            )
            for n in range(500)
        ],
    )

    pages = same_pages_as_boto3(
        ours.get_paginator("list_metrics").paginate(namespace=NAMESPACE),
        boto,
        "ListMetrics",
        boto.get_paginator("list_metrics").paginate(Namespace=NAMESPACE),
        opaque=["NextToken"],  # moto's tokens are random UUIDs
    )
    assert [len(page.metrics or []) for page in pages] == [500, 4]
    assert pages[0].next_token and pages[1].next_token is None
    metrics = [
        metric
        for page in pages
        for metric in page.metrics or []
        if metric.metric_name != "Hits"
    ]
    assert sorted(
        (m.metric_name or "", tuple((d.name, d.value) for d in m.dimensions or []))
        for m in metrics
    ) == [
        ("Latency", (("Shard", "0"),)),
        ("Latency", (("Shard", "1"),)),
        ("Latency", (("Shard", "2"),)),
        ("Orders", ()),
    ]

    statistics = ours.get_metric_statistics(
        namespace=NAMESPACE,
        metric_name="Latency",
        dimensions=[shapes.Dimension(name="Shard", value="0")],
        start_time=now - datetime.timedelta(minutes=5),
        end_time=now + datetime.timedelta(minutes=5),
        period=600,
        statistics=[enums.Statistic.AVERAGE, "Maximum", "SampleCount"],
    )
    same_as_boto3(
        statistics,
        boto,
        "GetMetricStatistics",
        boto.get_metric_statistics(
            Namespace=NAMESPACE,
            MetricName="Latency",
            Dimensions=[{"Name": "Shard", "Value": "0"}],
            StartTime=now - datetime.timedelta(minutes=5),
            EndTime=now + datetime.timedelta(minutes=5),
            Period=600,
            Statistics=["Average", "Maximum", "SampleCount"],
        ),
    )
    points = statistics.datapoints or []
    assert [(p.sample_count, p.maximum) for p in points] == [(3.0, 175.0)]
    assert points[0].timestamp is not None and points[0].timestamp.tzinfo

    for n in range(5):
        _alarm(ours, n)
    ours.set_alarm_state(
        alarm_name="e2e-latency-1",
        state_value=enums.StateValue.ALARM,
        state_reason="e2e says so",
    )

    # Our paginator (two result keys) against boto3's; moto ignores
    # MaxRecords, so everything comes in one page.
    alarm_pages = same_pages_as_boto3(
        ours.get_paginator("describe_alarms").paginate(
            alarm_name_prefix="e2e-latency-"
        ),
        boto,
        "DescribeAlarms",
        boto.get_paginator("describe_alarms").paginate(AlarmNamePrefix="e2e-latency-"),
    )
    assert [len(page.metric_alarms or []) for page in alarm_pages] == [5]
    alarms = [a for page in alarm_pages for a in page.metric_alarms or []]
    assert [a.alarm_name for a in alarms] == [f"e2e-latency-{n}" for n in range(5)]
    assert alarms[1].state_value is enums.StateValue.ALARM
    assert alarms[0].threshold == 250.5
    assert alarms[0].comparison_operator is (
        enums.ComparisonOperator.GREATERTHANTHRESHOLD
    )
    assert alarms[0].state_updated_timestamp is not None

    in_alarm = ours.describe_alarms(state_value="ALARM")
    same_as_boto3(
        in_alarm, boto, "DescribeAlarms", boto.describe_alarms(StateValue="ALARM")
    )
    assert [a.alarm_name for a in in_alarm.metric_alarms or []] == ["e2e-latency-1"]

    ours.delete_alarms(alarm_names=[f"e2e-latency-{n}" for n in range(4)])
    left = ours.describe_alarms(alarm_name_prefix="e2e-latency-")
    same_as_boto3(
        left,
        boto,
        "DescribeAlarms",
        boto.describe_alarms(AlarmNamePrefix="e2e-latency-"),
    )
    assert [a.alarm_name for a in left.metric_alarms or []] == ["e2e-latency-4"]


def test_missing_dashboard_raises_query_compatible_error(
    ours: CloudWatchClient, boto: Any, transport: RecordingTransport
) -> None:
    # GetDashboard models DashboardNotFoundError, whose query code
    # ResourceNotFound is also the ResourceNotFound shape's: botocore's
    # exceptions factory keeps the last shape of a code, and so do we.
    with pytest.raises(errors.ResourceNotFound) as caught:
        ours.get_dashboard(dashboard_name="e2e-no-such-dashboard")
    response = transport.last_response
    with pytest.raises(boto.exceptions.ResourceNotFound) as boto_caught:
        boto.get_dashboard(DashboardName="e2e-no-such-dashboard")
    error = caught.value
    assert isinstance(error, errors.CloudWatchError)
    same_error_as_boto3(error, response, boto, "GetDashboard", boto_caught.value)
    assert error.code == "ResourceNotFound"
    assert error.status_code == 404
