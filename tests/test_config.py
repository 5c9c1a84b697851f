"""``[tool.typed-aws-codegen]`` in ./pyproject.toml, ``--package``, and a
service added with ``update-models NEWSERVICE``."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from codegen import cli
from tests.conftest import MODELS, ROOT


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli.main, list(args), catch_exceptions=False)


@pytest.fixture
def user_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty directory, the current one, sharing the suite's format cache."""
    repo = tmp_path / "repo"
    repo.mkdir()
    monkeypatch.chdir(repo)
    monkeypatch.setenv("CODEGEN_CACHE", str(ROOT / ".cache" / "codegen"))
    return repo


def write_table(repo: Path, body: str) -> None:
    (repo / "pyproject.toml").write_text(
        '[project]\nname = "myapp"\n\n[tool.typed-aws-codegen]\n' + body
    )


def copy_models(target: Path, *services: str) -> None:
    for service in services:
        shutil.copytree(MODELS / service, target / service)


def import_in_subprocess(path: Path, code: str) -> str:
    """Run ``code`` with only ``path`` (and the runtime) importable."""
    paths = [str(path), str(ROOT / "runtime")]
    result = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path[:0] = {paths!r}\n{code}"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


# -- the table -----------------------------------------------------------------


def test_the_table_sets_services_models_dir_and_package(user_repo: Path) -> None:
    write_table(
        user_repo,
        'services = ["sts", "sqs"]\nmodels-dir = "aws-models"\npackage = "myapp.aws"\n',
    )
    copy_models(user_repo / "aws-models", "sts", "sqs", "emr-serverless")
    result = invoke("generate")
    assert result.exit_code == 0, result.output
    output = user_repo / "myapp" / "aws"
    assert sorted(p.name for p in output.iterdir()) == ["__init__.py", "sqs", "sts"]
    assert not (user_repo / "myapp" / "__init__.py").exists()  # the user's own
    assert (output / "__init__.py").read_text().startswith('"""myapp.aws: ')
    assert (
        "Usage: ``from myapp.aws.sts import STSClient``."
        in (output / "sts" / "__init__.py").read_text()
    )
    assert invoke("check").exit_code == 0


def test_generated_under_a_package_imports_and_imports_itself_relatively(
    user_repo: Path,
) -> None:
    write_table(user_repo, 'package = "myapp.aws"\noutput = "src/myapp/aws"\n')
    copy_models(user_repo / "models", "sts", "dynamodb")
    result = invoke("generate")
    assert result.exit_code == 0, result.output
    (user_repo / "src" / "myapp" / "__init__.py").write_text("")
    output = user_repo / "src" / "myapp" / "aws"
    for module in output.rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                assert node.module is not None
                assert not node.module.startswith(("myapp", "generated")), module
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("myapp") for a in node.names)
    out = import_in_subprocess(
        user_repo / "src",
        "from myapp.aws.dynamodb import DynamoDBClient\n"
        "from myapp.aws.dynamodb.errors import ResourceNotFoundException\n"
        "from myapp.aws.sts import STSClient\n"
        "c = DynamoDBClient(region_name='us-east-1')\n"
        "p = c.get_paginator('list_tables')\n"
        "w = c.get_waiter('table_exists')\n"
        "print(type(c).__module__, type(p).__module__, type(w).__module__)\n"
        "print(ResourceNotFoundException.__module__, STSClient.__module__)\n"
        "print(sorted(m for m in sys.modules if m.startswith('generated')))\n",
    )
    assert out.split() == [
        "myapp.aws.dynamodb.client",
        "myapp.aws.dynamodb.paginators",
        "myapp.aws.dynamodb.waiters",
        "myapp.aws.dynamodb.errors",
        "myapp.aws.sts.client",
        "[]",
    ]


def test_command_line_options_win_over_the_table(user_repo: Path) -> None:
    write_table(
        user_repo,
        'services = ["sqs"]\nmodels-dir = "nowhere"\npackage = "myapp.aws"\n',
    )
    copy_models(user_repo / "models", "sts", "sqs")
    result = invoke(
        "generate", "sts", "--models-dir", "models", "--package", "other.pkg"
    )
    assert result.exit_code == 0, result.output
    output = user_repo / "other" / "pkg"
    assert sorted(p.name for p in output.iterdir()) == ["__init__.py", "sts"]
    assert "from other.pkg.sts import" in (output / "sts" / "__init__.py").read_text()
    result = invoke("generate", "sts", "--models-dir", "models", "--output", "lib/aws")
    assert result.exit_code == 2
    assert "'lib/aws' is not the directory of package 'myapp.aws'" in result.stderr


def test_without_a_table_the_defaults_are_models_and_generated(
    user_repo: Path,
) -> None:
    (user_repo / "pyproject.toml").write_text('[project]\nname = "x"\n')
    copy_models(user_repo / "models", "sts")
    assert invoke("generate").exit_code == 0
    assert (user_repo / "generated" / "sts" / "client.py").is_file()
    assert (
        (user_repo / "generated" / "__init__.py")
        .read_text()
        .startswith('"""generated: ')
    )
    # An output directory that is no package name: top-level service packages.
    assert invoke("generate", "--output", "out-dir").exit_code == 0
    assert not (user_repo / "out-dir" / "__init__.py").exists()
    assert (
        "from sts import STSClient"
        in (user_repo / "out-dir" / "sts" / "__init__.py").read_text()
    )


BAD_TABLES = {
    'servces = ["sts"]': "[tool.typed-aws-codegen]: unknown key 'servces'",
    'services = "sts"': "[tool.typed-aws-codegen] services: expected a list",
    "services = [1]": "[tool.typed-aws-codegen] services: expected a list",
    "models-dir = 3": "models-dir: expected a non-empty string, got an integer",
    "output = true": "output: expected a non-empty string, got a boolean",
    'package = "my-app.aws"': "package: 'my-app.aws' is not a dotted Python",
    'package = "myapp.class"': "package: 'myapp.class' is not a dotted Python",
    "package = [": "invalid TOML",
}


@pytest.mark.parametrize("body", sorted(BAD_TABLES))
def test_a_bad_table_exits_2_naming_the_file_and_key(
    user_repo: Path, body: str
) -> None:
    write_table(user_repo, body + "\n")
    copy_models(user_repo / "models", "sts")
    for command in (
        ["generate"],
        ["check"],
        ["update-models"],
        ["diff", "--against", "."],
    ):
        result = invoke(*command)
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr.startswith("error: pyproject.toml: "), result.stderr
        assert BAD_TABLES[body] in result.stderr
        assert len(result.stderr.splitlines()) == 1
    assert not (user_repo / "generated").exists()


def test_a_bad_package_option_exits_2(user_repo: Path) -> None:
    copy_models(user_repo / "models", "sts")
    result = invoke("generate", "--package", "1st.aws")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: --package: '1st.aws' is not a dotted Python import path "
        "(like myapp.aws)\n"
    )


def test_a_listed_service_without_a_model_names_the_command_to_copy_it(
    user_repo: Path,
) -> None:
    write_table(user_repo, 'services = ["sts", "sqs"]\n')
    copy_models(user_repo / "models", "sts")
    result = invoke("generate")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: models/sqs/service-2.json: $: no such model file (copy it from "
        "botocore with `typed-aws-codegen update-models sqs`)\n"
    )
    assert not (user_repo / "generated").exists()


# -- update-models NEWSERVICE ----------------------------------------------------


def test_update_models_adds_a_service_that_generate_then_picks_up(
    user_repo: Path,
) -> None:
    write_table(user_repo, 'models-dir = "aws-models"\npackage = "myapp.aws"\n')
    copy_models(user_repo / "aws-models", "sts")
    assert invoke("generate").exit_code == 0
    result = invoke("update-models", "sqs")
    assert result.exit_code == 0, result.output
    assert "addition  SQSClient: added" in result.stdout  # the report: a new service
    assert sorted(p.name for p in (user_repo / "aws-models" / "sqs").iterdir()) == [
        "endpoint-rule-set-1.json",
        "paginators-1.json",
        "service-2.json",
        "source.json",
    ]
    assert invoke("check").exit_code == 1  # sqs is not generated yet
    result = invoke("generate")
    assert result.exit_code == 0, result.output
    assert (user_repo / "myapp" / "aws" / "sqs" / "client.py").is_file()
    assert (user_repo / "myapp" / "aws" / "sts" / "client.py").is_file()


def test_update_models_of_an_unlisted_service_says_to_list_it(
    user_repo: Path,
) -> None:
    write_table(user_repo, 'services = ["sts"]\n')
    result = invoke("update-models")  # the table's services, none copied yet
    assert result.exit_code == 0, result.output
    assert (user_repo / "models" / "sts" / "service-2.json").is_file()
    result = invoke("update-models", "sqs")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(
        "note: sqs is not in the services of [tool.typed-aws-codegen] in "
        "pyproject.toml: add it there"
    )
    assert invoke("generate").exit_code == 0
    assert not (user_repo / "generated" / "sqs").exists()
