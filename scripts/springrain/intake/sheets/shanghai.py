"""The Shanghai collection sheet (沪药监械注〔2026〕69号 附件《转化项目信息征集表》).

The sheet is found by its header row wherever it sits (title rows above it are common), the
columns in any order, each header matched by its prefix after NFKC (so （如有） and (如有)
agree, and explanations in brackets after the name do not matter). Which column fills
which field is read from the project schema: a field whose description names ``征集表 X``
takes column X. 序号 only identifies the row; 联系人及联系方式 is never read at all.

Every cell is untrusted (``cells``): a formula, formula-like text (``=…``, ``+…``, ``@…``),
an error value, a control character or over-long text refuses its row with a reason;
nothing is evaluated. Personal contact data in any cell that is read, or split across
two of them, refuses the row too. Hidden rows, and rows with a hidden cell, are not
imported. A second header row, the header repeated lower down and a row numbering the
columns are header rows, never projects. Every row below the header that does not become
a record gets a line in the report, with its row number and why; so does a row already in
the catalogue (same project name and institution), which is not written again.

What the sheet does not ask (city, project lead, type, class, stage, the commitment and the
consent to publish, …) is left for the regulator to complete: the records are written with
those fields missing, and the report lists them. Such records fail validation until they are
completed, so they cannot be merged half-filled.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from springrain.errors import SpringrainError
from springrain.intake.sheets.cells import (
    CellRefused,
    cell_text,
    contact_refusal,
    excerpt,
    one_line,
    record_refusal,
)
from springrain.intake.sheets.records import (
    Existing,
    compare_key,
    existing,
    import_source,
    programme_of_document,
    province_of,
)
from springrain.intake.sheets.report import Line, at_row, at_sheet, hidden_lines, workbook_lines
from springrain.intake.sheets.workbook import Cell, Sheet, Workbook, position, read_workbook
from springrain.model import statuses
from springrain.model.kinds import schema_version
from springrain.model.records import UnsafeWrite, write_record
from springrain.model.schemas import fields

# The document the sheet is the annex of (seed 002_42d6bff99a03a16a.txt): its programme is
# the default of an import.
DOCUMENT = "沪药监械注〔2026〕69号"
TITLE = "转化项目信息征集表"
SERIAL = "序号"
CONTACT = "联系人及联系方式"
HEADER_SCAN_ROWS = 50
EXAMPLE_MARKERS = ("示例", "样例", "填写示例", "例")
BLANK, EXAMPLE, HEADER = "blank", "example row", "a header row"
# A row numbering the columns under the header: 1, (1), （一）, ①.
_COLUMN_NUMBER = re.compile(r"^[(\[]?(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})[)\].、]?$|^[①-⑳]$")


def header_key(text: str) -> str:
    return compare_key(text)


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

    def line(self, book: Workbook, sheet: Sheet) -> str:
        where_zh, where_en = at_row(book, sheet, self.row, self.last_row)
        return Line(where_zh, where_en, self.reason_zh, self.reason_en).render()


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
    lines: list[Line] = field(default_factory=list)  # about the workbook and hidden cells
    book: Workbook | None = None
    source: Sheet | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def refused(self) -> list[Skipped | Line]:
        rows: list[Skipped | Line] = [
            s for s in self.skipped if s.reason_en not in (BLANK, EXAMPLE, HEADER)
        ]
        return rows + [line for line in self.lines if line.refused]

    def render(self) -> str:
        book = self.book or Workbook("?", [])
        sheet = self.source or Sheet(self.sheet, "visible")
        where_zh, where_en = at_sheet(book, sheet)
        lines = [
            f"{where_zh}：《{TITLE}》（{DOCUMENT}），第 {self.header_row} 行是表头。",
            f"{where_en}: the Shanghai collection sheet, header on row {self.header_row}.",
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
        ]
        lines += ["", *self.notes] if self.notes else []
        lines += ["", f"未导入的行 {len(self.skipped)} 处 / rows not imported:"]
        lines += [s.line(book, sheet) for s in self.skipped] or ["- 无 / none"]
        if self.lines:
            lines += ["", "工作簿中其他未导入的内容 / also not imported:"]
            lines += [line.render() for line in self.lines]
        return "\n".join(lines)


def _common_missing(imported: list[Imported]) -> list[str]:
    if not imported:
        return []
    common = set(imported[0].missing)
    for item in imported[1:]:
        common &= set(item.missing)
    return [m for m in imported[0].missing if m in common]


def _cell(
    sheet: Sheet, covered: dict[tuple[int, int], tuple[int, int]], row: int, column: int
) -> Cell | None:
    """A cell as a reader sees it: a merged range's every cell shows its first cell's value."""
    return sheet.cells.get(covered.get((row, column), (row, column)))


def find_header(sheet: Sheet) -> tuple[int, dict[int, str]] | None:
    """(row, column → header) of the first row naming enough of the sheet's columns."""
    wanted = [(h, header_key(h)) for h in headers()]
    covered = sheet.merged_top_left()
    columns = sorted({column for _, column in sheet.cells} | {c for _, c in covered})
    rows = sorted({row for row, _ in sheet.cells} | {r for r, _ in covered})
    for row in [r for r in rows if r <= HEADER_SCAN_ROWS]:
        if row in sheet.hidden_rows:
            continue
        found: dict[int, str] = {}
        for column in columns:
            if sheet.column_hidden(column):
                continue
            cell = _cell(sheet, covered, row, column)
            if cell is None or not isinstance(cell.value, str):
                continue
            key = header_key(cell.value)
            for name, name_key in wanted:
                if key.startswith(name_key) and name not in found.values():
                    found[column] = name
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


Rows = list[tuple[int, dict[str, str] | Skipped]]


def _merged_with_contact(sheet: Sheet, columns: dict[int, str]) -> set[tuple[int, int]]:
    """The cells of every merged range that takes in a cell of the contact column: what
    they show may be the contact's, which is never read. (The ranges' area is bounded by
    the reader's limits.)"""
    contact = [c for c, n in columns.items() if n == CONTACT]
    return {
        (row, column)
        for r1, c1, r2, c2 in sheet.merged
        if any(c1 <= c <= c2 for c in contact)
        for row in range(r1, r2 + 1)
        for column in range(c1, c2 + 1)
    }


def read_rows(sheet: Sheet, located: tuple[int, dict[int, str]]) -> tuple[list[str], Rows]:
    """Missing headers, and each row below the header: its values, or why it is skipped."""
    header_row, columns = located
    covered = sheet.merged_top_left()
    with_contact = _merged_with_contact(sheet, columns)
    last = max([row for row, _ in sheet.cells] + [r for r, _ in covered] + [header_row])
    rows: Rows = []
    for row in range(header_row + 1, last + 1):
        used = [(c, n) for c, n in columns.items() if n != CONTACT]  # never read, not even here
        # A merged cell's value is its first cell's: hidden there, it is hidden in every
        # row the range covers.
        hidden = [
            c
            for c, _ in used
            if (sheet.is_hidden(row, c) or covered.get((row, c)) in sheet.hidden_cells)
            and not _blank(_cell(sheet, covered, row, c))
        ]
        if row in sheet.hidden_rows:
            has = any(not _blank(_cell(sheet, covered, row, c)) for c, _ in used)
            rows.append(
                (
                    row,
                    Skipped(
                        row,
                        "是隐藏行，没有导入；请取消隐藏、确认内容后重新导入",
                        "a hidden row, not imported",
                    )
                    if has
                    else Skipped(row, "空行", BLANK),
                )
            )
            continue
        if hidden:
            rows.append(
                (
                    row,
                    Skipped(
                        row,
                        "有隐藏的单元格（隐藏列、不显示内容的格式或白底白字），没有导入；请取消隐藏、确认内容后重新导入",
                        "a cell of the row is hidden; not imported",
                    ),
                )
            )
            continue
        header = _header_part(sheet, covered, located, row, used)
        if header:
            rows.append((row, header))
            continue
        joined = next((name for c, name in used if (row, c) in with_contact), None)
        if joined:
            rows.append(
                (
                    row,
                    Skipped(
                        row,
                        f"「{joined}」与「{CONTACT}」是合并单元格，无法分开读取，没有导入；"
                        "请取消合并、分别填写后重新导入",
                        f"{joined} is merged with the {CONTACT} column; not imported",
                    ),
                )
            )
            continue
        values: dict[str, str] = {}
        refused: Skipped | None = None
        for column, name in used:
            try:
                values[name] = cell_text(_cell(sheet, covered, row, column))
            except CellRefused as problem:
                refused = refused or Skipped(
                    row, f"「{name}」{problem.zh}", f"{name}: {problem.en}"
                )
        rows.append((row, refused or values))
    missing = [h for h in headers() if h not in columns.values()]
    return missing, rows


def _header_part(
    sheet: Sheet,
    covered: dict[tuple[int, int], tuple[int, int]],
    located: tuple[int, dict[int, str]],
    row: int,
    used: list[tuple[int, str]],
) -> Skipped | None:
    """Why ``row`` is part of a header, not a project, or None: a second header row whose
    cells are merged with the header's, the header repeated further down (as a printed
    sheet repeats it), or a row numbering the columns. A row whose name and institution
    read as headers is one, whatever its other cells hold (sub-headings); a row with only
    some cells merged with the header is refused, never guessed at."""
    header_row, _ = located

    def merged_from_header(column: int) -> bool:
        return covered.get((row, column), (row, column))[0] <= header_row

    from_header = [name for c, name in used if merged_from_header(c)]
    others = [
        (c, name)
        for c, name in used
        if not merged_from_header(c) and not _blank(_cell(sheet, covered, row, c))
    ]
    headerish = {name for c, name in others if _is_header_text(_cell(sheet, covered, row, c))}
    headerish.update(from_header)
    # A second header row's own cells (sub-headings under a merged heading) are free text;
    # it shows as a header by its name and institution columns, which no project leaves so.
    names_are_headers = {"项目名称", "申报单位"} <= headerish
    all_headers = all(name in headerish for _, name in others)
    if names_are_headers or (
        all_headers and (from_header or any(name != SERIAL for _, name in others))
    ):
        return Skipped(row, "表头行（多行表头、重复的表头或列序号），没有导入", HEADER)
    if from_header:
        return Skipped(
            row,
            f"「{from_header[0]}」与表头是合并单元格，不能作为项目读取，没有导入；"
            "如果这一行是项目，请取消合并、分别填写后重新导入",
            f"{from_header[0]} is merged with the header; not imported",
        )
    return None


def _is_header_text(cell: Cell | None) -> bool:
    """Whether a cell reads as a column's header or a column's number."""
    value = None if cell is None else cell.value
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, int | float):
        return float(value).is_integer() and 0 < value <= 99
    if not isinstance(value, str):
        return False
    key = header_key(value)
    # The whole cell: a header with its explanation in brackets, never a header as the
    # label of a value ("项目名称：眼底筛查系统").
    return bool(_COLUMN_NUMBER.match(key)) or any(
        key == name or key.startswith(name + "(") for name in _header_keys()
    )


@cache
def _header_keys() -> tuple[str, ...]:
    return tuple(header_key(name) for name in headers())


def _blank(cell: Cell | None) -> bool:
    return (
        cell is None
        or cell.value is None
        or (isinstance(cell.value, str) and not cell.value.strip())
    )


def import_rows(
    book: Workbook,
    sheet: Sheet,
    located: tuple[int, dict[int, str]],
    data_dir: Path,
    out_dir: Path,
    programme: str | None,
    province: str | None,
    author: str | None,
    today: dt.date,
    also: dict[str, str] | None = None,
) -> ImportReport:
    """Import the rows of the collection sheet ``sheet``, its header ``located``."""
    header_row, columns = located
    missing_columns, rows = read_rows(sheet, located)
    report = ImportReport(
        sheet.title, header_row, missing_columns=missing_columns, book=book, source=sheet
    )
    header_cells = {(header_row, c) for c in columns}
    data_cells = {(r, c) for r, _ in rows for c in columns}
    report.lines += hidden_lines(book, sheet, header_cells | data_cells)
    report.lines += _other_columns(book, sheet, located)
    report.lines += workbook_lines(book, sheet, also or {})
    chosen = programme or programme_of_document(data_dir, DOCUMENT)
    if not chosen:
        raise SpringrainError(
            f"{book.name}：无法确定行动方案（{DOCUMENT} 不在 programmes.csv 中），请用 --programme 指定。",
            f"{book.name}: cannot tell the programme; pass --programme.",
        )
    if not programme:
        report.notes.append(
            f"行动方案取 {chosen}（征集表出处 {DOCUMENT}）/ programme {chosen} (the sheet's source)"
        )
    province = province or province_of(data_dir, chosen)
    if not province:
        raise SpringrainError(
            f"{book.name}：无法确定行动方案 {chosen} 所在省份，请用 --province 指定。",
            f"{book.name}: cannot tell the province of programme {chosen}; pass --province.",
        )
    seen: dict[tuple[str, str], int] = {}
    known: Existing = existing(data_dir, out_dir)
    required = [f for f in fields("project") if f.required]
    for row, content in rows:
        if isinstance(content, Skipped):
            _skip(report, content)
            continue
        values = content
        if not any(v for k, v in values.items() if k != SERIAL):
            _skip(report, Skipped(row, "空行", BLANK))
            continue
        if _is_example(values):
            report.skipped.append(Skipped(row, "表格自带的示例行", EXAMPLE))
            continue
        contact = next(
            ((name, refusal) for name, v in values.items() if (refusal := contact_refusal(v))), None
        )
        if contact:
            name, (zh, en) = contact
            report.skipped.append(Skipped(row, f"「{name}」{zh}", f"{name}: {en}"))
            continue
        name = one_line(values.get("项目名称", ""))
        institution = one_line(values.get("申报单位", ""))
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
        if key in known.projects:
            report.skipped.append(
                Skipped(
                    row,
                    f"项目「{excerpt(name, 30)}」已收录为 {known.projects[key]}，没有重复导入",
                    f"already in the catalogue as {known.projects[key]}",
                )
            )
            continue
        seen[key] = row
        record: dict[str, Any] = {
            "id": "",
            "schema_version": schema_version(),
            "programme": chosen,
            "province": province,
        }
        for header, field_name in column_fields().items():
            text = values.get(header, "")
            if text:
                is_line = field_name in ("project_name", "institution")
                record[field_name] = one_line(text) if is_line else text
        record["submitted"] = today.isoformat()
        if author:
            record["submitted_by"] = author
        record["status"] = statuses.initial("project")
        record["history"] = [
            {
                "date": today.isoformat(),
                "status": record["status"],
                "source": import_source(book.name, f"第{row}行"),
            }
        ]
        refusal = record_refusal("project", record)
        if refusal:
            report.skipped.append(Skipped(row, *refusal))
            continue
        record["id"] = known.new_id("project", province=province, year=f"{today.year:04d}")
        try:
            target = write_record(out_dir, "project", record)
        except UnsafeWrite as refused:
            report.skipped.append(Skipped(row, refused.message_zh, refused.message_en))
            continue
        known.add("project", record)
        missing = [f.title_zh for f in required if f.name not in record]
        report.imported.append(Imported(row, record["id"], target, missing))
    return report


def _other_columns(book: Workbook, sheet: Sheet, located: tuple[int, dict[int, str]]) -> list[Line]:
    """A line per column that is not one of the sheet's and holds something below the header:
    its content is not imported, and the regulator should know."""
    header_row, columns = located
    lines = []
    for column in sorted({c for r, c in sheet.cells if r > header_row} - set(columns)):
        filled = [
            r
            for (r, c), cell in sheet.cells.items()
            if c == column and r > header_row and not _blank(cell) and not sheet.is_hidden(r, c)
        ]
        if not filled:
            continue
        head = sheet.cells.get((header_row, column))
        name = excerpt(str(head.value)) if head is not None and head.value is not None else ""
        zh, en = at_sheet(book, sheet)
        letter = position(header_row, column).rstrip("0123456789")
        lines.append(
            Line(
                f"{zh}第 {letter} 列" + (f"「{name}」" if name else ""),
                f"{en}, column {letter}",
                f"不是征集表的列，其中 {len(filled)} 个单元格的内容没有导入",
                f"not a column of the sheet; {len(filled)} cells in it were not imported",
                refused=False,
            )
        )
    return lines


def _skip(report: ImportReport, skipped: Skipped) -> None:
    """Add a skipped row; a run of blank rows is one line."""
    last = report.skipped[-1] if report.skipped else None
    if (
        skipped.reason_en == BLANK
        and last
        and last.reason_en == BLANK
        and (last.last_row or last.row) == skipped.row - 1
    ):
        last.last_row = skipped.row
    else:
        report.skipped.append(skipped)


def import_sheet(
    path: Path,
    data_dir: Path,
    out_dir: Path,
    programme: str | None,
    province: str | None,
    author: str | None,
    today: dt.date,
) -> ImportReport:
    """Import ``path`` as a Shanghai collection sheet (its first visible sheet that has the
    header)."""
    book = read_workbook(path)
    for sheet in book.visible:
        located = find_header(sheet)
        if located is not None:
            return import_rows(
                book, sheet, located, data_dir, out_dir, programme, province, author, today
            )
    raise SpringrainError(
        f"{book.name} 中没有找到《{TITLE}》的表头（需要含有 项目名称、申报单位 等列）。",
        f"No {TITLE} header row found in {book.name}.",
    )
