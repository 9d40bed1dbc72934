"""The registered criteria applied to one set of projects and enterprises: every pair's points
for ranking, and for the pairs kept, each criterion's points and labelled reason.

A fact criterion's ``score`` is evaluated once per distinct (project key, enterprise key) and
turned into points (``round(score × weight × SCALE)``), giving a small table. Tables whose
project keys combine into few distinct rows are merged, so scoring a block of projects is a
handful of row gathers plus, for each similarity criterion, its model's dense block. Reasons
are written the same way: once per distinct pair of keys (or distinct fact in words) among
the pairs kept, from the same keys that gave the points.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from springrain.derive.matching import criteria
from springrain.derive.matching.criteria.base import (
    AnyCriterion,
    Criterion,
    Record,
    Similarity,
    SimilarityCriterion,
)
from springrain.derive.matching.ranking import SCALE

# A merged table may hold this many cells (int16: 32 MB); past it, criteria get tables of
# their own, since a table with about a row per project would cost as much as it saves.
MAX_TABLE_CELLS = 1 << 24
ITEM_END = "；"  # ends each reason while they are joined; the last is cut
CODE_END = ";"


def weight_points(registry: Sequence[AnyCriterion]) -> dict[str, int]:
    """Each criterion's points at full marks, checking the registry adds up to ``SCALE``."""
    points = {c.code: round(c.weight * SCALE) for c in registry}
    if len(points) != len(registry):
        raise ValueError("two criteria share a code")
    if any(value < 0 for value in points.values()) or sum(points.values()) != SCALE:
        raise ValueError(f"criteria weights must be >= 0 and sum to 1: {points}")
    return points


def similarity_points(part: np.ndarray, points: int) -> np.ndarray:
    """A similarity in [0, 1] in points, rounded once."""
    scaled = np.asarray(part, dtype=np.float32) * np.float32(points)
    return np.rint(scaled, out=scaled).astype(np.int16)


def _distinct(keys: Iterable[Hashable]) -> tuple[np.ndarray, list[Any]]:
    """Each key's number (in order of first appearance) and the distinct keys."""
    ids: dict[Hashable, int] = {}
    index = [ids.setdefault(key, len(ids)) for key in keys]
    return np.array(index, dtype=np.intp), list(ids)


@dataclass
class FactTable:
    """A fact criterion over the records: each record's key number and the points table."""

    criterion: Criterion[Any, Any]
    p_index: np.ndarray  # (projects,) row of each project in ``points``
    e_index: np.ndarray  # (enterprises,) column of each enterprise in ``points``
    p_keys: list[Any]
    e_keys: list[Any]
    points: np.ndarray  # (distinct project keys, distinct enterprise keys) int16

    @classmethod
    def build(
        cls,
        criterion: Criterion[Any, Any],
        full_marks: int,
        projects: Sequence[Record],
        enterprises: Sequence[Record],
    ) -> FactTable:
        p_index, p_keys = _distinct(map(criterion.project_key, projects))
        e_index, e_keys = _distinct(map(criterion.enterprise_key, enterprises))
        score = criterion.score
        scores = np.array(
            [[score(pk, ek) for ek in e_keys] for pk in p_keys], dtype=np.float64
        ).reshape(len(p_keys), len(e_keys))
        if not np.all((scores >= 0) & (scores <= 1)):
            raise ValueError(f"criterion {criterion.code} scored outside [0, 1]")
        points = np.rint(scores * full_marks).astype(np.int16)
        return cls(criterion, p_index, e_index, p_keys, e_keys, points)

    def pair_keys(self, p: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Points of the pairs ``(p[i], e[i])`` and a number for their pair of keys."""
        pk, ek = self.p_index[p], self.e_index[e]
        return self.points[pk, ek].astype(np.int64), pk.astype(np.int64) * len(self.e_keys) + ek

    def say(self, pair_key: int) -> str | None:
        pk, ek = divmod(pair_key, len(self.e_keys))
        return self.criterion.reason(self.p_keys[pk], self.e_keys[ek])


@dataclass
class Gathered:
    """Points of one or more fact criteria summed into one table, gathered by project row."""

    rows: np.ndarray  # (projects,) each project's row of ``table``
    table: np.ndarray  # (rows, enterprises) int16


def gathered(tables: Sequence[FactTable], enterprises: int) -> list[Gathered]:
    """The fact tables merged into as few tables as ``MAX_TABLE_CELLS`` allows.

    A merged table has one row per combination of the members' project keys that some
    project has (not per possible combination), so criteria sharing facts (class and stage
    both read the product class) merge cheaply. Fewest keys first, so small ones merge."""
    groups: list[tuple[np.ndarray, np.ndarray, list[FactTable]]] = []  # rows, firsts, members
    for table in sorted(tables, key=lambda t: len(t.p_keys)):
        for i, (rows, _firsts, members) in enumerate(groups):
            combined = rows.astype(np.int64) * len(table.p_keys) + table.p_index
            unique, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
            if len(unique) * max(enterprises, 1) <= MAX_TABLE_CELLS:
                groups[i] = (inverse.ravel(), first, [*members, table])
                break
        else:
            _unique, first, inverse = np.unique(
                table.p_index, return_index=True, return_inverse=True
            )
            groups.append((inverse.ravel(), first, [table]))
    result = []
    for rows, firsts, members in groups:
        points = np.zeros((len(firsts), enterprises), dtype=np.int16)
        for member in members:
            # ``firsts``: a project having each combination, so its keys are the combination's
            points += member.points[member.p_index[firsts]][:, member.e_index]
        result.append(Gathered(rows.astype(np.intp), points))
    return result


@dataclass
class Explained:
    """The kept pairs, explained: each criterion's points, and the codes and labelled reasons
    of those that counted, in registry order."""

    points: np.ndarray  # (pairs,) total points, the sum of ``parts``
    parts: dict[str, np.ndarray]  # code → (pairs,) points
    codes: list[str]  # each pair's codes joined by ';'
    reasons: list[str]  # each pair's "标签：说明" items joined by '；'
    said: dict[str, list[str]]  # similarity code → each pair's fact in words


class Evidence:
    """The registered criteria over sorted projects and enterprises."""

    def __init__(
        self,
        projects: Sequence[Record],
        enterprises: Sequence[Record],
        registry: Sequence[AnyCriterion] | None = None,
    ) -> None:
        self.projects = projects
        self.enterprises = enterprises
        self.registry = tuple(criteria.registered() if registry is None else registry)
        self.full_marks = weight_points(self.registry)
        self.facts: dict[str, FactTable] = {}
        self.models: dict[str, Similarity] = {}
        for criterion in self.registry:
            if isinstance(criterion, SimilarityCriterion):
                self.models[criterion.code] = criterion.prepare(projects, enterprises)
            else:
                self.facts[criterion.code] = FactTable.build(
                    criterion, self.full_marks[criterion.code], projects, enterprises
                )
        self.gathered = gathered(list(self.facts.values()), len(enterprises))

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.projects), len(self.enterprises)

    def block(self, rows: slice) -> np.ndarray:
        """Points (int16) of the projects ``rows`` against every enterprise."""
        count = len(range(*rows.indices(len(self.projects))))
        score = np.zeros((count, len(self.enterprises)), dtype=np.int16)
        for code, model in self.models.items():
            score += similarity_points(model.similarity(rows), self.full_marks[code])
        for table in self.gathered:
            score += np.take(table.table, table.rows[rows], axis=0)
        return score

    def explain(self, p: np.ndarray, e: np.ndarray) -> Explained:
        """Points and reasons of the pairs ``(p[i], e[i])``."""
        total = np.zeros(len(p), dtype=np.int64)
        parts: dict[str, np.ndarray] = {}
        said: dict[str, list[str]] = {}
        codes = np.full(len(p), "", dtype=object)
        reasons = np.full(len(p), "", dtype=object)
        for criterion in self.registry:
            say: Callable[[int], str | None]
            if isinstance(criterion, SimilarityCriterion):
                part, facts = self.models[criterion.code].pairs(p, e)
                points = similarity_points(part, self.full_marks[criterion.code]).astype(np.int64)
                keys, distinct = _distinct(facts)
                said[criterion.code] = list(facts)
                say = _saying(criterion.reason, distinct)
            else:
                table = self.facts[criterion.code]
                points, keys = table.pair_keys(p, e)
                say = table.say
            parts[criterion.code] = points
            total += points
            code_items, reason_items = _items(criterion, np.where(points > 0, keys, -1), say)
            codes += code_items
            reasons += reason_items
        return Explained(
            total,
            parts,
            [c[: -len(CODE_END)] for c in codes.tolist()],
            [r[: -len(ITEM_END)] for r in reasons.tolist()],
            said,
        )


def _saying(reason: Callable[[str], str | None], facts: list[str]) -> Callable[[int], str | None]:
    return lambda key: reason(facts[key])


def _items(
    criterion: AnyCriterion, keys: np.ndarray, say: Callable[[int], str | None]
) -> tuple[np.ndarray, np.ndarray]:
    """Each pair's code and labelled reason, each ending with its separator ("" where the key
    is -1: the criterion did not count). Written once per distinct key."""
    unique, inverse = np.unique(keys, return_inverse=True)
    code_items, reason_items = [], []
    for key in unique.tolist():
        if key < 0:
            code_items.append("")
            reason_items.append("")
            continue
        text = say(key)
        if not text:
            raise ValueError(f"criterion {criterion.code} counted for a pair but gave no reason")
        code_items.append(criterion.code + CODE_END)
        reason_items.append(f"{criterion.label}：{text}{ITEM_END}")
    inverse = inverse.ravel()
    return (
        np.array(code_items, dtype=object)[inverse],
        np.array(reason_items, dtype=object)[inverse],
    )
