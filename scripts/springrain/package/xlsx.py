"""A small, deterministic XLSX writer for the package workbook.

Why not openpyxl: it stamps the save time into ``docProps/core.xml`` and the zip entries,
and writes strings starting with ``=`` as formulas unless told otherwise cell by cell. This
writer emits every text cell as an inline string (never a formula), numbers and booleans as
typed cells, a bold frozen header row, fixed timestamps and zip dates, so two builds are
byte-identical. The tests read the result back with openpyxl.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from pathlib import Path
from xml.sax.saxutils import escape

from springrain.errors import SpringrainError

Value = str | int | float | bool | None
ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetViews><sheetView workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
    "</sheetView></sheetViews><sheetData>"
)
SHEET_TAIL = "</sheetData></worksheet>"
CHUNK_ROWS = 2000  # rows per piece handed to the compressor: bounded memory, few calls


def _refuse_illegal(sheet: str, text: str) -> None:
    """Refuse text with a character XML 1.0 (and so Excel) cannot hold."""
    bad = ILLEGAL_XML.search(text)
    if bad:
        raise SpringrainError(
            f"表 {sheet} 含有 Excel 无法保存的控制字符（U+{ord(bad.group()):04X}），"
            "请先运行 springrain validate 找出并删除。",
            f"Table {sheet} holds a control character (U+{ord(bad.group()):04X}) Excel cannot "
            "store; run springrain validate to find it.",
        )


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _text_cell(sheet: str, ref: str, text: str, style: str = "") -> str:
    # isprintable() is False for every character ILLEGAL_XML matches (control characters,
    # U+FFFE, U+FFFF), so the slower search runs only on the rare text that is not printable
    # (line breaks, tabs).
    if not text.isprintable():
        _refuse_illegal(sheet, text)
    if "&" in text or "<" in text or ">" in text or "\r" in text:
        text = _escape(text)
    return f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _cell(sheet: str, ref: str, value: Value, style: str = "") -> str:
    """One cell; text always as an inline string, so ``=…`` is never a formula."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"{style}><v>{value!r}</v></c>'
    return _text_cell(sheet, ref, str(value), style)


def sheet_chunks(
    name: str, header: Sequence[str], rows: Iterable[Sequence[Value]]
) -> Iterator[bytes]:
    """The worksheet XML of one sheet as UTF-8 pieces of ``CHUNK_ROWS`` rows.

    Text is escaped and checked cell by cell as it is written, so nothing needs a second
    pass over the whole XML, and the compressor takes each piece while the next is built."""
    letters = [column_letter(i) for i in range(max(len(header), 1))]
    cells = "".join(_cell(name, f"{letters[i]}1", h, ' s="1"') for i, h in enumerate(header))
    parts = [SHEET_HEAD, f'<row r="1">{cells}</row>']
    text_cell = _text_cell
    for number, row in enumerate(rows, start=2):
        n = str(number)
        row_cells = []
        for letter, value in zip(letters, row, strict=False):
            kind = value.__class__
            if kind is str:
                if value:
                    row_cells.append(text_cell(name, letter + n, value))
            elif kind is int or kind is float:
                # What _cell writes for a number, without its checks: a fifth of the cells.
                row_cells.append(f'<c r="{letter}{n}"><v>{value!r}</v></c>')
            elif value is not None:
                row_cells.append(_cell(name, letter + n, value))
        parts.append(f'<row r="{n}">{"".join(row_cells)}</row>')
        if len(parts) >= CHUNK_ROWS:
            yield "".join(parts).encode("utf-8")
            parts = []
    parts.append(SHEET_TAIL)
    yield "".join(parts).encode("utf-8")


def safe_sheet_name(name: str) -> str:
    return SHEET_NAME_BAD.sub("_", name)[:31]


STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def write_workbook(
    path: Path,
    sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Value]]]],
    *,
    title: str,
    timestamp: dt.datetime,
) -> None:
    """Write ``sheets`` (name, header, rows) to ``path``, byte-reproducibly."""
    stamp = timestamp.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    date_time = max(timestamp.astimezone(dt.UTC), dt.datetime(1980, 1, 1, tzinfo=dt.UTC))
    zip_date = date_time.timetuple()[:6]
    names = [safe_sheet_name(name) for name, _, _ in sheets]
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        + "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        + "</Types>"
    )
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        "</Relationships>"
    )
    core = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title><dc:creator>springrain</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        "<sheets>"
        + "".join(
            f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
            for i, name in enumerate(names, start=1)
        )
        + "</sheets></workbook>"
    )
    workbook_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        + f'<Relationship Id="rId{len(sheets) + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        "</Relationships>"
    )
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:

        def put(name: str, data: str | bytes) -> None:
            info = zipfile.ZipInfo(name, date_time=zip_date)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)

        put("[Content_Types].xml", content_types)
        put("_rels/.rels", root_rels)
        put("docProps/core.xml", core)
        put("xl/workbook.xml", workbook)
        put("xl/_rels/workbook.xml.rels", workbook_rels)
        put("xl/styles.xml", STYLES)
        # zlib lets go of the GIL while it deflates, so one thread compresses each piece
        # of XML while this one builds the next: the deflate takes about as long as the
        # XML itself and gets the second core whenever that one is free.
        with ThreadPoolExecutor(1) as compressor:
            for i, (_, header, rows) in enumerate(sheets, start=1):
                # Streamed piece by piece rather than as one string: a big table's XML is
                # hundreds of megabytes. The entry's bytes are the same as with writestr.
                info = zipfile.ZipInfo(f"xl/worksheets/sheet{i}.xml", date_time=zip_date)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                with archive.open(info, "w") as entry:
                    pending: deque[Future[int]] = deque()
                    try:
                        for chunk in sheet_chunks(names[i - 1], header, rows):
                            pending.append(compressor.submit(entry.write, chunk))
                            if len(pending) > 2:  # a few pieces in flight bound the memory
                                pending.popleft().result()
                    finally:
                        # The entry is closed next, refused text or not: never under a write.
                        wait(pending)
                    for done in pending:
                        done.result()
    tmp.replace(path)
