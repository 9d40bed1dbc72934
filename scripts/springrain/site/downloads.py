"""The data page: the package's files put into the site with sizes and checksums, every
release from the ledger, the data dictionary, citation and schema.org Dataset metadata."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from markupsafe import Markup

from springrain.package.csvfiles import sha256
from springrain.package.reader import Package
from springrain.site.context import Site
from springrain.site.sections import dictionary

DATA_FOLDER = "data"


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


def copy_files(package: Package, out: Path) -> list[dict[str, Any]]:
    """The package's files put in ``out/data/`` (hard links where the file system allows:
    the site serves the very files the package holds); one row per file for the page."""
    target = out / DATA_FOLDER
    rows = []
    for path in package.files():
        name = path.relative_to(package.root).as_posix()
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        _link_or_copy(path, destination)
        size = path.stat().st_size
        rows.append(
            {
                "name": name,
                "href": f"{DATA_FOLDER}/{name}",
                "bytes": size,
                "size": human_size(size),
                "sha256": package.checksums.get(name) or sha256(path),
            }
        )
    return rows


def _link_or_copy(source: Path, destination: Path) -> None:
    try:
        destination.hardlink_to(source)
    except OSError:
        shutil.copyfile(source, destination)


def json_ld(value: Any) -> Markup:
    """JSON for a <script> element: '<', '>' and '&' escaped so no data can end the element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _licenses(meta: dict[str, Any]) -> list[dict[str, str]]:
    result = []
    for item in meta.get("licenses") or []:
        if isinstance(item, dict):
            url = str(item.get("path") or "")
            result.append(
                {
                    "title": str(item.get("title") or item.get("name") or url),
                    "url": url if url.startswith(("https://", "http://")) else "",
                }
            )
    return result


def data(site: Site) -> dict[str, Any]:
    """The data page: the package's files, releases, dictionary, citation, Dataset JSON-LD."""
    package, files, feeds, site_url = site.package, site.downloads, site.feeds, site.site_url
    meta = package.descriptor
    title = str(meta.get("title") or "春雨行动临床创新成果转化项目目录")
    version = str(meta.get("version") or "")
    licenses = _licenses(meta)
    dataset = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": title,
        "description": str(
            meta.get("description")
            or "春雨行动医疗器械临床创新成果转化项目、企业与合作的开放数据。"
        ),
        "url": site_url + "data.html",
        "version": version,
        "inLanguage": "zh-CN",
        "isAccessibleForFree": True,
        "keywords": ["春雨行动", "医疗器械", "临床创新成果转化", "开放数据"],
        "license": licenses[0]["url"] if licenses and licenses[0]["url"] else None,
        "distribution": [
            {
                "@type": "DataDownload",
                "name": f["name"],
                "contentUrl": site_url + f["href"],
                "contentSize": f"{f['bytes']} B",
                "sha256": f["sha256"],
            }
            for f in files
            if "/" not in f["name"]
        ],
    }
    releases = []
    for release in package.releases or []:
        if not isinstance(release, dict):
            continue
        releases.append(
            {
                "version": release.get("version", ""),
                "date": release.get("date", ""),
                "counts": sorted((release.get("counts") or {}).items()),
                "files": [
                    [f.get("name", ""), human_size(int(f.get("bytes") or 0)), f.get("sha256", "")]
                    for f in release.get("files") or []
                    if isinstance(f, dict)
                ],
            }
        )
    license_text = "、".join(item["title"] for item in licenses) or "见数据包"
    citation = (
        f"{title}（版本 {version or '未发布'}）。{site_url}data.html 。许可协议：{license_text}。"
    )
    return dict(
        jsonld=json_ld({k: v for k, v in dataset.items() if v is not None}),
        title=title,
        version=version,
        licenses=licenses,
        files=files,
        releases=releases,
        dictionary=dictionary(),
        citation=citation,
        feeds=feeds,
        changelog=package.changelog,
    )
