"""Turning records into what a page shows: every public field titled from the schemas, with
vocabulary codes replaced by their Chinese labels. No HTML here: templates escape."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from springrain.derive.matching.evidence import ITEM_END
from springrain.model.schemas import Field, fields, vocabulary_labels


class Entry(NamedTuple):
    """One field as shown: ``kind`` is text, tags, table or group (nested entries).

    A named tuple rather than a frozen dataclass, whose __init__ sets each field through
    object.__setattr__: some 30 are made per record page."""

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
    code = str(code)
    return labels(vocab).get(code, code)


def text(value: Any) -> str:
    # Most values are plain strings: return them before the checks below. ``type is``, not
    # isinstance, so that no str subclass (Markup, say) could pass through unconverted.
    if type(value) is str:
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _items_vocab(field: Field) -> str | None:
    items = field.schema.get("items")
    return items.get("x-vocab") if isinstance(items, dict) else field.schema.get("x-vocab")


@dataclass(frozen=True)
class FieldView:
    """A field and what showing its values takes, read from the schema once per process
    instead of once per value: every field of 25,000 records passes through ``entry``."""

    name: str
    title: str
    vocab: str | None  # of a single value
    items_vocab: str | None  # of each item of a list
    is_object: bool
    is_list: bool
    nested: tuple[FieldView, ...]  # an object's properties
    columns: tuple[FieldView, ...] | None  # a list of objects, shown as a table
    column_titles: tuple[str, ...]


def _view(kind: str, field: Field) -> FieldView:
    schema = field.schema
    items = schema.get("items")
    is_object = schema.get("type") == "object"
    is_table = isinstance(items, dict) and items.get("type") == "object"
    columns = tuple(_view(kind, c) for c in nested_fields(kind, items)) if is_table else None
    return FieldView(
        name=field.name,
        title=field.title_zh,
        vocab=field.vocab,
        items_vocab=_items_vocab(field),
        is_object=is_object,
        is_list=field.is_list,
        nested=tuple(_view(kind, sub) for sub in nested_fields(kind, schema)) if is_object else (),
        columns=columns,
        column_titles=tuple(c.title for c in columns or ()),
    )


@cache
def field_views(kind: str) -> tuple[FieldView, ...]:
    return tuple(_view(kind, f) for f in record_fields(kind))


@cache
def field_view(kind: str, name: str) -> FieldView:
    return next(v for v in field_views(kind) if v.name == name)


@cache
def _shown_views(kind: str, skip: frozenset[str]) -> tuple[FieldView, ...]:
    return tuple(v for v in field_views(kind) if v.name not in skip)


def entry(view: FieldView, value: Any, programmes: dict[str, str]) -> Entry | None:
    # Empty means None, "", [] or {}; False and 0 are values and are shown.
    if value is None or (not value and isinstance(value, (str, list, dict))):
        return None
    if view.name == "programme" and isinstance(value, str):
        return Entry(view.title, "text", programmes.get(value, value), view.name)
    if view.is_object and isinstance(value, dict):
        nested = [entry(sub, value.get(sub.name), programmes) for sub in view.nested]
        return Entry(view.title, "group", [e for e in nested if e], view.name)
    if view.is_list and isinstance(value, list):
        if view.columns is not None:
            return Entry(view.title, "table", table(view, value), view.name)
        return Entry(view.title, "tags", [label(view.items_vocab, v) for v in value], view.name)
    return Entry(view.title, "text", label(view.vocab, value), view.name)


def table(view: FieldView, rows: list[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    """A list of objects as (column titles, rows of cells)."""
    columns = view.columns or ()
    return (
        list(view.column_titles),
        [[cell(c, row.get(c.name)) for c in columns] for row in rows],
    )


def cell(view: FieldView, value: Any) -> str:
    if isinstance(value, list):
        return "、".join(label(view.items_vocab, v) for v in value)
    return label(view.vocab, value)


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
    shown = []
    for view in _shown_views(kind, skip):
        value = record.get(view.name)
        if value is None:  # a field the record leaves out: no call to entry
            continue
        e = entry(view, value, programmes)
        if e is not None:
            shown.append(e)
    return shown


def reasons(row: dict[str, str]) -> list[tuple[str, str]]:
    """A suggestion's reasons (the ``reasons`` column of the matches table: "标签：说明"
    items joined by ``ITEM_END``) as (label, text) pairs; a piece without a label belongs to
    the item before it."""
    items: list[tuple[str, str]] = []
    for piece in (row.get("reasons") or "").split(ITEM_END):
        name, found, text = piece.partition("：")
        if found and name and text:
            items.append((name, text))
        elif piece and items:
            items[-1] = (items[-1][0], items[-1][1] + ITEM_END + piece)
    return items
