"""The ``matches`` table: its Table Schema, and its rows computed from a ``RecordSet``.

Pure: nothing here reads or writes files; the package writer publishes what it returns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from springrain.derive.matching import criteria
from springrain.derive.matching.engine import ALGORITHM_VERSION, COOPERATION_CODE, match
from springrain.derive.matching.ranking import TOP_K
from springrain.model.schemas import fields, vocabulary_labels
from springrain.model.statuses import with_role

if TYPE_CHECKING:
    from springrain.model.recordset import RecordSet

NAME = "matches"
TITLE = ("项目与企业匹配建议", "Suggested project–enterprise matches")
_OPEN = with_role("open_to_partners")
DESCRIPTION = (
    f"为每个对接期项目（状态为{'、'.join(vocabulary_labels('statuses')[s] for s in _OPEN)}）"
    f"推荐前 {TOP_K} 家企业，为每家企业推荐前 {TOP_K} 个项目，"
    "附可核对的理由；已有合作记录的组合列出但不作推荐。算法说明见网站“匹配方法”页。\n\n"
    f"Top {TOP_K} enterprises for each project open to partners (status {', '.join(_OPEN)}) "
    f"and top {TOP_K} projects for each enterprise, with checkable reasons "
    f"({ALGORITHM_VERSION}); pairs already in a cooperation are listed, not suggested."
)


def _reason_codes() -> tuple[str, ...]:
    """Every code ``reason_codes`` may hold, in the order they are listed."""
    return (COOPERATION_CODE, *(c.code for c in criteria.registered()))


def matches(records: RecordSet) -> list[dict[str, Any]]:
    """The rows of the ``matches`` table for the records."""
    return match(records.projects, records.enterprises, records.cooperations)


def _title(kind: str, name: str) -> str:
    return next(f.title_zh for f in fields(kind) if f.name == name)


def table_schema() -> dict[str, Any]:
    codes = _reason_codes()
    pattern = "^(?:(?:{0})(?:;(?:{0}))*)?$".format("|".join(codes))
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
                + ";".join(codes)
                + " (cooperation: the pair is already in a cooperation record).",
                "constraints": {"pattern": pattern},
            },
            {
                "name": "reasons",
                "type": "string",
                "title": "匹配理由",
                "description": "The reasons in Chinese, one per code and in the order of the codes, "
                "each as '标签：说明' (label: what was found), joined by '；'.",
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
