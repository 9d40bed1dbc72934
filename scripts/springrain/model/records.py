"""Reading and writing record files in their one canonical form, and parsing their bytes.

Canonical: UTF-8 without BOM, 2-space indent, keys in schema order (unknown keys after, as
found, so nothing is lost), Chinese unescaped, one final newline.
"""

from __future__ import annotations

import json
import os
import stat
from functools import cache
from pathlib import Path
from typing import Any

import orjson

from springrain.errors import SpringrainError
from springrain.model.kinds import kind as record_kind
from springrain.model.schemas import key_order

_UNKNOWN = 1 << 30


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


class UnsafeWrite(SpringrainError):
    """A record file that would be written through a link or over something not a file."""


def _refuse_links(data_dir: Path, path: Path) -> None:
    """Refuse ``path`` when it, or any folder between ``data_dir`` and it, is a symlink or
    not what it should be: a planted link must never redirect a write to another file."""
    current = data_dir
    if current.is_symlink():
        raise UnsafeWrite(
            f"数据目录 {data_dir} 是一个链接，拒绝写入。",
            f"The data directory {data_dir} is a link; refusing to write.",
        )
    relative = path.relative_to(data_dir)
    for index, part in enumerate(relative.parts):
        current = current / part
        last = index == len(relative.parts) - 1
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            return
        if (
            stat.S_ISLNK(mode)
            or (not last and not stat.S_ISDIR(mode))
            or (last and not stat.S_ISREG(mode))
        ):
            raise UnsafeWrite(
                f"拒绝写入 {current}：它是链接或不是普通文件/文件夹。请删除它后再试，或请维护者检查。",
                f"Refusing to write {current}: it is a link or not a plain file or folder.",
            )


def write_record(data_dir: Path, kind: str, record: dict[str, Any]) -> Path:
    """Write ``record`` canonically at its place under ``data_dir``; returns the path.

    Only regular files are written, never through a link: each folder on the way and the
    file itself are checked, the bytes go to a new temporary file beside it (opened with
    O_EXCL | O_NOFOLLOW) that then replaces the file."""
    path = record_kind(kind).path_of(data_dir, record)
    _refuse_links(data_dir, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _refuse_links(data_dir, path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(temporary, flags, 0o644)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(canonical_bytes(kind, record))
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def restore_record(data_dir: Path, path: Path, content: bytes | None) -> None:
    """Put back what ``path`` held before a write (None: it did not exist)."""
    _refuse_links(data_dir, path)
    if content is None:
        path.unlink(missing_ok=True)
    else:
        path.write_bytes(content)


def load_records(data_dir: Path, kind: str) -> list[dict[str, Any]]:
    """All records of one kind, parsed, sorted by id; for steps that run after validation."""
    from springrain.model.discovery import record_files

    records = [orjson.loads(read_bytes(f.path)) for f in record_files(data_dir) if f.kind == kind]
    records.sort(key=lambda r: r["id"])
    return records


def read_bytes(path: Path | str) -> bytes:
    """A whole file, with fewer layers than open().read(): this runs once per record."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        chunks = []
        while chunk := os.read(descriptor, 1 << 16):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


# ---------------------------------------------------------------- parsing untrusted bytes

UTF8_BOM = b"\xef\xbb\xbf"
ENCODING_GUESSES = ("gb18030", "big5", "utf-16")


def decode(data: bytes) -> tuple[str | None, str | None]:
    """UTF-8 text, or None with the encoding the bytes look like."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, "UTF-16"
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    for encoding in ENCODING_GUESSES:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return None, encoding.upper()
    return None, None


# At most this many damaged spots in text that is otherwise UTF-8 (Chinese and all): a
# character cut short or a stray byte, not another encoding, whose every character would be
# one.
MAX_DAMAGED = 3


def utf8_damage(data: bytes) -> int | None:
    """The offset of the first damaged byte of text that is UTF-8 but for a few damaged
    spots; None when ``data`` is valid UTF-8, or looks like another encoding."""
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError as error:
        first = error.start
    text = data.decode("utf-8", "replace")
    damaged = text.count("\ufffd")
    if damaged > MAX_DAMAGED or not any(c > "\x7f" and c != "\ufffd" for c in text):
        return None
    return first


class DuplicateKey(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKey(key)
        result[key] = value
    return result


def strict_parse(text: str) -> Any:
    """The standard library's parser, refusing duplicate keys and NaN/Infinity.

    Used when a file is not canonical, where orjson's last-key-wins would silently hide a
    value."""

    def refuse_constant(name: str) -> Any:
        raise ValueError(f"{name} is not valid JSON")

    return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=refuse_constant)
