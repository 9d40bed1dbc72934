"""Criterion ``class``: the enterprise already registers or produces devices of the project's
class or a higher one, so it can carry the project through registration.

Also the class levels the ``stage`` criterion reads."""

from __future__ import annotations

from typing import Any

from springrain.derive.matching.criteria.base import Criterion, label_of
from springrain.model.schemas import codes_where, vocabulary_column

CODE = "class"
LABEL = "注册能力"
WEIGHT = 0.10

# The level of each class an enterprise registers (device_classes' ``level``), and what a
# project's class asks of a partner (classes' ``needs_level``: a drug–device combination is
# registered to class III requirements; an undetermined class asks only for some
# registration experience).
CLASS_LEVEL = {
    code: int(level) for code, level in vocabulary_column("device_classes", "level").items()
}
NEEDED_LEVEL = {
    code: int(level) for code, level in vocabulary_column("classes", "needs_level").items()
}
UNDETERMINED = codes_where("classes", "determined", "false")


def needed_level(product_class: str) -> int:
    return NEEDED_LEVEL.get(product_class, 1)


def enterprise_level(enterprise: dict[str, Any]) -> int:
    """The highest class the enterprise registers or produces (0: none)."""
    return max((CLASS_LEVEL.get(c, 0) for c in enterprise.get("device_classes", ())), default=0)


def project_key(project: dict[str, Any]) -> str:
    return str(project.get("product_class", ""))


def enterprise_key(enterprise: dict[str, Any]) -> int:
    return enterprise_level(enterprise)


def _able(product_class: str, level: int) -> bool:
    return level >= needed_level(product_class)


def score(product_class: str, level: int) -> float:
    return 1.0 if _able(product_class, level) else 0.0


def reason(product_class: str, level: int) -> str | None:
    if not _able(product_class, level):
        return None
    have = next(code for code, value in CLASS_LEVEL.items() if value == level)
    wanted = "类别待确定的" if product_class in UNDETERMINED else label_of("classes", product_class)
    return f"企业已注册或生产{label_of('classes', have)}，可承担{wanted}项目"


CRITERION = Criterion(CODE, LABEL, WEIGHT, project_key, enterprise_key, score, reason)
