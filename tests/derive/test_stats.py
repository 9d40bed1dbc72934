"""Statistics on a hand-made fixture whose every figure is worked out by hand below."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from springrain.derive.stats.compute import (
    as_of_date,
    breakdowns,
    compute,
    funnel,
    next_review,
    stalled,
    targets,
)
from springrain.derive.stats.definitions import DEFINITIONS
from springrain.model.recordset import RecordSet


def p(pid: str, events: list[tuple[str, str]], **extra: Any) -> dict[str, Any]:
    record = {
        "id": pid,
        "programme": "GD-2026-2028",
        "province": "GD",
        "project_name": f"项目{pid}",
        "institution": "甲医院",
        "product_class": "第二类",
        "project_type": "有源",
        "category": "06",
        "submitted": events[0][0],
        "status": events[-1][1],
        "history": [{"date": d, "status": s, "source": "会"} for d, s in events],
    }
    record.update(extra)
    return record


PROJECTS = [
    # A: straight on to 对接中; 10 days in 已提交, 20 in 初核通过, 30 in 入库
    p(
        "GD-2026-0001",
        [
            ("2026-01-01", "已提交"),
            ("2026-01-11", "初核通过"),
            ("2026-01-31", "入库"),
            ("2026-03-02", "对接中"),
        ],
    ),
    # B: withdrawn from 初核通过 after 40 days; 5 days in 已提交
    p(
        "GD-2026-0002",
        [("2026-02-01", "已提交"), ("2026-02-06", "初核通过"), ("2026-03-18", "撤回")],
        institution="乙医院",
        product_class="第三类",
    ),
    # C: skipped 对接中 (入库 → 已签约 directly); 入库 entered on 2026-01-20, left after 100 days
    p(
        "GD-2026-0003",
        [
            ("2026-01-01", "已提交"),
            ("2026-01-05", "初核通过"),
            ("2026-01-20", "入库"),
            ("2026-04-30", "已签约"),
        ],
        programme="SH-2026",
        province="SH",
    ),
    # D: 对接中 recorded twice (one visit: 2026-02-01 to 2026-03-03, 30 days), then 已签约,
    # then 培育中 and finalised in 2026 — counts for T-004
    p(
        "GD-2026-0004",
        [
            ("2025-12-01", "已提交"),
            ("2025-12-11", "初核通过"),
            ("2026-01-01", "入库"),
            ("2026-02-01", "对接中"),
            ("2026-02-15", "对接中"),
            ("2026-03-03", "已签约"),
            ("2026-03-13", "培育中"),
            ("2026-04-12", "产品定型"),
        ],
        regulatory_channels=[{"channel": "优先审批", "date": "2026-04-01"}],
        category=None,
    ),
]
PROJECTS[3].pop("category")
PROGRAMMES = [
    {"id": "GD-2026-2028", "name_zh": "广东方案"},
    {"id": "SH-2026", "name_zh": "上海方案"},
    {"id": "FJ-2025", "name_zh": "福建方案"},  # no projects: an empty programme
]
AS_OF = dt.date(2026, 12, 1)


def target_row(tid: str, metric: str, per: str, value: int, **extra: str) -> dict[str, str]:
    row = {
        "id": tid,
        "programme": "GD-2026-2028",
        "metric": metric,
        "description_zh": "说明",
        "comparator": ">=",
        "value": str(value),
        "unit": "个",
        "per": per,
        "period_start": "2026-01-01",
        "period_end": "2028-12-31",
        "deadline": "2028-12-31",
        "source_date": "2026-07-02",
    }
    row.update(extra)
    return row


def by_status(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["status"]: row for row in rows}


def test_funnel_by_hand() -> None:
    rows = by_status(funnel(PROJECTS))
    assert [rows[s]["current"] for s in ("已提交", "对接中", "已签约", "产品定型", "撤回")] == [
        0,
        1,
        1,
        1,
        1,
    ]
    # ever: 4 submitted and checked, 3 shortlisted, 2 matching (C skipped it), 2 signed
    assert [rows[s]["ever"] for s in ("已提交", "初核通过", "入库", "对接中", "已签约")] == [
        4,
        4,
        3,
        2,
        2,
    ]
    assert rows["对接中"]["ever"] == 2  # D entered it twice, counted once
    assert rows["培育中"]["ever"] == 1 and rows["撤回"]["ever"] == 1
    # conversion: of 4 checked, B withdrew → 3/4; of 3 shortlisted all moved on (C by skipping)
    assert rows["初核通过"]["conversion_to_next"] == 0.75
    assert rows["入库"]["conversion_to_next"] == 1.0
    # of 2 in matching, only D moved on (A is still there) → 1/2; of 2 signed, C is still there
    assert rows["对接中"]["conversion_to_next"] == 0.5
    assert rows["已签约"]["conversion_to_next"] == 0.5
    assert rows["撤回"]["conversion_to_next"] is None
    assert rows["获批上市"]["conversion_to_next"] is None
    # days: 已提交 10, 5, 4, 10 → 7.5; 初核通过 20, 40, 15, 21 → 20.5; 入库 30, 100, 31 → 31
    assert rows["已提交"]["median_days"] == 7.5
    assert rows["初核通过"]["median_days"] == 20.5
    assert rows["入库"]["median_days"] == 31.0
    # 对接中: only D has left it, after one visit of 30 days (two events, one visit)
    assert rows["对接中"]["median_days"] == 30.0
    assert rows["产品定型"]["median_days"] is None  # D is still there
    # the funnel: every stage up to the furthest one passed, so it never widens; C skipped
    # 对接中 but passed it; B reached 初核通过 and then withdrew
    funnel_counts = [rows[s]["reached"] for s in ("已提交", "初核通过", "入库", "对接中", "已签约")]
    assert funnel_counts == [4, 4, 3, 3, 2]
    assert [rows[s]["reached"] for s in ("培育中", "产品定型", "注册检验", "获批上市")] == [
        1,
        1,
        0,
        0,
    ]
    assert rows["撤回"]["reached"] == 1 and rows["清退"]["reached"] == 0


def test_breakdowns_by_hand() -> None:
    result = breakdowns(PROJECTS, PROGRAMMES)
    programmes = {row["key"]: row for row in result["programme"]}
    assert [row["key"] for row in result["programme"]] == ["GD-2026-2028", "SH-2026", "FJ-2025"]
    assert programmes["GD-2026-2028"]["total"] == 3
    assert programmes["GD-2026-2028"]["ever"]["对接中"] == 2
    assert programmes["SH-2026"]["current"]["已签约"] == 1
    assert programmes["FJ-2025"]["total"] == 0
    assert set(programmes["FJ-2025"]["current"].values()) == {0}
    quarters = {row["key"]: row for row in result["quarter"]}
    assert {k: v["total"] for k, v in quarters.items()} == {"2025Q4": 1, "2026Q1": 3}
    assert quarters["2025Q4"]["label"] == "2025年第四季度"
    classes = {row["key"]: row["total"] for row in result["product_class"]}
    assert classes == {"第一类": 0, "第二类": 3, "第三类": 1, "药械组合": 0, "待确定": 0}
    categories = {row["key"]: row for row in result["category"]}
    assert categories["06"]["total"] == 3
    assert categories[""]["total"] == 1 and categories[""]["label"] == "未填写"
    institutions = {row["key"]: row["total"] for row in result["institution"]}
    assert institutions == {"乙医院": 1, "甲医院": 3}
    provinces = {row["key"]: row["total"] for row in result["province"]}
    assert provinces["GD"] == 3 and provinces["SH"] == 1 and provinces["BJ"] == 0
    # the per-province funnel: SH's one project (C) passed 对接中 on its way to 已签约
    shanghai = next(row for row in result["province"] if row["key"] == "SH")
    assert shanghai["reached"]["对接中"] == 1 and shanghai["ever"]["对接中"] == 0
    guangdong = next(row for row in result["province"] if row["key"] == "GD")
    assert [guangdong["reached"][s] for s in ("已提交", "入库", "对接中", "产品定型")] == [
        3,
        2,
        2,
        1,
    ]
    assert set(result) == {
        "province",
        "programme",
        "product_class",
        "project_type",
        "category",
        "institution",
        "quarter",
    }


def test_stalled_by_hand() -> None:
    # As of 2026-12-01: A last moved 2026-03-02 (274 days), C 2026-04-30 (215), D 2026-04-12
    # (233); B is withdrawn (terminal) and not listed.
    rows = stalled(PROJECTS, AS_OF)
    assert [(r["project"], r["days_since"]) for r in rows] == [
        ("GD-2026-0001", 274),
        ("GD-2026-0004", 233),
        ("GD-2026-0003", 215),
    ]
    assert rows[0]["last_event"] == "2026-03-02"
    assert {r["next_review"] for r in rows} == {"2027-05"}
    # 180 days is not yet stalled; 181 is
    assert stalled(PROJECTS, dt.date(2026, 8, 29)) == []
    assert [r["project"] for r in stalled(PROJECTS, dt.date(2026, 8, 30))] == ["GD-2026-0001"]


def test_next_review_rhythm() -> None:
    assert next_review(dt.date(2026, 1, 15)) == "2026-05"
    assert next_review(dt.date(2026, 5, 31)) == "2026-05"
    assert next_review(dt.date(2026, 6, 1)) == "2026-11"
    assert next_review(dt.date(2026, 12, 1)) == "2027-05"


def test_targets_by_hand() -> None:
    rows = [
        target_row("T-001", "projects_collected", "year", 300),
        target_row("T-002", "projects_collected", "total", 900),
        target_row("T-003", "coaching_sessions", "year", 12),
        target_row("T-004", "projects_finalised", "total", 150),
        target_row("T-006", "projects_into_channels", "year", 25),
        # a target whose deadline has passed
        target_row(
            "T-009",
            "projects_collected",
            "total",
            2,
            period_start="2025-01-01",
            period_end="2026-06-30",
            deadline="2026-06-30",
        ),
    ]
    result = {row["target"]: row for row in targets(rows, PROJECTS, AS_OF)}
    # GD-2026-2028 projects submitted in 2026: A and B (C is Shanghai's, D was 2025)
    t1 = result["T-001"]
    assert (t1["supported"], t1["actual"]) == (True, 2)
    # 2026-01-01..2026-12-01 is 335 days: pace 2/335*365; 298 still needed in 30 days
    assert t1["actual_pace"] == round(2 / 335 * 365, 2)
    assert t1["required_pace"] == round(298 / 30 * 365, 2)
    assert t1["on_track"] is False
    t2 = result["T-002"]
    assert t2["actual"] == 2 and t2["required_pace"] == round(898 / 761 * 365, 2)
    t3 = result["T-003"]
    assert t3["supported"] is False and t3["actual"] is None and t3["on_track"] is None
    assert "记录暂不支持" in t3["note_zh"]
    assert result["T-004"]["actual"] == 1  # D finalised 2026-04-12
    assert result["T-006"]["actual"] == 1  # D entered priority review 2026-04-01
    passed = result["T-009"]
    # submitted 2025-01-01..2026-06-30 in the programme: A, B and D
    assert passed["actual"] == 3 and passed["on_track"] is True
    assert passed["required_pace"] is None and "期限已过" in passed["note_zh"]


def test_target_of_a_programme_without_records_gives_no_verdict() -> None:
    """An empty repository is not a programme failing: no count, no pace, no verdict, and the
    officially reported figures on the same metric named beside it."""
    programmes = [*PROGRAMMES, {"id": "GD-2025", "name_zh": "广东启动", "province": "GD"}]
    programmes[0] = {**programmes[0], "province": "GD"}
    reported = [
        {"id": "R-006", "programme": "GD-2025", "province": "GD", "metric": "projects_collected"},
        {"id": "R-008", "programme": "GD-2025", "province": "GD", "metric": "projects_in_library"},
        {"id": "R-099", "programme": "", "province": "SH", "metric": "projects_collected"},
    ]
    rows = [target_row("T-001", "projects_collected", "year", 300)]
    for projects in ([], [p for p in PROJECTS if p["programme"] != "GD-2026-2028"]):
        result = targets(rows, projects, AS_OF, programmes=programmes, reported=reported)[0]
        assert result["supported"] is True and result["programme_projects"] == 0
        assert result["actual"] is None and result["on_track"] is None
        assert result["actual_pace"] is None and result["required_pace"] is None
        assert result["note_zh"] == "本库暂无该方案的项目记录，无法判断进度。"
        assert result["reported"] == ["R-006"]
    counted = targets(rows, PROJECTS, AS_OF, programmes=programmes, reported=reported)[0]
    assert counted["programme_projects"] == 3 and counted["on_track"] is False


def test_definitions_are_plain_chinese() -> None:
    """The Chinese a reader sees names no variable, environment setting or field code."""
    for code, metric in DEFINITIONS.items():
        assert metric.title and metric.zh and metric.en
        for text in (metric.title, metric.zh):
            assert code not in text
            assert "SOURCE_DATE_EPOCH" not in text and "_" not in text, (code, text)


def test_target_before_its_period() -> None:
    row = target_row("T-001", "projects_collected", "total", 900)
    early = targets([row], PROJECTS, dt.date(2025, 12, 31))[0]
    assert early["actual"] == 0 and early["on_track"] is None and early["actual_pace"] is None


def test_as_of_is_never_the_clock() -> None:
    tables = [{"as_of": "2026-07-02", "deadline": "2028-12-31"}]
    assert as_of_date({"project": PROJECTS}, tables, environ={}) == dt.date(2026, 7, 2)
    assert as_of_date({"project": PROJECTS}, [], environ={}) == dt.date(2026, 4, 30)
    epoch = str(int(dt.datetime(2027, 1, 2, tzinfo=dt.UTC).timestamp()))
    assert as_of_date(
        {"project": PROJECTS}, tables, environ={"SOURCE_DATE_EPOCH": epoch}
    ) == dt.date(2027, 1, 2)


def test_stats_json_shape() -> None:
    reported = [{"id": "R-001", "value": "14", "qualifier": ""}]
    records = RecordSet(
        {"project": PROJECTS}, {"programmes": PROGRAMMES, "reported_figures": reported}
    )
    stats = compute(records, environ={})
    assert stats["as_of"] == "2026-04-30"
    assert set(stats) >= {
        "as_of",
        "definitions",
        "funnel",
        "breakdowns",
        "stalled",
        "targets",
        "reported",
    }
    assert stats["reported"] == [{"id": "R-001", "value": "14", "qualifier": ""}]
    assert set(stats["definitions"]) == set(DEFINITIONS)
    assert all(d["zh"] and d["en"] for d in stats["definitions"].values())
    assert set(stats["funnel"][0]) == {
        "status",
        "label",
        "current",
        "ever",
        "reached",
        "conversion_to_next",
        "median_days",
    }
    assert all(d["title"] for d in stats["definitions"].values())


def test_stats_command(demo_source: Path, tmp_path: Path, run_cli) -> None:
    out = tmp_path / "package"
    assert run_cli("package", "--data", str(demo_source), "--out", str(out), "--demo")[0] == 0
    code, output = run_cli("stats", "--package", str(out), "--out", str(tmp_path / "s.json"))
    assert code == 0, output
    stats = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    # The package holds the same figures, written with it; the command changed nothing.
    assert stats == json.loads((out / "stats.json").read_text(encoding="utf-8"))
    assert stats["as_of"] <= "2026-10-31"  # the demo anchor: the latest date in the data
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    names = {r["name"] for r in descriptor["resources"]}
    assert {"stats_funnel", "stats_breakdown", "stats_stalled", "stats_targets"} <= names
    assert "stats.json" in (out / "SHA256SUMS").read_text(encoding="utf-8")
    from frictionless import Package

    report = Package(str(out / "datapackage.json")).validate()
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])


@pytest.mark.parametrize("text", ["2099-12-31", "2026-99-99", "٢٠٢٦-٠١-٠١", "2030-02-30"])
def test_only_date_fields_date_the_figures(text: str) -> None:
    """Any text of a record may look like a date (a department named 2099-12-31 passes
    validation): only the record's date fields, and a table's real dates, count."""
    record = {"id": "X", "department": text, "submitted": "2026-03-01"}
    records = {"project": [record]}
    assert as_of_date(records, environ={}) == dt.date(2026, 3, 1)
    if text != "2099-12-31":  # a table's date column: a date when it is a real one
        assert as_of_date(records, [{"as_of": text}], environ={}) == dt.date(2026, 3, 1)
    history = {**record, "history": [{"date": "2026-04-01", "note": "2099-01-01"}]}
    assert as_of_date({"project": [history]}, environ={}) == dt.date(2026, 4, 1)


def test_a_target_without_its_dates_gives_no_verdict() -> None:
    row = target_row("T-001", "projects_collected", "year", 300)
    row.update(period_start="", period_end="", deadline="")
    result = targets([row], PROJECTS, AS_OF)[0]
    assert result["on_track"] is None and result["actual"] is None
    assert "起始日期" in result["note_zh"]


def test_the_statistics_page_states_the_stalled_threshold_the_code_uses() -> None:
    """The page's words are written by hand; the number in them is the code's."""
    from springrain.config import REPO_ROOT
    from springrain.derive.stats.definitions import STALLED_DAYS

    text = (REPO_ROOT / "docs" / "statistics.md").read_text(encoding="utf-8")
    assert f"超过 {STALLED_DAYS} 天" in text
