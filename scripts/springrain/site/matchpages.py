"""The matching pages: projects open to partners, browsable by province and by category, each
with its top suggested enterprises and their reasons as labelled items.

Every open project is listed once, on the page of its (province, category) pair, ``PER_PAGE``
to a page (a page stays well under 300 KB of HTML); a page per province and per category
lists the pairs with their counts. The overview on matching.html links to those.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from springrain.model import statuses
from springrain.model.schemas import vocabulary
from springrain.site.context import GeneratedPage, Site
from springrain.site.links import Links
from springrain.site.views import label, reasons

PER_PAGE = 40
SUGGESTIONS = 3
FOLDER = "matching"
CODE = re.compile(r"^[A-Za-z0-9]+$")  # codes become file names
NONE = "none"


@dataclass(frozen=True)
class Group:
    key: str  # province or category code ("none": no category)
    label: str
    count: int
    href: str  # the index page of the province or category


def _category_key(project: dict[str, Any]) -> str:
    return str(project.get("category") or NONE)


def _category_label(key: str) -> str:
    return "未填分类目录" if key == NONE else f"{key} {label('categories', key)}"


def open_projects(site: Site) -> list[dict[str, Any]]:
    wanted = set(statuses.with_role("open_to_partners"))
    return [
        p
        for p in site.package.projects
        if p.get("status") in wanted
        and CODE.match(str(p.get("province") or ""))
        and CODE.match(_category_key(p))
    ]


def _page_name(province: str, category: str, number: int) -> str:
    return f"{FOLDER}/{province}-{category}" + (f"-{number}" if number > 1 else "") + ".html"


def _order(vocab: str) -> dict[str, int]:
    return {row["code"]: i for i, row in enumerate(vocabulary(vocab))}


def overview(site: Site) -> dict[str, Any]:
    """What matching.html shows: the provinces and the categories, with counts."""
    projects = open_projects(site)
    provinces: dict[str, int] = defaultdict(int)
    categories: dict[str, int] = defaultdict(int)
    for p in projects:
        provinces[p["province"]] += 1
        categories[_category_key(p)] += 1
    province_order, category_order = _order("provinces"), _order("categories")
    return dict(
        total=len(projects),
        statuses="、".join(label("statuses", s) for s in statuses.with_role("open_to_partners")),
        provinces=[
            Group(code, label("provinces", code), n, f"{FOLDER}/p-{code}.html")
            for code, n in sorted(provinces.items(), key=lambda kv: province_order.get(kv[0], 999))
        ],
        categories=[
            Group(code, _category_label(code), n, f"{FOLDER}/c-{code}.html")
            for code, n in sorted(categories.items(), key=lambda kv: category_order.get(kv[0], 999))
        ],
        suggestions_missing=site.package.matches is None,
        per_page=PER_PAGE,
    )


def _pairs(site: Site) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Open projects by (province, category), each list newest first: the order of the
    listing pages."""
    pairs: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for p in open_projects(site):
        pairs[(p["province"], _category_key(p))].append(p)
    for items in pairs.values():
        items.sort(key=lambda p: (str(p.get("submitted", "")), p["id"]), reverse=True)
    return pairs


def page_of(site: Site) -> dict[str, str]:
    """Project id → the listing page (and anchor) where it is shown with its suggestions."""
    found = {}
    for (province, category), items in _pairs(site).items():
        for index, p in enumerate(items):
            name = _page_name(province, category, index // PER_PAGE + 1)
            found[p["id"]] = f"{name}#{p['id']}"
    return found


def pages(site: Site) -> list[GeneratedPage]:
    """Every matching page: one per province, one per category, and the listing pages of
    each (province, category) pair."""
    package = site.package
    links = Links.of(site.settings)
    enterprises = {
        e["id"]: (e.get("name", e["id"]), label("provinces", e.get("province", "")))
        for e in package.enterprises
    }
    top: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in package.matches or []:
        rank = row.get("project_rank") or ""
        if rank.isdecimal() and int(rank) <= SUGGESTIONS and row.get("enterprise") in enterprises:
            top[row["project"]].append(row)
    pairs = _pairs(site)
    province_order, category_order = _order("provinces"), _order("categories")
    keys = sorted(
        pairs, key=lambda k: (province_order.get(k[0], 999), category_order.get(k[1], 999))
    )
    result: list[GeneratedPage] = []
    by_province: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
    by_category: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
    missing = package.matches is None
    for province, category in keys:
        items = pairs[(province, category)]
        count = len(items)
        chunks = [items[i : i + PER_PAGE] for i in range(0, count, PER_PAGE)]
        first = _page_name(province, category, 1)
        by_province[province].append((_category_label(category), count, first))
        by_category[category].append((label("provinces", province), count, first))
        heading = f"{label('provinces', province)} · {_category_label(category)}"
        for number, chunk in enumerate(chunks, start=1):
            result.append(
                GeneratedPage(
                    path=_page_name(province, category, number),
                    title=f"对接机会：{heading}" + (f"（第 {number} 页）" if number > 1 else ""),
                    description=f"{heading}寻求合作的 {count} 个项目，以及为每个项目推荐的企业和理由。",
                    template="matching_list.html",
                    data=dict(
                        heading=heading,
                        count=count,
                        page=number,
                        pages=len(chunks),
                        prev=_page_name(province, category, number - 1) if number > 1 else "",
                        next=_page_name(province, category, number + 1)
                        if number < len(chunks)
                        else "",
                        province_href=f"p-{province}.html",
                        province_label=label("provinces", province),
                        category_href=f"c-{category}.html",
                        category_label=_category_label(category),
                        suggestions_missing=missing,
                        per_page=PER_PAGE,
                        projects=[
                            _entry(p, top.get(p["id"], []), enterprises, links) for p in chunk
                        ],
                    ),
                )
            )
    for province, rows in by_province.items():
        name = label("provinces", province)
        result.append(
            GeneratedPage(
                path=f"{FOLDER}/p-{province}.html",
                title=f"对接机会：{name}",
                description=f"{name}寻求合作的项目，按分类目录列出。",
                template="matching_index.html",
                data=dict(heading=name, by="分类目录", rows=rows, total=sum(r[1] for r in rows)),
            )
        )
    for category, rows in by_category.items():
        name = _category_label(category)
        result.append(
            GeneratedPage(
                path=f"{FOLDER}/c-{category}.html",
                title=f"对接机会：{name}",
                description=f"分类目录“{name}”中寻求合作的项目，按省份列出。",
                template="matching_index.html",
                data=dict(heading=name, by="省份", rows=rows, total=sum(r[1] for r in rows)),
            )
        )
    return result


def _entry(
    p: dict[str, Any],
    rows: list[dict[str, str]],
    enterprises: dict[str, tuple[str, str]],
    links: Links,
) -> dict[str, Any]:
    rows = sorted(rows, key=lambda r: int(r["project_rank"]))
    return {
        "id": p["id"],
        "name": p.get("project_name", p["id"]),
        "institution": p.get("institution", ""),
        "city": p.get("city", ""),
        "class": label("classes", p.get("product_class", "")),
        "stage": label("stages", p["stage"]) if p.get("stage") else "",
        "status": label("statuses", p.get("status", "")),
        "interest": links.cooperation(p["id"]),
        "suggestions": [
            {
                "id": r["enterprise"],
                "name": enterprises[r["enterprise"]][0],
                "province": enterprises[r["enterprise"]][1],
                "reasons": reasons(r),
            }
            for r in rows
        ],
    }
