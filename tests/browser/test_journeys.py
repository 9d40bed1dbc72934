"""The four journeys of the site's users, at 1366 and 375 px, each step checked for horizontal
scroll and clipped tables, with screenshots in tests/screenshots/ (journey-*):

1. an enterprise in Shenzhen making class II active devices finds the Guangdong projects of
   its category that are open to partners, narrows them, exports the list (CSV and Excel) and
   reaches the cooperation form with the project filled in;
2. a researcher downloads the whole dataset and copies a citation;
3. a regulator reads Guangdong's targets, its funnel and all its stalled projects;
4. a clinician finds how to submit and reaches the project form.

GitHub is answered by a stub (conftest): the test reads the address the browser asked for.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from steps import assert_layout, choose, count, navigate, wait_directory

from springrain.config import settings
from springrain.intake import forms
from springrain.intake.forms import form_file
from springrain.model import statuses
from springrain.model.schemas import vocabulary_labels

pytestmark = pytest.mark.browser


def _projects(demo_package: Path) -> list[dict]:
    return json.loads((demo_package / "projects.json").read_text(encoding="utf-8"))


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_enterprise_finds_narrows_exports_and_reaches_the_interest_form(
    sized_page, base_url: str, demo_package: Path, shot, tmp_path: Path
) -> None:
    page = sized_page
    open_statuses = statuses.with_role("open_to_partners")
    wanted = [
        p
        for p in _projects(demo_package)
        if p["province"] == "GD"
        and p["product_class"] == "第二类"
        and p["project_type"] == "有源"
        and p["status"] in open_statuses
    ]
    category = Counter(p.get("category") for p in wanted).most_common(1)[0][0]
    wanted = [p for p in wanted if p.get("category") == category]
    assert wanted, "the demo data has such projects"

    page.goto(base_url)
    navigate(page, "项目目录")
    wait_directory(page)
    shot(page, "journey-1-catalogue")
    assert_layout(page)
    for key, value in (("province", "GD"), ("class", "第二类"), ("type", "有源")):
        choose(page, key, value)
    for status in open_statuses:
        choose(page, "status", status)
    # The counts beside each option respect the other choices: 广东 alone is not counted as
    # the whole catalogue's 有源 projects.
    label = page.locator(f"details.sr-facet[data-key=category] input[value='{category}'] ~ .sr-n")
    assert label.text_content() == f"（{len(wanted)}）"
    choose(page, "category", category)
    assert count(page) == len(wanted)
    shot(page, "journey-1-filtered")
    assert_layout(page)

    # Narrow further by stage; then widen again when the list is empty.
    stage = Counter(p["stage"] for p in wanted).most_common(1)[0][0]
    choose(page, "stage", stage)
    narrowed = [p for p in wanted if p["stage"] == stage]
    assert count(page) == len(narrowed)

    # Export what is shown, as CSV and as Excel.
    with page.expect_download() as download:
        page.click("[data-sr=csv]")
    text = Path(download.value.path()).read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    ids = {p["id"] for p in narrowed}
    assert {row[0] for row in rows[1:]} == ids
    assert "所在省份" in rows[0] and rows[0][-1] == "页面地址"
    assert all(
        row[rows[0].index("所在省份")] == vocabulary_labels("provinces")["GD"] for row in rows[1:]
    )
    with page.expect_download() as download:
        page.click("[data-sr=xlsx]")
    assert download.value.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    book = openpyxl.load_workbook(saved)
    sheet = book.active
    values = list(sheet.iter_rows(values_only=True))
    assert {row[0] for row in values[1:]} == ids
    assert all(isinstance(cell, str) for row in values for cell in row if cell is not None)
    shot(page, "journey-1-exported")

    # Open a project and express interest: the cooperation form, the project filled in.
    page.locator(".sr-results tbody a").first.click()
    page.wait_for_selector("h1#title")
    project = page.url.rsplit("/", 1)[-1].removesuffix(".html")
    assert project in ids
    shot(page, "journey-1-project")
    assert_layout(page)
    assert page.locator("#contact").is_visible()
    page.get_by_role("link", name="表达合作意向").click()
    page.wait_for_url("https://github.com/**")
    query = _query(page.github[-1])
    assert query["template"] == [form_file("cooperation")]
    project_field = next(e.id for e in forms.elements("cooperation") if e.path == ("project",))
    assert query[project_field] == [project]


def test_empty_result_says_how_to_widen(sized_page, base_url: str, shot) -> None:
    page = sized_page
    page.goto(base_url + "catalogue.html?q=没有这样的项目名称&province=GD")
    wait_directory(page)
    assert count(page) == 0
    box = page.locator("[data-sr=empty]")
    assert box.is_visible() and "没有同时符合全部条件" in box.inner_text()
    shot(page, "journey-1-empty")
    assert_layout(page)
    box.get_by_role("button", name="去掉关键词“没有这样的项目名称”").click()
    wait_directory(page)
    assert count(page) > 0


def test_researcher_downloads_everything_and_copies_a_citation(
    sized_page, base_url: str, demo_package: Path, shot
) -> None:
    page = sized_page
    page.goto(base_url)
    navigate(page, "数据下载")
    page.wait_for_selector("#download")
    shot(page, "journey-2-data")
    assert_layout(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="下载完整数据包").click()
    with zipfile.ZipFile(download.value.path()) as bundle:
        names = set(bundle.namelist())
        assert {"datapackage.json", "SHA256SUMS", "projects.csv", "springrain.xlsx"} <= names
        assert bundle.read("datapackage.json") == (demo_package / "datapackage.json").read_bytes()
    page.locator("#cite").scroll_into_view_if_needed()
    page.locator("[data-copy=cite-gbt]").click()
    page.wait_for_selector("[data-copy=cite-gbt][data-copied=true]")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "[DS/OL]" in copied and "春雨行动" in copied and settings().site_url in copied
    page.locator("[data-copy=cite-bibtex]").click()
    assert page.evaluate("navigator.clipboard.readText()").startswith("@misc{")
    shot(page, "journey-2-cite")
    assert_layout(page)


def test_regulator_reads_guangdongs_targets_funnel_and_stalled_projects(
    sized_page, base_url: str, demo_package: Path, shot
) -> None:
    page = sized_page
    page.goto(base_url)
    navigate(page, "进展统计")
    page.wait_for_selector("#targets")
    targets = page.locator(".sr-targets").first
    assert targets.is_visible()
    programme = page.locator("#targets ~ h3").first.inner_text()
    assert "广东" in programme
    first = targets.locator(".sr-target").first.inner_text()
    assert "每年" in first or "累计" in first  # a unit on every figure
    shot(page, "journey-3-targets")
    assert_layout(page)

    page.select_option("select[data-sr-switch=funnel]", "GD")
    funnel = page.locator("section[data-switch=funnel][data-key=GD]")
    assert funnel.is_visible()
    assert page.locator("section[data-switch=funnel][data-key='']").is_hidden()
    numbers = [int(n) for n in funnel.locator(".sr-barcell span:last-child").all_inner_texts()]
    assert numbers == sorted(numbers, reverse=True)  # a funnel never widens
    funnel.scroll_into_view_if_needed()
    shot(page, "journey-3-funnel")
    assert_layout(page)

    stats = json.loads((demo_package / "stats.json").read_text(encoding="utf-8"))
    known = {p["id"] for p in _projects(demo_package)}
    stalled = [s for s in stats["stalled"] if s["province"] == "GD" and s["project"] in known]
    page.locator("#stalled ~ .sr-wide a[href$='stalled-GD.html']").click()
    page.wait_for_selector("#stalled-table")
    assert page.locator("#stalled-table tbody tr").count() == len(stalled)
    shot(page, "journey-3-stalled")
    assert_layout(page)
    status = Counter(s["status"] for s in stalled).most_common(1)[0][0]
    page.select_option("form[data-filter] select[name=status]", status)
    shown = page.locator("#stalled-table tbody tr:not([hidden])")
    assert shown.count() == sum(1 for s in stalled if s["status"] == status)
    # Words typed with a Chinese input method's full-width digits find what the ASCII ones do.
    words = re.search(r"[^\s\d]{1,4}\d+[^\s\d]{0,4}", shown.first.inner_text())
    assert words is not None  # the demo's institutions are numbered (第2医院)
    page.fill("form[data-filter] input[name=q]", words[0])
    page.wait_for_timeout(200)
    found = shown.count()
    wide = re.sub(r"\d", lambda digit: chr(ord(digit[0]) + 0xFEE0), words[0])
    page.fill("form[data-filter] input[name=q]", wide)
    page.wait_for_timeout(200)
    assert found >= 1 and shown.count() == found, (words[0], wide)


def test_clinician_finds_how_to_submit_and_reaches_the_project_form(
    sized_page, base_url: str, shot
) -> None:
    page = sized_page
    page.goto(base_url)
    page.locator("article").get_by_role("link", name="如何申报").first.click()
    page.wait_for_selector("#forms")
    shot(page, "journey-4-submit")
    assert_layout(page)
    # The intellectual-property example keeps its two lines.
    example = page.locator("pre", has_text="发明专利 | 一种可降解输尿管支架").first
    assert len(example.inner_text().strip().splitlines()) == 2
    page.get_by_role("link", name=forms.FORM_META["project"]["name"]).first.click()
    page.wait_for_url("https://github.com/**")
    assert _query(page.github[-1])["template"] == [form_file("project")]
