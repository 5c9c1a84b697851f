"""Chunked black formatting gives exactly what black gives for whole files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import black
import pytest
from black.mode import Mode, TargetVersion

from codegen import format as fmt
from tests.conftest import GENERATED, ROOT

MODE = Mode(line_length=fmt.LINE_LENGTH, target_versions={TargetVersion.PY311})
PYTHON_FILES = sorted(
    p.relative_to(GENERATED).as_posix() for p in GENERATED.rglob("*.py")
)


@pytest.mark.parametrize("path", PYTHON_FILES)
def test_generated_module_is_what_black_makes_of_it(path: str) -> None:
    text = (GENERATED / path).read_text()
    assert black.format_str(text, mode=MODE) == text


def test_generation_with_a_cold_cache_matches_the_checked_in_tree(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "CODEGEN_CACHE": str(tmp_path / "cache")}
    out = tmp_path / "generated"  # the package named in the docstrings
    subprocess.run(
        [
            sys.executable,
            "-m",
            "codegen",
            "generate",
            "emr-serverless",
            "location",
            "--output",
            str(out),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    for package in ("emr_serverless", "location"):
        for produced in sorted((out / package).iterdir()):
            assert (
                produced.read_bytes()
                == (GENERATED / package / produced.name).read_bytes()
            )


def test_split_and_join_keep_methods_inside_their_class() -> None:
    source = (
        "x = 1\n"
        + fmt.CHUNK
        + "class A:\n    '''Doc.'''\n"
        + fmt.METHOD
        + "    def f(self) -> int:\n        return  1\n"
        + fmt.METHOD
        + "    def g(self) -> int:\n        return 2\n"
    )
    chunks = fmt.split(source)
    assert [d for d, _ in chunks] == [0, 0, 1, 1]
    joined = fmt.join([(d, fmt.format_chunk((d, t))) for d, t in chunks])
    assert joined == black.format_str(fmt.strip_marks(source), mode=MODE)
