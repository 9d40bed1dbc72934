"""Running mkdocs on the hand-written pages, then filling their generated sections.

mkdocs sees only Markdown we or other engineers wrote by hand (plus tiny stubs): record text
never passes through Markdown. Each page marks where its generated section goes with an HTML
comment ``<!-- springrain:NAME -->``; after mkdocs has built the page we put the HTML rendered
by Jinja (autoescaped) in its place. One extra page, ``projects/_skeleton``, gives the
header, navigation and footer that the project and enterprise pages are rendered into.
"""

from __future__ import annotations

import logging
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from springrain.config import Settings
from springrain.errors import SpringrainError

STATIC_DIR = Path(__file__).resolve().parent / "static"
SKELETON = "projects/_skeleton"
TITLE_SLOT = "SRTITLESLOT"
BODY_SLOT = "<!-- springrain:body -->"
INDENT = re.compile(r"[ \t]*\n\s*")

# Files generated after mkdocs has run that hand-written pages link to: placeholders keep
# mkdocs' link check quiet and are overwritten later.
PLACEHOLDERS = ("feeds/projects.xml",)


@dataclass(frozen=True)
class Skeleton:
    """A built page cut in two around its body, for pages one directory deep."""

    head: str
    tail: str

    def page(self, title: str, body: str) -> str:
        return self.head.replace(TITLE_SLOT, title) + body + self.tail


def slot(name: str) -> str:
    return f"<!-- springrain:{name} -->"


def prepare_docs(docs_src: Path, work: Path) -> Path:
    docs = work / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    if docs_src.is_dir():
        shutil.copytree(docs_src, docs)
    else:
        docs.mkdir(parents=True)
    from springrain.site.pages import PAGES

    for page in PAGES:
        # A page of the registry with no hand-written introduction gets a stub heading.
        if not (docs / page.path).exists():
            (docs / page.path).parent.mkdir(parents=True, exist_ok=True)
            (docs / page.path).write_text(
                f"---\ntitle: {page.title}\n---\n\n# {page.title}\n", encoding="utf-8"
            )
    skeleton = docs / f"{SKELETON}.md"
    skeleton.parent.mkdir(parents=True, exist_ok=True)
    skeleton.write_text(
        f"---\ntitle: {TITLE_SLOT}\nhide: [navigation, toc]\n---\n\n{BODY_SLOT}\n", encoding="utf-8"
    )
    for name in PLACEHOLDERS:
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text("", encoding="utf-8")
    assets = docs / "assets" / "springrain"
    shutil.copytree(STATIC_DIR, assets, dirs_exist_ok=True)
    return docs


def run_mkdocs(config_file: Path, docs: Path, out: Path, demo: bool, settings: Settings) -> dict:
    """mkdocs-material on the hand-written pages, with the registry's navigation and the
    addresses of the one configuration place."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from springrain.site.pages import navigation

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    try:
        # Absolute paths: mkdocs resolves relative ones against the configuration file's
        # folder, not the working directory.
        config = load_config(
            str(config_file),
            docs_dir=str(docs.resolve()),
            site_dir=str(out.resolve()),
            site_url=settings.site_url,
            nav=navigation(),
        )
        config["extra"]["demo"] = demo
        config["extra"]["repository"] = settings.repository
        config["extra"]["branch"] = settings.branch
        build(config)
    except MkDocsException as error:
        raise SpringrainError(
            f"mkdocs 构建失败：{error}", f"mkdocs failed to build the site: {error}"
        ) from error
    return dict(config["extra"])


def cut_skeleton(out: Path) -> Skeleton:
    path = out / f"{SKELETON}.html"
    html = path.read_text(encoding="utf-8")
    path.unlink()
    html = html.replace(f"<h1>{TITLE_SLOT}</h1>", "")
    # Indentation is a third of the skeleton, written 25,000 times and parsed again by the
    # search indexer: keep one line break wherever there was whitespace with one.
    html = INDENT.sub("\n", html)
    head, found, tail = html.partition(BODY_SLOT)
    if not found:
        raise SpringrainError(
            "页面骨架中找不到正文位置（主题模板可能已更改）。",
            "The page skeleton has no body slot (the theme templates may have changed).",
        )
    return Skeleton(head=head, tail=tail)


def fill(page: Path, fragments: dict[str, str]) -> None:
    """Put each fragment at its slot; a page without the slot gets it at the end of its
    article (so pages written by others need no marker)."""
    html = page.read_text(encoding="utf-8")
    for name, fragment in fragments.items():
        marker = slot(name)
        if marker in html:
            html = html.replace(marker, fragment, 1)
        else:
            before, found, after = html.rpartition("</article>")
            html = before + fragment + found + after if found else html + fragment
    page.write_text(html, encoding="utf-8")
