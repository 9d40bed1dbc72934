"""Rules one record can be checked against on its own (beyond its schema)."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from functools import cache, lru_cache
from itertools import pairwise
from typing import Any

from stdnum.cn import uscc

from springrain.model.schemas import deref, record_schema, transitions
from springrain.validate.checks.registry import Finding, rule
from springrain.validate.checks.walk import values_at

ID_FILE = rule(
    "id.file_name",
    "error",
    "编号与文件名不符",
    "「编号」{id} 与文件名 {name} 不一致。文件应命名为 {expected}。",
    "The id {id} does not match the file name {name}; name the file {expected}.",
)
ID_PROVINCE = rule(
    "id.province",
    "error",
    "编号与省份不符",
    "项目编号 {id} 的省份代码与「所在省份」{province} 或所在文件夹 {folder} 不一致。"
    "编号以省份代码开头，文件放在 data/projects/{province}/ 下。",
    "Project id {id} does not agree with province {province} or folder {folder}.",
)
ID_YEAR = rule(
    "id.year",
    "error",
    "编号年份不符",
    "项目编号 {id} 中的年份与「提交日期」{submitted} 的年份不一致。",
    "The year in project id {id} differs from the submission date {submitted}.",
)
DATE_INVALID = rule(
    "date.invalid",
    "error",
    "日期不存在",
    "「{field}」的日期 {value} 不存在（例如 2 月没有 30 日）。请改为正确的日期。",
    "{field_en}: {value} is not a real date.",
)
DATE_FUTURE = rule(
    "date.future",
    "error",
    "日期在未来",
    "「{field}」的日期 {value} 晚于今天（{today}）。记录只记载已经发生的事。",
    "{field_en}: {value} is in the future (today is {today}).",
)
HISTORY_FIRST = rule(
    "history.first",
    "error",
    "历程起点不对",
    "「状态历程」的第一项应为“已提交”，日期与「提交日期」{submitted} 相同。",
    "The first history event must be 已提交 on the submission date {submitted}.",
)
HISTORY_ORDER = rule(
    "history.order",
    "error",
    "历程日期顺序错误",
    "「状态历程」第{index}项的日期 {date} 早于前一项 {previous}。请按时间先后排列。",
    "History event {index} ({date}) is dated before the one before it ({previous}).",
)
HISTORY_STATUS = rule(
    "history.status_mismatch",
    "error",
    "当前状态与历程不符",
    "「当前状态」是“{status}”，但「状态历程」最后一项是“{last}”。两者应一致。",
    "Status {status} differs from the last history event {last}.",
)
HISTORY_TRANSITION = rule(
    "history.transition",
    "error",
    "状态变化不合规",
    "「状态历程」第{index}项从“{previous}”直接变为“{status}”，这不是允许的状态变化。"
    "允许的变化见 schemas/vocab/transitions.csv；如确有跳过，请补上中间的状态。",
    "History event {index}: {previous} → {status} is not a legal transition "
    "(see schemas/vocab/transitions.csv).",
)
USCC = rule(
    "uscc.checksum",
    "error",
    "统一社会信用代码校验位错误",
    "「统一社会信用代码」{value} 的校验位不正确，可能抄错了一位。请对照营业执照核对。",
    "The unified social credit code {value} fails its check digit; compare it with the licence.",
)
CMDE_CLASS = rule(
    "cmde.class",
    "error",
    "非三类项目填写了上报器审中心日期",
    "只有第三类医疗器械项目上报国家局器审中心。本项目「产品分类」为“{product_class}”，"
    "请删除「上报国家局器审中心日期」或更正产品分类。",
    "Only class III projects are reported to CMDE; this one is {product_class}.",
)
STAGE_NOTE = rule(
    "stage.note",
    "error",
    "缺少阶段说明",
    "「项目所处阶段」选了“其他”，请在「其他阶段说明」中写明所处阶段。",
    "Stage 其他 needs a stage note.",
)
DEMO = rule(
    "demo.in_data",
    "error",
    "示例数据混入",
    "这是演示用的虚构记录（demo: true），不能放入真实数据目录。请删除该文件。",
    "This is a fictional demo record (demo: true); it may not enter the real data directory.",
)


USCC_SHAPE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}")


@cache
def date_paths(kind: str) -> tuple[tuple[str, ...], ...]:
    """Schema paths (``*`` for list items) of every date field of a kind."""
    schema = record_schema(kind)
    date_def = schema["$defs"]["date"]
    paths: list[tuple[str, ...]] = []

    def walk(node: dict[str, Any], path: tuple[str, ...]) -> None:
        if node.get("$ref", "").endswith("/date"):
            paths.append(path)
            return
        node = deref(kind, node)
        if node is date_def:
            paths.append(path)
        if isinstance(node.get("items"), dict):
            walk(node["items"], (*path, "*"))
        for name, prop in node.get("properties", {}).items():
            walk(prop, (*path, name))

    walk(schema, ())
    return tuple(paths)


def _dates(record: dict[str, Any], path: tuple[str, ...]) -> list[tuple[str, Any]]:
    # The shapes our schemas have: a top-level field, or a field of each item of a list.
    if len(path) == 1:
        return [("/" + path[0], record[path[0]])] if path[0] in record else []
    if len(path) == 3 and path[1] == "*":
        items = record.get(path[0])
        if not isinstance(items, list):
            return []
        name = path[2]
        return [
            (f"/{path[0]}/{i}/{name}", item[name])
            for i, item in enumerate(items)
            if isinstance(item, dict) and name in item
        ]
    return list(values_at(record, path))


@lru_cache(maxsize=1 << 16)
def _real_date(value: str) -> bool:
    # Records share few distinct dates: each is parsed once.
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def check_dates(
    file: str, kind: str, record: dict[str, Any], today: dt.date, label: Any
) -> list[Finding]:
    iso_today = today.isoformat()
    findings = []
    for path in date_paths(kind):
        for pointer, value in _dates(record, path):
            if not isinstance(value, str) or len(value) != 10:
                continue  # the schema reports the shape
            if not _real_date(value):
                zh, en = label(pointer)
                findings.append(DATE_INVALID.at(file, pointer, field=zh, field_en=en, value=value))
            elif value > iso_today:
                zh, en = label(pointer)
                findings.append(
                    DATE_FUTURE.at(
                        file, pointer, field=zh, field_en=en, value=value, today=iso_today
                    )
                )
    return findings


def check_history(
    file: str, record: dict[str, Any], legal: frozenset[tuple[str, str]] | None
) -> list[Finding]:
    """Order, start, legality of each step, and agreement with the current status."""
    history = record.get("history")
    if not isinstance(history, list) or not history:
        return []
    events = [
        e
        for e in history
        if isinstance(e, dict)
        and isinstance(e.get("date"), str)
        and isinstance(e.get("status"), str)
    ]
    if len(events) != len(history):
        return []  # the schema reports malformed events
    findings = []
    submitted = record.get("submitted")
    if legal is not None and (events[0]["status"] != "已提交" or events[0]["date"] != submitted):
        findings.append(HISTORY_FIRST.at(file, "/history/0", submitted=submitted))
    for index in range(1, len(events)):
        previous, event = events[index - 1], events[index]
        if event["date"] < previous["date"]:
            findings.append(
                HISTORY_ORDER.at(
                    file,
                    f"/history/{index}/date",
                    index=index + 1,
                    date=event["date"],
                    previous=previous["date"],
                )
            )
        if legal is not None and (previous["status"], event["status"]) not in legal:
            findings.append(
                HISTORY_TRANSITION.at(
                    file,
                    f"/history/{index}/status",
                    index=index + 1,
                    previous=previous["status"],
                    status=event["status"],
                )
            )
    status = record.get("status")
    if isinstance(status, str) and status != events[-1]["status"]:
        findings.append(
            HISTORY_STATUS.at(file, "/status", status=status, last=events[-1]["status"])
        )
    return findings


def check_identity(file: str, kind: str, record: dict[str, Any]) -> list[Finding]:
    record_id = record.get("id")
    if not isinstance(record_id, str):
        return []
    head, name = posixpath.split(file)
    findings = []
    if posixpath.splitext(name)[0] != record_id:
        findings.append(
            ID_FILE.at(file, "/id", id=record_id, name=name, expected=f"{record_id}.json")
        )
    if kind == "project":
        province = record.get("province")
        folder = posixpath.basename(head)
        if record_id[:2] != province or folder != province:
            findings.append(
                ID_PROVINCE.at(file, "/id", id=record_id, province=province, folder=folder)
            )
        submitted = record.get("submitted")
        if isinstance(submitted, str) and record_id[3:7] != submitted[:4]:
            findings.append(ID_YEAR.at(file, "/id", id=record_id, submitted=submitted))
    return findings


def _date_values(record: dict[str, Any], path: tuple[str, ...]) -> list[Any]:
    """The values ``_dates`` finds, without their pointers (built only for a finding)."""
    if len(path) == 1:
        value = record.get(path[0])
        return [] if value is None else [value]
    if len(path) == 3 and path[1] == "*":
        name = path[2]
        return [item[name] for item in record.get(path[0], ()) if name in item]
    return [value for _, value in values_at(record, path)]


@cache
def _good_dates(iso_today: str) -> set[str]:
    """Dates seen to be real and not after ``iso_today`` (records share few distinct dates)."""
    return set()


@lru_cache(maxsize=4096)
def _legal_sequence(statuses: tuple[str, ...], legal: frozenset[tuple[str, str]]) -> bool:
    return statuses[0] == "已提交" and all(step in legal for step in pairwise(statuses))


@cache
def _other_date_paths(kind: str) -> tuple[tuple[str, ...], ...]:
    """Date paths besides the submission date and the history's (which a history checks)."""
    return tuple(p for p in date_paths(kind) if p not in (("submitted",), ("history", "*", "date")))


def _all_good(values: list[Any], iso_today: str) -> bool:
    good = _good_dates(iso_today)
    if good.issuperset(values):
        return True
    for value in values:
        if value not in good:
            if value > iso_today or not _real_date(value):
                return False
            if len(good) < 1 << 16:
                good.add(value)
    return True


def project_is_clean(file: str, record: dict[str, Any], iso_today: str, allow_demo: bool) -> bool:
    """True proves that ``check_record`` finds nothing in this project, which the schema has
    already passed; False only means the full checks must look.

    Nearly every record is clean, and proving it takes a fraction of the time of the checks
    that say where a problem is; each test below is the negation of one of their findings.
    Anything unexpected (the schema assumed wrongly) raises, and the full checks decide."""
    try:
        record_id = record["id"]
        province = record["province"]
        submitted = record["submitted"]
        history = record["history"]
        if (
            "/" in record_id
            or not file.endswith(f"/{province}/{record_id}.json")
            or record_id[:2] != province
            or record_id[3:7] != submitted[:4]
        ):
            return False
        dates = [event["date"] for event in history]
        if dates[0] != submitted or dates != sorted(dates) or not _all_good(dates, iso_today):
            return False
        statuses = tuple([event["status"] for event in history])
        if record["status"] != statuses[-1] or not _legal_sequence(statuses, transitions()):
            return False
        for path in _other_date_paths("project"):
            values = _date_values(record, path)
            if values and not _all_good(values, iso_today):
                return False
        get = record.get
        return not (
            (get("cmde_reported") is not None and get("product_class") != "第三类")
            or (get("stage") == "其他" and not get("stage_note"))
            or (get("demo") is True and not allow_demo)
        )
    except (KeyError, TypeError, IndexError, AttributeError):
        return False


def check_record(
    file: str,
    kind: str,
    record: dict[str, Any],
    today: dt.date,
    label: Any,
    allow_demo: bool,
) -> list[Finding]:
    findings = check_identity(file, kind, record)
    findings += check_dates(file, kind, record, today, label)
    if kind == "project":
        findings += check_history(file, record, transitions())
        if record.get("cmde_reported") is not None and record.get("product_class") != "第三类":
            findings.append(
                CMDE_CLASS.at(file, "/cmde_reported", product_class=record.get("product_class"))
            )
        if record.get("stage") == "其他" and not record.get("stage_note"):
            findings.append(STAGE_NOTE.at(file, "/stage_note"))
    elif kind == "cooperation":
        findings += check_history(file, record, None)
    elif kind == "enterprise":
        code = record.get("credit_code")
        if isinstance(code, str) and USCC_SHAPE.fullmatch(code) and not uscc.is_valid(code):
            findings.append(USCC.at(file, "/credit_code", value=code))
    if record.get("demo") is True and not allow_demo:
        findings.append(DEMO.at(file, "/demo"))
    return findings
