"""What a cell's number format does to what the sheet shows.

An importer reads a cell's stored value, but a person reads what the format shows. Where
the two part, the row must not be imported as if they agreed: a format that shows nothing
hides the cell (``shows_nothing``); a format that changes the meaning of a number — a
percentage, leading zeros, a date without its day — makes the stored value something the
sender never saw (``changes_meaning``).

A format has up to four sections, ``positive;negative;zero;text``; with fewer, a text
value is shown as typed and the first section serves the numbers it does not cover.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

# Parts of a section that show no character: [colour] and [condition], an empty or blank
# "quoted" literal, _x (a space as wide as x), \ followed by a space, and spaces.
_SILENT = re.compile(r'\[[^\]]*\]|"\s*"|_.|\\\s|\s')
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


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


def _section_for(code: str, value: Any) -> str | None:
    """The section that shows ``value`` (None: shown as typed, or as General)."""
    parts = sections(code)
    if isinstance(value, str):
        return parts[3] if len(parts) >= 4 else None
    if isinstance(value, bool) or not isinstance(value, int | float | dt.date | dt.time):
        return None
    if isinstance(value, int | float):
        if value < 0 and len(parts) >= 2:
            return parts[1]
        if value == 0 and len(parts) >= 3:
            return parts[2]
    return parts[0]


@lru_cache(maxsize=4096)  # a hostile workbook may bring any number of formats
def _silent(section: str) -> bool:
    return not _SILENT.sub("", section)


def shows_nothing(code: str | None, value: Any) -> bool:
    """Whether a cell holding ``value`` with format ``code`` shows nothing at all."""
    if not code or code == "General" or value is None:
        return False
    section = _section_for(code, value)
    return section is not None and _silent(section)


def _bare(section: str) -> str:
    """The section without its literals, colours and conditions."""
    return _QUOTED.sub("", section)


def changes_meaning(code: str | None, value: Any) -> tuple[str, str] | None:
    """(zh, en) when the format shows ``value`` as something its stored value is not."""
    if not code or code == "General" or isinstance(value, bool | str) or value is None:
        return None
    section = _section_for(code, value)
    if section is None:
        return None
    bare = _bare(section).lower()
    if isinstance(value, dt.datetime | dt.date):
        if "d" not in bare and "y" in bare:
            return (
                "单元格的格式只显示年月，没有日；导入需要完整的日期，请写成 YYYY-MM-DD",
                "the cell's format shows a year and month without the day; type the whole "
                "date as YYYY-MM-DD",
            )
        return None
    if isinstance(value, int | float):
        if "%" in bare:
            return (
                "单元格是百分比格式，显示的数值与存储的不同；请改为纯文字，按显示的样子输入",
                "the cell is formatted as a percentage, so it shows another number than it "
                "holds; type it as text",
            )
        if re.search(r"(?<![0#?.,])00", bare.split(".")[0]):
            return (
                "单元格的格式会补上前导零（如 000123），导入时这些零会丢失；请改为文本格式后重新输入",
                "the cell's format adds leading zeros, which the stored number lacks; format "
                "the cell as text and type it again",
            )
    return None
