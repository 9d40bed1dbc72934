"""The import reports: one line per thing not imported, the notes every import gives about
the workbook (hidden sheets, rows, columns and cells; other sheets), and the report of a
form (``FormReport``: records written, answers read, personal cells skipped, fields to
complete). The Shanghai sheet's row-by-row report is ``shanghai.ImportReport``.

Each line names the file, the sheet and the row or cell, says why and what to do, in
Chinese, with the English beneath. ``refused`` lines make ``springrain import`` exit 1:
content that was there and did not become a record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from springrain.intake.sheets.annexes import OPTIONS_NOTE
from springrain.intake.sheets.layout import FormLayout
from springrain.intake.sheets.workbook import Sheet, Workbook, position, safe_name


@dataclass
class Line:
    """One thing not imported (or worth knowing), at one place."""

    where_zh: str  # e.g. 工作表「征集表」第 5 行, or …单元格 B12「研究团队情况」
    where_en: str
    zh: str
    en: str
    refused: bool = True

    def render(self) -> str:
        return f"- {self.where_zh}：{self.zh}\n  {self.where_en}: {self.en}"


def at_sheet(book: Workbook, sheet: Sheet | str) -> tuple[str, str]:
    title = safe_name(sheet if isinstance(sheet, str) else sheet.title, 31)
    return f"{book.name} 工作表「{title}」", f"{book.name}, sheet {title!r}"


def at_row(book: Workbook, sheet: Sheet, row: int, last: int | None = None) -> tuple[str, str]:
    zh, en = at_sheet(book, sheet)
    if last is None or last == row:
        return f"{zh}第 {row} 行", f"{en}, row {row}"
    return f"{zh}第 {row}—{last} 行", f"{en}, rows {row}–{last}"


def at_cell(
    book: Workbook, sheet: Sheet, row: int, column: int, label: str = "", label_en: str = ""
) -> tuple[str, str]:
    zh, en = at_sheet(book, sheet)
    cell = position(row, column)
    return (
        f"{zh}单元格 {cell}" + (f"「{label}」" if label else ""),
        f"{en}, cell {cell}" + (f" ({label_en or label})" if label or label_en else ""),
    )


def is_options_sheet(sheet: Sheet) -> bool:
    """The list of choices springrain's own templates carry (它的第一格是说明)."""
    first = sheet.cells.get((1, 1))
    return first is not None and first.value == OPTIONS_NOTE


def workbook_lines(book: Workbook, used: Sheet, also_forms: dict[str, str]) -> list[Line]:
    """What the import did not read in ``book`` besides the sheet ``used``.

    Hidden sheets that hold anything and sheets of a kind the importer recognised (another
    form: ``also_forms`` maps its title to what it is) are refusals; other visible sheets
    are only named."""
    lines: list[Line] = []
    for sheet in book.sheets:
        if sheet is used:
            continue
        where = at_sheet(book, sheet)
        if not sheet.visible:
            has = bool(sheet.cells) or sheet.too_large is not None
            state = "深度隐藏" if sheet.state == "veryHidden" else "隐藏"
            lines.append(
                Line(
                    *where,
                    f"是{state}的工作表，没有导入"
                    + ("（其中有内容）" if has else "（空表）")
                    + "。如需导入，请取消隐藏、确认内容后单独保存为一个文件再导入。",
                    "a hidden sheet, not imported"
                    + (" (it holds content)" if has else " (empty)")
                    + "; unhide it, check it and import it as a file of its own if needed.",
                    refused=has,
                )
            )
        elif sheet.title in also_forms:
            lines.append(
                Line(
                    *where,
                    f"也是一份{also_forms[sheet.title]}，没有导入：每个文件只导入一张表。"
                    "请把它另存为单独的文件再导入。",
                    "also a form the importer recognises, not imported: one form per file. "
                    "Save it as a file of its own and import that.",
                )
            )
        elif is_options_sheet(sheet):
            lines.append(
                Line(
                    *where,
                    "模板自带的下拉选项表，没有导入",
                    "the template's list of choices, not imported",
                    refused=False,
                )
            )
        elif sheet.too_large is not None:
            lines.append(Line(*where, sheet.too_large[0], sheet.too_large[1], refused=False))
        else:
            lines.append(
                Line(
                    *where,
                    "其他工作表，没有导入" + ("（空表）" if not sheet.cells else ""),
                    "another sheet, not imported" + (" (empty)" if not sheet.cells else ""),
                    refused=False,
                )
            )
    for title in book.others:
        where = at_sheet(book, title)
        lines.append(
            Line(*where, "图表或宏工作表，没有导入", "a chart or macro sheet, not imported", False)
        )
    return lines


# Lines of one kind listed for one sheet: a sheet of 320,000 stray cells is told about, not
# printed 320,000 times (it made a report of 189 MB).
MAX_LISTED = 100


def more_line(book: Workbook, sheet: Sheet, more: int) -> Line:
    """The line that stands for ``more`` lines of a kind not listed one by one."""
    return Line(
        *at_sheet(book, sheet),
        f"另有 {more} 处同类问题没有逐一列出；请先改正上面列出的，再检查整张工作表后重新导入",
        f"{more} more like these are not listed one by one; fix those above, check the whole "
        "sheet and import again",
    )


def hidden_lines(book: Workbook, sheet: Sheet, skip: set[tuple[int, int]]) -> list[Line]:
    """A line per hidden row, column or cell of ``sheet`` that holds content (``skip``: cells
    already reported otherwise)."""
    lines: list[Line] = []
    cells = [c for c in sheet.hidden_content() if c not in skip]
    rows = sorted({row for row, _ in cells if row in sheet.hidden_rows})
    rest = [(r, c) for r, c in cells if r not in sheet.hidden_rows]
    unlisted = max(0, len(rows) + len(rest) - MAX_LISTED)
    rows = rows[:MAX_LISTED]
    rest = rest[: MAX_LISTED - len(rows)]
    for row in rows:
        lines.append(
            Line(
                *at_row(book, sheet, row),
                "是隐藏行，其中的内容没有导入。请取消隐藏、确认内容后重新导入。",
                "a hidden row; its content was not imported. Unhide it, check it and import again.",
            )
        )
    for row, column in rest:
        hidden_column = sheet.column_hidden(column)
        lines.append(
            Line(
                *at_cell(book, sheet, row, column),
                ("在隐藏列中" if hidden_column else "的格式让内容看不见（如 ;;; 格式或白底白字）")
                + "，没有导入。请取消隐藏、确认内容后重新导入。",
                (
                    "in a hidden column"
                    if hidden_column
                    else "formatted so that nothing shows (;;;, or white on white)"
                )
                + "; not imported. Unhide it, check it and import again.",
            )
        )
    if unlisted:
        lines.append(more_line(book, sheet, unlisted))
    return lines


# ---------------------------------------------------------------- a form's report


@dataclass
class Written:
    kind: str
    record_id: str
    path: Path | None  # None: already in the catalogue, linked to, not written
    missing: list[str] = field(default_factory=list)
    note: str = ""


@dataclass
class FormReport:
    book: Workbook
    sheet: Sheet
    form: FormLayout
    written: list[Written] = field(default_factory=list)
    read: list[str] = field(default_factory=list)  # 项目名称（B3）…
    lines: list[Line] = field(default_factory=list)
    notes: list[Line] = field(default_factory=list)
    skipped_personal: list[str] = field(default_factory=list)

    @property
    def refused(self) -> list[Line]:
        return [line for line in self.lines if line.refused]

    def render(self) -> str:
        annex = self.form.annex
        zh, en = at_sheet(self.book, self.sheet)
        out = [
            f"{zh}：《{annex.title}》（{annex.document}）。",
            f"{en}: Fujian annex {annex.number} ({', '.join(annex.kinds)}).",
            "",
        ]
        written = [w for w in self.written if w.path is not None]
        out.append(f"已导入 {len(written)} 条 / imported {len(written)}:")
        for item in written:
            out.append(f"- {item.record_id}（{item.path.as_posix()}）{item.note}")
        if not written:
            out.append("- 无 / none")
        for item in self.written:
            if item.path is None:
                out.append(f"- {item.record_id}：{item.note}")
        if self.read:
            out += ["", "已读取的栏目 / answers read: " + "、".join(self.read)]
        for item in written:
            if item.missing:
                out += [
                    "",
                    f"{item.record_id} 缺少以下栏目，请监管部门补充后再合并（补充前这条记录无法通过校验）：",
                    f"{item.record_id} lacks these fields; complete them before merging "
                    "(until then the record fails validation):",
                    "  " + "、".join(item.missing),
                ]
        if self.skipped_personal:
            out += [
                "",
                "以下个人联系方式栏目没有读取：公开数据不含个人联系方式。",
                "These personal contact cells were skipped: no personal contact data is published.",
                "  " + "、".join(self.skipped_personal),
            ]
        if self.notes:
            out += ["", "说明 / notes:"] + [line.render() for line in self.notes]
        out += ["", f"未导入的内容 {len(self.lines)} 处 / not imported: {len(self.lines)}"]
        out += [line.render() for line in self.lines] or ["- 无 / none"]
        return "\n".join(out)
