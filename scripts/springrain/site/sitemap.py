"""What search engines read: ``sitemap.xml`` listing every page (a sitemap index with numbered
sitemaps past ``LIMIT`` addresses, as the protocol requires) and ``robots.txt``.

mkdocs writes a sitemap of its own pages only (and names the record pages' skeleton in it);
ours replaces it. Addresses are absolute, from the site's address in the one configuration
place; a project site served under /<repository>/ gets that path in every address.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
LIMIT = 50_000  # addresses per sitemap (sitemaps.org)
STALE = ("sitemap.xml.gz",)  # mkdocs' compressed copy of its own sitemap


def _xml(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _urlset(entries: list[tuple[str, str]], site_url: str) -> bytes:
    root = ET.Element("urlset", {"xmlns": NS})
    for path, lastmod in entries:
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = site_url + path
        if lastmod:
            ET.SubElement(url, "lastmod").text = lastmod
    return _xml(root)


def write(
    out: Path, site_url: str, entries: Iterable[tuple[str, str]], *, limit: int = LIMIT
) -> list[str]:
    """Write the sitemap (or sitemap index and its parts) for ``entries`` (path relative to
    the site, last modified date or ""); returns the files written."""
    for name in STALE:
        (out / name).unlink(missing_ok=True)
    listed = sorted(set(entries))
    if len(listed) <= limit:
        (out / "sitemap.xml").write_bytes(_urlset(listed, site_url))
        return ["sitemap.xml"]
    names = []
    for number, start in enumerate(range(0, len(listed), limit), start=1):
        name = f"sitemap-{number}.xml"
        (out / name).write_bytes(_urlset(listed[start : start + limit], site_url))
        names.append(name)
    index = ET.Element("sitemapindex", {"xmlns": NS})
    for name in names:
        ET.SubElement(ET.SubElement(index, "sitemap"), "loc").text = site_url + name
    (out / "sitemap.xml").write_bytes(_xml(index))
    return ["sitemap.xml", *names]


def write_robots(out: Path, site_url: str) -> None:
    """Everything may be crawled; the sitemap's address. (Crawlers read robots.txt only at a
    host's root: a project site's copy takes effect once the site has a domain of its own.)"""
    (out / "robots.txt").write_text(
        f"User-agent: *\nAllow: /\n\nSitemap: {site_url}sitemap.xml\n", encoding="utf-8"
    )
