"""From IR to the files of one generated package, formatted by black.

Rendering is cheap; black is not (a few thousand lines a second), so black
runs on one class or method at a time (see ``codegen.format``), in parallel,
and each result is cached under ``.cache/`` by the hash of its text: a
regeneration formats only the classes and methods whose text changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path

import jinja2

from codegen import format as fmt
from codegen import ir
from codegen.schema import dump

ROOT_DOC = (
    '"""{package}: typed AWS clients, generated from botocore models.\n'
    "\n"
    "Do not edit: run `typed-aws-codegen generate`.\n"
    '"""\n'
)
PYTHON_MODULES = ("__init__.py", "client.py", "shapes.py", "enums.py", "errors.py")


def templates_dir() -> Path:
    """The templates: ``codegen/templates`` in an installed wheel (the
    checkout's ``templates/`` ships as the package ``codegen.templates``, see
    pyproject's package-dir), else the checkout's own ``templates/`` (a
    source tree, or an editable install of it)."""
    here = Path(__file__).resolve().parent
    installed = here / "templates"
    return installed if installed.is_dir() else here.parent / "templates"


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    # Where black may format on its own: a top-level statement, or a method.
    env.globals.update(CHUNK=fmt.CHUNK, METHOD=fmt.METHOD)
    return env


# Files rendered from another file's template: the asynchronous client is
# the blocking one's template with ``aio`` set.
_TEMPLATES = {"aio.py": "client.py.j2"}


def import_path(package: str | None, service: ir.Service) -> str:
    """Where users import the service from: ``myapp.aws.iot`` (or ``iot``
    for a top-level package)."""
    return f"{package}.{service.package}" if package else service.package


def render_service(
    service: ir.Service, env: jinja2.Environment, package: str | None = None
) -> dict[str, str]:
    """Unformatted text of every file of one package, by relative path.

    ``package`` is the import path the service packages live under
    (``myapp.aws``; None: top level); only documentation names it, as the
    modules import each other relatively."""
    usage = f"Usage: ``from {import_path(package, service)} import "
    usage += f"{service.client_class}``.\n"
    separator = "\n" if service.docstring.endswith("\n") else "\n\n"
    contexts: dict[str, dict[str, object]] = {
        "__init__.py": {"docstring": service.docstring + separator + usage},
        "client.py": {"imports": service.client_imports, "aio": False},
        "aio.py": {"imports": service.aio_imports, "aio": True},
        "shapes.py": {
            "imports": service.shapes_imports,
            "aliases": service.shapes_aliases,
        },
        "enums.py": {"imports": service.enums_imports},
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
        f"{service.package}/{name}": env.get_template(
            _TEMPLATES.get(name, f"{name}.j2")
        ).render(s=service, **ctx)
        for name, ctx in contexts.items()
    }
    files[f"{service.package}/_schema.json"] = dump(service.schema) + "\n"
    if service.endpoint_rules is not None:
        files[f"{service.package}/_endpoints.json"] = (
            json.dumps(service.endpoint_rules, separators=(",", ":")) + "\n"
        )
    files[f"{service.package}/py.typed"] = ""
    return files


def root_files(package: str | None) -> dict[str, str]:
    """The output directory's own files: the ``__init__.py`` of ``package``
    (none when the services are top-level packages)."""
    if package is None:
        return {}
    return {"__init__.py": ROOT_DOC.format(package=package)}


# -- formatting ---------------------------------------------------------------


def _cache_dir() -> Path:
    """One cache per black version and per Python: the output must not depend
    on the Python, and a run under another one (CI runs 3.11 and 3.13) checks
    that for real instead of reading what the other Python produced."""
    from importlib.metadata import version

    base = Path(os.environ.get("CODEGEN_CACHE", Path.cwd() / ".cache" / "codegen"))
    python = "py{}.{}".format(*sys.version_info[:2])
    return base / f"black-{version('black')}-{fmt.LINE_LENGTH}-{python}"


class ServiceCache:
    """Finished files of a package, by the hash of everything they came from.

    The key covers the service's model files and the generator itself (its
    sources, templates, and the versions of black, botocore, whose
    ``xform_name`` makes the names, and jinja2), so a hit is always exactly
    what a fresh generation would produce.
    """

    def __init__(self) -> None:
        from importlib.metadata import version

        self.directory = _cache_dir() / "services"
        digest = hashlib.sha256()
        for package in ("botocore", "jinja2"):
            digest.update(f"{package} {version(package)}\0".encode())
        here = Path(__file__).resolve().parent
        for path in sorted([*here.glob("*.py"), *templates_dir().glob("*.j2")]):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        self.fingerprint = digest.hexdigest()

    def key(self, service_dir: Path, package: str | None) -> str:
        digest = hashlib.sha256(self.fingerprint.encode())
        # The docstrings name the import path.
        digest.update(f"{package or ''}\0".encode())
        # The directory's name names the package: the same files under
        # another name are another package.
        digest.update(service_dir.name.encode() + b"\0")
        for path in sorted(service_dir.glob("*.json")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        return str(digest.hexdigest())

    def get(self, key: str) -> dict[str, str] | None:
        try:
            data: dict[str, str] = json.loads((self.directory / key).read_bytes())
            return data
        except (OSError, ValueError):
            return None

    def put(self, key: str, files: dict[str, str]) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            tmp = self.directory / f".{key}.{os.getpid()}.tmp"
            tmp.write_text(json.dumps(files), encoding="utf-8")
            os.replace(tmp, self.directory / key)
        except OSError:
            pass  # a cache that cannot be written only costs time


def format_all(sources: dict[str, str], jobs: int | None = None) -> dict[str, str]:
    """black-format every ``.py`` source, chunk by chunk, cached."""
    python = {p: s for p, s in sources.items() if p.endswith(".py")}
    out = {p: s for p, s in sources.items() if p not in python}
    out.update(fmt.Formatter(_cache_dir(), jobs).format_modules(python))
    return out


def unformatted(sources: dict[str, str]) -> dict[str, str]:
    """The sources as rendered, without the chunk marks (black not run)."""
    return {
        p: fmt.strip_marks(s) if p.endswith(".py") else s for p, s in sources.items()
    }


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
