"""The dates a record holds: the fields its schema declares dates
(``defs.schema.json#/$defs/date``), wherever they sit (``history/*/date``). Validation checks
them (``validate.checks.dates``); the statistics date their figures by them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import Any

from springrain.model.schemas import deref, record_schema

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@lru_cache(maxsize=1 << 16)
def is_real_date(text: str) -> bool:
    """Whether ``text`` is a date as the schemas write one, YYYY-MM-DD in ASCII digits, and
    a day that exists (``fromisoformat`` alone also takes 2026-W01-1 and other digits).
    Records share few distinct dates: each is parsed once."""
    if not (text.isascii() and ISO_DATE.fullmatch(text)):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


@cache
def date_paths(kind: str) -> tuple[tuple[str, ...], ...]:
    """Schema paths (``*`` for list items) of every date field of a kind."""
    schema = record_schema(kind)
    paths: list[tuple[str, ...]] = []

    def walk(node: dict[str, Any], path: tuple[str, ...]) -> None:
        if node.get("$ref", "").endswith("/date"):
            paths.append(path)
            return
        node = deref(kind, node)
        if isinstance(node.get("items"), dict):
            walk(node["items"], (*path, "*"))
        for name, prop in node.get("properties", {}).items():
            walk(prop, (*path, name))

    walk(schema, ())
    return tuple(paths)


def dates_at(record: dict[str, Any], path: tuple[str, ...]) -> list[tuple[str, Any]]:
    """(pointer, value) at a date path: ``values_at`` for the shapes our schemas have (a
    top-level field, or a field of each item of a list), without a generator per level; any
    other shape through ``values_at``."""
    if len(path) == 1:
        return [("/" + path[0], record[path[0]])] if path[0] in record else []
    if len(path) == 3 and path[1] == "*":
        items = record.get(path[0])
        if items.__class__ is not list:
            return []
        name = path[2]
        return [
            (f"/{path[0]}/{i}/{name}", item[name])
            for i, item in enumerate(items)
            if item.__class__ is dict and name in item
        ]
    return list(values_at(record, path))


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


def record_dates(kind: str, record: dict[str, Any]) -> list[str]:
    """The values of a record's date fields that are text (validation has checked them)."""
    return [
        value
        for path in date_paths(kind)
        for _, value in dates_at(record, path)
        if isinstance(value, str)
    ]
