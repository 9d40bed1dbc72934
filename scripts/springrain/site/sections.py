"""The data each summary page's template needs, from the package (see ``site.pages``)."""

from __future__ import annotations

import json
from typing import Any

from springrain.intake.policy import issue_source
from springrain.model import statuses
from springrain.model.kinds import kind_names
from springrain.model.schemas import SET_BY_ZH, Field, fields, record_schema, vocabulary
from springrain.site import matchpages, search_index
from springrain.site.context import Site
from springrain.site.links import Links
from springrain.site.views import label


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
        demo=site.demo,
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
            if r.get("metric") == metric
            and not r.get("breakdown")
            and r.get("value", "").isdecimal()
        ]
        if candidates:
            best = max(candidates, key=lambda r: (int(r["value"]), r.get("id", "")))
            province = label("provinces", best["province"]) if best.get("province") else ""
            chosen.append({**best, "province_label": f"{province} · " if province else ""})
    return chosen


def catalogue(site: Site) -> dict[str, Any]:
    return dict(total=len(site.package.projects), kind="project")


def enterprises(site: Site) -> dict[str, Any]:
    return dict(total=len(site.package.enterprises), kind="enterprise")


def matching(site: Site) -> dict[str, Any]:
    return matchpages.overview(site)


def search(site: Site) -> dict[str, Any]:
    return {
        "available": site.searchable,
        "bundles": json.dumps(search_index.bundles(site.package), ensure_ascii=False),
        "language": search_index.INDEX_LANGUAGE,
        "projects": len(site.package.projects),
        "enterprises": len(site.package.enterprises),
    }


def submit(site: Site) -> dict[str, Any]:
    """The forms, with their addresses, and each programme's own channel (for those who
    would rather not use GitHub), from the programmes table."""
    links = Links.of(site.settings)
    channels = [
        {
            "programme": row.get("name_zh") or row["id"],
            "province": label("provinces", row["province"]) if row.get("province") else "全国",
            "platform": row.get("platform_zh") or "",
            "url": (row.get("platform_url") or "")
            if (row.get("platform_url") or "").startswith(("https://", "http://"))
            else "",
            "office": row.get("office_zh") or "",
        }
        for row in site.package.programmes
        if row.get("platform_zh") or row.get("office_zh")
    ]
    return dict(forms=links.footer_forms(), choose=links.choose, channels=channels)


def maintainers(site: Site) -> dict[str, Any]:
    """How a maintainer moves a project along: each status, what it may become next and
    why (the transitions table), and an example of the edit, from the vocabularies."""
    links = Links.of(site.settings)
    steps = statuses.transitions("project") or frozenset()
    notes = {(row["from"], row["to"]): row.get("note") or "" for row in vocabulary("transitions")}
    rank = statuses.order()
    rows = []
    for row in sorted(vocabulary("statuses"), key=lambda r: int(r["order"])):
        code = row["code"]
        after = sorted((to for start, to in steps if start == code), key=lambda c: rank[c])
        rows.append(
            {
                "code": code,
                "label": row.get("zh") or code,
                "source": row.get("source") or "",
                "next": [{"code": to, "note": notes.get((code, to), "")} for to in after],
            }
        )
    first = statuses.initial("project") or ""
    second = next((r["next"][0]["code"] for r in rows if r["code"] == first and r["next"]), "")
    return {
        "statuses": rows,
        "first": first,
        "second": second,
        "first_source": issue_source(12),
        "cooperation_statuses": [
            row.get("zh") or row["code"] for row in vocabulary("cooperation_statuses")
        ],
        "files": {
            name: links.repository_file(path)
            for name, path in (
                ("statuses", "schemas/vocab/statuses.csv"),
                ("transitions", "schemas/vocab/transitions.csv"),
                ("releasing", "RELEASING.md"),
                ("maintainers", ".github/maintainers.csv"),
            )
        },
    }


def _values(f: Field) -> str:
    """A field's allowed values in Chinese: its vocabulary's labels (with the code where the
    code differs), or the format the schema states in Chinese."""
    if f.vocab:
        rows = vocabulary(f.vocab)
        return "可选：" + "、".join(
            row["zh"] if row["zh"] == row["code"] else f"{row['zh']}（{row['code']}）"
            for row in rows
        )
    schema = f.schema
    text = schema.get("x-format-zh", "")
    if not text:
        kind = schema.get("type")
        text = {
            "boolean": "是或否",
            "integer": "整数",
            "number": "数字",
            "string": "文字",
        }.get(str(kind), "")
    return text


def _parts(kind: str, f: Field) -> str:
    """The parts of each item of a list of objects, or of an object, by their Chinese titles."""
    node = f.schema.get("items") if f.is_list else f.schema
    if not isinstance(node, dict) or node.get("type") != "object":
        return ""
    return "每项包含：" + "、".join(part.title_zh for part in fields(kind, node))


def dictionary() -> list[dict[str, Any]]:
    result = []
    for kind in kind_names():
        schema = record_schema(kind)
        rows = []
        for f in fields(kind):
            parts = _parts(kind, f)
            rows.append(
                {
                    "name": f.name,
                    "zh": f.title_zh,
                    "en": f.title_en,
                    "required": f.required,
                    "set_by": SET_BY_ZH[f.set_by],
                    "values": "；".join(v for v in (_values(f) if not parts else "", parts) if v),
                    "list": f.is_list,
                }
            )
        result.append(
            {
                "name": kind,
                "title": schema.get("title", kind),
                "title_en": schema.get("x-en", kind),
                "fields": rows,
            }
        )
    return result
