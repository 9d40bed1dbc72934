"""The limits of every spreadsheet an import reads, in one place (cheap to import: the
command's help quotes them). ``workbook`` enforces them; see its docstring for how."""

from __future__ import annotations

MAX_FILE_BYTES = 10 * 1024 * 1024  # the file on disk
MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024  # all zip members together, as declared
MAX_MEMBERS = 1000  # zip members
MAX_SHEETS = 50
MAX_ROWS = 5000  # per sheet: declared dimension and rows streamed
MAX_COLUMNS = 64
MAX_MERGED = 10_000  # merged ranges per sheet
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
# Elements ("<") in the parts openpyxl parses whole: all of them but the worksheets, and the
# stylesheet alone (Excel itself allows at most 64,000 cell formats).
MAX_TAGS = 1_500_000
MAX_STYLE_TAGS = 150_000
# Elements in all worksheets together: a full sheet (5,000 rows of 64 cells) holds 1.3 million.
MAX_SHEET_TAGS = 2_000_000


def summary_zh() -> str:
    return (
        f"文件不超过 {MAX_FILE_BYTES // (1024 * 1024)} MiB，解压后不超过 "
        f"{MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MiB、{MAX_MEMBERS} 个部件；"
        f"每张工作表不超过 {MAX_ROWS} 行、{MAX_COLUMNS} 列、{MAX_MERGED} 处合并单元格；"
        f"最多 {MAX_SHEETS} 张工作表；单元格不超过 {MAX_CELL_CHARS} 个字符；共享字符串等部件不超过 "
        f"{MAX_TAGS} 个标记、样式不超过 {MAX_STYLE_TAGS} 个、工作表共不超过 {MAX_SHEET_TAGS} 个；不接受含 DTD 的文件"
    )


def summary_en() -> str:
    return (
        f"at most {MAX_FILE_BYTES // (1024 * 1024)} MiB on disk and "
        f"{MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MiB / {MAX_MEMBERS} parts unzipped; per "
        f"sheet {MAX_ROWS} rows, {MAX_COLUMNS} columns, {MAX_MERGED} merged ranges; "
        f"{MAX_SHEETS} sheets; {MAX_CELL_CHARS} characters a cell; {MAX_TAGS} tags in shared "
        f"strings and the other parts parsed whole, {MAX_STYLE_TAGS} in styles, {MAX_SHEET_TAGS} in all sheets; no DTD"
    )
