"""Turning records into what a page shows: every public field titled from the schemas, with
vocabulary codes replaced by their Chinese labels. No HTML here: templates escape."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import quote, urlencode

from ..schemas import Field, fields, vocabulary_labels


@dataclass(frozen=True)
class Entry:
    """One field as shown: ``kind`` is text, tags, table or group (nested entries)."""

    title: str
    kind: str
    value: Any
    name: str = ""


@cache
def labels(vocab: str) -> dict[str, str]:
    return vocabulary_labels(vocab)


def label(vocab: str | None, code: Any) -> str:
    if vocab is None:
        return text(code)
    return labels(vocab).get(str(code), str(code))


def text(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _items_vocab(field: Field) -> str | None:
    items = field.schema.get("items")
    return items.get("x-vocab") if isinstance(items, dict) else field.schema.get("x-vocab")


def entry(kind: str, field: Field, value: Any, programmes: dict[str, str]) -> Entry | None:
    if value is None or value == [] or value == {} or value == "":
        return None
    schema = field.schema
    if field.name == "programme" and isinstance(value, str):
        return Entry(field.title_zh, "text", programmes.get(value, value), field.name)
    if schema.get("type") == "object" and isinstance(value, dict):
        nested = [
            entry(kind, sub, value.get(sub.name), programmes) for sub in nested_fields(kind, schema)
        ]
        return Entry(field.title_zh, "group", [e for e in nested if e], field.name)
    if field.is_list and isinstance(value, list):
        items = schema.get("items", {})
        if isinstance(items, dict) and items.get("type") == "object":
            columns = nested_fields(kind, items)
            rows = [[cell(sub, row.get(sub.name)) for sub in columns] for row in value]
            return Entry(field.title_zh, "table", ([c.title_zh for c in columns], rows), field.name)
        vocab = _items_vocab(field)
        return Entry(field.title_zh, "tags", [label(vocab, v) for v in value], field.name)
    return Entry(field.title_zh, "text", label(field.vocab, value), field.name)


def cell(field: Field, value: Any) -> str:
    if isinstance(value, list):
        return "、".join(label(_items_vocab(field), v) for v in value)
    return label(field.vocab, value)


@cache
def record_fields(kind: str) -> tuple[Field, ...]:
    return tuple(fields(kind))


_NESTED: dict[tuple[str, int], tuple[Field, ...]] = {}


def nested_fields(kind: str, node: dict[str, Any]) -> tuple[Field, ...]:
    """``fields(kind, node)`` remembered per schema node (nodes live as long as the cache)."""
    key = (kind, id(node))
    if key not in _NESTED:
        _NESTED[key] = tuple(fields(kind, node))
    return _NESTED[key]


def entries(
    kind: str, record: dict[str, Any], skip: frozenset[str], programmes: dict[str, str]
) -> list[Entry]:
    shown = (
        entry(kind, f, record.get(f.name), programmes)
        for f in record_fields(kind)
        if f.name not in skip
    )
    return [e for e in shown if e]


def record_file_url(repository: str, branch: str, kind: str, record: dict[str, Any]) -> str:
    if kind == "project":
        path = f"data/projects/{record['province']}/{record['id']}.json"
    else:
        path = f"data/{kind}s/{record['id']}.json"
    return f"{repository}/blob/{quote(branch)}/{quote(path)}"


def correction_url(repository: str, kind_zh: str, record: dict[str, Any], name: str) -> str:
    query = urlencode(
        {"template": "correction.yml", "title": f"更正{kind_zh} {record['id']}：{name}"},
        quote_via=quote,
    )
    return f"{repository}/issues/new?{query}"
