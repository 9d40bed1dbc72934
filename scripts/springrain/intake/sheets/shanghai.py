"""The Shanghai collection sheet (沪药监械注〔2026〕69号 附件《转化项目信息征集表》).

The sheet is found by its header row wherever it sits (title rows above it are common), the
columns in any order, each header matched by its prefix after NFKC (so （如有） and (如有)
agree, and explanations in brackets after the name do not matter). Which column fills
which field is read from the project schema: a field whose description names ``征集表 X``
takes column X. 序号 only identifies the row; 联系人及联系方式 is never read at all.

Every cell is untrusted: a formula, formula-like text (``=…``, ``+…``, ``@…``) or a
control character refuses its row with a reason; nothing is evaluated. Personal contact
data in any cell that is read refuses the row too. Every row below the header that does not
become a record gets a line in the report, with its row number and why.

What the sheet does not ask (city, project lead, type, class, stage, the commitment and the
consent to publish, …) is left for the regulator to complete: the records are written with
those fields missing, and the report lists them. Such records fail validation until they are
completed, so they cannot be merged half-filled.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from springrain.errors import SpringrainError
from springrain.model import statuses
from springrain.model.ids import used_ids
from springrain.model.kinds import kind as record_kind
from springrain.model.kinds import schema_version
from springrain.model.records import write_record
from springrain.model.schemas import fields
from springrain.validate.checks.pii import find_pii

SERIAL = "序号"
CONTACT = "联系人及联系方式"
HEADER_SCAN_ROWS = 50
EXAMPLE_MARKERS = ("示例", "样例", "填写示例", "例")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_FORMULA_LIKE = re.compile(r"^[=+@\-]")
_NUMBER = re.compile(r"^[+-]?[0-9]+(?:\.[0-9]+)?$")
_DASHES = re.compile(r"^[-—–－]+$")
PII_ZH = {"pii.mobile": "手机号码", "pii.email": "电子邮箱", "pii.id_number": "身份证号码"}


def header_key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@cache
def column_fields() -> dict[str, str]:
    """Sheet header → project field, from the ``征集表 X`` notes in the schema."""
    mapping: dict[str, str] = {}
    for f in fields("project"):
        match = re.search(r"征集表 ([^\s;:]+)", f.description)
        if match:
            mapping[match.group(1).rstrip(".")] = f.name
    return mapping


def headers() -> list[str]:
    return [SERIAL, *column_fields(), CONTACT]


@dataclass
class Skipped:
    row: int
    reason_zh: str
    reason_en: str
    last_row: int | None = None  # a run of blank rows is one line

    def line(self) -> str:
        rows = f"第 {self.row} 行" if self.last_row is None else f"第 {self.row}—{self.last_row} 行"
        rows_en = f"row {self.row}" if self.last_row is None else f"rows {self.row}–{self.last_row}"
        return f"- {rows}：{self.reason_zh}（{rows_en}: {self.reason_en}）"


@dataclass
class Imported:
    row: int
    record_id: str
    path: Path
    missing: list[str]


@dataclass
class ImportReport:
    sheet: str
    header_row: int
    imported: list[Imported] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)

    @property
    def refused(self) -> list[Skipped]:
        return [s for s in self.skipped if s.reason_en not in ("blank", "example row")]

    def render(self) -> str:
        lines = [
            f"工作表「{self.sheet}」第 {self.header_row} 行是表头。",
            f"Sheet {self.sheet!r}, header on row {self.header_row}.",
            "",
            f"已导入 {len(self.imported)} 条 / imported {len(self.imported)}:",
        ]
        for item in self.imported:
            lines.append(f"- 第 {item.row} 行 → {item.record_id}（{item.path.as_posix()}）")
        common = _common_missing(self.imported)
        if common:
            lines += [
                "",
                "征集表没有以下项目，请监管部门补充后再合并（补充前这些记录无法通过校验）：",
                "The sheet lacks these fields; complete them before merging (until then the "
                "records fail validation):",
                "  " + "、".join(common),
            ]
        for item in self.imported:
            extra = [m for m in item.missing if m not in common]
            if extra:
                lines.append(f"- {item.record_id} 另缺 / also lacks: {'、'.join(extra)}")
        if self.missing_columns:
            lines += [
                "",
                "表中没有这些列 / columns not in the sheet: " + "、".join(self.missing_columns),
            ]
        lines += [
            "",
            f"「{CONTACT}」一列没有导入：公开数据不含个人联系方式。",
            f"The {CONTACT} column is never imported: no personal contact data is published.",
            "",
            f"未导入的行 {len(self.skipped)} 处 / rows not imported:",
        ]
        lines += [s.line() for s in self.skipped] or ["- 无 / none"]
        return "\n".join(lines)


def _common_missing(imported: list[Imported]) -> list[str]:
    if not imported:
        return []
    common = set(imported[0].missing)
    for item in imported[1:]:
        common &= set(item.missing)
    return [m for m in imported[0].missing if m in common]


def _merged_values(ws: Worksheet) -> dict[tuple[int, int], Any]:
    """Every cell of a merged range carries the top-left value, as a reader sees it."""
    values: dict[tuple[int, int], Any] = {}
    for merged in ws.merged_cells.ranges:
        top_left = ws.cell(merged.min_row, merged.min_col)
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                values[(row, col)] = top_left
    return values


class CellRefused(Exception):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def cell_text(cell: Any) -> str:
    """The text of a cell, or CellRefused for content that must not be taken in."""
    value = cell.value
    if value is None:
        return ""
    if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=")):
        raise CellRefused("单元格是公式，请改为纯文字", "the cell holds a formula")
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(text):
        raise CellRefused("含有控制字符", "the cell holds control characters")
    text = "\n".join(line.strip() for line in text.split("\n")).strip()
    text = text.replace("\u3000", " ").strip()
    if _DASHES.match(text):
        return ""
    if _FORMULA_LIKE.match(text) and not _NUMBER.match(text):
        raise CellRefused(
            "以 = + - @ 开头，可能是公式，请去掉开头的符号",
            "starts with = + - @ and could be read as a formula",
        )
    return text


def find_header(ws: Worksheet) -> tuple[int, dict[int, str]] | None:
    """(row, column → header) of the first row naming enough of the sheet's columns."""
    wanted = [(h, header_key(h)) for h in headers()]
    merged = _merged_values(ws)
    for row in range(1, min(ws.max_row, HEADER_SCAN_ROWS) + 1):
        found: dict[int, str] = {}
        for col in range(1, ws.max_column + 1):
            cell = merged.get((row, col), ws.cell(row, col))
            if not isinstance(cell.value, str):
                continue
            key = header_key(cell.value)
            for name, name_key in wanted:
                if key.startswith(name_key) and name not in found.values():
                    found[col] = name
                    break
        names = set(found.values())
        if {"项目名称", "申报单位"} <= names and len(names) >= 6:
            return row, found
    return None


def _is_example(values: dict[str, str]) -> bool:
    serial = header_key(values.get(SERIAL, ""))
    if serial in EXAMPLE_MARKERS or serial.startswith("示例"):
        return True
    name = header_key(values.get("项目名称", ""))
    return name.startswith(("示例", "例:", "例："))


def _single_line(text: str) -> str:
    return re.sub(r"\s*\n\s*", " ", text)


def read_rows(
    path: Path,
) -> tuple[str, int, list[str], list[tuple[int, dict[str, str] | Skipped]]]:
    try:
        workbook = load_workbook(path, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise SpringrainError(
            f"无法读取 {path.name}：不是有效的 .xlsx 文件（{type(error).__name__}）。"
            "请用 Excel 或 WPS 另存为 .xlsx 后再试。",
            f"Cannot read {path.name}: not a valid .xlsx file.",
        ) from error
    for ws in workbook.worksheets:
        located = find_header(ws)
        if located is None:
            continue
        header_row, columns = located
        merged = _merged_values(ws)
        rows: list[tuple[int, dict[str, str] | Skipped]] = []
        for row in range(header_row + 1, ws.max_row + 1):
            values: dict[str, str] = {}
            refused: Skipped | None = None
            for col, name in columns.items():
                if name == CONTACT:
                    continue  # never read: personal contact data stays out of every file
                cell = merged.get((row, col), ws.cell(row, col))
                try:
                    values[name] = cell_text(cell)
                except CellRefused as problem:
                    refused = refused or Skipped(
                        row, f"「{name}」{problem.zh}", f"{name}: {problem.en}"
                    )
            rows.append((row, refused or values))
        missing = [h for h in headers() if h not in columns.values()]
        return ws.title, header_row, missing, rows
    raise SpringrainError(
        f"{path.name} 中没有找到《转化项目信息征集表》的表头（需要含有 项目名称、申报单位 等列）。",
        f"No 转化项目信息征集表 header row found in {path.name}.",
    )


def import_sheet(
    path: Path,
    data_dir: Path,
    out_dir: Path,
    programme: str,
    province: str,
    author: str | None,
    today: dt.date,
) -> ImportReport:
    sheet, header_row, missing_columns, rows = read_rows(path)
    report = ImportReport(sheet, header_row, missing_columns=missing_columns)
    seen: dict[tuple[str, str], int] = {}
    taken = used_ids(data_dir, "project") | used_ids(out_dir, "project")
    required = [f for f in fields("project") if f.required]
    source_name = re.sub(r"[\r\n\t]", " ", path.name)[:100]
    for row, content in rows:
        if isinstance(content, Skipped):
            report.skipped.append(content)
            continue
        values = content
        if not any(v for k, v in values.items() if k != SERIAL):
            last = report.skipped[-1] if report.skipped else None
            if last and last.reason_en == "blank" and (last.last_row or last.row) == row - 1:
                last.last_row = row
            else:
                report.skipped.append(Skipped(row, "空行", "blank"))
            continue
        if _is_example(values):
            report.skipped.append(Skipped(row, "表格自带的示例行", "example row"))
            continue
        pii = [(name, code, masked) for name, v in values.items() for code, masked in find_pii(v)]
        if pii:
            name, code, masked = pii[0]
            report.skipped.append(
                Skipped(
                    row,
                    f"「{name}」中有{PII_ZH[code]}（{masked}），公开数据不能含个人联系方式；请删除后重新导入",
                    f"{name} holds personal contact data ({code})",
                )
            )
            continue
        name = _single_line(values.get("项目名称", ""))
        institution = _single_line(values.get("申报单位", ""))
        if not name or not institution:
            absent = "项目名称" if not name else "申报单位"
            report.skipped.append(Skipped(row, f"缺少「{absent}」", f"no {absent}"))
            continue
        key = (header_key(name), header_key(institution))
        if key in seen:
            report.skipped.append(
                Skipped(row, f"与第 {seen[key]} 行重复", f"duplicate of row {seen[key]}")
            )
            continue
        seen[key] = row
        record: dict[str, Any] = {
            "id": "",
            "schema_version": schema_version(),
            "programme": programme,
            "province": province,
        }
        for header, field_name in column_fields().items():
            text = values.get(header, "")
            if text:
                is_line = field_name in ("project_name", "institution")
                record[field_name] = _single_line(text) if is_line else text
        record["submitted"] = today.isoformat()
        if author:
            record["submitted_by"] = author
        record["status"] = statuses.initial("project")
        record["history"] = [
            {
                "date": today.isoformat(),
                "status": record["status"],
                "source": f"批量导入 {source_name} 第{row}行",
            }
        ]
        kind = record_kind("project")
        wanted = (province, f"{today.year:04d}")
        number = max(
            (parsed[1] for parsed in map(kind.id_number, taken) if parsed and parsed[0] == wanted),
            default=0,
        )
        record_id = kind.make_id(number + 1, province=province, year=wanted[1])
        taken.add(record_id)
        record["id"] = record_id
        target = write_record(out_dir, "project", record)
        missing = [f.title_zh for f in required if f.name not in record]
        report.imported.append(Imported(row, record_id, target, missing))
    return report
