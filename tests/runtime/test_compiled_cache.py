"""The per-shape compile cache: a half-built closure is never seen by another
thread, recursion finds its own placeholder, and a failure publishes nothing."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from typed_aws_runtime.schema import CompiledCache, Shape


def _shape(name: str) -> Shape:
    return Shape(name, {"type": "structure"})


def test_other_threads_wait_for_the_outermost_compilation() -> None:
    a, b = _shape("A"), _shape("B")
    registered = threading.Event()
    release = threading.Event()
    fields: dict[str, list[str]] = {"A": [], "B": []}

    def compile(shape: Shape) -> list[str]:
        mine = fields[shape.name]
        cache.register(shape, mine)  # visible to this compilation only
        if shape is a:
            cache.get(b)  # B refers back to A: finds the placeholder
            registered.set()
            release.wait(5)
        else:
            assert cache.get(a) is fields["A"]
        mine.append("complete")
        return mine

    cache: CompiledCache[list[str]] = CompiledCache(compile)
    seen: list[Any] = []
    builder = threading.Thread(target=cache.get, args=(a,))
    builder.start()
    assert registered.wait(5)
    reader = threading.Thread(target=lambda: seen.append(list(cache.get(b))))
    reader.start()
    reader.join(0.2)
    assert reader.is_alive(), "B was handed out while A was still being built"
    release.set()
    builder.join(5)
    reader.join(5)
    assert seen == [["complete"]]
    assert cache.get(a) == ["complete"]


def test_a_failed_compilation_publishes_nothing() -> None:
    a, b = _shape("A"), _shape("B")
    calls: list[str] = []

    def compile(shape: Shape) -> str:
        calls.append(shape.name)
        cache.register(shape, "half")
        if shape is a:
            cache.get(b)
            if calls.count("A") == 1:
                raise RuntimeError("boom")
        return f"{shape.name} done"

    cache: CompiledCache[str] = CompiledCache(compile)
    with pytest.raises(RuntimeError):
        cache.get(a)
    assert cache.get(b) == "B done"  # compiled afresh, not the half-built one
    assert cache.get(a) == "A done"


def test_none_is_a_cached_value() -> None:
    calls: list[Shape] = []

    def compile(shape: Shape) -> None:
        calls.append(shape)

    cache: CompiledCache[None] = CompiledCache(compile)
    shape = _shape("S")
    assert cache.get(shape) is None
    assert cache.get(shape) is None
    assert calls == [shape]
