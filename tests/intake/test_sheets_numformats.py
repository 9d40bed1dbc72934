"""springrain.intake.sheets.numformats: what a number format lets the sheet show."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from springrain.intake.sheets.cells import CellRefused, cell_text
from springrain.intake.sheets.numformats import (
    changes_meaning,
    is_date_format,
    sections,
    shows_nothing,
)
from springrain.intake.sheets.workbook import Cell, read_workbook


def test_sections_split_outside_quotes_and_brackets() -> None:
    assert sections('0;"a;b";[Red]0;@') == ("0", '"a;b"', "[Red]0", "@")
    assert sections(r"0\;0") == (r"0\;0",)


@pytest.mark.parametrize(
    ("code", "value"),
    [
        (";;;", "文字"),
        (";;;", 5),
        ('"";"";"";""', "文字"),
        (';;;" "', "文字"),
        ("[Color2];[Color2];[Color2];", "文字"),
        ("0;0;;@", 0),  # the zero section is empty
        ('[=0]"";G/通用格式', 0),
        ("[White]@", "文字"),  # white on the sheet's white
        ("[白色]@", "文字"),
        ("[Color2]0", 5),
        ("_-;_-;_-;_-", "文字"),
    ],
)
def test_a_format_that_shows_nothing_hides_the_cell(code: str, value: object) -> None:
    assert shows_nothing(code, value)


@pytest.mark.parametrize(
    ("code", "value"),
    [
        ("General", "文字"),
        (None, 5),
        ("0;0;;@", 5),
        ("0;;", "文字"),  # no text section: text is shown as typed
        ('"x";"x";"x";"已填"', "文字"),
        (";;;@", "文字"),
        ("yyyy-mm-dd", dt.date(2026, 1, 1)),
    ],
)
def test_a_format_that_shows_something_does_not(code: str | None, value: object) -> None:
    assert not shows_nothing(code, value)


@pytest.mark.parametrize(
    ("code", "value", "words"),
    [
        ('yyyy"年"m"月"', dt.datetime(2025, 3, 1), "年月"),
        ("yyyy-mm", dt.date(2025, 3, 1), "年月"),
        ("0%", 0.85, "百分比"),
        ("0.00%", 1, "百分比"),
        ("000000", 123, "前导零"),
        ('"No."0000', 12, "前导零"),
        ('e"年"m"月"', dt.date(2015, 3, 15), "年、月、日"),  # e: the year, as WPS writes it
        ('m"月"d"日"', dt.date(2015, 3, 15), "年、月、日"),
        ("dddd", dt.date(2015, 3, 15), "年、月、日"),  # the weekday only
        ('#,##0,"千元"', 5_000_000, "千"),
        ('0;0;0;"看得见的"', "格式结构", "格式里写的文字"),  # the text section's own words
        ("0.0,,", 5_000_000, "千"),
        # A point the format writes itself: 12345678 shown as 1234.5678万元.
        ('0!.0000"万元"', 12_345_678, "数字中间"),
        ('0"."0000"万元"', 12_345_678, "数字中间"),
        ('0\\.0000"万"', 12_345_678, "数字中间"),
        ('#"，"##0', 12_345, "数字中间"),
        ('0"。"0000"万元"', 12_345_678, "数字中间"),  # points of any script
        ('0﹒0000"万元"', 12_345_678, "数字中间"),
        ('0"٫"0000"万元"', 12_345_678, "数字中间"),
        ('0*.0000"万元"', 12_345_678, "数字中间"),  # a fill of points
        ('0"0"0"万元"', 12, "数字中间"),  # a digit of the format's own
    ],
)
def test_a_format_that_changes_the_meaning_refuses_the_cell(
    code: str, value: object, words: str
) -> None:
    refusal = changes_meaning(code, value)
    assert refusal is not None and words in refusal[0]
    with pytest.raises(CellRefused) as refused:
        cell_text(Cell(value, "n", code))
    assert words in refused.value.zh


@pytest.mark.parametrize(
    ("code", "value", "text"),
    [
        ("yyyy-mm-dd", dt.datetime(2025, 3, 1), "2025-03-01"),
        ('yyyy"年"m"月"d"日"', dt.date(2025, 3, 1), "2025-03-01"),
        ("#,##0", 1234567, "1234567"),
        ("0.00", 3.5, "3.5"),
        ('0"万元"', 50, "50万元"),  # the unit shown is taken in with the number
        ('#,##0"元"', 10_000_000, "10000000元"),
        ("[$¥-804]#,##0.00", 5, "¥5"),
        ('G/通用格式"万元"', 1000, "1000万元"),
        ("#,##0;-#,##0", -5, "-5"),
        ("0E+00", 12000, "12000"),
        ("0000", 2000, "2000"),  # as many digits as zeros: nothing added
        ('[=0]"";G/通用格式', 1000, "1000"),  # "hide zeros": only a zero is hidden
        ("[>100]0;[<0]-0;0", 5, "5"),
        ('"100%"@', "文字", "文字"),  # a text section: the text is what it holds
        ("0!.", 5, "5."),  # a point after the digits moves nothing
        ("0 000", 12_345, "12345"),  # a space between digits only groups them
        ("* #,##0", 5, "5"),  # the accounting fill: spaces
        ('"No.1-"0', 5, "No.1-5"),
    ],
)
def test_a_format_that_only_dresses_the_value_keeps_it(code: str, value: object, text: str) -> None:
    assert changes_meaning(code, value) is None
    assert cell_text(Cell(value, "n" if not isinstance(value, str) else "s", code)) == text


@pytest.mark.parametrize(
    ("code", "is_date"),
    [
        ('yyyy"年"m"月"d"日"', True),
        ("h:mm", True),
        ("[h]:mm", True),
        ("0.00E+00", False),
        ('0"天"', False),
        ("#,##0;[Red]-#,##0", False),
        ("General", False),
        ("G/通用格式", False),
    ],
)
def test_date_formats_are_told_from_number_formats(code: str, is_date: bool) -> None:
    assert is_date_format(code) is is_date


def _with_builtin_format(path: Path, number: int) -> Path:
    """The workbook at ``path`` with its custom date format replaced by built-in id
    ``number`` and no format code, as Chinese Excel writes its date formats."""
    patched = path.with_name(f"{number}-{path.name}")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/styles.xml":
                text = data.decode("utf-8")
                custom = re.search(r'<numFmt numFmtId="(\d+)" formatCode="yyyy&quot;[^>]*/>', text)
                assert custom is not None
                text = text.replace(custom.group(0), "")
                text = text.replace(f'numFmtId="{custom.group(1)}"', f'numFmtId="{number}"')
                data = text.encode("utf-8")
            target.writestr(item, data)
    return patched


@pytest.mark.parametrize(("number", "refused"), [(31, False), (57, True), (58, True)])
def test_chinese_excels_builtin_date_formats_are_dates(
    tmp_path: Path, number: int, refused: bool
) -> None:
    """ids 27–36 and 50–58 name date formats only by number in a Chinese Excel file: the
    cell is the date it shows, refused when the format hides part of it."""
    book = Workbook()
    book.active["A1"] = dt.datetime(2015, 3, 15)
    book.active["A1"].number_format = 'yyyy"年"m"月"d"日"'
    book.save(tmp_path / "d.xlsx")
    cell = read_workbook(_with_builtin_format(tmp_path / "d.xlsx", number)).sheets[0].cells[(1, 1)]
    assert cell.value == dt.datetime(2015, 3, 15)
    if refused:
        with pytest.raises(CellRefused):
            cell_text(cell)
    else:
        assert cell_text(cell) == "2015-03-15"


def test_white_text_on_no_fill_is_hidden_and_on_a_dark_fill_is_read(tmp_path: Path) -> None:
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet["A1"], sheet["A2"] = "白字", "深底白字"
    sheet["A1"].font = Font(color="FFFFFFFF")
    sheet["A2"].font = Font(color="FFFFFFFF")
    sheet["A2"].fill = PatternFill("solid", fgColor="FF1B5E20")
    book.save(tmp_path / "w.xlsx")
    hidden = read_workbook(tmp_path / "w.xlsx").sheets[0].hidden_cells
    assert (1, 1) in hidden and (2, 1) not in hidden
