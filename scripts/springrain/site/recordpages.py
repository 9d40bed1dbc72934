"""One page per project and per enterprise, rendered straight to HTML.

mkdocs would need minutes for 25,000 pages; here each template is compiled once and the pages
are rendered on every core (``springrain.workers``) into the slim skeleton cut from a page
mkdocs built (``overrides/record.html``). Which kinds get pages, with which template and
data, is in ``site.pages``.

Every byte of a record page is written 25,000 times: the page says what a reader needs to
judge the record and act on it (contact, programme route, forms), and leaves out what the
data files carry anyway (schema version, the demo flag, fields repeated in the heading).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from markupsafe import escape

from springrain import workers
from springrain.model.kinds import kind as record_kind
from springrain.package.reader import Package
from springrain.site import kept, matchpages, regulatory
from springrain.site.context import Site
from springrain.site.links import Links
from springrain.site.mkdocs_build import Skeleton
from springrain.site.render import environment
from springrain.site.views import cell, entries, field_view, label, reasons, table

# Shown in the heading or their own sections, structural, or carried by the data files only.
PROJECT_OWN_SECTIONS = frozenset(
    {
        "id",
        "schema_version",
        "demo",
        "province",
        "project_name",
        "institution",
        "city",
        "contact_route",
        "product_class",
        "stage",
        "status",
        "history",
        "intellectual_property",
        "regulatory_channels",
        "cmde_reported",
        # Required to be true for a record to be published at all: saying so on every page
        # tells a reader nothing (the data files keep them).
        "commitment",
        "publish_consent",
    }
)
ENTERPRISE_OWN_SECTIONS = frozenset(
    {"id", "schema_version", "demo", "name", "province", "contact_route"}
)
# Suggestions a page shows with their reasons: a project page two (its listing on the
# matching pages shows three), an enterprise page three.
SUGGESTIONS_SHOWN = {"project": 2, "enterprise": 3}
DESCRIPTION_CHARS = 80
CHUNK = 500  # pages per task


class Brief(NamedTuple):
    """What a suggestion or a cooperation row shows of the other side."""

    name: str
    province: str
    stage: str  # projects only
    status: str  # projects only


class ProgrammeRoute(NamedTuple):
    """A programme as a project page shows it: its name, the route that needs no GitHub
    (its platform, address and office, from the programmes table), and its regulatory
    route with the documents it comes from."""

    name: str
    platform: str
    platform_url: str
    office: str
    route: regulatory.Route
    citation: str


@dataclass
class Context:
    """Everything a worker needs; inherited by forked workers, never pickled per page."""

    package: Package
    skeleton: Skeleton
    links: Links
    out: Path
    programmes: dict[str, str]
    routes: dict[str, ProgrammeRoute]
    projects: dict[str, Brief]
    enterprises: dict[str, Brief]
    coops_by_project: dict[str, list[dict[str, Any]]]
    coops_by_enterprise: dict[str, list[dict[str, Any]]]
    matches_by_project: dict[str, list[dict[str, str]]] | None
    matches_by_enterprise: dict[str, list[dict[str, str]]] | None
    matching_page: dict[str, str]  # project id → its listing on the matching pages


def programme_routes(rows: Sequence[dict[str, str]]) -> dict[str, ProgrammeRoute]:
    by_id = {row["id"]: row for row in rows}
    result = {}
    for row in rows:
        route = regulatory.route_for({"programme": row["id"]}, by_id)
        result[row["id"]] = ProgrammeRoute(
            name=row.get("name_zh") or row["id"],
            platform=row.get("platform_zh") or "",
            platform_url=_web_address(row.get("platform_url") or ""),
            office=row.get("office_zh") or "",
            route=route,
            citation=regulatory.citation(route, by_id),
        )
    return result


def _web_address(url: str) -> str:
    """Only http(s) addresses become links."""
    return url if url.startswith(("https://", "http://")) else ""


NO_PROGRAMME = ProgrammeRoute("", "", "", "", regulatory.NATIONAL, "")


def make_context(site: Site, skeleton: Skeleton) -> Context:
    package, out = site.package, site.out
    coops_by_project: dict[str, list[dict[str, Any]]] = defaultdict(list)
    coops_by_enterprise: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for coop in package.cooperations:
        coops_by_project[coop.get("project", "")].append(coop)
        coops_by_enterprise[coop.get("enterprise", "")].append(coop)
    by_project = by_enterprise = None
    if package.matches is not None:
        by_project, by_enterprise = defaultdict(list), defaultdict(list)
        for row in package.matches:
            if row.get("project_rank"):
                by_project[row["project"]].append(row)
            if row.get("enterprise_rank"):
                by_enterprise[row["enterprise"]].append(row)
        for groups, key in ((by_project, "project_rank"), (by_enterprise, "enterprise_rank")):
            for rows in groups.values():
                rows.sort(key=lambda r: int(r[key]))
    return Context(
        package=package,
        skeleton=skeleton,
        links=Links.of(site.settings),
        out=out,
        programmes=site.programmes,
        routes=programme_routes(package.programmes),
        projects={p["id"]: project_brief(p) for p in package.projects},
        enterprises={
            e["id"]: Brief(
                e.get("name", e["id"]), label("provinces", e.get("province", "")), "", ""
            )
            for e in package.enterprises
        },
        coops_by_project=coops_by_project,
        coops_by_enterprise=coops_by_enterprise,
        matches_by_project=by_project,
        matches_by_enterprise=by_enterprise,
        matching_page=matchpages.page_of(site),
    )


def project_brief(p: dict[str, Any]) -> Brief:
    return Brief(
        p.get("project_name", p["id"]),
        label("provinces", p.get("province", "")),
        label("stages", p.get("stage", "")) if p.get("stage") else "",
        label("statuses", p.get("status", "")),
    )


# The rows a record page lists are named tuples, not dicts: Jinja reads ``row.name`` with
# getattr first, and on a dict that raises before it falls back to the key, thousands of times.


class CoopRow(NamedTuple):
    id: str
    name: str
    href: str
    modes: str
    status: str
    progress: str


class Suggestion(NamedTuple):
    id: str
    href: str
    other: Brief
    reasons: list[tuple[str, str]]


class Step(NamedTuple):
    """One entry of a project's status history."""

    date: Any
    status: str
    note: Any
    source: Any


def _coop_rows(ctx: Context, coops: list[dict[str, Any]], other: str) -> list[CoopRow]:
    briefs = ctx.enterprises if other == "enterprise" else ctx.projects
    folder = record_kind(other).plural
    rows = []
    for coop in sorted(coops, key=lambda c: c.get("id", "")):
        target = coop.get(other, "")
        progress = coop.get("progress") or {}
        rows.append(
            CoopRow(
                id=coop.get("id", ""),
                name=briefs[target].name if target in briefs else target,
                href=f"../{folder}/{target}.html" if target in briefs else "",
                modes="、".join(label("cooperation_modes", m) for m in coop.get("modes", [])),
                status=label("cooperation_statuses", coop.get("status", "")),
                progress="；".join(str(v) for v in progress.values())
                if isinstance(progress, dict)
                else str(progress),
            )
        )
    return rows


def _suggestions(
    ctx: Context, rows: list[dict[str, str]] | None, other: str
) -> list[Suggestion] | None:
    if rows is None:
        return None
    briefs = ctx.enterprises if other == "enterprise" else ctx.projects
    folder = record_kind(other).plural
    result = []
    for row in rows:
        target = row.get(other, "")
        if target in briefs:
            result.append(
                Suggestion(target, f"../{folder}/{target}.html", briefs[target], reasons(row))
            )
            if len(result) == SUGGESTIONS_SHOWN[other_side(other)]:
                break
    return result


def other_side(kind: str) -> str:
    return "project" if kind == "enterprise" else "enterprise"


def _table(
    kind: str, name: str, values: list[dict[str, Any]] | None
) -> tuple[list[str], list[list[str]]] | None:
    if not values:
        return None
    return table(field_view(kind, name), values)


class IPItem(NamedTuple):
    kind: str
    title: str
    status: str
    number: str
    owners: str


def _ip_item(item: dict[str, Any]) -> IPItem:
    view = {c.name: c for c in field_view("project", "intellectual_property").columns or ()}

    def shown(name: str) -> str:
        value = item.get(name)
        return "" if value in (None, "", []) or name not in view else cell(view[name], value)

    return IPItem(shown("kind"), shown("title"), shown("status"), shown("number"), shown("owners"))


def _clip(text: Any, size: int = DESCRIPTION_CHARS) -> str:
    value = " ".join(str(text or "").split())
    return value if len(value) <= size else value[: size - 1] + "…"


def project_description(p: dict[str, Any]) -> str:
    """The page's meta description, from the record: where, what, how far, and its use."""
    parts = [
        f"{label('provinces', p.get('province', ''))}{p.get('institution', '')}的"
        f"{label('classes', p.get('product_class', ''))}转化项目",
        f"当前状态：{label('statuses', p.get('status', ''))}",
    ]
    if p.get("intended_use"):
        parts.append(_clip(p["intended_use"]))
    return "。".join(parts)


def enterprise_description(e: dict[str, Any]) -> str:
    fields = "、".join(label("categories", c) for c in e.get("fields", [])[:3])
    parts = [f"{label('provinces', e.get('province', ''))}的医疗器械企业"]
    if fields:
        parts.append(f"所属领域：{fields}")
    if e.get("profile"):
        parts.append(_clip(e["profile"]))
    return "。".join(parts)


def project_data(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    programme = ctx.routes.get(p.get("programme", ""), NO_PROGRAMME)
    product_class = p.get("product_class", "")
    path_text, steps = programme.route.path(product_class)
    history = p.get("history", [])
    return dict(
        p=p,
        demo_record=bool(p.get("demo")),
        province=label("provinces", p.get("province", "")),
        status=label("statuses", p.get("status", "")),
        since=history[-1].get("date", "") if history else "",
        class_label=label("classes", product_class),
        stage=label("stages", p["stage"]) if p.get("stage") else "",
        entries=entries("project", p, PROJECT_OWN_SECTIONS, ctx.programmes),
        history=[
            Step(
                h.get("date", ""),  # a missing date shows as nothing, as it always has
                label("statuses", h.get("status", "")),
                h.get("note"),
                h.get("source"),
            )
            for h in history
        ],
        programme=programme,
        path_text=path_text,
        path_steps=steps,
        channels=_table("project", "regulatory_channels", p.get("regulatory_channels")),
        ip=[
            _ip_item(item)
            for item in p.get("intellectual_property") or []
            if isinstance(item, dict)
        ],
        cooperations=_coop_rows(ctx, ctx.coops_by_project.get(p["id"], []), "enterprise"),
        suggestions=_suggestions(
            ctx,
            None if ctx.matches_by_project is None else ctx.matches_by_project.get(p["id"], []),
            "enterprise",
        ),
        record_url=ctx.links.record_file("project", p),
        correction_url=ctx.links.correction(p["id"]),
        cooperation_url=ctx.links.cooperation(p["id"]),
        more_suggestions=ctx.matching_page.get(p["id"], ""),
    )


def enterprise_data(ctx: Context, e: dict[str, Any]) -> dict[str, Any]:
    return dict(
        e=e,
        demo_record=bool(e.get("demo")),
        province=label("provinces", e.get("province", "")),
        entries=entries("enterprise", e, ENTERPRISE_OWN_SECTIONS, ctx.programmes),
        cooperations=_coop_rows(ctx, ctx.coops_by_enterprise.get(e["id"], []), "project"),
        suggestions=_suggestions(
            ctx,
            None
            if ctx.matches_by_enterprise is None
            else ctx.matches_by_enterprise.get(e["id"], []),
            "project",
        ),
        record_url=ctx.links.record_file("enterprise", e),
        correction_url=ctx.links.correction(e["id"]),
    )


DESCRIPTIONS = {"project": project_description, "enterprise": enterprise_description}

_RENDER: dict[str, Any] = {}


def _render_chunk(task: tuple[int, int, int]) -> int:
    """Write the pages of records ``start:stop`` of registry entry ``which``."""
    which, start, stop = task
    ctx: Context = _RENDER["context"]
    entry = _RENDER["entries"][which]
    kind = record_kind(entry.kind)
    records = ctx.package.records.records[entry.kind]
    template = environment().get_template(entry.template)
    describe = DESCRIPTIONS[entry.kind]
    for record in records[start:stop]:
        body = template.render(**entry.data(ctx, record))
        name = f"{kind.plural}/{record['id']}.html"
        kept.write(
            str(ctx.out / name),
            ctx.skeleton.page(
                str(escape(str(record.get(entry.title_field) or record["id"]))),
                body,
                description=str(escape(describe(record))),
                path=name,
            ).encode("utf-8"),
        )
    return stop - start


def render_all(ctx: Context, entries: Sequence[Any]) -> int:
    """Write every record page of the registry's ``entries``; returns how many."""
    tasks = []
    for which, entry in enumerate(entries):
        kind = record_kind(entry.kind)
        folder = ctx.out / kind.plural
        folder.mkdir(parents=True, exist_ok=True)
        records = ctx.package.records.records[entry.kind]
        # The previous build's pages are written over; those of records gone are deleted.
        kept.prune(folder, {f"{record['id']}.html": False for record in records})
        count = len(records)
        tasks += [(which, i, min(i + CHUNK, count)) for i in range(0, count, CHUNK)]
    _RENDER.update(context=ctx, entries=list(entries))
    try:
        return sum(workers.map_shared(_render_chunk, tasks))
    finally:
        _RENDER.clear()
