"""The data page: the package offered as one compressed file, its contents with checksums,
every release with its files on the release page, the data dictionary, citation in the usual
forms, and schema.org Dataset metadata.

The site holds each byte of the package once, compressed: ``data/springrain-data.zip`` has
every file of the package, byte for byte (the SHA256SUMS inside checks them after
unzipping), so the package the site serves is the package a release publishes. Beside it
only the small descriptor and checksum list, for reading before downloading. Single files
of a released version are the release's own assets on GitHub, not copies in the site.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

from markupsafe import Markup

from springrain.model.dates import is_real_date
from springrain.model.kinds import record_kinds
from springrain.package.csvfiles import sha256
from springrain.package.reader import Package
from springrain.package.writer import CHECKSUMS, DESCRIPTOR
from springrain.site.context import Site
from springrain.site.links import Links
from springrain.site.sections import dictionary
from springrain.site.views import label

DATA_FOLDER = "data"
BUNDLE = "springrain-data.zip"
SMALL_FILES = (DESCRIPTOR, CHECKSUMS)  # beside the bundle, to read before downloading
# Already compressed inside: storing them again costs time and saves nothing.
STORED = (".xlsx", ".zip", ".gz")
# A fixed timestamp for every entry: the same package gives the same bytes of zip.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
LEVEL = 6

MEDIA_TYPES = {
    ".zip": "application/zip",
    ".json": "application/json",
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".sqlite": "application/vnd.sqlite3",
    ".md": "text/markdown",
    "": "text/plain",
}

FORMATS_ZH = {
    ".csv": "CSV 表格",
    ".json": "JSON",
    ".xlsx": "Excel 工作簿",
    ".sqlite": "SQLite 数据库",
    ".md": "文字说明",
    "": "文本",
}


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


def media_type(name: str) -> str:
    return MEDIA_TYPES.get(Path(name).suffix.lower(), MEDIA_TYPES[""])


def write_bundle(package: Package, target: Path) -> None:
    """Every file of the package in one zip, in name order, each with the same timestamp."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", allowZip64=True) as bundle:
        for path in package.files():
            name = path.relative_to(package.root).as_posix()
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.external_attr = 0o644 << 16
            if name.endswith(STORED):
                info.compress_type = zipfile.ZIP_STORED
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                # Python 3.13 names it compress_level; 3.11 and 3.12 only _compresslevel.
                setattr(
                    info,
                    "compress_level" if hasattr(info, "compress_level") else "_compresslevel",
                    LEVEL,
                )
            with open(path, "rb") as source, bundle.open(info, "w", force_zip64=True) as sink:
                while block := source.read(1 << 20):
                    sink.write(block)


def package_files(package: Package) -> list[dict[str, Any]]:
    """The package's files as the page lists them, with sizes and checksums."""
    rows = []
    for path in package.files():
        name = path.relative_to(package.root).as_posix()
        size = path.stat().st_size
        rows.append(
            {
                "name": name,
                "bytes": size,
                "size": human_size(size),
                "sha256": package.checksums.get(name) or sha256(path),
                "format": FORMATS_ZH.get(path.suffix.lower(), FORMATS_ZH[""]),
            }
        )
    return rows


CMDE_FOLDER = "cmde"


def copy_files(package: Package, out: Path) -> list[dict[str, Any]]:
    """The bundle and the small files put in ``out/data/``, and each programme's list for
    CMDE in ``out/data/cmde/``; one row per file offered (a list's row names its
    programme and how many projects it holds)."""
    from springrain.intake.sheets.cmde import write_cmde_list

    target = out / DATA_FOLDER
    target.mkdir(parents=True, exist_ok=True)
    write_bundle(package, target / BUNDLE)
    offered: list[tuple[Path, dict[str, Any]]] = [(target / BUNDLE, {})]
    for name in SMALL_FILES:
        if (package.root / name).is_file():
            (target / name).write_bytes((package.root / name).read_bytes())
            offered.append((target / name, {}))
    (target / CMDE_FOLDER).mkdir(exist_ok=True)
    for programme in package.programmes:
        path = target / CMDE_FOLDER / f"{programme['id']}.xlsx"
        _, count = write_cmde_list(path, package.projects, programme)
        offered.append((path, {"programme": programme.get("name_zh", ""), "projects": count}))
    return [
        {
            "name": path.name,
            "href": path.relative_to(out).as_posix(),
            "bytes": path.stat().st_size,
            "size": human_size(path.stat().st_size),
            "sha256": sha256(path),
            "type": media_type(path.name),
            **extra,
        }
        for path, extra in offered
    ]


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
                    "name": str(item.get("name") or ""),
                    "title": str(item.get("title") or item.get("name") or url),
                    "url": url if url.startswith(("https://", "http://")) else "",
                }
            )
    return result


def _dates(package: Package) -> tuple[str, str]:
    """The first and last date the records speak of (submission and status events)."""
    found: list[str] = []
    for records in package.records.records.values():
        for record in records:
            if isinstance(record.get("submitted"), str):
                found.append(record["submitted"])
            for event in record.get("history") or []:
                if isinstance(event, dict) and isinstance(event.get("date"), str):
                    found.append(event["date"])
    valid = sorted(d for d in found if is_real_date(d))
    return (valid[0], valid[-1]) if valid else ("", "")


def release_files(links: Links, release: dict[str, Any]) -> list[list[str]]:
    """A release's files as the release page holds them (top-level files only, see
    .github/workflows/release.yml), with the whole package as one zip first."""
    tag = str(release.get("tag") or f"v{release.get('version', '')}")
    base = f"{links.repository}/releases/download/{tag}/"
    rows = [[f"springrain-data-{tag}.zip", base + f"springrain-data-{tag}.zip", "", ""]]
    for item in release.get("files") or []:
        if isinstance(item, dict) and "/" not in str(item.get("name", "")):
            name = str(item.get("name", ""))
            rows.append(
                [name, base + name, human_size(int(item.get("bytes") or 0)), item.get("sha256", "")]
            )
    return rows


def citation_forms(
    *, title: str, publisher: str, version: str, date: str, url: str, accessed: str
) -> dict[str, str]:
    """The citation as plain text, GB/T 7714-2015 ([DS/OL], a dataset online) and BibTeX."""
    year = date[:4]
    shown = f"版本 {version}" if version else "未发布版本"
    plain = f"{publisher}. {title}（{shown}，{date}）. {url}"
    gbt = f"{publisher}. {title}[DS/OL]. {shown}. ({date})[{accessed}]. {url}."
    key = f"springrain{year}" + (version.replace(".", "_") if version else "")
    bibtex = "\n".join(
        [
            f"@misc{{{key},",
            f"  title        = {{{title}}},",
            f"  author       = {{{{{publisher}}}}},",
            f"  publisher    = {{{publisher}}},",
            f"  year         = {{{year}}},",
            f"  version      = {{{version or 'unreleased'}}},",
            f"  howpublished = {{\\url{{{url}}}}},",
            f"  note         = {{数据集 / dataset, {date}}}",
            "}",
        ]
    )
    return {"plain": plain, "gbt": gbt, "bibtex": bibtex}


def data(site: Site) -> dict[str, Any]:
    """The data page: the bundle, its contents, releases, dictionary, citation, JSON-LD."""
    package, offered, feeds, site_url = site.package, site.downloads, site.feeds, site.site_url
    links = Links.of(site.settings)
    meta = package.descriptor
    title = str(meta.get("title") or "春雨行动临床创新成果转化项目目录")
    title_zh = title.split(" / ")[0]
    version = str(meta.get("version") or "")
    released = any(
        isinstance(r, dict) and r.get("version") == version for r in package.releases or []
    )
    created = str(meta.get("created") or "")[:10]
    licenses = _licenses(meta)
    publisher = f"{links.name} 贡献者"
    first, last = _dates(package)
    bundle = next((f for f in offered if f["name"] == BUNDLE), None)
    page_url = site_url + "data.html"
    releases = []
    for release in reversed(package.releases or []):
        if not isinstance(release, dict):
            continue
        releases.append(
            {
                "version": release.get("version", ""),
                "date": release.get("date", ""),
                "counts": sorted((release.get("counts") or {}).items()),
                "files": release_files(links, release),
            }
        )
    provinces = sorted({p.get("province", "") for p in package.projects if p.get("province")})
    organisation = {"@type": "Organization", "name": publisher, "url": links.repository}
    distribution = [
        {
            "@type": "DataDownload",
            "name": f["name"],
            "contentUrl": site_url + f["href"],
            "encodingFormat": f["type"],
            "contentSize": f"{f['bytes']} B",
            "sha256": f["sha256"],
        }
        for f in offered
        if "programme" not in f
    ]
    if releases and released:
        for name, url, _size, digest in releases[0]["files"][1:]:
            if name.endswith((".csv", ".json", ".xlsx", ".sqlite")) and _is_record_file(name):
                distribution.append(
                    {
                        "@type": "DataDownload",
                        "name": name,
                        "contentUrl": url,
                        "encodingFormat": media_type(name),
                        "sha256": digest,
                    }
                )
    dataset = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": title,
        "description": str(
            meta.get("description")
            or "春雨行动医疗器械临床创新成果转化项目、企业与合作的开放数据。"
        ),
        "url": page_url,
        "sameAs": links.repository,
        "version": version or None,
        "datePublished": created or None,
        "dateModified": created or None,
        "inLanguage": "zh-CN",
        "isAccessibleForFree": True,
        "keywords": ["春雨行动", "医疗器械", "临床创新成果转化", "开放数据"],
        "license": licenses[0]["url"] if licenses and licenses[0]["url"] else None,
        "creator": organisation,
        "publisher": organisation,
        "temporalCoverage": f"{first}/{last}" if first else None,
        "spatialCoverage": {
            "@type": "Place",
            "name": "中华人民共和国",
            **(
                {
                    "containsPlace": [
                        {"@type": "Place", "name": label("provinces", code)} for code in provinces
                    ]
                }
                if provinces
                else {}
            ),
        },
        "distribution": distribution,
    }
    citation = citation_forms(
        title=title_zh,
        publisher=publisher,
        version=version if released else "",
        date=created,
        url=page_url,
        accessed="引用日期",
    )
    return dict(
        jsonld=json_ld({k: v for k, v in dataset.items() if v is not None}),
        title=title,
        title_zh=title_zh,
        version=version,
        released=released,
        created=created,
        publisher=publisher,
        repository=links.repository,
        licenses=licenses,
        bundle=bundle,
        offered=[f for f in offered if f["name"] != BUNDLE and "programme" not in f],
        cmde_lists=[f for f in offered if "programme" in f],
        contents=package_files(package),
        releases=releases,
        dictionary=dictionary(),
        citation=citation,
        page_url=page_url,
        feeds=feeds,
        changelog=package.changelog,
        counts=[
            (kind.title_zh, len(package.records.records.get(kind.name, [])))
            for kind in record_kinds().values()
        ],
    )


def _is_record_file(name: str) -> bool:
    kinds = {kind.plural for kind in record_kinds().values()}
    stem = name.rsplit(".", 1)[0]
    return stem in kinds or name.endswith((".xlsx", ".sqlite"))
