"""What the built site says and links to: the way to act on every record page, the
programme's route, canonical addresses and descriptions, the sitemap, robots.txt, feeds, the
Dataset metadata and citation, the downloads, the matching and stalled pages."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from sitepackage import HOSTILE_PROJECT
from springrain.config import settings
from springrain.intake.forms import form_file
from springrain.site import regulatory, sitemap

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _html(site: Path, name: str) -> str:
    return (site / name).read_text(encoding="utf-8")


def _records(package: Path, name: str) -> list[dict]:
    return json.loads((package / name).read_text(encoding="utf-8"))


def _first(package: Path, name: str, **wanted: str) -> dict:
    return next(
        r
        for r in _records(package, name)
        if not r["id"].endswith("9999") and all(r.get(k) == v for k, v in wanted.items())
    )


def _hrefs(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]*)"', html)]


def test_a_project_page_offers_contact_programme_route_and_prefilled_forms(
    site: Path, package: Path
) -> None:
    project = _first(package, "projects.json", province="GD")
    html = _html(site, f"projects/{project['id']}.html")
    assert project["contact_route"] in html
    assert "“春雨行动”申报咨询平台" in html and "广东省药品监督管理局" in html
    hrefs = _hrefs(html)
    interest = next(h for h in hrefs if form_file("cooperation") in h)
    assert parse_qs(urlsplit(interest).query)["project"] == [project["id"]]
    correction = next(h for h in hrefs if form_file("correction") in h)
    assert parse_qs(urlsplit(correction).query)["record_id"] == [project["id"]]
    assert settings().repository in html  # the footer
    assert f"{settings().repository}/issues/new/choose" in hrefs


def test_regulatory_path_follows_the_programme(site: Path, package: Path) -> None:
    def path_of(project: dict) -> str:
        html = _html(site, f"projects/{project['id']}.html")
        return html.split('id="path"')[1].split("<h2")[0]

    fujian = path_of(_first(package, "projects.json", province="FJ"))
    assert "福建创新服务站" in fujian and "闽药监器械〔2025〕18号" in fujian
    assert "广东" not in fujian
    planned = {route.province for route in regulatory.ROUTES}
    other = next(p for p in _records(package, "projects.json") if p["province"] not in planned)
    national = path_of(other)
    assert "全国通行" in national and "药监械审函〔2025〕234号" in national
    assert "广东" not in national


def test_record_pages_have_their_own_canonical_address_and_description(
    site: Path, package: Path
) -> None:
    base = settings().site_url
    descriptions = set()
    for folder, name in (("projects", "projects.json"), ("enterprises", "enterprises.json")):
        for record in _records(package, name)[:10]:
            html = _html(site, f"{folder}/{record['id']}.html")
            head = html.split("</head>")[0]
            assert f'<link rel="canonical" href="{base}{folder}/{record["id"]}.html">' in head
            description = re.search(r'<meta name="description" content="([^"]*)"', head)[1]
            descriptions.add(description)
            assert "_skeleton" not in html
            assert 'type="application/atom+xml"' in head
            # The slim skeleton loads no theme script.
            assert "bundle." not in html and "__md_scope" not in html
    assert len(descriptions) == 20


def test_sitemap_lists_every_page_and_robots_points_to_it(site: Path, package: Path) -> None:
    root = ET.parse(site / "sitemap.xml").getroot()
    listed = {loc.text for loc in root.iter(f"{SITEMAP}loc")}
    base = settings().site_url
    pages = {
        base + p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if p.name != "404.html" and "pagefind" not in p.parts
    }
    pages = {base if page == base + "index.html" else page for page in pages}
    assert listed == pages
    assert all(url.startswith(base) for url in listed)
    assert not (site / "sitemap.xml.gz").exists()
    robots = _html(site, "robots.txt")
    assert f"Sitemap: {base}sitemap.xml" in robots


def test_a_sitemap_index_past_the_limit(tmp_path: Path) -> None:
    entries = [(f"projects/GD-2025-{n:04d}.html", "2026-01-01") for n in range(25)]
    written = sitemap.write(tmp_path, "https://example.org/site/", entries, limit=10)
    assert written == ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]
    index = ET.parse(tmp_path / "sitemap.xml").getroot()
    assert index.tag == f"{SITEMAP}sitemapindex"
    assert next(loc.text for loc in index.iter(f"{SITEMAP}loc")) == (
        "https://example.org/site/sitemap-1.xml"
    )
    total = sum(
        len(list(ET.parse(tmp_path / name).getroot().iter(f"{SITEMAP}url"))) for name in written[1:]
    )
    assert total == 25


def test_every_internal_link_resolves(site: Path) -> None:
    """Relative links between pages point at files that exist (so the site works under any
    path, a project sub-path included); none is root-relative except on the 404 page."""
    broken = []
    for page in [*site.glob("*.html"), *list(site.glob("*/*.html"))[:200]]:
        html = page.read_text(encoding="utf-8")
        for href in _hrefs(html):
            if href.startswith(("http://", "https://", "#", "mailto:")) or not href:
                continue
            if page.name != "404.html":
                assert not href.startswith("/"), (page, href)
            target = (page.parent / urlsplit(href).path).resolve()
            if page.name != "404.html" and not target.exists():
                broken.append((page.relative_to(site).as_posix(), href))
    assert broken == []


def test_404_page_is_chinese_and_links_under_the_sites_path(site: Path) -> None:
    html = _html(site, "404.html")
    assert "找不到该页面" in html
    path = settings().site_path
    assert f'href="{path}catalogue.html"' in html and f'href="{path}search.html"' in html


def test_dataset_metadata_is_complete(site: Path) -> None:
    html = _html(site, "data.html")
    dataset = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    for key in (
        "creator",
        "publisher",
        "license",
        "datePublished",
        "temporalCoverage",
        "spatialCoverage",
    ):
        assert dataset.get(key), key
    assert dataset["creator"]["url"] == settings().repository
    assert all(d.get("encodingFormat") for d in dataset["distribution"])
    assert "application/zip" in {d["encodingFormat"] for d in dataset["distribution"]}
    first, last = dataset["temporalCoverage"].split("/")
    assert first <= last


def test_citation_has_every_form(site: Path) -> None:
    html = _html(site, "data.html")
    cite = html.split('id="cite"')[1].split('id="releases"')[0]
    for what in (
        "题名",
        "发布者",
        "版本",
        "日期",
        "网址",
        "GB/T 7714",
        "BibTeX",
        "[DS/OL]",
        "@misc{",
    ):
        assert what in cite, what
    assert "版本 0.0.0" not in cite  # an unreleased build says so instead


def test_the_bundle_is_the_package_byte_for_byte(site: Path, package: Path) -> None:
    with zipfile.ZipFile(site / "data" / "springrain-data.zip") as bundle:
        names = sorted(bundle.namelist())
        expected = sorted(
            p.relative_to(package).as_posix()
            for p in package.rglob("*")
            if p.is_file() and not p.name.startswith(".")
        )
        assert names == expected
        for name in names:
            assert bundle.read(name) == (package / name).read_bytes(), name
    # The bulk files are not in the site a second time, uncompressed.
    assert not (site / "data" / "projects.json").exists()
    assert not (site / "data" / "springrain.sqlite").exists()


def test_bundle_is_the_same_bytes_every_build(package: Path, tmp_path: Path) -> None:
    from springrain.package.reader import read
    from springrain.site.downloads import write_bundle

    write_bundle(read(package), tmp_path / "a.zip")
    write_bundle(read(package), tmp_path / "b.zip")
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


def test_data_dictionary_is_in_chinese(site: Path) -> None:
    html = _html(site, "data.html")
    dictionary = html.split('id="dictionary"')[1].split('id="feeds"')[0]
    assert "可选：北京市（BJ）" in dictionary and "广东省（GD）" in dictionary
    assert "每项包含：" in dictionary
    # The English descriptions of the schemas are not what a reader gets.
    assert "Stable id, never reused" not in dictionary


def test_matching_pages_browse_by_province_and_category(site: Path, package: Path) -> None:
    overview = _html(site, "matching.html")
    assert 'href="matching/p-GD.html"' in overview
    pages = list((site / "matching").glob("*.html"))
    assert pages and all(p.stat().st_size < 300 * 1024 for p in pages)
    listing = next(
        p.read_text(encoding="utf-8")
        for p in sorted((site / "matching").glob("*-*.html"))
        if "推荐企业：" in p.read_text(encoding="utf-8")
    )
    suggestion = listing.split('<ol class="sr-suggest">')[1].split("</ol>")[0]
    assert "<b>" in suggestion and "匹配度" not in listing and "相近度" not in listing
    assert "共同关键词" not in listing


def test_enterprise_suggestions_show_province_stage_and_status(site: Path, package: Path) -> None:
    html = next(
        p.read_text(encoding="utf-8")
        for p in sorted((site / "enterprises").glob("*.html"))
        if '<ol class="sr-suggest">' in p.read_text(encoding="utf-8")
    )
    first = html.split('<ol class="sr-suggest">')[1].split("</li>")[0]
    meta = re.search(r'<span class="sr-meta">([^<]*)</span>', first)[1]
    assert len(meta.split(" · ")) == 3  # province · stage · status


def test_stalled_pages_list_every_stalled_project_of_a_province(site: Path, package: Path) -> None:
    stats = json.loads((package / "stats.json").read_text(encoding="utf-8"))
    by_province: dict[str, int] = {}
    known = {p["id"] for p in _records(package, "projects.json")}
    for row in stats["stalled"]:
        if row["project"] in known:
            by_province[row["province"]] = by_province.get(row["province"], 0) + 1
    for province, count in by_province.items():
        html = _html(site, f"statistics/stalled-{province}.html")
        assert html.count("<tr data-status=") == count
        assert 'data-filter="stalled-table"' in html


@pytest.mark.parametrize("name", ["projects/" + HOSTILE_PROJECT + ".html", "data.html"])
def test_no_page_names_a_form_that_does_not_exist(site: Path, name: str) -> None:
    for href in _hrefs(_html(site, name)):
        if "/issues/new?" in href:
            template = parse_qs(urlsplit(href).query)["template"][0]
            assert re.fullmatch(r"[1-4]-(project|enterprise|cooperation|correction)\.yml", template)


def test_the_data_page_offers_each_programmes_list_for_cmde(site: Path, package: Path) -> None:
    from openpyxl import load_workbook

    from springrain.intake.sheets.cmde import ready

    html = _html(site, "data.html")
    projects = _records(package, "projects.json")
    programmes = sorted({p["programme"] for p in projects})
    assert programmes
    assert any(ready(projects, programme) for programme in programmes)  # not all empty
    for programme in programmes:
        href = f"data/cmde/{programme}.xlsx"
        assert href in _hrefs(html)
        sheet = load_workbook(site / href, read_only=True).active
        rows = [r for r in sheet.iter_rows(min_row=3, values_only=True) if any(r)]
        listed = ready(projects, programme)
        assert len(rows) == len(listed)
        assert [r[0] for r in rows] == [p["id"] for _, p in listed]


def test_the_maintainers_guide_says_how_to_move_a_project_along(site: Path) -> None:
    """Each status with the steps the transitions table allows from it, and the files they
    come from, linked in the repository."""
    from springrain.config import settings
    from springrain.model import statuses
    from springrain.model.schemas import vocabulary
    from springrain.site.links import Links

    html = _html(site, "maintainers.html")
    assert 'id="transitions"' in html and '<code>"history"</code>' in html
    labels = {row["code"]: row.get("zh") or row["code"] for row in vocabulary("statuses")}
    for start, to in sorted(statuses.transitions("project") or ()):
        row = html[html.index(f'<td data-label="当前状态">{labels[start]}</td>') :]
        assert to in row[: row.index("</tr>")], (start, to)
    for row in vocabulary("cooperation_statuses"):
        assert (row.get("zh") or row["code"]) in html
    links = Links.of(settings())
    assert links.repository_file("schemas/vocab/transitions.csv") in html
    assert links.repository_file("RELEASING.md") in html
