"""The same record whichever way it came: exported as an annex and imported again, or the
annex template filled in and imported, against intake of the equivalent GitHub issue body
(fictional answers; the fixtures are tests/fixtures/sheets/*-full.json)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from test_sheets_support import (
    ENTERPRISE_ANSWERS,
    TODAY,
    fill,
    fixture,
    load,
    make_data,
    run_import,
    template,
    tick,
)

from springrain.intake.forms import checkbox_option, elements, form_elements, programme_options
from springrain.intake.issues import run_intake
from springrain.intake.sheets.writer import write_annex1, write_annex2
from springrain.model.schemas import fields

# Issue-body and annex answers for the fixtures, label by label.
PROGRAMME = dict(programme_options())["FJ-2025"]
PROJECT_ISSUE: dict[str, Any] = {
    "所属行动方案": PROGRAMME,
    "所在省份": "福建省",
    "项目名称": "测试用可降解输尿管支架",
    "单位名称": "测试用第一医院",
    "所在城市": "福州市",
    "所在部门（科室）": "泌尿外科",
    "项目负责人": "李测试",
    "联系途径": "测试用第一医院成果转化办公室",
    "项目类型": "无源",
    "产品分类": "第三类医疗器械",
    "分类目录子目录": "无源植入器械",
    "项目所处阶段": "其他",
    "其他阶段说明": "动物实验阶段",
    "产品结构组成": "支架主体、推送器和定位线。",
    "工作原理/作用机理": "支架在体内逐步降解，无需二次手术取出。\n降解周期约 4 周。",
    "适用范围/预期用途": "用于输尿管镜术后引流。",
    "创新的关键点": "可降解材料与显影标记结合。",
    "满足临床需求的情况": "减少二次手术。",
    "临床运用前景": "每年约 10 万例输尿管镜手术。",
    "行业及市场情况": "泌尿外科耗材市场增长较快。",
    "国内外同类已上市产品情况": "国内外尚无同类可降解产品获批。",
    "满足预期产业贡献的情况": "带动本省可降解材料产业。",
    "研究团队情况": "项目负责人李测试，主任医师；团队 6 人。",
    "知识产权情况": "发明专利 | 一种可降解输尿管支架 | 已授权 | 测试用第一医院、李测试 | ZL202310567890.1\n"
    "实用新型专利 | 一种支架推送器 | 申请中 | 测试用第一医院",
    "列入国家、省、市立项情况": "省级立项 | 福建省自然科学基金 | 2024",
    "目前合作情况": "尚无合作企业。",
    "项目进展": "样机已完成动物实验。",
    "意向合作企业（省内）": "测试用医疗科技有限公司",
    "意向合作企业（省外）": "测试用器械股份有限公司\n测试用生物材料有限公司",
    "意向合作方式": "技术转让, 联合开发",
    "其他需说明的情况": "无。",
    "承诺书": True,
    "是否愿意在平台发布": True,
}
# The same answers typed into the annex 1 template: its labels, its boxes.
PROJECT_ANNEX: dict[str, Any] = {
    **{k: v for k, v in PROJECT_ISSUE.items() if isinstance(v, str)},
    "产品分类（Ⅰ/Ⅱ/Ⅲ类医疗器械，药械组合，待确定）": "第三类医疗器械",
    "项目类型": lambda t: tick(t, "无源"),
    "项目所处阶段": lambda t: t.replace("□其他（　　）", "☑其他（动物实验阶段）"),
    "相关行业或细分领域的情况（行业背景、需求状况、现状瓶颈、发展趋势等）": "泌尿外科耗材市场增长较快。",
    "（省内）": PROJECT_ISSUE["意向合作企业（省内）"],
    "（省外）": PROJECT_ISSUE["意向合作企业（省外）"],
    "意向合作方式": lambda t: tick(t, "技术转让", "联合开发"),
    "承诺书": lambda t: tick(t, "同意"),
    "是否愿意在平台发布": lambda t: tick(t, "是"),
}
for label in (
    "产品分类",
    "其他阶段说明",
    "行业及市场情况",
    "意向合作企业（省内）",
    "意向合作企业（省外）",
):
    del PROJECT_ANNEX[label]


def render(form: str, answers: dict[str, Any]) -> str:
    """The body GitHub renders from an issue form (as tests/intake/test_issues.py does)."""
    parts = []
    for el in form_elements(form):
        value = answers.get(el.label)
        if el.widget == "checkbox":
            text = f"- [{'X' if value else ' '}] {checkbox_option(el)}"
        else:
            text = str(value) if value else "_No response_"
        parts.append(f"### {el.label}\n\n{text}")
    return "\n\n".join(parts) + "\n"


def on_form(kind: str) -> list[str]:
    return list(dict.fromkeys(el.path[0] for el in elements(kind)))


def unordered(kind: str, record: dict[str, Any]) -> dict[str, Any]:
    """The record with its lists of choices as sets: tick boxes carry no order, so they come
    back in the vocabulary's order (a ``uniqueItems`` list's order means nothing)."""
    sets = {f.name for f in fields(kind) if f.schema.get("uniqueItems") and f.vocab}
    return {k: sorted(v) if k in sets and isinstance(v, list) else v for k, v in record.items()}


def test_an_annex_and_an_issue_make_the_same_project(tmp_path: Path) -> None:
    by_issue = make_data(tmp_path, name="issue")
    outcome = run_intake(
        "project", render("project", PROJECT_ISSUE), by_issue, "li-test", 12, TODAY
    )
    assert outcome.ok, outcome.comment
    by_annex = make_data(tmp_path, name="annex")
    report = run_import(fill(template(tmp_path / "a.xlsx"), PROJECT_ANNEX), by_annex)
    assert not report.refused, report.render()
    issue_record, annex_record = load(outcome.path), load(report.written[0].path)
    # Field by field; only the first event's source says how each came.
    assert issue_record["history"][0].pop("source") == "GitHub issue #12"
    assert annex_record["history"][0].pop("source") == "批量导入 a.xlsx 附件1"
    assert annex_record == issue_record
    expected = fixture("project")
    for name in on_form("project"):
        assert annex_record.get(name) == expected.get(name), name


def test_an_annex_and_issues_make_the_same_enterprise_and_cooperation(tmp_path: Path) -> None:
    enterprise, cooperation = fixture("enterprise"), fixture("cooperation")
    by_issue = make_data(tmp_path, records=("project",), name="issue")
    enterprise_body = {
        "企业名称": enterprise["name"],
        "所在省份": "福建省",
        "通讯地址": enterprise["address"],
        "统一社会信用代码": enterprise["credit_code"],
        "所属领域": "无源植入器械, 医用软件",
        "法人姓名": enterprise["legal_representative"],
        "注册资金（万元）": "1000",
        "注册时间": "2015-03-08",
        "高新技术企业": "是",
        "专精特新企业": "省级专精特新企业",
        "企业概况": enterprise["profile"],
        "已注册或生产的产品类别": "第二类医疗器械, 第三类医疗器械",
        "可接受的合作方式": "技术转让, 联合开发, 委托研发",
        "业务覆盖地区": "福建省, 广东省",
        "联系途径": enterprise["contact_route"],
    }
    made = run_intake(
        "enterprise", render("enterprise", enterprise_body), by_issue, "zhao-test", 20, TODAY
    )
    assert made.ok, made.comment
    progress = cooperation["progress"]
    cooperation_body = {
        "项目编号": "FJ-2025-0007",
        "企业编号": made.record_id,
        "合作方式": "技术转让, 联合开发",
        "已开展的工作": progress["work_done"],
        "所处阶段": progress["stage"],
        "投入资金和人力": progress["investment"],
        "仪器和设备": progress["equipment"],
        "生产条件": progress["production_conditions"],
        "其他": progress["other"],
    }
    linked = run_intake(
        "cooperation", render("cooperation", cooperation_body), by_issue, "zhao-test", 21, TODAY
    )
    assert linked.ok, linked.comment
    by_annex = make_data(tmp_path, records=("project",), name="annex")
    report = run_import(
        fill(template(tmp_path / "b.xlsx", "annex2"), ENTERPRISE_ANSWERS),
        by_annex,
        author="zhao-test",
    )
    assert not report.refused, report.render()
    paths = {w.kind: w.path for w in report.written}
    assert load(paths["enterprise"]) == load(made.path)
    issue_cooperation, annex_cooperation = load(linked.path), load(paths["cooperation"])
    assert issue_cooperation["history"][0].pop("note") == "GitHub issue #21"
    assert annex_cooperation["history"][0].pop("note").startswith("批量导入 b.xlsx 附件2")
    assert annex_cooperation == issue_cooperation


def test_a_project_exported_and_imported_is_the_same(tmp_path: Path) -> None:
    record = fixture("project")
    report = run_import(write_annex1(tmp_path / "p.xlsx", record), make_data(tmp_path))
    assert not report.refused, report.render()
    back = load(report.written[0].path)
    for name in on_form("project"):
        assert back.get(name) == record.get(name), name


def test_list_items_holding_a_separator_survive_the_round_trip(tmp_path: Path) -> None:
    """An owner named with a comma is written inside “…” and read back as one owner."""
    record = fixture("project")
    owners = ["Johnson & Johnson Medical (Shanghai) Ltd., China", "测试用医院", "甲；乙"]
    record["intellectual_property"][0]["owners"] = owners
    report = run_import(write_annex1(tmp_path / "p.xlsx", record), make_data(tmp_path))
    assert not report.refused, report.render()
    assert load(report.written[0].path)["intellectual_property"][0]["owners"] == owners


def test_partners_written_in_one_cell_or_holding_a_separator(tmp_path: Path) -> None:
    """Several enterprises in the one cell the annex gives them are several partners; a
    name holding a separator is written quoted, and comes back as one partner."""
    record = fixture("project")
    partners = ["Acme Medical Co., Ltd.", "测试用医疗科技有限公司", "甲；乙联合体"]
    record["intended_partners"] = {"in_province": partners}
    report = run_import(write_annex1(tmp_path / "p.xlsx", record), make_data(tmp_path))
    assert not report.refused, report.render()
    assert load(report.written[0].path)["intended_partners"] == {"in_province": partners}

    typed = fill(
        template(tmp_path / "t.xlsx"),
        {**PROJECT_ANNEX, "（省内）": "测试用甲医疗器械有限公司、测试用乙公司；\n测试用丙公司"},
    )
    report = run_import(typed, make_data(tmp_path, name="typed"))
    assert load(report.written[0].path)["intended_partners"]["in_province"] == [
        "测试用甲医疗器械有限公司",
        "测试用乙公司",
        "测试用丙公司",
    ]


def test_every_demo_project_survives_the_round_trip(demo_source: Path, tmp_path: Path) -> None:
    projects = sorted(demo_source.glob("projects/*/*.json"))[::2]  # 60: every class and stage
    assert len(projects) >= 60
    for index, path in enumerate(projects):
        record = orjson.loads(path.read_bytes())
        data = make_data(tmp_path, name=f"d{index}")
        report = run_import(write_annex1(tmp_path / f"{index}.xlsx", record), data)
        assert not report.refused, (path.name, report.render())
        back = load(report.written[0].path)
        wanted = {k: record.get(k) for k in on_form("project")}
        got = {k: back.get(k) for k in on_form("project")}
        assert unordered("project", got) == unordered("project", wanted), path.name


def test_a_cooperation_exported_and_imported_is_the_same(tmp_path: Path) -> None:
    project, enterprise, cooperation = (
        fixture(k) for k in ("project", "enterprise", "cooperation")
    )
    path = write_annex2(tmp_path / "c.xlsx", enterprise, [cooperation], {project["id"]: project})
    data = make_data(tmp_path, records=("project", "enterprise"))
    report = run_import(path, data)
    assert not report.refused, report.render()
    (back,) = [load(w.path) for w in report.written if w.kind == "cooperation" and w.path]
    for name in on_form("cooperation"):
        assert back.get(name) == cooperation.get(name), name
    # The enterprise part, into a catalogue without it (and without its id), comes back too.
    fresh = make_data(tmp_path, records=("project",), name="fresh")
    unnamed = {k: v for k, v in enterprise.items() if k != "id"}
    report = run_import(write_annex2(tmp_path / "e.xlsx", unnamed, [], {}), fresh)
    (made,) = [load(w.path) for w in report.written if w.kind == "enterprise"]
    for name in on_form("enterprise"):
        assert unordered("enterprise", made).get(name) == unordered("enterprise", enterprise).get(
            name
        ), name


@pytest.mark.parametrize("kind", ["project", "enterprise"])
def test_every_form_field_has_a_place_on_the_annex(kind: str) -> None:
    from springrain.intake.sheets.layout import layout

    form = layout("annex1" if kind == "project" else "annex2")
    placed = {a.field for a in form.answers()} | set(form.embedded)
    assert {el.id for el in elements(kind)} <= placed
