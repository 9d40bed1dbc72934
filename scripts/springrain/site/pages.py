"""The registry of the site's pages: each page's file, navigation title, template, and the
data it needs. The navigation, the stubs for pages without a hand-written Markdown file, and
the generated sections all come from here; so do the kinds that get one page per record and
the sets of generated pages outside the navigation (matching lists, stalled lists).

Adding a page is one entry here and one template in ``site/templates/`` (and, optionally,
a hand-written introduction ``docs/<path>``, into which the generated section goes at the
``<!-- springrain:section -->`` marker, or at the end).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from springrain.site import downloads, matchpages, recordpages, sections, statpages, webform
from springrain.site.context import GeneratedPage, Site


@dataclass(frozen=True)
class Page:
    path: str  # the Markdown file under docs/ (hand-written, or a stub): catalogue.md
    title: str  # the navigation title, and the stub's heading
    template: str | None = None  # the template of the page's generated section
    data: Callable[[Site], dict[str, Any]] | None = None  # what the template needs
    group: str | None = None  # a navigation group, e.g. 参考

    @property
    def html(self) -> str:
        return self.path.removesuffix(".md") + ".html"


@dataclass(frozen=True)
class RecordPages:
    """One page per record of a kind, at ``<plural>/<id>.html``, outside the navigation."""

    kind: str
    template: str
    data: Callable[[Any, dict[str, Any]], dict[str, Any]]  # (render context, record) → data
    title_field: str


PAGES: tuple[Page, ...] = (
    Page("index.md", "首页", "home.html", sections.home),
    Page("catalogue.md", "项目目录", "catalogue.html", sections.catalogue),
    Page("enterprises.md", "企业名录", "catalogue.html", sections.enterprises),
    Page("matching.md", "对接机会", "matching.html", sections.matching),
    Page("statistics.md", "进展统计", "statistics.html", statpages.statistics),
    Page("data.md", "数据下载", "data.html", downloads.data),
    Page("search.md", "搜索", "search.html", sections.search),
    Page("submit.md", "如何申报", "submit.html", sections.submit),
    Page("form.md", "在线填表", "webform.html", webform.page_data),
    Page("about.md", "关于"),
    Page("maintainers.md", "维护者指南", "maintainers.html", sections.maintainers, group="参考"),
    Page("reference/cli.md", "命令行", group="参考"),
    Page("reference/errors.md", "错误代码", group="参考"),
)

RECORD_PAGES: tuple[RecordPages, ...] = (
    RecordPages("project", "project.html", recordpages.project_data, "project_name"),
    RecordPages("enterprise", "enterprise.html", recordpages.enterprise_data, "name"),
)

# Sets of pages made from the package, outside the navigation, in the record pages' skeleton.
GENERATED: tuple[Callable[[Site], list[GeneratedPage]], ...] = (
    matchpages.pages,
    statpages.stalled_pages,
)


def navigation() -> list[dict[str, Any]]:
    """The mkdocs ``nav`` of the registry, groups in the order of their first page."""
    nav: list[dict[str, Any]] = []
    groups: dict[str, list[dict[str, str]]] = {}
    for page in PAGES:
        if page.group is None:
            nav.append({page.title: page.path})
        elif page.group in groups:
            groups[page.group].append({page.title: page.path})
        else:
            groups[page.group] = [{page.title: page.path}]
            nav.append({page.group: groups[page.group]})
    return nav
