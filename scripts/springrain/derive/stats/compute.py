"""Progress statistics computed from the records: funnel, breakdowns, stalled projects, targets.

Pure functions over lists of record dicts and table rows (dicts of strings); every figure is
defined in ``stats_definitions`` and nowhere else. Dates are ISO strings in the records, so
they compare as strings; ``as_of`` is a ``datetime.date``.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from springrain.config import source_date_epoch
from springrain.derive.stats.definitions import DEFINITIONS, REVIEW_MONTHS, STALLED_DAYS
from springrain.model import statuses as status_roles
from springrain.model.dates import is_real_date, record_dates
from springrain.model.recordset import RecordSet
from springrain.model.schemas import codes_where, vocabulary, vocabulary_labels

Project = dict[str, Any]


# ---------------------------------------------------------------- statuses


def statuses() -> list[dict[str, str]]:
    """Status vocabulary rows in funnel order (main path, then the terminal exits)."""
    return sorted(vocabulary("statuses"), key=lambda row: int(row["order"]))


def terminal() -> set[str]:
    return set(status_roles.with_role("terminal"))


def reached(project: Project) -> set[str]:
    return {event["status"] for event in project.get("history", [])}


def passed(project: Project, path: Mapping[str, int]) -> set[str]:
    """The funnel's stages the project has passed: every main-path stage up to the furthest
    one in its history (a skipped stage was passed), and any exit in its history."""
    seen = reached(project)
    furthest = max((path[s] for s in seen if s in path), default=0)
    return {s for s, rank in path.items() if rank <= furthest} | (seen - path.keys())


def days_in(project: Project) -> dict[str, int]:
    """Days spent in each status the project has left, repeated visits summed.

    A visit runs from its first event to the next event of another status; consecutive
    events of the same status are one visit; the current visit is open and not counted,
    nor is any earlier visit of the status the project is in now."""
    history = project.get("history", [])
    spent: dict[str, int] = defaultdict(int)
    for index, event in enumerate(history):
        if index and history[index - 1]["status"] == event["status"]:
            continue  # same visit
        leave = next((e for e in history[index + 1 :] if e["status"] != event["status"]), None)
        if leave is not None:
            start = dt.date.fromisoformat(event["date"])
            spent[event["status"]] += (dt.date.fromisoformat(leave["date"]) - start).days
    current = project.get("status")
    spent.pop(current, None)
    return dict(spent)


# ---------------------------------------------------------------- as of


# Columns of the hand-kept tables that date something that happened (a target's deadline
# is in the future and says nothing about how current the data is).
EVENT_COLUMNS = ("issued", "source_date", "as_of")


def as_of_date(
    records: Mapping[str, Iterable[dict[str, Any]]],
    tables: Iterable[dict[str, str]] = (),
    environ: Mapping[str, str] | None = None,
) -> dt.date:
    """SOURCE_DATE_EPOCH if set, else the latest date of the records (kind → records; only
    their date fields: any other text may look like a date, and a department named
    2099-12-31 would date every figure) and of the dated columns of the hand-kept tables;
    never the clock."""
    epoch = source_date_epoch(environ)
    if epoch is not None:
        return dt.datetime.fromtimestamp(epoch, tz=dt.UTC).date()
    found = [
        value
        for kind, of_kind in records.items()
        for record in of_kind
        for value in record_dates(kind, record)
        if is_real_date(value)
    ]
    found += [row[c] for row in tables for c in EVENT_COLUMNS if is_real_date(row.get(c) or "")]
    return dt.date.fromisoformat(max(found)) if found else dt.date(1970, 1, 1)


# ---------------------------------------------------------------- funnel


def funnel(projects: Sequence[Project]) -> list[dict[str, Any]]:
    path = status_roles.main_path()
    labels = vocabulary_labels("statuses")
    current = Counter(p["status"] for p in projects)
    ever: Counter[str] = Counter()
    through: Counter[str] = Counter()
    moved_on: Counter[str] = Counter()
    spent: dict[str, list[int]] = defaultdict(list)
    for project in projects:
        seen = reached(project)
        ever.update(seen)
        through.update(passed(project, path))
        furthest = max((path[s] for s in seen if s in path), default=0)
        for status in seen:
            if status in path and furthest > path[status]:
                moved_on[status] += 1
        for status, days in days_in(project).items():
            spent[status].append(days)
    last = max(path.values())
    rows = []
    for row in statuses():
        code = row["code"]
        on_path = code in path and path[code] < last
        rows.append(
            {
                "status": code,
                "label": labels[code],
                "current": current[code],
                "ever": ever[code],
                "reached": through[code],
                "conversion_to_next": (
                    round(moved_on[code] / ever[code], 4) if on_path and ever[code] else None
                ),
                "median_days": float(statistics.median(spent[code])) if spent[code] else None,
            }
        )
    return rows


# ---------------------------------------------------------------- breakdowns


def quarter(date: str) -> str:
    return f"{date[:4]}Q{(int(date[5:7]) - 1) // 3 + 1}"


def quarter_label(key: str) -> str:
    return f"{key[:4]}年第{'一二三四'[int(key[-1]) - 1]}季度"


MISSING_LABEL = "未填写"


def breakdowns(
    projects: Sequence[Project], programmes: Sequence[dict[str, str]]
) -> dict[str, list[dict[str, Any]]]:
    """For each dimension, one row per group: total, and current and ever per status.

    Dimensions with a vocabulary (and the programmes table) list every group, empty ones
    included, in vocabulary order; institution and quarter list the groups present."""
    codes = [row["code"] for row in statuses()]
    path = status_roles.main_path()

    def vocab(name: str) -> list[tuple[str, str]]:
        return [(row["code"], row["zh"]) for row in vocabulary(name)]

    dimensions: dict[str, tuple[Callable[[Project], str], list[tuple[str, str]] | None]] = {
        "province": (lambda p: p["province"], vocab("provinces")),
        "programme": (
            lambda p: p["programme"],
            [(row["id"], row["name_zh"]) for row in programmes],
        ),
        "product_class": (lambda p: p["product_class"], vocab("classes")),
        "project_type": (lambda p: p["project_type"], vocab("project_types")),
        "category": (lambda p: p.get("category", ""), vocab("categories")),
        "institution": (lambda p: p["institution"], None),
        "quarter": (lambda p: quarter(p["submitted"]), None),
    }
    result: dict[str, list[dict[str, Any]]] = {}
    for dimension, (key_of, groups) in dimensions.items():
        members: dict[str, list[Project]] = defaultdict(list)
        for project in projects:
            members[key_of(project)].append(project)
        if groups is None:
            label = quarter_label if dimension == "quarter" else (lambda key: key)
            groups = [(key, label(key)) for key in sorted(members)]
        else:
            known = {key for key, _ in groups}
            groups = groups + [(k, k or MISSING_LABEL) for k in sorted(members) if k not in known]
        rows = []
        for key, label in groups:
            group = members.get(key, [])
            current = Counter(p["status"] for p in group)
            ever = Counter(s for p in group for s in reached(p))
            through = Counter(s for p in group for s in passed(p, path))
            rows.append(
                {
                    "key": key,
                    "label": label,
                    "total": len(group),
                    "current": {code: current[code] for code in codes},
                    "ever": {code: ever[code] for code in codes},
                    "reached": {code: through[code] for code in codes},
                }
            )
        result[dimension] = rows
    return result


# ---------------------------------------------------------------- stalled


def next_review(as_of: dt.date) -> str:
    """The first review month (May or November) from the month of ``as_of`` on."""
    for month in REVIEW_MONTHS:
        if as_of.month <= month:
            return f"{as_of.year}-{month:02d}"
    return f"{as_of.year + 1}-{REVIEW_MONTHS[0]:02d}"


def stalled(projects: Sequence[Project], as_of: dt.date) -> list[dict[str, Any]]:
    order = status_roles.order()
    shortlisted = order[status_roles.the("shortlisted")]
    ended = terminal()
    review = next_review(as_of)
    rows = []
    for project in projects:
        status = project["status"]
        if status in ended or order.get(status, 0) < shortlisted:
            continue
        last_event = max(event["date"] for event in project["history"])
        days = (as_of - dt.date.fromisoformat(last_event)).days
        if days > STALLED_DAYS:
            rows.append(
                {
                    "project": project["id"],
                    "project_name": project["project_name"],
                    "province": project["province"],
                    "status": status,
                    "last_event": last_event,
                    "days_since": days,
                    "next_review": review,
                }
            )
    rows.sort(key=lambda row: (-row["days_since"], row["project"]))
    return rows


# ---------------------------------------------------------------- targets

# Innovation or priority registration channels (GD 2026–2028: 国家或省级创新或优先注册通道):
# the channels vocabulary's ``innovation`` column (审评前置, a pre-review service, is none).
INNOVATION_CHANNELS = codes_where("channels", "innovation")


def _first_at_or_after(project: Project, role: str) -> list[str]:
    """The date the project first reached the status with ``role``, or a later one."""
    reached_then = status_roles.at_or_after(role)
    dates = [e["date"] for e in project.get("history", []) if e["status"] in reached_then]
    return [min(dates)] if dates else []


# metric → (dates on which a project counts, the Chinese name of what is counted).
# A metric missing here cannot be computed from the records.
METRICS: dict[str, tuple[Callable[[Project], list[str]], str]] = {
    "projects_collected": (lambda p: [p["submitted"]], "提交的项目"),
    "projects_finalised": (
        lambda p: _first_at_or_after(p, "finalised"),
        f"进入“{status_roles.the('finalised')}”或更后阶段的项目",
    ),
    "projects_into_registration": (
        lambda p: _first_at_or_after(p, "registration"),
        f"进入“{status_roles.the('registration')}”或更后阶段的项目",
    ),
    "projects_into_channels": (
        lambda p: [
            c["date"]
            for c in p.get("regulatory_channels", [])
            if c["channel"] in INNOVATION_CHANNELS
        ],
        "进入创新或优先注册通道的项目",
    ),
}
UNSUPPORTED_NOTE = {
    "coaching_sessions": "记录暂不支持：注册辅导会不是项目记录的一部分，无法由记录计算（不显示为零）。",
    "demonstration_platforms": "记录暂不支持：示范性服务平台不是项目记录的一部分，无法由记录计算（不显示为零）。",
}
COMPARE: dict[str, Callable[[float, float], bool]] = {
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "=": lambda a, b: a == b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
}


def _window(row: dict[str, str], as_of: dt.date) -> tuple[dt.date, dt.date]:
    start = dt.date.fromisoformat(row["period_start"])
    deadline = dt.date.fromisoformat(row["deadline"] or row["period_end"])
    if row["per"] != "year":
        return start, deadline
    end = dt.date.fromisoformat(row["period_end"] or row["deadline"])
    year = min(max(as_of.year, start.year), end.year)
    return max(start, dt.date(year, 1, 1)), min(end, dt.date(year, 12, 31))


NO_RECORDS_NOTE = "本库暂无该方案的项目记录，无法判断进度。"
NO_PERIOD_NOTE = "目标未写明起始日期和截止日期，无法判断进度。"


def related_reported(
    row: dict[str, str],
    programmes: Sequence[dict[str, str]],
    reported: Sequence[dict[str, str]],
) -> list[str]:
    """Ids of the officially reported figures that speak of the target's metric in the
    target's programme or province (shown beside the target, never counted into it)."""
    province = next((p.get("province", "") for p in programmes if p["id"] == row["programme"]), "")
    return [
        r["id"]
        for r in reported
        if r.get("metric") == row["metric"]
        and (r.get("programme") == row["programme"] or (province and r.get("province") == province))
    ]


def target(
    row: dict[str, str],
    projects: Sequence[Project],
    as_of: dt.date,
    *,
    programmes: Sequence[dict[str, str]] = (),
    reported: Sequence[dict[str, str]] = (),
) -> dict[str, Any]:
    value = int(row["value"])
    members = [p for p in projects if p["programme"] == row["programme"]]
    result: dict[str, Any] = {
        "target": row["id"],
        "programme": row["programme"],
        "metric": row["metric"],
        "description_zh": row["description_zh"],
        "value": value,
        "unit": row["unit"],
        "per": row["per"],
        "deadline": row["deadline"],
        "supported": False,
        "programme_projects": len(members),
        "actual": None,
        "required_pace": None,
        "actual_pace": None,
        "on_track": None,
        "note_zh": "",
        "reported": related_reported(row, programmes, reported),
    }
    if row["metric"] not in METRICS:
        result["note_zh"] = UNSUPPORTED_NOTE.get(
            row["metric"], "记录暂不支持：该指标无法由记录计算（不显示为零）。"
        )
        return result
    result["supported"] = True
    if not members:
        # An empty repository is not a programme failing: no count, no pace, no verdict.
        result["note_zh"] = NO_RECORDS_NOTE
        return result
    if not row["period_start"] or not (row["deadline"] or row["period_end"]):
        # The table allows a target without its dates: nothing to measure the pace over.
        result["note_zh"] = NO_PERIOD_NOTE
        return result
    dates_of, what = METRICS[row["metric"]]
    start, end = _window(row, as_of)
    until = min(as_of, end)
    actual = sum(
        1
        for project in members
        if any(start.isoformat() <= d <= until.isoformat() for d in dates_of(project))
    )
    elapsed = (until - start).days + 1
    remaining = (end - until).days
    met = COMPARE[row["comparator"]](actual, value)
    result["actual"] = actual
    span = f"{start.isoformat()} 至 {until.isoformat()}" if elapsed > 0 else ""
    if elapsed <= 0:
        result["required_pace"] = round(value / ((end - start).days + 1) * 365, 2)
        result["note_zh"] = f"目标期自 {start.isoformat()} 开始，尚未开始，不判断进度。"
        return result
    pace = actual / elapsed * 365
    result["actual_pace"] = round(pace, 2)
    unit = row["unit"]
    if remaining <= 0:
        result["on_track"] = met
        verdict = "已达到" if met else "未达到"
        result["note_zh"] = (
            f"期限已过：{span}，本库记录中{what}共 {actual} {unit}，{verdict}目标 {value} {unit}。"
        )
        return result
    required = max(0, value - actual) / remaining * 365
    result["required_pace"] = round(required, 2)
    result["on_track"] = met or COMPARE[row["comparator"]](actual + pace * remaining / 365, value)
    scope = "本年度" if row["per"] == "year" else "累计"
    result["note_zh"] = f"{scope}（{span}）本库记录中{what} {actual} {unit}，目标 {value} {unit}。"
    return result


def targets(
    rows: Sequence[dict[str, str]],
    projects: Sequence[Project],
    as_of: dt.date,
    *,
    programmes: Sequence[dict[str, str]] = (),
    reported: Sequence[dict[str, str]] = (),
) -> list[dict[str, Any]]:
    return [target(row, projects, as_of, programmes=programmes, reported=reported) for row in rows]


# ---------------------------------------------------------------- everything


def compute(records: RecordSet, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The whole of ``stats.json``."""
    projects, enterprises, cooperations = (
        records.projects,
        records.enterprises,
        records.cooperations,
    )
    programmes, target_rows, reported = records.programmes, records.targets, records.reported
    as_of = as_of_date(
        {"project": projects, "enterprise": enterprises, "cooperation": cooperations},
        [*programmes, *target_rows, *reported],
        environ=environ,
    )
    return {
        "as_of": as_of.isoformat(),
        "definitions": {
            code: {"title": m.title, "zh": m.zh, "en": m.en} for code, m in DEFINITIONS.items()
        },
        "funnel": funnel(projects),
        "breakdowns": breakdowns(projects, programmes),
        "stalled": stalled(projects, as_of),
        "targets": targets(target_rows, projects, as_of, programmes=programmes, reported=reported),
        "reported": [{key: str(value or "") for key, value in row.items()} for row in reported],
    }
