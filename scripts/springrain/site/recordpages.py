"""One page per project and per enterprise, rendered straight to HTML.

mkdocs would need minutes for 25,000 pages; here each template is compiled once and the pages
are rendered on every core (``springrain.workers``) into the skeleton cut from a page mkdocs
built. Which kinds get pages, with which template and data, is in ``site.pages``.
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
from springrain.site import regulatory
from springrain.site.context import Site
from springrain.site.mkdocs_build import Skeleton
from springrain.site.render import environment
from springrain.site.views import correction_url, entries, field_view, label, record_file_url, table

# Shown in their own sections, or structural, rather than in the field list.
PROJECT_OWN_SECTIONS = frozenset(
    {"project_name", "history", "intellectual_property", "regulatory_channels", "cmde_reported"}
)
ENTERPRISE_OWN_SECTIONS = frozenset({"name"})
SUGGESTIONS_SHOWN = 10
CHUNK = 500  # pages per task


@dataclass
class Context:
    """Everything a worker needs; inherited by forked workers, never pickled per page."""

    package: Package
    skeleton: Skeleton
    repository: str
    branch: str
    out: Path
    programmes: dict[str, str]
    project_names: dict[str, str]
    enterprise_names: dict[str, str]
    coops_by_project: dict[str, list[dict[str, Any]]]
    coops_by_enterprise: dict[str, list[dict[str, Any]]]
    matches_by_project: dict[str, list[dict[str, str]]] | None
    matches_by_enterprise: dict[str, list[dict[str, str]]] | None


_CONTEXT: Context | None = None


def make_context(site: Site, skeleton: Skeleton) -> Context:
    package, out = site.package, site.out
    repository, branch = site.settings.repository, site.settings.branch
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
        repository=repository.rstrip("/"),
        branch=branch,
        out=out,
        programmes={row["id"]: row.get("name_zh", row["id"]) for row in package.programmes},
        project_names={p["id"]: p.get("project_name", p["id"]) for p in package.projects},
        enterprise_names={e["id"]: e.get("name", e["id"]) for e in package.enterprises},
        coops_by_project=coops_by_project,
        coops_by_enterprise=coops_by_enterprise,
        matches_by_project=by_project,
        matches_by_enterprise=by_enterprise,
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
    name: str
    href: str
    score: str
    reasons: str
    shared_terms: str


class Step(NamedTuple):
    """One entry of a project's status history."""

    date: Any
    status: str
    note: Any
    source: Any


def _coop_rows(ctx: Context, coops: list[dict[str, Any]], other: str) -> list[CoopRow]:
    names = ctx.enterprise_names if other == "enterprise" else ctx.project_names
    folder = "enterprises" if other == "enterprise" else "projects"
    rows = []
    for coop in sorted(coops, key=lambda c: c.get("id", "")):
        target = coop.get(other, "")
        progress = coop.get("progress") or {}
        rows.append(
            CoopRow(
                id=coop.get("id", ""),
                name=names.get(target, target),
                href=f"../{folder}/{target}.html" if target in names else "",
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
    names = ctx.enterprise_names if other == "enterprise" else ctx.project_names
    folder = "enterprises" if other == "enterprise" else "projects"
    result = []
    for row in rows[:SUGGESTIONS_SHOWN]:
        target = row.get(other, "")
        if target not in names:
            continue
        try:
            score = f"{float(row.get('score') or 0):.2f}"
        except ValueError:
            score = ""
        result.append(
            Suggestion(
                name=names[target],
                href=f"../{folder}/{target}.html",
                score=score,
                reasons=row.get("reasons", ""),
                shared_terms=row.get("shared_terms", ""),
            )
        )
    return result


def _table(
    kind: str, name: str, values: list[dict[str, Any]] | None
) -> tuple[list[str], list[list[str]]] | None:
    if not values:
        return None
    return table(field_view(kind, name), values)


def project_data(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    path_text, steps = regulatory.path_for(p.get("product_class", ""))
    return dict(
        p=p,
        demo_record=bool(p.get("demo")),
        province=label("provinces", p.get("province", "")),
        status=label("statuses", p.get("status", "")),
        entries=entries("project", p, PROJECT_OWN_SECTIONS, ctx.programmes),
        history=[
            Step(
                h.get("date", ""),  # a missing date shows as nothing, as it always has
                label("statuses", h.get("status", "")),
                h.get("note"),
                h.get("source"),
            )
            for h in p.get("history", [])
        ],
        class_label=label("classes", p.get("product_class", "")),
        path_text=path_text,
        path_steps=steps,
        path_source=regulatory.SOURCE,
        channels=_table("project", "regulatory_channels", p.get("regulatory_channels")),
        ip=_table("project", "intellectual_property", p.get("intellectual_property")),
        cooperations=_coop_rows(ctx, ctx.coops_by_project.get(p["id"], []), "enterprise"),
        suggestions=_suggestions(
            ctx,
            None if ctx.matches_by_project is None else ctx.matches_by_project.get(p["id"], []),
            "enterprise",
        ),
        record_url=record_file_url(ctx.repository, ctx.branch, "project", p),
        correction_url=correction_url(ctx.repository, "项目", p, p.get("project_name", "")),
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
        record_url=record_file_url(ctx.repository, ctx.branch, "enterprise", e),
        correction_url=correction_url(ctx.repository, "企业", e, e.get("name", "")),
    )


def _title(text: str) -> str:
    return str(escape(text))


_RENDER: dict[str, Any] = {}


def _render_chunk(task: tuple[int, int, int]) -> int:
    """Write the pages of records ``start:stop`` of registry entry ``which``."""
    which, start, stop = task
    ctx: Context = _RENDER["context"]
    entry = _RENDER["entries"][which]
    kind = record_kind(entry.kind)
    records = ctx.package.records.records[entry.kind]
    template = environment().get_template(entry.template)
    folder = ctx.out / kind.plural
    for record in records[start:stop]:
        body = template.render(**entry.data(ctx, record))
        title = _title(str(record.get(entry.title_field) or record["id"]))
        (folder / f"{record['id']}.html").write_text(
            ctx.skeleton.page(title, body), encoding="utf-8"
        )
    return stop - start


def render_all(ctx: Context, entries: Sequence[Any]) -> int:
    """Write every record page of the registry's ``entries``; returns how many."""
    tasks = []
    for which, entry in enumerate(entries):
        kind = record_kind(entry.kind)
        (ctx.out / kind.plural).mkdir(parents=True, exist_ok=True)
        count = len(ctx.package.records.records[entry.kind])
        tasks += [(which, i, min(i + CHUNK, count)) for i in range(0, count, CHUNK)]
    _RENDER.update(context=ctx, entries=list(entries))
    try:
        return sum(workers.map_shared(_render_chunk, tasks))
    finally:
        _RENDER.clear()
