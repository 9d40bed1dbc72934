"""Site generation: escaping of hostile records, honest empty sections, the catalogue index,
feeds, the data page and the CLI. Built without the search index to stay fast; the browser
tests (tests/browser/) cover the built site in Chromium."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from markupsafe import Markup

from sitepackage import HOSTILE, HOSTILE_ENTERPRISE, HOSTILE_PROJECT, past_validation, write_package
from springrain.errors import SpringrainError
from springrain.model.kinds import KINDS
from springrain.model.schemas import fields
from springrain.site.build import build_site
from springrain.site.downloads import json_ld
from springrain.site.recordpages import ENTERPRISE_OWN_SECTIONS, PROJECT_OWN_SECTIONS
from springrain.site.render import environment
from springrain.site.views import label

BANNER = "示例数据，均为虚构"


def _html(site: Path, name: str) -> str:
    return (site / name).read_text(encoding="utf-8")


def test_every_record_gets_a_page(site: Path, package: Path) -> None:
    for name, folder in (("projects.json", "projects"), ("enterprises.json", "enterprises")):
        ids = {r["id"] for r in json.loads((package / name).read_text(encoding="utf-8"))}
        assert {p.stem for p in (site / folder).glob("*.html")} == ids
    assert not (site / "_skeleton").exists()


def _matching_page_of(site: Path, record_id: str) -> str:
    """The matching list page that shows ``record_id``."""
    return next(
        p.relative_to(site).as_posix()
        for p in sorted((site / "matching").glob("*.html"))
        if f'id="{record_id}"' in p.read_text(encoding="utf-8")
    )


@pytest.mark.parametrize(
    "page",
    [
        f"projects/{HOSTILE_PROJECT}.html",
        f"enterprises/{HOSTILE_ENTERPRISE}.html",
        "index.html",
        "matching",
    ],
)
def test_hostile_text_is_escaped(site: Path, page: str) -> None:
    if page == "matching":
        page = _matching_page_of(site, HOSTILE_PROJECT)
    html = _html(site, page)
    assert '<script>alert("xss")' not in html
    assert "onerror=" not in html.replace("onerror=&#34;", "").replace("onerror=&quot;", "")
    assert 'href="javascript:' not in html
    assert "<svg onload" not in html
    assert 'id="sr-injected"' not in html
    assert "&lt;script&gt;alert(" in html
    assert "{{ 7*7 }}" in html  # template braces stay literal, never evaluated
    assert "{% if true %}" in html


def test_hostile_title_is_escaped_in_head(site: Path) -> None:
    head = _html(site, f"projects/{HOSTILE_PROJECT}.html").split("</head>")[0]
    assert "<title>恶意&lt;script&gt;" in head


@pytest.mark.parametrize(
    ("kind", "name", "skip"),
    [
        ("project", "projects", PROJECT_OWN_SECTIONS),
        ("enterprise", "enterprises", ENTERPRISE_OWN_SECTIONS),
    ],
)
def test_record_page_lists_every_filled_field(
    site: Path, package: Path, kind: str, name: str, skip: frozenset[str]
) -> None:
    # The field list is worked out from the schema once per process (views.FieldView);
    # check against the schema itself that no filled field goes missing from a page.
    records = json.loads((package / f"{name}.json").read_text(encoding="utf-8"))
    for record in records[:20]:
        html = _html(site, f"{name}/{record['id']}.html")
        for field in fields(kind):
            if field.name not in skip and record.get(field.name) not in (None, "", [], {}):
                assert f"<dt>{field.title_zh}</dt>" in html, (record["id"], field.name)


def test_a_label_is_never_markup() -> None:
    # text() returns a plain str as it is; a str subclass such as Markup must still come
    # back converted, or the template would write it unescaped.
    shown = label(None, Markup('<b onclick="x()">粗体</b>'))
    assert type(shown) is str
    html = environment().from_string("<dd>{{ v }}</dd>").render(v=shown)
    assert html == "<dd>&lt;b onclick=&#34;x()&#34;&gt;粗体&lt;/b&gt;</dd>"


def test_json_ld_cannot_end_its_script_element() -> None:
    text = str(json_ld({"name": "</script><script>alert(1)</script>", "a": "&\u2028"}))
    assert "</script" not in text and "<" not in text and "&" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script>"


def test_data_page_has_dataset_metadata_files_and_dictionary(site: Path) -> None:
    html = _html(site, "data.html")
    blob = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    dataset = json.loads(blob)
    assert dataset["@type"] == "Dataset"
    assert dataset["distribution"]
    for kind in KINDS:
        for field in fields(kind):
            assert f"<code>{field.name}</code>" in html
    # A vocabulary field lists its labels (the dict's .values method once stood there).
    assert "可选：有源、无源、体外诊断试剂" in html
    assert "built-in method" not in html and " object at 0x" not in html
    assert (
        'href="data/springrain-data.zip"' in html
        and (site / "data" / "springrain-data.zip").is_file()
    )
    assert BANNER in html


def test_demo_banner_on_every_page(site: Path) -> None:
    pages = list(site.rglob("*.html"))
    assert len(pages) > 70
    assert all(BANNER in p.read_text(encoding="utf-8") for p in pages)


def test_catalogue_index_is_columnar_and_complete(site: Path, package: Path) -> None:
    index = json.loads((site / "catalogue" / "projects.json").read_text(encoding="utf-8"))
    projects = json.loads((package / "projects.json").read_text(encoding="utf-8"))
    assert index["n"] == len(projects)
    assert all(len(column) == index["n"] for column in index["cols"].values())
    assert len(index["ids"]["id_prefix"]) == index["n"]
    province = index["dims"]["province"]
    first = projects[0]
    assert province["codes"][index["cols"]["province"][0]] == first["province"]
    # Exports head each column with its title: a derived one (the year of the submission
    # date) is titled as what it holds, never twice as the date.
    titles = [dim["title"] for dim in index["dims"].values()]
    assert index["dims"]["year"]["title"] == "申报年份"
    assert index["titles"]["submitted"] not in titles
    assert index["cols"]["name"][0] == first["project_name"]
    ids = index["ids"]
    numbers, total = [], 0
    for step in ids["id_number"]:
        total += step
        numbers.append(total)
    rebuilt = [
        f"{ids['id_prefixes'][p]}{n:04d}" for p, n in zip(ids["id_prefix"], numbers, strict=True)
    ]
    assert rebuilt == [p["id"] for p in projects]


def test_the_catalogue_keyword_reads_the_labels_search_finds_records_by(site: Path) -> None:
    """The directories' keyword matches a record's province, status, class, stage … labels
    as search does (search_index._labels), through the dimensions the index names: their
    labels are already there, no column of text is added."""
    projects = json.loads((site / "catalogue" / "projects.json").read_text(encoding="utf-8"))
    keyword = projects["keyword"]
    assert set(keyword) <= set(projects["dims"])
    assert {"province", "status", "class", "stage", "institution", "city"} <= set(keyword)
    # A derived value (有/无, a year) and the programme are no words search finds.
    assert not {"ip", "year", "programme"} & set(keyword)
    enterprises = json.loads((site / "catalogue" / "enterprises.json").read_text(encoding="utf-8"))
    assert {"province", "region", "field", "class"} <= set(enterprises["keyword"])
    assert "hightech" not in enterprises["keyword"]


def test_feeds_are_well_formed_atom(site: Path) -> None:
    feeds = sorted((site / "feeds").glob("*.xml"))
    assert any(f.name.startswith("province-") for f in feeds)
    assert any(f.name.startswith("category-") for f in feeds)
    overall = ET.parse(site / "feeds" / "projects.xml").getroot()
    titles = [e.text for e in overall.iter("{http://www.w3.org/2005/Atom}title")]
    assert "恶意" + HOSTILE in titles  # the hostile title survives as text, XML-escaped
    for feed in feeds:
        ET.parse(feed)


def test_missing_optional_files_say_no_data(package: Path, tmp_path: Path) -> None:
    bare = tmp_path / "package"
    shutil.copytree(package, bare)
    for name in ("matches.csv", "stats.json", "releases.json", "CHANGELOG.md"):
        (bare / name).unlink(missing_ok=True)
    past_validation(bare)
    out = tmp_path / "site"
    build_site(bare, out)
    assert "暂无数据" in _html(out, "statistics.html")
    assert "暂无数据" in _html(out, "data.html")
    assert "暂无数据" in _html(out, f"projects/{HOSTILE_PROJECT}.html")
    assert BANNER not in _html(out, "index.html")


def test_empty_package_builds_and_says_the_catalogue_starts_empty(tmp_path: Path) -> None:
    empty = tmp_path / "package"
    write_package({"project": [], "enterprise": [], "cooperation": []}, empty)
    build_site(empty, tmp_path / "site")
    home = _html(tmp_path / "site", "index.html")
    assert "本目录刚刚起步，还没有收录项目记录" in home and "make demo" in home
    # No figure says "0 projects" as if that were news.
    assert "个公开项目" not in home
    for page in ("catalogue.html", "enterprises.html"):
        assert "本目录还没有收录" in _html(tmp_path / "site", page)
    statistics = _html(tmp_path / "site", "statistics.html")
    # An empty repository is no programme failing: no verdict, the official figures beside.
    assert "本库暂无该方案的项目记录，无法判断进度" in statistics
    assert "不能按期完成" not in statistics and "可以按期完成" not in statistics


def test_cli_reports_missing_package(run_cli, tmp_path: Path) -> None:
    code, output = run_cli(
        "site", "--package", str(tmp_path / "none"), "--out", str(tmp_path / "s")
    )
    assert code == 1
    assert "springrain package" in output and "数据包中缺少" in output


def test_invalid_id_is_refused(package: Path, tmp_path: Path) -> None:
    bad = tmp_path / "package"
    shutil.copytree(package, bad)
    projects = json.loads((bad / "projects.json").read_text(encoding="utf-8"))
    projects[0]["id"] = "../../etc/passwd"
    (bad / "projects.json").write_text(json.dumps(projects), encoding="utf-8")
    with pytest.raises(SpringrainError):
        build_site(bad, tmp_path / "site")


def test_statistics_show_missing_numbers_as_dash(package: Path) -> None:
    from springrain.config import settings
    from springrain.package.reader import read
    from springrain.site.context import Site
    from springrain.site.render import render
    from springrain.site.statpages import statistics

    loaded = read(package)
    loaded.stats = {
        "as_of": "2026-10-31",
        "funnel": [
            {
                "status": "入库",
                "label": "入库",
                "current": 1,
                "ever": 2,
                "reached": 2,
                "conversion_to_next": None,
                "median_days": None,
            }
        ],
        "breakdowns": {"province": [{"key": "GD", "label": "广东省", "total": 0}]},
        "targets": [
            {
                "description_zh": "目标",
                "programme": "GD-2026-2028",
                "value": 300,
                "unit": "项",
                "per": "year",
                "supported": True,
                "programme_projects": 3,
                "actual": None,
                "required_pace": 601.654,
                "actual_pace": None,
                "on_track": None,
            }
        ],
    }
    html = render("statistics.html", **statistics(Site(loaded, package, settings())))
    assert "None" not in html
    assert "每年 601.7 项" in html and "不作判断" in html
    assert "还没有项目可以分组" in html
