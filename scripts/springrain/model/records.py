"""Reading and writing record files in their one canonical form.

Canonical: UTF-8 without BOM, 2-space indent, keys in schema order (unknown keys after, as
found, so nothing is lost), Chinese unescaped, one final newline.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import orjson

from springrain.model.schemas import KINDS, key_order

_UNKNOWN = 1 << 30

FOLDERS = {"project": "projects", "enterprise": "enterprises", "cooperation": "cooperations"}
KIND_OF_FOLDER = {folder: kind for kind, folder in FOLDERS.items()}


def reorder(value: Any, order: dict[str, Any]) -> Any:
    if isinstance(value, dict):
        known = order.get("__order__", [])
        keys = [k for k in known if k in value] + [k for k in value if k not in known]
        return {k: reorder(value[k], order.get(k, {})) for k in keys}
    if isinstance(value, list):
        return [reorder(item, order) for item in value]
    return value


Nested = tuple[tuple[str, dict[str, Any]], ...]
# Records repeat the same few key sequences: for each, whether it is in order and, if so,
# which of its keys hold objects with an order of their own.
_ORDER_SEEN: dict[tuple[int, tuple[str, ...]], Nested | None] = {}
_NOT_SEEN = object()


def _verdict(keys: tuple[str, ...], order: dict[str, Any]) -> Nested | None:
    index = order["__index__"]
    positions = [index.get(key, _UNKNOWN) for key in keys]
    if positions != sorted(positions):
        return None
    return tuple((name, sub) for name, sub in order["__children__"] if name in keys)


def _in_order(value: dict[str, Any], order: dict[str, Any]) -> bool:
    """Whether every object's keys follow the schema order (unknown keys last)."""
    keys = tuple(value)
    seen_key = (id(order), keys)
    nested = _ORDER_SEEN.get(seen_key, _NOT_SEEN)
    if nested is _NOT_SEEN:
        nested = _verdict(keys, order)
        if len(_ORDER_SEEN) < 100_000:
            _ORDER_SEEN[seen_key] = nested
    if nested is None:
        return False
    for name, sub in nested:
        child = value[name]
        if child.__class__ is dict:
            if not _in_order(child, sub):
                return False
        elif child.__class__ is list:
            for item in child:
                if item.__class__ is dict and not _in_order(item, sub):
                    return False
    return True


@cache
def _order_index(kind: str) -> dict[str, Any]:
    """``key_order`` with positions precomputed, for the fast key-order check."""

    def build(order: dict[str, Any]) -> dict[str, Any]:
        names = order.get("__order__", [])
        children = tuple((name, build(order[name])) for name in names if name in order)
        return {"__index__": {name: i for i, name in enumerate(names)}, "__children__": children}

    return build(key_order(kind))


def is_canonical(kind: str, record: Any, data: bytes) -> bool:
    """Whether ``data`` is exactly the canonical form of ``record`` (parsed from it).

    Cheaper than building the canonical bytes: dump in file order, then check key order."""
    try:
        dumped = orjson.dumps(record, option=orjson.OPT_INDENT_2)
    except (TypeError, orjson.JSONEncodeError):
        return False
    return (
        len(dumped) + 1 == len(data)
        and data.startswith(dumped)
        and data.endswith(b"\n")
        and (not isinstance(record, dict) or _in_order(record, _order_index(kind)))
    )


def canonical_bytes(kind: str, record: Any) -> bytes:
    return orjson.dumps(reorder(record, key_order(kind)), option=orjson.OPT_INDENT_2) + b"\n"


def write_record(path: Path, kind: str, record: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(canonical_bytes(kind, record))


def record_path(data_dir: Path, kind: str, record: dict[str, Any]) -> Path:
    """Where a record lives: projects are filed by province, the others flat."""
    if kind == "project":
        return data_dir / FOLDERS[kind] / record["province"] / f"{record['id']}.json"
    return data_dir / FOLDERS[kind] / f"{record['id']}.json"


def kind_of(path: Path, data_dir: Path) -> str | None:
    """The record kind a file under ``data_dir`` holds, from its top folder."""
    try:
        parts = path.resolve().relative_to(data_dir.resolve()).parts
    except ValueError:
        parts = path.parts[-3:]
        for folder, kind in KIND_OF_FOLDER.items():
            if folder in parts:
                return kind
        return None
    return KIND_OF_FOLDER.get(parts[0]) if parts else None


def _walk_files(folder: str) -> list[str]:
    """Every file under ``folder`` (not hidden ones, not through symlinks), sorted."""
    files: list[str] = []
    folders = [folder]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                elif entry.is_file(follow_symlinks=False):
                    files.append(entry.path)
    files.sort()
    return files


def discover_files(data_dir: Path) -> Iterator[tuple[str, str]]:
    """Like ``discover``, as plain strings (cheaper for a hundred thousand files)."""
    for kind in KINDS:
        folder = os.path.join(data_dir, FOLDERS[kind])
        if os.path.isdir(folder):
            for path in _walk_files(folder):
                yield path, kind


def discover(data_dir: Path) -> Iterator[tuple[Path, str]]:
    """Every record file under ``data_dir``, sorted, with its kind (symlinks are skipped)."""
    for path, kind in discover_files(data_dir):
        yield Path(path), kind


def load_records(data_dir: Path, kind: str) -> list[dict[str, Any]]:
    """All records of one kind, parsed; for steps that run after validation."""
    return [orjson.loads(path.read_bytes()) for path, k in discover(data_dir) if k == kind]
