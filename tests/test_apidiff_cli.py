"""``diff`` and ``update-models`` on the command line: sources, formats, exit codes."""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from codegen import cli
from tests.apidiff_support import OLD, base, write_models, write_real

GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli.main, list(args), catch_exceptions=False)


@pytest.fixture
def old_real(tmp_path: Path) -> Path:
    return write_real(OLD, tmp_path / "old")


@pytest.mark.parametrize(
    ("services", "fail_on", "code"),
    [
        (["sts"], "never", 0),
        (["sts"], "breaking", 1),
        (["emr-containers"], "breaking", 0),
        (["emr-containers"], "any", 1),
        ([], "breaking", 1),
    ],
)
def test_fail_on(old_real: Path, services: list[str], fail_on: str, code: int) -> None:
    result = invoke("diff", "--against", str(old_real), *services, "--fail-on", fail_on)
    assert result.exit_code == code, result.output
    assert "API changes from" in result.stdout


def test_json_format(old_real: Path) -> None:
    result = invoke("diff", "--against", str(old_real), "sts", "--format", "json")
    document = json.loads(result.stdout)
    assert document["version"] == 1
    (sts,) = document["services"]
    assert sts["client"] == "STSClient"
    assert sts["counts"]["breaking"] == 1
    first = sts["changes"][0]
    assert first == {
        "class": "breaking",
        "kind": "parameter",
        "change": "limit",
        "symbol": "STSClient.assume_role(provided_contexts=...)",
        "message": "length min 1 added",
    }


def test_no_change(tmp_path: Path) -> None:
    models = write_models({"jobs": base()}, tmp_path / "models")
    result = invoke(
        "diff",
        "--against",
        str(models),
        "--models-dir",
        str(models),
        "--fail-on",
        "any",
    )
    assert result.exit_code == 0
    assert result.stdout.startswith("No API changes")


def _git_repo(root: Path) -> Path:
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def _commit(repo: Path, message: str) -> None:
    subprocess.run(GIT + ["-C", str(repo), "add", "-A"], check=True)
    subprocess.run(GIT + ["-C", str(repo), "commit", "-qm", message], check=True)


def test_against_git_revisions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _git_repo(tmp_path / "repo")
    first = base()
    write_models({"jobs": first}, repo / "models")
    _commit(repo, "first")
    second = copy.deepcopy(first)
    del second["service"]["operations"]["DeleteJob"]
    write_models({"jobs": second, "more": base()}, repo / "models")
    _commit(repo, "second")
    (repo / "sub").mkdir()
    monkeypatch.chdir(repo / "sub")  # the models dir is found from the repository root
    result = invoke(
        "diff", "--against", "HEAD~1", "--models-dir", "../models", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["old"] == "HEAD~1:models"
    changes = {
        (s["service"], c["class"], c["symbol"])
        for s in document["services"]
        for c in s["changes"]
    }
    assert changes == {
        ("jobs", "breaking", "JobsClient.delete_job"),
        ("more", "addition", "JobsClient"),
    }
    same = invoke("diff", "--against", "HEAD", "--models-dir", "../models")
    assert same.stdout.startswith("No API changes")


def test_a_broken_model_in_a_revision_exits_2_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _git_repo(tmp_path / "repo")
    (repo / "models" / "jobs").mkdir(parents=True)
    (repo / "models" / "jobs" / "service-2.json").write_text("{oops")
    _commit(repo, "broken")
    write_models({"jobs": base()}, repo / "models")
    monkeypatch.chdir(repo)
    result = invoke("diff", "--against", "HEAD")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: HEAD:models/jobs/service-2.json: $: ")
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("against", ["no-such-revision", "HEAD"])
def test_a_bad_against_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, against: str
) -> None:
    write_models({"jobs": base()}, tmp_path / "models")
    monkeypatch.chdir(tmp_path)  # not a git repository
    result = invoke("diff", "--against", against)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {against}: ")
    assert len(result.stderr.splitlines()) == 1


def test_update_models_prints_the_report(old_real: Path) -> None:
    """Copies the installed botocore's sts (1.43.11 or newer) over 1.40.0."""
    result = invoke(
        "update-models", "sts", "--models-dir", str(old_real), "--format", "markdown"
    )
    assert result.exit_code == 0, result.output
    assert "| sts | `STSClient` |" in result.stdout
    assert "- `STSClient.get_web_identity_token`: added" in result.stdout
    assert json.loads((old_real / "sts" / "source.json").read_text())["botocore"]
    again = invoke("update-models", "sts", "--models-dir", str(old_real))
    assert again.stdout.startswith("No API changes")
