"""The import block of a generated module, derived from the names it uses.

Lines come out grouped and sorted as isort (ruff's ``I`` rules) wants them,
so generated code passes the same lint as hand-written code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Annotation names that come from the standard library or the runtime.
_STDLIB = {"Sequence": "collections.abc", "Mapping": "collections.abc", "IO": "typing"}
_RUNTIME = {
    "Document": "codegen.runtime.structure",
    "StreamingBody": "codegen.runtime.streaming",
}
_BUILTINS = frozenset({"str", "int", "float", "bool", "bytes"})


def lines(
    annotations: Iterable[str],
    local: Mapping[str, str],
    runtime: Mapping[str, set[str]],
    *,
    warnings: bool = False,
    module: str = "",
    typing: tuple[str, ...] = (),
) -> tuple[str, ...]:
    """``import``/``from`` lines for every name the annotations mention."""
    words = {w for a in annotations for w in _WORD.findall(a)}
    plain = sorted({"datetime"} & words | ({"warnings"} if warnings else set()))
    std: dict[str, set[str]] = {}
    third: dict[str, set[str]] = {k: set(v) for k, v in runtime.items() if v}
    here: dict[str, set[str]] = {}
    for word in words:
        if word in _STDLIB:
            std.setdefault(_STDLIB[word], set()).add(word)
        elif word in _RUNTIME:
            third.setdefault(_RUNTIME[word], set()).add(word)
        elif word in local and local[word] != module:
            here.setdefault(local[word], set()).add(word)
    for name in typing:
        std.setdefault("typing", set()).add(name)
    groups = [
        [f"import {m}" for m in plain] + _froms(std),
        _froms(third),
        _froms(here),
    ]
    out: list[str] = []
    for group in groups:
        if group:
            out.extend([*group, ""])
    return tuple(out[:-1])


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
