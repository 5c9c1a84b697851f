"""From IR to the files of one generated package, formatted by black.

Rendering is cheap; black is not (a few thousand lines a second), so every
formatted result is cached under ``.cache/`` by the hash of its unformatted
text: a regeneration formats only the modules whose text changed, and the
ones that did are formatted in parallel.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import jinja2

from codegen import ir
from codegen.schema import dump

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
LINE_LENGTH = 88
ROOT_INIT = '"""Typed AWS clients generated from botocore models. Do not edit."""\n'
PYTHON_MODULES = ("__init__.py", "client.py", "shapes.py", "enums.py", "errors.py")


@dataclass(frozen=True)
class OutputFile:
    path: str  # relative to the output directory, with "/" separators
    text: str


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )


def render_service(service: ir.Service, env: jinja2.Environment) -> dict[str, str]:
    """Unformatted text of every file of one package, by relative path."""
    contexts: dict[str, dict[str, object]] = {
        "__init__.py": {},
        "client.py": {"imports": service.client_imports},
        "shapes.py": {
            "imports": service.shapes_imports,
            "aliases": service.shapes_aliases,
        },
        "enums.py": {},
        "errors.py": {
            "imports": service.errors_imports,
            "aliases": service.errors_aliases,
        },
    }
    if service.paginators is not None:
        contexts["paginators.py"] = {"m": service.paginators}
    if service.waiters is not None:
        contexts["waiters.py"] = {"m": service.waiters}
    files = {
        f"{service.package}/{name}": env.get_template(f"{name}.j2").render(
            s=service, **ctx
        )
        for name, ctx in contexts.items()
    }
    files[f"{service.package}/_schema.json"] = dump(service.schema) + "\n"
    if service.endpoint_rules is not None:
        files[f"{service.package}/_endpoints.json"] = (
            json.dumps(service.endpoint_rules, separators=(",", ":")) + "\n"
        )
    files[f"{service.package}/py.typed"] = ""
    return files


def root_files() -> dict[str, str]:
    return {"__init__.py": ROOT_INIT}


# -- formatting ---------------------------------------------------------------


def _format(source: str) -> str:
    import black
    from black.mode import Mode, TargetVersion

    mode = Mode(line_length=LINE_LENGTH, target_versions={TargetVersion.PY311})
    return black.format_str(source, mode=mode)


def _cache_dir() -> Path:
    from importlib.metadata import version

    base = Path(os.environ.get("CODEGEN_CACHE", Path.cwd() / ".cache" / "codegen"))
    return base / f"black-{version('black')}-{LINE_LENGTH}"


def _key(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()


def format_all(sources: dict[str, str], jobs: int | None = None) -> dict[str, str]:
    """black-format every ``.py`` source, from the cache where possible."""
    python = {p: s for p, s in sources.items() if p.endswith(".py")}
    out = {p: s for p, s in sources.items() if p not in python}
    if not python:
        return out
    cache = _cache_dir()
    todo: dict[str, str] = {}
    for path, source in python.items():
        cached = cache / _key(source)
        if cached.is_file():
            out[path] = cached.read_text(encoding="utf-8")
        else:
            todo[path] = source
    for path, formatted in _format_many(todo, jobs).items():
        out[path] = formatted
        _store(cache, todo[path], formatted)
    return out


def _format_many(todo: dict[str, str], jobs: int | None) -> dict[str, str]:
    if not todo:
        return {}
    # Largest first, so the long files start early and the pool ends together.
    paths = sorted(todo, key=lambda p: -len(todo[p]))
    workers = min(jobs or os.cpu_count() or 1, len(paths))
    if workers <= 1:
        return {p: _format(todo[p]) for p in paths}
    import multiprocessing

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return dict(
            zip(paths, pool.map(_format, (todo[p] for p in paths)), strict=True)
        )


def _store(cache: Path, source: str, formatted: str) -> None:
    try:
        cache.mkdir(parents=True, exist_ok=True)
        tmp = cache / f".{_key(source)}.{os.getpid()}.tmp"
        tmp.write_text(formatted, encoding="utf-8")
        os.replace(tmp, cache / _key(source))
    except OSError:
        pass  # a cache that cannot be written only costs time


# -- writing ------------------------------------------------------------------


def stale_files(
    output: Path, files: dict[str, str], packages: Iterable[str]
) -> list[str]:
    """Relative paths that differ from ``files``, are missing, or should not exist."""
    stale = []
    for path, text in sorted(files.items()):
        target = output / path
        try:
            if target.read_bytes() != text.encode("utf-8"):
                stale.append(path)
        except OSError:
            stale.append(path)
    for package in packages:
        directory = output / package
        if not directory.is_dir():
            continue
        for found in sorted(directory.rglob("*")):
            rel = found.relative_to(output).as_posix()
            if (
                found.is_file()
                and "__pycache__" not in found.parts
                and rel not in files
            ):
                stale.append(rel)
    return stale


def write_files(
    output: Path, files: dict[str, str], packages: Iterable[str]
) -> list[str]:
    """Make ``output`` hold exactly ``files`` for ``packages``; return what changed."""
    changed = stale_files(output, files, packages)
    for rel in changed:
        target = output / rel
        if rel not in files:
            target.unlink()
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_bytes(files[rel].encode("utf-8"))
        os.replace(tmp, target)
    return changed
