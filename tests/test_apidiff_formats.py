"""The report's three formats on a hand-made pair, against expected files.

One change of each class in one service (``jobs``), a second service added
(``more``) and one removed (``gone``), and text a pull request would garble
(``*``, ``_``, a backtick, ``<``, ``|``) in an enum value and a wire name, so
that the markdown's escaping is checked as well as its layout. The real pair
(botocore 1.40.0 -> 1.43.11) is compared in ``test_apidiff_real.py``.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from codegen.report import formats
from codegen.report.changes import Report
from tests.apidiff_support import FIXTURES, Model, base, full_report

EXPECTED = FIXTURES / "expected-handmade"


def pair() -> tuple[dict[str, dict[str, Model]], dict[str, dict[str, Model]]]:
    old = {"jobs": base(), "gone": base()}
    jobs = copy.deepcopy(old["jobs"])
    service = jobs["service"]
    del service["operations"]["DeleteJob"]  # breaking
    token = service["shapes"]["CreateJobRequest"]["members"]["token"]
    token["location"] = "querystring"  # wire
    token["locationName"] = "x-token_*|`<"
    state = service["shapes"]["State"]
    state["enum"] = [*state["enum"], "PAUSED_*|`<"]  # addition
    service["operations"]["GetJob"]["documentation"] = "<p>Reads a job.</p>"  # docs
    return old, {"jobs": jobs, "more": base()}


@pytest.fixture(scope="module")
def report() -> Report:
    old, new = pair()
    return full_report(old, new)


@pytest.mark.parametrize("fmt", ["md", "txt", "json"])
def test_format_matches_the_expected_file(report: Report, fmt: str) -> None:
    name = {"md": "markdown", "txt": "text", "json": "json"}[fmt]
    expected = Path(f"{EXPECTED}.{fmt}").read_text(encoding="utf-8")
    assert formats.render(report, name) == expected


def test_every_class_is_in_the_pair(report: Report) -> None:
    document = json.loads(formats.render(report, "json"))
    assert list(document["counts"]) == ["breaking", "wire", "addition", "docs"]
    assert all(count > 0 for count in document["counts"].values())
    services = {s["service"]: s["counts"] for s in document["services"]}
    assert set(services) == {"gone", "jobs", "more"}
    assert all(services["jobs"][k] > 0 for k in services["jobs"])
