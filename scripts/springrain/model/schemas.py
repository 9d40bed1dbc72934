"""Loading the hand-written JSON Schemas and vocabularies, the single source of every field.

The record schemas share building blocks through ``defs.schema.json`` and name their
vocabularies with ``x-vocab``. ``record_schema`` returns one self-contained schema per kind:
the shared ``$defs`` copied in, references made local, and every ``x-vocab`` turned into an
``enum`` read from ``schemas/vocab/<name>.csv``. Everything that restates a field (Table
Schemas, forms, the data dictionary) reads it from here.
"""

from __future__ import annotations

import copy
import csv
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from springrain.config import SCHEMAS_DIR, VOCAB_DIR

DEFS_FILE = "defs.schema.json"
DEFS_PREFIX = DEFS_FILE + "#/$defs/"


@cache
def vocabulary(name: str) -> tuple[dict[str, str], ...]:
    """Rows of ``schemas/vocab/<name>.csv`` as dicts, in file order."""
    with open(VOCAB_DIR / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def vocabulary_codes(name: str) -> list[str]:
    return [row["code"] for row in vocabulary(name)]


def vocabulary_labels(name: str) -> dict[str, str]:
    """Code → Chinese label."""
    return {row["code"]: row["zh"] for row in vocabulary(name)}


def vocabulary_spellings(name: str) -> dict[str, tuple[str, ...]]:
    """Code → the ways a person may write it in a form's text: the code, its Chinese label,
    and the vocabulary's ``also`` column where it has one (国家级 for 国家级立项; several
    separated by ``；``)."""
    return {
        row["code"]: (
            row["code"],
            row["zh"],
            *(word for word in (row.get("also") or "").split("；") if word),
        )
        for row in vocabulary(name)
    }


def vocabulary_column(name: str, column: str) -> dict[str, str]:
    """Code → its value in ``column``: what a code means to the pipeline (a stage's phase,
    a class's level) is a column of its vocabulary, never a list in the code."""
    return {row["code"]: row[column] for row in vocabulary(name)}


def codes_where(name: str, column: str, value: str = "true") -> tuple[str, ...]:
    """The codes of vocabulary ``name`` whose ``column`` holds ``value``, in file order."""
    return tuple(code for code, held in vocabulary_column(name, column).items() if held == value)


def the_code(name: str, column: str, value: str = "true") -> str:
    """The one code of vocabulary ``name`` whose ``column`` holds ``value``."""
    codes = codes_where(name, column, value)
    if len(codes) != 1:
        raise ValueError(f"{name}: {len(codes)} codes with {column} = {value}")
    return codes[0]


def _load_json(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


@cache
def raw_schema(kind: str) -> dict[str, Any]:
    """The schema file exactly as written by hand."""
    return _load_json(SCHEMAS_DIR / f"{kind}.schema.json")


def _resolve(node: Any) -> Any:
    if isinstance(node, dict):
        resolved = {key: _resolve(value) for key, value in node.items()}
        ref = resolved.get("$ref")
        if isinstance(ref, str) and ref.startswith(DEFS_PREFIX):
            resolved["$ref"] = "#/$defs/" + ref[len(DEFS_PREFIX) :]
        vocab = resolved.get("x-vocab")
        if isinstance(vocab, str):
            resolved["enum"] = vocabulary_codes(vocab)
        return resolved
    if isinstance(node, list):
        return [_resolve(item) for item in node]
    return node


@cache
def _record_schema(kind: str) -> dict[str, Any]:
    from springrain.model.kinds import record_kinds

    if kind not in record_kinds():
        raise KeyError(kind)
    schema = copy.deepcopy(raw_schema(kind))
    shared = _load_json(SCHEMAS_DIR / DEFS_FILE)["$defs"]
    schema["$defs"] = {**shared, **schema.get("$defs", {})}
    resolved = _resolve(schema)
    _bound_vocabulary_lists(resolved, resolved["$defs"])
    return resolved


def _bound_vocabulary_lists(node: Any, defs: dict[str, Any]) -> None:
    """Give each list of distinct vocabulary codes its bound: as many items as the
    vocabulary has codes (written by hand, the count would refuse ticking every choice
    the day a row is added to the vocabulary)."""
    if isinstance(node, dict):
        items = node.get("items")
        if node.get("type") == "array" and node.get("uniqueItems") and isinstance(items, dict):
            ref = items.get("$ref", "")
            target = defs.get(ref.rsplit("/", 1)[-1], {}) if ref.startswith("#/$defs/") else items
            vocab = target.get("x-vocab") or items.get("x-vocab")
            if isinstance(vocab, str):
                node["maxItems"] = len(vocabulary_codes(vocab))
        for value in node.values():
            _bound_vocabulary_lists(value, defs)
    elif isinstance(node, list):
        for value in node:
            _bound_vocabulary_lists(value, defs)


def record_schema(kind: str) -> dict[str, Any]:
    """A self-contained copy of the record schema of ``kind`` (safe to modify)."""
    return copy.deepcopy(_record_schema(kind))


def deref(kind: str, node: dict[str, Any]) -> dict[str, Any]:
    """``node`` merged over the ``$defs`` entry it references, so titles and formats meet."""
    ref = node.get("$ref")
    if not ref:
        return node
    target = _record_schema(kind)["$defs"][ref.rsplit("/", 1)[-1]]
    merged = {**deref(kind, target), **node}
    merged.pop("$ref", None)
    return merged


# The ``$defs`` of text a person writes: one line, or paragraphs.
WORDS_DEFS = ("line", "text")

# Who sets a field (``x-set-by``), in words for the data dictionary and the forms.
SET_BY_ZH = {
    "submitter": "申报人填写，可自行修改",
    "submission": "申报时填写，之后仅维护者可改",
    "system": "提交时自动生成，之后仅维护者可改",
    "maintainer": "仅维护者填写",
}


@dataclass(frozen=True)
class Field:
    """One property of a record schema, as everything that restates it needs it."""

    name: str
    title_zh: str
    title_en: str
    description: str
    schema: dict[str, Any]
    required: bool
    defined_as: str = ""  # the ``$defs`` entry the property is (line, text, date, …), if any

    @property
    def vocab(self) -> str | None:
        vocab = self.schema.get("x-vocab")
        if vocab:
            return vocab
        items = self.schema.get("items")
        return items.get("x-vocab") if isinstance(items, dict) else None

    @property
    def is_list(self) -> bool:
        return self.schema.get("type") == "array"

    @property
    def set_by(self) -> str:
        """Who sets the field (``x-set-by``): ``submitter`` (the default: on the forms, and
        the submitter may edit it), ``submission`` (on the forms; afterwards only a
        maintainer changes it), ``system`` (made with the record by the tool that writes
        it, never on a form) or ``maintainer`` (only a maintainer may set it, ever)."""
        return self.schema.get("x-set-by", "submitter")

    @property
    def on_form(self) -> bool:
        return self.set_by in ("submitter", "submission")

    @property
    def maintainer_only(self) -> bool:
        return self.set_by == "maintainer"

    @property
    def submitter_may_edit(self) -> bool:
        return self.set_by == "submitter"

    @property
    def words(self) -> bool:
        """Whether the field holds words a person writes on a form (a line, a text, or a
        list or object of such parts), not a code, an id, a date or a number: the fields
        read together for contact data split across them."""
        if not self.on_form or self.vocab:
            return False
        if self.schema.get("type") in ("array", "object"):
            return True
        return self.defined_as in WORDS_DEFS


def fields(kind: str, node: dict[str, Any] | None = None) -> list[Field]:
    """The properties of ``node`` (by default the record) in schema order, dereferenced."""
    node = _record_schema(kind) if node is None else node
    required = set(node.get("required", ()))
    result = []
    for name, prop in node.get("properties", {}).items():
        full = deref(kind, prop)
        if isinstance(full.get("items"), dict):
            full = {**full, "items": deref(kind, full["items"])}
        result.append(
            Field(
                name=name,
                title_zh=full.get("title", name),
                title_en=full.get("x-en", name),
                description=full.get("description", ""),
                schema=full,
                required=name in required,
                defined_as=str(prop.get("$ref", "")).rsplit("/", 1)[-1],
            )
        )
    return result


def is_index(part: str) -> bool:
    """Whether a part of a JSON pointer can be an array's index: ASCII digits only. A key
    such as ² or ① is a digit to ``str.isdigit`` and no number to ``int``."""
    return part.isascii() and part.isdigit()


def subschema_at(kind: str, pointer: str) -> dict[str, Any] | None:
    """The dereferenced schema of the value at a JSON pointer, or None where none applies."""
    node: dict[str, Any] | None = _record_schema(kind)
    for part in [p for p in pointer.split("/") if p]:
        if node is None:
            return None
        node = deref(kind, node)
        if is_index(part) and "items" in node:
            node = node["items"]
        elif part in node.get("properties", {}):
            node = node["properties"][part]
        else:
            return None
    return deref(kind, node) if node is not None else None


def field_label(kind: str, pointer: str) -> tuple[str, str]:
    """Chinese and English label for a JSON pointer, e.g. 状态历程 第2项 › 日期."""
    labels_zh: list[str] = []
    labels_en: list[str] = []
    node: dict[str, Any] | None = _record_schema(kind)
    for part in [p for p in pointer.split("/") if p]:
        if node is not None:
            node = deref(kind, node)
        if is_index(part) and node is not None and "items" in node:
            labels_zh.append(f"第{int(part) + 1}项")
            labels_en.append(f"item {int(part) + 1}")
            node = node["items"]
        elif node is not None and part in node.get("properties", {}):
            node = deref(kind, node["properties"][part])
            labels_zh.append(node.get("title", part))
            labels_en.append(node.get("x-en", part))
        else:
            labels_zh.append(part)
            labels_en.append(part)
            node = None
    if not labels_zh:
        return ("整条记录", "the whole record")
    return (" › ".join(labels_zh), " › ".join(labels_en))


@cache
def key_order(kind: str) -> dict[str, Any]:
    """Nested map of property order used to write records canonically.

    ``{"__order__": [...], name: submap}``; list items share the submap of their field.
    """

    def build(node: dict[str, Any]) -> dict[str, Any]:
        node = deref(kind, node)
        if node.get("type") == "array" and isinstance(node.get("items"), dict):
            return build(node["items"])
        props = node.get("properties")
        if not props:
            return {}
        order: dict[str, Any] = {"__order__": list(props)}
        for name, prop in props.items():
            sub = build(prop)
            if sub:
                order[name] = sub
        return order

    return build(_record_schema(kind))


def python_pattern(pattern: str) -> str:
    """``pattern`` rewritten so that Python's ``re`` reads it as JSON Schema means it.

    JSON Schema patterns are ECMA-262 regular expressions, whose ``$`` (without the
    multiline flag) matches only at the very end; Python's also matches before a final line
    break, so ``^ENT-[0-9]{4}$`` would accept "ENT-0001\\n". Each ``$`` outside a character
    class becomes ``\\Z``. (Our patterns spell digits ``[0-9]``, so ``\\d`` needs no care.)"""
    out: list[str] = []
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            char = r"\Z"
        out.append(char)
    return "".join(out)


def fields_set_by(kind: str, *roles: str) -> frozenset[str]:
    """Names of the top-level fields of ``kind`` whose ``x-set-by`` is one of ``roles``."""
    return frozenset(f.name for f in fields(kind) if f.set_by in roles)


def multiline_allowed(kind: str, pointer: str) -> bool:
    """Whether the string at ``pointer`` is free text (may hold line breaks)."""
    node = subschema_at(kind, pointer)
    return bool(node) and node.get("maxLength", 0) > 200
