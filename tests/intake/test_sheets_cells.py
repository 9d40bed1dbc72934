"""springrain.intake.sheets.cells: a spreadsheet cell's value as the text of a field."""

from __future__ import annotations

import pytest

from springrain.intake.sheets.cells import CellRefused, cell_text
from springrain.intake.sheets.workbook import Cell


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan")])
def test_a_number_no_one_typed_is_refused_not_written_as_inf(value: float) -> None:
    """1e400 in a sheet's XML is read as infinity: refused, never imported as "inf"."""
    with pytest.raises(CellRefused) as refused:
        cell_text(Cell(value, "n"))
    assert "数字无法读取" in refused.value.zh


@pytest.mark.parametrize(
    ("value", "text"),
    [(12.0, "12"), (1.5, "1.5"), (1.5e20, "150000000000000000000"), (1.5e-7, "1.5e-07"), (7, "7")],
)
def test_a_number_is_written_as_its_digits(value: float, text: str) -> None:
    assert cell_text(Cell(value, "n")) == text
