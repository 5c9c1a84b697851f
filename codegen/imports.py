"""What a generated module imports, as values, and its import block.

An :class:`Import` is one name a module binds by importing it. The type IR
(``codegen.types``) and the resolver say which ones a module needs;
:func:`lines` only sorts and groups them as isort (ruff's ``I`` rules) wants,
so generated code passes the same lint as hand-written code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# The standard library's top-level packages the generated code imports from
# (fixed data: the output must not depend on the running interpreter). A test
# checks every standard-library symbol of ``codegen.symbols`` is listed.
STDLIB = frozenset({"collections", "datetime", "enum", "typing", "warnings"})


@dataclass(frozen=True, order=True)
class Import:
    """``from module import name``; ``import module`` when ``name`` is None.

    ``module`` is absolute, or relative to the generated package (``.enums``).
    """

    module: str
    name: str | None = None

    @property
    def binds(self) -> str:
        """The module-level name the import binds."""
        return self.name if self.name is not None else self.module.split(".")[0]


def lines(needed: Iterable[Import]) -> tuple[str, ...]:
    """``import``/``from`` lines for ``needed``: ``__future__``, the standard
    library, third party (the runtime), then the package's own modules, each
    group separated by a blank line."""
    sections: list[tuple[set[str], dict[str, set[str]]]] = [
        (set(), {}) for _ in range(4)
    ]
    for imp in needed:
        plain, froms = sections[_section(imp.module)]
        if imp.name is None:
            plain.add(imp.module)
        else:
            froms.setdefault(imp.module, set()).add(imp.name)
    out: list[str] = []
    for plain, froms in sections:
        group = [f"import {m}" for m in sorted(plain)] + _froms(froms)
        if group:
            out.extend([*group, ""])
    return tuple(out[:-1])


def _section(module: str) -> int:
    if module == "__future__":
        return 0
    if module.startswith("."):
        return 3
    return 1 if module.split(".")[0] in STDLIB else 2


def _froms(modules: Mapping[str, set[str]]) -> list[str]:
    return [
        f"from {m} import {', '.join(sorted(names, key=_isort_key))}"
        for m, names in sorted(modules.items())
    ]


def _isort_key(name: str) -> tuple[int, str]:
    # isort's default order: CONSTANTS, Classes, functions; case-insensitive.
    kind = 0 if name.isupper() else 1 if name[:1].isupper() else 2
    return kind, name.lower()


def aliases(names: Iterable[str]) -> tuple[str, ...]:
    """Module-level aliases for names a field of some class shadows."""
    return tuple(f"_{n} = {n}" for n in sorted(names))
