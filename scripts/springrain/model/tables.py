"""The hand-kept tables (``data/<name>.csv``), read from their Table Schemas.

Each ``schemas/tables/<name>.table.json`` (outside ``generated/``) describes one table kept
by hand, with its ``title`` and ``x-title-en``; tables another one refers to come first.
"""

from __future__ import annotations

import csv
import io
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from springrain.config import TABLES_DIR
from springrain.model.dates import is_real_date

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
    """Rows of a hand-kept table as dicts of strings: strict UTF-8 (``UnicodeDecodeError``
    otherwise), a byte-order mark at the start allowed (spreadsheet programs write one, and
    frictionless reads past it), every cell read whatever its length. The table check reads
    each table through this function too, so a table that passed is one the build reads."""
    text = path.read_bytes().decode("utf-8-sig")
    # The csv module's cell limit is process-wide, and a library may have raised it in one
    # process and not in another: raised here to the file's length, which no cell exceeds.
    if csv.field_size_limit() < len(text):
        csv.field_size_limit(len(text))
    return list(csv.DictReader(io.StringIO(text, newline="")))


# How a cell of each Table Schema type is written in a hand-kept table: what the steps
# after validation read (``datetime.date.fromisoformat``, ``int``). frictionless alone
# takes more (2026-1-1, ١٢, 1_000), which the build would then read otherwise or not at all.
CELL_FORMS = {
    "date": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
    "integer": re.compile(r"-?[0-9]{1,18}"),
}


def malformed_cells(name: str, rows: list[dict[str, str]]) -> list[tuple[int, str, str, str]]:
    """(row number, field, type, value) of every non-empty cell not written in its type's
    form (``CELL_FORMS``), or a date that does not exist; row 1 is the header."""
    typed = [
        (field["name"], field["type"])
        for field in _schemas()[name]["fields"]
        if field.get("type") in CELL_FORMS
    ]
    found = []
    for number, row in enumerate(rows, start=2):
        for field, kind in typed:
            value = row.get(field)
            if not isinstance(value, str) or not value:
                continue
            if not (value.isascii() and CELL_FORMS[kind].fullmatch(value)) or (
                kind == "date" and not is_real_date(value)
            ):
                found.append((number, field, kind, value))
    return found


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
