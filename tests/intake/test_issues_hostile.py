"""springrain intake against hostile or careless submissions: numbers that are not numbers,
other people's records, links planted in data/, oversize bodies, contact data in any
spelling. Nothing crashes, nothing is written that should not be, the comment says why."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_issues import ENTERPRISE, PROJECT, intake, load, render
from test_issues import data as data

from contact_corpus import refused
from springrain.intake.issues import MAX_BODY_CHARS


def written(data: Path) -> list[str]:
    return sorted(p.relative_to(data).as_posix() for p in data.rglob("*.json"))


@pytest.mark.parametrize(
    "value",
    [
        "inf",
        "nan",
        "-inf",
        "1e400",
        "12345678901234567890",
        "1e5",
        "0x10",
        "１２３４５６７８９０１２３",
        "∞",
        "1000元",  # 元, not 万元: refused, never read as 1000万元
        "1000人民币",
        "人民币1000",  # a currency but no 万: not read as 1000万元
        "万元",
        "1000万美元",
        "1,5万元",  # 1.5 or 15? A comma only between groups of three
        "1.000,5",
        "10,00",
    ],
)
def test_a_number_that_is_not_one_gets_a_clear_message(data: Path, value: str) -> None:
    outcome = intake(
        "enterprise", render("enterprise", {**ENTERPRISE, "注册资金（万元）": value}), data, issue=4
    )
    assert not outcome.ok
    assert "注册资金" in outcome.comment and "数字" in outcome.comment
    assert written(data) == []


@pytest.mark.parametrize(
    "value, capital",
    [
        ("1,000.5万元", 1000.5),
        ("1000万", 1000),
        ("人民币1000万元", 1000),
        ("1000万元人民币", 1000),
        ("1000 万人民币", 1000),
        ("1,000,000", 1_000_000),
        ("１，０００．５万元", 1000.5),
    ],
)
def test_ordinary_numbers_are_read(data: Path, value: str, capital: float) -> None:
    outcome = intake(
        "enterprise",
        render("enterprise", {**ENTERPRISE, "注册资金（万元）": value}),
        data,
        issue=4,
    )
    assert outcome.ok, outcome.comment
    assert load(outcome.path)["registered_capital"] == capital


def test_someone_elses_enterprise_is_not_rewritten(data: Path) -> None:
    first = intake("enterprise", render("enterprise", ENTERPRISE), data, issue=1, author="owner")
    before = first.path.read_bytes()
    for change in (
        {},  # the same name and credit code
        {"企业名称": "另一个名字"},  # the same credit code
        {"统一社会信用代码": None},  # the same name
    ):
        again = intake(
            "enterprise",
            render("enterprise", {**ENTERPRISE, "企业概况": None, **change}),
            data,
            issue=2,
            author="mallory",
        )
        assert not again.ok
        assert "已由他人登记" in again.comment and "4\\-correction" in again.comment
        assert first.path.read_bytes() == before
    assert written(data) == ["enterprises/ENT-0001.json"]


def test_the_submitters_own_record_is_updated_without_blanking(data: Path) -> None:
    first = intake("enterprise", render("enterprise", ENTERPRISE), data, issue=1)
    again = intake(
        "enterprise",
        render("enterprise", {**ENTERPRISE, "企业概况": "更新后的概况。", "通讯地址": None}),
        data,
        issue=2,
    )
    assert again.ok, again.comment
    record = load(again.path)
    assert record["profile"] == "更新后的概况。"
    assert record["address"] == load(first.path)["address"] == "广东省广州市测试路1号"


def test_editing_ones_own_issue_replaces_its_answers(data: Path) -> None:
    first = intake(
        "project", render("project", {**PROJECT, "所在部门（科室）": "外科"}), data, issue=3
    )
    assert "department" in load(first.path)
    again = intake("project", render("project", PROJECT), data, issue=3)
    assert again.record_id == first.record_id and "department" not in load(again.path)


def test_editing_ones_own_issue_cannot_change_what_only_a_maintainer_may(data: Path) -> None:
    """The programme is the submission's: the permission check lets only a maintainer change
    it afterwards, so an edit of the issue that changes it is refused before anything is
    written, and the submitter is told what to do."""
    first = intake("project", render("project", PROJECT), data, issue=3)
    before = first.path.read_bytes()
    nmpa = "NMPA-2026 国家药监局综合司关于开展医疗器械临床创新成果转化“春雨行动”的通知"
    changed = {**PROJECT, "所属行动方案": nmpa, "所在城市": "上海市浦东新区"}
    again = intake("project", render("project", changed), data, issue=3)
    assert not again.ok
    assert "所属行动方案" in again.comment and "只能由维护者修改" in again.comment
    assert "上海市开展医疗器械临床创新成果转化" in again.comment and "信息更正" in again.comment
    assert first.path.read_bytes() == before  # the city's change waits too
    assert written(data) == ["projects/SH/SH-2026-0001.json"]


def test_an_intent_for_someone_elses_enterprise_is_refused_before_it_is_written(
    data: Path,
) -> None:
    """Only whoever registered an enterprise may declare its intent (the permission check's
    rule): intake says so at once, where it said ✅ and its own check then failed."""
    intake("enterprise", render("enterprise", ENTERPRISE), data, issue=1, author="ent-owner")
    project = intake("project", render("project", PROJECT), data, issue=2)
    answers = {"项目编号": project.record_id, "企业编号": "ENT-0001", "合作方式": "联合开发"}
    refused = intake("cooperation", render("cooperation", answers), data, issue=5)
    assert not refused.ok and "合作意向只能由企业的登记人提交" in refused.comment
    assert not (data / "cooperations").exists()
    mine = intake("cooperation", render("cooperation", answers), data, issue=6, author="ent-owner")
    assert mine.ok, mine.comment


def test_an_unreadable_answer_in_an_edit_is_told_as_unreadable(data: Path) -> None:
    """An answer intake cannot read is not reported as a change only a maintainer may make
    (the submitter did not mean to change it), and other problems are not hidden."""
    intake("project", render("project", PROJECT), data, issue=3)
    edited = {**PROJECT, "所属行动方案": "上海的方案", "项目名称": None}
    again = intake("project", render("project", edited), data, issue=3)
    assert not again.ok
    assert "只能由维护者修改" not in again.comment
    assert "所属行动方案" in again.comment and "项目名称" in again.comment


def test_a_cooperation_edited_to_another_enterprise_is_refused(data: Path) -> None:
    intake("enterprise", render("enterprise", ENTERPRISE), data, issue=1)
    intake("enterprise", render("enterprise", {**ENTERPRISE, "企业名称": "测试用乙公司"}), data)
    project = intake("project", render("project", PROJECT), data, issue=2)
    answers = {"项目编号": project.record_id, "企业编号": "ENT-0001", "合作方式": "联合开发"}
    first = intake("cooperation", render("cooperation", answers), data, issue=5)
    assert first.ok, first.comment
    again = intake(
        "cooperation", render("cooperation", {**answers, "企业编号": "ENT-0002"}), data, issue=5
    )
    assert not again.ok and "只能由维护者修改" in again.comment
    assert load(first.path)["enterprise"] == "ENT-0001"


@pytest.mark.parametrize("target", ["/dev/null", "../../programmes.csv"])
def test_a_link_planted_in_data_is_never_written_through(data: Path, target: str) -> None:
    folder = data / "projects" / "SH"
    folder.mkdir(parents=True)
    (folder / "SH-2026-0001.json").symlink_to(target)
    before = (data / "programmes.csv").read_bytes()
    outcome = intake("project", render("project", PROJECT), data, issue=3)
    assert not outcome.ok or outcome.record_id != "SH-2026-0001"
    assert (folder / "SH-2026-0001.json").is_symlink()
    assert (data / "programmes.csv").read_bytes() == before


def test_a_linked_folder_is_never_written_into(data: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (data / "projects").mkdir()
    (data / "projects" / "SH").symlink_to(elsewhere)
    outcome = intake("project", render("project", PROJECT), data, issue=3)
    assert not outcome.ok and "异常文件" in outcome.comment
    assert os.listdir(elsewhere) == []


def test_an_oversize_body_is_refused_before_it_is_read(data: Path) -> None:
    outcome = intake("project", render("project", PROJECT) + "x" * MAX_BODY_CHARS, data, issue=3)
    assert not outcome.ok and "超过上限" in outcome.comment
    assert written(data) == []


@pytest.mark.parametrize(("kind", "text"), refused())
def test_every_contact_spelling_is_refused_and_nothing_written(
    data: Path, kind: str, text: str
) -> None:
    outcome = intake(
        "project",
        render("project", {**PROJECT, "工作原理/作用机理": f"原理说明。联系{text}"}),
        data,
        issue=3,
    )
    assert not outcome.ok and "个人联系方式" in outcome.comment
    assert written(data) == []


@pytest.mark.parametrize("form", ["project", "enterprise"])
def test_half_a_surrogate_pair_is_refused_not_a_crash(data: Path, form: str) -> None:
    """JSON can carry a lone surrogate (\\ud800), which no file can store: the submitter is
    told, nothing is written."""
    answers = PROJECT if form == "project" else ENTERPRISE
    name = "项目名称" if form == "project" else "企业名称"
    body = render(form, {**answers, name: f"测试\ud800{answers[name]}"})
    outcome = intake(form, body, data, issue=4)
    assert not outcome.ok
    assert "U+D800" in outcome.problems[0].message_zh and "议题正文" in outcome.comment
    assert written(data) == []


def test_a_project_cannot_move_to_another_province(data: Path) -> None:
    """The id carries the province: an edited issue or a correction that changes it is
    refused, and the record's file is left as it was, with no copy beside it."""
    first = intake("project", render("project", PROJECT), data, issue=5)
    assert first.ok, first.comment
    before = first.path.read_bytes()
    edited = intake("project", render("project", {**PROJECT, "所在省份": "广东省"}), data, issue=5)
    assert not edited.ok
    assert "「所在省份」不能再通过议题或更正申请修改" in edited.comment
    correction = {
        "记录编号": first.record_id,
        "需要更正的字段": "所在省份",
        "更正后的内容": "广东省",
        "确认": True,
    }
    corrected = intake("correction", render("correction", correction), data)
    assert not corrected.ok and "所在省份" in corrected.comment
    assert written(data) == [f"projects/SH/{first.record_id}.json"]
    assert first.path.read_bytes() == before


@pytest.mark.parametrize(
    "content",
    [
        b"[]",
        b'"text"',
        b"{not json",
        b"",
        # Without what places the file (once, the bot stopped with a KeyError).
        '{"id": "SH-2026-0002", "project_name": "旧名字"}'.encode(),
        '{"province": "SH", "project_name": "旧名字"}'.encode(),
    ],
)
def test_a_correction_of_a_damaged_record_says_so(data: Path, content: bytes) -> None:
    damaged = data / "projects" / "SH" / "SH-2026-0002.json"
    damaged.parent.mkdir(parents=True)
    damaged.write_bytes(content)
    correction = {
        "记录编号": "SH-2026-0002",
        "需要更正的字段": "项目名称",
        "更正后的内容": "新名字",
        "确认": True,
    }
    outcome = intake("correction", render("correction", correction), data)
    assert not outcome.ok
    assert "已损坏" in outcome.comment and "找不到" not in outcome.comment
    assert damaged.read_bytes() == content


def test_partners_and_listed_years_as_people_write_them() -> None:
    """A company named by a number keeps it, "none" in its spellings names no partner, and
    a year is a whole number with no unit."""
    from springrain.intake.forms import form_elements
    from springrain.intake.issues import Problem, answer_value

    elements = {el.id: el for el in form_elements("project")}
    problems: list[Problem] = []
    partners = answer_value(
        elements["intended_partners__in_province"],
        "360、腾讯、阿里巴巴\n1.甲公司\n暂无意向、N/A、/、無",
        problems,
    )
    assert partners == ["360", "腾讯", "阿里巴巴", "甲公司"] and not problems
    for year in ("2024.9", "人民币2024万元"):
        problems = []
        listed = answer_value(elements["programme_listings"], f"省级 | 测试计划 | {year}", problems)
        assert problems and all("year" not in item for item in listed or []), year


@pytest.mark.parametrize(
    ("line", "item"),
    [
        ("国家级 | 测试计划 | 2023年", {"level": "国家", "name": "测试计划", "year": 2023}),
        ("市级立项 | 测试计划 | ２０２３ 年", {"level": "市", "name": "测试计划", "year": 2023}),
        ("省 | 测试计划", {"level": "省", "name": "测试计划"}),
    ],
)
def test_a_listing_as_people_write_it(line: str, item: dict) -> None:
    """The level as the annex names it (国家、省、市) or with 级, and the year with 年."""
    from springrain.intake.forms import form_elements
    from springrain.intake.issues import Problem, answer_value

    el = next(e for e in form_elements("project") if e.id == "programme_listings")
    problems: list[Problem] = []
    assert answer_value(el, line, problems) == [item] and not problems


def test_a_year_is_digits_even_with_its_unit() -> None:
    from springrain.intake.forms import form_elements
    from springrain.intake.issues import Problem, answer_value

    el = next(e for e in form_elements("project") if e.id == "programme_listings")
    for year in ("二〇二三年", "年", "2023年年", "2023.5年"):
        problems: list[Problem] = []
        listed = answer_value(el, f"省级 | 测试计划 | {year}", problems)
        assert problems and all("year" not in item for item in listed or []), year


def test_a_choice_in_other_letter_case_is_the_choice(data: Path) -> None:
    """sh-2026 is the programme SH-2026 (typed, or edited into the issue)."""
    outcome = intake("project", render("project", {**PROJECT, "所属行动方案": "sh-2026"}), data)
    assert outcome.ok, outcome.comment
    assert load(outcome.path)["programme"] == "SH-2026"
