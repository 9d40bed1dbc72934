"""GitHub issue forms, derived from the record schemas, and the elements intake parses back.

One ``Element`` per form field: its Chinese label (the schema title, verbatim), the widget
GitHub shows, where its value goes in a record, and the choices of a dropdown. The same list
writes ``.github/ISSUE_TEMPLATE/*.yml`` and tells ``springrain.intake`` how to read the body
GitHub renders, so the two cannot drift apart.

List-valued fields of objects (intellectual property, programme listings) become a textarea
with one item a line and the parts separated by ``|``; the format text shown on the form is
built from the item schema's own titles.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from springrain.config import DATA_DIR
from springrain.model.schemas import Field, fields, vocabulary_labels

FORMS = ("project", "enterprise", "cooperation", "correction")
PART_SEPARATOR = "|"
# What separates the parts of a list line as read: | or its full-width form (each part
# stripped after; \s* around it would be quadratic).
PART_SPLIT = re.compile(r"[|｜]")
OWNER_SEPARATOR = "、"
# A list in one answer (owners of an IP right, …): items split at any of these separators,
# but not inside quotes, in which an item holding one is written (“Acme Co., Ltd.”). A
# quote that is never closed is a plain character. Read in one pass (the text is a
# stranger's, and may be long).
LIST_SEPARATORS = ",，、;；"
# opening → closing, the first preferred
LIST_QUOTES = {"“": "”", "「": "」", '"': '"', "‘": "’", "＂": "＂"}
# Brackets keep the separators inside them too (某公司（原甲、乙公司合并）), as quotes do,
# but stay part of the item.
LIST_BRACKETS = {"（": "）", "(": ")"}
# A number that starts a list's item: 1、 1. 1) 1） (1) （1）, in full-width digits too; 一、
# （一） in Chinese numerals; or one character of ① … ⑳, ⑴ … ⒇, ⒈ … ⒛. At most two digits
# (360、腾讯 is a name) and no digit after its full stop (3.14科技 is a name).
DIGIT = "0-9０-９"
CHINESE_NUMERALS = "一二三四五六七八九十"
# The single characters that are numbered list marks: each run's first (its number 1), and
# how many there are in a run (① … ⑳).
NUMBERED_MARKS = ("①", "⑴", "⒈")
MARK_RUN = 20
_MARKS = "".join(f"{first}-{chr(ord(first) + MARK_RUN - 1)}" for first in NUMBERED_MARKS)
LIST_NUMBER = (
    rf"(?:[{DIGIT}]{{1,2}}(?:[.．](?![{DIGIT}])|[、)）])|[(（][{DIGIT}]{{1,2}}[)）]"
    rf"|[{CHINESE_NUMERALS}]{{1,3}}、|[(（][{CHINESE_NUMERALS}]{{1,3}}[)）]|[{_MARKS}])"
)
# What starts a line of a list answer: a bullet or a list number, read as no part of it.
BULLET = re.compile(rf"^\s*(?:[-*•·]|{LIST_NUMBER})\s*")
_LIST_NUMBER = re.compile(LIST_NUMBER)
# A company's legal form after a comma (Co., Ltd.; (China), Ltd; Co.，Ltd.): that comma is
# part of the name, where between two names (Siemens, Philips) it separates them.
LEGAL_FORM = (
    r" {0,2}(?:Co|Corp|Corporation|Company|Ltd|Limited|Inc|Incorporated|LLC|L\.L\.C|LLP"
    r"|L\.P|GmbH|KGaA|AG|S\.A|S\.p\.A|SpA|B\.V|N\.V|PLC|Pty|K\.K)(?![A-Za-z])"
)
# How far after a comma a legal form is looked for (read as NFKC: Ｃｏ．，Ｌｔｄ．).
LEGAL_FORM_REACH = 16
_LEGAL_FORM = re.compile(LEGAL_FORM, re.IGNORECASE)
# Answers that say there is nothing to list (无, 暂无, 待定): no item of a list of names.
NO_ITEM_WORDS = (
    "无",
    "無",
    "暂无",
    "没有",
    "尚无",
    "待定",
    "不详",
    "无意向",
    "暂无意向",
    "无合作意向",
    "暂无合作企业",
    "无意向合作企业",
    "N/A",
    "NA",
    "None",
    "/",
    "—",
    "——",
    "待确定",
    "暂未确定",
    "目前暂无",
)


def _closed(text: str) -> bool:
    """Whether every quote and bracket of ``text`` opens and closes within it, so that
    written between separators it cannot swallow its neighbours."""
    closings = set(LIST_QUOTES.values()) | set(LIST_BRACKETS.values())
    at = 0
    while at < len(text):
        char = text[at]
        closing_char = LIST_QUOTES.get(char) or LIST_BRACKETS.get(char)
        if closing_char is not None:
            closing = text.find(closing_char, at + 1)
            if closing == -1:
                return False
            at = closing + 1
            continue
        if char in closings:
            return False
        at += 1
    return True


def _needs_quotes(text: str) -> bool:
    return not _closed(text) or line_items(text) != [text]


def list_text(values: list[Any]) -> str:
    """A list as one answer, read back by ``list_items`` (and as a line of names by
    ``line_items``) as the same items: an item read otherwise alone (a separator, a list
    number or bullet at its start, 无) or that could swallow its neighbours (a bracket or
    quote left open) is written in the first quotes whose closing it does not hold, and
    every item is when the list still reads otherwise (1、2: a list number made of an
    item and a separator). An item that holds every kind of closing quote cannot be
    quoted, and is written as it is."""
    texts = [str(value) for value in values]
    written = OWNER_SEPARATOR.join(_quoted(t) if _needs_quotes(t) else t for t in texts)
    if list_items(written) != texts:
        written = OWNER_SEPARATOR.join(_quoted(t) for t in texts)
    return written


def _quoted(text: str) -> str:
    pair = next(((o, c) for o, c in LIST_QUOTES.items() if c not in text), None)
    return text if pair is None else f"{pair[0]}{text}{pair[1]}"


def lines_text(values: list[Any]) -> str:
    """A one-item-a-line answer: each item on its line, written as ``list_text`` writes
    one (intake reads each line as a list, so a name holding a separator is quoted)."""
    return "\n".join(list_text([value]) for value in values)


def _unquoted(piece: str) -> str:
    """``piece`` without the quotes around it, when it is one quoted run."""
    if len(piece) >= 2 and piece[0] in LIST_QUOTES:
        closing = LIST_QUOTES[piece[0]]
        if piece.find(closing, 1) == len(piece) - 1:
            return piece[1:-1]
    return piece


def _comma_in_name(text: str, at: int) -> bool:
    """Whether the comma at ``at`` is part of a name: after Latin text (spaces between
    allowed) and before a legal form (Acme Co., Ltd.; Boston Scientific (China), Ltd;
    Medtronic Co.，Ltd.; Ａｃｍｅ　Ｃｏ．，Ｌｔｄ．), each read as its NFKC."""
    if text[at] not in ",，":
        return False
    before = at - 1
    while before >= 0 and text[before] in " \u3000":
        before -= 1
    mark = unicodedata.normalize("NFKC", text[before]) if before >= 0 else ""
    if not (len(mark) == 1 and mark.isascii() and (mark.isalnum() or mark in ".)")):
        return False
    after = unicodedata.normalize("NFKC", text[at + 1 : at + 1 + LEGAL_FORM_REACH])
    return _LEGAL_FORM.match(after) is not None


def _number_of(marker: str) -> int:
    """The number a list number (``LIST_NUMBER``) says; -1 for Chinese numerals that are
    none (一一)."""
    for first in NUMBERED_MARKS:
        if ord(first) <= ord(marker[0]) < ord(first) + MARK_RUN:
            return ord(marker[0]) - ord(first) + 1
    digits = unicodedata.normalize("NFKC", "".join(c for c in marker if c.isdigit()))
    if digits:
        return int(digits)
    return _chinese_number("".join(c for c in marker if c in CHINESE_NUMERALS))


def _chinese_number(numeral: str) -> int:
    """一 … 九十九 as a number; -1 when it is none (一一, 十十)."""
    digit = {c: i for i, c in enumerate(CHINESE_NUMERALS[:9], start=1)}
    tens, ten, ones = numeral.partition("十")
    if not ten:
        return digit.get(numeral, -1)
    if len(tens) > 1 or len(ones) > 1 or not set(tens + ones) <= set(digit):
        return -1
    return digit.get(tens, 1) * 10 + digit.get(ones, 0)


def _may_start_number(char: str) -> bool:
    """Whether a list number (``LIST_NUMBER``) may start with ``char``."""
    return (
        char.isdigit()
        or char in "(（"
        or char in CHINESE_NUMERALS
        or any(ord(first) <= ord(char) < ord(first) + MARK_RUN for first in NUMBERED_MARKS)
    )


def _next_number(text: str, at: int, expected: int) -> re.Match[str] | None:
    """The list number ``expected`` at ``at``, when one starts there (not inside a word or a
    number: 甲公司12.乙 holds no 2.)."""
    if at and text[at - 1].isascii() and text[at - 1].isalnum():
        return None
    found = _LIST_NUMBER.match(text, at)
    return found if found is not None and _number_of(found.group()) == expected else None


def _pieces(text: str) -> list[tuple[str, bool]]:
    """Each item of a list answer, and whether it was written in quotes. A list number or
    bullet at the start is no part of the first item; when the text starts with a number,
    the next numbers (1、甲公司 2、乙公司；（1）甲（2）乙) end an item as a separator does."""
    pieces, at = [], 0
    lead = BULLET.match(text)
    expected = None
    if lead is not None:
        at = lead.end()
        number = _LIST_NUMBER.search(lead.group())
        expected = _number_of(number.group()) + 1 if number is not None else None
    start = at
    unclosed: set[str] = set()  # openings with no closing after them: none further on either
    while at < len(text):
        char = text[at]
        if expected is not None and _may_start_number(char):
            number = _next_number(text, at, expected)
            if number is not None:
                pieces.append(text[start:at])
                start = at = number.end()
                expected += 1
                continue
        closing_char = LIST_QUOTES.get(char) or LIST_BRACKETS.get(char)
        if closing_char is not None and char not in unclosed:
            closing = text.find(closing_char, at + 1)
            if closing != -1:
                at = closing + 1
                continue
            unclosed.add(char)
        elif char in LIST_SEPARATORS and not _comma_in_name(text, at):
            pieces.append(text[start:at])
            start = at + 1
        at += 1
    pieces.append(text[start:])
    items = []
    for piece in pieces:
        piece = piece.strip()
        item = _unquoted(piece)
        quoted = len(item) != len(piece)
        item = item.strip()
        if item:
            items.append((item, quoted))
    return items


def list_items(text: str) -> list[str]:
    """The items of a list answer: split at the separators outside quotes and brackets
    (but for a comma before a legal form) and at list numbers, each unquoted."""
    return [item for item, _ in _pieces(text)]


def line_items(line: str) -> list[str]:
    """The names in one line of a one-name-a-line answer (intended partners), which may
    hold several as any list does: ``list_items``, but for the words that say there is
    none (无, 暂无, 待定; in quotes, a name)."""
    return [
        item for item, quoted in _pieces(line) if quoted or item.rstrip("。.") not in NO_ITEM_WORDS
    ]


NOTICE = (
    "**请注意：本议题（issue）是公开的，任何人都能看到。**"
    "请不要在任何一栏填写手机号码、电子邮箱或身份证号码等个人联系方式；"
    "企业联系项目请通过「联系途径」一栏填写的单位成果转化部门或平台。"
    "含有个人联系方式的申报不会被收录，机器人会请您删除后再提交。\n\n"
    "提交后，机器人会检查填写内容并在下方留言：通过的申报会生成一个合并请求（pull request），"
    "由所属行动方案的维护者审核；未通过的会逐项说明如何修改，您编辑本议题后会自动重新检查。"
    "填写说明见仓库中的 docs/submit.md（如何申报）。"
)

FORM_META: dict[str, dict[str, str]] = {
    "project": {
        "name": "项目申报",
        "description": "医疗机构临床研究成果转化项目申报（春雨行动）",
        "title": "[项目申报] ",
        "label": "项目申报",
    },
    "enterprise": {
        "name": "企业登记",
        "description": "意向合作企业登记（企业意向临床研究成果转化项目对接表）",
        "title": "[企业登记] ",
        "label": "企业登记",
    },
    "cooperation": {
        "name": "合作意向",
        "description": "企业对某个已收录项目的合作意向",
        "title": "[合作意向] ",
        "label": "合作意向",
    },
    "correction": {
        "name": "信息更正",
        "description": "更正已收录的项目、企业或合作记录中的一项内容",
        "title": "[信息更正] ",
        "label": "信息更正",
    },
}

PUBLISH_CONSENT_OPTION = "是，我同意在平台公开发布本项目信息（本仓库的全部内容都会公开）"
YES, NO = "是", "否"


def form_file(form: str) -> str:
    """The file name of a form under .github/ISSUE_TEMPLATE/ (and its ``template=`` in a
    link that opens it): 1-project.yml … 4-correction.yml."""
    return f"{FORMS.index(form) + 1}-{form}.yml"


@dataclass(frozen=True)
class Element:
    """One field of a form and how its answer becomes part of a record."""

    id: str
    label: str
    widget: str  # input | textarea | dropdown | multi | checkbox | boolean | number | date | list
    path: tuple[str, ...]
    required: bool
    description: str = ""
    options: tuple[tuple[str, str], ...] = ()  # (code, shown label)
    parts: tuple[Field, ...] = field(default=())  # item fields of a list of objects
    schema: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


def _vocab_options(name: str) -> tuple[tuple[str, str], ...]:
    return tuple(vocabulary_labels(name).items())


@cache
def programme_options(data_dir: Path = DATA_DIR) -> tuple[tuple[str, str], ...]:
    """Programmes from the hand-kept table, shown as 'id 名称'."""
    path = data_dir / "programmes.csv"
    if not path.is_file():
        return ()
    with open(path, encoding="utf-8", newline="") as handle:
        return tuple((row["id"], f"{row['id']} {row['name_zh']}") for row in csv.DictReader(handle))


def _part_format(part: Field) -> str:
    name = part.title_zh
    if part.vocab:
        name += "（可选：" + "、".join(vocabulary_labels(part.vocab).values()) + "）"
    if part.is_list:
        name += f"（多个用“{OWNER_SEPARATOR}”分隔；名称本身含逗号、顿号或分号的，用“”括起来）"
    if not part.required:
        name += "（可不填）"
    return name


def list_format(parts: tuple[Field, ...]) -> str:
    """The one-item-a-line format of a list of objects, in Chinese, from the item titles."""
    order = [p for p in parts if p.required] + [p for p in parts if not p.required]
    return (
        f"每行填写一项，各部分之间用竖线“{PART_SEPARATOR}”分隔，顺序为："
        + f" {PART_SEPARATOR} ".join(_part_format(p) for p in order)
        + "。没有可不填。"
    )


def ordered_parts(parts: tuple[Field, ...]) -> tuple[Field, ...]:
    """Required parts first: the order the submitter writes them in."""
    return tuple([p for p in parts if p.required] + [p for p in parts if not p.required])


def _element(kind: str, f: Field, path: tuple[str, ...], required: bool) -> list[Element]:
    schema = f.schema
    ident = "__".join(path)
    fmt = schema.get("x-format-zh", "")
    if "const" in schema:
        return [Element(ident, f.title_zh, "checkbox", path, True, schema=schema)]
    if schema.get("type") == "object":
        return [
            el
            for sub in fields(kind, schema)
            for el in _element(kind, sub, (*path, sub.name), required and sub.required)
        ]
    if f.name == "programme":
        return [
            Element(
                ident,
                f.title_zh,
                "dropdown",
                path,
                required,
                "项目申报时所依据的行动方案",
                programme_options(),
                schema=schema,
            )
        ]
    if f.is_list:
        items = schema.get("items", {})
        if f.vocab:
            return [
                Element(
                    ident,
                    f.title_zh,
                    "multi",
                    path,
                    required,
                    "可多选",
                    _vocab_options(f.vocab),
                    schema=schema,
                )
            ]
        if items.get("type") == "object":
            parts = ordered_parts(tuple(fields(kind, items)))
            return [
                Element(
                    ident, f.title_zh, "list", path, required, list_format(parts), (), parts, schema
                )
            ]
        return [
            Element(
                ident,
                f.title_zh,
                "lines",
                path,
                required,
                "每行填写一个企业名称，也可在一行中用顿号或分号隔开；名称本身含逗号、顿号或分号的，"
                "用“”括起来。没有可不填。",
                schema=schema,
            )
        ]
    if f.vocab:
        return [
            Element(
                ident,
                f.title_zh,
                "dropdown",
                path,
                required,
                "",
                _vocab_options(f.vocab),
                schema=schema,
            )
        ]
    if schema.get("type") == "boolean":
        return [
            Element(
                ident, f.title_zh, "boolean", path, required, "", ((YES, YES), (NO, NO)), (), schema
            )
        ]
    if schema.get("type") in ("number", "integer"):
        return [Element(ident, f.title_zh, "number", path, required, "填写数字", schema=schema)]
    if fmt.startswith("日期"):
        return [Element(ident, f.title_zh, "date", path, required, fmt, schema=schema)]
    widget = "textarea" if schema.get("maxLength", 0) > 200 else "input"
    description = fmt
    if f.name == "credit_code":
        description = fmt + "；内地企业必填，港澳台企业可不填"
    elif f.name == "contact_route":
        description = fmt + "；填写单位的成果转化部门或平台名称，不要填写个人电话或邮箱"
    return [Element(ident, f.title_zh, widget, path, required, description, schema=schema)]


@cache
def elements(kind: str) -> tuple[Element, ...]:
    """The form elements of a record kind, in schema order."""
    result: list[Element] = []
    for f in fields(kind):
        if not f.on_form:  # x-set-by system or maintainer: the bot or the maintainers set it
            continue
        result += _element(kind, f, (f.name,), f.required)
    return tuple(result)


CORRECTION_ID = Element(
    "record_id",
    "记录编号",
    "input",
    ("id",),
    True,
    "要更正的记录的编号，例如 GD-2026-0001（项目）、ENT-0001（企业）、COOP-0001（合作）",
)
CORRECTION_CONFIRM = "我确认更正内容真实，且不含个人联系方式"


@cache
def correctable_labels() -> tuple[str, ...]:
    """Every label a correction may name, once each, in form order."""
    seen: dict[str, None] = {}
    for kind in ("project", "enterprise", "cooperation"):
        for el in elements(kind):
            if el.widget != "checkbox":
                seen.setdefault(el.label, None)
    return tuple(seen)


@cache
def correction_elements() -> tuple[Element, ...]:
    labels = correctable_labels()
    return (
        CORRECTION_ID,
        Element(
            "field",
            "需要更正的字段",
            "dropdown",
            ("field",),
            True,
            "每次更正一项；需要更正多项时请分别提交",
            tuple((label, label) for label in labels),
        ),
        Element(
            "value",
            "更正后的内容",
            "textarea",
            ("value",),
            True,
            "按该字段在申报表中的填写格式填写完整的新内容（不是只写改动部分）；"
            "可选项请填写选项文字，多选项用英文逗号分隔",
        ),
        Element("reason", "更正理由", "textarea", ("reason",), False, "简要说明为什么需要更正"),
        Element("confirm", "确认", "checkbox", ("confirm",), True),
    )


def form_elements(form: str) -> tuple[Element, ...]:
    return correction_elements() if form == "correction" else elements(form)


def _checkbox_option(el: Element) -> str:
    if el.path == ("confirm",):
        return CORRECTION_CONFIRM
    if el.path == ("publish_consent",):
        return PUBLISH_CONSENT_OPTION
    description = el.schema.get("description", "")
    # The commitment's wording is the official one, kept in the schema after the form name.
    return description.split(": ", 1)[1] if ": " in description else el.label


def checkbox_option(el: Element) -> str:
    return _checkbox_option(el)


def _body_item(el: Element) -> dict[str, Any]:
    attributes: dict[str, Any] = {"label": el.label}
    if el.description:
        attributes["description"] = el.description
    validations = {"required": el.required}
    if el.widget == "checkbox":
        return {
            "type": "checkboxes",
            "id": el.id,
            "attributes": {
                **attributes,
                "options": [{"label": _checkbox_option(el), "required": True}],
            },
        }
    if el.widget in ("dropdown", "boolean", "multi"):
        attributes["options"] = [label for _, label in el.options]
        if el.widget == "multi":
            attributes["multiple"] = True
        return {
            "type": "dropdown",
            "id": el.id,
            "attributes": attributes,
            "validations": validations,
        }
    widget = "textarea" if el.widget in ("textarea", "list", "lines") else "input"
    if el.widget == "date":
        attributes["placeholder"] = "YYYY-MM-DD"
    return {"type": widget, "id": el.id, "attributes": attributes, "validations": validations}


def issue_form(form: str) -> dict[str, Any]:
    meta = FORM_META[form]
    body: list[dict[str, Any]] = [{"type": "markdown", "attributes": {"value": NOTICE}}]
    body += [_body_item(el) for el in form_elements(form)]
    return {
        "name": meta["name"],
        "description": meta["description"],
        "title": meta["title"],
        "labels": [meta["label"]],
        "body": body,
    }


HEADER = "# 由 `springrain generate` 根据 schemas/ 生成，请勿手改。Generated from schemas/ by `springrain generate`; do not edit.\n"


def render(form: str) -> str:
    text = yaml.safe_dump(issue_form(form), allow_unicode=True, sort_keys=False, width=10_000)
    return HEADER + text


CONFIG = HEADER + "blank_issues_enabled: true\n"


def outputs() -> dict[str, str]:
    """File name under .github/ISSUE_TEMPLATE/ → content."""
    files = {form_file(form): render(form) for form in FORMS}
    files["config.yml"] = CONFIG
    return files
