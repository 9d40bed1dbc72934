"""The ``matches`` table: its Table Schema, and running the match over a built package."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from springrain.derive.matching.engine import (
    ALGORITHM_VERSION,
    COOPERATION_CODE,
    REASON_CODES,
    TOP_K,
    match,
)
from springrain.model.schemas import fields
from springrain.package.reader import add_tables, load
from springrain.package.writer import ResourceSpec

NAME = "matches"
TITLE = ("项目与企业匹配建议", "Suggested project–enterprise matches")
DESCRIPTION = (
    f"为每个对接期项目（初核通过至培育中）推荐前 {TOP_K} 家企业，为每家企业推荐前 {TOP_K} 个项目，"
    "附可核对的理由；已有合作记录的组合列出但不作推荐。算法说明见网站“匹配方法”页。\n\n"
    f"Top {TOP_K} enterprises for each project open to partners and top {TOP_K} projects for "
    f"each enterprise, with checkable reasons ({ALGORITHM_VERSION}); pairs already in a "
    "cooperation are listed, not suggested."
)
CODES_PATTERN = "^(?:(?:{0})(?:;(?:{0}))*)?$".format("|".join((COOPERATION_CODE, *REASON_CODES)))


def _title(kind: str, name: str) -> str:
    return next(f.title_zh for f in fields(kind) if f.name == name)


def table_schema() -> dict[str, Any]:
    rank = {"type": "integer", "constraints": {"minimum": 1, "maximum": TOP_K}}
    return {
        "fields": [
            {
                "name": "project",
                "type": "string",
                "title": _title("cooperation", "project"),
                "description": "Id of the project (projects.id).",
                "constraints": {"required": True},
            },
            {
                "name": "enterprise",
                "type": "string",
                "title": _title("cooperation", "enterprise"),
                "description": "Id of the enterprise (enterprises.id).",
                "constraints": {"required": True},
            },
            {
                "name": "project_rank",
                "title": "企业在该项目推荐中的名次",
                "description": f"The enterprise's rank (1–{TOP_K}) among the project's suggestions; empty if not among them.",
                **rank,
            },
            {
                "name": "enterprise_rank",
                "title": "项目在该企业推荐中的名次",
                "description": f"The project's rank (1–{TOP_K}) among the enterprise's suggestions; empty if not among them.",
                **rank,
            },
            {
                "name": "score",
                "type": "number",
                "title": "匹配得分",
                "description": "Weighted sum of the evidence, 0–1, four decimals (see docs/matching.md).",
                "constraints": {"required": True, "minimum": 0, "maximum": 1},
            },
            {
                "name": "reason_codes",
                "type": "string",
                "title": "理由代码",
                "description": "Codes of the evidence that counted, joined by ';': "
                + ";".join((COOPERATION_CODE, *REASON_CODES))
                + " (cooperation: the pair is already in a cooperation record).",
                "constraints": {"pattern": CODES_PATTERN},
            },
            {
                "name": "reasons",
                "type": "string",
                "title": "匹配理由",
                "description": "The reasons in Chinese, joined by '；', in the order of the codes.",
            },
            {
                "name": "shared_terms",
                "type": "string",
                "title": "共同词语",
                "description": "The words weighing most in the text similarity, joined by '、'.",
            },
            {
                "name": "algorithm_version",
                "type": "string",
                "title": "算法版本",
                "description": "Version of the matching algorithm that produced the row.",
                "constraints": {"required": True},
            },
        ],
        "primaryKey": ["project", "enterprise"],
        "foreignKeys": [
            {"fields": "project", "reference": {"resource": "projects", "fields": "id"}},
            {"fields": "enterprise", "reference": {"resource": "enterprises", "fields": "id"}},
        ],
        "missingValues": [""],
    }


def run(package_dir: Path) -> list[dict[str, Any]]:
    """Match the records of a built package and add the ``matches`` table to it."""
    data = load(package_dir)
    rows = match(data.projects, data.enterprises, data.cooperations)
    spec = ResourceSpec(NAME, table_schema(), TITLE[0], TITLE[1], DESCRIPTION, rows=rows)
    add_tables(package_dir, [spec])
    return rows
