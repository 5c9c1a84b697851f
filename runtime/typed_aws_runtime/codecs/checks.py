"""What the JSON and CBOR decoders share: the type error they raise and the
enum decoder (both read values that already carry a Python type)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from typed_aws_runtime.schema import Shape


def wrong_type(expected: str, value: Any) -> TypeError:
    """The error for a decoded value of the wrong kind."""
    return TypeError(f"expected {expected}, got {type(value).__name__}")


def enum_decoder(shape: Shape) -> Callable[[Any], Any]:
    """A string as the enum member it names; values the model does not know
    stay plain strings."""
    known = shape.enum_class._value2member_map_  # type: ignore[union-attr]

    def enum_in(value: Any) -> Any:
        if type(value) is not str:
            raise wrong_type("a string", value)
        return known.get(value, value)

    return enum_in
