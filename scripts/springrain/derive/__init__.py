"""Tables derived from the records: the record tables, matching and statistics.

They read a ``RecordSet`` (from a data directory, or from a built package) and return rows;
they never write files. The package writer publishes what they return.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DerivedTable:
    """A table a derive step adds to the package: its rows (dicts by field name; values
    str, int, float, bool or None) and its Table Schema, whose field titles are the Chinese
    column headers of the workbook."""

    name: str
    table_schema: dict[str, Any]
    title_zh: str
    title_en: str
    description: str
    rows: Sequence[Mapping[str, Any]]
