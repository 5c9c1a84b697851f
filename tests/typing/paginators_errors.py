"""Wrong uses of paginators and waiters: each `# E: code` line is a mypy error.

tests/test_paginators.py runs mypy on this file and expects exactly these
errors (by line and error code), and none anywhere else.
"""

from __future__ import annotations

from generated.emr_serverless import EMRServerlessClient
from generated.iot import IoTClient
from generated.location import LocationClient
from generated.omics import OmicsClient


def paginators(client: EMRServerlessClient, iot: IoTClient) -> None:
    client.get_paginator("list_jobs")  # E: call-overload
    client.get_paginator("ListJobRuns")  # E: call-overload
    paginator = client.get_paginator("list_job_runs")
    paginator.paginate()  # E: call-arg
    paginator.paginate(application_id=1)  # E: arg-type
    paginator.paginate(application_id="a", next_token="t")  # E: call-arg
    paginator.paginate(application_id="a", page_size="10")  # E: arg-type
    paginator.paginate(application_id="a", PaginationConfig={})  # E: call-arg
    pages = paginator.paginate(application_id="a")
    for page in pages:
        print(page.applications)  # E: attr-defined
    for run in pages.items():
        print(run.job_run_id)  # E: attr-defined
    # ListTagsForResource has no limit key: no page_size.
    tags = iot.get_paginator("list_tags_for_resource")
    tags.paginate(resource_arn="a", page_size=1)  # E: call-arg


def waiters(omics: OmicsClient, location: LocationClient) -> None:
    omics.get_waiter("run_done")  # E: call-overload
    location.get_waiter("job_done")  # E: arg-type
    waiter = omics.get_waiter("run_completed")
    waiter.wait()  # E: call-arg
    waiter.wait(id=1)  # E: arg-type
    waiter.wait(id="1", delay="5")  # E: arg-type
    waiter.wait(id="1", WaiterConfig={"Delay": 5})  # E: call-arg
    print(waiter.wait(id="1"))  # E: func-returns-value
