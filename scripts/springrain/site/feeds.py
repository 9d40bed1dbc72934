"""Atom feeds of new and updated projects: overall, per province and per category.

Built with ElementTree, which escapes text and attributes for XML; characters XML 1.0 cannot
carry at all are dropped first."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path
from typing import Any

from springrain.model.kinds import kind as record_kind
from springrain.site.views import label

ATOM = "http://www.w3.org/2005/Atom"
ENTRIES = 50
NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(value: Any) -> str:
    return NOT_XML.sub("", "" if value is None else str(value))


def _updated(project: dict[str, Any]) -> str:
    history = project.get("history") or [{}]
    return str(history[-1].get("date") or project.get("submitted") or "1970-01-01")


def _feed(title: str, path: str, site_url: str, projects: list[dict[str, Any]]) -> bytes:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "zh-CN"})
    ET.SubElement(feed, f"{{{ATOM}}}title").text = _clean(title)
    ET.SubElement(feed, f"{{{ATOM}}}id").text = site_url + path
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": site_url + path})
    ET.SubElement(
        feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": site_url + "catalogue.html"}
    )
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = (
        _updated(projects[0]) if projects else "1970-01-01"
    ) + "T00:00:00Z"
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "春雨行动项目目录"
    for p in projects:
        url = f"{site_url}{record_kind('project').plural}/{p['id']}.html"
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = _clean(p.get("project_name", p["id"]))
        ET.SubElement(entry, f"{{{ATOM}}}id").text = url
        ET.SubElement(entry, f"{{{ATOM}}}link", {"href": url})
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _updated(p) + "T00:00:00Z"
        ET.SubElement(entry, f"{{{ATOM}}}published").text = (
            str(p.get("submitted") or _updated(p)) + "T00:00:00Z"
        )
        summary = "；".join(
            part
            for part in (
                f"状态：{label('statuses', p.get('status', ''))}",
                _clean(p.get("institution")),
                _clean(p.get("intended_use")),
            )
            if part
        )
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = summary
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _groups(
    projects: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[tuple[dict[str, str], list[dict[str, Any]]]]]:
    """Projects newest first, and each per-province and per-category feed with its projects."""
    recent = sorted(projects, key=lambda p: (_updated(p), p["id"]), reverse=True)
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for p in recent:
        if p.get("province"):
            groups[("province", p["province"])].append(p)
        if p.get("category"):
            groups[("category", p["category"])].append(p)
    listed = []
    for (kind, code), items in sorted(groups.items()):
        if not re.fullmatch(r"[A-Za-z0-9]+", code):
            continue  # codes become file names; the schemas allow only such codes
        vocab = "provinces" if kind == "province" else "categories"
        title = f"春雨行动：{label(vocab, code)}的新增与更新项目"
        listed.append(({"href": f"feeds/{kind}-{code}.xml", "title": title}, items))
    return recent, listed


def feed_list(projects: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The per-province and per-category feeds ``write_feeds`` writes, for the data page."""
    return [feed for feed, _ in _groups(projects)[1]]


def write_feeds(projects: list[dict[str, Any]], out: Path, site_url: str) -> list[dict[str, str]]:
    """Write every feed under ``out/feeds``; returns the per-province and per-category ones."""
    folder = out / "feeds"
    folder.mkdir(parents=True, exist_ok=True)
    recent, listed = _groups(projects)
    (folder / "projects.xml").write_bytes(
        _feed("春雨行动：新增与更新的项目", "feeds/projects.xml", site_url, recent[:ENTRIES])
    )
    for feed, items in listed:
        (out / feed["href"]).write_bytes(
            _feed(feed["title"], feed["href"], site_url, items[:ENTRIES])
        )
    return [feed for feed, _ in listed]
