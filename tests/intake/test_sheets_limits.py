"""Hostile workbooks: every one is refused or reported with a clear message, never a
traceback, a hang or a silent import; the tests assert bounded work (rows and cells read),
not wall time. (The limits: ``springrain.intake.sheets.limits``.)"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from test_sheets_support import (
    SHEET_PART,
    base_workbook,
    make_data,
    patched,
    rows_of,
    run_import,
    sheet_xml,
)

from springrain.errors import SpringrainError
from springrain.intake.sheets import workbook as reader
from springrain.intake.sheets.limits import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_MEMBERS,
    MAX_MERGED,
    MAX_ROWS,
    MAX_STYLE_TAGS,
    MAX_TAGS,
    MAX_UNCOMPRESSED_BYTES,
)
from springrain.intake.sheets.workbook import read_workbook

ENTITY = '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'


def refused(path: Path) -> SpringrainError:
    with pytest.raises(SpringrainError) as caught:
        read_workbook(path)
    return caught.value


def cli(run_cli, path: Path, tmp_path: Path) -> tuple[int, str]:
    data = make_data(tmp_path, name="cli-data")
    return run_cli("import", str(path), "--data", str(data))


# ---------------------------------------------------------------- XML


def test_openpyxl_and_the_reader_parse_with_defusedxml() -> None:
    assert openpyxl.DEFUSEDXML is True
    assert reader.iterparse.__module__.startswith("defusedxml")
    from openpyxl.xml import functions

    assert functions.iterparse.__module__.startswith("defusedxml")
    assert functions.fromstring.__module__.startswith("defusedxml")


@pytest.mark.parametrize(
    "part, prolog",
    [
        (SHEET_PART, ENTITY),
        (SHEET_PART, "<!DOCTYPE worksheet>"),  # a DTD without an entity is refused too
        ("xl/workbook.xml", ENTITY.replace("worksheet", "workbook")),
        ("[Content_Types].xml", '<!DOCTYPE x SYSTEM "file:///etc/passwd">'),
    ],
)
def test_a_dtd_is_refused_with_a_message(part: str, prolog: str, tmp_path: Path, run_cli) -> None:
    with zipfile.ZipFile(io.BytesIO(base_workbook())) as source:
        original = source.read(part).decode("utf-8")
    head, _, rest = original.partition("?>") if original.startswith("<?xml") else ("", "", original)
    content = (head + "?>" if head else '<?xml version="1.0"?>') + prolog + rest
    path = patched(tmp_path / "dtd.xlsx", {part: content})
    error = refused(path)
    assert "DTD" in error.message_zh and "dtd.xlsx" in error.message_zh and part in error.message_zh
    assert "另存为" in error.message_zh and "DTD" in error.message_en
    code, output = cli(run_cli, path, tmp_path)
    assert code == 1 and "DTD" in output and "Traceback" not in output


def test_a_dtd_in_utf16_is_refused(tmp_path: Path) -> None:
    text = '<?xml version="1.0" encoding="UTF-16"?>' + ENTITY + sheet_xml(rows_of([["a"]]))[38:]
    path = patched(tmp_path / "u16.xlsx", {SHEET_PART: text.encode("utf-16")})
    assert "DTD" in refused(path).message_zh


# ---------------------------------------------------------------- sizes


def test_a_declared_million_rows_is_refused_before_reading_a_row(tmp_path: Path) -> None:
    # The file of issue 12: 5 KB, one cell at row 1,000,000 (63 s and 2.85 GB before).
    path = patched(
        tmp_path / "tall.xlsx",
        {SHEET_PART: sheet_xml(rows_of([["x"]], start=1_000_000), dimension="A1:A1000000")},
    )
    assert path.stat().st_size < 10_000
    sheet = read_workbook(path).sheets[0]
    assert sheet.too_large is not None and sheet.rows_read == 0 and not sheet.cells
    assert f"{MAX_ROWS} 行" in sheet.too_large[0] and "1000000" in sheet.too_large[0]


def test_a_lying_dimension_stops_at_the_first_row_beyond_the_limit(tmp_path: Path) -> None:
    rows = rows_of([["a"]]) + rows_of([["x"]], start=1_000_000)
    path = patched(tmp_path / "lie.xlsx", {SHEET_PART: sheet_xml(rows, dimension="A1:A1")})
    sheet = read_workbook(path).sheets[0]
    assert sheet.too_large is not None and sheet.rows_read == 2


def test_too_many_real_rows_stop_streaming_at_the_limit(tmp_path: Path) -> None:
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 3 * MAX_ROWS))
    path = patched(tmp_path / "many.xlsx", {SHEET_PART: sheet_xml(rows, dimension="A1:A2")})
    sheet = read_workbook(path).sheets[0]
    assert sheet.too_large is not None
    assert sheet.rows_read == MAX_ROWS + 1 and sheet.cells_read == MAX_ROWS


def test_rows_without_numbers_count_too(tmp_path: Path) -> None:
    rows = "<row><c><v>1</v></c></row>" * (MAX_ROWS + 10)
    path = patched(tmp_path / "plain.xlsx", {SHEET_PART: sheet_xml(rows)})
    sheet = read_workbook(path).sheets[0]
    assert sheet.too_large is not None and sheet.rows_read == MAX_ROWS + 1


def test_a_wide_row_stops_at_the_column_limit(tmp_path: Path) -> None:
    cells = "<c><v>1</v></c>" * 100_000
    path = patched(tmp_path / "wide.xlsx", {SHEET_PART: sheet_xml(f'<row r="1">{cells}</row>')})
    sheet = read_workbook(path).sheets[0]
    assert sheet.too_large is not None and sheet.cells_read == MAX_COLUMNS + 1
    far = patched(
        tmp_path / "far.xlsx",
        {SHEET_PART: sheet_xml('<row r="1"><c r="XFD1"><v>1</v></c></row>', dimension="A1:A1")},
    )
    assert read_workbook(far).sheets[0].too_large is not None
    declared = patched(
        tmp_path / "declared.xlsx", {SHEET_PART: sheet_xml(rows_of([["a"]]), dimension="A1:CZ1")}
    )
    sheet = read_workbook(declared).sheets[0]
    assert sheet.too_large is not None and sheet.rows_read == 0
    assert f"{MAX_COLUMNS} 列" in sheet.too_large[0]


def test_too_many_merged_ranges(tmp_path: Path) -> None:
    merges = "".join(
        f'<mergeCell ref="A{n % 4000 + 1}:B{n % 4000 + 1}"/>' for n in range(MAX_MERGED + 1)
    )
    after = f'<mergeCells count="{MAX_MERGED + 1}">{merges}</mergeCells>'
    path = patched(tmp_path / "merged.xlsx", {SHEET_PART: sheet_xml(rows_of([["a"]]), after=after)})
    sheet = read_workbook(path).sheets[0]
    assert sheet.too_large is not None and len(sheet.merged) == MAX_MERGED


def test_overlapping_merged_ranges_cannot_multiply_the_work(tmp_path: Path) -> None:
    # Each range covers the whole sheet: 100 of them would be 32 million merged cells.
    merges = '<mergeCell ref="A1:BL5000"/>' * 100
    after = f'<mergeCells count="100">{merges}</mergeCells>'
    path = patched(
        tmp_path / "overlap.xlsx", {SHEET_PART: sheet_xml(rows_of([["a"]]), after=after)}
    )
    sheet = read_workbook(path).sheets[0]
    assert sheet.too_large is not None and len(sheet.merged) == 1
    assert "重叠" in sheet.too_large[0]


def test_an_oversized_sheet_is_named_when_nothing_else_is_there(tmp_path: Path, run_cli) -> None:
    path = patched(
        tmp_path / "tall.xlsx",
        {SHEET_PART: sheet_xml(rows_of([["x"]], start=1_000_000), dimension="A1:A1000000")},
    )
    code, output = cli(run_cli, path, tmp_path)
    assert code == 1 and "Traceback" not in output
    assert "Sheet1" in output and f"最多 {MAX_ROWS} 行" in output and "删除" in output


def test_a_file_over_the_byte_limit_is_refused_unopened(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "big.xlsx"
    with open(path, "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written or read
    monkeypatch.setattr(reader, "_check_zip", lambda *a: pytest.fail("the file was opened"))
    error = refused(path)
    assert "big.xlsx" in error.message_zh and "MiB" in error.message_zh


def test_a_zip_bomb_is_refused_from_its_directory(tmp_path: Path, monkeypatch) -> None:
    bomb = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base_workbook())) as zin,
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info.filename))
        with zout.open("xl/media/zeros.bin", "w") as handle:
            chunk = bytes(1 << 20)
            for _ in range(MAX_UNCOMPRESSED_BYTES // len(chunk) + 1):
                handle.write(chunk)
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bomb.getvalue())
    assert path.stat().st_size < 1_000_000
    # Refused from the zip directory: nothing is decompressed, openpyxl never runs.
    monkeypatch.setattr(reader, "_scan", lambda *a: pytest.fail("a member was read"))
    monkeypatch.setattr(reader, "_load", lambda *a: pytest.fail("openpyxl was called"))
    error = refused(path)
    assert "压缩炸弹" in error.message_zh and "zip bomb" in error.message_en


def test_parts_openpyxl_parses_whole_are_bounded_before_it_starts(
    tmp_path: Path, monkeypatch
) -> None:
    with zipfile.ZipFile(io.BytesIO(base_workbook())) as source:
        styles = source.read("xl/styles.xml").decode("utf-8")
    many = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' * (MAX_STYLE_TAGS + 1)
    styles = styles.replace("<cellXfs count=", "<cellXfs>" + many + "</cellXfs><x count=", 1)
    strings = (
        '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
        'main">' + "<si><t>a</t></si>" * (MAX_TAGS // 4 + 1) + "</sst>"
    )
    monkeypatch.setattr(reader, "_load", lambda *a: pytest.fail("openpyxl was called"))
    for part, content in (("xl/styles.xml", styles), ("xl/sharedStrings.xml", strings)):
        error = refused(patched(tmp_path / "p.xlsx", {part: content}))
        assert part in error.message_zh and "标记" in error.message_zh


def _workbook_part(path: Path) -> str:
    with zipfile.ZipFile(io.BytesIO(base_workbook())) as source:
        return source.read("xl/workbook.xml").decode("utf-8")


def _spell(listing: str, spelling: str) -> bytes:
    """The workbook part as written plainly, with its elements under another prefix, or in
    UTF-16: openpyxl reads each alike."""
    if spelling == "prefixed":
        listing = re.sub(r"<(/?)(?=[A-Za-z])(?!\?)", r"<\1é:", listing)
        listing = listing.replace("<é:workbook xmlns=", "<é:workbook xmlns:é=", 1)
    if spelling == "utf-16":
        return listing.encode("utf-16")
    return listing.encode("utf-8")


@pytest.mark.parametrize("spelling", ["plain", "prefixed", "utf-16"])
def test_sheets_are_counted_before_openpyxl_names_them(
    spelling: str, tmp_path: Path, monkeypatch
) -> None:
    """40,000 entries naming one sheet kept openpyxl busy for minutes (it names each in time
    that grows with their number): refused from the listing alone, however it is spelled."""
    listing = _workbook_part(tmp_path)
    entry = re.search(r"<sheet [^>]*/>", listing)
    assert entry is not None
    many = "".join(
        entry.group()
        .replace('name="Sheet1"', f'name="S{n}"')
        .replace('sheetId="1"', f'sheetId="{n + 1}"')
        for n in range(51)
    )
    listing = listing.replace(entry.group(), many, 1)
    monkeypatch.setattr(reader, "_load", lambda *a: pytest.fail("openpyxl was called"))
    error = refused(patched(tmp_path / "s.xlsx", {"xl/workbook.xml": _spell(listing, spelling)}))
    assert "51 张工作表" in error.message_zh and "51 sheets" in error.message_en


def test_chart_sheets_cannot_multiply_their_charts(tmp_path: Path, monkeypatch) -> None:
    """A chart sheet's drawing is read once per sheet entry naming it, chart by chart."""
    anchor = "<xdr:twoCellAnchor/>" * (reader.MAX_CHART_READS + 1)
    drawing = (
        '<?xml version="1.0"?><xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/'
        f'drawingml/2006/spreadsheetDrawing">{anchor}</xdr:wsDr>'
    )
    monkeypatch.setattr(reader, "_load", lambda *a: pytest.fail("openpyxl was called"))
    error = refused(
        patched(
            tmp_path / "c.xlsx",
            {"xl/chartsheets/sheet1.xml": "<chartsheet/>", "xl/drawings/drawing1.xml": drawing},
        )
    )
    assert "图表" in error.message_zh and "chart" in error.message_en


@pytest.mark.parametrize("part, limit", [("xl/styles.xml", 2_048), ("xl/workbook.xml", 16_384)])
def test_a_value_too_long_for_openpyxl_is_refused_before_it_runs(
    part: str, limit: int, tmp_path: Path, monkeypatch
) -> None:
    """openpyxl's patterns take time with the square of a value's length (a number format
    of 100,000 brackets, a print area of 100,000 quotes held it for minutes)."""
    with zipfile.ZipFile(io.BytesIO(base_workbook())) as source:
        content = source.read(part).decode("utf-8")
    close = content.rindex("</")
    content = content[:close] + "<x>" + "[" * (limit + 1) + "</x>" + content[close:]
    monkeypatch.setattr(reader, "_load", lambda *a: pytest.fail("openpyxl was called"))
    error = refused(patched(tmp_path / "v.xlsx", {part: content}))
    assert part in error.message_zh and "过长" in error.message_zh
    # Runs across the reader's chunks are measured whole.
    scanned = reader._scan(
        zipfile.ZipFile(patched(tmp_path / "w.xlsx", {part: "<a>" + "b" * 200_000 + "<c/>"})),
        part,
    )
    assert not scanned.doctype and scanned.longest == len("a>") + 200_000


def _relocated(path: Path, part: str, content: str) -> Path:
    """The workbook with ``part`` moved elsewhere in the package (its relationship and
    content type follow): openpyxl finds it all the same."""
    with zipfile.ZipFile(io.BytesIO(base_workbook())) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    moved = "xl/media/moved.png" if part == "xl/styles.xml" else "xl/book.xml"
    members[moved] = content.encode("utf-8")
    del members[part]
    for name, data in list(members.items()):
        if name.endswith(".rels") or name == "[Content_Types].xml":
            old_target = part.removeprefix("xl/") if name.startswith("xl/") else part
            new_target = moved.removeprefix("xl/") if name.startswith("xl/") else moved
            text = data.decode("utf-8").replace(old_target, new_target)
            members[name] = text.replace(f"/{part}", f"/{moved}").encode("utf-8")
    if part == "xl/workbook.xml":
        rels = members.pop("xl/_rels/workbook.xml.rels")
        members["xl/_rels/book.xml.rels"] = rels
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members.items():
            out.writestr(name, data)
    return path


@pytest.mark.parametrize(
    "part, wrap",
    [
        ("xl/styles.xml", lambda text: text),
        ("xl/workbook.xml", lambda text: text),
        ("xl/styles.xml", lambda text: "<!-- a comment -->\n" + text),
    ],
)
def test_parts_are_known_by_their_root_wherever_they_are(
    part: str, wrap, tmp_path: Path, monkeypatch
) -> None:
    """A part moved to another name (its relationship following) is checked as what it is."""
    with zipfile.ZipFile(io.BytesIO(base_workbook())) as source:
        content = source.read(part).decode("utf-8")
    close = content.rindex("</")
    content = wrap(content[:close] + "<x>" + "[" * 20_000 + "</x>" + content[close:])
    path = _relocated(tmp_path / "moved.xlsx", part, content)
    monkeypatch.setattr(reader, "_load", lambda *a: pytest.fail("openpyxl was called"))
    assert "过长" in refused(path).message_zh


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/styles.xml"])
def test_parts_are_checked_as_openpyxl_reads_them_whatever_their_root(
    part: str, tmp_path: Path, monkeypatch
) -> None:
    """openpyxl reads the workbook part the content types name and xl/styles.xml, whatever
    their root element is called: a <book> or a <styles> gets the checks all the same."""
    with zipfile.ZipFile(io.BytesIO(base_workbook())) as source:
        content = source.read(part).decode("utf-8")
    root = "workbook" if part == "xl/workbook.xml" else "styleSheet"
    content = content.replace(f"<{root}", "<renamed", 1).replace(f"</{root}>", "</renamed>")
    close = content.rindex("</")
    content = content[:close] + "<x>" + "[" * 20_000 + "</x>" + content[close:]
    monkeypatch.setattr(reader, "_load", lambda *a: pytest.fail("openpyxl was called"))
    assert "过长" in refused(patched(tmp_path / "r.xlsx", {part: content})).message_zh


def test_a_cdata_section_or_an_endless_prolog_is_refused(tmp_path: Path, monkeypatch) -> None:
    with zipfile.ZipFile(io.BytesIO(base_workbook())) as source:
        listing = source.read("xl/workbook.xml").decode("utf-8")
    monkeypatch.setattr(reader, "_load", lambda *a: pytest.fail("openpyxl was called"))
    cdata = listing.replace("</workbook>", "<x><![CDATA[" + "'<" * 50_000 + "]]></x></workbook>")
    assert "CDATA" in refused(patched(tmp_path / "c.xlsx", {"xl/workbook.xml": cdata})).message_zh
    endless = "<!--" + "a" * 100_000 + "-->" + listing
    error = refused(patched(tmp_path / "p.xlsx", {"xl/workbook.xml": endless}))
    assert "开头" in error.message_zh


def test_repeated_column_descriptions_cost_one_lookup(tmp_path: Path) -> None:
    """600,000 <col> elements once made every cell scan them all: each column's first one
    counts, and a lookup is one."""
    cols = (
        '<cols><col min="2" max="2" width="0.1" customWidth="1"/>'
        + ('<col min="2" max="2" width="20" customWidth="1"/>' * 50_000)
        + "</cols>"
    )
    path = patched(
        tmp_path / "cols.xlsx", {SHEET_PART: sheet_xml(rows_of([["a", "b"]]), before=cols)}
    )
    sheet = read_workbook(path).sheets[0]
    assert sheet.column_hidden(2) and not sheet.column_hidden(1)
    assert len(sheet._hidden_columns) == 1


def test_too_many_members(tmp_path: Path) -> None:
    parts = {f"xl/media/{n}.bin": b"" for n in range(MAX_MEMBERS)}
    assert str(MAX_MEMBERS) in refused(patched(tmp_path / "m.xlsx", parts)).message_zh


@pytest.mark.parametrize(
    "content, words",
    [
        (b"not a workbook", "不是有效的 .xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), ".xls"),
        (b"PK\x03\x04" + bytes(100), "不是有效的 .xlsx"),
    ],
)
def test_not_a_workbook(content: bytes, words: str, tmp_path: Path, run_cli) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    assert words in refused(path).message_zh
    code, output = cli(run_cli, path, tmp_path)
    assert code == 1 and "Traceback" not in output


def test_a_damaged_member_and_broken_xml(tmp_path: Path, run_cli) -> None:
    good = base_workbook()
    # Corrupt the compressed bytes of the sheet part: decompression fails, cleanly.
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        info = archive.getinfo(SHEET_PART)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    damaged = bytearray(good)
    damaged[start : start + 20] = b"\xff" * 20
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(damaged))
    assert "damaged.xlsx" in refused(path).message_zh
    broken = patched(tmp_path / "broken.xlsx", {"xl/workbook.xml": "<workbook"})
    assert "不是有效的 .xlsx" in refused(broken).message_zh
    code, output = cli(run_cli, broken, tmp_path)
    assert code == 1 and "Traceback" not in output


def test_an_encrypted_member_is_refused(tmp_path: Path) -> None:
    data = bytearray(base_workbook())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        infos = archive.infolist()
    # Set the "encrypted" flag in the central directory entry of every member.
    position = bytes(data).find(b"PK\x01\x02")
    for _ in infos:
        data[position + 8] |= 0x1
        position = bytes(data).find(b"PK\x01\x02", position + 4)
    path = tmp_path / "enc.xlsx"
    path.write_bytes(bytes(data))
    assert "加密" in refused(path).message_zh


# ---------------------------------------------------------------- cells


def test_cells_that_cannot_be_read_or_are_too_long(tmp_path: Path) -> None:
    from springrain.intake.sheets.cells import CellRefused, cell_text

    rows = (
        '<row r="1"><c r="A1" t="s"><v>99</v></c>'  # a shared string that does not exist
        '<c r="B1" t="e"><v>#N/A</v></c>'
        f'<c r="C1" t="inlineStr"><is><t>{"长" * (MAX_CELL_CHARS + 1)}</t></is></c>'
        '<c r="D1"><f>1+1</f><v>2</v></c></row>'
    )
    sheet = read_workbook(patched(tmp_path / "c.xlsx", {SHEET_PART: sheet_xml(rows)})).sheets[0]
    reasons = {}
    for column in range(1, 5):
        with pytest.raises(CellRefused) as caught:
            cell_text(sheet.cells[(1, column)])
        reasons[column] = caught.value.zh
    assert "无法读取" in reasons[1] and "错误值" in reasons[2]
    assert str(MAX_CELL_CHARS) in reasons[3] and "公式" in reasons[4]


@pytest.mark.parametrize("index", ["-1", "-2", "1.0", "", "0x1"])
def test_a_shared_string_index_that_is_no_whole_number_is_unreadable(
    tmp_path: Path, index: str
) -> None:
    """Python would read index -1 as the last shared string: text that no cell shows."""
    from springrain.intake.sheets.cells import CellRefused, cell_text

    with zipfile.ZipFile(io.BytesIO(base_workbook())) as source:
        types = source.read("[Content_Types].xml").decode("utf-8")
        relations = source.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    strings_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    strings_relation = (
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
    )
    parts = {
        "[Content_Types].xml": types.replace(
            "</Types>",
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{strings_type}"/></Types>',
        ),
        "xl/_rels/workbook.xml.rels": relations.replace(
            "</Relationships>",
            f'<Relationship Id="rIdS" Type="{strings_relation}" Target="sharedStrings.xml"/>'
            "</Relationships>",
        ),
        "xl/sharedStrings.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{reader.SHEET_MAIN_NS}">'
            "<si><t>shown</t></si><si><t>hidden</t></si></sst>"
        ),
        SHEET_PART: sheet_xml(
            f'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>{index}</v></c></row>'
        ),
    }
    sheet = read_workbook(patched(tmp_path / "s.xlsx", parts)).sheets[0]
    assert cell_text(sheet.cells[(1, 1)]) == "shown"
    with pytest.raises(CellRefused) as caught:
        cell_text(sheet.cells[(1, 2)])
    assert "无法读取" in caught.value.zh


# ---------------------------------------------------------------- hidden things


def shanghai_book(path: Path, *, hide_first: str = "", hidden_row: bool = False) -> Path:
    """The sheet, with a hidden decoy sheet before it when ``hide_first`` is a state."""
    from test_shanghai import OFFICIAL, row_of

    wb = Workbook()
    if hide_first:
        decoy = wb.active
        decoy.title = "隐藏表"
        for column, name in enumerate(OFFICIAL, start=1):
            decoy.cell(1, column, name)
            decoy.cell(2, column, row_of(1, "测试用隐藏项目").get(name))
        decoy.sheet_state = hide_first
        ws = wb.create_sheet("征集表")
    else:
        ws = wb.active
        ws.title = "征集表"
    for column, name in enumerate(OFFICIAL, start=1):
        ws.cell(1, column, name)
        ws.cell(2, column, row_of(1, "测试用可见项目").get(name))
        ws.cell(3, column, row_of(2, "测试用隐藏行项目").get(name))
    if hidden_row:
        ws.row_dimensions[3].hidden = True
    wb.save(path)
    return path


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_first_sheet_is_reported_not_imported(state: str, tmp_path: Path) -> None:
    data = make_data(tmp_path)
    report = run_import(shanghai_book(tmp_path / "h.xlsx", hide_first=state), data)
    names = [load_name(i.path) for i in report.imported]
    assert names == ["测试用可见项目", "测试用隐藏行项目"]
    text = report.render()
    assert "隐藏表" in text and ("深度隐藏" if state == "veryHidden" else "隐藏的工作表") in text
    assert report.refused  # the hidden sheet holds content: exit 1


def test_hidden_rows_are_reported_not_imported(tmp_path: Path, run_cli) -> None:
    data = make_data(tmp_path)
    path = shanghai_book(tmp_path / "r.xlsx", hidden_row=True)
    report = run_import(path, data, out=tmp_path / "out")
    assert [load_name(i.path) for i in report.imported] == ["测试用可见项目"]
    reasons = {s.row: s.reason_zh for s in report.skipped}
    assert "隐藏行" in reasons[3]
    code, output = run_cli("import", str(path), "--data", str(data), "--out", str(tmp_path / "o2"))
    assert code == 1 and "第 3 行" in output and "hidden row" in output


def test_hidden_columns_and_invisible_formats(tmp_path: Path) -> None:
    from test_shanghai import OFFICIAL, row_of

    wb = Workbook()
    ws = wb.active
    ws.title = "征集表"
    for column, name in enumerate([*OFFICIAL, "备注"], start=1):
        ws.cell(1, column, name)
        ws.cell(2, column, row_of(1, "测试用一号").get(name, "秘密备注"))
        ws.cell(3, column, row_of(2, "测试用二号").get(name))
    ws.column_dimensions["M"].hidden = True  # 备注
    ws["E3"].number_format = ";;;"  # 适用范围 of row 3 shows nothing
    path = tmp_path / "cols.xlsx"
    wb.save(path)
    report = run_import(path, make_data(tmp_path))
    assert [i.row for i in report.imported] == [2]
    reasons = {s.row: s.reason_zh for s in report.skipped}
    assert "隐藏的单元格" in reasons[3]
    text = report.render()
    assert "隐藏列" in text and "M2" in text and "秘密备注" not in text


def load_name(path: Path) -> str:
    from test_sheets_support import load

    return load(path)["project_name"]


# ---------------------------------------------------------------- anything at all


CHARS = [
    *"□☑√■（）()：:，,、；;\n 1234567890aX其他有源是否同意=-+@",
    "\u200b",
    "\u202e",
    "\x85",
    "项目名称",
    "合作进展情况",
    "企业技术意向合作情况",
    "6.",
    "FJ-2025-0007",
]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    annex=st.sampled_from(["annex1", "annex2"]),
    cells=st.lists(
        st.tuples(
            st.integers(1, 45),
            st.integers(1, 8),
            st.one_of(st.lists(st.sampled_from(CHARS), max_size=12).map("".join), st.integers()),
        ),
        max_size=30,
    ),
)
def test_any_content_gives_a_report_never_a_crash(annex: str, cells, tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from openpyxl.cell.cell import MergedCell
    from test_sheets_support import template

    path = template(tmp_path / f"{annex}.xlsx", annex)
    wb = load_workbook(path)
    for row, column, value in cells:
        cell = wb.worksheets[0].cell(row, column)
        if not isinstance(cell, MergedCell):  # as in Excel: only a range's first cell holds
            cell.value = value
    wb.save(path)
    data = tmp_path / "any"
    if not data.exists():
        data = make_data(tmp_path, name="any")
    try:
        report = run_import(path, data, out=tmp_path / "out")
    except SpringrainError as error:  # a refusal, in words
        assert error.message_zh and error.message_en
    else:
        assert report.render()


def test_a_hidden_form_is_named_when_nothing_visible_is_one(tmp_path: Path, run_cli) -> None:
    from openpyxl import load_workbook
    from test_sheets_support import template

    path = template(tmp_path / "h.xlsx")
    wb = load_workbook(path)
    wb["附件1"].sheet_state = "hidden"
    wb.active = 1
    wb.save(path)
    code, output = cli(run_cli, path, tmp_path)
    assert code == 1 and "「附件1」是表格，但它是隐藏的" in output


def test_a_text_longer_than_any_cell_is_cut_just_past_the_limit_when_read(
    tmp_path: Path, run_cli
) -> None:
    """Text of millions of characters (one shared string can fill hundreds of cells) is
    kept just over Excel's limit when read, so each cell is refused for its length and
    nothing reads the rest: recognising the form once ran for hours on such a file."""
    book = Workbook()
    for row in range(1, 6):
        book.active.cell(row, 1, "PLACEHOLDER")  # openpyxl itself writes no longer cell
    book.save(tmp_path / "short.xlsx")
    with (
        zipfile.ZipFile(tmp_path / "short.xlsx") as source,
        zipfile.ZipFile(tmp_path / "long.xlsx", "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if b"PLACEHOLDER" in data:
                data = data.replace(b"PLACEHOLDER", ("项目名称" + "a" * 2_000_000).encode())
            target.writestr(item, data)
    cells = read_workbook(tmp_path / "long.xlsx").sheets[0].cells
    assert {len(cell.value) for cell in cells.values()} == {MAX_CELL_CHARS + 1}
    code, output = run_cli("import", str(tmp_path / "long.xlsx"), "--data", str(tmp_path))
    assert code == 1 and "Traceback" not in output


def test_a_file_name_with_contact_data_is_refused_before_reading(tmp_path: Path, run_cli) -> None:
    """Every imported record names its file as its source."""
    path = tmp_path / "附件1_王医生13912345678.xlsx"
    Workbook().save(path)
    code, output = run_cli("import", str(path), "--data", str(tmp_path), "--out", str(tmp_path))
    assert code == 1 and "文件名含有手机号码" in output and "13912345678" not in output


def test_a_manifest_too_large_to_find_the_workbook_by_is_refused(
    tmp_path: Path, monkeypatch
) -> None:
    """The workbook part is found by the content types; one padded past any real size would
    leave the part unknown to the checks, so it is refused."""
    with zipfile.ZipFile(io.BytesIO(base_workbook())) as source:
        manifest = source.read("[Content_Types].xml").decode("utf-8")
    padded = manifest.replace("<Types", " " * (reader.MAX_MANIFEST_BYTES + 1) + "<Types", 1)
    monkeypatch.setattr(reader, "_load", lambda *a: pytest.fail("openpyxl was called"))
    error = refused(patched(tmp_path / "m.xlsx", {"[Content_Types].xml": padded}))
    assert "[Content_Types].xml" in error.message_zh
