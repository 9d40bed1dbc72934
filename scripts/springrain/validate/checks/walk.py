"""Walking a parsed record: every string with its JSON pointer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def escape_pointer_part(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def iter_strings(value: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """Yield ``(pointer, text)`` for every string value, and for every object key."""
    if isinstance(value, str):
        yield pointer, value
    elif isinstance(value, dict):
        for key, item in value.items():
            child = f"{pointer}/{escape_pointer_part(str(key))}"
            yield child, str(key)
            yield from iter_strings(item, child)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from iter_strings(item, f"{pointer}/{index}")


def values_at(record: Any, path: tuple[str, ...], pointer: str = "") -> Iterator[tuple[str, Any]]:
    """Values at a schema path whose list steps are written ``*``, with their pointers."""
    if not path:
        yield pointer, record
        return
    head, rest = path[0], path[1:]
    if head == "*":
        if isinstance(record, list):
            for index, item in enumerate(record):
                yield from values_at(item, rest, f"{pointer}/{index}")
    elif isinstance(record, dict) and head in record:
        yield from values_at(record[head], rest, f"{pointer}/{head}")


def json_type(value: Any) -> str:
    """The JSON type name of a parsed value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"
