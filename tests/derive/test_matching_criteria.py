"""The criteria registry: weights, each criterion's score and reason agreeing over every
combination of small synthetic inputs, and a new criterion taking part without engine edits."""

from __future__ import annotations

import dataclasses
import itertools
import re
from typing import Any

import numpy as np
import pytest

from springrain.derive.matching import criteria
from springrain.derive.matching.criteria import category, device_class, mode, region, stage, text
from springrain.derive.matching.criteria.base import Criterion, SimilarityCriterion
from springrain.derive.matching.engine import match
from springrain.derive.matching.table import table_schema
from springrain.model.schemas import vocabulary_codes

Record = dict[str, Any]
DECIMAL = re.compile(r"\d\s*[.．]\s*\d")


def test_registry_weights_sum_to_one_and_codes_are_distinct() -> None:
    registered = criteria.registered()
    assert sum(c.weight for c in registered) == pytest.approx(1.0)
    assert [c.code for c in registered] == ["category", "class", "mode", "region", "stage", "text"]
    assert {c.code: c.weight for c in registered} == {
        "category": 0.30,
        "class": 0.10,
        "mode": 0.05,
        "region": 0.10,
        "stage": 0.05,
        "text": 0.40,
    }
    assert [c.label for c in registered] == [
        "分类相同",
        "注册能力",
        "合作方式",
        "地域",
        "阶段匹配",
        "文字相近",
    ]
    assert "cooperation" not in {c.code for c in registered}


def spanning_projects() -> list[Record]:
    """Projects covering every value (and some odd ones) of the fields the criteria read."""
    modes = vocabulary_codes("cooperation_modes")
    values = itertools.product(
        ["06", "01", ""],  # category
        [*vocabulary_codes("classes"), ""],  # product_class
        [*vocabulary_codes("stages"), ""],  # stage
        ["GD", "SH"],  # province
        [{"in_province": ["某企业"]}, {}],  # intended_partners
        [[], [modes[2]], [modes[0], modes[4]]],  # cooperation_modes_sought
    )
    return [
        {
            "id": f"P{i:05d}",
            "category": cat,
            "product_class": klass,
            "stage": stage_,
            "province": province,
            "intended_partners": partners,
            "cooperation_modes_sought": sought,
        }
        for i, (cat, klass, stage_, province, partners, sought) in enumerate(values)
    ]


def spanning_enterprises() -> list[Record]:
    modes = vocabulary_codes("cooperation_modes")
    values = itertools.product(
        [["06"], ["01", "02"], []],  # fields
        [[], ["第一类"], ["第一类", "第二类"], ["第三类"]],  # device_classes
        [[modes[2]], [modes[0], modes[1]], []],  # cooperation_modes
        [("GD", ["GD"]), ("SH", ["GD", "SH"]), ("SH", ["SH"])],  # province, regions
        [True, False],  # high_tech
        vocabulary_codes("specialised_levels"),
        [100.0, 1000.0],  # registered_capital
    )
    return [
        {
            "id": f"E{i:05d}",
            "fields": fields,
            "device_classes": classes,
            "cooperation_modes": accepted,
            "province": province,
            "regions": regions,
            "high_tech": high_tech,
            "specialised": specialised,
            "registered_capital": capital,
        }
        for i, (
            fields,
            classes,
            accepted,
            (province, regions),
            high_tech,
            specialised,
            capital,
        ) in enumerate(values)
    ]


def fact_criteria() -> list[Criterion[Any, Any]]:
    return [c for c in criteria.registered() if isinstance(c, Criterion)]


@pytest.mark.parametrize("criterion", fact_criteria(), ids=lambda c: c.code)
def test_reason_exactly_when_score_over_every_key_combination(
    criterion: Criterion[Any, Any],
) -> None:
    p_keys = {criterion.project_key(p) for p in spanning_projects()}
    e_keys = {criterion.enterprise_key(e) for e in spanning_enterprises()}
    assert len(p_keys) > 1 and len(e_keys) > 1  # the inputs do vary this criterion's facts
    scores = set()
    for pk, ek in itertools.product(p_keys, e_keys):
        score = criterion.score(pk, ek)
        said = criterion.reason(pk, ek)
        scores.add(score)
        assert 0.0 <= score <= 1.0, (pk, ek)
        if score > 0:
            assert said, (pk, ek)
            assert not DECIMAL.search(said), said
            assert not said.startswith(criterion.label)  # the engine adds the label
            assert "；" not in said  # the separator between reasons
        else:
            assert not said, (pk, ek, said)
    assert 0.0 in scores and 1.0 in scores


TEXTS = ["射频消融导管", "可降解镁合金支架", "水凝胶敷料", "心脏瓣膜修复", "", "支架与导管"]
ENTERPRISE_TEXTS = ["专注射频消融技术", "产品包括支架、导管", "软件外包服务", "水凝胶"]


def test_text_reason_exactly_when_score_over_every_pair() -> None:
    projects = [{"id": f"P{i}", "project_name": t} for i, t in enumerate(TEXTS)]
    enterprises = [{"id": f"E{i}", "profile": t} for i, t in enumerate(ENTERPRISE_TEXTS)]
    assert isinstance(text.CRITERION, SimilarityCriterion)
    model = text.CRITERION.prepare(projects, enterprises)
    p, e = np.divmod(np.arange(len(projects) * len(enterprises)), len(enterprises))
    part, shared = model.pairs(p, e)
    dense = model.similarity(slice(0, len(projects))).ravel()
    assert part.tolist() == pytest.approx(dense.tolist(), abs=1e-6)
    for score, words in zip(part.tolist(), shared, strict=True):
        said = text.CRITERION.reason(words)
        assert 0.0 <= score <= 1.0 + 1e-6
        if score > 0:
            assert said == f"共同词语 {words}"
            assert not DECIMAL.search(said)
        else:
            assert not said and not words
    assert max(part) == pytest.approx(1.0) and min(part) == 0.0


def test_each_criterion_says_what_it_found() -> None:
    assert category.reason("06", frozenset({"06", "01"})) == "同属分类目录“06 医用成像器械”"
    assert category.score("06", frozenset({"01"})) == 0.0
    assert (
        device_class.reason("待确定", 1) == "企业已注册或生产第一类医疗器械，可承担类别待确定的项目"
    )
    assert (
        device_class.reason("药械组合", 3)
        == "企业已注册或生产第三类医疗器械，可承担药械组合产品项目"
    )
    assert device_class.score("药械组合", 2) == 0.0
    modes = vocabulary_codes("cooperation_modes")
    sought = mode.project_key({"cooperation_modes_sought": [modes[4], modes[0]]})
    assert sought == (modes[0], modes[4])  # vocabulary order
    assert mode.reason(sought, frozenset(modes)) == f"企业接受项目希望的“{modes[0]}”“{modes[4]}”"
    assert region.score(("GD", True), ("SH", frozenset({"GD"}))) == 0.5
    assert region.score(("GD", False), ("SH", frozenset({"GD"}))) == 1.0
    assert region.score(("GD", True), ("GD", frozenset())) == 1.0
    assert region.score(("GD", False), ("SH", frozenset({"SH"}))) == 0.0
    early = ("概念", 3)
    assert stage.score(early, (False, "国家级", 0, False)) == 1.0
    assert stage.reason(early, (True, "国家级", 0, False)) == (
        "项目处于概念阶段，企业为高新技术企业、国家级专精特新企业，具备联合研发条件"
    )
    assert stage.score(early, (False, None, 3, True)) == 0.0
    late = ("临床试验", 3)
    assert stage.score(late, (True, "国家级", 2, True)) == 0.5
    assert (
        stage.reason(late, (True, "国家级", 2, True))
        == "项目处于临床试验阶段，企业具备注册资金1000万元以上"
    )
    assert stage.score(("其他", 1), (True, "国家级", 3, True)) == 0.0


def test_match_reasons_carry_no_decimal_scores() -> None:
    projects = [
        dict(p, id=f"GD-2026-{i:04d}", status="对接中")
        for i, p in enumerate(spanning_projects()[::7], 1)
    ]
    for p in projects:
        p["project_name"] = TEXTS[int(p["id"][-4:]) % len(TEXTS)]
    enterprises = spanning_enterprises()[::11]
    for i, e in enumerate(enterprises):
        e["profile"] = ENTERPRISE_TEXTS[i % len(ENTERPRISE_TEXTS)]
    rows = match(projects, enterprises)
    assert len(rows) > 100
    for row in rows:
        assert not DECIMAL.search(row["reasons"]), row["reasons"]
        assert "相近度" not in row["reasons"]


# --- adding a criterion ------------------------------------------------------------------

IP = Criterion(
    code="ip",
    label="知识产权",
    weight=0.10,
    project_key=lambda p: bool(p.get("intellectual_property")),
    enterprise_key=lambda e: e.get("specialised") == "国家级",
    score=lambda has_ip, national: 1.0 if has_ip and national else 0.0,
    reason=lambda has_ip, national: (
        "项目已有专利，企业为国家级专精特新企业" if has_ip and national else None
    ),
)


def _project(pid: str, **extra: Any) -> Record:
    return {
        "id": pid,
        "status": "对接中",
        "province": "GD",
        "category": "06",
        "product_class": "第二类",
        "stage": "其他",
        "project_name": "心脏瓣膜修复",
        "cooperation_modes_sought": [],
        **extra,
    }


def _enterprise(eid: str, **extra: Any) -> Record:
    return {
        "id": eid,
        "province": "SH",
        "regions": ["SH"],
        "fields": ["06"],
        "device_classes": [],
        "cooperation_modes": [],
        "name": "甲乙丙丁",
        "profile": "软件外包服务",
        **extra,
    }


def test_a_registered_criterion_scores_and_explains_without_engine_edits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    projects = [_project("GD-2026-0001", intellectual_property=[{"kind": "发明专利"}])]
    enterprises = [_enterprise("ENT-0001", specialised="国家级"), _enterprise("ENT-0002")]
    before = {row["enterprise"]: row for row in match(projects, enterprises)}
    # category only: both enterprises score 0.30, tied, broken by id
    assert {e: row["score"] for e, row in before.items()} == {"ENT-0001": 0.3, "ENT-0002": 0.3}

    # make room for the new criterion: text gives it 0.10
    registered = [
        dataclasses.replace(c, weight=round(c.weight - 0.10, 2)) if c.code == "text" else c
        for c in criteria.registered()
    ]
    monkeypatch.setattr(criteria, "CRITERIA", (*registered, IP))
    after = {row["enterprise"]: row for row in match(projects, enterprises)}
    assert after["ENT-0001"]["score"] == 0.4
    assert after["ENT-0001"]["project_rank"] == 1
    assert after["ENT-0001"]["reason_codes"] == "category;ip"
    assert after["ENT-0001"]["reasons"] == (
        "分类相同：同属分类目录“06 医用成像器械”；知识产权：项目已有专利，企业为国家级专精特新企业"
    )
    assert after["ENT-0002"]["score"] == 0.3
    assert after["ENT-0002"]["reason_codes"] == "category"
    pattern = next(f for f in table_schema()["fields"] if f["name"] == "reason_codes")
    assert re.fullmatch(pattern["constraints"]["pattern"], "category;ip")


def test_weights_not_summing_to_one_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(criteria, "CRITERIA", (*criteria.registered(), IP))
    with pytest.raises(ValueError, match="sum to 1"):
        match([_project("GD-2026-0001")], [_enterprise("ENT-0001")])


def test_a_criterion_scoring_without_a_reason_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    mute = dataclasses.replace(category.CRITERION, reason=lambda pk, ek: None)
    registered = [mute if c.code == "category" else c for c in criteria.registered()]
    monkeypatch.setattr(criteria, "CRITERIA", tuple(registered))
    with pytest.raises(ValueError, match="category counted for a pair but gave no reason"):
        match([_project("GD-2026-0001")], [_enterprise("ENT-0001")])


def test_a_score_outside_zero_to_one_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    loud = dataclasses.replace(category.CRITERION, score=lambda pk, ek: 2.0)
    registered = [loud if c.code == "category" else c for c in criteria.registered()]
    monkeypatch.setattr(criteria, "CRITERIA", tuple(registered))
    with pytest.raises(ValueError, match="outside"):
        match([_project("GD-2026-0001")], [_enterprise("ENT-0001")])
