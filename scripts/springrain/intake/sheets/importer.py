"""``springrain import``'s one entry: read a workbook safely, recognise the form it holds,
and hand it to that form's importer.

Recognised, in each visible sheet in order: a Fujian annex by its title, the Shanghai
collection sheet by its header row, else a Fujian annex by enough of its labels (at least
``MIN_LABELS``). The first sheet recognised is imported; any other sheet that is also a
form is reported and not imported (one form per file), and so is every hidden sheet. A
workbook with nothing recognisable is refused with a message naming what was looked for,
the sheets too large to read, and any hidden sheet that holds the form.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from springrain.errors import SpringrainError
from springrain.intake.sheets import formsheet, fujian, shanghai
from springrain.intake.sheets.annexes import ANNEXES
from springrain.intake.sheets.layout import layout
from springrain.intake.sheets.report import is_options_sheet
from springrain.intake.sheets.workbook import Sheet, read_workbook, safe_name

MIN_LABELS = 6
TITLED = 100


def recognise(sheet: Sheet) -> tuple[str, object] | None:
    """("annex1" | "annex2" | "shanghai", what the importer needs), or None."""
    if sheet.too_large is not None or is_options_sheet(sheet):
        return None
    scores = {name: formsheet.score(sheet, layout(name)) for name in ANNEXES}
    best = max(scores, key=lambda name: scores[name])
    if scores[best] >= TITLED:
        return best, None
    located = shanghai.find_header(sheet)
    if located is not None:
        return "shanghai", located
    if scores[best] >= MIN_LABELS:
        return best, None
    return None


def describe(name: str) -> str:
    if name == "shanghai":
        return f"《{shanghai.TITLE}》"
    annex = ANNEXES[name]
    return f"《{annex.title}》（附件{annex.number}）"


def import_file(
    path: Path,
    data_dir: Path,
    out_dir: Path,
    *,
    programme: str | None = None,
    province: str | None = None,
    author: str | None = None,
    today: dt.date | None = None,
) -> shanghai.ImportReport | fujian.FormReport:
    """Import the form in ``path``; the report says what became of every row or answer."""
    today = today or dt.date.today()
    _refuse_contact_in_name(path)
    book = read_workbook(path)
    found = [(sheet, recognise(sheet)) for sheet in book.visible]
    forms = [(sheet, kind) for sheet, kind in found if kind is not None]
    if not forms:
        raise _nothing(book)
    sheet, (name, located) = forms[0]
    also = {other.title: describe(kind[0]) for other, kind in forms[1:]}
    if name == "shanghai":
        assert isinstance(located, tuple)
        return shanghai.import_rows(
            book, sheet, located, data_dir, out_dir, programme, province, author, today, also
        )
    options = fujian.Options(data_dir, out_dir, programme, province, author, today)
    return fujian.import_form(book, sheet, name, options, also)


def _refuse_contact_in_name(path: Path) -> None:
    """Every imported record names its file as its source: a file name holding personal
    contact data would put it in the record."""
    from springrain.validate import contacts
    from springrain.validate.checks.pii import WHAT

    hits = contacts.find(path.name)
    if hits:
        what, what_en = WHAT[hits[0].kind]
        raise SpringrainError(
            f"文件名含有{what}（{hits[0].masked}）。导入的记录会写下文件名作为来源，公开数据不能含个人联系方式；"
            "请重命名文件后再导入。",
            f"The file name holds {what_en} ({hits[0].masked}). Imported records name their "
            "file as their source, and personal contact data is never published: rename the "
            "file and import again.",
        )


def _nothing(book) -> SpringrainError:
    zh = [
        f"{book.name} 中没有找到可以导入的表格：需要是福建《医疗机构临床研究成果转化项目需求表》"
        "（附件1）、《企业意向临床研究成果转化项目对接表》（附件2），或上海《转化项目信息征集表》"
        "（含 项目名称、申报单位 等列的表头）。"
    ]
    en = [
        f"No form found in {book.name}: expected Fujian annex 1 or 2, or the Shanghai "
        "collection sheet."
    ]
    for sheet in book.sheets:
        title = safe_name(sheet.title, 31)
        if sheet.too_large is not None:
            zh.append(sheet.too_large[0])
            en.append(sheet.too_large[1])
        elif not sheet.visible and recognise(sheet) is not None:
            zh.append(
                f"工作表「{title}」是表格，但它是隐藏的：隐藏的内容不会导入。请取消隐藏、确认内容后再导入。"
            )
            en.append(f"sheet {title!r} holds the form but is hidden; unhide it and import again.")
    return SpringrainError("\n".join(zh), "\n".join(en))
