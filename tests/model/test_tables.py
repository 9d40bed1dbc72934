"""springrain.model.tables: the hand-kept tables read as the build reads them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from springrain.model import tables

HEADER = "id,programme,metric,value,period_start"


def test_a_byte_order_mark_is_read_past(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"\xef\xbb\xbf" + f"{HEADER}\nT-1,P,m,3,2026-01-01\n".encode())
    assert tables.read_rows(path)[0]["id"] == "T-1"


def test_a_cell_longer_than_the_csv_module_default_is_read(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    long = "长" * 200_000
    path.write_text(f"{HEADER}\nT-1,{long},m,3,\n", "utf-8")
    csv.field_size_limit(131_072)  # the module's default, as a fresh process has it
    assert tables.read_rows(path)[0]["programme"] == long


def test_a_file_in_another_encoding_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(f"{HEADER}\nT-1,广东,m,3,\n".encode("gb18030"))
    with pytest.raises(UnicodeDecodeError):
        tables.read_rows(path)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("value", "1_000"),
        ("value", "١٢"),
        ("value", "9" * 19),
        ("value", "3.0"),
        ("period_start", "2026-1-1"),
        ("period_start", "2026-02-30"),
        ("period_start", "٢٠٢٦-٠١-٠١"),
    ],
)
def test_cells_the_build_would_read_otherwise_are_found(field: str, value: str) -> None:
    row = {"id": "T-1", "value": "300", "period_start": "2026-01-01", field: value}
    assert tables.malformed_cells("targets", [row]) == [
        (2, field, "integer" if field == "value" else "date", value)
    ]


def test_well_written_and_empty_cells_pass() -> None:
    rows = [
        {"id": "T-1", "value": "300", "period_start": "2026-01-01"},
        {"id": "T-2", "value": "0", "period_start": ""},
    ]
    assert tables.malformed_cells("targets", rows) == []
