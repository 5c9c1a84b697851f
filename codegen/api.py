"""Generation as a library call, for tests and tools that hold a model in memory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from codegen import naming, render
from codegen.loader import ServiceFiles
from codegen.resolver import resolve


def generate_package(
    model: dict[str, Any],
    output: Path,
    *,
    name: str,
    endpoint_rules: dict[str, Any] | None = None,
    paginators: dict[str, Any] | None = None,
    waiters: dict[str, Any] | None = None,
    format_code: bool = True,
    package: str | None = None,
) -> str:
    """Write the package for one in-memory service model; return its name.

    ``format_code=False`` skips black: the code is the same, only laid out
    differently, which suits tests that generate many throwaway packages.
    ``package`` is the import path of ``output`` (None: ``output`` is a
    ``sys.path`` entry); only the docstrings name it.
    """
    files = ServiceFiles(
        name=name,
        directory=Path("<memory>") / name,
        service=json.loads(json.dumps(model)),
        paginators=paginators,
        waiters=waiters,
        endpoint_rules=endpoint_rules,
    )
    sources = render.render_service(resolve(files), render.environment(), package)
    sources = render.format_all(sources) if format_code else render.unformatted(sources)
    package = naming.package_name(name)
    render.write_files(output, sources, [package])
    return package
