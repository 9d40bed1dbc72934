"""Criterion ``text``: the project's words found in the enterprise's name, profile and fields,
scored by BM25 relative to the project's best-matching enterprise (see
``springrain.derive.matching.text``). Its reason names the words that weighed most in that
same score, so it can only speak of words that counted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from springrain.derive.matching.criteria.base import SimilarityCriterion, label_of
from springrain.derive.matching.text import TextSpace

CODE = "text"
LABEL = "文字相近"
WEIGHT = 0.40

PROJECT_TEXT = ("project_name", "working_principle", "intended_use", "innovation_points")


def project_text(project: dict[str, Any]) -> str:
    return "。".join(str(project.get(name, "")) for name in PROJECT_TEXT)


def enterprise_text(enterprise: dict[str, Any]) -> str:
    fields = "、".join(label_of("categories", code) for code in enterprise.get("fields", ()))
    return "。".join((enterprise.get("name", ""), enterprise.get("profile", ""), fields))


def prepare(projects: Sequence[dict[str, Any]], enterprises: Sequence[dict[str, Any]]) -> TextSpace:
    return TextSpace([project_text(p) for p in projects], [enterprise_text(e) for e in enterprises])


def reason(shared_terms: str) -> str | None:
    """``shared_terms``: the heaviest words of the pair's score, joined by 、 (``TextSpace.pairs``)."""
    return f"共同词语 {shared_terms}" if shared_terms else None


CRITERION = SimilarityCriterion(CODE, LABEL, WEIGHT, prepare, reason)
