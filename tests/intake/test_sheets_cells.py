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
    [
        (12.0, "12"),
        (1.5, "1.5"),
        (0.1 + 0.2, "0.3"),
        (999999999999999.0, "999999999999999"),
        (1.5e-7, "1.5e-07"),
        (7, "7"),
        (913502001234567890, "913502001234567890"),  # an integer in the XML is exact
    ],
)
def test_a_number_is_written_as_its_digits(value: float, text: str) -> None:
    assert cell_text(Cell(value, "n")) == text


@pytest.mark.parametrize(
    "value",
    [9.13502001234567e17, 1.10105194912310e17, 1.5e20, -1e15, 1000000000000000.0],
    ids=["credit-code", "partial-id-number", "huge", "negative", "sixteen-digits"],
)
def test_a_number_longer_than_excel_keeps_is_refused(value: float) -> None:
    """Excel keeps 15 significant digits: a longer number typed as a number has lost
    digits, and writing it out would invent them."""
    with pytest.raises(CellRefused) as refused:
        cell_text(Cell(value, "n"))
    assert "文本格式" in refused.value.zh and "15" in refused.value.en
