"""The package reader's tables read as ``csv.DictReader`` reads them, whatever the file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from springrain.errors import SpringrainError
from springrain.package import reader

TABLES = {
    "plain": "a,b,c\r\n1,2,3\r\n4,5,6\r\n",
    "bom and quotes": '\ufeffa,b\r\n"x, ""y""",z\r\n"line\r\nbreak",w\r\n',
    "ragged": "a,b,c\r\n1,2\r\n1,2,3,4,5\r\n\r\n,,\r\n",
    "header only": "a,b\r\n",
    "empty": "",
    "blank lines": "a\r\n\r\n\r\nx\r\n",
    "duplicate names": "a,a,b\r\n1,2,3\r\n",
}


@pytest.mark.parametrize("name", TABLES)
def test_rows_are_those_of_dictreader(tmp_path: Path, name: str) -> None:
    path = tmp_path / "table.csv"
    path.write_bytes(TABLES[name].encode("utf-8"))
    with open(path, encoding="utf-8-sig", newline="") as handle:
        expected = list(csv.DictReader(handle))
    assert reader._csv(path) == expected


def test_a_table_that_is_not_utf8_is_refused_with_its_name(tmp_path: Path) -> None:
    path = tmp_path / "matches.csv"
    path.write_bytes("a\r\n示例\r\n".encode("gbk"))
    with pytest.raises(SpringrainError) as error:
        reader._csv(path)
    assert "matches.csv" in error.value.message_zh
