"""CSV files of the package: one cell as text, typed back by Table Schema type, checksums."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any


def csv_text(value: Any) -> str:
    """One cell as text: empty for missing, ``true``/``false``, numbers as Python writes."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return str(value)


def _number(value: str) -> int | float:
    return float(value) if "." in value or "e" in value or "E" in value else int(value)


def _boolean(value: str) -> bool:
    return value == "true"


# The Table Schema types read back as something other than text; every other type (string,
# date, ...) stays as written.
CONVERTERS: dict[str, Callable[[str], Any]] = {
    "integer": int,
    "number": _number,
    "boolean": _boolean,
}


def typed(value: str, ts_type: str) -> Any:
    """A CSV cell back to a Python value by its Table Schema type."""
    if value == "":
        return None
    convert = CONVERTERS.get(ts_type)
    return convert(value) if convert else value


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write an RFC 4180 CSV (CRLF, minimal quoting, UTF-8 without BOM); returns rows."""
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([csv_text(v) for v in row])
            count += 1
    return count


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        return header, list(reader)


def count_rows(path: Path) -> int:
    """Rows of a CSV file, header excluded (quoted line breaks are inside rows)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return max(0, sum(1 for _ in csv.reader(handle)) - 1)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def dumps_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A CSV as text, for tests and messages."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[csv_text(v) for v in row] for row in rows])
    return buffer.getvalue()
