"""What a matching criterion is: the two shapes the engine knows how to rank with.

A ``Criterion`` judges a pair from a few coded facts of each side. It reduces a project to a
small hashable key and an enterprise to another, and ``score`` and ``reason`` read only those
two keys. Few records differ in those facts, so the engine calls ``score`` once per distinct
(project key, enterprise key) and ranks every pair by gathering from that table; it calls
``reason`` once per distinct pair of keys among the pairs it publishes.

A ``SimilarityCriterion`` compares whole texts, which no small key can stand for: it builds a
model of both sides once, the model scores a block of projects against every enterprise, and
for given pairs it returns their scores with the fact (in words) that the reason is written
from, both out of the same computation.

Either way a criterion declares its code, its label, its weight, its score and its reason in
one place, and ``reason`` is written from the same facts as ``score``: it must say something
(without the label, which the engine puts in front) exactly when the score is above 0.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Generic, Protocol, TypeVar

import numpy as np

from springrain.model.schemas import vocabulary_labels

Record = dict[str, Any]
P = TypeVar("P", bound=Hashable)
E = TypeVar("E", bound=Hashable)


@dataclass(frozen=True)
class Criterion(Generic[P, E]):
    """A criterion judged from coded facts: ``score`` in [0, 1] and ``reason`` (Chinese, no
    label; None when the score is 0) of a project key and an enterprise key."""

    code: str  # the reason code published in ``reason_codes``
    label: str  # what readers see before the reason, e.g. 分类相同
    weight: float  # share of the total score at full marks; the registry's weights sum to 1
    project_key: Callable[[Record], P]
    enterprise_key: Callable[[Record], E]
    score: Callable[[P, E], float]
    reason: Callable[[P, E], str | None]


class Similarity(Protocol):
    """A model of both sides built once per run (rows: projects, columns: enterprises)."""

    def similarity(self, left_rows: slice) -> np.ndarray:
        """Scores in [0, 1] of the (contiguous) projects against every enterprise."""
        ...

    def pairs(
        self, left_rows: np.ndarray, right_rows: np.ndarray
    ) -> tuple[np.ndarray, Sequence[str]]:
        """Score of each pair ``(left_rows[i], right_rows[i])`` and what it rests on in words
        ("" when nothing), which ``SimilarityCriterion.reason`` turns into the reason."""
        ...


@dataclass(frozen=True)
class SimilarityCriterion:
    """A criterion scored by a model of whole texts rather than by coded facts."""

    code: str
    label: str
    weight: float
    prepare: Callable[[Sequence[Record], Sequence[Record]], Similarity]
    reason: Callable[[str], str | None]  # from the fact ``Similarity.pairs`` gives


AnyCriterion = Criterion[Any, Any] | SimilarityCriterion


@cache
def _labels(vocabulary: str) -> dict[str, str]:
    return vocabulary_labels(vocabulary)


def label_of(vocabulary: str, code: str) -> str:
    """The Chinese label of ``code`` in ``vocabulary`` (the code itself when unknown)."""
    return _labels(vocabulary).get(code, code)
