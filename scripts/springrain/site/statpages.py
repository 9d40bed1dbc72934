"""The statistics page's data, and one page per province listing all its stalled projects.

Figures come from ``stats.json`` (``springrain.derive.stats``), where each is defined once;
here they are only arranged and put into words: units on every pace, a target without
records said to be unjudgeable, the officially reported figures beside the targets.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from springrain.model import statuses
from springrain.model.schemas import vocabulary
from springrain.site.context import GeneratedPage, Site
from springrain.site.views import label

FOLDER = "statistics"
CODE = re.compile(r"^[A-Za-z0-9]+$")
BREAKDOWN_TITLES = {
    "province": "省份",
    "programme": "行动方案",
    "product_class": "产品分类",
    "project_type": "项目类型",
    "category": "分类目录",
    "institution": "单位",
    "quarter": "季度（申报趋势）",
}
BREAKDOWN_ROWS = 40
PER = {"year": "每年", "total": "累计"}


def _number(value: Any) -> str:
    """A figure as shown: missing as —, fractions to one decimal."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:.1f}".removesuffix(".0")
    return str(value)


def _percent(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "—"


def stalled_path(province: str) -> str:
    return f"{FOLDER}/stalled-{province}.html"


def funnel(rows: list[tuple[str, str, int]]) -> dict[str, Any]:
    """A funnel as shown: each main-path stage with the projects that reached it, its share
    of the first stage and a bar width; the exits apart."""
    path = statuses.main_path()
    stages = [(code, name, n) for code, name, n in rows if code in path]
    exits = [(name, n) for code, name, n in rows if code not in path]
    first = stages[0][2] if stages else 0
    return {
        "stages": [
            {
                "label": name,
                "reached": n,
                "share": _percent(n, first),
                "width": round(n / first * 100, 1) if first else 0,
            }
            for _code, name, n in stages
        ],
        "exits": exits,
        "total": first,
    }


def _targets(stats: dict[str, Any], programmes: dict[str, str]) -> list[dict[str, Any]]:
    reported = {r.get("id"): r for r in stats.get("reported", []) if isinstance(r, dict)}
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for t in stats.get("targets", []):
        if not isinstance(t, dict):
            continue
        unit = t.get("unit") or ""
        if not t.get("supported"):
            verdict, tone = "记录暂不支持，无法由本库计算", "none"
        elif not t.get("programme_projects"):
            verdict, tone = "本库暂无该方案的项目记录，无法判断进度", "none"
        elif t.get("on_track") is True:
            verdict, tone = "按本库记录，目前的速度可以按期完成", "good"
        elif t.get("on_track") is False:
            verdict, tone = "按本库记录，目前的速度不能按期完成", "bad"
        else:
            verdict, tone = "不作判断", "none"
        value = t.get("value")
        actual = t.get("actual")
        groups[t.get("programme", "")].append(
            {
                "id": t.get("target", ""),
                "description": t.get("description_zh", ""),
                "target": f"{PER.get(t.get('per', ''), '')} {_number(value)} {unit}".strip(),
                "deadline": t.get("deadline", ""),
                "projects": t.get("programme_projects"),
                "actual": None if actual is None else f"{_number(actual)} {unit}",
                "progress": min(100, round(actual / value * 100))
                if isinstance(actual, int) and isinstance(value, int) and value
                else None,
                "actual_pace": None
                if t.get("actual_pace") is None
                else f"每年 {_number(t['actual_pace'])} {unit}",
                "required_pace": None
                if t.get("required_pace") is None
                else f"每年 {_number(t['required_pace'])} {unit}",
                "verdict": verdict,
                "tone": tone,
                # Without records the verdict says all there is to say.
                "note": t.get("note_zh", "") if t.get("programme_projects") else "",
                "reported": [
                    {
                        "text": reported[r].get("description_zh", ""),
                        "value": _reported_value(reported[r]),
                        "as_of": reported[r].get("as_of", ""),
                        "source": reported[r].get("source_document", ""),
                    }
                    for r in t.get("reported", [])
                    if r in reported
                ],
            }
        )
    return [
        {"programme": programmes.get(code, code), "code": code, "targets": items}
        for code, items in groups.items()
    ]


def _reported_value(row: dict[str, Any]) -> str:
    qualifier = row.get("qualifier") or ""
    value = f"{row.get('value', '')} {row.get('unit', '')}".strip()
    if qualifier == "约":
        return "约 " + value
    return value + (qualifier if qualifier else "")


def statistics(site: Site) -> dict[str, Any]:
    package = site.package
    stats = package.stats
    if not isinstance(stats, dict):
        return dict(stats=None)
    known = {p["id"] for p in package.projects}
    definitions = stats.get("definitions") or {}
    province_order = {row["code"]: i for i, row in enumerate(vocabulary("provinces"))}

    overall = [
        (
            r.get("status", ""),
            r.get("label") or label("statuses", r.get("status", "")),
            int(r.get("reached") or 0),
        )
        for r in stats.get("funnel", [])
        if isinstance(r, dict)
    ]
    funnels = [{"code": "", "name": "全部省份", "funnel": funnel(overall)}]
    for row in (stats.get("breakdowns") or {}).get("province", []):
        if not isinstance(row, dict) or not row.get("total"):
            continue
        reached = row.get("reached") or {}
        rows = [
            (code, label("statuses", code), int(reached.get(code) or 0))
            for code, _name, _n in overall
        ]
        funnels.append(
            {"code": row.get("key", ""), "name": row.get("label", ""), "funnel": funnel(rows)}
        )

    stalled_by: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in stats.get("stalled", []):
        if isinstance(s, dict) and s.get("project") in known:
            stalled_by[str(s.get("province", ""))].append(s)
    stalled = [
        {
            "code": code,
            "name": label("provinces", code),
            "count": len(rows),
            "longest": max(int(r.get("days_since") or 0) for r in rows),
            "href": stalled_path(code) if CODE.match(code) else "",
        }
        for code, rows in sorted(stalled_by.items(), key=lambda kv: province_order.get(kv[0], 999))
    ]

    breakdowns = []
    for key, rows in (stats.get("breakdowns") or {}).items():
        if not isinstance(rows, list) or not rows:
            continue
        pairs = [(str(r.get("label") or r.get("key", "")), int(r.get("total") or 0)) for r in rows]
        pairs = [pair for pair in pairs if pair[1]]  # groups with no project say nothing
        if not pairs:
            continue
        if key != "quarter":
            pairs.sort(key=lambda pair: -pair[1])
        breakdowns.append(
            {"key": key, "title": BREAKDOWN_TITLES.get(key, key), "rows": pairs[:BREAKDOWN_ROWS]}
        )
    reported = [
        [
            r.get("description_zh", ""),
            _reported_value(r),
            r.get("as_of", ""),
            f"{r.get('source_document', '')} {r.get('source_date', '')}".strip(),
        ]
        for r in stats.get("reported", [])
        if isinstance(r, dict)
    ]
    return dict(
        stats=stats,
        as_of=stats.get("as_of", ""),
        targets=_targets(stats, site.programmes),
        funnels=funnels,
        stalled=stalled,
        stalled_total=sum(s["count"] for s in stalled),
        breakdowns=breakdowns,
        reported=reported,
        definitions=[
            (d.get("title") or code, d.get("zh", ""))
            for code, d in definitions.items()
            if isinstance(d, dict)
        ],
    )


def stalled_pages(site: Site) -> list[GeneratedPage]:
    """All stalled projects of each province, on a page of its own with a filter."""
    stats = site.package.stats
    if not isinstance(stats, dict):
        return []
    known = {p["id"]: p for p in site.package.projects}
    by: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in stats.get("stalled", []):
        if (
            isinstance(s, dict)
            and s.get("project") in known
            and CODE.match(str(s.get("province", "")))
        ):
            by[s["province"]].append(s)
    definition = ((stats.get("definitions") or {}).get("stalled") or {}).get("zh", "")
    pages = []
    for code, rows in by.items():
        name = label("provinces", code)
        rows.sort(key=lambda r: (-(r.get("days_since") or 0), r.get("project", "")))
        shown_statuses = sorted(
            {r.get("status", "") for r in rows}, key=lambda c: statuses.order().get(c, 999)
        )
        pages.append(
            GeneratedPage(
                path=stalled_path(code),
                title=f"停滞项目：{name}",
                description=f"{name}已入库但长时间没有进展、等待复核的 {len(rows)} 个项目（截至 {stats.get('as_of', '')}）。",
                template="stalled.html",
                data=dict(
                    province=name,
                    as_of=stats.get("as_of", ""),
                    definition=definition,
                    statuses=[(c, label("statuses", c)) for c in shown_statuses],
                    rows=[
                        {
                            "id": r["project"],
                            "name": r.get("project_name")
                            or known[r["project"]].get("project_name", ""),
                            "institution": known[r["project"]].get("institution", ""),
                            "status_code": r.get("status", ""),
                            "status": label("statuses", r.get("status", "")),
                            "last": r.get("last_event", ""),
                            "days": r.get("days_since", ""),
                            "review": r.get("next_review", ""),
                        }
                        for r in rows
                    ],
                ),
            )
        )
    return pages
