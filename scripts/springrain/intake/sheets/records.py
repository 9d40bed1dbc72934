"""Where imported records go: their programme and province, their new ids, and what the
data directory already holds (so an import never writes a second copy of a record).

Shared by every importer; the records themselves are written by ``model.records.write_record``
(regular files only, never through a link).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson

from springrain.model import tables as hand_kept
from springrain.model.discovery import discover
from springrain.model.ids import used_ids
from springrain.model.kinds import kind as record_kind
from springrain.model.records import read_bytes


@lru_cache(maxsize=4096)  # asked again and again of a sheet's repeated shared strings
def compare_key(text: str) -> str:
    """Comparison form of a name or label: NFKC (full-width → ASCII), no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def programmes(data_dir: Path) -> list[dict[str, str]]:
    path = data_dir / hand_kept.file_name("programmes")
    if not path.is_file():
        return []
    try:
        return hand_kept.read_rows(path)
    except (OSError, UnicodeDecodeError, csv.Error):
        return []


def programme_of_document(data_dir: Path, document: str) -> str | None:
    """The programme issued as ``document`` (its document number, e.g. 闽药监器械〔2025〕18号)."""
    wanted = compare_key(document)
    for row in programmes(data_dir):
        if row.get("document_number") and compare_key(row["document_number"]) == wanted:
            return row.get("id") or None
    return None


def province_of(data_dir: Path, programme: str) -> str:
    """The province code of a provincial programme ("" for a national one or an unknown id)."""
    for row in programmes(data_dir):
        if row.get("id") == programme:
            return row.get("province", "")
    return ""


def import_source(file_name: str, where: str) -> str:
    """What an imported record's first history event names as its source (one line)."""
    name = re.sub(r"[\r\n\t]", " ", file_name)[:100]
    return f"批量导入 {name} {where}".strip()


@dataclass
class Existing:
    """The records of the data and output directories an import must not duplicate."""

    ids: dict[str, set[str]] = field(default_factory=dict)  # kind → every used id
    projects: dict[tuple[str, str], str] = field(default_factory=dict)  # (name, inst.) → id
    project_records: dict[str, dict[str, Any]] = field(default_factory=dict)
    enterprises_by_code: dict[str, str] = field(default_factory=dict)
    enterprises_by_name: dict[str, str] = field(default_factory=dict)
    cooperations: dict[tuple[str, str], str] = field(default_factory=dict)  # (proj., ent.) → id
    _highest_numbers: dict[str, dict[tuple[str, ...], int]] = field(
        default_factory=dict, repr=False
    )

    def new_id(self, kind: str, **fields: Any) -> str:
        """The next id of ``kind`` after every used one with the same prefix; taken at once."""
        record = record_kind(kind)
        wanted = tuple(str(fields[name]) for name in record.id_prefix_fields)
        highest = self._highest(kind)
        number = highest.get(wanted, 0) + 1
        made = record.make_id(number, **fields)
        self.ids.setdefault(kind, set()).add(made)
        highest[wanted] = number
        return made

    def _highest(self, kind: str) -> dict[tuple[str, ...], int]:
        """Prefix → highest sequence number used, parsed once per kind (an import of
        thousands of rows must not re-read every id for each new one)."""
        if kind not in self._highest_numbers:
            highest: dict[tuple[str, ...], int] = {}
            for record_id in self.ids.get(kind, set()):
                _note_number(highest, kind, record_id)
            self._highest_numbers[kind] = highest
        return self._highest_numbers[kind]

    def add(self, kind: str, record: dict[str, Any]) -> None:
        """Remember a record (read or just written)."""
        record_id = str(record.get("id", ""))
        self.ids.setdefault(kind, set()).add(record_id)
        if kind in self._highest_numbers:
            _note_number(self._highest_numbers[kind], kind, record_id)
        if kind == "project":
            key = (
                compare_key(str(record.get("project_name", ""))),
                compare_key(str(record.get("institution", ""))),
            )
            self.projects.setdefault(key, record_id)
            self.project_records[record_id] = record
        elif kind == "enterprise":
            if record.get("credit_code"):
                self.enterprises_by_code.setdefault(str(record["credit_code"]).upper(), record_id)
            if record.get("name"):
                self.enterprises_by_name.setdefault(compare_key(str(record["name"])), record_id)
        elif kind == "cooperation":
            pair = (str(record.get("project", "")), str(record.get("enterprise", "")))
            self.cooperations.setdefault(pair, record_id)

    def enterprise(self, name: str, credit_code: str) -> str | None:
        if credit_code and credit_code.upper() in self.enterprises_by_code:
            return self.enterprises_by_code[credit_code.upper()]
        return self.enterprises_by_name.get(compare_key(name)) if name else None


def _note_number(highest: dict[tuple[str, ...], int], kind: str, record_id: str) -> None:
    parsed = record_kind(kind).id_number(record_id)
    if parsed and parsed[1] > highest.get(parsed[0], 0):
        highest[parsed[0]] = parsed[1]


def existing(*directories: Path) -> Existing:
    """What ``directories`` hold: every used id (the git history too) and, for the records
    that parse, the keys an import compares with. Unreadable files are left to the
    validator, which reports them."""
    found = Existing()
    seen: set[Path] = set()
    for directory in directories:
        resolved = directory.resolve()
        if resolved in seen or not directory.is_dir():
            continue
        seen.add(resolved)
        for kind in ("project", "enterprise", "cooperation"):
            found.ids.setdefault(kind, set()).update(used_ids(directory, kind))
        for record_file in discover(directory).records:
            try:
                record = orjson.loads(read_bytes(record_file.path))
            except (OSError, orjson.JSONDecodeError):
                continue
            if isinstance(record, dict):
                found.add(record_file.kind, record)
    return found
