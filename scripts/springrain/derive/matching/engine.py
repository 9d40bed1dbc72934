"""Suggest partners: rank enterprises for each open project and projects for each enterprise.

What counts, with what weight and how it is explained, is entirely the registered criteria's
(``springrain.derive.matching.criteria``); this module only ranks and writes the rows.

Scores are integer points (1 point = 0.0001): each criterion's points are fixed per pair of
coded facts (or rounded once from its similarity), and a suggested pair is published with
the points it was ranked by. Pairs are scored a block of projects at a time against all
enterprises (``Evidence.block``) and the top 10 both ways is kept (``ranking``); reasons are
written only for the pairs kept, once per distinct set of facts, so no Python loop ever runs
over all pairs.

Only projects whose status has the role ``open_to_partners`` are matched. Pairs already in a
cooperation record are listed (reason code ``cooperation``), never suggested.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np

from springrain.derive.matching.criteria import text as text_criterion
from springrain.derive.matching.evidence import Evidence
from springrain.derive.matching.ranking import SCALE, TOP_K, Ranking, rank
from springrain.gcpause import collector_paused
from springrain.model.statuses import with_role

ALGORITHM_VERSION = "match-3.0"
COOPERATION_CODE = "cooperation"
COOPERATION_LABEL = "已有合作"
TERMS_CODE = text_criterion.CODE  # the criterion whose words fill ``shared_terms``

Record = dict[str, Any]
Pair = tuple[int, int]  # (project index, enterprise index)


def open_statuses() -> tuple[str, ...]:
    """Statuses whose projects are open to partners."""
    return with_role("open_to_partners")


def _sorted(records: Sequence[Record]) -> list[Record]:
    return sorted(records, key=lambda record: record["id"])


def build(
    projects: Sequence[Record],
    enterprises: Sequence[Record],
    cooperations: Sequence[Record] = (),
    k: int = TOP_K,
) -> tuple[Evidence, Ranking, dict[Pair, Record]]:
    """Rank the given projects (all of them, whatever their status) against the enterprises.

    Returns the evidence (records sorted by id), the ranking, and the existing cooperation
    of each pair that has one."""
    evidence = Evidence(_sorted(projects), _sorted(enterprises))
    p_index = {p["id"]: i for i, p in enumerate(evidence.projects)}
    e_index = {e["id"]: i for i, e in enumerate(evidence.enterprises)}
    existing: dict[Pair, Record] = {}
    for cooperation in _sorted(cooperations):
        pi, ei = p_index.get(cooperation["project"]), e_index.get(cooperation["enterprise"])
        if pi is not None and ei is not None:
            existing.setdefault((pi, ei), cooperation)
    excluded: dict[int, list[int]] = defaultdict(list)
    for pi, ei in existing:
        excluded[pi].append(ei)
    return evidence, rank(evidence, excluded, k), existing


def match(
    projects: Sequence[Record],
    enterprises: Sequence[Record],
    cooperations: Sequence[Record] = (),
    k: int = TOP_K,
) -> list[dict[str, Any]]:
    """The ``matches`` rows: suggested pairs both ways plus existing cooperations, sorted by
    (project, enterprise)."""
    with collector_paused():
        return _match(projects, enterprises, cooperations, k)


def _match(
    projects: Sequence[Record],
    enterprises: Sequence[Record],
    cooperations: Sequence[Record],
    k: int,
) -> list[dict[str, Any]]:
    statuses = set(open_statuses())
    open_projects = [p for p in projects if p.get("status") in statuses]
    evidence, ranking, existing = build(open_projects, enterprises, cooperations, k)
    m = max(1, len(evidence.enterprises))
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
    return _rows(evidence, codes // m, codes % m, project_rank, enterprise_rank, points, existing)


def _rows(
    evidence: Evidence,
    p: np.ndarray,
    e: np.ndarray,
    project_rank: np.ndarray,
    enterprise_rank: np.ndarray,
    points: np.ndarray,
    existing: dict[Pair, Record],
) -> list[dict[str, Any]]:
    if not len(p):
        return []
    explained = evidence.explain(p, e)
    # Pairs not ranked (existing cooperations) are scored here, by the same criteria.
    scores = (np.where(points >= 0, points, explained.points) / SCALE).tolist()
    shared_terms = explained.said.get(TERMS_CODE, [""] * len(p))
    codes, reasons = explained.codes, explained.reasons
    m = max(1, len(evidence.enterprises))
    pair_codes = p * m + e  # sorted, as the rows are
    for (pi, ei), cooperation in existing.items():
        i = int(np.searchsorted(pair_codes, pi * m + ei))
        said = f"{COOPERATION_LABEL}：合作记录 {cooperation['id']}（{cooperation['status']}），不作推荐"
        codes[i] = f"{COOPERATION_CODE};{codes[i]}" if codes[i] else COOPERATION_CODE
        reasons[i] = f"{said}；{reasons[i]}" if reasons[i] else said
    project_ids = [evidence.projects[i]["id"] for i in p.tolist()]
    enterprise_ids = [evidence.enterprises[i]["id"] for i in e.tolist()]
    return [
        {
            "project": project,
            "enterprise": enterprise,
            "project_rank": p_rank or None,
            "enterprise_rank": e_rank or None,
            "score": score,
            "reason_codes": code,
            "reasons": reason,
            "shared_terms": terms,
            "algorithm_version": ALGORITHM_VERSION,
        }
        for project, enterprise, p_rank, e_rank, score, code, reason, terms in zip(
            project_ids,
            enterprise_ids,
            project_rank.tolist(),
            enterprise_rank.tolist(),
            scores,
            codes,
            reasons,
            shared_terms,
            strict=True,
        )
    ]
