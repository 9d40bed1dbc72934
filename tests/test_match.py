"""Matching: hand-worked scores, tie-breaking, exclusions, blocking, recall and the CLI."""

from __future__ import annotations

import csv
import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from springrain.demo import generate
from springrain.derive.matching.engine import (
    ALGORITHM_VERSION,
    WEIGHTS,
    Features,
    build,
    match,
    rank,
    recall,
)
from springrain.derive.matching.table import table_schema
from springrain.derive.matching.text import TextSpace, terms


def project(pid: str, **extra: Any) -> dict[str, Any]:
    record = {
        "id": pid,
        "province": "GD",
        "programme": "GD-2026-2028",
        "project_name": "心脏瓣膜修复",
        "working_principle": "瓣叶夹合",
        "intended_use": "二尖瓣反流",
        "innovation_points": "经导管输送",
        "product_class": "第三类",
        "category": "06",
        "stage": "样品",
        "status": "对接中",
        "cooperation_modes_sought": ["联合开发"],
        "intended_partners": {"in_province": ["某企业"]},
    }
    record.update(extra)
    return record


def enterprise(eid: str, **extra: Any) -> dict[str, Any]:
    record = {
        "id": eid,
        "name": "甲乙丙丁",
        "province": "GD",
        "profile": "软件外包服务",
        "fields": ["06"],
        "device_classes": ["第一类", "第二类", "第三类"],
        "cooperation_modes": ["联合开发"],
        "regions": ["GD"],
        "high_tech": True,
        "specialised": "否",
        "registered_capital": 100.0,
    }
    record.update(extra)
    return record


# Weights: category 0.30, class 0.10, mode 0.05, region 0.10, stage 0.05, text 0.40. The
# fixture texts share no word ("心脏瓣膜修复…" against "甲乙丙丁 软件外包服务 医用成像器械"),
# so the text part is 0 unless a test says otherwise.
ENTERPRISES = [
    # everything but text: 0.30 + 0.10 + 0.05 + 0.10 + 0.05 = 0.60
    enterprise("ENT-0001"),
    # category, and serves GD without being based there while the project wants local:
    # 0.30 + 0.10 / 2 = 0.35
    enterprise(
        "ENT-0002",
        province="SH",
        regions=["GD", "SH"],
        device_classes=["第一类", "第二类"],
        cooperation_modes=["技术转让"],
        high_tech=False,
    ),
    # no category; class, mode, region, stage (省级专精特新): 0.10 + 0.05 + 0.10 + 0.05 = 0.30
    enterprise("ENT-0003", fields=["01"], high_tech=False, specialised="省级"),
    # the same as ENT-0001: a tie, broken by id
    enterprise("ENT-0004"),
]


def by_pair(rows: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(row["project"], row["enterprise"]): row for row in rows}


def test_scores_worked_by_hand_and_ties_break_by_id() -> None:
    rows = by_pair(match([project("GD-2026-0001")], ENTERPRISES))
    assert {pair: row["score"] for pair, row in rows.items()} == {
        ("GD-2026-0001", "ENT-0001"): 0.60,
        ("GD-2026-0001", "ENT-0002"): 0.35,
        ("GD-2026-0001", "ENT-0003"): 0.30,
        ("GD-2026-0001", "ENT-0004"): 0.60,
    }
    ranks = {pair[1]: row["project_rank"] for pair, row in rows.items()}
    assert ranks == {"ENT-0001": 1, "ENT-0004": 2, "ENT-0002": 3, "ENT-0003": 4}
    # one project: it is every enterprise's first choice
    assert {row["enterprise_rank"] for row in rows.values()} == {1}
    first = rows[("GD-2026-0001", "ENT-0001")]
    assert first["reason_codes"] == "category;class;mode;region;stage"
    assert first["reasons"].split("；")[0] == "同属分类目录子目录“06 医用成像器械”"
    assert "企业位于项目所在地广东省" in first["reasons"]
    assert first["algorithm_version"] == ALGORITHM_VERSION
    second = rows[("GD-2026-0001", "ENT-0002")]
    assert second["reason_codes"] == "category;region"
    assert "项目希望优先与省内企业合作" in second["reasons"]


def test_without_local_wish_serving_the_province_is_enough() -> None:
    rows = by_pair(match([project("GD-2026-0001", intended_partners={})], ENTERPRISES))
    # category 0.30 + the whole region part 0.10
    assert rows[("GD-2026-0001", "ENT-0002")]["score"] == 0.40


def test_class_capability_ladder() -> None:
    only_two = [enterprise("ENT-0001", device_classes=["第二类"])]
    for product_class, capable in [
        ("第一类", True),
        ("第二类", True),
        ("第三类", False),
        ("药械组合", False),
        ("待确定", True),
    ]:
        row = match([project("GD-2026-0001", product_class=product_class)], only_two)[0]
        assert ("class" in row["reason_codes"].split(";")) is capable, product_class


def test_late_stage_needs_class_and_capital() -> None:
    late = project("GD-2026-0001", stage="注册检验")
    rich = enterprise("ENT-0001", registered_capital=5000.0)
    poor = enterprise("ENT-0002", registered_capital=10.0)
    rows = by_pair(match([late], [rich, poor]))
    assert rows[("GD-2026-0001", "ENT-0001")]["score"] == 0.60
    assert rows[("GD-2026-0001", "ENT-0002")]["score"] == 0.575  # half the stage part (0.05)


def test_existing_cooperation_is_shown_not_suggested() -> None:
    cooperation = {
        "id": "COOP-0001",
        "project": "GD-2026-0001",
        "enterprise": "ENT-0001",
        "status": "已签约",
    }
    rows = by_pair(match([project("GD-2026-0001")], ENTERPRISES, [cooperation]))
    shown = rows[("GD-2026-0001", "ENT-0001")]
    assert shown["project_rank"] is None and shown["enterprise_rank"] is None
    assert shown["reason_codes"].startswith("cooperation;")
    assert shown["reasons"].startswith("已有合作记录 COOP-0001（已签约）")
    assert rows[("GD-2026-0001", "ENT-0004")]["project_rank"] == 1


def test_only_open_projects_are_matched() -> None:
    projects = [
        project("GD-2026-0001", status="已提交"),
        project("GD-2026-0002", status="初核通过"),
        project("GD-2026-0003", status="培育中"),
        project("GD-2026-0004", status="产品定型"),
        project("GD-2026-0005", status="撤回"),
        project("GD-2026-0006", status="清退"),
    ]
    assert {row["project"] for row in match(projects, ENTERPRISES)} == {
        "GD-2026-0002",
        "GD-2026-0003",
    }


def test_nothing_to_match() -> None:
    assert match([], ENTERPRISES) == []
    assert match([project("GD-2026-0001")], []) == []


def test_shared_terms_come_from_the_device_dictionary() -> None:
    assert "射频消融" in terms("本产品采用射频消融技术")
    p = project("GD-2026-0001", working_principle="采用射频消融技术的导管")
    e = enterprise("ENT-0001", profile="专注射频消融技术")
    row = match([p], [e])[0]
    assert row["shared_terms"] == "射频消融"
    assert row["reason_codes"].endswith(";text")
    assert "共同词语：射频消融" in row["reasons"]
    # the only enterprise is the project's best text match: full text part, 0.60 + 0.40
    assert row["score"] == 1.0


def test_blocked_ranking_equals_brute_force() -> None:
    data = generate(projects=150, enterprises=40, cooperations=20, seed=11)
    projects, enterprises = data["project"], data["enterprise"]
    features, space, _ranking, existing = build(projects, enterprises, data["cooperation"], k=10)
    excluded: dict[int, list[int]] = {}
    for pi, ei in existing:
        excluded.setdefault(pi, []).append(ei)
    ranking = rank(features, space, excluded, k=10, block_rows=7)
    n, m = len(features.projects), len(features.enterprises)
    text = space.similarity(slice(0, n))
    score = features.weighted_total(np.arange(n), text)
    for pi, ei in existing:
        score[pi, ei] = 0
    for pi in range(n):
        expected = sorted(
            (e for e in range(m) if score[pi, e] > 0), key=lambda e: (-score[pi, e], e)
        )
        got = [e for e in ranking.project_top[pi] if e >= 0]
        assert got == expected[:10]
    for ei in range(m):
        expected = sorted(
            (p for p in range(n) if score[p, ei] > 0), key=lambda p: (-score[p, ei], p)
        )
        got = [p for p in ranking.enterprise_top[ei] if p >= 0]
        assert got == expected[:10]


def test_published_score_is_the_ranked_score() -> None:
    data = generate(projects=120, enterprises=30, cooperations=10, seed=5)
    features = Features(
        sorted(data["project"], key=lambda r: r["id"]),
        sorted(data["enterprise"], key=lambda r: r["id"]),
    )
    parts = features.components(np.arange(3), np.zeros((3, 30)))
    assert set(parts) == set(WEIGHTS)
    rows = match(data["project"], data["enterprise"], data["cooperation"])
    assert rows == sorted(rows, key=lambda r: (r["project"], r["enterprise"]))
    assert all(0 <= row["score"] <= 1 for row in rows)
    # deterministic: the same input gives the same table
    assert rows == match(data["project"], data["enterprise"], data["cooperation"])


def test_recall_beats_chance_on_planted_affinities() -> None:
    data = generate(projects=800, enterprises=200, cooperations=120, seed=7)
    result = recall(data["project"], data["enterprise"], data["cooperation"])
    assert result.total == 120
    assert result.recall > 5 * result.baseline


def test_text_part_is_bm25_relative_to_the_best_enterprise() -> None:
    # Enterprises: A says 射频消融, B and C say 骨钉; every text has one word, the average
    # length, so BM25's tf factor is 1 * (1.2 + 1) / (1 + 1.2) = 1 and a raw score is the idf:
    # 射频消融 (in 1 of 3): ln(1 + (3 - 1 + 0.5) / (1 + 0.5)) = ln(8/3)
    # 骨钉 (in 2 of 3):     ln(1 + (3 - 2 + 0.5) / (2 + 0.5)) = ln(1.6)
    # The project says both: A is its best match (text part 1), B and C get ln 1.6 / ln(8/3).
    space = TextSpace(["射频消融骨钉", "人工晶体"], ["射频消融", "骨钉", "骨钉"])
    text = space.similarity(slice(0, 2))
    expected = math.log(1.6) / math.log(8 / 3)
    assert text[0].tolist() == pytest.approx([1.0, expected, expected], abs=1e-6)
    assert text[1].tolist() == [0, 0, 0]  # no word in common with anyone: no text part
    part, shared = space.pairs(np.array([0, 0, 1]), np.array([0, 1, 2]))
    assert part.tolist() == pytest.approx([1.0, expected, 0], abs=1e-6)
    assert shared == ["射频消融", "骨钉", ""]


def test_idf_comes_from_the_enterprises_only() -> None:
    # Which projects are matched must not change a pair's text part.
    enterprises = ["射频消融导管", "骨钉", "人工晶体导管"]
    alone = TextSpace(["射频消融导管"], enterprises).similarity(slice(0, 1))
    crowd = TextSpace(["射频消融导管", *["导管"] * 50], enterprises).similarity(slice(0, 1))
    assert alone.tolist() == crowd.tolist()


def test_match_command_adds_a_valid_table(demo_source: Path, tmp_path: Path, run_cli) -> None:
    out = tmp_path / "package"
    code, output = run_cli("package", "--data", str(demo_source), "--out", str(out))
    assert code == 0, output
    code, output = run_cli("match", "--package", str(out))
    assert code == 0, output
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == "matches")
    assert resource["schema"] == table_schema()
    with open(out / "matches.csv", encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == [
        "project",
        "enterprise",
        "project_rank",
        "enterprise_rank",
        "score",
        "reason_codes",
        "reasons",
        "shared_terms",
        "algorithm_version",
    ]
    from frictionless import Package

    report = Package(str(out / "datapackage.json")).validate()
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])


def test_match_command_without_package(tmp_path: Path, run_cli) -> None:
    code, output = run_cli("match", "--package", str(tmp_path / "nowhere"))
    assert code == 1
    assert "springrain package" in output and "错误" in output


def test_docs_state_the_weights_in_use() -> None:
    # docs/matching.md explains the score to users: its table must give the weights in use.
    docs = (Path(__file__).resolve().parents[1] / "docs" / "matching.md").read_text("utf-8")
    stated = {
        code: float(weight)
        for code, weight in re.findall(r"^\| `(\w+)` \| (0\.\d+)", docs, flags=re.MULTILINE)
    }
    assert stated == WEIGHTS
    assert sum(WEIGHTS.values()) == pytest.approx(1.0)
    assert ALGORITHM_VERSION in docs
