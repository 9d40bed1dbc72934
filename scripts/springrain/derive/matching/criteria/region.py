"""Criterion ``region``: the enterprise serves the project's province. When the project asks
for in-province partners, an enterprise based there gets full marks and one that merely
serves the province from elsewhere gets half."""

from __future__ import annotations

from enum import Enum, auto
from typing import Any

from springrain.derive.matching.criteria.base import Criterion, label_of

CODE = "region"
LABEL = "地域"
WEIGHT = 0.10


class Fit(Enum):
    NONE = auto()
    BASED = auto()  # based in the project's province
    SERVES = auto()  # serves it from elsewhere
    SERVES_FROM_OUTSIDE = auto()  # serves it from elsewhere, but the project wants a local partner


SHARE = {Fit.NONE: 0.0, Fit.BASED: 1.0, Fit.SERVES: 1.0, Fit.SERVES_FROM_OUTSIDE: 0.5}
SAYS = {
    Fit.BASED: "企业位于项目所在地{province}",
    Fit.SERVES: "企业业务覆盖项目所在地{province}",
    Fit.SERVES_FROM_OUTSIDE: "企业业务覆盖{province}，但不在省内（项目希望优先与省内企业合作）",
}


def project_key(project: dict[str, Any]) -> tuple[str, bool]:
    wants_local = bool((project.get("intended_partners") or {}).get("in_province"))
    return str(project.get("province", "")), wants_local


def enterprise_key(enterprise: dict[str, Any]) -> tuple[str, frozenset[str]]:
    return str(enterprise.get("province", "")), frozenset(enterprise.get("regions", ()))


def _fit(project: tuple[str, bool], enterprise: tuple[str, frozenset[str]]) -> Fit:
    province, wants_local = project
    based, served = enterprise
    if not province:
        return Fit.NONE
    if province == based:
        return Fit.BASED
    if province not in served:
        return Fit.NONE
    return Fit.SERVES_FROM_OUTSIDE if wants_local else Fit.SERVES


def score(project: tuple[str, bool], enterprise: tuple[str, frozenset[str]]) -> float:
    return SHARE[_fit(project, enterprise)]


def reason(project: tuple[str, bool], enterprise: tuple[str, frozenset[str]]) -> str | None:
    says = SAYS.get(_fit(project, enterprise))
    return says.format(province=label_of("provinces", project[0])) if says else None


CRITERION = Criterion(CODE, LABEL, WEIGHT, project_key, enterprise_key, score, reason)
