"""Suggest partners: rank enterprises for each open project and projects for each enterprise.

Every part of the score is evidence a reader can check against the two records:

| code     | weight | full marks when                                                        |
|----------|--------|------------------------------------------------------------------------|
| text     | 0.40   | × the project's words found in the enterprise's profile and fields, by BM25, relative to the project's best-matching enterprise |
| category | 0.30   | the project's catalogue subcatalogue is one of the enterprise's fields |
| class    | 0.10   | the enterprise registers or produces devices of the project's class or higher |
| region   | 0.10   | the enterprise serves the project's province (is based there, when the project asks for in-province partners) |
| mode     | 0.05   | the enterprise accepts a cooperation mode the project seeks            |
| stage    | 0.05   | early projects: a high-tech or 专精特新 enterprise; late projects: class capability and capital ≥ 1000 万元 |

A field in common and words in common make up 70 % of the score: they are what tells one
enterprise from another. Criteria most enterprises meet (a mode in common, a class capability
below class III, R&D status) weigh least, as they barely reorder the candidates.

Scores are integer points (1 point = 0.0001): each part's points are fixed per coded fact, the
text part is rounded once, and a suggested pair is published with the points it was ranked by.
Pairs are scored a block of projects at a time against all enterprises by table gathers and
one sparse product; each project's top 10 is cut with ``np.partition`` on an integer key that
breaks ties by id, each enterprise's top 10 is kept running across blocks, and reasons are
written only for the pairs kept, so no Python loop ever runs over all pairs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from springrain.derive.matching.text import TextSpace
from springrain.gcpause import collector_paused
from springrain.model.schemas import status_order, vocabulary, vocabulary_codes, vocabulary_labels

ALGORITHM_VERSION = "match-2.0"
TOP_K = 10
SCALE = 10_000  # points per unit of score: scores are published with four decimals
WEIGHTS = {
    "category": 0.30,
    "class": 0.10,
    "mode": 0.05,
    "region": 0.10,
    "stage": 0.05,
    "text": 0.40,
}
POINTS = {code: round(weight * SCALE) for code, weight in WEIGHTS.items()}
REASON_CODES = ("category", "class", "mode", "region", "stage", "text")
COOPERATION_CODE = "cooperation"
BLOCK_ROWS = 1024
CAPITAL_FOR_LATE_STAGE = 1000.0  # 万元
RD_LEVELS = ("国家级", "省级")
EARLY_STAGES = ("概念", "设计验证", "样品")
LATE_STAGES = ("生产验证", "注册检验", "临床试验")
CLASS_LEVEL = {"第一类": 1, "第二类": 2, "第三类": 3}
# What the project's class asks of a partner: a drug–device combination is registered to
# class III requirements; an undetermined class asks only for some registration experience.
NEEDED_LEVEL = {"第一类": 1, "第二类": 2, "第三类": 3, "药械组合": 3, "待确定": 1}
STAGE_ROWS = 12  # stage kind (0 other, 1 early, 2 late) * 4 + class level needed (0..3)
RADIX = 1 << 20  # combines small fact numbers into one integer key
PROJECT_TEXT = ("project_name", "working_principle", "intended_use", "innovation_points")


def open_statuses() -> tuple[str, ...]:
    """Statuses open to partners: from 初核通过 to 培育中 on the main path."""
    order = status_order()
    low, high = order["初核通过"], order["培育中"]
    return tuple(code for code, rank in order.items() if low <= rank <= high)


def project_text(project: dict[str, Any]) -> str:
    return "。".join(str(project.get(name, "")) for name in PROJECT_TEXT)


def enterprise_text(enterprise: dict[str, Any]) -> str:
    labels = vocabulary_labels("categories")
    fields = "、".join(labels.get(code, code) for code in enterprise.get("fields", []))
    return "。".join((enterprise.get("name", ""), enterprise.get("profile", ""), fields))


def _bits(codes: Sequence[str], index: dict[str, int]) -> int:
    mask = 0
    for code in codes:
        if code in index:
            mask |= 1 << index[code]
    return mask


class Features:
    """The checkable facts of both sides, as small lookup tables over the enterprises.

    Each part of the score depends on the enterprise and on a few coded facts of the project
    (its category, the class level it needs, the set of modes it seeks, its province...). So
    each part is a table with one row per possible value of those facts and one column per
    enterprise, and the parts for a block of projects are plain row gathers of those tables.
    """

    def __init__(self, projects: Sequence[dict[str, Any]], enterprises: Sequence[dict[str, Any]]):
        categories = {code: i for i, code in enumerate(vocabulary_codes("categories"))}
        provinces = {code: i for i, code in enumerate(vocabulary_codes("provinces"))}
        modes = {code: i for i, code in enumerate(vocabulary_codes("cooperation_modes"))}
        self.projects = projects
        self.enterprises = enterprises
        self.e_level = np.array(
            [
                max((CLASS_LEVEL.get(c, 0) for c in e.get("device_classes", [])), default=0)
                for e in enterprises
            ],
            dtype=np.int64,
        )
        self.e_capital = np.array(
            [float(e.get("registered_capital", 0)) >= CAPITAL_FOR_LATE_STAGE for e in enterprises],
            dtype=bool,
        )
        e_rd = np.array(
            [bool(e.get("high_tech")) or e.get("specialised") in RD_LEVELS for e in enterprises],
            dtype=bool,
        )
        m = len(enterprises)

        # category: row = the project's category (last row: none given)
        self.category = np.zeros((len(categories) + 1, m), dtype=np.float32)
        for j, enterprise in enumerate(enterprises):
            for code in enterprise["fields"]:
                if code in categories:
                    self.category[categories[code], j] = 1
        self.p_category = np.array(
            [categories.get(p.get("category", ""), len(categories)) for p in projects],
            dtype=np.intp,
        )
        # class: row = the level the project needs (0..3)
        levels = np.arange(4)[:, None]
        self.klass = (self.e_level[None, :] >= levels).astype(np.float32)
        self.p_needs = np.array(
            [NEEDED_LEVEL.get(p["product_class"], 1) for p in projects], dtype=np.intp
        )
        # mode: row = the bit set of modes the project seeks
        self.mode_codes = list(modes)
        self.e_modes = np.array(
            [_bits(e["cooperation_modes"], modes) for e in enterprises], dtype=np.int64
        )
        combos = np.arange(1 << len(modes))[:, None]
        self.mode = ((combos & self.e_modes[None, :]) != 0).astype(np.float32)
        self.p_modes = np.array(
            [_bits(p.get("cooperation_modes_sought", []), modes) for p in projects], dtype=np.intp
        )
        # region: row = province * 2 + (1 if the project asks for in-province partners);
        # then an enterprise based in the province comes first and one merely serving it gets
        # half. Last province row: unknown province.
        self.region = np.zeros((2 * (len(provinces) + 1), m), dtype=np.float32)
        for j, enterprise in enumerate(enterprises):
            served = {provinces[c] for c in enterprise["regions"] if c in provinces}
            based = provinces.get(enterprise["province"])
            for code in served | ({based} if based is not None else set()):
                self.region[2 * code, j] = 1.0
                self.region[2 * code + 1, j] = 1.0 if code == based else 0.5
        self.p_region = np.array(
            [
                2 * provinces.get(p["province"], len(provinces))
                + bool(p.get("intended_partners", {}).get("in_province"))
                for p in projects
            ],
            dtype=np.intp,
        )
        # stage: row = stage kind (0 other, 1 early, 2 late) * 4 + level needed
        self.stage = np.zeros((STAGE_ROWS, m), dtype=np.float32)
        for need in range(4):
            self.stage[4 + need] = e_rd
            self.stage[8 + need] = 0.5 * (self.e_level >= need) + 0.5 * self.e_capital
        self.p_stage = np.array(
            [
                (1 if p["stage"] in EARLY_STAGES else 2 if p["stage"] in LATE_STAGES else 0) * 4
                + NEEDED_LEVEL.get(p["product_class"], 1)
                for p in projects
            ],
            dtype=np.intp,
        )

        # Points: the category, class and stage parts all depend on (category, stage row),
        # the stage row already holding the class level needed, so one table gathers all three.
        cat_points = np.rint(self.category * POINTS["category"]).astype(np.int16)
        class_points = np.rint(self.klass * POINTS["class"]).astype(np.int16)
        stage_points = np.rint(self.stage * POINTS["stage"]).astype(np.int16)
        stage_rows = np.arange(STAGE_ROWS)
        self.fixed_points = (
            cat_points[:, None, :]
            + class_points[stage_rows % 4][None, :, :]
            + stage_points[None, :, :]
        ).reshape(self.category.shape[0] * STAGE_ROWS, m)
        self.p_fixed = self.p_category * STAGE_ROWS + self.p_stage
        self.mode_points = np.rint(self.mode * POINTS["mode"]).astype(np.int16)
        self.region_points = np.rint(self.region * POINTS["region"]).astype(np.int16)

    def _tables(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        return {
            "category": (self.category, self.p_category),
            "class": (self.klass, self.p_needs),
            "mode": (self.mode, self.p_modes),
            "region": (self.region, self.p_region),
            "stage": (self.stage, self.p_stage),
        }

    def weighted_total(
        self, p: np.ndarray, text: np.ndarray, e: np.ndarray | None = None
    ) -> np.ndarray:
        """The score in points of projects ``p`` against every enterprise, or of the pairs
        ``(p[i], e[i])``; ``text`` holds the matching text parts. Integer sums, so a published
        score is exactly the one that was ranked."""
        score = text_points(text)
        for table, rows in (
            (self.fixed_points, self.p_fixed),
            (self.mode_points, self.p_modes),
            (self.region_points, self.p_region),
        ):
            score += np.take(table, rows[p], axis=0) if e is None else table[rows[p], e]
        return score

    def components(
        self, p: np.ndarray, text: np.ndarray, e: np.ndarray | None = None
    ) -> dict[str, np.ndarray]:
        """Each part of the score in [0, 1]: for projects ``p`` against every enterprise, or,
        given ``e`` of the same length, for the pairs ``(p[i], e[i])``."""
        parts = {
            code: table[rows[p]] if e is None else table[rows[p], e]
            for code, (table, rows) in self._tables().items()
        }
        parts["text"] = np.asarray(text, dtype=np.float32)
        return parts


def text_points(text: np.ndarray) -> np.ndarray:
    """The text part in points: ``text`` in [0, 1] times the text weight, rounded once."""
    scaled = np.asarray(text, dtype=np.float32) * np.float32(POINTS["text"])
    return np.rint(scaled, out=scaled).astype(np.int16)


@dataclass
class Ranking:
    """Top-k both ways, as index arrays into the sorted projects and enterprises (-1: none),
    with the points each pair was ranked by."""

    project_top: np.ndarray  # (projects, k) enterprise indices, best first
    enterprise_top: np.ndarray  # (enterprises, k) project indices, best first
    project_points: np.ndarray  # (projects, k) points of those pairs
    enterprise_points: np.ndarray  # (enterprises, k)


def _row_top(key: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The k largest keys of each row that are >= 0, as (rows, columns, keys) sorted by row
    and, within a row, by key, largest first. Keys of one row never tie (but -1)."""
    size = key.shape[1]
    if size > k:
        # np.partition finds each row's k-th largest without moving indices around, which
        # is several times faster than argpartition on wide rows.
        kth = np.partition(key, size - k, axis=1)[:, size - k]
        rows, cols = np.nonzero((key >= kth[:, None]) & (key >= 0))
    else:
        rows, cols = np.nonzero(key >= 0)
    keys = key[rows, cols]
    order = np.lexsort((-keys.astype(np.int64), rows))
    return rows[order], cols[order], keys[order]


def _positions(rows: np.ndarray) -> np.ndarray:
    """Position of each entry within its run of equal ``rows`` (``rows`` sorted)."""
    starts = np.searchsorted(rows, rows)
    return np.arange(len(rows)) - starts


def _key_dtype(n: int, m: int) -> type[np.signedinteger[Any]]:
    """int32 keys when ``points * count + index`` fits, halving the memory traffic."""
    return np.int32 if (SCALE + 1) * max(n, m, 1) < np.iinfo(np.int32).max else np.int64


class _ColumnTop:
    """A running top k per column (enterprise) over blocks of rows (projects).

    A block's pair can only enter a column's top k if its key beats the column's current
    k-th best, so after the first blocks few pairs pass that test and the merge is small.
    When many pass (the first block), the block is first cut to its own top k per column."""

    def __init__(self, columns: int, k: int, dtype: type[np.signedinteger[Any]]) -> None:
        self.k = k
        self.columns = columns
        self.threshold = np.full(columns, -1, dtype=dtype)
        self.keys = np.empty(0, dtype=dtype)
        self.rows = np.empty(0, dtype=np.int64)
        self.cols = np.empty(0, dtype=np.int64)

    def add(self, key: np.ndarray, first_row: int) -> None:
        passing = key > self.threshold[None, :]
        if np.count_nonzero(passing) > 2 * self.k * self.columns:
            cols, rows, keys = _row_top(np.ascontiguousarray(key.T), self.k)
        else:
            rows, cols = np.nonzero(passing)
            keys = key[rows, cols]
        keys = np.concatenate([self.keys, keys])
        rows = np.concatenate([self.rows, rows + first_row])
        cols = np.concatenate([self.cols, cols])
        order = np.lexsort((-keys.astype(np.int64), cols))
        keep = order[_positions(cols[order]) < self.k]
        self.keys, self.rows, self.cols = keys[keep], rows[keep], cols[keep]
        counts = np.bincount(self.cols, minlength=self.columns)
        last = np.searchsorted(self.cols, np.arange(self.columns)) + counts - 1
        full = counts >= self.k
        self.threshold[full] = self.keys[last[full]]

    def result(self, count: int) -> tuple[np.ndarray, np.ndarray]:
        """(columns, k) row indices best first (-1: none), and the points of those pairs."""
        top = np.full((self.columns, self.k), -1, dtype=np.intp)
        points = np.zeros((self.columns, self.k), dtype=np.int64)
        position = _positions(self.cols)
        top[self.cols, position] = self.rows
        points[self.cols, position] = self.keys.astype(np.int64) // max(count, 1)
        return top, points


def rank(
    features: Features,
    space: TextSpace,
    excluded: dict[int, list[int]],
    k: int = TOP_K,
    block_rows: int = BLOCK_ROWS,
) -> Ranking:
    """Score every pair block by block and keep the top ``k`` each way.

    ``excluded`` maps a project index to enterprise indices that are never suggested (pairs
    already in a cooperation). Pairs scoring zero are never suggested either. Keys are
    ``points * count + (count - 1 - index)``: equal scores rank the smaller id (index) first,
    and keys never tie."""
    n, m = len(features.projects), len(features.enterprises)
    dtype = _key_dtype(n, m)
    project_top = np.full((n, k), -1, dtype=np.intp)
    project_points = np.zeros((n, k), dtype=np.int64)
    enterprise_side = _ColumnTop(m, k, dtype)
    if not n or not m:  # nothing to pair
        return _ranking(project_top, project_points, enterprise_side, n)
    e_tiebreak = (m - 1 - np.arange(m)).astype(dtype)
    for start in range(0, n, block_rows):
        stop = min(n, start + block_rows)
        p = np.arange(start, stop)
        text = space.similarity(slice(start, stop))
        score = features.weighted_total(p, text).astype(dtype)
        for row in range(start, stop):
            if row in excluded:
                score[row - start, excluded[row]] = 0
        invalid = score <= 0
        key = score * dtype(m)
        key += e_tiebreak
        key[invalid] = -1
        rows, cols, keys = _row_top(key, k)
        position = _positions(rows)
        project_top[start + rows, position] = cols
        project_points[start + rows, position] = keys.astype(np.int64) // m
        # The enterprises' side: the same points, ties broken by project index.
        key = score  # reused in place: score is not needed any more
        key *= dtype(n)
        key += (n - 1 - p).astype(dtype)[:, None]
        key[invalid] = -1
        enterprise_side.add(key, start)
    return _ranking(project_top, project_points, enterprise_side, n)


def _ranking(
    project_top: np.ndarray, project_points: np.ndarray, enterprise_side: _ColumnTop, n: int
) -> Ranking:
    enterprise_top, enterprise_points = enterprise_side.result(n)
    return Ranking(project_top, enterprise_top, project_points, enterprise_points)


def _sorted(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(records, key=lambda record: record["id"])


def build(
    projects: Sequence[dict[str, Any]],
    enterprises: Sequence[dict[str, Any]],
    cooperations: Sequence[dict[str, Any]] = (),
    k: int = TOP_K,
) -> tuple[Features, TextSpace, Ranking, dict[tuple[int, int], dict[str, Any]]]:
    """Rank the given projects (all of them, whatever their status) against the enterprises."""
    features = Features(_sorted(projects), _sorted(enterprises))
    space = TextSpace(
        [project_text(p) for p in features.projects],
        [enterprise_text(e) for e in features.enterprises],
    )
    p_index = {p["id"]: i for i, p in enumerate(features.projects)}
    e_index = {e["id"]: i for i, e in enumerate(features.enterprises)}
    existing: dict[tuple[int, int], dict[str, Any]] = {}
    for cooperation in _sorted(cooperations):
        pair = (p_index.get(cooperation["project"]), e_index.get(cooperation["enterprise"]))
        if pair[0] is not None and pair[1] is not None:
            existing.setdefault(pair, cooperation)  # type: ignore[arg-type]
    excluded: dict[int, list[int]] = defaultdict(list)
    for pi, ei in existing:
        excluded[pi].append(ei)
    ranking = rank(features, space, excluded, k)
    return features, space, ranking, existing


def match(
    projects: Sequence[dict[str, Any]],
    enterprises: Sequence[dict[str, Any]],
    cooperations: Sequence[dict[str, Any]] = (),
    k: int = TOP_K,
) -> list[dict[str, Any]]:
    """The ``matches`` table: suggested pairs both ways plus existing cooperations, sorted."""
    with collector_paused():
        return _match(projects, enterprises, cooperations, k)


def _match(
    projects: Sequence[dict[str, Any]],
    enterprises: Sequence[dict[str, Any]],
    cooperations: Sequence[dict[str, Any]],
    k: int,
) -> list[dict[str, Any]]:
    statuses = set(open_statuses())
    open_projects = [p for p in projects if p["status"] in statuses]
    features, space, ranking, existing = build(open_projects, enterprises, cooperations, k)
    m = max(1, len(features.enterprises))
    positions = np.arange(1, k + 1)
    # Every pair as one integer code p * m + e, with its rank on each side (0: not ranked).
    p_side = ranking.project_top >= 0
    p_codes = (np.nonzero(p_side)[0] * m + ranking.project_top[p_side]).astype(np.int64)
    p_ranks = np.broadcast_to(positions, ranking.project_top.shape)[p_side]
    e_side = ranking.enterprise_top >= 0
    e_codes = (ranking.enterprise_top[e_side] * m + np.nonzero(e_side)[0]).astype(np.int64)
    e_ranks = np.broadcast_to(positions, ranking.enterprise_top.shape)[e_side]
    c_codes = np.array([pi * m + ei for pi, ei in existing], dtype=np.int64)
    codes = np.unique(np.concatenate([p_codes, e_codes, c_codes]))
    project_rank = np.zeros(len(codes), dtype=np.int64)
    project_rank[np.searchsorted(codes, p_codes)] = p_ranks
    enterprise_rank = np.zeros(len(codes), dtype=np.int64)
    enterprise_rank[np.searchsorted(codes, e_codes)] = e_ranks
    # A suggested pair is published with the very points it was ranked by (-1: not ranked).
    points = np.full(len(codes), -1, dtype=np.int64)
    points[np.searchsorted(codes, e_codes)] = ranking.enterprise_points[e_side]
    points[np.searchsorted(codes, p_codes)] = ranking.project_points[p_side]
    return _rows(
        features, space, codes // m, codes % m, project_rank, enterprise_rank, points, existing
    )


def _rows(
    features: Features,
    space: TextSpace,
    p: np.ndarray,
    e: np.ndarray,
    project_rank: np.ndarray,
    enterprise_rank: np.ndarray,
    points: np.ndarray,
    existing: dict[tuple[int, int], dict[str, Any]],
) -> list[dict[str, Any]]:
    if not len(p):
        return []
    text, shared_terms = space.pairs(p, e)
    parts = features.components(p, text, e)
    # Pairs not ranked (existing cooperations) are scored here, the same way.
    scores = np.where(points >= 0, points, features.weighted_total(p, text, e)).tolist()
    explain = Explainer(features)
    fixed_codes, fixed_reasons = explain.fixed(p, e, parts)
    text_parts = parts["text"].tolist()
    project_ids = [features.projects[i]["id"] for i in p.tolist()]
    enterprise_ids = [features.enterprises[i]["id"] for i in e.tolist()]
    p_ranks = project_rank.tolist()
    e_ranks = enterprise_rank.tolist()
    rows = []
    for i, (pi, ei) in enumerate(zip(p.tolist(), e.tolist(), strict=True)):
        shared = shared_terms[i]
        codes, reasons = fixed_codes[i], fixed_reasons[i]
        if text_parts[i] and shared:
            codes = f"{codes};text" if codes else "text"
            said = explain.text(text_parts[i], shared)
            reasons = f"{reasons}；{said}" if reasons else said
        cooperation = existing.get((pi, ei))
        if cooperation is not None:
            codes = f"{COOPERATION_CODE};{codes}" if codes else COOPERATION_CODE
            said = f"已有合作记录 {cooperation['id']}（{cooperation['status']}），不作推荐"
            reasons = f"{said}；{reasons}" if reasons else said
        rows.append(
            {
                "project": project_ids[i],
                "enterprise": enterprise_ids[i],
                "project_rank": p_ranks[i] or None,
                "enterprise_rank": e_ranks[i] or None,
                "score": scores[i] / SCALE,
                "reason_codes": codes,
                "reasons": reasons,
                "shared_terms": shared,
                "algorithm_version": ALGORITHM_VERSION,
            }
        )
    return rows


class Explainer:
    """Chinese reasons, one per part of the score that counted.

    Each reason depends on a few coded facts only (the project's category; the enterprise's
    class level and the project's class; the modes in common; ...), so for each part the pairs
    get a small integer naming those facts, each distinct reason is written once from the
    first pair that has it, and the pairs look theirs up: a big run has hundreds of thousands
    of pairs but few distinct facts."""

    def __init__(self, features: Features) -> None:
        self.features = features
        self.categories = vocabulary_labels("categories")
        self.provinces = vocabulary_labels("provinces")
        self.classes = {row["code"]: row["zh"] for row in vocabulary("classes")}
        projects, enterprises = features.projects, features.enterprises
        self.p_class = np.array(_fact_ids(p["product_class"] for p in projects), dtype=np.int64)
        self.p_stage = np.array(_fact_ids(p["stage"] for p in projects), dtype=np.int64)
        self.e_rd = np.array(
            _fact_ids((bool(e.get("high_tech")), e.get("specialised")) for e in enterprises),
            dtype=np.int64,
        )
        self.e_province = np.array(_fact_ids(e["province"] for e in enterprises), dtype=np.int64)
        self.p_province = np.array(
            [self._province_id(p["province"]) for p in projects], dtype=np.int64
        )

    def _province_id(self, province: str) -> int:
        # the same numbering as e_province, and -1 for a province no enterprise is in
        if not hasattr(self, "_province_ids"):
            self._province_ids: dict[str, int] = {}
            for e, index in zip(self.features.enterprises, self.e_province.tolist(), strict=True):
                self._province_ids.setdefault(e["province"], index)
        return self._province_ids.get(province, -1)

    def fixed(
        self, p: np.ndarray, e: np.ndarray, parts: dict[str, np.ndarray]
    ) -> tuple[list[str], list[str]]:
        """Each pair's codes (joined by ';') and reasons (joined by '；') for the parts other
        than text."""
        f = self.features
        capable = parts["class"] > 0
        facts = {
            "category": f.p_category[p],
            "class": f.e_level[e] * RADIX + self.p_class[p],
            "mode": f.p_modes[p] & f.e_modes[e],
            "region": (f.p_region[p] * 2 + (self.p_province[p] == self.e_province[e])) * 2
            + (parts["region"] < 1),
            "stage": (((self.p_stage[p] * RADIX + self.e_rd[e]) * 2 + capable) * 2)
            + f.e_capital[e],
        }
        # Strings end with their separator and are added as numpy object arrays (one C loop
        # per part); the last separator is cut at the end.
        codes = np.full(len(p), "", dtype=object)
        reasons = np.full(len(p), "", dtype=object)
        for code in REASON_CODES[:-1]:
            ids = np.where(parts[code] > 0, facts[code], -1)
            unique, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
            said = [
                self._reason(code, int(p[i]), int(e[i])) + "；" if key >= 0 else ""
                for key, i in zip(unique.tolist(), first.tolist(), strict=True)
            ]
            codes += np.array([f"{code};" if text else "" for text in said], dtype=object)[
                inverse.ravel()
            ]
            reasons += np.array(said, dtype=object)[inverse.ravel()]
        return [c[:-1] for c in codes.tolist()], [r[:-1] for r in reasons.tolist()]

    def text(self, part: float, shared: str) -> str:
        return f"文字相近（相近度{part:.2f}，与该项目文字最相近的企业为1），共同词语：{shared}"

    def _reason(self, code: str, pi: int, ei: int) -> str:
        project = self.features.projects[pi]
        enterprise = self.features.enterprises[ei]
        if code == "category":
            category = project["category"]
            return f"同属分类目录子目录“{category} {self.categories.get(category, category)}”"
        if code == "class":
            return self._class(int(self.features.e_level[ei]), project["product_class"])
        if code == "mode":
            accepted = enterprise["cooperation_modes"]
            sought = project.get("cooperation_modes_sought", [])
            common = [m for m in self.features.mode_codes if m in sought and m in accepted]
            return "企业接受项目意向的合作方式：" + "".join(f"“{m}”" for m in common)
        if code == "region":
            based = enterprise["province"] == project["province"]
            in_province = bool(project.get("intended_partners", {}).get("in_province"))
            region = 0.5 if in_province and not based else 1.0
            return self._region(project["province"], based, region)
        level_needed = NEEDED_LEVEL.get(project["product_class"], 1)
        return self._stage(
            project["stage"],
            bool(enterprise.get("high_tech")),
            enterprise.get("specialised"),
            int(self.features.e_level[ei]) >= level_needed,
            bool(self.features.e_capital[ei]),
        )

    def _class(self, level: int, wanted: str) -> str:
        have = next(c for c, v in CLASS_LEVEL.items() if v == level)
        return f"企业已注册或生产{self.classes[have]}，可承担{self.classes.get(wanted, wanted)}项目"

    def _region(self, province: str, based: bool, region: float) -> str:
        name = self.provinces.get(province, province)
        if based:
            return f"企业位于项目所在地{name}"
        if region < 1:
            return f"企业业务覆盖{name}（项目希望优先与省内企业合作，企业不在省内）"
        return f"企业业务覆盖{name}"

    def _stage(
        self, stage: str, high_tech: bool, specialised: str, capable: bool, capital: bool
    ) -> str:
        if stage in EARLY_STAGES:
            kind = "高新技术企业" if high_tech else f"{specialised}专精特新企业"
            return f"项目处于{stage}阶段，企业为{kind}，具备联合研发条件"
        have = []
        if capable:
            have.append("同类别产品注册生产经验")
        if capital:
            have.append(f"注册资金{CAPITAL_FOR_LATE_STAGE:.0f}万元以上")
        return f"项目处于{stage}阶段，企业具备{'、'.join(have)}"


def _fact_ids(facts: Any) -> list[int]:
    """A small integer per record, equal for records with equal facts."""
    ids: dict[Any, int] = {}
    return [ids.setdefault(fact, len(ids)) for fact in facts]


@dataclass(frozen=True)
class Recall:
    hits: int
    total: int
    k: int
    enterprises: int

    @property
    def recall(self) -> float:
        return self.hits / self.total if self.total else 0.0

    @property
    def baseline(self) -> float:
        """What ranking at random would give: k in every ``enterprises`` candidates."""
        return min(1.0, self.k / self.enterprises) if self.enterprises else 0.0


def recall(
    projects: Sequence[dict[str, Any]],
    enterprises: Sequence[dict[str, Any]],
    cooperations: Sequence[dict[str, Any]],
    k: int = TOP_K,
) -> Recall:
    """Hide the cooperations and count how often the real partner is in the project's top k.

    Every project with a cooperation is ranked, whatever its status now, since the partner
    was chosen while it was open."""
    with_partner = {c["project"] for c in cooperations}
    chosen = [p for p in projects if p["id"] in with_partner]
    with collector_paused():
        features, _space, ranking, _existing = build(chosen, enterprises, (), k)
    p_index = {p["id"]: i for i, p in enumerate(features.projects)}
    e_index = {e["id"]: i for i, e in enumerate(features.enterprises)}
    hits = total_pairs = 0
    for cooperation in cooperations:
        pi, ei = p_index.get(cooperation["project"]), e_index.get(cooperation["enterprise"])
        if pi is None or ei is None:
            continue
        total_pairs += 1
        hits += int(ei in ranking.project_top[pi])
    return Recall(hits, total_pairs, k, len(features.enterprises))
