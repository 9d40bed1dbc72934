"""``build_site`` (and ``building``): the whole site from a built data package, in one pass.

1. the package is read (``springrain.package.reader``: the site's only input);
2. Pagefind starts indexing a stub per project and enterprise, in the background;
3. mkdocs-material builds the registry's pages (``site.pages``) and a slim skeleton page;
4. the package is put under ``data/`` as one zip, the feeds and the directories' indexes
   written, and each page's generated section rendered into it (its ``springrain:`` links
   resolved to the repository's addresses);
5. the record pages are rendered into the skeleton, on every core, then the generated pages
   (matching and stalled lists);
6. the sitemap and robots.txt list every page; ``building`` hands the site to its caller
   while Pagefind may still run (the publish gate reads the pages meanwhile), and the
   search bundle is moved in once Pagefind is done.

The folders of one file per record (the record pages, the search bundle) are kept from the
previous build and written over in place (``site.kept``); everything else is made anew. The
caller has checked that ``out`` is safe to empty (``springrain.safety``).
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import escape

from springrain.config import REPO_ROOT, settings
from springrain.gcpause import collector_kept_off_existing, collector_paused
from springrain.model.kinds import record_kinds
from springrain.package import reader
from springrain.site import (
    catalogue,
    downloads,
    feeds,
    kept,
    mkdocs_build,
    recordpages,
    search_index,
    sitemap,
)
from springrain.site.context import GeneratedPage, Site
from springrain.site.links import Links
from springrain.site.pages import GENERATED, PAGES, RECORD_PAGES
from springrain.site.render import render

CONFIG = REPO_ROOT / "mkdocs.yml"
DOCS = REPO_ROOT / "docs"
INDEX_FOLDER = "catalogue"
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


@dataclass
class BuildResult:
    pages: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    # Whether Pagefind is still making the search index: while it is, one core is mostly
    # free. When it is not, its last part may still be being moved in (``building``).
    indexing: Callable[[], bool] = lambda: False
    # The search index's parts already in the site, each whole (``Chain.arrived``).
    arrived: Callable[[], list[Path]] = list


def link_addresses(links: Links) -> dict[str, str]:
    """What a hand-written page may link to as ``springrain:<name>``."""
    addresses = {
        "repository": links.repository,
        "issues": links.issues,
        "choose": links.choose,
    }
    for form in ("project", "enterprise", "cooperation", "correction"):
        addresses[f"form/{form}"] = links.form(form)
    return addresses


def index_path(kind: str) -> str:
    """Where a kind's directory index goes (templates/catalogue.html names it the same way)."""
    return f"{INDEX_FOLDER}/{record_kinds()[kind].plural}.json"


def kept_folders() -> tuple[str, ...]:
    """The site's folders of one file per record, written over in place (``site.kept``)."""
    return (
        *(record_kinds()[entry.kind].plural for entry in RECORD_PAGES),
        search_index.BUNDLE,
    )


def build_site(package_dir: Path, out: Path, **options: Any) -> BuildResult:
    """The whole site; returns once the search index is in it too (``options``: those of
    ``building``)."""
    with building(package_dir, out, **options) as result:
        pass
    return result


@contextmanager
def building(
    package_dir: Path,
    out: Path,
    *,
    demo: bool = False,
    config_file: Path = CONFIG,
    docs_dir: Path = DOCS,
) -> Iterator[BuildResult]:
    """The site built, but for the search index: the block runs while Pagefind may still be
    making it (``result.indexing()``), and on leaving it the index is waited for and moved
    into ``out/pagefind/``."""
    result = BuildResult()
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        result.seconds[name] = now - clock
        clock = now

    package = reader.read(package_dir)
    site = Site(package, out, settings(), demo=demo)
    site.searchable = bool(package.projects or package.enterprises)
    links = Links.of(site.settings)
    lap("read")
    kept.clear(out, kept_folders())
    with ExitStack() as background:
        background.enter_context(collector_kept_off_existing())  # the package, to the end
        if site.searchable:
            chain = background.enter_context(
                search_index.indexing(package, out / search_index.BUNDLE)
            )
            result.indexing, result.arrived = chain.indexing, chain.arrived
        else:
            chain = None
        lap("search stubs")
        # A private copy of docs/ per build, so concurrent builds never share one.
        with tempfile.TemporaryDirectory(prefix="springrain-site-") as work:
            docs = mkdocs_build.prepare_docs(docs_dir, Path(work))
            mkdocs_build.run_mkdocs(config_file, docs, out, demo, site.settings)
        built = mkdocs_build.built_pages(out)
        kept.restore(out)
        if chain is None:
            kept.remove(out / search_index.BUNDLE)  # nothing to search: no index either
        else:
            chain.deliver()  # mkdocs has emptied and filled the folder: bundles may come in
        lap("mkdocs")
        site.downloads = downloads.copy_files(package, out)
        lap("downloads")
        site.feeds = feeds.write_feeds(package.projects, out, site.site_url)
        (out / INDEX_FOLDER).mkdir(exist_ok=True)
        (out / index_path("project")).write_bytes(
            catalogue.build_index("project", package.projects, site.programmes)
        )
        (out / index_path("enterprise")).write_bytes(
            catalogue.build_index("enterprise", package.enterprises)
        )
        addresses = link_addresses(links)
        for page in PAGES:
            path = out / page.html
            if not path.is_file():
                continue
            html = mkdocs_build.resolve_links(path.read_text(encoding="utf-8"), addresses)
            path.write_text(html, encoding="utf-8")
            if page.template and page.data:
                section = render(page.template, **page.data(site))
                mkdocs_build.fill(path, {"section": section})
        lap("sections")
        skeleton = mkdocs_build.cut_skeleton(out)
        result.pages = recordpages.render_all(
            recordpages.make_context(site, skeleton), RECORD_PAGES
        )
        lap("records")
        # The pages' data, made all at once and kept to the sitemap, would have the
        # collector walk it again and again (0.7 s at 20,000 projects); it makes no cycle.
        with collector_paused():
            generated = [page for make in GENERATED for page in make(site)]
            for page in generated:
                target = out / page.path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(
                    skeleton.page(
                        str(escape(page.title)),
                        render(page.template, **page.data),
                        description=str(escape(page.description)),
                        path=page.path,
                    ),
                    encoding="utf-8",
                )
        sitemap.write(out, site.site_url, _sitemap_entries(site, built, generated))
        sitemap.write_robots(out, site.site_url)
        lap("generated")
        yield result
        lap("gate while indexing")
    lap("search")


def _sitemap_entries(
    site: Site, built: list[str], generated: list[GeneratedPage]
) -> list[tuple[str, str]]:
    """Every page's path (the home page as the site's own address) and, for a record, the
    date it last changed."""
    entries = [("" if path == "index.html" else path, "") for path in built]
    for entry in RECORD_PAGES:
        plural = record_kinds()[entry.kind].plural
        for record in site.package.records.records.get(entry.kind, []):
            history = record.get("history") or []
            changed = history[-1].get("date", "") if history else record.get("submitted", "")
            changed = str(changed or "")
            entries.append(
                (f"{plural}/{record['id']}.html", changed if DATE.match(changed) else "")
            )
    entries += [(page.path, "") for page in generated]
    return entries
