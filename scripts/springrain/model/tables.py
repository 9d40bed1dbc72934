"""The hand-kept tables (``data/<name>.csv``), read from their Table Schemas.

Each ``schemas/tables/<name>.table.json`` (outside ``generated/``) describes one table kept
by hand, with its ``title`` and ``x-title-en``; tables another one refers to come first.
"""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path
from typing import Any

from springrain.config import TABLES_DIR

SUFFIX = ".table.json"


@cache
def _schemas() -> dict[str, dict[str, Any]]:
    found = {
        path.name[: -len(SUFFIX)]: json.loads(path.read_text("utf-8"))
        for path in sorted(TABLES_DIR.glob(f"*{SUFFIX}"))
    }
    ordered: dict[str, dict[str, Any]] = {}

    def visit(name: str) -> None:
        if name in ordered or name not in found:
            return
        for key in found[name].get("foreignKeys", []):
            target = key.get("reference", {}).get("resource")
            if target and target != name:
                visit(target)
        ordered[name] = found[name]

    for name in found:
        visit(name)
    return ordered


def names() -> tuple[str, ...]:
    return tuple(_schemas())


def table_schema(name: str) -> dict[str, Any]:
    """The Table Schema of a hand-kept table (a copy: safe to change)."""
    return json.loads(json.dumps(_schemas()[name]))


def titles(name: str) -> tuple[str, str]:
    schema = _schemas()[name]
    return schema.get("title", name), schema.get("x-title-en", name)


def file_name(name: str) -> str:
    return f"{name}.csv"


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a hand-kept table as dicts of strings (after validation passed)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def programme_provinces(data_dir: Path) -> dict[str, str] | None:
    """Programme id → province code ('' for national), or None when the table is absent."""
    path = data_dir / file_name("programmes")
    if not path.is_file():
        return None
    try:
        return {row.get("id") or "": row.get("province") or "" for row in read_rows(path)}
    except (UnicodeDecodeError, csv.Error):
        return {}  # the table check reports the broken table itself


HAND_KEPT_TABLES = names()
