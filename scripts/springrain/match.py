"""Suggest partners: rank enterprises for each open project and projects for each enterprise.

Every part of the score is evidence a reader can check against the two records:

| code     | weight | full marks when                                                        |
|----------|--------|------------------------------------------------------------------------|
| category | 0.25   | the project's catalogue subcatalogue is one of the enterprise's fields |
| class    | 0.15   | the enterprise registers or produces devices of the project's class or higher |
| mode     | 0.15   | the enterprise accepts a cooperation mode the project seeks            |
| region   | 0.10   | the enterprise serves the project's province (is based there, when the project asks for in-province partners) |
| stage    | 0.05   | early projects: a high-tech or 专精特新 enterprise; late projects: class capability and capital ≥ 1000 万元 |
| text     | 0.30   | × TF-IDF cosine of project text against enterprise profile and fields  |

Pairs are scored a block of projects at a time against all enterprises with integer bit masks
and one sparse product, and the top 10 are picked with ``argpartition`` on an integer key that
breaks ties by id, so no Python loop ever runs over all pairs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .match_text import TextSpace
from .schemas import status_order, vocabulary, vocabulary_codes, vocabulary_labels

ALGORITHM_VERSION = "match-1.0"
TOP_K = 10
SCALE = 10_000  # scores are published with four decimals; ranking uses the same rounding
WEIGHTS = {
    "category": 0.25,
    "class": 0.15,
    "mode": 0.15,
    "region": 0.10,
    "stage": 0.05,
    "text": 0.30,
}
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
NO_BIT = 63  # a shift that finds no bit: a project without a category matches no field
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
        e_modes = np.array(
            [_bits(e["cooperation_modes"], modes) for e in enterprises], dtype=np.int64
        )
        combos = np.arange(1 << len(modes))[:, None]
        self.mode = ((combos & e_modes[None, :]) != 0).astype(np.float32)
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
        self.stage = np.zeros((12, m), dtype=np.float32)
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

    @property
    def _weighted(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        if not hasattr(self, "_weighted_tables"):
            self._weighted_tables = {
                code: (table * np.float32(WEIGHTS[code]), rows)
                for code, (table, rows) in self._tables().items()
            }
        return self._weighted_tables

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
        """The score of projects ``p`` against every enterprise, or of the pairs
        ``(p[i], e[i])``; ``text`` holds the matching cosines. One order of float32 additions
        for both, so a published score is exactly the one that was ranked."""
        score = np.float32(WEIGHTS["text"]) * np.asarray(text, dtype=np.float32)
        for table, rows in self._weighted.values():
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


def quantise(score: np.ndarray) -> np.ndarray:
    return np.rint(score * np.float32(SCALE)).astype(np.int64)


@dataclass
class Ranking:
    """Top-k both ways, as index arrays into the sorted projects and enterprises (-1: none)."""

    project_top: np.ndarray  # (projects, k) enterprise indices, best first
    enterprise_top: np.ndarray  # (enterprises, k) project indices, best first


def _top(key: np.ndarray, k: int, axis: int) -> np.ndarray:
    """Indices of the k largest keys along ``axis``, largest first; -1 where the key is < 0."""
    size = key.shape[axis]
    k_eff = min(k, size)
    if k_eff == 0:
        shape = list(key.shape)
        shape[axis] = k
        return np.full(shape, -1, dtype=np.intp)
    part = np.argpartition(key, size - k_eff, axis=axis)
    part = np.take(part, np.arange(size - k_eff, size), axis=axis)
    picked = np.take_along_axis(key, part, axis=axis)
    order = np.flip(np.argsort(picked, axis=axis, kind="stable"), axis=axis)
    part = np.take_along_axis(part, order, axis=axis)
    picked = np.take_along_axis(picked, order, axis=axis)
    part[picked < 0] = -1
    if k_eff < k:
        pad = [(0, 0)] * key.ndim
        pad[axis] = (0, k - k_eff)
        part = np.pad(part, pad, constant_values=-1)
    return part


def _best_per_column(
    keys: np.ndarray, rows: np.ndarray, cols: np.ndarray, m: int, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Of candidate (key, row, col) triples keep the k largest keys of each column."""
    order = np.lexsort((-keys, cols))
    keys, rows, cols = keys[order], rows[order], cols[order]
    starts = np.searchsorted(cols, np.arange(m))
    keep = (np.arange(len(cols)) - starts[cols]) < k
    return keys[keep], rows[keep], cols[keep]


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
    ``score * count + (count - 1 - index)``: equal scores rank the smaller id (index) first.
    For the enterprises' side only pairs beating an enterprise's current tenth best are kept
    from each block, so the running top 10 costs little after the first block."""
    n, m = len(features.projects), len(features.enterprises)
    project_top = np.full((n, k), -1, dtype=np.intp)
    e_tiebreak = (m - 1 - np.arange(m, dtype=np.int64))[None, :]
    best_keys = np.empty(0, dtype=np.int64)
    best_rows = np.empty(0, dtype=np.int64)
    best_cols = np.empty(0, dtype=np.int64)
    threshold = np.full(m, -1, dtype=np.int64)
    for start in range(0, n, block_rows):
        stop = min(n, start + block_rows)
        p = np.arange(start, stop)
        text = space.similarity(slice(start, stop)).toarray()
        score = quantise(features.weighted_total(p, text))
        for row in range(start, stop):
            if row in excluded:
                score[row - start, excluded[row]] = 0
        invalid = score <= 0
        key = score * m + e_tiebreak
        key[invalid] = -1
        project_top[start:stop] = _top(key, k, axis=1)
        key = score * n + (n - 1 - p.astype(np.int64))[:, None]
        key[invalid] = -1
        r, c = np.nonzero(key > threshold[None, :])
        best_keys, best_rows, best_cols = _best_per_column(
            np.concatenate([best_keys, key[r, c]]),
            np.concatenate([best_rows, r + start]),
            np.concatenate([best_cols, c]),
            m,
            k,
        )
        counts = np.bincount(best_cols, minlength=m)
        last = np.searchsorted(best_cols, np.arange(m)) + counts - 1
        threshold = np.where(counts >= k, best_keys[np.maximum(last, 0)], -1) if m else threshold
    enterprise_top = np.full((m, k), -1, dtype=np.intp)
    position = np.arange(len(best_cols)) - np.searchsorted(best_cols, best_cols)
    enterprise_top[best_cols, position] = best_rows
    return Ranking(project_top, enterprise_top)


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
    return _rows(features, space, codes // m, codes % m, project_rank, enterprise_rank, existing)


def _rows(
    features: Features,
    space: TextSpace,
    p: np.ndarray,
    e: np.ndarray,
    project_rank: np.ndarray,
    enterprise_rank: np.ndarray,
    existing: dict[tuple[int, int], dict[str, Any]],
) -> list[dict[str, Any]]:
    if not len(p):
        return []
    text, shared_terms = space.pairs(p, e)
    parts = features.components(p, text, e)
    scores = quantise(features.weighted_total(p, text, e))
    explain = Explainer(features)
    columns = [parts[code].tolist() for code in REASON_CODES]
    project_ids = [features.projects[i]["id"] for i in p.tolist()]
    enterprise_ids = [features.enterprises[i]["id"] for i in e.tolist()]
    rows = []
    for i, (pi, ei) in enumerate(zip(p.tolist(), e.tolist(), strict=True)):
        shared = shared_terms[i]
        codes, reasons = explain.reasons(pi, ei, [column[i] for column in columns], shared)
        cooperation = existing.get((pi, ei))
        if cooperation is not None:
            codes = [COOPERATION_CODE, *codes]
            reasons = [
                f"已有合作记录 {cooperation['id']}（{cooperation['status']}），不作推荐",
                *reasons,
            ]
        rows.append(
            {
                "project": project_ids[i],
                "enterprise": enterprise_ids[i],
                "project_rank": int(project_rank[i]) or None,
                "enterprise_rank": int(enterprise_rank[i]) or None,
                "score": int(scores[i]) / SCALE,
                "reason_codes": ";".join(codes),
                "reasons": "；".join(reasons),
                "shared_terms": "、".join(shared),
                "algorithm_version": ALGORITHM_VERSION,
            }
        )
    return rows


class Explainer:
    """Chinese reasons for one pair, one per part of the score that counted.

    Each reason depends on a few coded facts only, so each distinct reason is written once
    and then looked up: a big run has hundreds of thousands of pairs but few distinct facts."""

    def __init__(self, features: Features) -> None:
        self.features = features
        self.categories = vocabulary_labels("categories")
        self.provinces = vocabulary_labels("provinces")
        self.classes = {row["code"]: row["zh"] for row in vocabulary("classes")}
        self.memo: dict[tuple[Any, ...], str] = {}

    def _once(self, key: tuple[Any, ...], make: Any) -> str:
        text = self.memo.get(key)
        if text is None:
            text = self.memo[key] = make()
        return text

    def reasons(
        self, pi: int, ei: int, parts: list[float], shared: list[str]
    ) -> tuple[list[str], list[str]]:
        project = self.features.projects[pi]
        enterprise = self.features.enterprises[ei]
        category, capable, mode, region, stage, text = parts
        codes: list[str] = []
        reasons: list[str] = []
        if category:
            code = project["category"]
            codes.append("category")
            reasons.append(
                self._once(
                    ("category", code),
                    lambda: f"同属分类目录子目录“{code} {self.categories.get(code, code)}”",
                )
            )
        level = int(self.features.e_level[ei])
        if capable:
            wanted = project["product_class"]
            codes.append("class")
            reasons.append(self._once(("class", level, wanted), lambda: self._class(level, wanted)))
        if mode:
            sought = tuple(project.get("cooperation_modes_sought", []))
            accepted = tuple(enterprise["cooperation_modes"])
            codes.append("mode")
            reasons.append(
                self._once(
                    ("mode", sought, accepted),
                    lambda: (
                        "企业接受项目意向的合作方式："
                        + "".join(f"“{m}”" for m in sought if m in accepted)
                    ),
                )
            )
        if region:
            based = enterprise["province"] == project["province"]
            codes.append("region")
            reasons.append(
                self._once(
                    ("region", project["province"], based, region),
                    lambda: self._region(project["province"], based, region),
                )
            )
        if stage:
            codes.append("stage")
            key = (
                "stage",
                project["stage"],
                bool(enterprise.get("high_tech")),
                enterprise.get("specialised"),
                bool(capable),
                bool(self.features.e_capital[ei]),
            )
            reasons.append(self._once(key, lambda: self._stage(*key[1:])))
        if text and shared:
            codes.append("text")
            reasons.append(f"文字相近（相似度{text:.2f}），共同词语：{'、'.join(shared)}")
        return codes, reasons

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
