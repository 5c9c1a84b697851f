"""How the generator's modules depend on each other, and on the runtime's name.

No import cycle among ``codegen``'s modules (type-checking imports count),
no private name used across modules, every module importable on its own, and
the runtime's import name written once (``codegen.symbols.RUNTIME``).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from codegen import symbols
from tests.conftest import MODELS, ROOT

CODEGEN = ROOT / "codegen"
MODULES = sorted(p.stem for p in CODEGEN.glob("*.py") if p.stem != "__main__")
TEMPLATES = ROOT / "templates"


def _tree(module: str) -> ast.Module:
    return ast.parse((CODEGEN / f"{module}.py").read_text())


def _imports(module: str) -> list[tuple[str, str | None]]:
    """(imported codegen module, imported name) for every import, anywhere."""
    out: list[tuple[str, str | None]] = []
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.Import):
            out.extend(
                (a.name, None) for a in node.names if a.name.startswith("codegen")
            )
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "codegen"
        ):
            assert node.module is not None
            for alias in node.names:
                if node.module == "codegen" and alias.name in MODULES:
                    out.append((f"codegen.{alias.name}", None))
                else:
                    out.append((node.module, alias.name))
    return out


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module in MODULES:
        targets = {m.split(".")[1] for m, _ in _imports(module) if m.count(".") >= 1}
        graph[module] = {t for t in targets if t in MODULES} - {module}
    return graph


def test_the_generator_has_no_import_cycle() -> None:
    graph = _graph()
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        if module in path:
            cycle = path[path.index(module) :] + (module,)
            pytest.fail("import cycle: " + " -> ".join(cycle))
        if module in done:
            return
        for target in sorted(graph[module]):
            visit(target, path + (module,))
        done.add(module)

    for module in MODULES:
        visit(module, ())


def test_no_private_name_is_used_across_modules() -> None:
    for module in MODULES:
        for source, name in _imports(module):
            assert not (name or "").startswith("_"), (module, source, name)
        imported = {
            alias.asname or alias.name
            for node in ast.walk(_tree(module))
            if isinstance(node, ast.ImportFrom) and node.module == "codegen"
            for alias in node.names
        }
        for node in ast.walk(_tree(module)):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in imported
            ):
                assert not node.attr.startswith("_"), (module, node.value.id, node.attr)


@pytest.mark.parametrize("module", MODULES)
def test_each_module_imports_in_a_fresh_interpreter(module: str) -> None:
    subprocess.run(
        [sys.executable, "-c", f"import codegen.{module}"], cwd=ROOT, check=True
    )


def _code_strings(tree: ast.Module) -> list[str]:
    """String constants that are not docstrings."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(
            node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
        )
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_the_runtime_name_is_written_once() -> None:
    written = {
        module
        for module in MODULES
        if any(symbols.RUNTIME in s for s in _code_strings(_tree(module)))
    }
    assert written == {"symbols"}
    for template in TEMPLATES.glob("*.j2"):
        assert symbols.RUNTIME not in template.read_text(), template


def test_moving_the_runtime_is_a_one_line_edit(tmp_path: Path) -> None:
    # Generate omics (structures, enums, errors, streaming, paginators,
    # waiters) with symbols.py's one line changed: nothing names the old runtime.
    line = f'RUNTIME = "{symbols.RUNTIME}"'
    assert (CODEGEN / "symbols.py").read_text().count(line) == 1
    script = textwrap.dedent(f"""
        import importlib.util, json, sys
        from pathlib import Path
        path = Path("codegen/symbols.py")
        source = path.read_text().replace({line!r}, 'RUNTIME = "moved.runtime"')
        spec = importlib.util.spec_from_loader("codegen.symbols", loader=None)
        module = importlib.util.module_from_spec(spec)
        sys.modules["codegen.symbols"] = module
        exec(compile(source, str(path), "exec"), module.__dict__)
        from codegen.api import generate_package
        models = Path({str(MODELS / "omics")!r})
        def load(name):
            return json.loads((models / name).read_text())
        generate_package(
            load("service-2.json"), Path({str(tmp_path)!r}), name="omics",
            paginators=load("paginators-1.json"), waiters=load("waiters-2.json"),
            format_code=False,
        )
        """)
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True)
    sources = {p.name: p.read_text() for p in (tmp_path / "omics").glob("*.py")}
    assert set(sources) >= {"client.py", "shapes.py", "errors.py", "paginators.py"}
    assert "waiters.py" in sources
    for name, text in sources.items():
        assert symbols.RUNTIME not in text, name
    assert "from moved.runtime.client import BaseClient" in sources["client.py"]
    assert "from moved.runtime.errors import ServiceError" in sources["errors.py"]
    schema = json.loads((tmp_path / "omics" / "_schema.json").read_text())
    assert symbols.RUNTIME not in json.dumps(schema)
