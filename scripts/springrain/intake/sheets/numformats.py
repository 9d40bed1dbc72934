"""What a cell's number format does to what the sheet shows.

An importer reads a cell's stored value, but a person reads what the format shows. Where
the two part, the row must not be imported as if they agreed: a format that shows nothing
(or shows it white) hides the cell (``shows_nothing``); a format that changes the meaning
of a value — a percentage, a scaled number, leading zeros, a date without its day, a text
section with words of its own — makes the stored value something the sender never saw
(``changes_meaning``); the words a format puts around a number (元, ¥) are taken in with it
(``affixes``); and a number under a date format is a date (``is_date_format``).

A format has up to four sections, ``positive;negative;zero;text``; with fewer, a text
value is shown as typed and the first section serves the numbers it does not cover.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

# The built-in formats Chinese Excel and WPS write by id alone, with no format code in the
# file (ECMA-376 Part 1, 18.8.30, zh-CN), which openpyxl's table of built-ins lacks.
CHINESE_BUILTIN_FORMATS = {
    27: 'yyyy"年"m"月"',
    28: 'm"月"d"日"',
    29: 'm"月"d"日"',
    30: "m-d-yy",
    31: 'yyyy"年"m"月"d"日"',
    32: 'h"时"mm"分"',
    33: 'h"时"mm"分"ss"秒"',
    34: '上午/下午h"时"mm"分"',
    35: '上午/下午h"时"mm"分"ss"秒"',
    36: 'yyyy"年"m"月"',
    50: 'yyyy"年"m"月"',
    51: 'm"月"d"日"',
    52: 'yyyy"年"m"月"',
    53: 'm"月"d"日"',
    54: 'm"月"d"日"',
    55: '上午/下午h"时"mm"分"',
    56: '上午/下午h"时"mm"分"ss"秒"',
    57: 'yyyy"年"m"月"',
    58: 'm"月"d"日"',
}
# Date parts of a format: a cell so formatted holds a date (or a time), not a number.
_DATE_PARTS = re.compile(r"[ymdhse]")

# Parts of a section that show no character: [colour] and [condition], an empty or blank
# "quoted" literal, _x (a space as wide as x), \ followed by a space, and spaces.
_SILENT = re.compile(r'\[[^\]]*\]|"\s*"|_.|\\\s|\s')
_QUOTED = re.compile(r'"[^"]*"|[\\!].|\[[^\]]*\]')  # ! escapes a character, as a backslash does


@lru_cache(maxsize=4096)  # a hostile workbook may bring any number of formats
def sections(code: str) -> tuple[str, ...]:
    """The sections of ``code``, split on the ``;`` outside quotes and brackets."""
    parts, current, quoted, bracket, escaped = [], [], False, False, False
    for char in code:
        if escaped:
            escaped = False
        elif char == "\\" and not quoted:
            escaped = True
        elif char == '"' and not bracket:
            quoted = not quoted
        elif char == "[" and not quoted:
            bracket = True
        elif char == "]" and not quoted:
            bracket = False
        elif char == ";" and not quoted and not bracket:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return tuple(parts)


_CONDITION = re.compile(r"\[(<=|>=|<>|<|>|=)\s*(-?[0-9]+(?:\.[0-9]+)?)\]")
_COMPARE = {
    "<": float.__lt__,
    ">": float.__gt__,
    "=": float.__eq__,
    "<=": float.__le__,
    ">=": float.__ge__,
    "<>": float.__ne__,
}


def _meets(section: str, value: float) -> bool | None:
    """Whether ``value`` meets the section's [condition] (None: the section has none)."""
    condition = _CONDITION.search(section)
    if condition is None:
        return None
    return _COMPARE[condition.group(1)](float(value), float(condition.group(2)))


def _section_for(code: str, value: Any) -> str | None:
    """The section that shows ``value`` (None: shown as typed, or as General)."""
    parts = sections(code)
    if isinstance(value, str):
        if len(parts) >= 4:
            return parts[3]
        # Fewer sections: the one with @ is the text's (else text is shown as typed).
        return next((part for part in parts if "@" in _bare(part)), None)
    if isinstance(value, bool) or not isinstance(value, int | float | dt.date | dt.time):
        return None
    if isinstance(value, int | float):
        first = _meets(parts[0], value)
        if first is not None:  # [conditions] choose, in order; the last section is the rest
            if first:
                return parts[0]
            second = _meets(parts[1], value) if len(parts) >= 2 else None
            if second or (second is None and len(parts) == 2):
                return parts[1]
            return parts[2] if len(parts) >= 3 else None
        if value < 0 and len(parts) >= 2:
            return parts[1]
        if value == 0 and len(parts) >= 3:
            return parts[2]
    return parts[0]


# Colours a format may give its text that no one reads on a sheet's white: white itself.
_WHITE = re.compile(r"\[(?:white|color\s*0*2|白色)\]", re.IGNORECASE)


@lru_cache(maxsize=4096)  # a hostile workbook may bring any number of formats
def _silent(section: str) -> bool:
    return not _SILENT.sub("", section) or _WHITE.search(section) is not None


def shows_nothing(code: str | None, value: Any) -> bool:
    """Whether a cell holding ``value`` with format ``code`` shows nothing at all."""
    if not code or code == "General" or value is None:
        return False
    section = _section_for(code, value)
    return section is not None and _silent(section)


@lru_cache(maxsize=4096)
def _bare(section: str) -> str:
    """The section without its literals, colours and conditions."""
    return _QUOTED.sub("", section)


def changes_meaning(code: str | None, value: Any) -> tuple[str, str] | None:
    """(zh, en) when the format shows ``value`` as something its stored value is not."""
    if not code or code == "General" or isinstance(value, bool) or value is None:
        return None
    section = _section_for(code, value)
    if section is None:
        return None
    bare = _bare(section).lower()
    if _silent(section):
        return None  # hidden: reported as a hidden cell
    if isinstance(value, str):
        if "@" not in bare:  # the text section shows its own words, not the cell's text
            return (
                "单元格的格式显示的是格式里写的文字，而不是单元格的内容；请清除格式后重新输入",
                "the cell's format shows words of its own instead of the cell's text; clear "
                "the format and type it again",
            )
        return None
    if isinstance(value, dt.datetime | dt.date):
        year = "y" in bare or "e" in bare  # e: the year in Chinese and Japanese formats
        day = re.search(r"(?<!d)d{1,2}(?!d)", bare) is not None  # ddd, dddd: the weekday
        if (year or "d" in bare) and not (year and day and "m" in bare):
            return (
                "单元格的格式没有显示完整的年、月、日（如只显示年月），导入时会补上看不到的部分；"
                "请写成 YYYY-MM-DD",
                "the cell's format does not show the whole date (year, month and day); type "
                "it as YYYY-MM-DD",
            )
        return None
    if isinstance(value, int | float):
        if "%" in bare:
            return (
                "单元格是百分比格式，显示的数值与存储的不同；请改为纯文字，按显示的样子输入",
                "the cell is formatted as a percentage, so it shows another number than it "
                "holds; type it as text",
            )
        if re.search(r"[0#?],+(?=[^0#?]*$)", bare):  # commas after the last digit: scaling
            return (
                "单元格的格式按千或百万缩放显示数值（如 #,##0,），显示的与存储的不同；请按显示的样子输入为文字",
                "the cell's format shows the number scaled by a thousand or a million; type it "
                "as text, as shown",
            )
        if _literal_between_digits(section):
            return (
                '单元格的格式在数字中间写入了别的字符（如 0!.0000"万元" 里的小数点），显示的数值与存储的不同；'
                "请按显示的样子输入为文字",
                "the cell's format writes a character of its own between the digits (a point, "
                "say), so it shows another number than it holds; type it as text, as shown",
            )
        integer_part = re.split(r"[.e]", bare)[0]
        zeros = integer_part.count("0")
        if zeros >= 2 and zeros > len(str(int(abs(value)))):
            return (
                "单元格的格式会补上前导零（如 000123），导入时这些零会丢失；请改为文本格式后重新输入",
                "the cell's format adds leading zeros, which the stored number lacks; format "
                "the cell as text and type it again",
            )
    return None


def _tokens(section: str) -> list[tuple[str | None, bool]]:
    """The section as (literal shown, or None; whether a digit placeholder) tokens."""
    out: list[tuple[str | None, bool]] = []
    for token in _LITERAL.finditer(_GENERAL.sub("0", section)):
        quoted, escaped, currency, fill, wide, other = token.groups()
        if other is not None and other in _PLACEHOLDER:
            out.append((None, True))
            continue
        shown = (quoted, escaped, currency, fill, wide)
        literal = next((t for t in shown if t is not None), None)
        out.append((literal, False))
    return out


def _literal_between_digits(section: str) -> bool:
    """Whether the format writes a character of its own between two digit placeholders
    (``0!.0000``, ``0"。"0000``, ``0"0"0``, ``0*.0``): the number shown is then not the
    number held, or not as read. Spaces between digits only group them."""
    seen_digit, pending = False, False
    for literal, digit in _tokens(section):
        if digit:
            if pending:
                return True
            seen_digit = True
        elif literal and seen_digit and literal.strip():
            pending = True
    return False


@lru_cache(maxsize=4096)  # asked of every number cell
def is_date_format(code: str | None) -> bool:
    """Whether ``code`` shows a number as a date or time (its first section has date parts)."""
    if not code or code == "General":
        return False
    bare = _bare(sections(code)[0]).lower().replace("general", "")
    return bool(_DATE_PARTS.search(re.sub(r"e[+-]", "", bare)))  # E+00: an exponent


_GENERAL = re.compile(r"general|g/通用格式", re.IGNORECASE)
_LITERAL = re.compile(
    r'"([^"]*)"|[\\!](.)|\[\$([^\]-]*)[^\]]*\]|\[[^\]]*\]|_.|\*(.)|([^\x00-\x7f])|(.)', re.S
)
_PLACEHOLDER = "0#?"


def affixes(code: str | None, value: Any) -> tuple[str, str]:
    """The words a number format shows before and after a number (``#,##0"元"``: "" and
    "元"; ``[$¥-804]0``: "¥" and ""), so the number is taken in as the sheet shows it,
    unit and all: a unit the field does not count in is then refused as typed text is."""
    if not code or isinstance(value, bool) or not isinstance(value, int | float):
        return "", ""
    section = _section_for(code, value)
    if section is None:
        return "", ""
    before: list[str] = []
    after: list[str] = []
    seen_number = False
    for literal, digit in _tokens(section):
        if digit:
            seen_number = True
            after.clear()  # words between digits are part of the number's own shape
            continue
        if literal:
            (after if seen_number else before).append(literal)
    return "".join(before).strip(), "".join(after).strip()
