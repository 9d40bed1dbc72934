"""All records and hand-kept tables of one dataset, in memory: what the derived tables
(matching, statistics) and the package are made from.

A ``RecordSet`` comes either from a data directory that passed validation (the records as
validation read them, ``from_records``, or read again, ``from_data_dir``) or from a built
package (``springrain.package.reader``); the steps after it cannot tell which.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from springrain.model import tables as hand_kept
from springrain.model.discovery import Discovery, discover
from springrain.model.kinds import kind_names
from springrain.model.records import read_bytes

Record = dict[str, Any]
Row = dict[str, str]


@dataclass
class RecordSet:
    records: dict[str, list[Record]]  # kind → records sorted by id
    tables: dict[str, list[Row]] = field(default_factory=dict)  # hand-kept table → rows

    def __post_init__(self) -> None:
        for kind in kind_names():
            self.records.setdefault(kind, [])
        for name in hand_kept.names():
            self.tables.setdefault(name, [])

    @property
    def projects(self) -> list[Record]:
        return self.records["project"]

    @property
    def enterprises(self) -> list[Record]:
        return self.records["enterprise"]

    @property
    def cooperations(self) -> list[Record]:
        return self.records["cooperation"]

    @property
    def programmes(self) -> list[Row]:
        return self.tables["programmes"]

    @property
    def targets(self) -> list[Row]:
        return self.tables["targets"]

    @property
    def reported(self) -> list[Row]:
        return self.tables["reported_figures"]

    def counts(self) -> dict[str, int]:
        return {kind: len(records) for kind, records in self.records.items()}

    @classmethod
    def from_data_dir(cls, data_dir: Path, found: Discovery | None = None) -> RecordSet:
        """Every record and table of a data directory (one that passed validation)."""
        found = found or discover(data_dir)
        records: dict[str, list[Record]] = {kind: [] for kind in kind_names()}
        for record_file in found.records:
            records[record_file.kind].append(orjson.loads(read_bytes(record_file.path)))
        return cls.from_records(data_dir, found, records)

    @classmethod
    def from_records(
        cls, data_dir: Path, found: Discovery, records: dict[str, list[Record]]
    ) -> RecordSet:
        """``records`` (kind → records, as validation read them) with the tables of
        ``data_dir``."""
        records = {
            kind: sorted(items, key=lambda record: record["id"]) for kind, items in records.items()
        }
        tables = {
            name: hand_kept.read_rows(data_dir / hand_kept.file_name(name)) for name in found.tables
        }
        return cls(records, tables)
