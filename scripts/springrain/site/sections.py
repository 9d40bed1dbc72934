"""The data each summary page's template needs, from the package (see ``site.pages``)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from springrain.model import statuses
from springrain.model.kinds import kind_names
from springrain.model.schemas import SET_BY_ZH, fields, record_schema, vocabulary
from springrain.site.context import Site
from springrain.site.views import label

PER_GROUP = 10
STALLED_SHOWN = 200
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


def home(site: Site) -> dict[str, Any]:
    package = site.package
    projects = package.projects
    reached_signing = statuses.at_or_after("signed")
    signed = sum(
        1 for p in projects if any(h.get("status") in reached_signing for h in p.get("history", []))
    )
    figures = [
        ("个公开项目", len(projects)),
        ("个省份", len({p.get("province") for p in projects})),
        ("家登记企业", len(package.enterprises)),
        ("项合作", len(package.cooperations)),
        ("个项目已签约", signed),
    ]
    newest = sorted(projects, key=lambda p: (p.get("submitted", ""), p["id"]), reverse=True)[:10]
    return dict(
        figures=figures,
        reported=headline_reported((package.stats or {}).get("reported") or []),
        as_of=(package.stats or {}).get("as_of"),
        total=len(projects),
        newest=[
            {
                "id": p["id"],
                "name": p.get("project_name", ""),
                "institution": p.get("institution", ""),
                "submitted": p.get("submitted", ""),
            }
            for p in newest
        ],
    )


# Officially reported totals worth a headline, in this order (metric codes of
# data/reported_figures.csv); shown apart from the figures computed from the records.
HEADLINE_METRICS = ("projects_collected", "projects_in_library", "class3_reported_to_cmde")


def headline_reported(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The largest undivided figure of each headline metric, with its date and source."""
    chosen = []
    for metric in HEADLINE_METRICS:
        candidates = [
            r
            for r in rows
            if r.get("metric") == metric and not r.get("breakdown") and r.get("value", "").isdigit()
        ]
        if candidates:
            best = max(candidates, key=lambda r: (int(r["value"]), r.get("id", "")))
            province = label("provinces", best["province"]) if best.get("province") else ""
            chosen.append({**best, "province_label": f"{province} · " if province else ""})
    return chosen


def catalogue(site: Site) -> dict[str, Any]:
    package = site.package
    return dict(total=len(package.projects))


def enterprises(site: Site) -> dict[str, Any]:
    package = site.package
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for e in package.enterprises:
        groups[e.get("province", "")].append(
            {
                "id": e["id"],
                "name": e.get("name", ""),
                "fields": "、".join(label("categories", c) for c in e.get("fields", [])),
                "classes": "、".join(
                    label("device_classes", c) for c in e.get("device_classes", [])
                ),
            }
        )
    order = {row["code"]: i for i, row in enumerate(vocabulary("provinces"))}
    ordered = [
        (label("provinces", code), sorted(items, key=lambda e: e["id"]))
        for code, items in sorted(groups.items(), key=lambda kv: order.get(kv[0], 999))
    ]
    return dict(groups=ordered, total=len(package.enterprises))


def matching(site: Site) -> dict[str, Any]:
    package = site.package
    names = {e["id"]: e.get("name", e["id"]) for e in package.enterprises}
    top: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in package.matches or []:
        rank = row.get("project_rank") or ""
        if rank.isdigit() and int(rank) <= 3 and row.get("enterprise") in names:
            top[row["project"]].append(row)
    seeking: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in package.projects:
        if p.get("status") in statuses.with_role("open_to_partners"):
            seeking[p.get("category") or ""].append(p)
    groups = []
    for code in sorted(seeking):
        items = sorted(seeking[code], key=lambda p: (p.get("submitted", ""), p["id"]), reverse=True)
        shown = []
        for p in items[:PER_GROUP]:
            rows = sorted(top.get(p["id"], []), key=lambda r: int(r["project_rank"]))
            shown.append(
                {
                    "id": p["id"],
                    "name": p.get("project_name", ""),
                    "institution": p.get("institution", ""),
                    "suggestions": [
                        {
                            "id": r["enterprise"],
                            "name": names[r["enterprise"]],
                            "reasons": r.get("reasons", ""),
                        }
                        for r in rows
                    ],
                }
            )
        groups.append(
            {
                "code": code or "none",
                "label": label("categories", code) if code else "未填分类目录",
                "count": len(items),
                "projects": shown,
                "more": "catalogue.html?"
                + urlencode(
                    [("category", code)]
                    + [("status", code) for code in statuses.with_role("open_to_partners")]
                ),
            }
        )
    return dict(
        groups=groups,
        total=sum(len(v) for v in seeking.values()),
        statuses="、".join(statuses.with_role("open_to_partners")),
        per_group=PER_GROUP,
        suggestions_missing=package.matches is None,
    )


def _cell(value: Any) -> str:
    """A statistic as shown: missing as —, fractions to one decimal."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:.1f}".removesuffix(".0")
    return str(value)


def _pct(value: Any) -> str:
    if isinstance(value, int | float):
        return f"{value * 100:.1f}%" if value <= 1 else str(value)
    return _cell(value)


def statistics(site: Site) -> dict[str, Any]:
    package = site.package
    stats = package.stats
    if not isinstance(stats, dict):
        return dict(stats=None)
    funnel = [row for row in stats.get("funnel", []) if isinstance(row, dict)]
    funnel_rows = [
        [
            row.get("label") or label("statuses", row.get("status", "")),
            row.get("current", ""),
            row.get("ever", ""),
            _pct(row.get("conversion_to_next")),
            "" if row.get("median_days") is None else row.get("median_days"),
        ]
        for row in funnel
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
    stalled_all = sorted(
        (s for s in stats.get("stalled", []) if isinstance(s, dict)),
        key=lambda s: -(s.get("days_since") or 0),
    )
    known = {p["id"] for p in package.projects}
    stalled = [
        {
            **s,
            "province": label("provinces", s.get("province", "")),
            "status": label("statuses", s.get("status", "")),
        }
        for s in stalled_all[:STALLED_SHOWN]
        if s.get("project") in known
    ]
    targets = [
        [
            t.get("description_zh", ""),
            t.get("programme", ""),
            f"{_cell(t.get('value'))} {t.get('unit') or ''}".strip(),
            t.get("deadline", ""),
            _cell(t.get("actual")),
            _cell(t.get("required_pace")),
            _cell(t.get("actual_pace")),
            {True: "是", False: "否"}.get(t.get("on_track"), "无法判断"),
            t.get("note_zh", ""),
        ]
        for t in stats.get("targets", [])
        if isinstance(t, dict)
    ]
    reported = [
        [
            r.get("description_zh", ""),
            f"{r.get('value', '')} {r.get('unit', '')}".strip(),
            r.get("as_of", ""),
            f"{r.get('source_document', '')} {r.get('source_date', '')}".strip(),
        ]
        for r in stats.get("reported", [])
        if isinstance(r, dict)
    ]
    definitions = sorted(
        (code, d) for code, d in (stats.get("definitions") or {}).items() if isinstance(d, dict)
    )
    return dict(
        stats=stats,
        funnel_rows=funnel_rows,
        funnel_current=[(str(r[0]), int(r[1] or 0)) for r in funnel_rows],
        definitions=definitions,
        breakdowns=breakdowns,
        stalled=stalled,
        stalled_total=len(stalled_all),
        targets=targets,
        reported=reported,
    )


def search(site: Site) -> dict[str, Any]:
    return {"available": site.searchable}


def dictionary() -> list[dict[str, Any]]:
    result = []
    for kind in kind_names():
        schema = record_schema(kind)
        rows = []
        for f in fields(kind):
            values = ""
            if f.vocab:
                values = "、".join(row["code"] for row in vocabulary(f.vocab))
            rows.append(
                {
                    "name": f.name,
                    "zh": f.title_zh,
                    "en": f.title_en,
                    "required": f.required,
                    "set_by": SET_BY_ZH[f.set_by],
                    "values": values,
                    "description": f.description,
                }
            )
        result.append(
            {
                "name": kind,
                "title": f"{schema.get('title', kind)}（{schema.get('x-en', kind)}）",
                "fields": rows,
            }
        )
    return result
