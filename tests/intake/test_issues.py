"""springrain intake: rendered issue-form bodies in, records and comments out (fictional data)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import orjson
import pytest

from springrain.config import DATA_DIR
from springrain.intake.forms import checkbox_option, form_elements
from springrain.intake.issues import WORD_JOINER, md_escape, run_intake, split_sections

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "intake"
TODAY = dt.date(2026, 6, 1)

PROJECT = {
    "所属行动方案": "SH-2026 上海市开展医疗器械临床创新成果转化“春雨行动”的实施方案",
    "所在省份": "上海市",
    "项目名称": "测试用智能输液监测装置",
    "单位名称": "测试用第一医院",
    "所在城市": "上海市",
    "项目负责人": "李测试",
    "联系途径": "测试用第一医院成果转化办公室",
    "项目类型": "有源",
    "产品分类": "第二类医疗器械",
    "项目所处阶段": "样品阶段",
    "工作原理/作用机理": "通过红外传感器监测滴速。",
    "适用范围/预期用途": "用于病房输液监测。",
    "承诺书": True,
    "是否愿意在平台发布": True,
}
ENTERPRISE = {
    "企业名称": "测试用医疗科技有限公司",
    "所在省份": "广东省",
    "通讯地址": "广东省广州市测试路1号",
    "统一社会信用代码": "91350100M000100Y43",
    "所属领域": "医用软件, 临床检验器械",
    "法人姓名": "赵测试",
    "注册资金（万元）": "1,000",
    "注册时间": "2015年3月8日",
    "高新技术企业": "是",
    "专精特新企业": "否",
    "企业概况": "测试用企业概况。",
    "已注册或生产的产品类别": "第二类医疗器械",
    "可接受的合作方式": "技术转让, 委托团队、专家长期技术服务",
    "业务覆盖地区": "广东省, 福建省",
    "联系途径": "企业商务拓展部",
}


def render(form: str, answers: dict[str, object]) -> str:
    """The body GitHub renders from a form: every field, in order, as ### sections."""
    parts = []
    for el in form_elements(form):
        value = answers.get(el.label)
        if el.widget == "checkbox":
            text = f"- [{'X' if value else ' '}] {checkbox_option(el)}"
        else:
            text = str(value) if value else "_No response_"
        parts.append(f"### {el.label}\n\n{text}")
    return "\n\n".join(parts) + "\n"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    target.mkdir()
    for table in DATA_DIR.glob("*.csv"):
        shutil.copy(table, target / table.name)
    return target


def intake(form: str, body: str, data: Path, **kwargs):
    return run_intake(form, body, data, today=TODAY, **{"author": "li-test", **kwargs})


def load(path: Path) -> dict:
    return orjson.loads(path.read_bytes())


def test_valid_project(data: Path) -> None:
    outcome = intake("project", render("project", PROJECT), data, issue=3)
    assert outcome.ok, outcome.comment
    record = load(data / "projects" / "SH" / "SH-2026-0001.json")
    assert record["programme"] == "SH-2026" and record["province"] == "SH"
    assert record["product_class"] == "第二类" and record["stage"] == "样品"
    assert record["status"] == "已提交" and record["submitted_by"] == "li-test"
    assert record["history"] == [
        {"date": "2026-06-01", "status": "已提交", "source": "GitHub issue #3"}
    ]
    assert "SH\\-2026\\-0001" in outcome.comment or "SH-2026-0001" in outcome.comment
    assert "| 产品分类 | 第二类医疗器械 |" in outcome.comment


def test_fixture_with_heading_typed_in_an_answer(data: Path) -> None:
    body = (FIXTURES / "project-valid.md").read_text(encoding="utf-8")
    outcome = intake("project", body, data, issue=4)
    assert outcome.ok, outcome.comment
    record = load(outcome.path)
    assert record["project_name"] == "示例：可降解输尿管支架"
    assert "### 项目名称" in record["working_principle"]
    assert record["intellectual_property"][1] == {
        "kind": "实用新型",
        "title": "支架输送器",
        "status": "申请中",
        "owners": ["示例医院"],
    }
    assert record["programme_listings"] == [{"level": "省", "name": "示例省科技计划", "year": 2024}]
    assert record["intended_partners"] == {"in_province": ["示例医疗器械有限公司"]}
    assert record["cooperation_modes_sought"] == ["技术转让", "联合开发"]


def test_crlf_full_width_and_stray_whitespace(data: Path) -> None:
    body = render("project", PROJECT).replace("### ", "  ＃＃＃　").replace("\n", "\r\n")
    body = body.replace("上海市\r\n", "  上海市  \r\n")
    outcome = intake("project", body, data)
    assert outcome.ok, outcome.comment
    assert load(outcome.path)["city"] == "上海市"


def test_split_sections_keeps_unknown_and_earlier_headings() -> None:
    labels = ["甲", "乙", "丙"]
    body = "### 甲\n\n一\n### 甲\n### 不是标签\n\n### 乙\n\n_No response_\n\n### 丙\n\n三"
    assert split_sections(body, labels) == {
        "甲": "一\n### 甲\n### 不是标签",
        "乙": None,
        "丙": "三",
    }
    # A later label typed in an answer does not cut it short while the real one follows.
    body = "### 甲\n\n一\n### 丙\n假\n\n### 乙\n\n二\n\n### 丙\n\n三"
    assert split_sections(body, labels) == {"甲": "一\n### 丙\n假", "乙": "二", "丙": "三"}


def test_missing_fields_are_listed_under_their_labels(data: Path) -> None:
    answers = {**PROJECT, "项目名称": None, "项目类型": None, "承诺书": False}
    answers["注册资金（万元）"] = "x"
    outcome = intake("project", render("project", answers), data)
    assert not outcome.ok
    assert not list((data / "projects").rglob("*.json")) if (data / "projects").exists() else True
    labels = {p.label for p in outcome.problems}
    assert {"项目名称", "项目类型", "承诺书"} <= labels
    assert "**「项目名称」**" in outcome.comment
    assert "Edit" in outcome.comment


def test_bad_choices_and_list_lines(data: Path) -> None:
    answers = {**PROJECT, "产品分类": "第四类", "知识产权情况": "发明专利 | 只有两部分"}
    outcome = intake("project", render("project", answers), data)
    assert not outcome.ok
    messages = " ".join(p.message_zh for p in outcome.problems)
    assert "第四类" in messages and "第1行只有2个部分" in messages


def test_a_list_line_with_more_parts_than_the_form_is_refused_not_cut(data: Path) -> None:
    """The parts past the last would be no field: dropped, they were lost without a word."""
    line = "发明专利 | 一种测试用支架 | 已授权 | 测试用医院 | ZL202010000000.1 | 测试用大学"
    outcome = intake("project", render("project", {**PROJECT, "知识产权情况": line}), data)
    assert not outcome.ok
    messages = " ".join(p.message_zh for p in outcome.problems)
    assert "第1行有6个部分，最多只能有5个" in messages


def test_contact_data_is_refused_and_nothing_written(data: Path) -> None:
    answers = {**PROJECT, "工作原理/作用机理": "详询 138 1234 5678 或 a.b@example.com"}
    outcome = intake("project", render("project", answers), data)
    assert not outcome.ok
    assert not (data / "projects").exists() or not list((data / "projects").rglob("*.json"))
    assert "手机号码" in outcome.comment and "电子邮箱" in outcome.comment
    assert "5678" not in outcome.comment and "example" not in outcome.comment


def test_hostile_text_is_inert_in_the_comment(data: Path) -> None:
    hostile = "[点我](https://evil.example/x) @octocat #12 <img src=x onerror=alert(1)> **粗** | x"
    answers = {**PROJECT, "项目名称": hostile}
    outcome = intake("project", render("project", answers), data)
    assert outcome.ok, outcome.comment
    assert load(outcome.path)["project_name"] == hostile  # stored as written
    comment = outcome.comment
    for raw in ("[点我](", "@octocat", "#12", "**粗**", "https://", " | x"):
        assert raw not in comment
    assert re.search(r"(?<!\\)[<>\[\]]", comment.split("| 项目名称 |")[1].split("\n")[0]) is None
    assert f"@{WORD_JOINER}octocat" in comment


def test_md_escape() -> None:
    assert md_escape("a_b*c") == "a\\_b\\*c"
    assert md_escape("x" * 200, limit=10).endswith("…")
    assert "\n" not in md_escape("一\n## 二\r\n三")
    assert md_escape("www.example.com") == f"www{WORD_JOINER}\\.example\\.com"


def test_ids_are_never_reused(data: Path) -> None:
    folder = data / "projects" / "SH"
    folder.mkdir(parents=True)
    (folder / "SH-2026-0003.json").write_text("{}", encoding="utf-8")
    (folder / "SH-2026-0005.json").write_text("{}", encoding="utf-8")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=data, check=True)
    subprocess.run([*git, "add", "."], cwd=data, check=True)
    subprocess.run([*git, "commit", "-qm", "a"], cwd=data, check=True)
    subprocess.run([*git, "rm", "-q", "projects/SH/SH-2026-0005.json"], cwd=data, check=True)
    subprocess.run([*git, "commit", "-qm", "b"], cwd=data, check=True)
    outcome = intake("project", render("project", PROJECT), data)
    assert outcome.record_id == "SH-2026-0006", outcome.comment


def test_editing_the_issue_updates_the_same_record(data: Path) -> None:
    first = intake("project", render("project", PROJECT), data, issue=9)
    second = intake(
        "project", render("project", {**PROJECT, "所在城市": "上海市浦东新区"}), data, issue=9
    )
    assert first.record_id == second.record_id
    assert load(second.path)["city"] == "上海市浦东新区"
    assert len(list((data / "projects").rglob("*.json"))) == 1


def test_enterprise_and_cooperation(data: Path) -> None:
    ent = intake("enterprise", render("enterprise", ENTERPRISE), data)
    assert ent.ok, ent.comment
    record = load(data / "enterprises" / "ENT-0001.json")
    assert record["fields"] == ["21", "22"] and record["registered_capital"] == 1000
    assert record["registration_date"] == "2015-03-08" and record["high_tech"] is True
    assert record["cooperation_modes"] == ["技术转让", "委托团队、专家长期技术服务"]
    project = intake("project", render("project", PROJECT), data)
    coop = intake(
        "cooperation",
        render(
            "cooperation",
            {"项目编号": project.record_id, "企业编号": "ENT-0001", "合作方式": "联合开发"},
        ),
        data,
        issue=5,
    )
    assert coop.ok, coop.comment
    record = load(data / "cooperations" / "COOP-0001.json")
    assert record["status"] == "意向" and record["history"][0]["note"] == "GitHub issue #5"


def test_correction(data: Path) -> None:
    project = intake("project", render("project", PROJECT), data)
    answers = {
        "记录编号": project.record_id,
        "需要更正的字段": "项目名称",
        "更正后的内容": "测试用智能输液监测装置（二代）",
        "更正理由": "名称变更",
        "确认": True,
    }
    outcome = run_intake("correction", render("correction", answers), data, author="li-test")
    assert outcome.ok, outcome.comment
    assert load(project.path)["project_name"] == "测试用智能输液监测装置（二代）"
    assert "维护者审核合并请求后更正即会生效" in outcome.comment
    # Someone else's correction: written for the permission check to judge, which refuses
    # it unless they maintain the programme; the comment says no pull request will follow.
    third = {**answers, "更正后的内容": "测试用智能输液监测装置（三代）"}
    other = run_intake("correction", render("correction", third), data, author="someone-else")
    assert other.ok and "不是这条记录的提交人" in other.comment
    assert "不会为这项更正打开合并请求" in other.comment
    assert "维护者审核合并请求后更正即会生效" not in other.comment
    # The submitter's own correction of what only a maintainer may change: the same.
    nmpa = "NMPA-2026 国家药监局综合司关于开展医疗器械临床创新成果转化“春雨行动”的通知"
    programme = {**answers, "需要更正的字段": "所属行动方案", "更正后的内容": nmpa}
    guarded = run_intake("correction", render("correction", programme), data, author="li-test")
    assert guarded.ok and "「所属行动方案」登记后只能由维护者修改" in guarded.comment
    # The new value as the form shows it (the programme's words, not its code).
    assert "国家药监局综合司关于开展医疗器械临床创新成果转化" in guarded.comment
    # A correction to what the record already says (each correction above was written
    # here in turn) changes nothing, and says so.
    same = run_intake("correction", render("correction", third), data, author="li-test")
    assert not same.ok and "已经是这个内容" in same.comment
    refused = run_intake(
        "correction", render("correction", {**answers, "需要更正的字段": "当前状态"}), data
    )
    assert not refused.ok and "状态" in refused.comment
    missing = run_intake(
        "correction", render("correction", {**answers, "记录编号": "SH-2026-9999"}), data
    )
    assert not missing.ok and "找不到" in missing.comment
    cleared = run_intake(
        "correction", render("correction", {**answers, "更正后的内容": None}), data
    )
    assert not cleared.ok and "必填" in cleared.comment


def test_cli(run_cli, data: Path, tmp_path: Path) -> None:
    body = tmp_path / "body.md"
    body.write_text(render("project", PROJECT), encoding="utf-8")
    comment = tmp_path / "comment.md"
    code, output = run_cli(
        "intake",
        "--form",
        "project",
        "--body",
        str(body),
        "--author",
        "li-test",
        "--issue",
        "2",
        "--data",
        str(data),
        "--comment",
        str(comment),
        "--today",
        "2026-06-01",
    )
    assert code == 0, output
    assert "SH-2026-0001" in comment.read_text(encoding="utf-8")
    body.write_text(render("project", {**PROJECT, "项目名称": None}), encoding="utf-8")
    code, output = run_cli("intake", "--form", "project", "--body", str(body), "--data", str(data))
    assert code == 1 and "项目名称" in output


def test_an_enterprise_registered_again_updates_its_record(data: Path) -> None:
    first = intake("enterprise", render("enterprise", ENTERPRISE), data, issue=1)
    again = intake(
        "enterprise",
        render("enterprise", {**ENTERPRISE, "企业概况": "更新后的概况。"}),
        data,
        issue=2,
    )
    assert first.record_id == again.record_id == "ENT-0001"
    assert load(again.path)["profile"] == "更新后的概况。"


def test_a_line_repeating_the_next_label_makes_the_body_ambiguous_and_refused(
    data: Path,
) -> None:
    """Either heading could start the next answer: guessing moved text between fields."""
    answers = {**PROJECT, "工作原理/作用机理": "```\n### 适用范围/预期用途\n另一段\n```"}
    outcome = intake("project", render("project", answers), data)
    assert not outcome.ok
    assert [p.label for p in outcome.problems] == ["适用范围/预期用途"]
    assert "无法确定各栏的内容" in outcome.problems[0].message_zh
