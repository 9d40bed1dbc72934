"""Opening an untrusted .xlsx file, and reading its sheets within fixed limits.

Every spreadsheet an importer sees comes through ``read_workbook``, which enforces the
limits (their values live in ``limits``):

- the file: at most ``MAX_FILE_BYTES`` (10 MiB); an .xls or encrypted workbook (an OLE
  compound file) and anything that is not a zip archive are refused with their own message;
- the zip directory, checked before anything is decompressed: at most ``MAX_MEMBERS`` (1,000)
  members and ``MAX_UNCOMPRESSED_BYTES`` (64 MiB) of declared uncompressed size in all
  (Python's zipfile never returns more than the declared size, so the declaration bounds
  the work: a zip bomb is refused before it expands); encrypted members are refused;
- XML: any member holding a document type declaration (``<!DOCTYPE``, and with it every
  entity declaration) is refused before parsing, and the parsers are defusedxml's
  (``forbid_dtd``), so no entity is expanded and nothing external is fetched; the parts
  openpyxl parses whole hold at most ``MAX_TAGS`` (1,500,000) elements together, the
  stylesheet ``MAX_STYLE_TAGS`` (150,000), the worksheets ``MAX_SHEET_TAGS`` (2,000,000)
  (counted in the same pass over the bytes, before any parser runs), and no value between
  two tags of the workbook part or the stylesheet is longer than ``MAX_RUN`` (openpyxl's
  patterns take time with the square of a value's length);
- the workbook's listing, read before openpyxl: at most ``MAX_SHEETS`` sheet entries
  (openpyxl names each in time that grows with their number), and, when there are chart
  sheets, at most ``MAX_CHART_READS`` chart reads (entries times drawing anchors: openpyxl
  reads a chart sheet's charts once for each entry naming it);
- a sheet: at most ``MAX_ROWS`` (5,000) rows and ``MAX_COLUMNS`` (64) columns, checked on
  the sheet's declared dimension *and* while its rows stream (the declaration can lie),
  and at most ``MAX_MERGED`` (10,000) merged ranges; a sheet beyond them is not read
  (``Sheet.too_large`` says why) and the importer names it;
- at most ``MAX_SHEETS`` (50) sheets, and a cell of at most ``MAX_CELL_CHARS`` (32,767
  characters, Excel's own limit; the importers refuse a longer one).

Sheets are streamed in read-only mode, one cell at a time: openpyxl opens the workbook
(workbook part, shared strings, styles), and this module walks each sheet's XML itself with
defusedxml's ``iterparse``, converting cells with openpyxl's own cell parser and dropping
each element once read, so a row of a million cells costs no more memory than one cell.
(openpyxl's read-only rows are built a whole ``<row>`` at a time, and its merged ranges and
hidden rows are not available in read-only mode at all.)

What a person looking at the sheet cannot see is recorded, never silently read: hidden and
very hidden sheets (``Workbook.hidden``), hidden rows and columns (``hidden`` attribute, zero
height or width, or a sheet whose rows or columns are hidden by default), cells whose
number format shows nothing (``;;;``, a white colour: ``numformats``) and white text on no
fill. The importers report them and import none of it. A longer text than a cell can hold
is cut just past that limit as it is read (so it is refused for its length, and nothing
else reads the rest); a number under a date format openpyxl does not know (Chinese Excel's
built-ins by id) is read as that date.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import defusedxml
import openpyxl
from defusedxml.ElementTree import iterparse
from openpyxl.packaging.manifest import Manifest
from openpyxl.packaging.relationship import get_rels_path
from openpyxl.reader.excel import _find_workbook_part
from openpyxl.styles.numbers import BUILTIN_FORMATS
from openpyxl.utils.cell import column_index_from_string, coordinate_to_tuple, get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import fromstring

from springrain.errors import SpringrainError
from springrain.intake.sheets import numformats
from springrain.intake.sheets.limits import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_MEMBERS,
    MAX_MERGED,
    MAX_ROWS,
    MAX_SHEET_TAGS,
    MAX_SHEETS,
    MAX_STYLE_TAGS,
    MAX_TAGS,
    MAX_UNCOMPRESSED_BYTES,
)

__all__ = ["MAX_CELL_CHARS", "Cell", "Sheet", "Workbook", "read_workbook"]

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Parts never parsed as XML (their "<" bytes are not tags).
BINARY_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".emf", ".wmf", ".tif", ".tiff", ".bin")
PARSED, SHEETS = "parsed", "sheets"  # the two budgets of tags
# "<!DOCTYPE" as it appears in UTF-8 and in both byte orders of UTF-16; "<![CDATA[" too.
DOCTYPE_MARKS = tuple(
    "<!DOCTYPE".encode(encoding) for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
CDATA_MARKS = tuple(
    "<![CDATA[".encode(encoding) for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
SCAN_CHUNK = 1 << 16
# An element's prefix, if any: any name (a prefix may be 名 or é as well as x).
_PREFIX = r"(?:[^\s<>:/!?=\"']+:)?"

_NS = f"{{{SHEET_MAIN_NS}}}"
ROW, CELL, COL, MERGE_CELL, SHEET_FORMAT, SHEET_DATA = (
    _NS + name for name in ("row", "c", "col", "mergeCell", "sheetFormatPr", "sheetData")
)
# Parts of a worksheet that come after the merged ranges (ECMA-376 CT_Worksheet order):
# reading stops at the first of them, so nothing after the data is parsed for nothing.
AFTER_MERGED = frozenset(
    _NS + name
    for name in (
        "phoneticPr",
        "conditionalFormatting",
        "dataValidations",
        "hyperlinks",
        "printOptions",
        "pageMargins",
        "pageSetup",
        "headerFooter",
        "rowBreaks",
        "colBreaks",
        "customProperties",
        "cellWatches",
        "ignoredErrors",
        "smartTags",
        "drawing",
        "legacyDrawing",
        "legacyDrawingHF",
        "drawingHF",
        "picture",
        "oleObjects",
        "controls",
        "webPublishItems",
        "tableParts",
        "extLst",
    )
)
# A row lower or a column narrower than this (points, characters) is not visible.
MIN_VISIBLE_HEIGHT = 1.0
MIN_VISIBLE_WIDTH = 0.5
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def safe_name(text: str, limit: int = 80) -> str:
    """A file or sheet name as it may appear in a message: no control, zero-width or
    direction characters (they could rewrite the terminal line or reorder the text)."""
    flat = _UNSAFE_NAME.sub("?", text)
    return flat if len(flat) <= limit else flat[:limit] + "…"


def position(row: int, column: int) -> str:
    """A1-style name of a cell."""
    return f"{get_column_letter(column)}{row}"


class WorkbookRefused(SpringrainError):
    """The whole file cannot be read; the message names the file and the fix."""


@dataclass(frozen=True)
class Cell:
    """One cell as read: openpyxl's value and data type (s, n, b, d, f, e; "x": unreadable)."""

    value: Any
    data_type: str
    number_format: str | None = None  # when not General: what the sheet shows may differ


@dataclass
class Sheet:
    """A worksheet as read: its non-empty cells, merged ranges and what is hidden in it."""

    title: str
    state: str  # visible, hidden, veryHidden
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cells: set[tuple[int, int]] = field(default_factory=set)  # number format ;;;
    rows_read: int = 0  # <row> elements streamed: the work done, for the limits' tests
    cells_read: int = 0  # <c> elements parsed
    too_large: tuple[str, str] | None = None  # (zh, en) why the sheet was not read
    # Each column's first <col> says whether it is hidden (Excel's reading); at most
    # MAX_COLUMNS entries, however many <col> elements a hostile sheet repeats.
    _hidden_columns: dict[int, bool] = field(default_factory=dict)
    _columns_hidden_by_default: bool = False

    @property
    def visible(self) -> bool:
        return self.state == "visible"

    def column_hidden(self, column: int) -> bool:
        return self._hidden_columns.get(column, self._columns_hidden_by_default)

    def is_hidden(self, row: int, column: int) -> bool:
        return (
            row in self.hidden_rows
            or self.column_hidden(column)
            or (row, column) in self.hidden_cells
        )

    def merged_top_left(self) -> dict[tuple[int, int], tuple[int, int]]:
        """Every cell of a merged range but its first → that first cell."""
        covered: dict[tuple[int, int], tuple[int, int]] = {}
        for r1, c1, r2, c2 in self.merged:
            for row in range(r1, r2 + 1):
                for column in range(c1, c2 + 1):
                    if (row, column) != (r1, c1):
                        covered[(row, column)] = (r1, c1)
        return covered

    def merged_range(self, row: int, column: int) -> tuple[int, int, int, int] | None:
        for r1, c1, r2, c2 in self.merged:
            if r1 <= row <= r2 and c1 <= column <= c2:
                return r1, c1, r2, c2
        return None

    def hidden_content(self) -> list[tuple[int, int]]:
        """Non-empty cells a reader of the sheet cannot see, in reading order."""
        return sorted(
            (row, column)
            for (row, column), cell in self.cells.items()
            if not _blank(cell) and self.is_hidden(row, column)
        )


def _blank(cell: Cell) -> bool:
    return cell.value is None or (isinstance(cell.value, str) and not cell.value.strip())


@dataclass
class Workbook:
    """The sheets of one file: visible ones read, hidden ones read only to say what they hold."""

    name: str  # the file's name, safe to print
    sheets: list[Sheet]
    others: list[str] = field(default_factory=list)  # chart sheets and the like: not read

    @property
    def visible(self) -> list[Sheet]:
        return [s for s in self.sheets if s.visible]

    @property
    def hidden(self) -> list[Sheet]:
        return [s for s in self.sheets if not s.visible]


# ---------------------------------------------------------------- the file and its zip


def _refuse(name: str, zh: str, en: str) -> WorkbookRefused:
    return WorkbookRefused(f"无法读取 {name}：{zh}", f"Cannot read {name}: {en}")


RESAVE_ZH = "请用 Excel 或 WPS 打开后“另存为”Excel 工作簿（.xlsx），再重新导入。"
RESAVE_EN = "Open it in Excel or WPS, save it as an Excel workbook (.xlsx) and import it again."


def _check_zip(name: str, data: bytes) -> zipfile.ZipFile:
    if data.startswith(OLE_SIGNATURE):
        raise _refuse(
            name,
            "这是旧版 .xls 文件或设置了打开密码的工作簿。"
            + RESAVE_ZH
            + "如设置了密码，请先取消密码。",
            "it is an old .xls file or a password-protected workbook. " + RESAVE_EN,
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise _refuse(
            name, "不是有效的 .xlsx 文件。" + RESAVE_ZH, "not a valid .xlsx file. " + RESAVE_EN
        ) from None
    if len(members) > MAX_MEMBERS:
        raise _refuse(
            name,
            f"压缩包内有 {len(members)} 个部件，超过上限 {MAX_MEMBERS}，不像是一份填报表格。"
            "请只保留需要导入的工作表后另存为新文件。",
            f"the archive has {len(members)} parts, over the limit of {MAX_MEMBERS}. "
            "Keep only the sheet to import and save it as a new file.",
        )
    declared = sum(member.file_size for member in members)
    if declared > MAX_UNCOMPRESSED_BYTES:
        raise _refuse(
            name,
            f"解压后共 {declared // (1024 * 1024)} MiB，超过上限 {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MiB"
            "（可能是“压缩炸弹”）。请删除多余的工作表、图片和格式后另存为新文件。",
            f"it expands to {declared // (1024 * 1024)} MiB, over the limit of "
            f"{MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MiB (a zip bomb?). Remove extra sheets, "
            "pictures and formatting and save it as a new file.",
        )
    if any(member.flag_bits & 0x1 for member in members):
        raise _refuse(
            name,
            "文件内容已加密。请取消密码后另存为 .xlsx 再导入。",
            "its content is encrypted. Remove the password and save it as .xlsx.",
        )
    return archive


class Scanned(NamedTuple):
    """What one pass over a member's bytes found, nothing parsed."""

    doctype: bool  # a document type declaration (and so possibly entities)
    cdata: bool  # a CDATA section (Excel and WPS never write one)
    tags: int  # how many tags it holds at most: its "<" characters
    longest: int  # its longest run of bytes between two "<"
    root: str | None  # its root element's local name ("" not XML text; None: not found)


def _scan(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> Scanned:
    """One pass over a member's bytes (see ``Scanned``)."""
    keep = max(len(mark) for mark in (*DOCTYPE_MARKS, *CDATA_MARKS)) - 1
    tail, tags, longest, since, cdata = b"", 0, 0, 0, False  # since: bytes after the last "<"
    head = b""
    with archive.open(member) as handle:
        while chunk := handle.read(SCAN_CHUNK):
            if not head:
                head = chunk
            window = tail + chunk
            if any(mark in window for mark in DOCTYPE_MARKS):
                return Scanned(True, cdata, tags, longest, _root(head))
            cdata = cdata or any(mark in window for mark in CDATA_MARKS)
            count = chunk.count(b"<")
            tags += count
            if count:
                first, last = chunk.find(b"<"), chunk.rfind(b"<")
                longest = max(longest, since + first, _longest_gap(chunk, first, last))
                since = len(chunk) - last - 1
            else:
                since += len(chunk)
            tail = window[-keep:]
    return Scanned(False, cdata, tags, max(longest, since), _root(head))


# A root element's name (its prefix left out).
_NAME = re.compile(rf"{_PREFIX}([^\s<>:/!?=\"']+)")


def _xml_text(data: bytes) -> str | None:
    """``data`` as text, in the encoding an XML part may have (UTF-8, or UTF-16 of either
    byte order); None when it is not text (a picture, an embedded file)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "ignore")
    if data.startswith(b"<\x00"):
        return data.decode("utf-16-le", "ignore")
    if data.startswith(b"\x00<"):
        return data.decode("utf-16-be", "ignore")
    if b"\x00" in data[:1024]:
        return None
    return data.decode("utf-8", "ignore").lstrip("\ufeff")


def _root(head: bytes) -> str | None:
    """The local name of a part's root element, from its first bytes: "" when they are not
    XML text (a picture, an embedded file), None when they are but no root starts in them
    (a prolog longer than any Excel writes, to slip a part past the checks by its kind)."""
    text = _xml_text(head)
    if text is None:
        return ""
    at = 0
    while True:  # the prolog: declaration, processing instructions, comments, white space
        while at < len(text) and text[at].isspace():
            at += 1
        for opening, closing in (("<?", "?>"), ("<!--", "-->")):
            if text.startswith(opening, at):
                end = text.find(closing, at + len(opening))
                if end < 0:
                    return None
                at = end + len(closing)
                break
        else:
            if not text.startswith("<", at):
                return ""  # text, but not XML
            found = _NAME.match(text, at + 1)
            return found.group(1) if found else None


_TAG_START = re.compile(rb"<")


def _longest_gap(chunk: bytes, first: int, last: int) -> int:
    """The longest run between two "<" of ``chunk`` (from ``first`` to ``last``)."""
    longest, previous = 0, first
    for match in _TAG_START.finditer(chunk, first + 1, last + 1):
        longest = max(longest, match.start() - previous - 1)
        previous = match.start()
    return longest


# The longest run between two tags openpyxl may parse in the workbook part and the styles
# (known by their root element, wherever the package puts them): its patterns take time
# with the square of a value's length (a print area of 100,000 quotes, a number format of
# 100,000 brackets held it for minutes). Excel allows a defined name 8,192 characters and a
# number format 255, and writes no CDATA section, in which "<" would cut no run.
MAX_RUN = {"workbook": 16_384, "styleSheet": 2_048}
_SHEET_ENTRY = re.compile(rf"<{_PREFIX}sheet(?=[\s/>])")
_ANCHOR = re.compile(rf"<{_PREFIX}(?:twoCell|oneCell|absolute)Anchor(?=[\s/>])")
# A chart sheet's drawings are parsed, chart by chart, once for each sheet entry naming it
# (one 9 KB file made openpyxl read 120,000 charts): entries times anchors stay below this.
MAX_CHART_READS = 2_000


def _budget(member: str, root: str) -> tuple[str, int] | None:
    """Which budget of tags a member counts against, and its own limit (None: no limit),
    by its root element when it is XML, else by its name.

    openpyxl parses the workbook, its shared strings and its styles whole, at a cost per
    element (a stylesheet of 200,000 formats takes seconds), and reads each worksheet's
    opening elements itself: element counts are bounded before it starts. Worksheets are
    then streamed within the row and column limits; pictures and binary parts are never
    parsed."""
    if root == "styleSheet":
        return PARSED, MAX_STYLE_TAGS
    if root == "worksheet":
        return SHEETS, MAX_SHEET_TAGS
    if root:
        return PARSED, MAX_TAGS
    lowered = member.lower()
    if lowered.startswith("xl/media/") or lowered.endswith(BINARY_SUFFIXES):
        return None
    return PARSED, MAX_TAGS


BUDGETS = {PARSED: MAX_TAGS, SHEETS: MAX_SHEET_TAGS}


def _check_xml(name: str, archive: zipfile.ZipFile) -> dict[str, list[str]]:
    """Refuse a member with a DTD, and parts with more elements than the limits allow;
    return the members of each root element (workbook, chartsheet, wsDr …)."""
    totals = dict.fromkeys(BUDGETS, 0)
    roots: dict[str, list[str]] = {}
    read_as = _parts_openpyxl_reads(archive)
    for member in archive.infolist():
        if member.is_dir():
            continue
        part = safe_name(member.filename)
        try:
            scanned = _scan(archive, member)
        except Exception as error:  # BadZipFile, zlib.error, EOFError…: a damaged archive
            raise _refuse(
                name,
                f"文件已损坏（部件 {part} 无法解压）。" + RESAVE_ZH,
                f"the file is damaged ({type(error).__name__} in {part}). " + RESAVE_EN,
            ) from None
        tags, longest, root = scanned.tags, scanned.longest, scanned.root
        if scanned.doctype:
            raise _refuse(
                name,
                f"部件 {part} 含有文档类型声明（DTD）。正常的 Excel/WPS 文件不含 DTD，"
                "它可能被用来展开实体或读取本机文件，因此拒绝读取。" + RESAVE_ZH,
                f"part {part} holds a document type declaration (DTD), which no Excel or WPS "
                "file has and which can expand entities or read local files. " + RESAVE_EN,
            )
        if root is None:
            raise _refuse(
                name,
                f"部件 {part} 的开头不是 Excel 或 WPS 写的样子（没有找到其中的内容从哪里开始）。"
                + RESAVE_ZH,
                f"part {part} does not start as Excel or WPS writes one (no root element near "
                "its start). " + RESAVE_EN,
            )
        # What openpyxl reads it as, whatever its root says; else what its root says.
        root = read_as.get(member.filename, root)
        if root == "manifest":
            raise _refuse(
                name,
                f"部件 {part} 超过 {MAX_MANIFEST_BYTES // 1024} KiB，Excel 和 WPS 写的只有几 KiB。"
                + RESAVE_ZH,
                f"part {part} is over {MAX_MANIFEST_BYTES // 1024} KiB, where Excel and WPS "
                "write a few. " + RESAVE_EN,
            )
        roots.setdefault(root, []).append(member.filename)
        run_limit = MAX_RUN.get(root)
        if run_limit is not None and scanned.cdata:  # a CDATA section hides its runs
            raise _refuse(
                name,
                f"部件 {part} 含有 CDATA 段，Excel 和 WPS 保存的表格不会有。" + RESAVE_ZH,
                f"part {part} holds a CDATA section, which no file Excel or WPS saved has. "
                + RESAVE_EN,
            )
        if run_limit is not None and longest > run_limit:
            raise _refuse(
                name,
                f"部件 {part} 中有一段内容过长（{longest} 字节，上限 {run_limit}），"
                "不像是 Excel 或 WPS 保存的表格。" + RESAVE_ZH,
                f"part {part} holds a value too long ({longest} bytes, limit {run_limit}) for "
                "a file Excel or WPS saved. " + RESAVE_EN,
            )
        budget = _budget(member.filename, root)
        if budget is None:
            continue
        kind, limit = budget
        totals[kind] += tags
        if tags > limit or totals[kind] > BUDGETS[kind]:
            limit = limit if tags > limit else BUDGETS[kind]
            raise _refuse(
                name,
                f"部件 {part} 的内容过多（约 {tags} 个标记，上限 {limit}），不像是一份填报表格。"
                "请删除多余的格式、批注和工作表后另存为新文件。",
                f"part {part} holds too much markup (about {tags} tags, limit {limit}). Remove "
                "extra formatting, comments and sheets and save it as a new file.",
            )
    return roots


# The content types openpyxl finds the workbook part by: a few KB in any real file.
MAX_MANIFEST_BYTES = 1 << 20


def _parts_openpyxl_reads(archive: zipfile.ZipFile) -> dict[str, str]:
    """The parts openpyxl reads as the workbook and as the stylesheet, found as it finds
    them (the workbook by the content types, the stylesheet at its fixed name), whatever
    their root elements say: part → "workbook" or "styleSheet"."""
    found = {"xl/styles.xml": "styleSheet"}
    try:
        if archive.getinfo("[Content_Types].xml").file_size > MAX_MANIFEST_BYTES:
            found["[Content_Types].xml"] = "manifest"  # refused: no real one is so large
            return found
        manifest = Manifest.from_tree(fromstring(archive.read("[Content_Types].xml")))
        found[_find_workbook_part(manifest).PartName[1:]] = "workbook"
    except Exception:  # no manifest or no workbook in it: openpyxl will refuse the file too
        pass
    return found


def _check_sheets(name: str, archive: zipfile.ZipFile, roots: dict[str, list[str]]) -> None:
    """The sheets the workbook lists, counted before openpyxl reads them (it names each in
    time that grows with the square of their number), and the chart reads they would cost.
    Parts are known by their root element (``_check_xml``), wherever the package puts them;
    each was read once already, so reading it again cannot fail."""
    entries = max(
        (
            len(_SHEET_ENTRY.findall(_xml_text(archive.read(m)) or ""))
            for m in roots.get("workbook", [])
        ),
        default=0,
    )
    if entries > MAX_SHEETS:
        raise _refuse(name, *_too_many_sheets(entries))
    # openpyxl reads as a chart sheet what the workbook's relationships call one, whatever
    # its root, and its drawings whatever theirs: every XML part is counted then.
    relationships = [
        get_rels_path(m)
        for m in roots.get("workbook", [])
        if get_rels_path(m) in archive.NameToInfo
    ]
    charts = roots.get("chartsheet") or any(
        "chartsheet" in (_xml_text(archive.read(r)) or "") for r in relationships
    )
    if not charts:
        return
    xml_parts = [m for root, members in roots.items() if root for m in members]
    anchors = sum(len(_ANCHOR.findall(_xml_text(archive.read(m)) or "")) for m in xml_parts)
    if entries * anchors > MAX_CHART_READS:
        raise _refuse(
            name,
            f"图表工作表中的图表过多（{entries} 张工作表、{anchors} 个图表位置），不像是一份填报表格。"
            "请删除图表工作表后另存为新文件。",
            f"its chart sheets hold too many charts ({entries} sheets, {anchors} anchors) for a "
            "form. Delete the chart sheets and save it as a new file.",
        )


def _too_many_sheets(count: int) -> tuple[str, str]:
    return (
        f"有 {count} 张工作表，超过上限 {MAX_SHEETS}。请只保留需要导入的工作表后另存为新文件。",
        f"it has {count} sheets, over the limit of {MAX_SHEETS}. Keep only the sheet to "
        "import and save it as a new file.",
    )


def _load(name: str, data: bytes) -> Any:
    if not getattr(openpyxl, "DEFUSEDXML", False) or not defusedxml:
        raise SpringrainError(
            "defusedxml 未启用（环境变量 OPENPYXL_DEFUSEDXML 不能设为 False），为安全起见拒绝读取表格。",
            "defusedxml is not in use (OPENPYXL_DEFUSEDXML must not be False); refusing to read "
            "spreadsheets.",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=False, keep_links=False, keep_vba=False
            )
    # A hostile file can make openpyxl raise almost anything (ValueError, KeyError,
    # TypeError, ParseError, defusedxml's errors, zlib.error…): each is the same answer.
    except Exception as error:
        raise _refuse(
            name,
            f"不是有效的 .xlsx 文件，或其中有无法解析的内容（{type(error).__name__}）。"
            + RESAVE_ZH,
            f"not a valid .xlsx file, or it holds content that cannot be parsed "
            f"({type(error).__name__}). " + RESAVE_EN,
        ) from None


# ---------------------------------------------------------------- one sheet, streamed


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def _true(text: str | None) -> bool:
    return text in ("1", "true")


def _style_formats(wb: Any) -> list[str | None]:
    """The number format of each style id (None: General)."""
    codes: list[str | None] = []
    custom = list(getattr(wb, "_number_formats", []))
    for style in getattr(wb, "_cell_styles", []):
        number = getattr(style, "numFmtId", 0) or 0
        code = (
            BUILTIN_FORMATS.get(number) or numformats.CHINESE_BUILTIN_FORMATS.get(number)
            if number < 164
            else None
        )
        if number >= 164 and number - 164 < len(custom):
            code = custom[number - 164]
        codes.append(None if not code or code == "General" else str(code))
    return codes


def _white(color: Any) -> bool:
    rgb = getattr(color, "rgb", None) if getattr(color, "type", None) == "rgb" else None
    return isinstance(rgb, str) and rgb[-6:].upper() == "FFFFFF"


def _white_on_white(wb: Any) -> frozenset[int]:
    """Style ids whose text is white on no fill or a white one: nothing a reader sees."""
    found = set()
    fonts, fills = list(getattr(wb, "_fonts", [])), list(getattr(wb, "_fills", []))
    for index, style in enumerate(getattr(wb, "_cell_styles", [])):
        try:
            font = fonts[getattr(style, "fontId", 0) or 0]
            fill = fills[getattr(style, "fillId", 0) or 0] if fills else None
        except IndexError:
            continue
        if not _white(getattr(font, "color", None)):
            continue
        solid = getattr(fill, "fill_type", None) == "solid"
        if not solid or _white(getattr(fill, "fgColor", None)):
            found.add(index)
    return frozenset(found)


def _too_large(sheet: Sheet, rows: int | None, columns: int | None, declared: bool) -> None:
    how_zh = "声明的范围" if declared else "实际内容"
    how_en = "its declared size" if declared else "its content"
    sheet.too_large = (
        f"工作表「{safe_name(sheet.title, 31)}」{how_zh}超过上限（最多 {MAX_ROWS} 行、{MAX_COLUMNS} 列"
        + (f"，这里有第 {rows} 行" if rows else "")
        + (f"，第 {get_column_letter(min(columns, 16384))} 列" if columns else "")
        + "），没有读取。请删除表格下方和右侧多余的行列（或把有内容的区域复制到新工作簿）后重新导入。",
        f"sheet {safe_name(sheet.title, 31)!r} is beyond the limits ({MAX_ROWS} rows, "
        f"{MAX_COLUMNS} columns) by {how_en}"
        + (f" (row {rows})" if rows else "")
        + (f" (column {columns})" if columns else "")
        + "; not read. Delete the extra rows and columns, or copy the used range to a new "
        "workbook, and import again.",
    )


VALUE = f"{_NS}v"


def _shared_string_index(element: Any) -> None:
    """A shared-string cell's index is a whole number from 0, or ``ValueError``: openpyxl
    indexes its list with it, so ``-1`` would read the last shared string, text no cell
    shows (Excel calls such a file damaged)."""
    index = (element.findtext(VALUE) or "").strip()
    if not (index.isascii() and index.isdigit()):
        raise ValueError(f"shared-string index {index[:20]!r}")


def _stream(
    wb: Any, ws: Any, sheet: Sheet, formats: list[str | None], white: frozenset[int]
) -> None:
    """Read the cells of ``ws`` into ``sheet``, stopping at the first limit crossed."""
    if (ws.max_row and ws.max_row > MAX_ROWS) or (ws.max_column and ws.max_column > MAX_COLUMNS):
        rows = ws.max_row if ws.max_row and ws.max_row > MAX_ROWS else None
        columns = ws.max_column if ws.max_column and ws.max_column > MAX_COLUMNS else None
        _too_large(sheet, rows, columns, declared=True)
        return
    parser = WorkSheetParser(
        None,
        ws._shared_strings,
        data_only=False,
        epoch=wb.epoch,
        date_formats=wb._date_formats,
        timedelta_formats=wb._timedelta_formats,
    )
    rows_hidden_by_default = False
    merged_area = 0
    parents: list[Any] = []  # open elements, so each finished one leaves its parent
    cells_in_row = 0
    with wb._archive.open(ws._worksheet_path) as source:
        for event, element in iterparse(source, events=("start", "end"), forbid_dtd=True):
            tag = element.tag
            if event == "start":
                if tag in AFTER_MERGED:
                    break
                parents.append(element)
                if tag == ROW:
                    sheet.rows_read += 1
                    number = element.get("r")
                    try:
                        parser.row_counter = int(number) if number else parser.row_counter + 1
                    except ValueError:
                        parser.row_counter += 1
                    parser.col_counter = 0
                    cells_in_row = 0
                    if parser.row_counter > MAX_ROWS or sheet.rows_read > MAX_ROWS:
                        _too_large(sheet, parser.row_counter, None, declared=False)
                        return
                    height = _number(element.get("ht"))
                    if (
                        _true(element.get("hidden"))
                        or (height is not None and height < MIN_VISIBLE_HEIGHT)
                        or (rows_hidden_by_default and height is None)
                    ):
                        sheet.hidden_rows.add(parser.row_counter)
                continue
            parents.pop()
            if tag == CELL:
                cells_in_row += 1
                sheet.cells_read += 1
                if cells_in_row > MAX_COLUMNS:
                    _too_large(sheet, None, cells_in_row, declared=False)
                    return
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        parsed = parser.parse_cell(element)  # sets the position first
                    if element.get("t") == "s":
                        _shared_string_index(element)
                    style = int(parsed.get("style_id") or 0)
                    code = formats[style] if 0 <= style < len(formats) else None
                    value = parsed["value"]
                    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                        # Longer than any cell Excel writes: kept just over the limit, so
                        # the cell is refused for its length and nothing reads the rest.
                        value = value[: MAX_CELL_CHARS + 1]
                    if (
                        isinstance(value, int | float)
                        and not isinstance(value, bool)
                        and parsed["data_type"] == "n"
                        and numformats.is_date_format(code)
                    ):
                        # A date format openpyxl does not know (Chinese Excel's built-ins
                        # by id): the serial number is the date it shows.
                        value = from_excel(value, wb.epoch)
                    cell = Cell(
                        value, "d" if isinstance(value, dt.date) else parsed["data_type"], code
                    )
                    row, column = parsed["row"], parsed["column"]
                except Exception:  # a hostile cell: shown as unreadable, never a crash
                    row, column = parser.row_counter, parser.col_counter or 1
                    cell, style = Cell(None, "x"), 0
                if column > MAX_COLUMNS or row > MAX_ROWS:
                    _too_large(
                        sheet,
                        row if row > MAX_ROWS else None,
                        column if column > MAX_COLUMNS else None,
                        declared=False,
                    )
                    return
                if cell.value is not None or cell.data_type == "x":
                    sheet.cells[(row, column)] = cell
                    if style in white or numformats.shows_nothing(cell.number_format, cell.value):
                        sheet.hidden_cells.add((row, column))
            elif tag == COL:
                _column(sheet, element)
            elif tag == MERGE_CELL:
                merged = _range(element.get("ref", ""))
                if merged:
                    r1, c1, r2, c2 = merged
                    merged_area += (r2 - r1 + 1) * (c2 - c1 + 1)
                    # Merged ranges never overlap in a real sheet, so together they cover at
                    # most the sheet; more would make every later step pay for each cell.
                    if len(sheet.merged) >= MAX_MERGED or merged_area > MAX_ROWS * MAX_COLUMNS:
                        sheet.too_large = (
                            f"工作表「{safe_name(sheet.title, 31)}」的合并单元格超过 {MAX_MERGED} 处"
                            "或互相重叠，没有读取。请取消多余的合并后重新导入。",
                            f"sheet {safe_name(sheet.title, 31)!r} has over {MAX_MERGED} merged "
                            "ranges, or overlapping ones; not read. Unmerge the extra cells and "
                            "import again.",
                        )
                        return
                    sheet.merged.append(merged)
            elif tag == SHEET_FORMAT:
                rows_hidden_by_default = _true(element.get("zeroHeight"))
                width = _number(element.get("defaultColWidth"))
                sheet._columns_hidden_by_default = width is not None and width < MIN_VISIBLE_WIDTH
            # Drop what was read: neither the element nor its place in the tree stays. (Not
            # the parts of a cell — its value and formula — before the cell itself is read.)
            if tag in (CELL, ROW, COL, MERGE_CELL) or len(parents) == 1:
                element.clear()
                if parents:
                    parents[-1].remove(element)


def _column(sheet: Sheet, element: Any) -> None:
    try:
        first = max(1, int(element.get("min", "0")))
        last = min(MAX_COLUMNS, int(element.get("max", "0")))
    except ValueError:
        return
    width = _number(element.get("width"))
    hidden = _true(element.get("hidden")) or (width is not None and width < MIN_VISIBLE_WIDTH)
    if len(sheet._hidden_columns) == MAX_COLUMNS:
        return  # every column read has been described already
    for column in range(first, last + 1):
        sheet._hidden_columns.setdefault(column, hidden)


_RANGE = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]{1,7}):\$?([A-Z]{1,3})\$?([0-9]{1,7})$")


def _range(ref: str) -> tuple[int, int, int, int] | None:
    """A merged range within the limits (clipped to them), or None."""
    match = _RANGE.match(ref.upper())
    if not match:
        try:
            row, column = coordinate_to_tuple(ref)
        except (ValueError, TypeError):
            return None
        return None if row > MAX_ROWS or column > MAX_COLUMNS else (row, column, row, column)
    c1, r1, c2, r2 = match.groups()
    first_row, last_row = sorted((int(r1), int(r2)))
    first_col, last_col = sorted((column_index_from_string(c1), column_index_from_string(c2)))
    if first_row > MAX_ROWS or first_col > MAX_COLUMNS:
        return None
    return first_row, first_col, min(last_row, MAX_ROWS), min(last_col, MAX_COLUMNS)


# ---------------------------------------------------------------- the whole workbook


def read_workbook(path: Path) -> Workbook:
    """Every sheet of ``path`` within the limits, or ``WorkbookRefused`` naming the problem."""
    name = safe_name(path.name)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise _refuse(
            name, f"文件无法打开（{type(error).__name__}）。", "the file cannot be opened."
        ) from None
    if size > MAX_FILE_BYTES:
        raise _refuse(
            name,
            f"文件有 {size // 1024} KiB，超过上限 {MAX_FILE_BYTES // (1024 * 1024)} MiB。"
            "一份填报表格通常只有几十 KiB；请删除图片和多余的工作表后另存为新文件。",
            f"the file is {size // 1024} KiB, over the limit of "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MiB. Remove pictures and extra sheets and save "
            "it as a new file.",
        )
    with open(path, "rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:  # it grew after stat: the same answer
        raise _refuse(name, "文件超过大小上限。", "the file is over the size limit.")
    archive = _check_zip(name, data)
    _check_sheets(name, archive, _check_xml(name, archive))
    wb = _load(name, data)
    try:
        return _sheets(name, wb)
    finally:
        wb.close()


def _sheets(name: str, wb: Any) -> Workbook:
    book = Workbook(name, [])
    worksheets = list(wb.worksheets)
    book.others = [
        safe_name(title, 31)
        for title in wb.sheetnames
        if title not in {ws.title for ws in worksheets}
    ]
    if len(worksheets) > MAX_SHEETS:
        raise _refuse(name, *_too_many_sheets(len(worksheets)))
    formats, white = _style_formats(wb), _white_on_white(wb)
    # A text longer than any cell is cut just past the limit once, where it is shared, not
    # in each cell naming it: 320,000 cells naming one such string took 5 GB as copies.
    strings = getattr(wb, "shared_strings", None)
    if isinstance(strings, list):
        for index, text in enumerate(strings):
            if isinstance(text, str) and len(text) > MAX_CELL_CHARS + 1:
                strings[index] = text[: MAX_CELL_CHARS + 1]
    read: dict[str, Sheet] = {}
    for ws in worksheets:
        sheet = Sheet(title=str(ws.title), state=str(getattr(ws, "sheet_state", "visible")))
        earlier = read.get(ws._worksheet_path)
        if earlier is not None:  # two sheets naming one part: read it once
            sheet.cells, sheet.merged = earlier.cells, earlier.merged
            sheet.hidden_rows, sheet.hidden_cells = earlier.hidden_rows, earlier.hidden_cells
            sheet.too_large, sheet._hidden_columns = earlier.too_large, earlier._hidden_columns
        else:
            try:
                _stream(wb, ws, sheet, formats, white)
            except Exception as error:  # a hostile sheet part: this sheet only is unreadable
                sheet.cells.clear()
                sheet.too_large = (
                    f"工作表「{safe_name(sheet.title, 31)}」无法解析（{type(error).__name__}），没有读取。"
                    + RESAVE_ZH,
                    f"sheet {safe_name(sheet.title, 31)!r} cannot be parsed "
                    f"({type(error).__name__}); not read. " + RESAVE_EN,
                )
            read[ws._worksheet_path] = sheet
        book.sheets.append(sheet)
    return book


def texts(sheet: Sheet) -> Iterator[tuple[int, int, str]]:
    """(row, column, text) of every string cell, in reading order (for recognising a sheet)."""
    for (row, column), cell in sorted(sheet.cells.items()):
        if isinstance(cell.value, str):
            yield row, column, cell.value
