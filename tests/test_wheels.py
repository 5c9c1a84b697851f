"""The tool in a user's repository, from the wheels, as the README tells it.

Both distributions are built (``pip wheel --no-deps . ./runtime``) and
installed into fresh virtual environments (dependencies from the package
index, pinned by constraints.txt):

- the tool's: ``typed-aws-codegen`` (which brings ``typed-aws-runtime``), and
  a ``mypy`` command there that runs this suite's mypy on that environment's
  packages (``--python-executable``). The README's worked example runs there,
  block by block, in an empty directory: a ``pyproject.toml`` with
  ``[tool.typed-aws-codegen]``, ``update-models`` filling ``models-dir``,
  ``generate``, ``check``, git, and a model bump reviewed with ``diff``. Then
  ``mypy --strict`` on the user's ``app.py`` (a client, a paginator, a waiter,
  an error) must reveal exactly the expected types and let no ``Any`` into it,
  seeing the runtime from its regular install;
- the runtime's alone (no jinja2, black or click), where ``app.py`` runs against
  moto in server mode (started by this process, on 127.0.0.1).

One test, so that pytest-xdist never builds the environments twice.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

README = ROOT / "README.md"
APP = ROOT / "tests" / "fixtures" / "userrepo" / "app.py"
APIDIFF = ROOT / "tests" / "fixtures" / "apidiff"
BLOCK = re.compile(
    r"<!-- worked-example: (?P<name>[^>]*?) -->\n```(?:sh|python)\n(?P<body>.*?)```",
    re.S,
)
# README lines that stand for what this test does itself (the wheel installs).
STAND_INS = ("python -m venv ", "pip install ")

EXPECTED_REVEALS = [
    "myapp.aws.dynamodb.shapes.CreateTableOutput",
    "myapp.aws.dynamodb.shapes.TableDescription | None",
    "myapp.aws.dynamodb.waiters.TableExistsWaiter",
    "myapp.aws.dynamodb.paginators.ListTablesPaginator",
    "typed_aws_runtime.paginate.PageIterator["
    "myapp.aws.dynamodb.shapes.ListTablesOutput, str]",
    "list[str]",
    "myapp.aws.dynamodb.errors.ResourceNotFoundException",
    "str",
    "int",
    "str | None",
]
# mypy --strict everywhere; in the user's module, no expression may be Any.
MYPY_CONFIG = """\
[mypy]
strict = True

[mypy-app]
disallow_any_expr = True
disallow_any_explicit = True
disallow_any_decorated = True
"""


def readme_blocks() -> dict[str, str]:
    return {m["name"]: m["body"] for m in BLOCK.finditer(README.read_text())}


def script(block: str) -> str:
    return "".join(
        line
        for line in block.splitlines(keepends=True)
        if not line.startswith(STAND_INS)
    )


def clean_env(venv: Path) -> dict[str, str]:
    """An activated ``venv``: no PYTHONPATH, no AWS settings of the host."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "VIRTUAL_ENV", "AWS_", "CODEGEN_", "MYPY"))
    }
    env.update(
        PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        VIRTUAL_ENV=str(venv),
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.com",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.com",
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_EC2_METADATA_DISABLED="true",
        AWS_CONFIG_FILE="/nonexistent/config",
        AWS_SHARED_CREDENTIALS_FILE="/nonexistent/credentials",
    )
    return env


def bash(body: str, cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", body],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (
        result.returncode == 0
    ), f"{body}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    return result.stdout + result.stderr


def build_wheels(tmp: Path) -> Path:
    """``pip wheel --no-deps . ./runtime`` on a copy of the sources (a build
    writes build/ and *.egg-info next to them)."""
    source = tmp / "src"
    ignore = shutil.ignore_patterns("__pycache__", "build", "*.egg-info")
    for name in ("codegen", "templates", "runtime"):
        shutil.copytree(ROOT / name, source / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md", "constraints.txt"):
        shutil.copy(ROOT / name, source / name)
    dist = tmp / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", ".", "./runtime"]
        + ["-w", str(dist)],
        cwd=source,
        check=True,
        capture_output=True,
    )
    return dist


def make_venvs(dist: Path, tmp: Path) -> tuple[Path, Path]:
    """The tool's and the runtime's environments, installed side by side by
    this Python's pip (``--python``: no pip bootstrapped into each)."""
    (tool_wheel,) = dist.glob("typed_aws_codegen-*.whl")
    (runtime_wheel,) = dist.glob("typed_aws_runtime-*.whl")
    installs = {
        tmp / "tool-venv": [str(tool_wheel), str(runtime_wheel)],
        tmp / "runtime-venv": [str(runtime_wheel)],
    }
    running = []
    for venv, requirements in installs.items():
        subprocess.run(
            [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True
        )
        command = [sys.executable, "-m", "pip", "--python", str(venv / "bin/python")]
        command += ["install", "-q", "-c", str(ROOT / "constraints.txt")]
        running.append(
            subprocess.Popen(
                command + requirements,
                env=clean_env(venv),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    for process in running:
        _, err = process.communicate()
        assert process.returncode == 0, err
    # mypy for the tool's environment: this suite's, checking against that
    # environment's packages (as a mypy installed there would).
    bin_dir = tmp / "tool-venv" / "bin"
    mypy = bin_dir / "mypy"
    mypy.write_text(
        f"#!/bin/sh\nexec {sys.executable} -m mypy "
        f'--python-executable "{bin_dir / "python"}" "$@"\n'
    )
    mypy.chmod(0o755)
    return tmp / "tool-venv", tmp / "runtime-venv"


def site_packages(venv: Path) -> Path:
    (found,) = venv.glob("lib/python3.*/site-packages")
    return found


def install_old_sts(repo: Path) -> None:
    """aws-models/sts as botocore 1.40.0 had it: the repository as it would be
    had it been set up a while ago (botocore 1.43.11's endpoint rules kept:
    the report does not compare them)."""
    target = repo / "aws-models" / "sts"
    fixture = APIDIFF / "sts" / "1.40.0"
    with gzip.open(fixture / "service-2.json.gz", "rt", encoding="utf-8") as f:
        service = json.load(f)
    (target / "service-2.json").write_text(json.dumps(service, indent=2) + "\n")
    shutil.copy(fixture / "paginators-1.json", target / "paginators-1.json")
    source = json.loads((target / "source.json").read_text())
    (target / "source.json").write_text(json.dumps({**source, "botocore": "1.40.0"}))


def section(markdown: str, service: str) -> str:
    start = markdown.index(f"### {service}\n")
    end = markdown.find("\n### ", start + 1)
    return markdown[start:] if end < 0 else markdown[start : end + 1]


@pytest.fixture
def moto_endpoint() -> Iterator[str]:
    """A moto server of this test's own (its tables are the app's only ones)."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    assert server._server is not None
    try:
        yield f"http://127.0.0.1:{server._server.server_port}"
    finally:
        server.stop()


def test_the_worked_example_from_the_wheels(
    tmp_path: Path, moto_endpoint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    blocks = readme_blocks()
    assert list(blocks) == ["setup", "app.py", "check and run", "bump"]
    app = APP.read_text()
    shown = "".join(
        line
        for line in app.splitlines(keepends=True)
        if "reveal_type" not in line and not line.startswith("# ")
    )
    assert blocks["app.py"] == re.sub(r"\n\n\n\n", "\n\n\n", shown)

    # -- the wheels ------------------------------------------------------------
    dist = build_wheels(tmp_path)
    timings["pip wheel"] = time.perf_counter() - started
    with zipfile.ZipFile(next(dist.glob("typed_aws_codegen-*.whl"))) as wheel:
        names = set(wheel.namelist())
        metadata = wheel.read(
            next(n for n in names if n.endswith(".dist-info/METADATA"))
        ).decode()
    assert {"codegen/py.typed", "codegen/templates/client.py.j2"} <= names
    assert not any(n.startswith(("typed_aws_runtime/", "generated/")) for n in names)
    assert "Requires-Dist: typed-aws-runtime==0.1.0" in metadata
    with zipfile.ZipFile(next(dist.glob("typed_aws_runtime-*.whl"))) as wheel:
        names = set(wheel.namelist())
        metadata = wheel.read(
            next(n for n in names if n.endswith(".dist-info/METADATA"))
        ).decode()
    assert "typed_aws_runtime/py.typed" in names
    assert not any(n.startswith("codegen/") for n in names)
    requires = re.findall(r"^Requires-Dist: ([\w-]+)", metadata, re.M)
    assert not {"jinja2", "Jinja2", "black", "click"} & set(requires)

    mark = time.perf_counter()
    tool, runtime = make_venvs(dist, tmp_path)
    timings["venvs"] = time.perf_counter() - mark
    tool_env, runtime_env = clean_env(tool), clean_env(runtime)

    # The runtime's environment has nothing of the generator.
    probe = bash(
        "python -c 'import importlib.util as u; print([m for m in "
        '("jinja2", "black", "click", "codegen", "typed_aws_runtime") '
        "if u.find_spec(m)])'",
        tmp_path,
        runtime_env,
    )
    assert probe.strip() == "['typed_aws_runtime']"

    # -- the worked example: setup, in an empty directory ----------------------
    mark = time.perf_counter()
    work = tmp_path / "work"
    work.mkdir()
    out = bash(script(blocks["setup"]), work, tool_env)
    timings["setup block"] = time.perf_counter() - mark
    repo = work / "myapp-repo"
    assert "addition  DynamoDBClient: added" in out
    assert "addition  STSClient: added" in out
    assert sorted(p.name for p in (repo / "aws-models").iterdir()) == [
        "dynamodb",
        "sts",
    ]
    output = repo / "myapp" / "aws"
    assert sorted(p.name for p in output.iterdir()) == [
        "__init__.py",
        "dynamodb",
        "sts",
    ]
    assert (
        "from myapp.aws.dynamodb import DynamoDBClient"
        in (output / "dynamodb" / "__init__.py").read_text()
    )
    assert "myapp/aws is up to date" in out

    # Test only: the repository as botocore 1.40.0's sts would have left it,
    # so that the bump below has something to report.
    install_old_sts(repo)
    shutil.copy(APP, repo / "app.py")
    bash(
        "typed-aws-codegen generate && git add -A && git commit -qm 'sts of 1.40.0'",
        repo,
        tool_env,
    )

    # -- check and run -----------------------------------------------------------
    mark = time.perf_counter()
    check_and_run = script(blocks["check and run"]).splitlines()
    assert check_and_run == [
        "mypy --strict app.py              # the runtime is a regular install: "
        "nothing is Any",
        "python app.py http://127.0.0.1:5000",
    ]
    mypy_out = bash(check_and_run[0], repo, tool_env)
    assert "Success: no issues found in 1 source file" in mypy_out
    (tmp_path / "mypy.ini").write_text(MYPY_CONFIG)
    strict = subprocess.run(
        ["mypy", "--config-file", str(tmp_path / "mypy.ini")]
        + ["--no-incremental", "-v", "app.py"],
        cwd=repo,
        env=tool_env,
        capture_output=True,
        text=True,
        check=False,
    )
    notes = strict.stdout.splitlines()
    errors = [line for line in notes if ": error:" in line]
    assert errors == [] and strict.returncode == 0, strict.stdout
    revealed = re.findall(
        r'^app\.py:\d+: note: Revealed type is "(.*)"$', strict.stdout, re.M
    )
    assert revealed == EXPECTED_REVEALS
    assert app.count("reveal_type(") == len(EXPECTED_REVEALS)
    # mypy read the runtime from the wheel's regular install in the tool's venv.
    runtime_files = set(
        re.findall(r"Parsing (\S+/typed_aws_runtime/\S+\.py)", strict.stderr)
    )
    assert runtime_files
    installed = site_packages(tool) / "typed_aws_runtime"
    assert all(f.startswith(str(installed)) for f in runtime_files)
    assert (installed / "py.typed").is_file()
    timings["mypy"] = time.perf_counter() - mark

    # The runtime's environment runs the app against moto.
    mark = time.perf_counter()
    run = bash(
        check_and_run[1].replace("http://127.0.0.1:5000", moto_endpoint),
        repo,
        runtime_env,
    )
    timings["app"] = time.perf_counter() - mark
    printed = [line for line in run.splitlines() if not line.startswith("Runtime type")]
    assert printed[0].startswith("created users ")
    assert printed[1].startswith("created orders ")
    assert printed[2] == "error ResourceNotFoundException 400"
    words = printed[3].split()
    # Two pages of one table each (moto lists them in creation order).
    assert sorted(words[1:3]) == ["orders", "users"]
    assert [words[0], *words[3:]] == ["tables", "account", "123456789012"]

    # -- the bump, reviewed with diff --------------------------------------------
    mark = time.perf_counter()
    out = bash(script(blocks["bump"]), repo, tool_env)
    timings["bump block"] = time.perf_counter() - mark
    assert (
        "breaking  STSClient.assume_role(provided_contexts=...): length min 1 added"
        in out
    )
    assert "breaking: review it" in out  # --fail-on breaking exited 1
    assert "myapp/aws/sts/client.py" in out  # git diff --stat
    assert "dynamodb (DynamoDBClient)" not in out  # unchanged: not in the report
    report = (work / "api-changes.md").read_text()
    assert report.startswith(
        "## API changes\n\nFrom `main:aws-models` to `aws-models`."
    )
    expected = (APIDIFF / "expected-1.40.0-1.43.11.md").read_text()
    assert section(report, "sts") == section(expected, "sts")
    assert "| sts | `STSClient` | 1 | 1 | 8 | 8 |" in report
    status = bash("git status --porcelain && git log --format=%s -1", repo, tool_env)
    assert status == "AWS models of botocore 1.43.11\n"
    bash("typed-aws-codegen check", repo, tool_env)

    timings["total"] = time.perf_counter() - started
    with capsys.disabled():
        print(
            "\nwheel test timings (s): "
            + ", ".join(f"{k} {v:.1f}" for k, v in timings.items())
        )
