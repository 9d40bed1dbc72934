"""springrain import: the Shanghai collection sheet, built here with openpyxl (fictional rows)."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

import orjson
import pytest
from openpyxl import Workbook

from springrain.config import DATA_DIR
from springrain.intake.sheets.shanghai import Skipped, column_fields, headers, import_sheet

# The headers as the official sheet prints them: explanations in full-width brackets.
OFFICIAL = [
    "序号",
    "申报单位",
    "项目名称",
    "工作原理/作用机理",
    "适用范围/预期用途",
    "创新的关键点",
    "满足临床需求的情况",
    "满足预期产业贡献的情况",
    "研究团队",
    "合作企业（如有）",
    "项目进展（简述项目与企业对接情况及产品研发/生产等进展）",
    "联系人及联系方式",
]


def row_of(serial: object, name: str, **extra: object) -> dict[str, object]:
    base: dict[str, object] = {
        "序号": serial,
        "申报单位": "测试用第一医院",
        "项目名称": name,
        "工作原理/作用机理": "测试原理：通过压力传感器监测。",
        "适用范围/预期用途": "测试用途。",
        "创新的关键点": "测试创新点，，全角标点！",
        "满足临床需求的情况": "测试临床需求",
        "满足预期产业贡献的情况": "测试产业贡献",
        "研究团队": "测试团队",
        "合作企业（如有）": "—",
        "项目进展（简述项目与企业对接情况及产品研发/生产等进展）": "样机已完成",
        "联系人及联系方式": "王测试 13812345678",
    }
    base.update(extra)
    return base


def build(
    path: Path,
    rows: list[dict[str, object]],
    *,
    columns: list[str] | None = None,
    title_rows: int = 1,
    example: bool = True,
) -> Path:
    """Write a sheet laid out like the official form: title, header, 示例 row, data."""
    columns = columns or OFFICIAL
    wb = Workbook()
    ws = wb.active
    ws.title = "征集表"
    for index in range(title_rows):
        ws.cell(
            index + 1, 1, "“春雨行动”转化项目信息征集表" if index == 0 else "填报单位（盖章）："
        )
    if title_rows:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    header_row = title_rows + 1
    for col, name in enumerate(columns, start=1):
        ws.cell(header_row, col, name)
    current = header_row + 1
    if example:
        sample = row_of("示例", "××型智能输液监测装置")
        for col, name in enumerate(columns, start=1):
            ws.cell(current, col, sample.get(name))
        current += 1
    for row in rows:
        for col, name in enumerate(columns, start=1):
            ws.cell(current, col, row.get(name))
        current += 1
    wb.save(path)
    return path


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """An empty data directory with the real hand-kept tables."""
    target = tmp_path / "data"
    target.mkdir()
    for table in DATA_DIR.glob("*.csv"):
        shutil.copy(table, target / table.name)
    return target


def run(path: Path, data: Path, tmp_path: Path):
    out = tmp_path / "out"
    report = import_sheet(path, data, out, "SH-2026", "SH", "regulator-sh", dt.date(2026, 6, 1))
    return report, out


def load(path: Path) -> dict:
    return orjson.loads(path.read_bytes())


def test_headers_come_from_the_schema() -> None:
    assert headers()[0] == "序号" and headers()[-1] == "联系人及联系方式"
    assert column_fields()["申报单位"] == "institution"
    assert column_fields()["合作企业（如有）"] == "current_cooperation"
    assert len(column_fields()) == 10


def test_official_layout(data: Path, tmp_path: Path) -> None:
    sheet = build(
        tmp_path / "a.xlsx",
        [
            row_of(1.0, "测试用压力监测垫"),
            row_of(2.0, "测试用采血针", **{OFFICIAL[10]: dt.date(2026, 3, 1)}),
        ],
    )
    report, out = run(sheet, data, tmp_path)
    assert [i.record_id for i in report.imported] == ["SH-2026-0001", "SH-2026-0002"]
    assert report.header_row == 2
    first = load(out / "projects" / "SH" / "SH-2026-0001.json")
    assert first["project_name"] == "测试用压力监测垫"
    assert first["institution"] == "测试用第一医院"
    assert first["innovation_points"] == "测试创新点，，全角标点！"
    assert "current_cooperation" not in first  # a dash means none
    assert first["history"][0]["source"].endswith("第4行")
    assert load(out / "projects" / "SH" / "SH-2026-0002.json")["progress"] == "2026-03-01"
    text = report.render()
    assert "第 3 行：表格自带的示例行" in text
    assert "所在城市" in text and "项目类型" in text and "承诺书" in text
    # The contact column never reaches a file.
    for path in out.rglob("*.json"):
        content = path.read_text(encoding="utf-8")
        assert "13812345678" not in content and "王测试" not in content
    assert not report.refused


def test_shuffled_columns_and_extra_title_rows(data: Path, tmp_path: Path) -> None:
    columns = OFFICIAL[:]
    random.Random(4).shuffle(columns)
    columns = [c.replace("（", " ( ").replace("）", ") ") for c in columns]  # half-width, spaces
    columns = ["备注", *columns]  # an unknown extra column
    renamed = {c: c.replace("（", " ( ").replace("）", ") ") for c in OFFICIAL}
    rows = [{renamed[k]: v for k, v in row_of(1, "测试用导尿管").items()}]
    sheet = build(tmp_path / "b.xlsx", rows, columns=columns, title_rows=3, example=False)
    report, _ = run(sheet, data, tmp_path)
    assert report.header_row == 4
    record = load(report.imported[0].path)
    assert record["project_name"] == "测试用导尿管"
    assert record["progress"] == "样机已完成"
    assert record["intended_use"] == "测试用途。"


def test_merged_cells_blank_rows_and_hostile_cells(data: Path, tmp_path: Path) -> None:
    rows = [
        row_of(1, "测试用一号"),
        row_of(2, "测试用二号", 申报单位=None),
        {},
        {},
        row_of(3, '=HYPERLINK("http://x","点我")'),
        row_of(4, "测试用四号", 研究团队="+cmd|' /C calc'!A0"),
        row_of(5, "测试用五号", 创新的关键点="含方向控制字符\u202egnp.exe"),
        row_of(6, "测试用六号", 研究团队="负责人邮箱 someone@example.com"),
        row_of(7, "测试用一号"),
        row_of(8, None),
        row_of(9, "测试用九号", 满足临床需求的情况=-5),
    ]
    sheet = build(tmp_path / "c.xlsx", rows)
    from openpyxl import load_workbook

    wb = load_workbook(sheet)
    ws = wb.active
    ws.merge_cells("B4:B5")  # one institution spanning two projects
    wb.save(sheet)
    report, _ = run(sheet, data, tmp_path)
    imported = {i.row: load(i.path) for i in report.imported}
    assert imported[5]["institution"] == "测试用第一医院"  # filled from the merged cell
    assert imported[14]["clinical_need"] == "-5"
    reasons = {s.row: s.reason_zh for s in report.skipped}
    assert reasons[3] == "表格自带的示例行"
    assert reasons[6] == "空行" and [s.last_row for s in report.skipped if s.row == 6] == [7]
    assert "公式" in reasons[8]
    assert "研究团队" in reasons[9] and "= + - @" in reasons[9]
    assert "控制字符" in reasons[10]
    assert "电子邮箱" in reasons[11] and "someone@example.com" not in report.render()
    assert "重复" in reasons[12]
    assert "项目名称" in reasons[13]
    assert sorted(imported) == [4, 5, 14]
    # Every row below the header is either imported or has a line.
    covered = set(imported)
    for skipped in report.skipped:
        covered.update(range(skipped.row, (skipped.last_row or skipped.row) + 1))
    assert covered == set(range(3, 15))
    assert len(report.refused) == 6


def test_ids_never_reuse_existing_files(data: Path, tmp_path: Path) -> None:
    (data / "projects" / "SH").mkdir(parents=True, exist_ok=True)
    (data / "projects" / "SH" / "SH-2026-0007.json").write_text("{}", encoding="utf-8")
    sheet = build(tmp_path / "d.xlsx", [row_of(1, "测试用十号")])
    report, _ = run(sheet, data, tmp_path)
    assert report.imported[0].record_id == "SH-2026-0008"


def test_cli_and_errors(run_cli, data: Path, tmp_path: Path) -> None:
    sheet = build(tmp_path / "e.xlsx", [row_of(1, "测试用十一号")])
    out = tmp_path / "cli"
    code, output = run_cli(
        "import", str(sheet), "--data", str(data), "--out", str(out), "--author", "someone"
    )
    assert code == 0, output
    assert "SH-2026-0001" in output and (out / "projects" / "SH" / "SH-2026-0001.json").is_file()
    bogus = tmp_path / "bogus.xlsx"
    bogus.write_text("not a workbook", encoding="utf-8")
    code, output = run_cli("import", str(bogus), "--data", str(data))
    assert code == 1 and "不是有效的 .xlsx" in output and "Traceback" not in output
    empty = tmp_path / "empty.xlsx"
    Workbook().save(empty)
    code, output = run_cli("import", str(empty), "--data", str(data))
    assert code == 1 and "表头" in output


def test_contact_data_in_any_spelling_refuses_the_row(data: Path, tmp_path: Path) -> None:
    from contact_corpus import SPLIT, refused

    spellings = refused()[::11]
    rows = [
        row_of(n, f"测试用{n}号", 研究团队=f"团队 {text}") for n, (_, text) in enumerate(spellings)
    ]
    first, second = SPLIT[0]
    rows.append(row_of(99, "测试用拆分号", 研究团队=first, **{"合作企业（如有）": second}))
    rows.append(row_of(100, "测试用座机号", 研究团队="办公室 021-61234567"))
    report, _ = run(build(tmp_path / "pii.xlsx", rows), data, tmp_path)
    assert report.imported == []
    assert len(report.refused) == len(rows)
    text = report.render()
    assert all(spelled not in text for _, spelled in spellings)
    assert "电话号码" in text and "拆在" in text  # a landline, and a number split in two


def test_rows_already_in_the_catalogue_and_other_columns(data: Path, tmp_path: Path) -> None:
    sheet = build(tmp_path / "f.xlsx", [row_of(1, "测试用一号")])
    report, out = run(sheet, data, tmp_path)
    assert [i.record_id for i in report.imported] == ["SH-2026-0001"]
    again = import_sheet(sheet, data, out, None, None, "regulator-sh", dt.date(2026, 6, 1))
    assert again.imported == [] and "已收录为 SH-2026-0001" in again.render()
    columns = [*OFFICIAL, "备注"]
    rows = [{**row_of(1, "测试用二号"), "备注": "请尽快处理"}]
    report, _ = run(build(tmp_path / "g.xlsx", rows, columns=columns), data, tmp_path / "x")
    text = report.render()
    assert "第 M 列「备注」" in text and "没有导入" in text and "请尽快处理" not in text
    assert not report.refused  # named, not refused: the sheet's own columns were all read


def test_each_line_has_the_file_the_sheet_and_english_beneath(data: Path, tmp_path: Path) -> None:
    rows = [row_of(1, "测试用一号", 研究团队="=1+1")]
    report, _ = run(build(tmp_path / "h.xlsx", rows), data, tmp_path)
    lines = report.render().splitlines()
    index = next(i for i, line in enumerate(lines) if "第 4 行" in line and "公式" in line)
    assert lines[index].startswith("- h.xlsx 工作表「征集表」第 4 行：「研究团队」")
    assert (
        lines[index + 1]
        == "  h.xlsx, sheet '征集表', row 4: 研究团队: the cell holds a formula; type plain text"
    )


def test_a_number_split_across_fields_is_found_whatever_the_column_order(
    data: Path, tmp_path: Path
) -> None:
    """Two fields side by side in the record but not on the sheet: the importer reads them
    as the validator does, in the record's order, and refuses the row."""
    columns = [*OFFICIAL[:4], OFFICIAL[5], OFFICIAL[4], *OFFICIAL[6:]]
    row = row_of(
        1,
        "测试用拆分号",
        **{"工作原理/作用机理": "测试原理，联系 139 1234", "适用范围/预期用途": "5678 转科室"},
    )
    report, out = run(build(tmp_path / "split.xlsx", [row], columns=columns), data, tmp_path)
    assert report.imported == [] and len(report.refused) == 1
    assert "拆在" in report.render() and "5678" not in report.render()
    assert not list(out.rglob("*.json"))


def test_a_cell_merged_with_the_contact_column_is_not_read(data: Path, tmp_path: Path) -> None:
    """A merged range shows its first cell everywhere: merged into the project name, the
    contact column (never read) would become the name. The row is refused, unread."""
    from openpyxl import load_workbook

    columns = [OFFICIAL[0], OFFICIAL[1], OFFICIAL[11], *OFFICIAL[2:11]]
    row = row_of(1, "", **{"联系人及联系方式": "王测试（主任医师）"})
    path = build(tmp_path / "merged.xlsx", [row], columns=columns, example=False)
    book = load_workbook(path)
    book.active.merge_cells("C3:D3")  # 联系人及联系方式 over 项目名称
    book.save(path)
    report, out = run(path, data, tmp_path)
    assert report.imported == [] and len(report.refused) == 1
    text = report.render()
    assert "「项目名称」与「联系人及联系方式」是合并单元格" in text and "王测试" not in text
    assert not list(out.rglob("*.json"))


def _header_rows_sheet(path: Path, layout: str) -> Path:
    """The official sheet with one of the header variants offices send, then one project."""
    wb = Workbook()
    ws = wb.active
    ws.append(["“春雨行动”转化项目信息征集表"])
    ws.append(OFFICIAL)  # row 2
    if layout == "two-row":
        # Each column's header merged over rows 2–3, but 项目进展 split in two below.
        ws.append([None] * 10 + ["对接情况", None])
        for col in range(1, len(OFFICIAL) + 1):
            if col != 11:
                ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
    elif layout == "numbered":
        ws.append([f"（{n}）" for n in range(1, len(OFFICIAL) + 1)])
    elif layout == "numbers":
        ws.append(list(range(1, len(OFFICIAL) + 1)))
    sample = row_of(1, "测试用监测垫")
    ws.append([sample[name] for name in OFFICIAL])
    if layout == "repeated":
        ws.append(OFFICIAL)  # a printed sheet repeats its header on each page
        ws.append([row_of(2, "测试用导管")[name] for name in OFFICIAL])
    wb.save(path)
    return path


@pytest.mark.parametrize("layout", ["two-row", "numbered", "numbers", "repeated"])
def test_header_rows_are_never_imported_as_projects(
    layout: str, data: Path, tmp_path: Path
) -> None:
    sheet = _header_rows_sheet(tmp_path / f"{layout}.xlsx", layout)
    report, _ = run(sheet, data, tmp_path)
    names = sorted(load(i.path)["project_name"] for i in report.imported)
    assert names == (["测试用导管", "测试用监测垫"] if layout == "repeated" else ["测试用监测垫"])
    header_rows = [s for s in report.skipped if s.reason_en == "a header row"]
    assert [s.row for s in header_rows] == ([4] if layout == "repeated" else [3])
    assert "表头行" in report.render() and not report.refused


def test_a_project_row_merged_with_the_header_is_refused(data: Path, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(OFFICIAL)
    sample = row_of(1, "测试用监测垫")
    ws.append([sample[name] for name in OFFICIAL])
    ws.merge_cells("B1:B2")  # 申报单位 runs from the header into the project's row
    wb.save(tmp_path / "merged.xlsx")
    report, _ = run(tmp_path / "merged.xlsx", data, tmp_path)
    assert report.imported == []
    [refused] = report.refused
    assert isinstance(refused, Skipped) and refused.row == 2
    assert "「申报单位」与表头是合并单元格" in refused.reason_zh


def test_a_hidden_merged_cell_hides_every_row_it_covers(data: Path, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(OFFICIAL)
    for serial, name in ((1, "测试用一号"), (2, "测试用二号")):
        sample = row_of(serial, name)
        ws.append([sample[column] for column in OFFICIAL])
    ws.merge_cells("B2:B3")
    ws["B2"].number_format = ";;;"  # the institution both rows show as blank
    wb.save(tmp_path / "hidden.xlsx")
    report, _ = run(tmp_path / "hidden.xlsx", data, tmp_path)
    assert report.imported == []
    assert {s.row for s in report.skipped if "隐藏" in s.reason_zh} == {2, 3}


def test_a_project_whose_cells_carry_their_labels_is_a_project(data: Path, tmp_path: Path) -> None:
    """Only a whole cell that is a header (with its explanation) reads as one."""
    rows = [row_of(1, "项目名称：测试用筛查系统", 申报单位="申报单位：测试用第一医院")]
    report, _ = run(build(tmp_path / "l.xlsx", rows, example=False), data, tmp_path)
    assert [load(i.path)["project_name"] for i in report.imported] == ["项目名称：测试用筛查系统"]
