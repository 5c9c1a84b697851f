"""The command line: determinism, check, and bad input that leaves output untouched."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from codegen import cli, render
from tests.conftest import GENERATED, MODELS, ROOT

SERVICE = "emr-serverless"
SERVICE_FILE = "service-2.json"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CODEGEN_CACHE": str(ROOT / ".cache" / "codegen")}
    return subprocess.run(
        [sys.executable, "-m", "codegen", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def tree_digest(directory: Path) -> dict[str, str]:
    return {
        p.relative_to(directory).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_checked_in_output_is_exactly_what_generate_writes() -> None:
    result = run("check")
    assert result.returncode == 0, result.stderr


def test_output_does_not_depend_on_service_order() -> None:
    forward, _ = cli.build(MODELS, ("emr-serverless", "iot", "omics"), None)
    backward, _ = cli.build(MODELS, ("omics", "iot", "emr-serverless"), None)
    assert forward == backward


def test_check_names_a_hand_edited_file(tmp_path: Path) -> None:
    output = tmp_path / "generated"
    shutil.copytree(GENERATED, output, ignore=shutil.ignore_patterns("__pycache__"))
    edited = output / "emr_serverless" / "client.py"
    edited.write_text(edited.read_text() + "\n# hand edit\n")
    (output / "iot" / "stray.py").write_text("x = 1\n")
    result = run("check", "--output", str(output))
    assert result.returncode == 1
    assert "emr_serverless/client.py" in result.stderr
    assert "iot/stray.py" in result.stderr
    assert "omics" not in result.stderr


def test_generate_into_an_empty_directory_matches_the_checked_in_tree(
    tmp_path: Path,
) -> None:
    output = tmp_path / "generated"  # the package named in the docstrings
    result = run(
        "generate", "emr-serverless", "emr-containers", "--output", str(output)
    )
    assert result.returncode == 0, result.stderr
    produced = tree_digest(output)
    expected = {
        path: digest
        for path, digest in tree_digest(GENERATED).items()
        if path.startswith(("emr_serverless/", "emr_containers/"))
        or path == "__init__.py"
    }
    assert produced == expected


def _break(models: Path, edit: str) -> None:
    path = models / SERVICE / SERVICE_FILE
    model = json.loads(path.read_text())
    shapes = model["shapes"]
    if edit == "invalid-json":
        path.write_text(path.read_text()[:-200])
        return
    if edit == "dangling-ref":
        shapes["StartJobRunRequest"]["members"]["name"]["shape"] = "NoSuchShape"
    elif edit == "unknown-type":
        shapes["JobRunMode"]["type"] = "varchar"
    elif edit == "name-collision":
        shapes["StartJobRunRequest"]["members"]["Name"] = {"shape": "String256"}
    elif edit == "unknown-protocol":
        model["metadata"]["protocol"] = "carrier-pigeon"
        model["metadata"]["protocols"] = ["carrier-pigeon"]
    path.write_text(json.dumps(model, indent=2))


BROKEN = {
    "invalid-json": "invalid JSON at line",
    "dangling-ref": (
        "$.shapes.StartJobRunRequest.members.name.shape: shape 'NoSuchShape'"
    ),
    "unknown-type": "$.shapes.JobRunMode.type: unknown shape type 'varchar'",
    "name-collision": (
        "$.shapes.StartJobRunRequest.members.Name: members 'name' and 'Name'"
    ),
    "unknown-protocol": "$.metadata.protocols: unsupported protocol ['carrier-pigeon']",
}


@pytest.mark.parametrize("edit", sorted(BROKEN))
def test_broken_model_exits_2_naming_file_and_path_and_writes_nothing(
    edit: str, models_copy: Path, tmp_path: Path
) -> None:
    output = tmp_path / "generated"
    shutil.copytree(GENERATED, output, ignore=shutil.ignore_patterns("__pycache__"))
    before = tree_digest(output)
    _break(models_copy, edit)
    result = run("generate", "--models-dir", str(models_copy), "--output", str(output))
    assert result.returncode == 2
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1, message
    assert str(models_copy / SERVICE / SERVICE_FILE) in message
    assert BROKEN[edit] in message
    assert tree_digest(output) == before
    assert (
        run(
            "check", "--models-dir", str(models_copy), "--output", str(output)
        ).returncode
        == 2
    )


def test_missing_models_directory_is_a_clear_error(tmp_path: Path) -> None:
    result = run(
        "generate", "--models-dir", str(tmp_path / "nope"), "--output", str(tmp_path)
    )
    assert result.returncode == 2
    assert "no service models found" in result.stderr


def test_regeneration_with_nothing_changed_writes_nothing(tmp_path: Path) -> None:
    output = tmp_path / "generated"
    shutil.copytree(GENERATED, output, ignore=shutil.ignore_patterns("__pycache__"))
    mtimes = {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()}
    result = run("generate", "--output", str(output))
    assert result.returncode == 0, result.stderr
    assert "0 file(s) changed" in result.stdout
    assert {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()} == mtimes


def test_write_files_removes_stale_files_only_inside_generated_packages(
    tmp_path: Path,
) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "old.py").write_text("")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "keep.py").write_text("")
    changed = render.write_files(tmp_path, {"pkg/new.py": "x = 1\n"}, ["pkg"])
    assert sorted(changed) == ["pkg/new.py", "pkg/old.py"]
    assert not (tmp_path / "pkg" / "old.py").exists()
    assert (tmp_path / "other" / "keep.py").exists()
