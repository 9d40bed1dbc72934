"""springrain import: Fujian annex 1 (医疗机构临床研究成果转化项目需求表), filled in as a
hospital would, in springrain's template or laid out by hand (fictional answers)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from test_sheets_support import (
    PROJECT_ANSWERS,
    answer_cell,
    fill,
    fixture,
    load,
    make_data,
    run_import,
    template,
    tick,
)

from contact_corpus import refused as contact_spellings
from springrain.intake.forms import elements
from springrain.intake.sheets.annexes import ANNEX1
from springrain.intake.sheets.layout import layout
from springrain.intake.sheets.report import FormReport
from springrain.validate.engine import validate

PLEDGE = "我承诺填报项目信息真实可靠，知识产权清晰明确。如因第三方提出侵权等引起法律纠纷，由本人承担相关责任。"


def imported(report: FormReport) -> dict:
    written = [w for w in report.written if w.path is not None]
    assert len(written) == 1, report.render()
    return load(written[0].path)


def reasons(report: FormReport) -> dict[str, str]:
    """Cell (or "") → the Chinese reason of each refused line."""
    found = {}
    for line in report.refused:
        cell = (
            line.where_zh.split("单元格 ")[-1].split("「")[0] if "单元格" in line.where_zh else ""
        )
        found[cell] = found.get(cell, "") + line.zh
    return found


def filled(tmp_path: Path, **changes) -> Path:
    answers = {**PROJECT_ANSWERS, **changes}
    return fill(
        template(tmp_path / "annex1.xlsx"), {k: v for k, v in answers.items() if v is not ...}
    )


# ---------------------------------------------------------------- the template's layout


def test_the_template_is_the_annex_with_the_schema_fields(tmp_path: Path) -> None:
    ws = load_workbook(template(tmp_path / "t.xlsx")).worksheets[0]
    labels = [str(c.value).split("\n")[0] for row in ws.iter_rows() for c in row if c.value]
    assert ANNEX1.title in labels
    # The annex's own labels where it prints them, the schema's titles elsewhere…
    for label in (
        "产品分类（Ⅰ/Ⅱ/Ⅲ类医疗器械，药械组合，待确定）",
        "联系电话",
        "电子邮箱",
        "（省内）",
    ):
        assert label in labels
    # …and every field of the project form is asked (stage_note inside 其他（　　）).
    asked = {a.field for a in layout("annex1").answers()} | {"stage_note"}
    assert {el.id for el in elements("project")} <= asked
    assert labels.index("项目名称") < labels.index("项目类型") < labels.index("承诺书")
    assert answer_cell(ws, "项目类型").value == "□有源 □无源 □体外诊断试剂"
    assert "□其他（　　）" in answer_cell(ws, "项目所处阶段").value
    assert answer_cell(ws, "承诺书").value == PLEDGE + "\n□同意 □不同意"
    assert answer_cell(ws, "联系电话").value is None


def test_the_template_offers_the_vocabularies_as_dropdowns(tmp_path: Path) -> None:
    wb = load_workbook(template(tmp_path / "t.xlsx"))
    ws, options = wb.worksheets
    lists = {}
    for validation in ws.data_validations.dataValidation:
        if validation.type == "list":
            column = validation.formula1.split("!$")[1][0]
            values = [c.value for c in options[column][2:] if c.value]
            for ref in str(validation.sqref).split():
                lists[first_label(ws, ref)] = values
    assert lists["项目类型"] == ["有源", "无源", "体外诊断试剂"]
    assert lists["项目所处阶段"][0] == "概念阶段" and lists["项目所处阶段"][-1] == "其他"
    assert "第三类医疗器械" in lists["产品分类（Ⅰ/Ⅱ/Ⅲ类医疗器械，药械组合，待确定）"]
    assert "福建省" in lists["所在省份"] and "医用软件" in lists["分类目录子目录"]
    assert lists["所属行动方案"][0].startswith("NMPA-2025 ")


def first_label(ws, ref: str) -> str:
    cell = ws[ref]
    for column in range(cell.column - 1, 0, -1):
        value = ws.cell(cell.row, column).value
        if value:
            return str(value).split("\n")[0]
    raise KeyError(ref)


# ---------------------------------------------------------------- the official layout


def test_the_filled_template_gives_a_valid_project(tmp_path: Path) -> None:
    data = make_data(tmp_path)
    report = run_import(filled(tmp_path), data)
    record = imported(report)
    assert not report.refused, report.render()
    assert record["id"] == "FJ-2026-0001" and record["programme"] == "FJ-2025"
    assert record["project_type"] == "无源" and record["product_class"] == "第三类"
    assert (record["stage"], record["stage_note"]) == ("其他", "动物实验阶段")
    assert record["commitment"] is True and record["publish_consent"] is True
    assert record["history"][0]["source"] == "批量导入 annex1.xlsx 附件1"
    assert validate(data, [report.written[0].path], today=None).errors == []
    text = report.render()
    assert "联系电话（B7）" in text and "电子邮箱（D7）" in text  # skipped, and said so
    assert "可选项" in text and "模板自带" in text


def official_sheet(
    path: Path, pairs: list[tuple[str, str | None]], *, shuffle: int | None = None
) -> Path:
    """Annex 1 laid out by hand: the title, then label/answer pairs (two per row), no
    supplement; ``shuffle`` reorders the pairs and puts them in random columns."""
    if shuffle is not None:
        random.Random(shuffle).shuffle(pairs)
    wb = Workbook()
    ws = wb.active
    ws.title = "需求表"
    ws["B1"] = "附件1"
    ws["B2"] = "医疗机构临床研究成果转化项目需求表"
    rng = random.Random(shuffle or 0)
    for index, (label, answer) in enumerate(pairs):
        row = 4 + index // 2 * (2 if shuffle is not None else 1)
        column = 1 + (index % 2) * 3 + (rng.randint(0, 2) * 6 if shuffle is not None else 0)
        ws.cell(row, column, label)
        if answer is not None:
            ws.cell(row, column + 1, answer)
    ws.cell(4 + len(pairs), 1, "注：此表可另附纸，对相关内容进行详细说明。")
    wb.save(path)
    return path


OFFICIAL_PAIRS: list[tuple[str, str | None]] = [
    ("项目名称", "测试用导尿管"),
    ("单位名称", "测试用第二医院"),
    ("所在城市", "厦门市"),
    ("项目负责人", "王测试"),
    ("所在部门 (科室)", "泌尿外科"),
    ("联系电话", "13912345678"),
    ("电子邮箱", "wang@example.com"),
    ("项目类型", "□有源 √无源 □体外诊断试剂"),
    ("产品分类(I/ II/III类医疗器械,药械组合,待确定)", "II类"),
    (
        "项目所处阶段",
        "□概念阶段 ■设计验证阶段 □样品阶段 □生产验证阶段 □注册检验阶段 □临床试验阶段 □其他（ ）",
    ),
    ("产品结构组成", "导管和球囊。"),
    ("工作原理/作 用机理", "球囊固定。"),
    ("适用范围/预 期用途", "用于导尿。"),
    ("研究团队情况", "项目负责人及团队主要技术成员介绍：王测试，副主任医师。"),
    (
        "行业及市场情况",
        "相关行业或细分领域的情况(行业背景、需求状况、现状瓶颈、发展趋势等); 国内外同类已上市产品情况\n市场较大。",
    ),
    ("承诺书", PLEDGE + " ☑ 同意 □ 不同意"),
    ("是否愿意在福建省医疗器械临床研究成果转化平台发布? ☑是 □否", None),
]


@pytest.mark.parametrize("shuffle", [None, 1, 2, 3])
def test_an_official_layout_in_any_order(shuffle: int | None, tmp_path: Path) -> None:
    data = make_data(tmp_path)
    path = official_sheet(tmp_path / "o.xlsx", list(OFFICIAL_PAIRS), shuffle=shuffle)
    report = run_import(path, data)
    record = imported(report)
    assert record["project_name"] == "测试用导尿管" and record["department"] == "泌尿外科"
    assert record["project_type"] == "无源" and record["product_class"] == "第二类"
    assert record["stage"] == "设计验证" and "stage_note" not in record
    assert record["research_team"] == "王测试，副主任医师。"  # the printed prompt is not kept
    assert record["industry_market"] == "市场较大。"
    assert record["commitment"] is True and record["publish_consent"] is True
    # What the annex does not ask is listed for the regulator, and taken from the document.
    assert record["programme"] == "FJ-2025" and record["province"] == "FJ"
    missing = report.written[0].missing
    assert "联系途径" in missing and "提交人（GitHub 账号）" not in missing
    text = report.render()
    assert "联系途径" in text and "FJ-2025（附件出处 闽药监器械〔2025〕18号）" in text
    # The personal cells are never read: nothing of them anywhere.
    raw = report.written[0].path.read_text(encoding="utf-8")
    assert "13912345678" not in raw and "wang@" not in raw and "13912345678" not in text
    assert not report.refused, text


# ---------------------------------------------------------------- tick boxes


@pytest.mark.parametrize("mark", ["☑", "√", "■", "✓", "☒"])
def test_every_tick_mark(mark: str, tmp_path: Path) -> None:
    path = filled(tmp_path, 项目类型=lambda t: tick(t, "体外诊断试剂", mark=mark))
    assert imported(run_import(path, make_data(tmp_path)))["project_type"] == "体外诊断试剂"


def test_a_choice_written_out_or_picked_from_the_dropdown(tmp_path: Path) -> None:
    path = filled(
        tmp_path,
        项目类型="有源",
        项目所处阶段="样品阶段",
        意向合作方式="技术转让，委托团队、专家长期技术服务",
        分类目录子目录="医用软件",
    )
    record = imported(run_import(path, make_data(tmp_path)))
    assert (record["project_type"], record["stage"], record["category"]) == ("有源", "样品", "21")
    assert record["cooperation_modes_sought"] == ["技术转让", "委托团队、专家长期技术服务"]


@pytest.mark.parametrize(
    "written, chosen",
    [
        ("有源□ 无源☑ 体外诊断试剂□", "无源"),
        ("无源√", "无源"),
        ("有源 □  无源 ■", "无源"),
        ("体外诊断试剂☑", "体外诊断试剂"),
    ],
)
def test_boxes_written_after_their_choices(written: str, chosen: str, tmp_path: Path) -> None:
    """Some tick the box after the choice, as other forms print it."""
    report = run_import(filled(tmp_path, 项目类型=written), make_data(tmp_path))
    assert imported(report)["project_type"] == chosen
    assert not report.refused


def test_boxes_after_their_choices_after_the_printed_words(tmp_path: Path) -> None:
    """The pledge or the label the sender left before boxes ticked after their choices."""
    path = filled(
        tmp_path,
        承诺书=PLEDGE + "\n同意☑ 不同意□",
        是否愿意在平台发布="是否愿意在平台发布 是☑ 否□",
    )
    report = run_import(path, make_data(tmp_path))
    record = imported(report)
    assert record["commitment"] is True and record["publish_consent"] is True
    assert not report.refused, report.render()


@pytest.mark.parametrize(
    "written, note",
    [
        ("☑其他：动物实验", "动物实验"),
        ("☑其他:动物实验(大鼠)", "动物实验(大鼠)"),
        ("☑其他（动物实验）", "动物实验"),
        ("其他（动物实验）☑", "动物实验"),
        ("其他：动物实验", "动物实验"),
        ("☑其他(动物实验)(大鼠)", "(动物实验)(大鼠)"),  # two groups: kept as written
        ("☑其他（动物实验(大鼠)阶段）", "动物实验(大鼠)阶段"),
    ],
)
def test_the_other_stage_with_its_words(written: str, note: str, tmp_path: Path) -> None:
    """The words of 其他 in brackets, as printed, or after a colon, as people write them."""
    boxes = "□概念阶段 □设计验证阶段 □样品阶段 □生产验证阶段 □注册检验阶段 □临床试验阶段 "
    text = written if not written.startswith("☑") else boxes + written
    report = run_import(filled(tmp_path, 项目所处阶段=text), make_data(tmp_path))
    record = imported(report)
    assert (record["stage"], record["stage_note"]) == ("其他", note), report.render()


def test_unticked_boxes_leave_the_field_to_complete(tmp_path: Path) -> None:
    path = filled(tmp_path, 项目类型=lambda t: t, 是否愿意在平台发布=lambda t: t)
    report = run_import(path, make_data(tmp_path))
    record = imported(report)
    assert "project_type" not in record and "publish_consent" not in record
    assert {"项目类型", "是否愿意在平台发布"} <= set(report.written[0].missing)
    assert not report.refused


@pytest.mark.parametrize(
    "changes, cell, words",
    [
        ({"项目类型": lambda t: tick(t, "有源", "无源")}, "B8", "只能选一项"),
        ({"承诺书": lambda t: tick(t, "不同意")}, "B24", "必须同意承诺书"),
        ({"承诺书": lambda t: tick(t, "同意", "不同意")}, "B24", "只能勾选一个"),
        ({"是否愿意在平台发布": lambda t: tick(t, "否")}, "B25", "本仓库的全部内容都会公开发布"),
        (
            {"项目所处阶段": lambda t: t.replace("□其他（　　）", "□其他（动物实验）")},
            "B10",
            "写了内容却没有勾选",
        ),
        (
            {"项目所处阶段": lambda t: t.replace("□其他（　　）", "□其他：动物实验")},
            "B10",
            "写了内容却没有勾选",
        ),
        ({"项目类型": "有源☑ □无源 □体外诊断试剂"}, "B8", "无法识别的文字“有源”"),
        ({"项目类型": "有源☑ 无源☑ 体外诊断试剂□"}, "B8", "只能选一项"),
        # A tick glued to the next choice, or with no choice of its own: never guessed.
        ({"项目类型": "有源 ☑无源 □"}, "B8", "无法识别的文字“有源”"),
        ({"是否愿意在平台发布": "是 ☑否 □"}, "B25", "无法识别的文字“是”"),
        ({"项目类型": "□有源 □无源☑ □体外诊断试剂"}, "B8", "后面没有选项"),
        ({"是否愿意在平台发布": "□是 □否☑"}, "B25", "后面没有选项"),
        ({"项目类型": "□有源 □无源 □体外诊断试剂 其实是软件"}, "B8", "不是可选项"),
        ({"项目类型": "有源的"}, "B8", "不是可选项"),
        ({"承诺书": "我不承诺 ☑同意 □不同意"}, "B24", "无法识别的文字"),
        ({"产品分类（Ⅰ/Ⅱ/Ⅲ类医疗器械，药械组合，待确定）": "四类"}, "B9", "不是可选项"),
    ],
)
def test_boxes_that_say_no_or_too_much(
    changes: dict, cell: str, words: str, tmp_path: Path
) -> None:
    report = run_import(filled(tmp_path, **changes), make_data(tmp_path))
    assert not any(w.path for w in report.written)  # all or nothing
    assert words in reasons(report)[cell], report.render()
    assert "没有写入" in report.render()


# ---------------------------------------------------------------- hostile cells


@pytest.mark.parametrize(
    "value, words",
    [
        ('=HYPERLINK("http://example.com","点我")', "公式"),
        ("=1+1", "公式"),
        ("+cmd|' /C calc'!A0", "= + - @"),
        ("@SUM(1)", "= + - @"),
        ("正文\u202egnp.exe", "控制字符"),
        ("正文\x9b控制", "控制字符"),
        ("零宽\u200b字符", "控制字符"),
        ("长" * 40_000, "32767"),
    ],
)
def test_hostile_cells_are_refused_by_cell(value: str, words: str, tmp_path: Path) -> None:
    report = run_import(
        filled(tmp_path, 适用范围_预期用途=..., **{"适用范围/预期用途": value}), make_data(tmp_path)
    )
    assert not any(w.path for w in report.written)
    assert words in reasons(report)["B13"]
    line = next(line for line in report.refused if "B13" in line.where_zh)
    assert "annex1.xlsx" in line.where_zh and "附件1" in line.where_zh and line.en


def test_a_merged_answer_beside_several_labels_is_refused(tmp_path: Path) -> None:
    """One answer merged over the rows of three labels would be all three answers."""
    path = filled(tmp_path)
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    row = answer_cell(ws, "产品结构组成").row
    assert answer_cell(ws, "适用范围/预期用途").row == row + 2
    for merged in [m for m in ws.merged_cells.ranges if row <= m.min_row <= row + 2]:
        ws.unmerge_cells(str(merged))
    for covered in (row + 1, row + 2):
        ws.cell(covered, 2).value = None
    ws.merge_cells(start_row=row, start_column=2, end_row=row + 2, end_column=4)
    ws.cell(row, 2).value = "支架本体和输送系统"
    wb.save(path)
    report = run_import(path, make_data(tmp_path))
    assert not any(w.path for w in report.written)
    found = reasons(report)[f"B{row}"]
    assert "「产品结构组成」「工作原理/作用机理」「适用范围/预期用途」" in found, found


def test_text_under_a_merged_range_is_refused(tmp_path: Path) -> None:
    """Excel shows only a merged range's first cell: what lies under the rest no one saw."""
    path = filled(tmp_path)
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    cell = answer_cell(ws, "项目名称")
    for merged in [m for m in ws.merged_cells.ranges if m.min_row == cell.row]:
        ws.unmerge_cells(str(merged))
    ws.merge_cells(start_row=cell.row, start_column=2, end_row=cell.row, end_column=4)
    # openpyxl empties what a merge covers; LibreOffice can keep it ("keep the contents of
    # the hidden cells"): put it back as such a file holds it.
    ws._cells[(cell.row, 3)] = Cell(ws, row=cell.row, column=3, value="看不见的第二个名称")
    wb.save(path)
    report = run_import(path, make_data(tmp_path))
    assert not any(w.path for w in report.written)
    assert "被合并单元格盖住" in reasons(report)[f"C{cell.row}"]


def test_a_formula_label_or_stray_cell_is_reported(tmp_path: Path) -> None:
    path = filled(tmp_path)
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    ws["F9"] = "见附件"
    ws["F10"] = '=HYPERLINK("http://example.com","项目名称")'
    wb.save(path)
    report = run_import(path, make_data(tmp_path))
    found = reasons(report)
    assert "不是表格的栏目" in found["F9"] and "F10" in found
    assert not any(w.path for w in report.written)


def test_stray_cells_by_the_thousand_are_counted_not_listed(tmp_path: Path) -> None:
    """A sheet full of stray cells is told about in a hundred lines and one more."""
    from springrain.intake.sheets.report import MAX_LISTED

    path = filled(tmp_path)
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    for row in range(1, 1001):
        ws.cell(row, 6).value = f"多余{row}"
        ws.cell(row, 7).value = f"多余{row}"
    wb.save(path)
    report = run_import(path, make_data(tmp_path))
    strays = [line for line in report.refused if "不是表格的栏目" in line.zh]
    assert len(strays) == MAX_LISTED
    assert any(f"另有 {2000 - MAX_LISTED} 处" in line.zh for line in report.refused)
    assert not any(w.path for w in report.written)


def test_a_dtd_refuses_the_file(tmp_path: Path, run_cli) -> None:
    import io
    import zipfile

    path = filled(tmp_path)
    source = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(source)) as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            content = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = (
                    b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY e "x">]>'
                    + content.split(b"?>", 1)[-1]
                )
            zout.writestr(info.filename, content)
    code, output = run_cli("import", str(path), "--data", str(make_data(tmp_path)))
    assert code == 1 and "DTD" in output and "Traceback" not in output


# ---------------------------------------------------------------- contact data


SPELLINGS = contact_spellings()[::7]


@pytest.mark.parametrize(
    "kind, text", SPELLINGS, ids=[f"{k}-{i}" for i, (k, _) in enumerate(SPELLINGS)]
)
def test_contact_data_in_any_spelling_is_refused(kind: str, text: str, tmp_path: Path) -> None:
    report = run_import(
        filled(tmp_path, 其他需说明的情况=f"请联系 {text} 了解详情"), make_data(tmp_path)
    )
    assert not any(w.path for w in report.written), kind
    assert "个人联系方式" in reasons(report)["B23"]
    assert text not in report.render()


def test_a_number_split_across_two_answers_is_refused(tmp_path: Path) -> None:
    path = filled(tmp_path, **{"目前合作情况": "联系电话139", "（省内）": "1234-5678号"})
    report = run_import(path, make_data(tmp_path))
    assert not any(w.path for w in report.written)
    assert any("拆在" in line.zh for line in report.refused)


def test_the_personal_cells_are_skipped_whatever_they_hold(tmp_path: Path) -> None:
    report = run_import(
        filled(tmp_path, 联系电话="13912345678", 电子邮箱="li@example.com"), make_data(tmp_path)
    )
    record = imported(report)
    assert not report.refused
    assert "13912345678" not in str(record) and "example.com" not in report.render()


# ---------------------------------------------------------------- sheets and rows


def test_extra_sheets_are_reported_and_ignored(tmp_path: Path) -> None:
    path = filled(tmp_path)
    wb = load_workbook(path)
    notes = wb.create_sheet("说明", 0)
    notes["A1"] = "本表由医院科研处填写"
    copy = wb.copy_worksheet(wb["附件1"])
    copy.title = "附件1（第二份）"
    hidden = wb.create_sheet("草稿")
    hidden["A1"] = "草稿内容"
    hidden.sheet_state = "hidden"
    wb.save(path)
    report = run_import(path, make_data(tmp_path))
    assert report.sheet.title == "附件1"
    text = report.render()
    assert "说明」：其他工作表" in text and "草稿」：是隐藏的工作表" in text
    assert "附件1（第二份）」：也是一份" in text
    assert len(report.refused) == 2  # the second form and the hidden sheet with content
    assert not any(w.path for w in report.written)


def test_a_hidden_row_is_not_read(tmp_path: Path) -> None:
    path = filled(tmp_path, 其他需说明的情况="隐藏的说明")
    wb = load_workbook(path)
    wb.worksheets[0].row_dimensions[23].hidden = True
    wb.save(path)
    report = run_import(path, make_data(tmp_path))
    assert not any(w.path for w in report.written)
    assert any("第 23 行" in line.where_zh and "隐藏行" in line.zh for line in report.refused)
    assert "隐藏的说明" not in report.render()


def test_an_answer_given_twice(tmp_path: Path) -> None:
    path = filled(tmp_path)
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    ws["F4"], ws["G4"] = "项目名称", "测试用另一个名称"
    ws["F5"], ws["G5"] = "所在城市", "福州市"  # the same answer again is fine
    wb.save(path)
    report = run_import(path, make_data(tmp_path))
    assert "B4 和 G4 各填了一次" in reasons(report)["G4"]


# ---------------------------------------------------------------- the catalogue around it


def test_a_project_already_in_the_catalogue_is_not_written_again(tmp_path: Path) -> None:
    data = make_data(tmp_path, records=True)
    path = filled(tmp_path)
    report = run_import(path, data)
    assert not any(w.path for w in report.written)
    assert "已收录为 FJ-2025-0007" in report.render()


def test_programme_and_province_from_the_command_line(tmp_path: Path) -> None:
    data = make_data(tmp_path)
    path = filled(tmp_path, 所属行动方案=None, 所在省份=None)
    record = imported(run_import(path, data, programme="GD-2026-2028"))
    assert (record["programme"], record["province"]) == ("GD-2026-2028", "GD")
    path = filled(tmp_path)
    report = run_import(path, data, programme="GD-2026-2028")
    assert "与命令行 --programme GD-2026-2028 不一致" in report.render()
    assert not any(w.path for w in report.written)


def test_the_command_line(run_cli, tmp_path: Path) -> None:
    data = make_data(tmp_path)
    code, output = run_cli(
        "import",
        str(filled(tmp_path)),
        "--data",
        str(data),
        "--author",
        "li-test",
        "--today",
        "2026-06-01",
    )
    assert code == 0, output
    assert "FJ-2026-0001" in output and (data / "projects" / "FJ" / "FJ-2026-0001.json").is_file()
    bad = filled(tmp_path, 项目名称="=1+1")
    code, output = run_cli("import", str(bad), "--data", str(data))
    assert code == 1 and "B4" in output and "formula" in output and "Traceback" not in output


def test_the_fixture_record_survives_the_import(tmp_path: Path) -> None:
    """Everything of project-full.json, typed into the template, comes back."""
    from springrain.intake.sheets.writer import write_annex1

    record = fixture("project")
    path = write_annex1(tmp_path / "x.xlsx", record)
    back = imported(run_import(path, make_data(tmp_path)))
    for el in elements("project"):
        assert back.get(el.path[0]) == record.get(el.path[0]), el.id


def test_an_answer_that_starts_like_a_label_stays_an_answer(tmp_path: Path) -> None:
    path = filled(
        tmp_path, 研究团队情况="项目负责人：张测试，主任医师", 其他需说明的情况="承诺书：已盖章"
    )
    record = imported(run_import(path, make_data(tmp_path)))
    assert record["research_team"] == "项目负责人：张测试，主任医师"
    assert record["project_lead"] == "李测试" and record["other_notes"] == "承诺书：已盖章"


def test_a_link_planted_where_the_record_goes_is_not_written_through(tmp_path: Path) -> None:
    data = make_data(tmp_path)
    victim = tmp_path / "victim.json"
    victim.write_text("{}", encoding="utf-8")
    (data / "projects" / "FJ").mkdir(parents=True)
    (data / "projects" / "FJ" / "FJ-2026-0001.json").symlink_to(victim)
    report = run_import(filled(tmp_path), data)
    assert victim.read_text(encoding="utf-8") == "{}"
    assert report.written[0].record_id == "FJ-2026-0002"  # the link's id is never reused
    # A linked folder on the way: nothing is written, and the report says why.
    other = make_data(tmp_path, name="other")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (other / "projects").mkdir()
    (other / "projects" / "FJ").symlink_to(elsewhere, target_is_directory=True)
    report = run_import(filled(tmp_path), other)
    assert not any(w.path for w in report.written) and list(elsewhere.iterdir()) == []
    assert any("链接" in line.zh for line in report.refused)


def test_a_stage_note_with_brackets_of_its_own_is_read_whole(tmp_path: Path) -> None:
    data = make_data(tmp_path)
    answer = {"项目所处阶段": lambda t: t.replace("□其他（　　）", "☑其他（动物实验(大鼠)阶段）")}
    report = run_import(filled(tmp_path, **answer), data)
    assert not report.refused, report.render()
    assert (imported(report)["stage"], imported(report)["stage_note"]) == (
        "其他",
        "动物实验(大鼠)阶段",
    )


def test_the_same_template_is_the_same_bytes_whenever_it_is_written(tmp_path: Path) -> None:
    import time

    first = template(tmp_path / "first.xlsx").read_bytes()
    time.sleep(1.1)  # openpyxl stamps the second of saving into the workbook's properties
    assert template(tmp_path / "second.xlsx").read_bytes() == first


# ---------------------------------------------------------------- any answer in a box cell

BOX_ALPHABET = (
    "□☑√■☐ 　，、：:﹕︰（）()﹙﹚⑴「」“”\n其他动物实验有源无源体外诊断试剂概念样品阶段是否同意不"
)


@given(text=st.text(alphabet=BOX_ALPHABET, max_size=40))
@settings(max_examples=300, deadline=None)
def test_any_box_answer_is_read_or_refused_never_a_crash(text: str) -> None:
    """Whatever is typed in a cell of boxes, reading it gives choices or a refusal."""
    from springrain.intake.sheets.layout import layout, pick

    for field in ("stage", "project_type", "commitment"):
        answer = next(a for a in layout("annex1").answers() if a.field == field)
        picked = pick(answer, text, "其他" if field == "stage" else None)
        codes = dict(answer.options)
        assert all(code in codes for code in picked.codes)


def test_a_long_cell_is_classified_from_its_first_characters(monkeypatch) -> None:
    """Telling a label from an answer reads a bounded head of the cell, however long."""
    from springrain.intake.sheets import formsheet
    from springrain.intake.sheets.layout import layout

    seen: list[int] = []
    real = formsheet.label_key
    monkeypatch.setattr(formsheet, "label_key", lambda text: seen.append(len(text)) or real(text))
    idx = formsheet.index(layout("annex1"))
    assert formsheet.classify(idx, "项目名称：" + "长" * 40_000)[0] == "label"
    assert formsheet.classify(idx, " " * 40_000 + "项目名称")[0] == ""
    assert max(seen) <= formsheet.LABEL_SCAN


def test_a_sheet_of_more_labels_than_any_form_is_refused(tmp_path: Path, monkeypatch) -> None:
    from springrain.intake.sheets import fujian

    monkeypatch.setattr(fujian, "MAX_LABELS", 5)
    report = run_import(filled(tmp_path), make_data(tmp_path))
    assert not any(w.path for w in report.written)
    assert any("栏目标签" in line.zh for line in report.refused)


def test_line_breaks_become_spaces_in_one_pass() -> None:
    from springrain.intake.sheets.cells import one_line

    assert one_line("甲 \n　乙\n\n丙") == "甲 乙 丙"
    assert one_line(" " * 50_000 + "甲") == " " * 50_000 + "甲"  # no line break: as it is
