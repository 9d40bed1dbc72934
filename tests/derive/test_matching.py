"""Matching: hand-worked scores, tie-breaking, exclusions, blocking, published scores, recall,
the text model and the ``matches`` table."""

from __future__ import annotations

import math
import random
import re
from typing import Any

import numpy as np
import pytest

from springrain.derive.matching import criteria
from springrain.derive.matching import evidence as evidence_module
from springrain.derive.matching.engine import ALGORITHM_VERSION, build, match
from springrain.derive.matching.ranking import SCALE, rank
from springrain.derive.matching.recall import recall
from springrain.derive.matching.table import NAME, table_schema
from springrain.derive.matching.table import matches as matches_table
from springrain.derive.matching.text import TextSpace, terms
from springrain.model.recordset import RecordSet
from springrain.model.statuses import with_role

Record = dict[str, Any]


def project(pid: str, **extra: Any) -> Record:
    record = {
        "id": pid,
        "province": "GD",
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


def enterprise(eid: str, **extra: Any) -> Record:
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


# Weights: category 0.30, class 0.10, mode 0.05, region 0.10, stage 0.05, text the rest. The
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
COOPERATION = {
    "id": "COOP-0001",
    "project": "GD-2026-0001",
    "enterprise": "ENT-0001",
    "status": "已签约",
}


def by_pair(rows: list[Record]) -> dict[tuple[str, str], Record]:
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
    assert first["reasons"].split("；") == [
        "分类相同：同属分类目录“06 医用成像器械”",
        "注册能力：企业已注册或生产第三类医疗器械，可承担第三类医疗器械项目",
        "合作方式：企业接受项目希望的“联合开发”",
        "地域：企业位于项目所在地广东省",
        "阶段匹配：项目处于样品阶段，企业为高新技术企业，具备联合研发条件",
    ]
    assert first["algorithm_version"] == ALGORITHM_VERSION
    assert first["shared_terms"] == ""
    second = rows[("GD-2026-0001", "ENT-0002")]
    assert second["reason_codes"] == "category;region"
    assert second["reasons"] == (
        "分类相同：同属分类目录“06 医用成像器械”；"
        "地域：企业业务覆盖广东省，但不在省内（项目希望优先与省内企业合作）"
    )


def test_without_local_wish_serving_the_province_is_enough() -> None:
    rows = by_pair(match([project("GD-2026-0001", intended_partners={})], ENTERPRISES))
    # category 0.30 + the whole region part 0.10
    row = rows[("GD-2026-0001", "ENT-0002")]
    assert row["score"] == 0.40
    assert "地域：企业业务覆盖项目所在地广东省" in row["reasons"]


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
        assert ("注册能力：" in row["reasons"]) is capable, product_class


def test_late_stage_needs_class_and_capital() -> None:
    late = project("GD-2026-0001", stage="注册检验")
    rich = enterprise("ENT-0001", registered_capital=5000.0)
    poor = enterprise("ENT-0002", registered_capital=10.0)
    rows = by_pair(match([late], [rich, poor]))
    assert rows[("GD-2026-0001", "ENT-0001")]["score"] == 0.60
    assert (
        "阶段匹配：项目处于注册检验阶段，企业具备同类别产品注册生产经验、注册资金1000万元以上"
        in (rows[("GD-2026-0001", "ENT-0001")]["reasons"])
    )
    poor_row = rows[("GD-2026-0001", "ENT-0002")]
    assert poor_row["score"] == 0.575  # half the stage part (0.05)
    assert "阶段匹配：项目处于注册检验阶段，企业具备同类别产品注册生产经验" in poor_row["reasons"]
    assert "注册资金" not in poor_row["reasons"]


def test_existing_cooperation_is_shown_not_suggested() -> None:
    rows = by_pair(match([project("GD-2026-0001")], ENTERPRISES, [COOPERATION]))
    shown = rows[("GD-2026-0001", "ENT-0001")]
    assert shown["project_rank"] is None and shown["enterprise_rank"] is None
    assert shown["reason_codes"] == "cooperation;category;class;mode;region;stage"
    assert shown["reasons"].startswith(
        "已有合作：合作记录 COOP-0001（已签约），不作推荐；分类相同："
    )
    # still scored, by the same criteria
    assert shown["score"] == 0.60
    assert rows[("GD-2026-0001", "ENT-0004")]["project_rank"] == 1


def test_existing_cooperation_with_nothing_in_common() -> None:
    stranger = enterprise(
        "ENT-0009",
        province="SH",
        regions=["SH"],
        fields=["01"],
        device_classes=[],
        cooperation_modes=["技术转让"],
        high_tech=False,
    )
    cooperation = {**COOPERATION, "enterprise": "ENT-0009", "status": "意向"}
    rows = match([project("GD-2026-0001")], [stranger], [cooperation])
    assert rows == [
        {
            "project": "GD-2026-0001",
            "enterprise": "ENT-0009",
            "project_rank": None,
            "enterprise_rank": None,
            "score": 0.0,
            "reason_codes": "cooperation",
            "reasons": "已有合作：合作记录 COOP-0001（意向），不作推荐",
            "shared_terms": "",
            "algorithm_version": ALGORITHM_VERSION,
        }
    ]


def test_only_projects_open_to_partners_are_matched() -> None:
    statuses = [
        "已提交",
        "初核通过",
        "入库",
        "对接中",
        "已签约",
        "培育中",
        "产品定型",
        "撤回",
        "清退",
    ]
    projects = [project(f"GD-2026-{i:04d}", status=s) for i, s in enumerate(statuses, 1)]
    matched = {row["project"] for row in match(projects, ENTERPRISES)}
    assert matched == {"GD-2026-0002", "GD-2026-0003", "GD-2026-0004"}
    assert set(with_role("open_to_partners")) == {"初核通过", "入库", "对接中"}


def test_nothing_to_match() -> None:
    assert match([], ENTERPRISES) == []
    assert match([project("GD-2026-0001")], []) == []
    # a pair with nothing in common scores 0 and is not suggested
    far = enterprise(
        "ENT-0001",
        province="SH",
        regions=["SH"],
        fields=["01"],
        device_classes=[],
        cooperation_modes=["技术转让"],
        high_tech=False,
    )
    assert match([project("GD-2026-0001")], [far]) == []


def test_shared_terms_come_from_the_device_dictionary() -> None:
    assert "射频消融" in terms("本产品采用射频消融技术")
    p = project("GD-2026-0001", working_principle="采用射频消融技术的导管")
    e = enterprise("ENT-0001", profile="专注射频消融技术")
    row = match([p], [e])[0]
    assert row["shared_terms"] == "射频消融"
    assert row["reason_codes"].endswith(";text")
    assert row["reasons"].endswith("；文字相近：共同词语 射频消融")
    assert row["reasons"].count("射频消融") == 1  # the words are said once
    # the only enterprise is the project's best text match: every criterion it is listed
    # for scores in full, so the score is the sum of their weights
    listed = row["reason_codes"].split(";")
    assert row["score"] == pytest.approx(
        sum(c.weight for c in criteria.registered() if c.code in listed), abs=1e-3
    )
    assert {"category", "text"} <= set(listed)


def test_reasons_are_labelled_items_in_the_order_of_the_codes() -> None:
    labels = {
        "cooperation": "已有合作",
        "category": "分类相同",
        "class": "注册能力",
        "mode": "合作方式",
        "region": "地域",
        "stage": "阶段匹配",
        "text": "文字相近",
    }
    projects, enterprises, cooperations = synthetic(60, 25, 10, seed=3)
    rows = match(projects, enterprises, cooperations)
    assert rows
    for row in rows:
        codes = row["reason_codes"].split(";") if row["reason_codes"] else []
        items = row["reasons"].split("；") if row["reasons"] else []
        assert [item.split("：", 1)[0] for item in items] == [labels[c] for c in codes]
        assert all(item.split("：", 1)[1] for item in items)
        assert not re.search(r"\d\.\d", row["reasons"]), row["reasons"]
        assert ("text" in codes) == (row["shared_terms"] != "" and "文字相近：" in row["reasons"])


# --- synthetic data with planted affinities, for ranking and recall -------------------------

TECHS = [
    "射频消融",
    "可降解镁合金",
    "水凝胶",
    "微流控",
    "光声成像",
    "冷冻消融",
    "磁导航",
    "柔性电子",
]
DEVICES = ["支架", "导管", "敷料", "骨钉", "内窥镜", "人工晶体"]
ORGANS = ["心脏", "肝脏", "膝关节", "眼底"]
PROVINCES = ["GD", "SH", "FJ", "BJ"]
CATEGORIES = ["01", "02", "03", "06", "07"]
CLASSES = ["第一类", "第二类", "第三类", "药械组合", "待确定"]
STAGES = ["概念", "设计验证", "样品", "生产验证", "注册检验", "临床试验", "其他"]
MODES = ["技术转让", "技术入股", "联合开发", "委托研发", "委托团队、专家长期技术服务"]
STATUSES = ["已提交", "初核通过", "入库", "对接中", "对接中", "已签约", "培育中", "撤回"]


def synthetic(
    projects: int, enterprises: int, cooperations: int, seed: int
) -> tuple[list[Record], list[Record], list[Record]]:
    """Random projects and enterprises; each cooperation joins a project to an enterprise
    sharing its category and technology when there is one."""
    rng = random.Random(seed)
    made_enterprises = []
    for i in range(enterprises):
        province = rng.choice(PROVINCES)
        techs, devices = rng.sample(TECHS, 2), rng.sample(DEVICES, 2)
        made_enterprises.append(
            enterprise(
                f"ENT-{i + 1:04d}",
                name=f"示例{rng.choice('康瑞华博')}医疗科技有限公司",
                province=province,
                profile=f"专注{'、'.join(techs)}技术，产品包括{'、'.join(devices)}。",
                fields=sorted(rng.sample(CATEGORIES, rng.randint(1, 2))),
                device_classes=["第一类", "第二类", "第三类"][: rng.randint(0, 3)],
                cooperation_modes=rng.sample(MODES, rng.randint(1, 3)),
                regions=sorted({province, rng.choice(PROVINCES)}),
                high_tech=rng.random() < 0.5,
                specialised=rng.choice(["国家级", "省级", "否"]),
                registered_capital=float(rng.choice([100, 1000, 5000])),
            )
        )
    made_projects = []
    for i in range(projects):
        tech, device, organ = rng.choice(TECHS), rng.choice(DEVICES), rng.choice(ORGANS)
        province = rng.choice(PROVINCES)
        made_projects.append(
            project(
                f"{province}-2026-{i + 1:04d}",
                province=province,
                status=rng.choice(STATUSES),
                category=rng.choice(CATEGORIES),
                product_class=rng.choice(CLASSES),
                stage=rng.choice(STAGES),
                project_name=f"{organ}{tech}{device}",
                working_principle=f"本产品采用{tech}技术，作用于{organ}。",
                intended_use=f"适用于{organ}疾病患者的{device}诊疗。",
                innovation_points=f"将{tech}与{device}结合。",
                cooperation_modes_sought=rng.sample(MODES, rng.randint(1, 2)),
                intended_partners={"in_province": ["某企业"]} if rng.random() < 0.5 else {},
                _tech=tech,
            )
        )
    made_cooperations: list[Record] = []
    pairs: set[tuple[str, str]] = set()
    for p in rng.sample(made_projects, min(cooperations, len(made_projects))):
        fitting = [
            e
            for e in made_enterprises
            if p["category"] in e["fields"] and p["_tech"] in e["profile"]
        ]
        partner = rng.choice(fitting or made_enterprises)
        if (p["id"], partner["id"]) not in pairs:
            pairs.add((p["id"], partner["id"]))
            made_cooperations.append(
                {
                    "id": f"COOP-{len(made_cooperations) + 1:04d}",
                    "project": p["id"],
                    "enterprise": partner["id"],
                    "status": "洽谈中",
                }
            )
    return made_projects, made_enterprises, made_cooperations


def _brute_force(
    score: np.ndarray, rows: range, columns: range, k: int, by_row: bool
) -> dict[int, list[int]]:
    top = {}
    for i in rows:
        values = score[i] if by_row else score[:, i]
        ranked = sorted((j for j in columns if values[j] > 0), key=lambda j: (-values[j], j))
        top[i] = ranked[:k]
    return top


@pytest.mark.parametrize("max_cells", [1, evidence_module.MAX_TABLE_CELLS])
def test_blocked_ranking_equals_brute_force(
    monkeypatch: pytest.MonkeyPatch, max_cells: int
) -> None:
    # max_cells 1: one table per criterion; the default: the criteria's tables merged
    monkeypatch.setattr(evidence_module, "MAX_TABLE_CELLS", max_cells)
    projects, enterprises, cooperations = synthetic(150, 40, 20, seed=11)
    evidence, _ranking, existing = build(projects, enterprises, cooperations, k=10)
    if max_cells == 1:
        assert len(evidence.gathered) == len(evidence.facts)
    else:
        assert len(evidence.gathered) == 1
    excluded: dict[int, list[int]] = {}
    for pi, ei in existing:
        excluded.setdefault(pi, []).append(ei)
    ranking = rank(evidence, excluded, k=10, block_rows=7)
    n, m = evidence.shape
    score = evidence.block(slice(0, n)).astype(np.int64)
    for pi, ei in existing:
        score[pi, ei] = 0
    expected = _brute_force(score, range(n), range(m), 10, by_row=True)
    for pi in range(n):
        assert [e for e in ranking.project_top[pi] if e >= 0] == expected[pi]
        assert ranking.project_points[pi][: len(expected[pi])].tolist() == [
            score[pi, e] for e in expected[pi]
        ]
    expected = _brute_force(score, range(m), range(n), 10, by_row=False)
    for ei in range(m):
        assert [p for p in ranking.enterprise_top[ei] if p >= 0] == expected[ei]


def test_block_is_the_sum_of_each_criterion_for_each_pair() -> None:
    projects, enterprises, _cooperations = synthetic(50, 20, 0, seed=2)
    evidence, _ranking, _existing = build(projects, enterprises)
    n, m = evidence.shape
    p, e = np.divmod(np.arange(n * m), m)
    explained = evidence.explain(p, e)
    block = evidence.block(slice(0, n)).ravel()
    # fact criteria are exact; the text part may differ by a rounding point between its
    # dense and its pairwise computation
    assert np.abs(block - explained.points).max() <= 1
    assert set(explained.parts) == {c.code for c in criteria.registered()}


def test_published_score_is_the_ranked_score() -> None:
    projects, enterprises, cooperations = synthetic(120, 30, 10, seed=5)
    rows = match(projects, enterprises, cooperations)
    assert rows == sorted(rows, key=lambda r: (r["project"], r["enterprise"]))
    open_projects = [p for p in projects if p["status"] in with_role("open_to_partners")]
    evidence, _ranking, existing = build(open_projects, enterprises, cooperations)
    n, _m = evidence.shape
    score = evidence.block(slice(0, n))
    p_index = {p["id"]: i for i, p in enumerate(evidence.projects)}
    e_index = {e["id"]: i for i, e in enumerate(evidence.enterprises)}
    for row in rows:
        pi, ei = p_index[row["project"]], e_index[row["enterprise"]]
        assert 0 <= row["score"] <= 1
        if row["project_rank"] or row["enterprise_rank"]:
            assert row["score"] == score[pi, ei] / SCALE
            assert (pi, ei) not in existing
        else:
            assert (pi, ei) in existing
    # deterministic: the same input, in any order, gives the same table
    assert rows == match(projects[::-1], enterprises[::-1], cooperations[::-1])


def test_recall_beats_chance_on_planted_affinities() -> None:
    projects, enterprises, cooperations = synthetic(400, 150, 80, seed=7)
    result = recall(projects, enterprises, cooperations)
    assert result.total == len(cooperations) == 80
    assert result.baseline == pytest.approx(10 / 150)
    assert result.recall > 5 * result.baseline


# --- the text model ----------------------------------------------------------------------


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


# --- the matches table -------------------------------------------------------------------


def test_matches_table_from_a_record_set() -> None:
    projects, enterprises, cooperations = synthetic(40, 15, 5, seed=1)
    records = RecordSet(
        {
            "project": sorted(projects, key=lambda r: r["id"]),
            "enterprise": enterprises,
            "cooperation": cooperations,
        }
    )
    rows = matches_table(records)
    assert rows == match(projects, enterprises, cooperations)
    schema = table_schema()
    assert NAME == "matches"
    assert [f["name"] for f in schema["fields"]] == [
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
    assert schema["primaryKey"] == ["project", "enterprise"]
    pattern = next(f for f in schema["fields"] if f["name"] == "reason_codes")["constraints"]
    for row in rows:
        assert list(row) == [f["name"] for f in schema["fields"]]
        assert re.fullmatch(pattern["pattern"], row["reason_codes"])
        for name in ("project_rank", "enterprise_rank"):
            assert row[name] is None or 1 <= row[name] <= 10
