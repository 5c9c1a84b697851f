"""Settings of a run: the command line over ``[tool.typed-aws-codegen]``.

A user's repository names its services, models directory, output and package
once, in the ``pyproject.toml`` of the directory the tool runs in::

    [tool.typed-aws-codegen]
    services = ["sts", "dynamodb"]   # default: every service in models-dir
    models-dir = "aws-models"        # default: models
    package = "myapp.aws"            # default: output's directory name
    output = "src/myapp/aws"         # default: the package's path (myapp/aws)

Each command-line option wins over its key, key by key. ``output`` is the
directory of the package ``package``: the generator writes its
``__init__.py`` and one subpackage per service there (``myapp/aws/sts/`` is
``myapp.aws.sts``); the parents (``myapp/``) are the user's. When both are
set, the last parts of ``output`` must spell the package. Without a package,
it is the output directory's name when that is an identifier (``generated``);
otherwise the services are top-level packages of an output directory put on
``sys.path``. Relative paths are relative to the current directory, which is
the table's. A table that cannot be honoured is a :class:`ConfigError`
(exit 2), never ignored.
"""

from __future__ import annotations

import keyword
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TOOL = "typed-aws-codegen"
PYPROJECT = "pyproject.toml"
DEFAULT_MODELS = Path("models")
DEFAULT_OUTPUT = Path("generated")
KEYS = ("services", "models-dir", "output", "package")


class ConfigError(Exception):
    """Settings that cannot be honoured, in one line naming the file and key."""


@dataclass(frozen=True)
class Table:
    """What ``[tool.typed-aws-codegen]`` sets (None: not set)."""

    services: tuple[str, ...] | None = None
    models_dir: Path | None = None
    output: Path | None = None
    package: str | None = None


@dataclass(frozen=True)
class Settings:
    """Everything a command needs, decided."""

    services: tuple[str, ...]  # empty: every service in models_dir
    models_dir: Path
    output: Path
    package: str | None  # None: the services are top-level packages
    listed: tuple[str, ...] | None  # the table's services, when it lists them


def read_table(directory: Path) -> Table:
    """The table of ``directory/pyproject.toml``; an empty one without either."""
    path = directory / PYPROJECT
    where = str(path) if directory != Path() else PYPROJECT
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Table()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{where}: cannot read: {exc}") from exc
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: invalid TOML: {exc}") from exc
    tool = document.get("tool", {})
    table = tool.get(TOOL) if isinstance(tool, dict) else None
    if table is None:
        return Table()
    name = f"[tool.{TOOL}]"
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: {name} must be a table")
    for key in table:
        if key not in KEYS:
            raise ConfigError(
                f"{where}: {name}: unknown key {key!r} (known: {', '.join(KEYS)})"
            )

    def string(key: str) -> str | None:
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value:
            raise ConfigError(
                f"{where}: {name} {key}: expected a non-empty string, "
                f"got {_describe(value)}"
            )
        return value

    services = table.get("services")
    if services is not None and (
        not isinstance(services, list)
        or not all(isinstance(s, str) and s for s in services)
    ):
        raise ConfigError(
            f"{where}: {name} services: expected a list of service names "
            f"(strings), got {_describe(services)}"
        )
    package = string("package")
    if package is not None and not is_package_name(package):
        raise ConfigError(
            f"{where}: {name} package: {package!r} is not a dotted Python "
            "import path (like myapp.aws)"
        )
    models_dir = string("models-dir")
    output = string("output")
    return Table(
        services=tuple(services) if services is not None else None,
        models_dir=Path(models_dir) if models_dir is not None else None,
        output=Path(output) if output is not None else None,
        package=package,
    )


def settings(
    *,
    services: tuple[str, ...] = (),
    models_dir: Path | None = None,
    output: Path | None = None,
    package: str | None = None,
    directory: Path | None = None,
) -> Settings:
    """The command line's values over the table's, then the defaults."""
    table = read_table(directory or Path())
    if package is not None and not is_package_name(package):
        raise ConfigError(
            f"--package: {package!r} is not a dotted Python import path "
            "(like myapp.aws)"
        )
    package = package or table.package
    output = output or table.output
    if output is None:
        output = Path(*package.split(".")) if package else DEFAULT_OUTPUT
    if package is None:
        name = Path(os.path.abspath(output)).name
        package = name if is_package_name(name) else None
    else:
        _check_output_holds(output, package)
    return Settings(
        services=services or table.services or (),
        models_dir=models_dir or table.models_dir or DEFAULT_MODELS,
        output=output,
        package=package,
        listed=table.services,
    )


def is_package_name(name: str) -> bool:
    return all(
        part.isidentifier() and not keyword.iskeyword(part) for part in name.split(".")
    )


def _check_output_holds(output: Path, package: str) -> None:
    parts = package.split(".")
    tail = Path(os.path.abspath(output)).parts[-len(parts) :]
    if list(tail) != parts:
        raise ConfigError(
            f"output {str(output)!r} is not the directory of package {package!r}: "
            f"its path must end in {'/'.join(parts)}"
        )


def _describe(value: Any) -> str:
    kinds = {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}
    kinds.update({list: "an array", dict: "a table"})
    return kinds.get(type(value), type(value).__name__)
