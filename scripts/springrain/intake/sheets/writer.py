"""Writing the Fujian annexes: a blank template, or a record filled in, in the official layout.

``write_annex1(path, record=None)`` and ``write_annex2(path, enterprise=None,
cooperations=(), projects=None)`` are what ``springrain export`` and the web site call.

Layout (sheet 附件1 or 附件2; columns A–D as on the printed annex):

- row 1 附件N, row 2 the annex's title, row 3 how to fill it in; an export adds a line
  naming the record (and 示例数据 for demo records);
- then the annex's rows in its own order (``annexes``): a label in A and its answer in B–D,
  or two pairs (A/B and C/D), or a label in A spanning several rows with a sub-label in B
  and its answer in C–D; tick boxes where the annex prints them (□有源 □无源 …), the
  personal cells (联系电话, 电子邮箱, 联系人) left empty and never read back;
- annex 2: the part 企业技术意向合作情况 once per cooperation (once, empty, in a template);
- the annex's notes, then 补充信息: the fields the catalogue needs and the annex does not
  ask (``layout``), one per row;
- sheet 可选项: the choices of every dropdown list, which the form's answer cells offer as
  data validation (error alerts off, so the boxes can be ticked by hand as well).

Every text is written as a string cell, never a formula, even when it begins with
= + - or @; dates as text (YYYY-MM-DD). The file is byte-reproducible: fixed document
times and zip entry dates.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from springrain.errors import SpringrainError
from springrain.intake.forms import (
    NO,
    PART_SEPARATOR,
    PART_SPLIT,
    YES,
    lines_text,
    list_format,
    list_text,
)
from springrain.intake.sheets.annexes import (
    DEMO_MARK,
    EXPORT_MARK,
    INSTRUCTIONS,
    OPTIONS_NOTE,
    OPTIONS_SHEET,
    PROJECT_INSTITUTION,
    PROJECT_NAME,
    SUPPLEMENT_HEADING,
)
from springrain.intake.sheets.layout import (
    BOXES,
    CHECKBOX,
    CHOICE,
    LOOKUP,
    MULTI,
    PERSONAL_STYLE,
    Answer,
    FormLayout,
    GroupLayout,
    RowLayout,
    boxes,
    layout,
    pledge,
)
from springrain.model.schemas import vocabulary_labels

# When every file written is dated: the day the annexes were issued (闽药监器械〔2025〕18号).
FIXED_TIME = dt.datetime(2025, 6, 13)
CORE_PROPERTIES = "docProps/core.xml"
MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
ZIP_TIME = (2025, 6, 13, 0, 0, 0)
WIDTHS = {"A": 20, "B": 34, "C": 16, "D": 34}
WIDE = 76  # characters in B–D together, for estimating row heights
LINE_HEIGHT = 15.0
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LABEL_FILL = PatternFill("solid", fgColor="F2F2F2")
PERSONAL_FILL = PatternFill("solid", fgColor="D9D9D9")
WRAP = Alignment(wrap_text=True, vertical="center")
CENTRE = Alignment(wrap_text=True, vertical="center", horizontal="center")
PROMPT_LIMIT = 255  # Excel's limit for a data-validation prompt
Record = Mapping[str, Any]


class ExportRefused(SpringrainError):
    """A record that cannot be written to a spreadsheet (it would not pass validation)."""


# ---------------------------------------------------------------- cell values


def put(ws: Worksheet, row: int, column: int, value: Any) -> Any:
    """Write ``value`` as data: a string stays a string (never a formula), whatever it starts
    with; a character a workbook cannot hold is refused."""
    cell = ws.cell(row, column)
    if isinstance(value, str):
        if ILLEGAL_CHARACTERS_RE.search(value):
            raise ExportRefused(
                "内容含有 Excel 无法保存的控制字符，请先运行 springrain validate 找出并删除。",
                "A value holds a control character a workbook cannot store; run springrain "
                "validate to find it.",
            )
        cell.value = value
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def _get(record: Record | None, path: tuple[str, ...]) -> Any:
    value: Any = record
    for part in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _list_line(answer: Answer, record: Record, number: int, item: Mapping[str, Any]) -> str:
    """Item ``number`` of a list of objects of ``record`` as intake reads it: parts in form
    order, by ``|``; a part holding a ``|`` of its own would read as two, and is refused."""
    assert answer.element is not None
    parts = []
    for part in answer.element.parts:
        value = item.get(part.name)
        if value is None:
            parts.append("")
        elif part.vocab:
            parts.append(vocabulary_labels(part.vocab).get(str(value), str(value)))
        elif isinstance(value, list):
            parts.append(list_text(value))
        else:
            parts.append(str(value))
        if PART_SPLIT.search(parts[-1]):
            raise ExportRefused(
                f"记录 {record.get('id')}：「{answer.element.label}」第 {number} 项的"
                f"「{part.title_zh}」含有竖线“|”。"
                "附件用竖线分隔各部分，导入时会读成两部分。请先在记录中把竖线改为其他符号"
                "（如“/”），再导出。",
                f"Record {record.get('id')}, item {number} of {answer.field}: {part.name} "
                "holds a vertical bar, which separates the parts in the annex, so it would "
                "not be read back; replace it in the record first.",
            )
    while parts and not parts[-1]:
        parts.pop()
    return f" {PART_SEPARATOR} ".join(parts)


def cell_value(answer: Answer, record: Record | None, notes: dict[str, str]) -> Any:
    """What the answer cell of ``answer`` holds for ``record`` (None: a blank template)."""
    el = answer.element
    if answer.style == PERSONAL_STYLE or el is None:
        return None
    value = _get(record, el.path) if record is not None else None
    if answer.style == CHECKBOX:
        chosen = frozenset({answer.options[0][0]}) if value is True else frozenset()
        words = pledge(answer)
        return (words + "\n" if words else "") + boxes(answer.options, chosen)
    if answer.style in (BOXES, MULTI):
        if isinstance(value, bool):
            value = YES if value else NO
        chosen = frozenset(value if isinstance(value, list) else [value] if value else [])
        return boxes(answer.options, frozenset(str(v) for v in chosen), notes)
    if value is None or record is None:
        return None
    if answer.style == CHOICE:
        return dict(answer.options).get(str(value), str(value))
    if answer.style == "list":
        return "\n".join(
            _list_line(answer, record, number, item)
            for number, item in enumerate(value, start=1)
            if isinstance(item, Mapping)
        )
    if answer.style == "lines":
        return lines_text(value)
    if answer.style == "number":
        return (
            value if isinstance(value, int | float) and not isinstance(value, bool) else str(value)
        )
    return str(value)


def _prompt(answer: Answer) -> str:
    """The input message of an answer cell: how to write the answer."""
    el = answer.element
    if answer.style == PERSONAL_STYLE:
        return "本栏不会导入公开目录：公开数据不含个人联系方式。"
    if el is None:
        return ""
    if answer.style == "list":
        return list_format(el.parts)
    if answer.style == "lines":
        return el.description
    if answer.style in (MULTI, BOXES, CHECKBOX):
        return "把 □ 改为 ☑ 勾选" + ("，可多选" if answer.style == MULTI else "，只选一项")
    if answer.style == CHOICE:
        return "从下拉列表中选择"
    return el.description


# ---------------------------------------------------------------- the sheet


class Sheet:
    """The form sheet being written, row by row, and the dropdowns it needs."""

    def __init__(self, wb: Workbook, form: FormLayout) -> None:
        self.ws = wb.active
        self.ws.title = f"附件{form.annex.number}"
        self.options = wb.create_sheet(OPTIONS_SHEET)
        self.form = form
        self.row = 1
        self.lists: dict[str, str] = {}  # answer field → range on the options sheet
        self.validations: dict[str, DataValidation] = {}
        for column, width in WIDTHS.items():
            self.ws.column_dimensions[column].width = width
        put(self.options, 1, 1, OPTIONS_NOTE)

    def text_row(
        self, text: str, *, bold: bool = False, size: int = 11, centre: bool = False
    ) -> None:
        put(self.ws, self.row, 1, text)
        self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=4)
        cell = self.ws.cell(self.row, 1)
        cell.font = Font(bold=bold, size=size)
        cell.alignment = CENTRE if centre else WRAP
        self._height(self.row, [text], WIDE + 20)
        self.row += 1

    def _height(self, row: int, texts: Sequence[Any], width: int) -> None:
        lines = 1
        for text in texts:
            if isinstance(text, str):
                lines = max(
                    lines, sum(max(1, math.ceil(len(part) / width)) for part in text.split("\n"))
                )
        current = self.ws.row_dimensions[row].height or LINE_HEIGHT
        self.ws.row_dimensions[row].height = max(current, lines * LINE_HEIGHT + 4)

    def _label(self, row: int, column: int, answer: Answer | None, text: str) -> None:
        shown = text + (f"\n（{answer.hint}）" if answer is not None and answer.hint else "")
        cell = put(self.ws, row, column, shown)
        cell.font = Font(bold=True)
        cell.fill = LABEL_FILL
        cell.alignment = WRAP
        cell.border = BORDER

    def _answer(self, row: int, first: int, last: int, answer: Answer, value: Any) -> None:
        cell = put(self.ws, row, first, value)
        cell.alignment = WRAP
        cell.border = BORDER
        if answer.unit:
            cell.number_format = f'General"{answer.unit}"'
        if answer.style == PERSONAL_STYLE:
            cell.fill = PERSONAL_FILL
        if last > first:
            self.ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
            for column in range(first + 1, last + 1):
                self.ws.cell(row, column).border = BORDER
        width = sum(WIDTHS[get_column_letter(c)] for c in range(first, last + 1))
        self._height(row, [value], width)
        self._validate(answer, f"{get_column_letter(first)}{row}")

    def _validate(self, answer: Answer, cell: str) -> None:
        """A dropdown where the answer is one choice; a prompt on every other answer."""
        key = answer.field
        if key not in self.validations:
            if answer.style in (BOXES, CHOICE) and answer.options:
                column = len(self.lists) + 1
                letter = get_column_letter(column)
                put(self.options, 2, column, answer.label).font = Font(bold=True)
                for index, (_, printed) in enumerate(answer.options, start=3):
                    put(self.options, index, column, printed)
                last = 2 + len(answer.options)
                self.lists[key] = f"'{OPTIONS_SHEET}'!${letter}$3:${letter}${last}"
                self.options.column_dimensions[letter].width = 24
                validation = DataValidation(
                    type="list", formula1=self.lists[key], allow_blank=True, showErrorMessage=False
                )
            else:
                validation = DataValidation(allow_blank=True)
            prompt = _prompt(answer)
            if prompt:
                validation.promptTitle = answer.label[:32]
                validation.prompt = prompt[:PROMPT_LIMIT]
                validation.showInputMessage = True
            self.ws.add_data_validation(validation)
            self.validations[key] = validation
        self.validations[key].add(cell)

    def rows(self, source: Iterable[RowLayout], value_of: Any) -> None:
        for row in source:
            if isinstance(row, GroupLayout):
                first = self.row
                for answer in row.answers:
                    self._label(self.row, 2, answer, answer.label)
                    self._answer(self.row, 3, 4, answer, value_of(answer))
                    self.row += 1
                self._label(first, 1, None, row.label)
                self.ws.merge_cells(
                    start_row=first, start_column=1, end_row=self.row - 1, end_column=1
                )
                continue
            if len(row) == 1:
                self._label(self.row, 1, row[0], row[0].label)
                self._answer(self.row, 2, 4, row[0], value_of(row[0]))
            else:
                for offset, answer in enumerate(row[:2]):
                    self._label(self.row, 1 + 2 * offset, answer, answer.label)
                    self._answer(self.row, 2 + 2 * offset, 2 + 2 * offset, answer, value_of(answer))
            self.row += 1


def _values(form: FormLayout, record: Record | None, extra: Mapping[str, Any] | None = None):
    """A function giving each answer's cell value from ``record`` (and lookups in ``extra``)."""
    notes: dict[str, dict[str, str]] = {}
    for field_id, (host, code) in form.embedded.items():
        note = _get(record, (field_id,)) if record is not None else None
        notes[host.field] = {code: str(note) if note else ""}

    def value_of(answer: Answer) -> Any:
        if answer.style == LOOKUP:
            return (extra or {}).get(answer.field)
        return cell_value(answer, record, notes.get(answer.field, {}))

    return value_of


def _head(sheet: Sheet, form: FormLayout, marks: Sequence[str]) -> None:
    put(sheet.ws, 1, 1, f"附件{form.annex.number}")
    sheet.row = 2
    sheet.text_row(form.annex.title, bold=True, size=16, centre=True)
    sheet.text_row(INSTRUCTIONS, size=9)
    for mark in marks:
        sheet.text_row(mark, size=9)


def _tail(sheet: Sheet, form: FormLayout, value_of: Any) -> None:
    for note in form.annex.notes:
        sheet.text_row(note)
    sheet.row += 1
    sheet.text_row(SUPPLEMENT_HEADING, bold=True)
    sheet.rows([(answer,) for answer in form.supplement], value_of)


def rezipped(workbook: bytes, compression: int) -> bytes:
    """A saved workbook made reproducible: every member with a fixed time and mode and
    ``compression``, and the document's modification time fixed (openpyxl stamps the time
    of saving there, whatever the workbook says)."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook)) as source,
        zipfile.ZipFile(out, "w", compression) as target,
    ):
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, ZIP_TIME)
            fixed.compress_type = compression
            fixed.external_attr = 0o644 << 16
            content = source.read(info.filename)
            if info.filename == CORE_PROPERTIES:
                content = MODIFIED.sub(lambda m: m.group(1) + stamp + m.group(2), content)
            target.writestr(fixed, content)
    return out.getvalue()


def save_workbook(wb: Workbook, path: Path) -> Path:
    """Save reproducibly (fixed times), replacing ``path`` in one step."""
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.creator = "springrain"
    buffer = io.BytesIO()
    wb.save(buffer)
    data = rezipped(buffer.getvalue(), zipfile.ZIP_DEFLATED)
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise SpringrainError(
            f"无法写入 {path}：{error.strerror or error}。请检查目录是否存在、是否有写入权限。",
            f"Cannot write {path}: {error.strerror or error}.",
        ) from None
    return path


def _marks(record: Record | None, what: str) -> list[str]:
    if record is None:
        return []
    marks = [f"{EXPORT_MARK} · {what}"]
    if record.get("demo"):
        marks.append(DEMO_MARK)
    return marks


def write_annex1(path: Path, record: Record | None = None) -> Path:
    """Annex 1 (医疗机构临床研究成果转化项目需求表): blank, or filled with a project record."""
    form = layout("annex1")
    wb = Workbook()
    sheet = Sheet(wb, form)
    _head(sheet, form, _marks(record, f"项目编号 {record.get('id', '')}" if record else ""))
    value_of = _values(form, record)
    sheet.rows(form.rows, value_of)
    _tail(sheet, form, value_of)
    return save_workbook(wb, path)


def write_annex2(
    path: Path,
    enterprise: Record | None = None,
    cooperations: Sequence[Record] = (),
    projects: Mapping[str, Record] | None = None,
) -> Path:
    """Annex 2 (企业意向临床研究成果转化项目对接表): blank, or an enterprise and its
    cooperations (the part 企业技术意向合作情况 once for each); ``projects`` (id → record)
    gives each cooperation's project name and institution."""
    form = layout("annex2")
    wb = Workbook()
    sheet = Sheet(wb, form)
    source = enterprise or (cooperations[0] if cooperations else None)
    what = f"企业编号 {enterprise.get('id', '')}" if enterprise else ""
    if cooperations:
        what = " ".join(
            filter(
                None, [what, "合作编号 " + "、".join(str(c.get("id", "")) for c in cooperations)]
            )
        )
    _head(sheet, form, _marks(source, what))
    # The form's own part: the enterprise's fields, and its id as every cooperation's 企业编号.
    combined: dict[str, Any] | None = None
    if enterprise is not None or cooperations:
        combined = dict(enterprise or {})
        owner = enterprise.get("id") if enterprise else cooperations[0].get("enterprise")
        if owner:
            combined["enterprise"] = owner
    value_of = _values(form, combined)
    sheet.rows(form.rows, value_of)
    blocks: Sequence[Record | None] = list(cooperations) or [None]
    for number, cooperation in enumerate(blocks, start=1):
        heading = form.annex.block_heading
        sheet.text_row(heading if len(blocks) == 1 else f"{heading}（{number}）", bold=True)
        project = (projects or {}).get(str(cooperation.get("project"))) if cooperation else None
        lookups = {
            PROJECT_NAME: project.get("project_name") if project else None,
            PROJECT_INSTITUTION: project.get("institution") if project else None,
        }
        block_values = _values(form, cooperation, lookups)
        sheet.rows(form.block, block_values)
        sheet.rows([(answer,) for answer in form.block_supplement], block_values)
    _tail(sheet, form, value_of)
    return save_workbook(wb, path)


def write_template(name: str, path: Path) -> Path:
    """The blank annex ``name`` (annex1, annex2)."""
    return write_annex1(path) if name == "annex1" else write_annex2(path)


def describe(name: str) -> str:
    """The layout of annex ``name`` in words, from the same layout the writer uses (for the
    command's help and so for the CLI reference)."""
    form = layout(name)

    def row_text(row: RowLayout) -> str:
        if isinstance(row, GroupLayout):
            return f"{row.label}（" + "、".join(a.label for a in row.answers) + "）"
        return " | ".join(
            a.label + ("（不读取）" if a.style == PERSONAL_STYLE else "") for a in row
        )

    parts = [row_text(row) for row in form.rows]
    text = (
        f"附件{form.annex.number}《{form.annex.title}》：工作表「附件{form.annex.number}」，"
        "第 1 行“附件N”，第 2 行标题，第 3 行填写说明（导出的记录另有一行注明编号）；"
        "之后每行一个栏目，A 列标签、B–D 列答案（同一行两组时 A/B、C/D；分组标签在 A 列跨行，"
        "B 列子标签，C–D 列答案）。栏目依次为：" + "；".join(parts)
    )
    if form.block:
        block = "；".join(row_text(row) for row in form.block)
        extra = "、".join(a.label for a in form.block_supplement)
        text += (
            f"；然后每项合作一段「{form.annex.block_heading}」（空白模板中一段）：{block}；{extra}"
        )
    text += "。表下是附件的注，然后「补充信息」：" + "；".join(a.label for a in form.supplement)
    return text + "。另有工作表「可选项」列出下拉选项。"
