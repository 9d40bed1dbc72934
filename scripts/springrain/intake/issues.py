"""Turning a GitHub issue-form body into a record, and telling the submitter how it went.

GitHub renders a form as ``### 标签`` sections in form order, ``_No response_`` for an empty
answer and ``- [X] …`` for ticked checkboxes. A submitter may type ``###`` inside a text area,
so only the form's own labels start a section, and only in form order (see ``split_sections``).

The result is always a Markdown comment in Chinese. Everything the submitter wrote is
escaped before it appears in it (``md_escape``): the bot's comment must never carry the
submitter's markup, links or mentions.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from springrain.config import settings
from springrain.errors import SpringrainError
from springrain.intake.forms import (
    BULLET,
    FORMS,
    PART_SEPARATOR,
    PART_SPLIT,
    Element,
    checkbox_option,
    elements,
    form_elements,
    form_file,
    line_items,
    list_items,
)
from springrain.intake.policy import (
    guarded_changes,
    is_submitter,
    issue_source,
    may_declare,
    not_the_enterprises,
)
from springrain.model import statuses
from springrain.model.discovery import discover
from springrain.model.ids import next_id
from springrain.model.kinds import kind as record_kind
from springrain.model.kinds import schema_version
from springrain.model.records import UnsafeWrite, read_bytes, restore_record, write_record
from springrain.model.schemas import field_label, vocabulary_labels, vocabulary_spellings
from springrain.validate.checks import schema as schema_rules
from springrain.validate.checks.pii import RULE_OF, WHAT, find_pii
from springrain.validate.checks.registry import Finding
from springrain.validate.checks.text import INVISIBLE
from springrain.validate.engine import validate

NO_RESPONSE = "_No response_"
# A contact-data rule code → its kind (pii.mobile → mobile).
RULES = {rule.code: kind for kind, rule in RULE_OF.items()}
# GitHub keeps at most 65,536 characters of an issue body; anything longer is not one.
MAX_BODY_CHARS = 65536
EDIT_HINT = (
    "请点击本议题右上角的「···」→「Edit」修改后保存，机器人会自动重新检查。"
    "填写说明见 docs/submit.md（如何申报）。"
)

# --- Markdown escaping -------------------------------------------------------------------

WORD_JOINER = "\u2060"
_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
# Half of a surrogate pair, alone: JSON can carry one, no file can store it.
_SURROGATE = re.compile("[\ud800-\udfff]")


def md_escape(text: str, limit: int | None = 120) -> str:
    """Untrusted ``text`` as inert inline Markdown, cut to ``limit`` characters.

    Every ASCII punctuation character is backslash-escaped (CommonMark allows it for all),
    so nothing becomes emphasis, a link, HTML or a table-cell break. GitHub links
    ``@login``, ``#123`` and bare URLs after parsing, where backslashes no longer count, so a
    WORD JOINER (U+2060, invisible) goes after ``@`` and ``#`` and inside ``://`` and ``www.``.
    Line breaks and control or bidirectional-override characters become spaces.
    """
    flat = re.sub(r"\s+", " ", INVISIBLE.sub(" ", text)).strip()
    if limit is not None and len(flat) > limit:
        flat = flat[:limit].rstrip() + "…"
    flat = flat.replace("://", ":" + WORD_JOINER + "//")
    flat = re.sub(r"(?i)(www)\.", lambda m: m.group(1) + WORD_JOINER + ".", flat)
    escaped = _PUNCTUATION.sub(r"\\\1", flat)
    for mark in ("@", "#", "＠", "＃"):
        escaped = escaped.replace(mark, mark + WORD_JOINER)
    return escaped


def _short(text: str, limit: int) -> str:
    """A value quoted in a message (escaped later, with the whole message)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "…"


# --- Parsing the rendered body ------------------------------------------------------------


def _key(text: str) -> str:
    """Comparison form: NFKC (full-width → ASCII), no whitespace, lower case (sh-2026 is the
    programme SH-2026)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


_HEADING = re.compile(r"^\s{0,3}(?:###|＃＃＃)\s*(.*?)\s*#*\s*$")


def split_sections(body: str, labels: list[str]) -> dict[str, str | None]:
    """Answer text per label; None for a label absent or answered ``_No response_``.

    A heading line counts only if it names a label. Labels are taken in form order, each at
    its first heading after the previous label's that still leaves every later label a
    heading after it; a ``###`` line typed in an answer therefore stays part of the answer
    unless it repeats the very next label of the form, and then the body is ambiguous
    (``sections_and_problems``) and refused.
    """
    return _split(body, labels)[0]


def sections_and_problems(
    body: str, labels: list[str]
) -> tuple[dict[str, str | None], list[Problem]]:
    """``split_sections``, and a problem for each label with more than one heading that
    could start its section (an answer holds a line repeating the next label, and which
    text is whose cannot be told)."""
    sections, ambiguous = _split(body, labels)
    return sections, [
        Problem(
            label,
            f"答案中有一行“### {label}”与这一栏的标题相同，无法确定各栏的内容从哪里开始。"
            "请编辑议题，删除或改写答案中的这一行。",
        )
        for label in ambiguous
    ]


def _split(body: str, labels: list[str]) -> tuple[dict[str, str | None], list[str]]:
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    wanted = {_key(label): index for index, label in enumerate(labels)}
    candidates: list[list[int]] = [[] for _ in labels]
    for number, line in enumerate(lines):
        match = _HEADING.match(line)
        if match and _key(match.group(1)) in wanted:
            candidates[wanted[_key(match.group(1))]].append(number)

    def feasible(start: int, after: int) -> bool:
        for index in range(start, len(labels)):
            later = [c for c in candidates[index] if c > after]
            if candidates[index] and not later:
                return False
            if later:
                after = later[0]
        return True

    chosen: dict[int, int] = {}
    ambiguous: list[str] = []
    previous = -1
    for index in range(len(labels)):
        later = [c for c in candidates[index] if c > previous]
        if not later:
            continue
        possible = [c for c in later if feasible(index + 1, c)]
        if len(possible) > 1:
            ambiguous.append(labels[index])
        pick = possible[0] if possible else later[0]
        chosen[index] = pick
        previous = pick
    starts = sorted((line, index) for index, line in chosen.items())
    result: dict[str, str | None] = dict.fromkeys(labels)
    for position, (line, index) in enumerate(starts):
        end = starts[position + 1][0] if position + 1 < len(starts) else len(lines)
        text = "\n".join(part.rstrip() for part in lines[line + 1 : end]).strip()
        result[labels[index]] = None if not text or text == NO_RESPONSE else text
    return result, ambiguous


def detect_form(body: str) -> str | None:
    """Which form a body was rendered from, by its headings: the form most of whose labels
    head a section (more than half of them), or None for an ordinary issue.

    A fresh repository has none of the forms' labels (GitHub creates no label an issue form
    names), so the bot cannot rely on them: the headings GitHub renders are always there."""
    found = {
        _key(match.group(1))
        for line in body.replace("\r\n", "\n").split("\n")
        if (match := _HEADING.match(line))
    }
    best, best_share = None, 0.5
    for form in FORMS:
        labels = {_key(el.label) for el in form_elements(form)}
        share = len(labels & found) / len(labels)
        if share > best_share:
            best, best_share = form, share
    return best


# --- Answers to values --------------------------------------------------------------------


@dataclass
class Problem:
    """Something wrong with one answer, told under the field's label."""

    label: str
    message_zh: str


_CHECKED = re.compile(r"^\s*[-*]\s*\[[xX✓✔]\]", re.MULTILINE)


def _choice(el: Element, raw: str) -> str | None:
    key = _key(raw)
    for code, label in el.options:
        if key in (_key(label), _key(code)) or (
            " " in label and key.startswith(_key(code)) and key == _key(label)
        ):
            return code
    # A programme option reads "ID 名称": accept the id alone too.
    head = _key(raw.split()[0]) if raw.split() else ""
    for code, _ in el.options:
        if head == _key(code):
            return code
    return None


def _vocab_choice(vocab: str, raw: str) -> str | None:
    key = _key(raw)
    for code, spellings in vocabulary_spellings(vocab).items():
        if any(key == _key(spelling) for spelling in spellings):
            return code
    return None


def _date_written(raw: str) -> re.Match[str] | None:
    """Year, month and day, when ``raw`` is written as a date (2025-06-13, 2025年6月13日)."""
    text = unicodedata.normalize("NFKC", raw).strip()
    return re.fullmatch(r"([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?", text)


def _date(raw: str) -> str | None:
    match = _date_written(raw)
    if not match:
        return None
    try:
        return dt.date(*map(int, match.groups())).isoformat()
    except ValueError:
        return None


# A number as people write one on a form: digits, an optional sign, thousands separators
# between groups of three (1,5 is no number: 1.5 or 15?), at most four decimals. Nothing
# else: not inf, nan, 1e400, and no more than twelve digits before the point.
_NUMBER = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3}){1,3}|[0-9]{1,12})(?:\.[0-9]{1,4})?")
# The unit a capital (counted in 万元) may be written with, around the number: 1000万元,
# 1000万, 人民币1000万元, 1000万元人民币. Only 万 makes it one: 1000元, 人民币1000 and
# 1000人民币 stay refused, never read as 1000万元.
# ([\s\S]: any character, line breaks too, alike in Python and in the web form's JS.)
_NUMBER_UNIT = re.compile(r"(?:人民币)?([\s\S]*?)(?:万元|万)(?:人民币)?")


# The whole numbers of a list line are years, which people write 2023年.
YEAR = "年"


def _number(raw: str, integer: bool) -> int | float | None:
    text = unicodedata.normalize("NFKC", raw).replace(" ", "").strip()
    unit = None if integer else _NUMBER_UNIT.fullmatch(text)  # a unit is a capital's
    text = (unit.group(1) if unit else text).strip()
    if not _NUMBER.fullmatch(text):
        return None
    value = float(text.replace(",", ""))
    if integer and not value.is_integer():
        return None  # 2024.9 is no year: never cut to 2024
    if integer or value.is_integer():
        return int(value)
    return value


def _choices_text(el: Element) -> str:
    return "、".join(label for _, label in el.options)


def _list_items(el: Element, raw: str, problems: list[Problem]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    required = [p for p in el.parts if p.required]
    for number, line in enumerate(raw.split("\n"), start=1):
        line = BULLET.sub("", line).strip()
        if not line:
            continue
        parts = PART_SPLIT.split(line)
        if len(parts) < len(required):
            problems.append(
                Problem(
                    el.label,
                    f"第{number}行只有{len(parts)}个部分，至少需要{len(required)}个"
                    f"（用竖线“{PART_SEPARATOR}”分隔）。",
                )
            )
            continue
        if len(parts) > len(el.parts):
            # The parts past the form's last are no field: dropping them would lose them.
            problems.append(
                Problem(
                    el.label,
                    f"第{number}行有{len(parts)}个部分，最多只能有{len(el.parts)}个"
                    f"（{'、'.join(part.title_zh for part in el.parts)}）。"
                    f"如果某一部分的文字本身含有竖线“{PART_SEPARATOR}”，请改用其他符号。",
                )
            )
            continue
        item: dict[str, Any] = {}
        for part, text in zip(el.parts, parts, strict=False):  # trailing parts may be left out
            text = text.strip()
            if not text:
                continue
            if part.vocab:
                code = _vocab_choice(part.vocab, text)
                if code is None:
                    problems.append(
                        Problem(
                            el.label,
                            f"第{number}行的「{part.title_zh}」“{_short(text, 40)}”不在可选范围内。"
                            f"可选：{'、'.join(vocabulary_labels(part.vocab).values())}。",
                        )
                    )
                    continue
                item[part.name] = code
            elif part.is_list:
                item[part.name] = list_items(text)
            elif part.schema.get("type") == "integer":
                value = _number(text.removesuffix(YEAR), integer=True)  # 2023年 as 2023
                if value is None:
                    problems.append(
                        Problem(el.label, f"第{number}行的「{part.title_zh}」应为数字（年份）。")
                    )
                    continue
                item[part.name] = value
            else:
                item[part.name] = text
        items.append(item)
    return items


def answer_value(el: Element, raw: str | None, problems: list[Problem]) -> Any:
    """The record value of one answer; None when unanswered or unreadable (with a problem)."""
    if el.widget == "checkbox":
        return True if raw and _CHECKED.search(raw) else None
    if raw is None:
        return None
    if el.widget in ("dropdown", "boolean"):
        code = _choice(el, raw)
        if code is None:
            problems.append(
                Problem(el.label, f"“{_short(raw, 40)}”不在可选范围内。可选：{_choices_text(el)}。")
            )
            return None
        return {"是": True, "否": False}.get(code, code) if el.widget == "boolean" else code
    if el.widget == "multi":
        codes = []
        for piece in re.split(r",\s*|，", raw):
            if not piece.strip():
                continue
            code = _choice(el, piece)
            if code is None:
                problems.append(
                    Problem(
                        el.label,
                        f"“{_short(piece, 40)}”不在可选范围内。可选：{_choices_text(el)}。",
                    )
                )
            elif code not in codes:
                codes.append(code)
        return codes or None
    if el.widget == "number":
        value = _number(raw, integer=el.schema.get("type") == "integer")
        if value is None:
            problems.append(
                Problem(
                    el.label,
                    f"“{_short(raw, 40)}”不是可以接受的数字。请只填写数字，最多12位整数、4位小数，"
                    "例如 1000 或 1000.5（注册资金以万元计）。",
                )
            )
        return value
    if el.widget == "date":
        value = _date(raw)
        if value is None:
            problems.append(
                Problem(
                    el.label,
                    f"“{_short(raw, 40)}”这一天不存在，请核对年、月、日（例如 2 月没有 30 日）。"
                    if _date_written(raw)
                    else f"“{_short(raw, 40)}”不是日期。请按 YYYY-MM-DD 填写，例如 2025-06-13。",
                )
            )
        return value
    if el.widget == "list":
        return _list_items(el, raw, problems) or None
    if el.widget == "lines":
        # One item a line, or several in a line as in any list (甲公司、乙公司；丙公司): one
        # cell of an annex holds them all, and few know how to start a line in a cell.
        # 无, 暂无 or 待定 name no one, unless written in quotes.
        return [item for line in raw.split("\n") for item in line_items(line)] or None
    if el.widget == "input":
        return raw.strip()
    return raw.strip()


def _put(record: dict[str, Any], path: tuple[str, ...], value: Any) -> bool:
    """``value`` set at ``path``; False, with nothing set, where a step on the way holds
    something other than an object (a damaged record: never written over)."""
    target = record
    for part in path[:-1]:
        target = target.setdefault(part, {})
        if not isinstance(target, dict):
            return False
    target[path[-1]] = value
    return True


def _remove(record: dict[str, Any], path: tuple[str, ...]) -> bool:
    """The value at ``path`` removed, if there is one; False as ``_put``."""
    parent: Any = record
    for part in path[:-1]:
        parent = parent.get(part, {})
        if not isinstance(parent, dict):
            return False
    parent.pop(path[-1], None)
    return True


def answers_to_fields(
    form: str, sections: dict[str, str | None], problems: list[Problem]
) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for el in elements(form):
        value = answer_value(el, sections.get(el.label), problems)
        if value is not None:
            _put(record, el.path, value)
    return record


# --- Ids ----------------------------------------------------------------------------------


def find_existing(
    data_dir: Path, kind: str, issue: int | None, answers: dict[str, Any]
) -> tuple[Path, dict[str, Any]] | None:
    """The record this submission updates rather than duplicates.

    A project or cooperation made from the same issue earlier (its first history event
    names the issue), or an enterprise already registered under the same credit code or
    name. Editing someone else's record this way is stopped by ``springrain policy``.
    """
    source = issue_source(issue) if issue else None
    for found in discover(data_dir).records:
        if found.kind != kind:
            continue
        path = Path(found.path)
        try:
            record = orjson.loads(read_bytes(path))
        except orjson.JSONDecodeError:
            continue
        if not isinstance(record, dict):
            continue
        if kind == "enterprise":
            same_code = answers.get("credit_code") and record.get("credit_code") == answers.get(
                "credit_code"
            )
            same_name = answers.get("name") and _key(str(record.get("name", ""))) == _key(
                str(answers["name"])
            )
            if same_code or same_name:
                return path, record
            continue
        if source is None:
            continue
        history = record.get("history") if isinstance(record, dict) else None
        if isinstance(history, list) and history and isinstance(history[0], dict):
            note = history[0].get("source") or history[0].get("note") or ""
            if note == source:
                return path, record
    return None


def find_record(data_dir: Path, record_id: str) -> tuple[Path, str, dict[str, Any] | None] | None:
    """The file of the record ``record_id``, its kind and its content (None: the file is
    not a JSON object, so nothing can be corrected in it); None when there is no such file."""
    for found in discover(data_dir).records:
        path = Path(found.path)
        if path.stem == record_id:
            try:
                record = orjson.loads(read_bytes(path))
            except orjson.JSONDecodeError:
                record = None
            return path, found.kind, record if isinstance(record, dict) else None
    return None


# --- The comment --------------------------------------------------------------------------


@dataclass
class Outcome:
    ok: bool
    comment: str
    path: Path | None = None
    record_id: str | None = None
    problems: list[Problem] = field(default_factory=list)


def _label_of_pointer(form: str, pointer: str) -> str:
    parts = tuple(p for p in pointer.split("/") if p)
    best: Element | None = None
    for el in elements(form):
        if parts[: len(el.path)] == el.path and (best is None or len(el.path) > len(best.path)):
            best = el
    if best is not None:
        return best.label
    zh, _ = field_label(form, pointer)
    return zh


def _problems_of(form: str, findings: Iterable[Finding]) -> list[Problem]:
    return [Problem(_label_of_pointer(form, f.pointer), f.message_zh) for f in findings]


def failure_comment(title: str, problems: list[Problem]) -> str:
    lines = [f"### ❌ {title}", "", "请按下面的提示逐项修改：", ""]
    order: dict[str, list[str]] = {}
    for problem in problems:
        order.setdefault(problem.label, []).append(problem.message_zh)
    for label, messages in order.items():
        lines.append(f"**「{md_escape(label, 60)}」**")
        for message in dict.fromkeys(messages):
            lines.append(f"- {md_escape(message, 400)}")
        lines.append("")
    lines.append(EDIT_HINT)
    return "\n".join(lines) + "\n"


def pii_comment(found: list[tuple[str, str]]) -> str:
    listed = "、".join(dict.fromkeys(WHAT[RULES[code]][0] for code, _ in found))
    return (
        "### ⚠️ 请删除个人联系方式\n\n"
        f"本议题是公开的，但内容中出现了{listed}。为保护个人信息，机器人没有收录这份内容。\n\n"
        "请编辑本议题，删除所有手机号码、固定电话、电子邮箱和身份证号码（任何写法，包括用汉字、"
        "空格或符号隔开的数字）；企业联系项目可通过「联系途径」"
        "一栏填写的单位成果转化部门或平台。编辑后机器人会自动重新检查。\n\n"
        "提示：议题的编辑历史仍可能被看到；如需彻底删除，请联系仓库维护者删除该条编辑记录，"
        "或关闭本议题后重新提交。\n"
    )


SUMMARY_FIELDS = {
    "project": (
        "programme",
        "province",
        "project_name",
        "institution",
        "city",
        "project_type",
        "product_class",
        "stage",
    ),
    "enterprise": ("name", "province", "fields", "cooperation_modes", "regions"),
    "cooperation": ("project", "enterprise", "modes", "status"),
}


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(_shown(v) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def success_comment(
    kind: str, record: dict[str, Any], path: str, warnings: list[Problem], action: str
) -> str:
    lines = [
        f"### ✅ {action}：`{record['id']}`",
        "",
        f"机器人已根据本议题生成{record_kind(kind).noun_zh}记录 `{path}`，并通过了全部检查。"
        "维护者审核合并请求后即会公开发布。",
        "",
        "| 字段 | 内容 |",
        "| --- | --- |",
    ]
    shown_options = {el.path[0]: dict(el.options) for el in elements(kind) if el.options}
    for name in SUMMARY_FIELDS[kind]:
        if name in record:
            label, _ = field_label(kind, "/" + name)
            value = record[name]
            options = shown_options.get(name, {})
            if options and name != "programme":
                value = (
                    [options.get(v, v) for v in value]
                    if isinstance(value, list)
                    else options.get(value, value)
                )
            lines.append(f"| {label} | {md_escape(_shown(value), 80)} |")
    if warnings:
        lines += ["", "以下几点不影响收录，但建议修改："]
        lines += [f"- 「{md_escape(w.label, 60)}」{md_escape(w.message_zh, 300)}" for w in warnings]
    lines += ["", "如需修改，直接编辑本议题即可，机器人会更新合并请求。"]
    return "\n".join(lines) + "\n"


# --- The whole step -----------------------------------------------------------------------


def _damaged(data_dir: Path, path: Path) -> str:
    return (
        f"记录文件 data/{path.relative_to(data_dir).as_posix()} 已损坏（不是完整的 JSON 对象，"
        "或缺少编号等决定其存放位置的字段），无法在其中更正。仓库维护者会先修复它。"
    )


def _placed(kind: str, record: dict[str, Any]) -> bool:
    """Whether ``record`` holds what decides its file (its id, and its province for a
    project), as text: an existing record may be damaged."""
    deciding = [name for name in (record_kind(kind).filed_by, "id") if name]
    return all(isinstance(record.get(name), str) and record[name] for name in deciding)


def _moved(kind: str, record: dict[str, Any]) -> Problem:
    """The record would move to another file: what decides its place was changed."""
    deciding = record_kind(kind).filed_by or "id"
    label = field_label(kind, "/" + deciding)[0]
    return Problem(
        label,
        f"编号 {record.get('id')} 分配后，「{label}」不能再通过议题或更正申请修改："
        "记录的编号和存放位置都由它决定。请保持原来的选择；如确需更改，"
        "请在议题中说明，由维护者重新登记。",
    )


def _as_on_form(kind: str, path: tuple[str, ...], value: Any) -> str:
    """A record's value at ``path`` as the form shows it: a choice's words, not its code."""
    if value is None:
        return "（空）"
    if not isinstance(value, str):
        return _shown(value)
    options = dict(next((el.options for el in elements(kind) if el.path == path), ()))
    return options.get(value, value)


def _guarded(
    kind: str, old: dict[str, Any], record: dict[str, Any], unread: set[str]
) -> list[Problem]:
    """An edit of the submitter's own record changing what only a maintainer may change
    (the programme, the province, the project or enterprise of a cooperation): the
    permission check would refuse the change, so nothing is written. A field whose answer
    could not be read (its label in ``unread``) is told of by that problem instead."""
    problems = []
    for name in guarded_changes(kind, old, record):
        if field_label(kind, "/" + name)[0] in unread:
            continue
        if name == record_kind(kind).filed_by:
            problems.append(_moved(kind, record))  # what decides the record's file
            continue
        label = field_label(kind, "/" + name)[0]
        was = _as_on_form(kind, (name,), old.get(name))
        problems.append(
            Problem(
                label,
                f"记录 {old.get('id')} 登记后，「{label}」只能由维护者修改（原为“{_short(was, 40)}”）。"
                "请在议题中把这一项改回原来的内容；如确需更改，请用「信息更正」表单说明理由，"
                "由维护者处理。",
            )
        )
    return problems


def _not_the_enterprises(
    data_dir: Path, answers: dict[str, Any], author: str | None
) -> Problem | None:
    """A new cooperation intent naming an enterprise its author did not register: the
    permission check refuses it (``policy.may_declare``), so nothing is written."""
    enterprise_id = answers.get("enterprise")
    found = find_record(data_dir, enterprise_id) if isinstance(enterprise_id, str) else None
    enterprise = found[2] if found is not None and found[1] == "enterprise" else None
    if may_declare(enterprise, author):
        return None
    return Problem(
        field_label("cooperation", "/enterprise")[0], not_the_enterprises(enterprise_id, author)[0]
    )


def _check_and_write(
    kind: str, record: dict[str, Any], path: Path, data_dir: Path, today: dt.date, keep: bool
) -> tuple[list[Problem], list[Problem]]:
    """Write ``record`` at ``path`` and validate it; unless it passes and ``keep``, put back
    what ``path`` held. A record whose place has changed (its province) is not written: the
    old file would stay beside the new one."""
    if not _placed(kind, record):
        return [Problem("记录编号", _damaged(data_dir, path))], []
    if record_kind(kind).path_of(data_dir, record) != path:
        return [_moved(kind, record)], []
    before = read_bytes(path) if path.is_file() and not path.is_symlink() else None
    try:
        written = write_record(data_dir, kind, record)
    except UnsafeWrite as refused:
        # A link or something else where the record goes: nothing is written; the
        # maintainers have to look (validation reports it as an error too).
        message = f"数据目录中有异常文件，机器人没有写入：{refused.message_zh}仓库维护者会处理。"
        return [Problem(record_kind(kind).noun_zh, message)], []
    report = validate(data_dir, [written], today=today)
    errors = _problems_of(kind, report.errors)
    warnings = _problems_of(kind, report.warnings)
    if errors or not keep:
        restore_record(data_dir, written, before)
    return errors, warnings


def refuse_pii(body: str) -> str | None:
    found = find_pii(body)
    return pii_comment(found) if found else None


def _made_from(record: dict[str, Any], issue: int | None) -> bool:
    """Whether ``record`` was made by the intake bot from ``issue``."""
    history = record.get("history")
    if not issue or not isinstance(history, list) or not history:
        return False
    first = history[0] if isinstance(history[0], dict) else {}
    return issue_source(issue) in (first.get("source"), first.get("note"))


def _not_yours(kind: str, record: dict[str, Any]) -> Outcome:
    """A submission that meets a record someone else submitted: nothing is written."""
    link = settings().issue_form(form_file("correction"))
    name = record.get("name") or record.get("project_name") or ""
    message = (
        f"{record_kind(kind).noun_zh}“{_short(str(name), 40)}”（{record.get('id')}）已由他人登记。"
        "您不能通过申报修改他人的记录。如需更正其中的内容，请使用「信息更正」表单："
        f"{link}"
    )
    problems = [Problem(record_kind(kind).noun_zh, message)]
    return Outcome(False, failure_comment("这份申报没有被收录", problems), problems=problems)


def intake_submission(
    form: str,
    body: str,
    data_dir: Path,
    author: str | None,
    issue: int | None,
    today: dt.date,
) -> Outcome:
    refusal = refuse_pii(body)
    if refusal:
        return Outcome(False, refusal)
    labels = [el.label for el in form_elements(form)]
    sections, problems = sections_and_problems(body, labels)
    answers = answers_to_fields(form, sections, problems)
    existing = find_existing(data_dir, form, issue, answers)
    if existing:
        path, old = existing
        if not is_submitter(old, author):
            return _not_yours(form, old)
        if _made_from(old, issue):
            # The issue is the record's source: its current answers replace the form's
            # fields (an answer removed from the issue is removed from the record).
            on_form = {el.path[0] for el in elements(form)}
            record = {k: v for k, v in old.items() if k not in on_form}
        else:
            # The submitter's own record met again from another issue: what this issue
            # answers is updated, nothing left unanswered is blanked.
            record = dict(old)
        record.update(answers)
        # An answer intake could not read is told as such, not as a change of its field.
        unread = {problem.label for problem in problems}
        guarded = _guarded(form, old, record, unread)
        if guarded:
            problems += guarded
            return Outcome(False, failure_comment("申报内容需要修改", problems), problems=problems)
        action = "已更新记录"
    else:
        if form == "cooperation" and (refused := _not_the_enterprises(data_dir, answers, author)):
            problems.append(refused)
            return Outcome(False, failure_comment("申报内容需要修改", problems), problems=problems)
        record = {"id": "", "schema_version": schema_version(), **answers}
        record["id"] = next_id(
            data_dir, form, province=answers.get("province", ""), year=f"{today.year:04d}"
        )
        record["submitted"] = today.isoformat()
        if author:
            record["submitted_by"] = author
        status = statuses.initial(form)
        if status is not None:
            record["status"] = status
            event: dict[str, Any] = {"date": today.isoformat(), "status": status}
            if form == "project":
                event["source"] = issue_source(issue)
            else:
                event["note"] = issue_source(issue)
            record["history"] = [event]
        needs_province = form == "project" and "province" not in record
        path = None if needs_province else record_kind(form).path_of(data_dir, record)
        action = "已收到申报"
    if path is None:
        # No province, no file name: check the record alone so every gap is listed at once.
        problems += [
            p
            for p in _problems_of(form, schema_rules.check("", form, record))
            if p.label != field_label(form, "/id")[0]
        ]
        return Outcome(False, failure_comment("申报内容需要修改", problems), problems=problems)
    errors, warnings = _check_and_write(form, record, path, data_dir, today, keep=not problems)
    problems += errors
    if problems:
        return Outcome(False, failure_comment("申报内容需要修改", problems), problems=problems)
    display = "data/" + path.relative_to(data_dir).as_posix()
    return Outcome(
        True, success_comment(form, record, display, warnings, action), path, record["id"]
    )


def intake_correction(body: str, data_dir: Path, author: str | None, today: dt.date) -> Outcome:
    refusal = refuse_pii(body)
    if refusal:
        return Outcome(False, refusal)
    labels = [el.label for el in form_elements("correction")]
    sections, unclear = sections_and_problems(body, labels)
    if unclear:
        return Outcome(False, failure_comment("无法处理这份更正申请", unclear), problems=unclear)
    record_id = unicodedata.normalize("NFKC", sections.get("记录编号") or "").strip().upper()
    field_label_text = (sections.get("需要更正的字段") or "").strip()
    raw_value = sections.get("更正后的内容")
    title = "无法处理这份更正申请"
    found = find_record(data_dir, record_id) if record_id else None
    if found is None:
        message = (
            f"找不到编号为“{_short(record_id, 40)}”的记录。请核对编号（例如 GD-2026-0001、ENT-0001）。"
            if record_id
            else "请填写要更正的记录编号。"
        )
        problems = [Problem("记录编号", message)]
        return Outcome(False, failure_comment(title, problems), problems=problems)
    path, kind, old = found
    if old is None:
        problems = [Problem("记录编号", _damaged(data_dir, path))]
        return Outcome(False, failure_comment(title, problems), problems=problems)
    target = next((el for el in elements(kind) if _key(el.label) == _key(field_label_text)), None)
    if target is None or target.widget == "checkbox":
        problems = [
            Problem(
                "需要更正的字段",
                f"{record_kind(kind).noun_zh}记录没有可更正的字段“{_short(field_label_text, 40)}”。"
                "状态和历程由维护者更新，不能通过更正申请修改。",
            )
        ]
        return Outcome(False, failure_comment(title, problems), problems=problems)
    problems: list[Problem] = []
    value = answer_value(target, raw_value, problems)
    record = orjson.loads(orjson.dumps(old))
    if value is None and not problems:
        if target.required:
            problems.append(Problem(target.label, "这是必填项，不能清空。请填写更正后的内容。"))
        elif not _remove(record, target.path):
            problems.append(Problem("记录编号", _damaged(data_dir, path)))
    elif value is not None and not _put(record, target.path, value):
        problems.append(Problem("记录编号", _damaged(data_dir, path)))
    if problems:
        return Outcome(False, failure_comment(title, problems), problems=problems)
    if record == old:
        problems = [
            Problem(
                target.label,
                f"记录 {record_id} 的「{target.label}」已经是这个内容，不需要更正。"
                "如果要改的是别的栏目，请在「需要更正的字段」中选择它。",
            )
        ]
        return Outcome(False, failure_comment(title, problems), problems=problems)
    errors, _ = _check_and_write(kind, record, path, data_dir, today, keep=True)
    if errors:
        return Outcome(False, failure_comment(title, errors), problems=errors)
    # Who may make this change is the permission check's to say (it runs next, on what is
    # written here): a correction it will refuse gets no pull request, so say so now.
    if not is_submitter(old, author):
        why = "您不是这条记录的提交人"
    elif guarded_changes(kind, old, record):
        why = f"「{target.label}」登记后只能由维护者修改"
    else:
        why = ""
    note = (
        f"\n注意：{why}。除非您是这条记录的维护者，机器人不会为这项更正打开合并请求；"
        "维护者会根据本议题核实，确认后由维护者修改记录。\n"
        if why
        else ""
    )
    reason = sections.get("更正理由")
    lines = [
        f"### ✅ 已生成更正：`{record_id}`",
        "",
        f"「{md_escape(target.label, 60)}」将更正为："
        f"{md_escape(_as_on_form(kind, target.path, value) if value is not None else '（清空）', 200)}",
    ]
    if reason:
        lines += ["", f"更正理由：{md_escape(reason, 300)}"]
    lines.append(note)
    if not why:
        lines.append("维护者审核合并请求后更正即会生效。")
    return Outcome(True, "\n".join(lines) + "\n", path, record_id)


def run_intake(
    form: str,
    body: str,
    data_dir: Path,
    author: str | None = None,
    issue: int | None = None,
    today: dt.date | None = None,
) -> Outcome:
    if form not in FORMS:
        raise SpringrainError(f"未知的表单类型：{form}", f"Unknown form: {form}")
    if len(body) > MAX_BODY_CHARS:
        problem = Problem(
            "议题正文",
            f"议题正文有 {len(body)} 个字符，超过上限 {MAX_BODY_CHARS}。请精简内容，详细材料可作为附件另行提供。",
        )
        return Outcome(False, failure_comment("申报内容需要修改", [problem]), problems=[problem])
    if (unsaveable := _SURROGATE.search(body)) is not None:
        problem = Problem(
            "议题正文",
            f"议题正文含有无法保存的字符（U+{ord(unsaveable.group()):04X}，不是完整的字符）。"
            "请删除后重新提交；从其他文档复制粘贴时偶尔会带入。",
        )
        return Outcome(False, failure_comment("申报内容需要修改", [problem]), problems=[problem])
    if not data_dir.is_dir():
        raise SpringrainError(
            f"数据目录不存在：{data_dir}", f"Data directory not found: {data_dir}"
        )
    today = today or dt.date.today()
    if form == "correction":
        return intake_correction(body, data_dir, author, today)
    return intake_submission(form, body, data_dir, author, issue, today)


__all__ = ["Outcome", "checkbox_option", "md_escape", "run_intake", "split_sections"]
