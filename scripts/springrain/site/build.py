"""``build_site``: the whole site from a built data package, in one pass.

1. the package is read (``springrain.package.reader``: the site's only input);
2. Pagefind starts indexing a stub per project and enterprise, in the background;
3. mkdocs-material builds the registry's pages (``site.pages``) and a skeleton page;
4. the package's files are put under ``data/``, the feeds and the catalogue index written,
   and each page's generated section rendered into it;
5. the record pages are rendered into the skeleton, on every core;
6. the search bundle is moved into the site once Pagefind is done.

The caller has checked that ``out`` is safe to empty (``springrain.safety``).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from springrain.config import REPO_ROOT, settings
from springrain.package import reader
from springrain.site import catalogue, downloads, feeds, mkdocs_build, recordpages, search_index
from springrain.site.context import Site
from springrain.site.pages import PAGES, RECORD_PAGES
from springrain.site.render import render

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
    config_file: Path = CONFIG,
    docs_dir: Path = DOCS,
) -> BuildResult:
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
    lap("read")
    if out.exists():
        shutil.rmtree(out)
    with ExitStack() as background:
        if site.searchable:
            background.enter_context(search_index.indexing(package, out / search_index.BUNDLE))
        lap("search stubs")
        # A private copy of docs/ per build, so concurrent builds never share one.
        with tempfile.TemporaryDirectory(prefix="springrain-site-") as work:
            docs = mkdocs_build.prepare_docs(docs_dir, Path(work))
            mkdocs_build.run_mkdocs(config_file, docs, out, demo, site.settings)
        lap("mkdocs")
        site.downloads = downloads.copy_files(package, out)
        site.feeds = feeds.write_feeds(package.projects, out, site.site_url)
        (out / "catalogue").mkdir(exist_ok=True)
        (out / "catalogue" / "index.json").write_bytes(
            catalogue.build_index(package.projects, site.programmes)
        )
        for page in PAGES:
            if page.template and page.data and (out / page.html).is_file():
                section = render(page.template, **page.data(site))
                mkdocs_build.fill(out / page.html, {"section": section})
        lap("sections")
        skeleton = mkdocs_build.cut_skeleton(out)
        result.pages = recordpages.render_all(
            recordpages.make_context(site, skeleton), RECORD_PAGES
        )
        lap("records")
    lap("search")
    return result
