"""Command line: ``generate``, ``check``, ``update-models`` and ``diff``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from codegen import config, loader, naming, render
from codegen.errors import ModelError

# Defaults are None: an option not given leaves the key of
# [tool.typed-aws-codegen] in ./pyproject.toml, or the default (codegen.config).
_models = click.option(
    "--models-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Directory of pinned botocore models.  [default: models]",
)
_output = click.option(
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="The directory of the package the services are written to, as "
    "subpackages.  [default: the package's path, else generated]",
)
_package = click.option(
    "--package",
    default=None,
    help="The import path of the output directory (myapp.aws: myapp.aws.iot).  "
    "[default: the output directory's name]",
)
_format = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="How the API-change report is written.",
)
_jobs = click.option("--jobs", type=int, default=None, help="Parallel black workers.")


@click.group()
def main() -> None:
    """Generate typed Python clients from botocore service models."""


def settings(
    services: tuple[str, ...] = (),
    models_dir: Path | None = None,
    output: Path | None = None,
    package: str | None = None,
) -> config.Settings:
    """The options over ./pyproject.toml's table; a bad table exits 2."""
    try:
        return config.settings(
            services=services, models_dir=models_dir, output=output, package=package
        )
    except config.ConfigError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)


def build(
    models_dir: Path,
    services: tuple[str, ...],
    jobs: int | None,
    package: str | None = "generated",
) -> tuple[dict[str, str], list[str]]:
    """Everything the output should hold, formatted; nothing is written here.

    ``package`` is the import path of the output directory (None: the
    services are top-level packages)."""
    from codegen.resolver import resolve

    names = list(services) or loader.available_services(models_dir)
    if not names:
        raise ModelError(str(models_dir), [], "no service models found")
    for name in names:
        if not (models_dir / name / loader.SERVICE_FILE).is_file():
            raise ModelError(
                str(models_dir / name / loader.SERVICE_FILE),
                [],
                "no such model file (copy it from botocore with "
                f"`typed-aws-codegen update-models {name}`)",
            )
    cache = render.ServiceCache()
    done: dict[str, str] = {}
    sources = render.root_files(package)
    packages = []
    keys = {}
    env = None
    for name in names:
        packages.append(naming.package_name(name))
        keys[name] = cache.key(models_dir / name, package)
        cached = cache.get(keys[name])
        if cached is not None:
            done.update(cached)
            continue
        env = env or render.environment()
        service = resolve(loader.load_service(models_dir, name))
        rendered = render.render_service(service, env, package)
        sources.update({path: text for path, text in rendered.items()})
    formatted = render.format_all(sources, jobs)
    for name, package in zip(names, packages, strict=True):
        own = {p: t for p, t in formatted.items() if p.startswith(f"{package}/")}
        if own:
            cache.put(keys[name], own)
    return {**formatted, **done}, packages


def _build_or_exit(
    run: config.Settings, jobs: int | None
) -> tuple[dict[str, str], list[str]]:
    try:
        return build(run.models_dir, run.services, jobs, run.package)
    except ModelError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)


@main.command()
@click.argument("services", nargs=-1)
@_models
@_output
@_package
@_jobs
def generate(
    services: tuple[str, ...],
    models_dir: Path | None,
    output: Path | None,
    package: str | None,
    jobs: int | None,
) -> None:
    """Write one package per service (default: the table's services, else
    every service in the models dir)."""
    run = settings(services, models_dir, output, package)
    files, packages = _build_or_exit(run, jobs)
    changed = render.write_files(run.output, files, packages)
    click.echo(
        f"{len(packages)} package(s), {len(changed)} file(s) changed in {run.output}"
    )


@main.command()
@click.argument("services", nargs=-1)
@_models
@_output
@_package
@_jobs
def check(
    services: tuple[str, ...],
    models_dir: Path | None,
    output: Path | None,
    package: str | None,
    jobs: int | None,
) -> None:
    """Exit 0 if the output is exactly what generate would write, else 1."""
    run = settings(services, models_dir, output, package)
    files, packages = _build_or_exit(run, jobs)
    stale = render.stale_files(run.output, files, packages)
    if stale:
        click.echo(
            "stale generated files (run `typed-aws-codegen generate`):", err=True
        )
        for path in stale:
            click.echo(f"  {run.output / path}", err=True)
        sys.exit(1)
    click.echo(f"{run.output} is up to date")


@main.command("update-models")
@click.argument("services", nargs=-1)
@_models
@_format
def update_models(services: tuple[str, ...], models_dir: Path | None, fmt: str) -> None:
    """Copy the installed botocore's model files into the models dir (default:
    the table's services, else those already there), and print the
    API-change report of what that changed."""
    from codegen.report import diff, formats, sources
    from codegen.update import copy_models

    run = settings(services, models_dir)
    models_dir = run.models_dir
    names = list(run.services) or loader.available_services(models_dir)
    if run.listed is not None:
        for name in names:
            if name not in run.listed:
                click.echo(
                    f"note: {name} is not in the services of [tool.{config.TOOL}] "
                    f"in {config.PYPROJECT}: add it there for `generate` to write it",
                    err=True,
                )
    if not names:
        click.echo(
            "error: name the services to copy (none in the models dir yet)", err=True
        )
        sys.exit(2)
    try:
        before = sources.DirectorySource(models_dir)
        snapshot = {
            name: files for name in names if (files := before.load(name)) is not None
        }
        for name, written in copy_models(names, models_dir):
            click.echo(f"{name}: {', '.join(written)}", err=True)
        report = diff.diff(
            sources.SnapshotSource(f"{models_dir} (before)", snapshot),
            sources.DirectorySource(models_dir),
            names,
        )
    except ModelError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    click.echo(formats.render(report, fmt), nl=False)


@main.command("diff")
@click.argument("services", nargs=-1)
@click.option(
    "--against",
    required=True,
    metavar="REF_OR_DIR",
    help="A git revision (main, HEAD~1) or a directory of models to compare with.",
)
@_models
@_format
@click.option(
    "--fail-on",
    type=click.Choice(["breaking", "any", "never"]),
    default="never",
    show_default=True,
    help="Exit 1 when the report has a breaking change (any: any change).",
)
def diff_command(
    services: tuple[str, ...],
    against: str,
    models_dir: Path | None,
    fmt: str,
    fail_on: str,
) -> None:
    """The API-change report from --against's models to the models dir."""
    from codegen.report import diff, formats, sources
    from codegen.report.changes import Severity

    run = settings(services, models_dir)
    try:
        old = sources.open_source(against, run.models_dir)
        report = diff.diff(old, sources.DirectorySource(run.models_dir), run.services)
    except ModelError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    click.echo(formats.render(report, fmt), nl=False)
    if (fail_on == "any" and report.has()) or (
        fail_on == "breaking" and report.has(Severity.BREAKING)
    ):
        sys.exit(1)
