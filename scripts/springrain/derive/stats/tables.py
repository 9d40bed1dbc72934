"""The statistics as package tables (with Table Schemas) and as ``stats.json`` for the site."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from springrain.derive import DerivedTable
from springrain.derive.stats.compute import compute, statuses
from springrain.derive.stats.definitions import DEFINITIONS
from springrain.model.recordset import RecordSet
from springrain.model.schemas import fields

STATS_JSON = "stats.json"


def _field(name: str, kind: str, title: str, description: str, **constraints: Any) -> dict:
    field: dict[str, Any] = {"name": name, "type": kind, "title": title, "description": description}
    if constraints:
        field["constraints"] = constraints
    return field


def _definition(code: str) -> str:
    return DEFINITIONS[code].en


def _project_title() -> str:
    return next(f.title_zh for f in fields("project") if f.name == "id")


STATUS_CODES = [row["code"] for row in statuses()]
STATUS = _field("status", "string", "状态", "Project status.", required=True, enum=STATUS_CODES)
PROJECT_KEY = [{"fields": "project", "reference": {"resource": "projects", "fields": "id"}}]


def _schema(fields_: list[dict], key: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"fields": fields_, "missingValues": [""]}
    if key:
        schema["primaryKey"] = key
    schema.update(extra)
    return schema


def specs(stats: dict[str, Any]) -> list[DerivedTable]:
    as_of = stats["as_of"]
    note = f"统计截止日期 {as_of}。As of {as_of}."
    funnel = DerivedTable(
        "stats_funnel",
        _schema(
            [
                STATUS,
                _field("label", "string", "状态名称", "Chinese name of the status."),
                _field(
                    "current", "integer", "当前数", _definition("current"), required=True, minimum=0
                ),
                _field(
                    "ever", "integer", "累计到达数", _definition("ever"), required=True, minimum=0
                ),
                _field(
                    "reached", "integer", "漏斗", _definition("reached"), required=True, minimum=0
                ),
                _field(
                    "conversion_to_next",
                    "number",
                    "向后转化率",
                    _definition("conversion_to_next"),
                    minimum=0,
                    maximum=1,
                ),
                _field(
                    "median_days",
                    "number",
                    "阶段停留天数中位数",
                    _definition("median_days"),
                    minimum=0,
                ),
            ],
            ["status"],
        ),
        "项目进展漏斗",
        "Project funnel",
        note,
        rows=stats["funnel"],
    )
    breakdown_rows = [
        {
            "dimension": dimension,
            "key": row["key"],
            "label": row["label"],
            "total": row["total"],
            "status": status,
            "current": row["current"][status],
            "ever": row["ever"][status],
            "reached": row["reached"][status],
        }
        for dimension, rows in stats["breakdowns"].items()
        for row in rows
        for status in STATUS_CODES
    ]
    breakdown = DerivedTable(
        "stats_breakdown",
        _schema(
            [
                _field(
                    "dimension",
                    "string",
                    "分组维度",
                    "What the projects are grouped by.",
                    required=True,
                    enum=list(stats["breakdowns"]),
                ),
                _field("key", "string", "分组代码", "Code of the group (empty: not given)."),
                _field("label", "string", "分组名称", "Chinese name of the group."),
                _field(
                    "total", "integer", "项目总数", _definition("total"), required=True, minimum=0
                ),
                STATUS,
                _field(
                    "current", "integer", "当前数", _definition("current"), required=True, minimum=0
                ),
                _field(
                    "ever", "integer", "累计到达数", _definition("ever"), required=True, minimum=0
                ),
                _field(
                    "reached", "integer", "漏斗", _definition("reached"), required=True, minimum=0
                ),
            ],
            ["dimension", "key", "status"],
        ),
        "项目分组统计",
        "Projects by group and status",
        note + " One row per group and status.",
        rows=breakdown_rows,
    )
    stalled = DerivedTable(
        "stats_stalled",
        _schema(
            [
                _field("project", "string", _project_title(), "Id of the project.", required=True),
                _field("project_name", "string", "项目名称", "Name of the project."),
                _field("province", "string", "所在省份", "Province of the project."),
                STATUS,
                _field(
                    "last_event",
                    "date",
                    "最近事件日期",
                    "Date of the last history event.",
                    required=True,
                ),
                _field(
                    "days_since",
                    "integer",
                    "距最近事件天数",
                    _definition("days_since"),
                    required=True,
                ),
                _field(
                    "next_review",
                    "string",
                    "下一轮评审",
                    _definition("next_review"),
                    pattern="^[0-9]{4}-[0-9]{2}$",
                ),
            ],
            ["project"],
            foreignKeys=PROJECT_KEY,
        ),
        "停滞项目",
        "Stalled projects",
        note + " " + _definition("stalled"),
        rows=stats["stalled"],
    )
    targets = DerivedTable(
        "stats_targets",
        _schema(
            [
                _field(
                    "target", "string", "目标编号", "Id of the target (targets.id).", required=True
                ),
                _field("programme", "string", "所属行动方案", "Programme setting the target."),
                _field("metric", "string", "指标", "What is counted."),
                _field("value", "integer", "目标值", "Target number."),
                _field("unit", "string", "单位", "Measure word."),
                _field("per", "string", "计量方式", "year or total.", enum=["year", "total"]),
                _field("deadline", "date", "完成时限", "Deadline of the target."),
                _field(
                    "supported",
                    "boolean",
                    "能否由记录计算",
                    _definition("supported"),
                    required=True,
                ),
                _field(
                    "programme_projects",
                    "integer",
                    "本库该方案的项目数",
                    _definition("programme_projects"),
                    required=True,
                    minimum=0,
                ),
                _field("actual", "integer", "实际完成数", _definition("target_actual"), minimum=0),
                _field("required_pace", "number", "所需进度（每年）", _definition("required_pace")),
                _field("actual_pace", "number", "实际进度（每年）", _definition("actual_pace")),
                _field("on_track", "boolean", "是否按进度", _definition("on_track")),
                _field(
                    "note_zh", "string", "说明", "How the figure was computed, or why it cannot be."
                ),
                _field(
                    "reported",
                    "string",
                    "官方公布的相关数字",
                    "Ids of the reported_figures rows on the same metric in the target's "
                    "programme or province, separated by spaces: " + _definition("reported"),
                ),
            ],
            ["target"],
            foreignKeys=[
                {"fields": "target", "reference": {"resource": "targets", "fields": "id"}}
            ],
        ),
        "目标完成情况",
        "Progress against targets",
        note,
        rows=[{**row, "reported": " ".join(row["reported"])} for row in stats["targets"]],
    )
    definitions = DerivedTable(
        "stats_definitions",
        _schema(
            [
                _field("code", "string", "指标代码", "Code of the figure.", required=True),
                _field("title", "string", "名称", "Chinese name of the figure."),
                _field("zh", "string", "中文定义", "Definition in Chinese."),
                _field("en", "string", "英文定义", "Definition in English."),
            ],
            ["code"],
        ),
        "统计指标定义",
        "Definitions of the statistics",
        "Every published figure, defined once.",
        rows=[{"code": code, **text} for code, text in stats["definitions"].items()],
    )
    return [funnel, breakdown, stalled, targets, definitions]


def tables(
    records: RecordSet, environ: Mapping[str, str] | None = None
) -> tuple[dict[str, Any], list[DerivedTable]]:
    """The statistics of ``records``: ``stats.json``'s content and the package tables."""
    stats = compute(records, environ)
    return stats, specs(stats)


def stats_json(stats: dict[str, Any]) -> bytes:
    return orjson.dumps(stats, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
