"""Command line: ``generate``, ``check``, ``update-models`` and ``diff``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from codegen import loader, naming, render
from codegen.errors import ModelError

DEFAULT_MODELS = Path("models")
DEFAULT_OUTPUT = Path("generated")

_models = click.option(
    "--models-dir",
    type=click.Path(path_type=Path),
    default=DEFAULT_MODELS,
    show_default=True,
    help="Directory of pinned botocore models.",
)
_output = click.option(
    "--output",
    type=click.Path(path_type=Path),
    default=DEFAULT_OUTPUT,
    show_default=True,
    help="Directory the packages are written to.",
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


def build(
    models_dir: Path, services: tuple[str, ...], jobs: int | None
) -> tuple[dict[str, str], list[str]]:
    """Everything the output should hold, formatted; nothing is written here."""
    from codegen.resolver import resolve

    names = list(services) or loader.available_services(models_dir)
    if not names:
        raise ModelError(str(models_dir), [], "no service models found")
    cache = render.ServiceCache()
    done: dict[str, str] = {}
    sources = render.root_files()
    packages = []
    keys = {}
    env = None
    for name in names:
        packages.append(naming.package_name(name))
        keys[name] = cache.key(models_dir / name)
        cached = cache.get(keys[name])
        if cached is not None:
            done.update(cached)
            continue
        env = env or render.environment()
        service = resolve(loader.load_service(models_dir, name))
        rendered = render.render_service(service, env)
        sources.update({path: text for path, text in rendered.items()})
    formatted = render.format_all(sources, jobs)
    for name, package in zip(names, packages, strict=True):
        own = {p: t for p, t in formatted.items() if p.startswith(f"{package}/")}
        if own:
            cache.put(keys[name], own)
    return {**formatted, **done}, packages


def _build_or_exit(
    models_dir: Path, services: tuple[str, ...], jobs: int | None
) -> tuple[dict[str, str], list[str]]:
    try:
        return build(models_dir, services, jobs)
    except ModelError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)


@main.command()
@click.argument("services", nargs=-1)
@_models
@_output
@_jobs
def generate(
    services: tuple[str, ...], models_dir: Path, output: Path, jobs: int | None
) -> None:
    """Write one package per service (default: every service in the models dir)."""
    files, packages = _build_or_exit(models_dir, services, jobs)
    changed = render.write_files(output, files, packages)
    click.echo(
        f"{len(packages)} package(s), {len(changed)} file(s) changed in {output}"
    )


@main.command()
@click.argument("services", nargs=-1)
@_models
@_output
@_jobs
def check(
    services: tuple[str, ...], models_dir: Path, output: Path, jobs: int | None
) -> None:
    """Exit 0 if the output is exactly what generate would write, else 1."""
    files, packages = _build_or_exit(models_dir, services, jobs)
    stale = render.stale_files(output, files, packages)
    if stale:
        click.echo("stale generated files (run `make generate`):", err=True)
        for path in stale:
            click.echo(f"  {output / path}", err=True)
        sys.exit(1)
    click.echo(f"{output} is up to date")


@main.command("update-models")
@click.argument("services", nargs=-1)
@_models
@_format
def update_models(services: tuple[str, ...], models_dir: Path, fmt: str) -> None:
    """Copy the installed botocore's model files into the models dir, and
    print the API-change report of what that changed."""
    from codegen.report import diff, formats, sources
    from codegen.update import copy_models

    names = list(services) or loader.available_services(models_dir)
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
    services: tuple[str, ...], against: str, models_dir: Path, fmt: str, fail_on: str
) -> None:
    """The API-change report from --against's models to the models dir."""
    from codegen.report import diff, formats, sources
    from codegen.report.changes import Severity

    try:
        old = sources.open_source(against, models_dir)
        report = diff.diff(old, sources.DirectorySource(models_dir), services)
    except ModelError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    click.echo(formats.render(report, fmt), nl=False)
    if (fail_on == "any" and report.has()) or (
        fail_on == "breaking" and report.has(Severity.BREAKING)
    ):
        sys.exit(1)
