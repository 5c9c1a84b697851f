"""mypy --strict on the asynchronous surface: the typed usage passes, each
marked misuse is exactly the error it names (as tests/test_paginators.py
checks the blocking paginators)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_async_usage_passes_mypy_and_misuse_fails_it() -> None:
    usage = "tests/typing/async_usage.py"
    misuse = "tests/typing/async_errors.py"
    expected = set()
    for number, line in enumerate((ROOT / misuse).read_text().splitlines(), 1):
        marker = re.search(r"  # E: ([a-z, -]+)$", line)
        if marker:
            for code in marker.group(1).split(","):
                expected.add((misuse, number, code.strip()))
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", usage, misuse],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    found = set()
    for line in result.stdout.splitlines():
        if ": error: " in line:
            where, _, message = line.partition(": error: ")
            path, _, line_number = where.rpartition(":")
            code = message.rsplit("[", 1)[1].rstrip("]")
            found.add((path, int(line_number), code))
    assert found == expected, result.stdout
    assert result.returncode == 1
