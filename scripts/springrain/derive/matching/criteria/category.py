"""Criterion ``category``: the project's catalogue subcatalogue is one of the enterprise's
fields. The field in common is what sets enterprises of one line of work apart, so it weighs
most after the text."""

from __future__ import annotations

from typing import Any

from springrain.derive.matching.criteria.base import Criterion, label_of

CODE = "category"
LABEL = "分类相同"
WEIGHT = 0.30


def project_key(project: dict[str, Any]) -> str | None:
    return project.get("category") or None


def enterprise_key(enterprise: dict[str, Any]) -> frozenset[str]:
    return frozenset(enterprise.get("fields", ()))


def _shared(category: str | None, fields: frozenset[str]) -> str | None:
    return category if category is not None and category in fields else None


def score(category: str | None, fields: frozenset[str]) -> float:
    return 1.0 if _shared(category, fields) else 0.0


def reason(category: str | None, fields: frozenset[str]) -> str | None:
    shared = _shared(category, fields)
    if shared is None:
        return None
    return f"同属分类目录“{shared} {label_of('categories', shared)}”"


CRITERION = Criterion(CODE, LABEL, WEIGHT, project_key, enterprise_key, score, reason)
