"""A module that is imported the first time one of its attributes is read.

Generated client modules refer to their ``shapes`` and ``enums`` modules
through these proxies: annotations such as ``shapes.JobDriver`` still resolve
(``typing.get_type_hints`` reads the attribute), but hundreds of classes are
only created when a call or a type lookup first needs them.
"""

from __future__ import annotations

import importlib
import types
from typing import Any


class LazyModule(types.ModuleType):
    """Stands for ``name`` until an attribute is read, then forwards to it."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.__dict__["_lazy_target"] = None

    def _load(self) -> types.ModuleType:
        target: types.ModuleType | None = self.__dict__["_lazy_target"]
        if target is None:
            target = importlib.import_module(self.__name__)
            self.__dict__["_lazy_target"] = target
        return target

    def __getattr__(self, attribute: str) -> Any:
        # Only called on a miss: kept in this proxy's own dict, a later read
        # (a client method names its output class on every call) is a plain
        # module attribute lookup.
        value = getattr(self._load(), attribute)
        if not attribute.startswith("__"):
            self.__dict__[attribute] = value
        return value

    def __dir__(self) -> list[str]:
        return dir(self._load())


def lazy_module(name: str) -> Any:
    return LazyModule(name)
