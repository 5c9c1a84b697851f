"""Correct typed use of paginators and waiters: mypy --strict must accept it."""

from __future__ import annotations

from typing import assert_type

from generated.emr_serverless import EMRServerlessClient
from generated.emr_serverless.paginators import ListJobRunsPaginator
from generated.emr_serverless.shapes import JobRunSummary, ListJobRunsResponse
from generated.location import LocationClient
from generated.location.waiters import JobCompletedWaiter
from generated.omics import OmicsClient
from generated.omics.paginators import ListBatchPaginator
from generated.omics.shapes import BatchListItem
from generated.omics.waiters import RunCompletedWaiter


def paginate(client: EMRServerlessClient) -> list[str]:
    paginator = client.get_paginator("list_job_runs")
    assert_type(paginator, ListJobRunsPaginator)
    pages = paginator.paginate(application_id="app", page_size=5, max_items=10)
    for page in pages:
        assert_type(page, ListJobRunsResponse)
    ids = []
    for run in pages.items():
        assert_type(run, JobRunSummary)
        ids.append(run.id)
    token = pages.resume_token
    assert_type(token, str | None)
    again = paginator.paginate(application_id="app", starting_token=token)
    ids.extend(run.id for run in again.items())
    return ids


def limit_key_named_like_max_items(client: OmicsClient) -> None:
    paginator = client.get_paginator("list_batch")
    assert_type(paginator, ListBatchPaginator)
    for item in paginator.paginate(max_items_=10, max_items=25).items():
        assert_type(item, BatchListItem)


def wait(omics: OmicsClient, location: LocationClient) -> None:
    waiter = omics.get_waiter("run_completed")
    assert_type(waiter, RunCompletedWaiter)
    waiter.wait(id="1234567", delay=1, max_attempts=3)
    single = location.get_waiter("job_completed")
    assert_type(single, JobCompletedWaiter)
    single.wait(job_id="job", delay=0.5)
