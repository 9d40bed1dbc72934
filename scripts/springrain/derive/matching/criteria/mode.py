"""Criterion ``mode``: the enterprise accepts a cooperation mode the project seeks. Most
enterprises accept several, so it barely reorders candidates and weighs little."""

from __future__ import annotations

from functools import cache
from typing import Any

from springrain.derive.matching.criteria.base import Criterion
from springrain.model.schemas import vocabulary_codes

CODE = "mode"
LABEL = "合作方式"
WEIGHT = 0.05


@cache
def _order() -> dict[str, int]:
    return {code: i for i, code in enumerate(vocabulary_codes("cooperation_modes"))}


def project_key(project: dict[str, Any]) -> tuple[str, ...]:
    """The modes sought in vocabulary order, so the reason lists them in a stable order."""
    order = _order()
    sought = set(project.get("cooperation_modes_sought", ()))
    return tuple(sorted(sought, key=lambda code: (order.get(code, len(order)), code)))


def enterprise_key(enterprise: dict[str, Any]) -> frozenset[str]:
    return frozenset(enterprise.get("cooperation_modes", ()))


def _common(sought: tuple[str, ...], accepted: frozenset[str]) -> tuple[str, ...]:
    return tuple(code for code in sought if code in accepted)


def score(sought: tuple[str, ...], accepted: frozenset[str]) -> float:
    return 1.0 if _common(sought, accepted) else 0.0


def reason(sought: tuple[str, ...], accepted: frozenset[str]) -> str | None:
    common = _common(sought, accepted)
    if not common:
        return None
    # Quoted, not joined by 、: some mode names contain 、 themselves.
    return "企业接受项目希望的" + "".join(f"“{code}”" for code in common)


CRITERION = Criterion(CODE, LABEL, WEIGHT, project_key, enterprise_key, score, reason)
