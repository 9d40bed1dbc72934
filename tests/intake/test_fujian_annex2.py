"""springrain import: Fujian annex 2 (企业意向临床研究成果转化项目对接表), an enterprise and
its cooperation intents, against a catalogue holding the fixture project (fictional)."""

from __future__ import annotations

import random
from pathlib import Path

import orjson
import pytest
from openpyxl import Workbook, load_workbook
from test_sheets_support import (
    ENTERPRISE_ANSWERS,
    answer_cell,
    fill,
    fixture,
    load,
    make_data,
    run_import,
    template,
)

from contact_corpus import refused as contact_spellings
from springrain.intake.forms import elements
from springrain.intake.sheets.report import FormReport
from springrain.intake.sheets.writer import write_annex2
from springrain.validate.engine import validate


def written(report: FormReport, kind: str) -> list[dict]:
    return [load(w.path) for w in report.written if w.kind == kind and w.path is not None]


def refusals(report: FormReport) -> str:
    return "\n".join(f"{line.where_zh}：{line.zh}" for line in report.refused)


def filled(tmp_path: Path, **changes) -> Path:
    answers = {**ENTERPRISE_ANSWERS, **changes}
    return fill(template(tmp_path / "annex2.xlsx", "annex2"), answers)


def same(record: dict, expected: dict, kind: str) -> None:
    for el in elements(kind):
        name = el.path[0]
        if name in ("project", "enterprise"):
            continue
        assert record.get(name) == expected.get(name), name


def test_the_template_layout(tmp_path: Path) -> None:
    ws = load_workbook(template(tmp_path / "t.xlsx", "annex2")).worksheets[0]
    labels = [str(c.value).split("\n")[0] for row in ws.iter_rows() for c in row if c.value]
    assert "企业意向临床研究成果转化项目对接表" in labels and "企业技术意向合作情况" in labels
    assert (
        labels.index("企业名称") < labels.index("企业技术意向合作情况") < labels.index("合作方式")
    )
    for label in ("注册资金", "联系人", "联系电话", "项目申报机构/人", "1.已开展的工作", "6.其他"):
        assert label in labels
    assert answer_cell(ws, "高新技术企业").value == "□是 □否"
    assert answer_cell(ws, "专精特新企业").value == "□国家级 □省级 □否"  # the annex prints codes
    assert answer_cell(ws, "合作方式").value.startswith("□技术转让 □技术入股")
    assert answer_cell(ws, "注册资金").number_format == 'General"万元"'


def test_a_new_enterprise_and_its_cooperation(tmp_path: Path) -> None:
    data = make_data(tmp_path, records=("project",))
    report = run_import(filled(tmp_path), data)
    assert not report.refused, report.render()
    (enterprise,) = written(report, "enterprise")
    (cooperation,) = written(report, "cooperation")
    same(enterprise, fixture("enterprise"), "enterprise")
    same(cooperation, fixture("cooperation"), "cooperation")
    assert enterprise["id"] == "ENT-0001" and cooperation["id"] == "COOP-0001"
    assert (cooperation["project"], cooperation["enterprise"]) == ("FJ-2025-0007", "ENT-0001")
    assert cooperation["status"] == "意向" and cooperation["history"][0]["note"].startswith(
        "批量导入"
    )
    paths = [w.path for w in report.written if w.path]
    assert validate(data, paths).errors == []
    assert "联系人（B10）" in report.render() and "联系电话（D10）" in report.render()


def test_an_enterprise_already_registered_is_linked_not_rewritten(tmp_path: Path) -> None:
    data = make_data(tmp_path, records=("project", "enterprise"))
    before = (data / "enterprises" / "ENT-0003.json").read_bytes()
    report = run_import(filled(tmp_path, 企业概况="改写的概况"), data)
    assert not report.refused, report.render()
    assert written(report, "enterprise") == []
    assert written(report, "cooperation")[0]["enterprise"] == "ENT-0003"
    assert (data / "enterprises" / "ENT-0003.json").read_bytes() == before
    assert "已登记为 ENT-0003" in report.render()


def test_a_cooperation_already_in_the_catalogue(tmp_path: Path) -> None:
    data = make_data(tmp_path, records=True)
    report = run_import(filled(tmp_path), data)
    assert "已收录为 COOP-0005" in refusals(report)
    assert not any(w.path for w in report.written)


@pytest.mark.parametrize(
    "changes, words",
    [
        ({"项目名称": "测试用不存在的项目"}, "找不到项目"),
        ({"项目编号": "FJ-2025-0099"}, "没有编号为 FJ-2025-0099 的项目"),
        ({"项目编号": "FJ-2025-0007", "项目名称": "测试用别的名称"}, "不一致"),
        ({"企业编号": "ENT-0099"}, "没有编号为 ENT-0099 的企业"),
    ],
)
def test_the_project_and_enterprise_must_exist(changes: dict, words: str, tmp_path: Path) -> None:
    report = run_import(filled(tmp_path, **changes), make_data(tmp_path, records=("project",)))
    assert words in refusals(report), report.render()
    assert not any(w.path for w in report.written)


def test_a_project_named_by_its_id_alone(tmp_path: Path) -> None:
    path = filled(tmp_path, 项目名称=None, **{"项目申报机构/人": None, "项目编号": "FJ-2025-0007"})
    report = run_import(path, make_data(tmp_path, records=("project",)))
    assert written(report, "cooperation")[0]["project"] == "FJ-2025-0007"


def test_no_enterprise_no_cooperation(tmp_path: Path) -> None:
    answers = {k: v for k, v in ENTERPRISE_ANSWERS.items() if k in ("项目名称", "合作方式")}
    path = fill(template(tmp_path / "a.xlsx", "annex2"), answers)
    report = run_import(path, make_data(tmp_path, records=("project",)))
    assert "没有企业的信息" in refusals(report)


def test_several_cooperations_in_one_file(tmp_path: Path) -> None:
    project = fixture("project")
    second = {**project, "id": "FJ-2025-0008", "project_name": "测试用第二个项目"}
    data = make_data(tmp_path, records=("project",))
    (data / "projects" / "FJ" / "FJ-2025-0008.json").write_bytes(
        orjson.dumps(second, option=orjson.OPT_INDENT_2) + b"\n"
    )
    enterprise = {k: v for k, v in fixture("enterprise").items() if k != "id"}
    first = {k: v for k, v in fixture("cooperation").items() if k != "enterprise"}
    other = {
        **first,
        "project": "FJ-2025-0008",
        "modes": ["委托研发"],
        "progress": {"other": "初步洽谈。"},
    }
    path = write_annex2(
        tmp_path / "two.xlsx", enterprise, [first, other], {p["id"]: p for p in (project, second)}
    )
    report = run_import(path, data)
    cooperations = written(report, "cooperation")
    assert [c["project"] for c in cooperations] == ["FJ-2025-0007", "FJ-2025-0008"]
    assert cooperations[1]["modes"] == ["委托研发"] and cooperations[1]["progress"] == {
        "other": "初步洽谈。"
    }
    assert not report.refused


def official(path: Path, pairs: list[tuple[str, object]], *, shuffle: int | None = None) -> Path:
    """Annex 2 laid out by hand: title, enterprise pairs, the heading, the project part."""
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "企业意向临床研究成果转化项目对接表"
    enterprise = [p for p in pairs if not p[0].startswith(("项目", "合作"))]
    block = [p for p in pairs if p[0].startswith(("项目", "合作"))]
    if shuffle is not None:
        random.Random(shuffle).shuffle(enterprise)
        random.Random(shuffle).shuffle(block)
    row = 3
    for label, answer in enterprise:
        ws.cell(row, 1 + (row % 2) * 4, label)
        ws.cell(row, 2 + (row % 2) * 4, answer)
        row += 1
    ws.cell(row, 1, "企业技术意向合作情况")
    for label, answer in block:
        row += 1
        ws.cell(row, 1, label)
        ws.cell(row, 2, answer)
    wb.save(path)
    return path


OFFICIAL = [
    ("企业名称", "测试用医疗科技有限公司"),
    ("通讯地址", "福建省福州市测试路1号"),
    ("统一社会 信用代码", "91350100M000100Y43"),
    ("所属领域", "无源植入器械，医用软件"),
    ("法人姓名", "赵测试"),
    ("注册资金", "1000万元"),
    ("注册时间", "2015年3月8日"),
    ("高新 技术企业", "☑是 □否"),
    ("专精特新 企业", "□国家级 ☑省级"),
    ("联系人", "赵测试 13912345678"),
    ("联系电话", "0591-87654321"),
    ("企业概况", "测试用企业概况：专注可降解植入器械。"),
    ("项目名称", "测试用可降解输尿管支架"),
    ("项目申报 机构/人", "测试用第一医院"),
    (
        "合作进展 情况",
        "(1.已开展的工作; 2.所处阶段; 3.投入资金和人力; 4.仪器和设备; 5.生产条件; 6.其他)\n"
        "1.已开展的工作：完成技术评估和样品试制。\n2.所处阶段：样品阶段。\n"
        "3.投入资金和人力：投入资金 200 万元，人员 5 人。\n6.其他：计划明年进入注册检验。",
    ),
    (
        "合作方式",
        "☑技术转让 □技术入股 ☑联合开发 □委托研发 □委托团队、专家长期技术服务 □共建新研发、生产实体",
    ),
]


@pytest.mark.parametrize("shuffle", [None, 5, 6])
def test_an_official_layout_in_any_order(shuffle: int | None, tmp_path: Path) -> None:
    data = make_data(tmp_path, records=("project",))
    report = run_import(official(tmp_path / "o.xlsx", list(OFFICIAL), shuffle=shuffle), data)
    assert not report.refused, report.render()
    (enterprise,) = written(report, "enterprise")
    (cooperation,) = written(report, "cooperation")
    assert enterprise["fields"] == ["13", "21"] and enterprise["registered_capital"] == 1000
    assert enterprise["registration_date"] == "2015-03-08" and enterprise["specialised"] == "省级"
    assert cooperation["progress"] == {
        "work_done": "完成技术评估和样品试制。",
        "stage": "样品阶段。",
        "investment": "投入资金 200 万元，人员 5 人。",
        "other": "计划明年进入注册检验。",
    }
    assert cooperation["modes"] == ["技术转让", "联合开发"]
    # What the annex lacks is listed; the personal cells are never read.
    missing = next(w.missing for w in report.written if w.kind == "enterprise")
    assert {"所在省份", "可接受的合作方式", "业务覆盖地区", "联系途径"} <= set(missing)
    text = report.render()
    assert "13912345678" not in text and "87654321" not in text
    assert "13912345678" not in str(enterprise)


@pytest.mark.parametrize(
    "progress",
    [
        "1.完成动物实验\n2、样品阶段\n3、投入资金50万元",
        "1、完成动物实验\n2.样品阶段\n3．投入资金50万元",
    ],
)
def test_parts_numbered_with_mixed_punctuation_are_each_their_part(
    progress: str, tmp_path: Path
) -> None:
    pairs = [(k, progress if k == "合作进展 情况" else v) for k, v in OFFICIAL]
    data = make_data(tmp_path, records=("project",))
    (cooperation,) = written(run_import(official(tmp_path / "o.xlsx", pairs), data), "cooperation")
    assert cooperation["progress"] == {
        "work_done": "完成动物实验",
        "stage": "样品阶段",
        "investment": "投入资金50万元",
    }


def test_a_sub_item_inside_a_numbered_part_stays_its_text(tmp_path: Path) -> None:
    """ "(2)" after "；" inside part 1 is the sender's own list, not part 2 of the form."""
    progress = (
        "1.已开展的工作：完成需求调研；(2)完成样机设计\n2.所处阶段：样品阶段\n"
        "3.投入资金和人力：50万元，5人"
    )
    pairs = [(k, progress if k == "合作进展 情况" else v) for k, v in OFFICIAL]
    data = make_data(tmp_path, records=("project",))
    report = run_import(official(tmp_path / "o.xlsx", pairs), data)
    (cooperation,) = written(report, "cooperation")
    assert cooperation["progress"] == {
        "work_done": "完成需求调研；(2)完成样机设计",
        "stage": "样品阶段",
        "investment": "50万元，5人",
    }


@pytest.mark.parametrize(
    "changes, cell, words",
    [
        ({"企业概况": "=cmd()"}, "B11", "公式"),
        ({"2.所处阶段": "负责人手机 139-1234-5678"}, "C16", "手机号码"),
        ({"统一社会信用代码": "11010519491231002X"}, "B6", "身份证号码"),
        ({"注册资金": "很多"}, "B8", "数字"),
        ({"注册时间": "去年"}, "D8", "日期"),
        ({"合作方式": lambda t: t}, "", "合作方式"),
    ],
)
def test_answers_that_are_refused(changes: dict, cell: str, words: str, tmp_path: Path) -> None:
    report = run_import(filled(tmp_path, **changes), make_data(tmp_path, records=("project",)))
    text = refusals(report)
    if cell:
        assert f"单元格 {cell}" in text and words in text, report.render()
    else:  # a required answer left out: written, and listed for completion
        missing = next(w.missing for w in report.written if w.kind == "cooperation")
        assert words in missing
        return
    assert not any(w.path for w in report.written)


def test_the_command_line(run_cli, tmp_path: Path) -> None:
    data = make_data(tmp_path, records=("project",))
    code, output = run_cli(
        "import", str(filled(tmp_path)), "--data", str(data), "--author", "zhao-test"
    )
    assert code == 0, output
    assert "ENT-0001" in output and "COOP-0001" in output
    assert (data / "cooperations" / "COOP-0001.json").is_file()


SPELLINGS = contact_spellings()[3::17]


@pytest.mark.parametrize(
    "kind, text", SPELLINGS, ids=[f"{k}-{i}" for i, (k, _) in enumerate(SPELLINGS)]
)
def test_contact_data_in_any_spelling_is_refused(kind: str, text: str, tmp_path: Path) -> None:
    report = run_import(
        filled(tmp_path, 企业概况=f"商务合作请联系 {text}"),
        make_data(tmp_path, records=("project",)),
    )
    assert not any(w.path for w in report.written), kind
    assert "个人联系方式" in refusals(report) and text not in report.render()


def test_extra_and_hidden_sheets_and_rows(tmp_path: Path) -> None:
    path = filled(tmp_path)
    wb = load_workbook(path)
    wb.create_sheet("附注")["A1"] = "另附材料清单"
    secret = wb.create_sheet("隐藏")
    secret["A1"] = "内部备注"
    secret.sheet_state = "veryHidden"
    wb.save(path)
    report = run_import(path, make_data(tmp_path, records=("project",)))
    text = report.render()
    assert "附注」：其他工作表" in text and "隐藏」：是深度隐藏的工作表" in text
    assert [line.where_zh for line in report.refused] == ["annex2.xlsx 工作表「隐藏」"]
    wb = load_workbook(path)
    del wb["隐藏"]
    wb.worksheets[0].row_dimensions[16].hidden = True  # 2.所处阶段
    wb.save(path)
    report = run_import(path, make_data(tmp_path, records=("project",), name="again"))
    assert any("第 16 行" in line.where_zh for line in report.refused)
    assert not any(w.path for w in report.written)
