"""What one spreadsheet cell may become: text for a record, or a refusal with its reason.

Every cell is untrusted. A formula, an error value, formula-like text (``=…``, ``+…``,
``-…``, ``@…``, which a spreadsheet would run when the data is opened again), a control,
zero-width or direction character, or text longer than Excel allows is refused with a
reason; nothing is evaluated. So is a value whose format shows the sender something else
than it holds (``numformats``: a percentage, leading zeros, a date without its day), and a
number of more digits than Excel keeps; a number is taken in with the words its format
shows around it (元, ¥). The character classes are the validator's own
(``validate.checks.text``), so what the importer lets in the validator also accepts, and
personal contact data is found by the one detector (``validate.contacts.find``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from springrain.intake.forms import NO, YES
from springrain.intake.sheets import numformats
from springrain.intake.sheets.workbook import MAX_CELL_CHARS, Cell, safe_name
from springrain.validate import contacts
from springrain.validate.checks.pii import WHAT
from springrain.validate.checks.text import CONTROL_CHARS, FORMULA_STARTS, ZERO_WIDTH_CHARS

EXCEL_EXACT_LIMIT = 1e15  # from here on a number has more digits than Excel keeps
_NUMBER = re.compile(r"^[+-]?[0-9]+(?:\.[0-9]+)?$")
_DASHES = re.compile(r"^[-—–－]+$")


class CellRefused(Exception):
    """A cell whose content must not be taken in; ``zh``/``en`` say why and how to fix it."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def cell_text(cell: Cell | None) -> str:
    """The text of a cell ("" when empty), or ``CellRefused``."""
    text = _text(cell)
    if cell is not None and not isinstance(cell.value, str):
        refusal = contact_refusal(text)  # a phone number typed as a number is still one
        if refusal:
            raise CellRefused(*refusal)
    return text


def _text(cell: Cell | None) -> str:
    if cell is None or cell.value is None:
        if cell is not None and cell.data_type == "x":
            raise CellRefused("单元格无法读取（内容已损坏），请重新输入", "the cell cannot be read")
        return ""
    value = cell.value
    if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=")):
        raise CellRefused("单元格是公式，请改为纯文字", "the cell holds a formula; type plain text")
    if cell.data_type == "e":
        raise CellRefused(
            "单元格是错误值（如 #N/A、#VALUE!），请改为纯文字", "the cell holds an error value"
        )
    meaning = numformats.changes_meaning(cell.number_format, value)
    if meaning:
        raise CellRefused(*meaning)
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            # 1e400 in the sheet's XML is read as infinity: no number anyone typed.
            raise CellRefused(
                "单元格中的数字无法读取（超出范围或不是数字），请改为纯文字或正确的数字",
                "the cell holds a number out of range (infinite or not a number)",
            )
        if value.is_integer() and abs(value) >= EXCEL_EXACT_LIMIT:
            # Excel keeps 15 significant digits: a credit code or an ID number typed as a
            # number has already lost the rest, and the digits it shows are invented.
            raise CellRefused(
                "数字超过 15 位，Excel 只保留前 15 位，其余数字已经丢失；"
                "请把单元格设为文本格式，重新输入完整内容后再导入",
                "the number has more than 15 digits, and Excel keeps only 15: the rest are "
                "lost; format the cell as text and type it again",
            )
        # Excel shows (and means) 15 significant digits; repr would add binary noise
        # (0.1 + 0.2 → 0.30000000000000004).
        number = str(int(value)) if value.is_integer() else format(value, ".15g")
        prefix, suffix = numformats.affixes(cell.number_format, value)
        return f"{prefix}{number}{suffix}"
    if isinstance(value, int):
        prefix, suffix = numformats.affixes(cell.number_format, value)
        return f"{prefix}{value}{suffix}"
    text = str(value)
    if len(text) > MAX_CELL_CHARS:
        raise CellRefused(
            f"内容超过 {MAX_CELL_CHARS} 个字符（Excel 单元格的上限），请精简后重新导入",
            f"the text is over {MAX_CELL_CHARS} characters, Excel's own limit for a cell",
        )
    # Contact data first: hidden by an invisible character, it is still contact data, and
    # that is the reason the sender must hear.
    refusal = contact_refusal(text)
    if refusal:
        raise CellRefused(*refusal)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = CONTROL_CHARS.search(text) or ZERO_WIDTH_CHARS.search(text)
    if bad:
        raise CellRefused(
            f"含有不可见的控制字符（U+{ord(bad.group()):04X}），请删除后重新导入"
            "（从其他文档复制时常会带入）",
            f"the text holds an invisible control character (U+{ord(bad.group()):04X})",
        )
    # Line ends trimmed as an issue form trims them; the inside of each line is kept.
    text = "\n".join(line.rstrip() for line in text.split("\n")).strip()
    if _DASHES.match(text):
        return ""  # a dash is how a sheet says "none"
    if text[:1] in FORMULA_STARTS and not _NUMBER.match(text):
        raise CellRefused(
            "以 = + - @ 开头，可能被当作公式，请去掉开头的符号或在前面加上文字",
            "the text starts with = + - @ and could be run as a formula; reword the start",
        )
    return text


def contact_refusal(text: str) -> tuple[str, str] | None:
    """(zh, en) naming the personal contact data in ``text``, or None."""
    hits = contacts.find(text)
    if not hits:
        return None
    hit = hits[0]
    what, what_en = WHAT[hit.kind]
    return (
        f"含有{what}（{hit.masked}），公开数据不能含个人联系方式；请删除后重新导入"
        "（企业联系项目请通过单位的成果转化部门或平台）",
        f"holds {what_en} ({hit.masked}); personal contact data is never published: delete it "
        "and import again",
    )


def record_refusal(kind: str, record: dict[str, Any]) -> tuple[str, str] | None:
    """(zh, en) when the validator's contact-data rule refuses the record a row or form
    became (a number split across two fields that the record puts side by side, whatever
    their order on the sheet): the rule itself, on the record as it would be written."""
    from springrain.validate.checks.pii import ContactData
    from springrain.validate.engine import text_findings

    refused = {rule.code for rule in ContactData.rules}
    for finding in text_findings("", kind, record):
        if finding.rule in refused:
            return (
                f"{finding.message_zh}；请删除后重新导入",
                f"{finding.message_en}; delete it and import again",
            )
    return None


def one_line(text: str) -> str:
    """``text`` with each line break, and the white space around it, made one space (in
    one pass: a pattern of white space around a line break took time with the square of a
    long run of spaces)."""
    if "\n" not in text:
        return text
    return " ".join(line for line in (piece.strip() for piece in text.split("\n")) if line)


def excerpt(text: str, limit: int = 20) -> str:
    """A short, safe quotation of untrusted cell text for a report (contact data never)."""
    if contacts.find(text):
        return "（含个人联系方式，不显示）"
    flat = " ".join(safe_name(text, limit * 4).split())
    return flat if len(flat) <= limit else flat[:limit] + "…"
