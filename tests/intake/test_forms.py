"""Issue forms: generated from the schemas, current, and shaped as GitHub expects."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from springrain.config import REPO_ROOT
from springrain.intake.forms import LIST_QUOTES, line_items, lines_text, list_items, list_text
from springrain.model.schemas import fields, vocabulary_labels

TEMPLATES = REPO_ROOT / ".github" / "ISSUE_TEMPLATE"


def load(name: str) -> dict:
    return yaml.safe_load((TEMPLATES / name).read_text(encoding="utf-8"))


def test_labels_are_the_schema_titles_verbatim() -> None:
    form = load("1-project.yml")
    labels = [item["attributes"].get("label") for item in form["body"][1:]]
    for title in (
        "项目名称",
        "工作原理/作用机理",
        "适用范围/预期用途",
        "承诺书",
        "是否愿意在平台发布",
    ):
        assert title in labels
    assert len(labels) == len(set(labels))
    assert form["labels"] == ["项目申报"]
    ids = [item.get("id") for item in form["body"]]
    for field in fields("project"):
        # The schema's x-set-by says which fields are on the form and which are not.
        assert (field.name in ids or any(i and i.startswith(field.name + "__") for i in ids)) == (
            field.on_form
        ), field.name
    by_name = {f.name: f.title_zh for f in fields("project")}
    assert {by_name["project_name"], by_name["intended_use"]} <= set(labels)


def test_every_form_has_the_public_notice_and_its_own_label() -> None:
    seen = set()
    for name in ("1-project.yml", "2-enterprise.yml", "3-cooperation.yml", "4-correction.yml"):
        form = load(name)
        first = form["body"][0]
        assert first["type"] == "markdown"
        for word in ("公开", "手机号码", "电子邮箱", "身份证号码"):
            assert word in first["attributes"]["value"]
        seen.add(form["labels"][0])
        ids = [item.get("id") for item in form["body"] if "id" in item]
        assert len(ids) == len(set(ids))
    assert len(seen) == 4


def test_dropdowns_come_from_vocabularies_and_checkboxes_are_required() -> None:
    form = {item.get("id"): item for item in load("1-project.yml")["body"]}
    assert form["stage"]["type"] == "dropdown"
    assert form["stage"]["attributes"]["options"] == list(vocabulary_labels("stages").values())
    assert form["cooperation_modes_sought"]["attributes"]["multiple"] is True
    for name in ("commitment", "publish_consent"):
        assert form[name]["type"] == "checkboxes"
        assert form[name]["attributes"]["options"][0]["required"] is True
    assert "我承诺填报项目信息真实可靠" in form["commitment"]["attributes"]["options"][0]["label"]
    assert form["intellectual_property"]["type"] == "textarea"
    assert "|" in form["intellectual_property"]["attributes"]["description"]
    enterprise = {item.get("id"): item for item in load("2-enterprise.yml")["body"]}
    assert enterprise["high_tech"]["attributes"]["options"] == ["是", "否"]
    assert "不要填写个人电话或邮箱" in enterprise["contact_route"]["attributes"]["description"]


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("甲、乙，丙;丁；戊,己", ["甲", "乙", "丙", "丁", "戊", "己"]),
        ("“Acme Co., Ltd.”、乙", ["Acme Co., Ltd.", "乙"]),
        ("企业“某某，有限”公司、乙", ["企业“某某，有限”公司", "乙"]),
        ("、 ，“”", []),
        ("“未闭合，甲", ["“未闭合", "甲"]),  # a quote never closed is a plain character
        ('"Acme Co., Ltd."、乙', ["Acme Co., Ltd.", "乙"]),
        ("「甲，乙」、丙", ["甲，乙", "丙"]),
        ("示例医院、上海某大学”", ["示例医院", "上海某大学”"]),
        # Brackets keep their separators, and stay part of the name.
        ("甲公司（原乙公司、丙公司合并）、丁", ["甲公司（原乙公司、丙公司合并）", "丁"]),
        ("Acme Medical (Shanghai, China) Ltd", ["Acme Medical (Shanghai, China) Ltd"]),
        ("甲（未闭合、乙", ["甲（未闭合", "乙"]),
        # An ASCII comma inside Latin text is part of the name; between Chinese names not.
        ("Boston Scientific (Shanghai) Co., Ltd.", ["Boston Scientific (Shanghai) Co., Ltd."]),
        ("Acme Co.,Ltd.、乙", ["Acme Co.,Ltd.", "乙"]),
        ("甲公司,乙公司", ["甲公司", "乙公司"]),
        ("Acme, 乙公司", ["Acme", "乙公司"]),
        ("‘甲，乙’、＂丙，丁＂", ["甲，乙", "丙，丁"]),
    ],
)
def test_list_items_split_outside_quotes(text: str, items: list[str]) -> None:
    assert list_items(text) == items


@pytest.mark.parametrize(
    ("line", "names"),
    [
        # Numbered in one line, as people number in one cell.
        (
            "1、甲医疗器械有限公司 2、乙医疗科技有限公司",
            ["甲医疗器械有限公司", "乙医疗科技有限公司"],
        ),
        ("1.甲公司；2.乙公司", ["甲公司", "乙公司"]),
        ("（1）甲公司（2）乙公司(3)丙公司", ["甲公司", "乙公司", "丙公司"]),
        ("①甲公司②乙公司", ["甲公司", "乙公司"]),
        ("2、丙公司 3、丁公司", ["丙公司", "丁公司"]),
        ("1、3M中国有限公司 2、强生", ["3M中国有限公司", "强生"]),
        ("一、甲公司 二、乙公司", ["甲公司", "乙公司"]),
        ("（一）甲（二）乙（三）丙", ["甲", "乙", "丙"]),
        ("十一、甲 十二、乙", ["甲", "乙"]),
        ("１、甲公司 ２、乙公司", ["甲公司", "乙公司"]),
        ("1．甲公司 2．乙公司", ["甲公司", "乙公司"]),
        ("⑴甲公司⑵乙公司", ["甲公司", "乙公司"]),
        ("三一重工、徐工集团", ["三一重工", "徐工集团"]),
        # Numbers that are no list numbers: names, brackets, a number out of turn.
        ("3.14科技有限公司", ["3.14科技有限公司"]),
        ("360、腾讯", ["360", "腾讯"]),
        ("1、甲公司（原2、乙公司）", ["甲公司（原2、乙公司）"]),
        ("甲公司12.乙公司", ["甲公司12.乙公司"]),
        ("1、甲公司、2号工厂", ["甲公司", "2号工厂"]),
        ("1、甲公司 3、乙公司", ["甲公司 3", "乙公司"]),
        # A comma before a legal form is part of the name; between names it separates them.
        ("Siemens, Philips、华为", ["Siemens", "Philips", "华为"]),
        ("Medtronic Co.，Ltd.", ["Medtronic Co.，Ltd."]),
        ("Boston Scientific (China), Ltd", ["Boston Scientific (China), Ltd"]),
        ("Acme Medical, Inc.; Beta GmbH", ["Acme Medical, Inc.", "Beta GmbH"]),
        ("Acme, Ltda", ["Acme", "Ltda"]),
        ("Boston Scientific（China）, Ltd", ["Boston Scientific（China）, Ltd"]),
        ("Acme Co.,  Ltd.；Beta Co. , Ltd.", ["Acme Co.,  Ltd.", "Beta Co. , Ltd."]),
        ("Ａｃｍｅ　Ｃｏ．，Ｌｔｄ．", ["Ａｃｍｅ\u3000Ｃｏ．，Ｌｔｄ．"]),
        ("Fresenius SE & Co., KGaA", ["Fresenius SE & Co., KGaA"]),
        # Words that say there is none, but in quotes a name.
        ("无", []),
        ("暂无。", []),
        ("“无”", ["无"]),
        ("甲公司、无", ["甲公司"]),
        ("暂未确定；待确定、——、NA、None、目前暂无", []),
    ],
)
def test_line_items_read_names_as_people_write_them(line: str, names: list[str]) -> None:
    assert line_items(line) == names


@pytest.mark.parametrize(
    "values",
    [
        ["3.14科技有限公司", "1、甲公司", "·丙公司", "360、腾讯"],
        ["无", "待定。"],
        ["甲公司（北京", "乙）"],  # a bracket left open would swallow the next name
        ["甲‘分公司", "乙’"],
        ['甲"', '"乙'],
        ["（1）甲", "①乙"],
        ["1", "2"],
        ["1", "甲"],  # 1、 would read as a list number
        ["Siemens, Philips", "Acme Co., Ltd."],
    ],
)
def test_what_is_written_reads_back_as_written(values: list[str]) -> None:
    assert list_items(list_text(values)) == values
    assert [n for line in lines_text(values).split("\n") for n in line_items(line)] == values


# Names made of what lists are read by: separators, quotes, brackets, list numbers, bullets.
NAME_CHARS = '甲乙Ab1 2.、，,;；“”「」"‘’＂（）()①·-无/Ltd一二十１２．⑴⒈Ｃｏ．，\u3000'
names = st.text(NAME_CHARS, min_size=1, max_size=12).filter(
    lambda name: name == name.strip() and not all(c in name for c in LIST_QUOTES.values())
)


@settings(max_examples=400, deadline=None)
@given(st.lists(names, min_size=1, max_size=4))
def test_any_list_of_names_reads_back_as_written(values: list[str]) -> None:
    assert list_items(list_text(values)) == values
    assert [n for line in lines_text(values).split("\n") for n in line_items(line)] == values


@pytest.mark.parametrize(
    "values",
    [
        ["Acme Co., Ltd.", "乙"],
        ["甲；乙", "丙、丁", "戊"],
        ["企业“某某”", "乙"],
        ["甲"],
        ["示例“星火”医疗科技有限公司, 分公司", "乙"],  # quotes and a comma
        ["“A, B”", "“A”", "c"],  # quotes around the whole name are part of it
    ],
)
def test_list_text_is_read_back_as_the_same_items(values: list[str]) -> None:
    assert list_items(list_text(values)) == values


def test_a_long_hostile_list_is_read_in_one_pass() -> None:
    """Unclosed quotes and separators by the ten thousand: read once, not once each."""
    text = "“" * 30_000 + "、" * 30_000 + '"' * 30_000
    assert list_items(text) == ["“" * 30_000, '"' * 30_000]
    brackets = "（" * 30_000 + "甲、" * 30_000 + "(" * 30_000 + "Co., Ltd " * 30_000
    assert len(list_items(brackets)) == 30_001
    # A list number expected at every digit, none of them one.
    assert list_items("1、" + "甲2" * 30_000) == ["甲2" * 30_000]
