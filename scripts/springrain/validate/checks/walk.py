"""Walking a parsed record: every string with its JSON pointer."""

from __future__ import annotations

from typing import Any


def escape_pointer_part(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def walk_strings(
    value: Any, pointer: str = ""
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """``(pointer, text)`` of every string value and every object key, in document order;
    and the same without the keys that are plain field names (``snake_case``), which hold
    no content of their own.

    Recursive: called on records whose nesting the file check has bounded (canonical JSON as
    orjson reads it, or a record checked against the nesting limit)."""
    everything: list[tuple[str, str]] = []
    content: list[tuple[str, str]] = []
    _walk(value, pointer, everything.append, content.append)
    return everything, content


def _walk(node: Any, path: str, every: Any, content: Any) -> None:
    kind = node.__class__
    if kind is str:
        every((path, node))
        content((path, node))
    elif kind is dict:
        for key, item in node.items():
            text = key if key.__class__ is str else str(key)
            child = (
                f"{path}/{text}"
                if "~" not in text and "/" not in text
                else f"{path}/{escape_pointer_part(text)}"
            )
            every((child, text))
            if not _plain(text):
                content((child, text))
            if item.__class__ is str:
                every((child, item))
                content((child, item))
            elif item.__class__ in _CONTAINERS:
                _walk(item, child, every, content)
    elif kind is list:
        for index, item in enumerate(node):
            if item.__class__ is str:
                pair = (f"{path}/{index}", item)
                every(pair)
                content(pair)
            elif item.__class__ in _CONTAINERS:
                _walk(item, f"{path}/{index}", every, content)


# Whether a key is a plain field name, remembered per key: records repeat the same few.
_PLAIN: dict[str, bool] = {}


def _plain(text: str) -> bool:
    plain = _PLAIN.get(text)
    if plain is None:
        plain = text.isascii() and text.isidentifier() and text.islower()
        if len(_PLAIN) < 4096:
            _PLAIN[text] = plain
    return plain


# Between the words of a record and each field read apart from them, in the text read
# together: more separators than a number holds between two digits (contacts'
# MAX_SEPARATORS), around a character no field may hold, so nothing is read across it.
APART = "\x00\n\x00"


def walk_texts(
    value: Any, skip: frozenset[str] = frozenset(), apart: frozenset[str] = frozenset()
) -> tuple[list[str], list[str]]:
    """The texts of ``walk_strings``'s content, without their pointers (the common case
    needs none: they are worked out only for a text that breaks a rule); and the texts read
    together: the same without the values of the top-level keys in ``skip``, and with those
    of the keys in ``apart`` moved after the rest, each after an ``APART``."""
    content: list[str] = []
    kept: list[str] = []
    after: list[str] = []
    if value.__class__ is dict:
        for key, item in value.items():
            text = key if key.__class__ is str else str(key)
            plain = _PLAIN.get(text)
            if not (plain if plain is not None else _plain(text)):
                content.append(text)
                kept.append(text)
            if text in skip:
                _texts(item, content.append)
                continue
            into = kept
            if text in apart:
                after.append(APART)
                into = after
            if item.__class__ is str:
                content.append(item)
                into.append(item)
            elif item.__class__ in _CONTAINERS:
                before = len(content)
                _texts(item, content.append)
                into.extend(content[before:])
    else:
        _texts(value, content.append)
        kept = list(content)
    if after:
        kept += after
    return content, kept


def _texts(node: Any, add: Any) -> None:
    kind = node.__class__
    if kind is str:
        add(node)
    elif kind is dict:
        for key, item in node.items():
            text = key if key.__class__ is str else str(key)
            plain = _PLAIN.get(text)
            if not (plain if plain is not None else _plain(text)):
                add(text)
            if item.__class__ is str:
                add(item)
            elif item.__class__ in _CONTAINERS:
                _texts(item, add)
    elif kind is list:
        for item in node:
            if item.__class__ is str:
                add(item)
            elif item.__class__ in _CONTAINERS:
                _texts(item, add)


def iter_strings(value: Any, pointer: str = "") -> list[tuple[str, str]]:
    """``(pointer, text)`` of every string value and every object key, in document order."""
    return walk_strings(value, pointer)[0]


_CONTAINERS = (dict, list)


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
