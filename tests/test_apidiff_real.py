"""The API-change report on real model updates: botocore 1.40.0 -> 1.43.11.

The expected lines were checked against the JSON diff of the two versions'
``service-2.json`` (checked in under ``tests/fixtures/apidiff/``):

- sts: ``ProvidedContextsListType`` gained ``"min": 1`` (AssumeRole's
  ``ProvidedContexts``: an empty list is now refused), ``metadata.auth``
  gained ``aws.auth#sigv4a``, operations GetWebIdentityToken and
  GetDelegatedAccessToken and four error shapes were added;
- emr-serverless: the session operations, their paginator and the
  SessionState enum were added; two structures' documentation changed (one
  member's documentation lost only a trailing space: no change to its
  docstring, so not reported);
- emr-containers: two optional members were added, nothing else.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from codegen.report import formats
from codegen.report.changes import Report
from codegen.report.diff import diff
from codegen.report.sources import DirectorySource
from tests.apidiff_support import FIXTURES, NEW, OLD, write_real

EXPECTED_MARKDOWN = FIXTURES / "expected-1.40.0-1.43.11.md"


@pytest.fixture(scope="module")
def dirs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("real")
    return write_real(OLD, root / OLD), write_real(NEW, root / NEW)


@pytest.fixture(scope="module")
def update(dirs: tuple[Path, Path]) -> Report:
    old, new = dirs
    report = diff(DirectorySource(old), DirectorySource(new))
    return dataclasses.replace(report, old=f"botocore {OLD}", new=f"botocore {NEW}")


def lines(report: Report) -> set[tuple[str, str, str]]:
    return {(c.severity.value, c.symbol, c.message) for c in report.changes}


def test_sts_update(update: Report) -> None:
    found = lines(update)
    assert (
        "breaking",
        "STSClient.assume_role(provided_contexts=...)",
        "length min 1 added",
    ) in found
    assert (
        "wire",
        "STSClient",
        'auth changed: ["aws.auth#sigv4"] -> ["aws.auth#sigv4", "aws.auth#sigv4a"]',
    ) in found
    for symbol in (
        "STSClient.get_web_identity_token",
        "STSClient.get_delegated_access_token",
        "errors.ExpiredTradeInTokenException",
        "errors.JWTPayloadSizeExceededException",
        "shapes.GetWebIdentityTokenResponse",
    ):
        assert ("addition", symbol, "added") in found


def test_emr_serverless_update_breaks_nothing(update: Report) -> None:
    (service,) = [s for s in update.services if s.service == "emr-serverless"]
    assert service.count(service.changes[0].severity.BREAKING) == 0
    found = lines(update)
    for symbol in (
        "EMRServerlessClient.start_session",
        "EMRServerlessClient.get_paginator('list_sessions')",
        "enums.SessionState",
        "shapes.Session",
    ):
        assert ("addition", symbol, "added") in found
    assert (
        "addition",
        "EMRServerlessClient.create_application(disk_encryption_configuration=...)",
        "added: shapes.DiskEncryptionConfiguration",
    ) in found
    assert (
        "docs",
        "shapes.IdentityCenterConfiguration",
        "documentation changed",
    ) in found
    assert not any("identity_center_configuration" in c.symbol for c in service.changes)


def test_emr_containers_update_is_two_optional_members(update: Report) -> None:
    (service,) = [s for s in update.services if s.service == "emr-containers"]
    assert {(c.severity.value, c.symbol) for c in service.changes} == {
        (
            "addition",
            "EMRContainersClient.create_security_configuration(container_provider=...)",
        ),
        ("addition", "shapes.EksInfo.node_label"),
    }


def test_the_same_update_undone_is_breaking(dirs: tuple[Path, Path]) -> None:
    old, new = dirs
    found = lines(diff(DirectorySource(new), DirectorySource(old)))
    assert ("breaking", "EMRServerlessClient.start_session", "removed") in found
    assert ("breaking", "errors.ExpiredTradeInTokenException", "removed") in found
    assert ("breaking", "shapes.EksInfo.node_label", "removed") in found
    # The limit dropped again: an addition (empty lists accepted again).
    assert (
        "addition",
        "STSClient.assume_role(provided_contexts=...)",
        "length min 1 dropped",
    ) in found


def test_markdown_matches_the_expected_file(update: Report) -> None:
    assert formats.markdown(update) == EXPECTED_MARKDOWN.read_text(encoding="utf-8")
