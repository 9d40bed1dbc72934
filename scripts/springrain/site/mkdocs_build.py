"""Running mkdocs on the hand-written pages, then filling their generated sections.

mkdocs sees only Markdown we or other engineers wrote by hand (plus tiny stubs): record text
never passes through Markdown. Each page marks where its generated section goes with an HTML
comment ``<!-- springrain:NAME -->``; after mkdocs has built the page we put the HTML rendered
by Jinja (autoescaped) in its place. One extra page, ``_skeleton/record``, built with the
theme's ``record.html`` (overrides/), gives the slim header and footer that the project,
enterprise and other generated pages are rendered into: it sits one folder deep, as they
do, so its relative links are theirs, and in a folder of its own, which it leaves once cut
(the record pages' folders are kept between builds: ``site.kept``).

Hand-written pages link into the repository with ``springrain:<name>`` addresses (for
example ``[项目申报](springrain:form/project)``); ``resolve_links`` replaces them with the
addresses of the one configuration place, so no page names the repository itself.
"""

from __future__ import annotations

import logging
import re
import shutil
from dataclasses import dataclass
from html import escape as html_escape
from pathlib import Path

from springrain.config import Settings
from springrain.errors import SpringrainError

STATIC_DIR = Path(__file__).resolve().parent / "static"
SKELETON = "_skeleton/record"
SKELETON_TEMPLATE = "record.html"
TITLE_SLOT = "SRTITLESLOT"
DESCRIPTION_SLOT = "SRDESCSLOT"
PATH_SLOT = "SRPATHSLOT"
BODY_SLOT = "<!-- springrain:body -->"
LINK_SCHEME = "springrain:"
# What the theme puts on every page for its own script, which the slim pages do not load:
# the drawer and search toggles, the skip-link holder, the back-to-top button, the dialog,
# and its inline scripts. Cut from the skeleton (each only if present), as they would be
# written 25,000 times for nothing.
THEME_SCRIPT_PARTS = (
    re.compile(r"<script>__md_scope=.*?</script>\n?", re.DOTALL),
    re.compile(r'<input class="md-toggle"[^>]*>\n?'),
    re.compile(r'<label class="md-overlay"[^>]*></label>\n?'),
    re.compile(r'<div data-md-component="skip">\s*</div>\n?'),
    re.compile(r"<script>var target=document\.getElementById.*?</script>\n?", re.DOTALL),
    re.compile(r'<button type="button" class="md-top[^"]*".*?</button>\n?', re.DOTALL),
    re.compile(
        r'<div class="md-dialog"[^>]*>\s*<div class="md-dialog__inner[^"]*"></div>\s*</div>\n?'
    ),
)
LINK = re.compile(r'href="springrain:([a-z0-9/_-]+)"')
INDENT = re.compile(r"[ \t]*\n\s*")

# Files generated after mkdocs has run that hand-written pages link to: placeholders keep
# mkdocs' link check quiet and are overwritten later.
PLACEHOLDERS = ("feeds/projects.xml",)


@dataclass(frozen=True)
class Skeleton:
    """A built page cut around its slots (title, description, path, body), for pages one
    directory deep. Values are inserted as given: the caller escapes them."""

    parts: tuple[str, ...]  # the text between the slots, in SLOTS order

    def page(self, title: str, body: str, *, description: str = "", path: str = "") -> str:
        values = {TITLE_SLOT: title, DESCRIPTION_SLOT: description, PATH_SLOT: path}
        pieces = [self.parts[0]]
        for slot_name, part in zip(self.order, self.parts[1:], strict=True):
            pieces.append(body if slot_name == BODY_SLOT else values[slot_name])
            pieces.append(part)
        return "".join(pieces)

    @property
    def order(self) -> tuple[str, ...]:
        return SLOT_ORDER


# The order the slots appear in the skeleton: head (description, path, title), then body.
SLOT_ORDER = (DESCRIPTION_SLOT, PATH_SLOT, TITLE_SLOT, BODY_SLOT)


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
        f"---\ntitle: {TITLE_SLOT}\ntemplate: {SKELETON_TEMPLATE}\n---\n\n{BODY_SLOT}\n",
        encoding="utf-8",
    )
    for name in PLACEHOLDERS:
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text("", encoding="utf-8")
    assets = docs / "assets" / "springrain"
    shutil.copytree(STATIC_DIR, assets, dirs_exist_ok=True)
    return docs


def run_mkdocs(config_file: Path, docs: Path, out: Path, demo: bool, settings: Settings) -> dict:
    """mkdocs-material on the hand-written pages, with the registry's navigation and the
    addresses of the one configuration place (the footer's repository and form links)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from springrain.site.links import Links
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
        links = Links.of(settings)
        config["extra"]["demo"] = demo
        config["extra"]["repository"] = links.repository
        config["extra"]["repository_name"] = links.name
        config["extra"]["forms"] = links.footer_forms()
        config["extra"]["forms_list"] = links.choose
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
    path.parent.rmdir()
    # Indentation is a third of the skeleton, written 25,000 times: keep one line break
    # wherever there was whitespace with one.
    html = INDENT.sub("\n", html)
    for part in THEME_SCRIPT_PARTS:
        html = part.sub("", html)
    parts = []
    for name in SLOT_ORDER:
        before, found, html = html.partition(name)
        if not found or name in html:
            raise SpringrainError(
                f"页面骨架中找不到 {name} 位置，或出现不止一次（主题模板 overrides/{SKELETON_TEMPLATE} 可能已更改）。",
                f"The page skeleton has no single {name} slot (overrides/{SKELETON_TEMPLATE} "
                "may have changed).",
            )
        parts.append(before)
    parts.append(html)
    return Skeleton(parts=tuple(parts))


def built_pages(out: Path) -> list[str]:
    """The pages mkdocs built, as paths in the site: every page but the skeleton and the
    page served for a missing address."""
    skip = {f"{SKELETON}.html", "404.html"}
    return sorted(
        path.relative_to(out).as_posix()
        for path in out.rglob("*.html")
        if path.relative_to(out).as_posix() not in skip
    )


def resolve_links(html: str, addresses: dict[str, str]) -> str:
    """``href="springrain:NAME"`` replaced by the address of NAME (HTML-escaped); an
    unknown name is an error, so a typo never ships as a dead link."""

    def replace(match: re.Match[str]) -> str:
        name = match[1]
        if name not in addresses:
            raise SpringrainError(
                f"页面中的链接 springrain:{name} 没有对应的地址。",
                f"The page links to springrain:{name}, which names no address.",
            )
        return f'href="{html_escape(addresses[name])}"'

    return LINK.sub(replace, html)


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
