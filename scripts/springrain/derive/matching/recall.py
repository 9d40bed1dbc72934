"""How well matching finds real partners: hide the cooperations, rank, and count how often
the real partner is in the project's top k (recall@k), against what chance would give."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from springrain.derive.matching.engine import build
from springrain.derive.matching.ranking import TOP_K
from springrain.gcpause import collector_paused


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
        evidence, ranking, _existing = build(chosen, enterprises, (), k)
    p_index = {p["id"]: i for i, p in enumerate(evidence.projects)}
    e_index = {e["id"]: i for i, e in enumerate(evidence.enterprises)}
    hits = total_pairs = 0
    for cooperation in cooperations:
        pi, ei = p_index.get(cooperation["project"]), e_index.get(cooperation["enterprise"])
        if pi is None or ei is None:
            continue
        total_pairs += 1
        hits += int(ei in ranking.project_top[pi])
    return Recall(hits, total_pairs, k, len(evidence.enterprises))
