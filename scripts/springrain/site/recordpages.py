"""One page per project and per enterprise, rendered straight to HTML.

mkdocs would need minutes for 25,000 pages; here each template is compiled once and the pages
are rendered by two worker processes into the skeleton cut from a page mkdocs built.
"""

from __future__ import annotations

import multiprocessing
import operator
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from markupsafe import escape

from springrain.errors import SpringrainError
from springrain.package.sitereader import Package
from springrain.site import regulatory
from springrain.site.mkdocs_build import Skeleton
from springrain.site.render import environment
from springrain.site.views import correction_url, entries, field_view, label, record_file_url, table

PROJECT_ID = re.compile(r"^[A-Z]{2}-[0-9]{4}-[0-9]{4,}$")
ENTERPRISE_ID = re.compile(r"^ENT-[0-9]{4,}$")
# Shown in their own sections, or structural, rather than in the field list.
PROJECT_OWN_SECTIONS = frozenset(
    {"project_name", "history", "intellectual_property", "regulatory_channels", "cmde_reported"}
)
ENTERPRISE_OWN_SECTIONS = frozenset({"name"})
SUGGESTIONS_SHOWN = 10


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


def check_ids(package: Package) -> None:
    """Ids become file names: refuse any that does not follow its pattern."""
    for kind, records, pattern in (
        ("项目 project", package.projects, PROJECT_ID),
        ("企业 enterprise", package.enterprises, ENTERPRISE_ID),
    ):
        for record in records:
            if not isinstance(record.get("id"), str) or not pattern.match(record["id"]):
                raise SpringrainError(
                    f"数据包中的{kind.split()[0]}编号无效：{record.get('id')!r}。请重新校验并打包。",
                    f"Invalid {kind.split()[1]} id in the package: {record.get('id')!r}. "
                    "Validate and package again.",
                )


def make_context(
    package: Package, skeleton: Skeleton, repository: str, branch: str, out: Path
) -> Context:
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


def project_page(ctx: Context, p: dict[str, Any]) -> str:
    path_text, steps = regulatory.path_for(p.get("product_class", ""))
    body = (
        environment()
        .get_template("project.html")
        .render(
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
    )
    return ctx.skeleton.page(_title(p.get("project_name", p["id"])), body)


def enterprise_page(ctx: Context, e: dict[str, Any]) -> str:
    body = (
        environment()
        .get_template("enterprise.html")
        .render(
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
    )
    return ctx.skeleton.page(_title(e.get("name", e["id"])), body)


CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[A-Za-z0-9]+")


def search_terms(*texts: object) -> str:
    """The words Pagefind indexes for a record: every two-character window of each run of
    Chinese characters (脑血管 → 脑血 血管) and every Latin or numeric word.

    Pagefind matches each query term as the prefix of an indexed word and does not segment
    Chinese queries; cutting both the index and the query (static/search.js) into the same
    character pairs finds a record by any word of its title, principle or intended use,
    whatever a dictionary would have made of it, and costs no dictionary at build time."""
    words: set[str] = set()
    for text in texts:
        for run in CJK_RUN.findall(str(text or "")):
            if run.isascii():
                words.add(run.lower())
            elif len(run) == 1:
                words.add(run)
            else:
                # Each character joined to the next, in C: a generator of slices here was
                # most of the cost of a search stub.
                words.update(map(operator.add, run, run[1:]))
    return " ".join(sorted(words))


def _title(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def search_stub(kind: str, record: dict[str, Any]) -> str:
    """A tiny page holding only what search needs: the title, the cut words and the labels
    shown with a result. Pagefind indexes these instead of the full pages (a fifth of the
    bytes to parse) at the same URLs, so results link to the real pages."""
    if kind == "project":
        title = record.get("project_name", record["id"])
        terms = search_terms(
            title,
            record.get("working_principle"),
            record.get("intended_use"),
            record.get("innovation_points"),
            record.get("structure"),
            record.get("institution"),
        )
        meta = [
            ("编号", record["id"]),
            ("单位", record.get("institution", "")),
            ("状态", label("statuses", record.get("status", ""))),
        ]
    else:
        title = record.get("name", record["id"])
        terms = search_terms(title, record.get("profile"))
        meta = [("编号", record["id"]), ("省份", label("provinces", record.get("province", "")))]
    # Built here rather than from a template: Jinja's set-up per render was a third of the
    # cost of 25,000 stubs. Every value is escaped as the templates escape.
    heading = escape(title)
    spans = "".join(
        f'<span data-pagefind-meta="{escape(key)}">{escape(value)}</span>' for key, value in meta
    )
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{heading}</title></head>\n<body><h1 data-pagefind-body>{heading}</h1>{spans}"
        f"\n<div data-pagefind-body>{escape(terms)}</div></body></html>\n"
    )


def _render_chunk(task: tuple[str, int, int]) -> int:
    kind, start, stop = task
    ctx = _CONTEXT
    assert ctx is not None
    records = ctx.package.projects if kind == "project" else ctx.package.enterprises
    name = "projects" if kind == "project" else "enterprises"
    folder = ctx.out / name
    render = project_page if kind == "project" else enterprise_page
    for record in records[start:stop]:
        (folder / f"{record['id']}.html").write_text(render(ctx, record), encoding="utf-8")
    return stop - start


def render_all(ctx: Context, jobs: int) -> int:
    """Write every project and enterprise page; returns how many."""
    global _CONTEXT
    _CONTEXT = ctx
    (ctx.out / "projects").mkdir(parents=True, exist_ok=True)
    (ctx.out / "enterprises").mkdir(parents=True, exist_ok=True)
    tasks = []
    for kind, records in (
        ("project", ctx.package.projects),
        ("enterprise", ctx.package.enterprises),
    ):
        step = 500
        tasks += [(kind, i, min(i + step, len(records))) for i in range(0, len(records), step)]
    total = len(ctx.package.projects) + len(ctx.package.enterprises)
    try:
        if jobs > 1 and total > 1000 and "fork" in multiprocessing.get_all_start_methods():
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                return sum(pool.imap_unordered(_render_chunk, tasks))
        return sum(_render_chunk(task) for task in tasks)
    finally:
        _CONTEXT = None
