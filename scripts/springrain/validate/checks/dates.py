"""Every date of a record exists and is not in the future."""

from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache
from typing import Any

from springrain.model.schemas import deref, record_schema
from springrain.validate.checks.registry import Check, Finding, RecordContext, register, rule
from springrain.validate.checks.walk import values_at

DATE_INVALID = rule(
    "date.invalid",
    "error",
    "日期不存在",
    "「{field}」的日期 {value} 不存在（例如 2 月没有 30 日）。请改为正确的日期。",
    "{field_en}: {value} is not a real date.",
)
DATE_FUTURE = rule(
    "date.future",
    "error",
    "日期在未来",
    "「{field}」的日期 {value} 晚于今天（{today}）。记录只记载已经发生的事。",
    "{field_en}: {value} is in the future (today is {today}).",
)


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


def _dates(record: dict[str, Any], path: tuple[str, ...]) -> list[tuple[str, Any]]:
    """``values_at`` for the shapes our schemas have (a top-level field, or a field of each
    item of a list), without a generator per level; any other shape through ``values_at``."""
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


@lru_cache(maxsize=1 << 16)
def _real_date(value: str) -> bool:
    # Records share few distinct dates: each is parsed once.
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


@register
class Dates(Check):
    inspects = "record"
    rules = (DATE_INVALID, DATE_FUTURE)

    def check(self, context: RecordContext) -> list[Finding]:
        iso_today = context.today.isoformat()
        findings = []
        for path in date_paths(context.kind):
            for pointer, value in _dates(context.record, path):
                if not isinstance(value, str) or len(value) != 10:
                    continue  # the schema reports the shape
                if not _real_date(value):
                    zh, en = context.label(pointer)
                    findings.append(
                        DATE_INVALID.at(context.file, pointer, field=zh, field_en=en, value=value)
                    )
                elif value > iso_today:
                    zh, en = context.label(pointer)
                    findings.append(
                        DATE_FUTURE.at(
                            context.file,
                            pointer,
                            field=zh,
                            field_en=en,
                            value=value,
                            today=iso_today,
                        )
                    )
        return findings
