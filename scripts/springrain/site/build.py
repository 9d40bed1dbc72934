"""``build_site``: the whole site from a data package, in one pass.

1. Pagefind starts indexing a stub per project and enterprise, in the background
   (``search_index``), while the rest is built;
2. mkdocs-material builds the hand-written pages (and a skeleton page) into ``out``;
3. the catalogue index, feeds and downloads are written, and the generated sections put
   into the hand-written pages;
4. project and enterprise pages are rendered into the skeleton;
5. the search bundle is moved into the site once Pagefind is done.

A pipeline may split it (``defer_downloads``, then ``finish_site``): the pages need the
package's records, matches and statistics, not its workbook, database and checksums, so
they can be built while ``package --finish`` writes those; the data page, the downloads
and the search bundle are added afterwards.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from springrain.config import REPO_ROOT
from springrain.errors import SpringrainError
from springrain.package.sitereader import Package, load
from springrain.site import downloads, feeds, mkdocs_build, search_index, summaries
from springrain.site import recordpages as records
from springrain.site.catalogue import build_index
from springrain.site.output import clear_output

CONFIG = REPO_ROOT / "mkdocs.yml"
DOCS = REPO_ROOT / "docs"


@dataclass
class BuildResult:
    pages: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def build_site(
    package_dir: Path,
    out: Path,
    *,
    demo: bool = False,
    search: bool = True,
    search_bundle: Path | None = None,
    jobs: int | None = None,
    config_file: Path = CONFIG,
    docs_dir: Path = DOCS,
    defer_downloads: bool = False,
) -> BuildResult:
    """The whole site; with ``defer_downloads``, all but the data page's downloads and the
    search bundle, which ``finish_site`` adds."""
    result = BuildResult()
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        result.seconds[name] = now - clock
        clock = now

    package = load(package_dir, downloads=not defer_downloads)
    records.check_ids(package)
    lap("load")
    clear_output(out)
    lap("clear")
    searchable = search and bool(package.projects or package.enterprises)
    with ExitStack() as background:
        if searchable and search_bundle is None and not defer_downloads:
            background.enter_context(search_index.indexing(package, out / "pagefind"))
            lap("search stubs")
        build_pages(
            package,
            out,
            demo,
            searchable,
            config_file,
            docs_dir,
            lap,
            result,
            jobs,
            with_downloads=not defer_downloads,
        )
    if searchable and not defer_downloads:
        if search_bundle is not None:
            search_index.use_bundle(package, search_bundle, out / "pagefind")
        lap("search")
    return result


def build_pages(
    package: Package,
    out: Path,
    demo: bool,
    searchable: bool,
    config_file: Path,
    docs_dir: Path,
    lap: Callable[[str], None],
    result: BuildResult,
    jobs: int | None,
    with_downloads: bool = True,
) -> None:
    """Everything but the search index: mkdocs' pages with their generated sections, the
    catalogue index, feeds, downloads (if ``with_downloads``), and the record pages."""
    # A private copy of docs/ per build, so concurrent builds never share one.
    with tempfile.TemporaryDirectory(prefix="springrain-site-") as work:
        docs = mkdocs_build.prepare_docs(docs_dir, Path(work))
        extra = mkdocs_build.run_mkdocs(config_file, docs, out, demo)
    lap("mkdocs")

    site_url = _site_url(config_file)
    feed_list = feeds.write_feeds(package.projects, out, site_url)
    programmes = {row["id"]: row.get("name_zh", row["id"]) for row in package.programmes}
    (out / "catalogue").mkdir(exist_ok=True)
    (out / "catalogue" / "index.json").write_bytes(build_index(package.projects, programmes))
    fragments = {
        "index.html": {"home": summaries.home(package)},
        "catalogue.html": {"catalogue": summaries.catalogue(package)},
        "enterprises.html": {"enterprises": summaries.enterprises(package)},
        "matching.html": {"matching": summaries.matching(package)},
        "statistics.html": {"statistics": summaries.statistics(package)},
        "search.html": {"search": summaries.search(searchable)},
    }
    if with_downloads:
        fragments["data.html"] = {"data": _data_section(package, out, feed_list, site_url)}
    for page, parts in fragments.items():
        if (out / page).is_file():
            mkdocs_build.fill(out / page, parts)
    lap("summaries")

    skeleton = mkdocs_build.cut_skeleton(out)
    ctx = records.make_context(
        package,
        skeleton,
        str(extra.get("repository") or "https://github.com/springrain/springrain"),
        str(extra.get("branch") or "main"),
        out,
    )
    result.pages = records.render_all(ctx, jobs or min(2, os.cpu_count() or 1))
    lap("records")


def _site_url(config_file: Path) -> str:
    from mkdocs.config import load_config

    site_url = str(load_config(str(config_file)).get("site_url") or "/")
    return site_url if site_url.endswith("/") else site_url + "/"


def _data_section(package: Package, out: Path, feed_list: list[dict[str, str]], url: str) -> str:
    """The package copied into the site, and the data page's section listing it."""
    files = downloads.copy_files(package, out)
    return downloads.data_page(package, files, feed_list, url)


def finish_site(
    package_dir: Path,
    out: Path,
    *,
    search: bool = True,
    search_bundle: Path | None = None,
    config_file: Path = CONFIG,
) -> BuildResult:
    """Add to a site built with ``defer_downloads`` the package's files and the data page
    listing them (now that the package is finished), and the search bundle."""
    result = BuildResult()
    started = time.perf_counter()
    data_page = out / "data.html"
    marker = mkdocs_build.slot("data")
    if not data_page.is_file() or marker not in data_page.read_text(encoding="utf-8"):
        raise SpringrainError(
            f"{out} 不是用 --defer-downloads 生成的网站（或已补全）。"
            "请先运行 springrain site --defer-downloads。",
            f"{out} was not built with --defer-downloads (or is finished already); run "
            "springrain site --defer-downloads first.",
        )
    package = load(package_dir, pages=False)
    url = _site_url(config_file)
    section = _data_section(package, out, feeds.feed_list(package.projects), url)
    mkdocs_build.fill(data_page, {"data": section})
    result.seconds["downloads"] = time.perf_counter() - started
    if search and (package.projects or package.enterprises):
        if search_bundle is not None:
            search_index.use_bundle(package, search_bundle, out / "pagefind")
        else:
            with search_index.indexing(package, out / "pagefind"):
                pass
        result.seconds["search"] = time.perf_counter() - started - result.seconds["downloads"]
    return result
