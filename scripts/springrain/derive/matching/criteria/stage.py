"""Criterion ``stage``: what the project's stage calls for in a partner. An early project
(concept to prototype) needs research strength: a high-tech or 专精特新 enterprise. A late one
(production validation to clinical trial) needs registration experience in its class and the
capital to see registration through: half the marks for each."""

from __future__ import annotations

from typing import Any

from springrain.derive.matching.criteria.base import Criterion, label_of
from springrain.derive.matching.criteria.device_class import enterprise_level, needed_level
from springrain.model.schemas import codes_where

CODE = "stage"
LABEL = "阶段匹配"
WEIGHT = 0.05

# The stages vocabulary's ``phase`` column, and the 专精特新 levels that count as research
# strength (the ``research`` column of theirs).
EARLY_STAGES = codes_where("stages", "phase", "early")
LATE_STAGES = codes_where("stages", "phase", "late")
RD_LEVELS = codes_where("specialised_levels", "research")
CAPITAL_FOR_LATE_STAGE = 1000.0  # 万元

# (stage, class level the project needs)
ProjectKey = tuple[str, int]
# (high-tech, 专精特新 level or None, highest class level, capital reaches the bar)
EnterpriseKey = tuple[bool, str | None, int, bool]


def project_key(project: dict[str, Any]) -> ProjectKey:
    return str(project.get("stage", "")), needed_level(str(project.get("product_class", "")))


def enterprise_key(enterprise: dict[str, Any]) -> EnterpriseKey:
    specialised = enterprise.get("specialised")
    return (
        bool(enterprise.get("high_tech")),
        specialised if specialised in RD_LEVELS else None,
        enterprise_level(enterprise),
        float(enterprise.get("registered_capital") or 0) >= CAPITAL_FOR_LATE_STAGE,
    )


def _strengths(project: ProjectKey, enterprise: EnterpriseKey) -> tuple[str, ...]:
    """What the enterprise brings that the project's stage calls for, in words."""
    stage, needed = project
    high_tech, specialised, level, capital = enterprise
    found: list[str] = []
    if stage in EARLY_STAGES:
        if high_tech:
            found.append("高新技术企业")
        if specialised:
            found.append(label_of("specialised_levels", specialised))
    elif stage in LATE_STAGES:
        if level >= needed:
            found.append("同类别产品注册生产经验")
        if capital:
            found.append(f"注册资金{CAPITAL_FOR_LATE_STAGE:.0f}万元以上")
    return tuple(found)


def score(project: ProjectKey, enterprise: EnterpriseKey) -> float:
    found = len(_strengths(project, enterprise))
    if project[0] in EARLY_STAGES:
        return 1.0 if found else 0.0
    return 0.5 * found  # late stages: half for each of the two strengths


def reason(project: ProjectKey, enterprise: EnterpriseKey) -> str | None:
    found = _strengths(project, enterprise)
    if not found:
        return None
    stage = label_of("stages", project[0])
    if project[0] in EARLY_STAGES:
        return f"项目处于{stage}，企业为{'、'.join(found)}，具备联合研发条件"
    return f"项目处于{stage}，企业具备{'、'.join(found)}"


CRITERION = Criterion(CODE, LABEL, WEIGHT, project_key, enterprise_key, score, reason)
