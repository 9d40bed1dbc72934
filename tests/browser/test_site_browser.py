"""The built site in Debian's Chromium: the walk a visitor takes, search, downloads, no
external request, hostile text inert, axe-core clean, usable at 375 px. Screenshots go to
tests/screenshots/ for a person to look at."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from urllib.parse import quote

import pytest

from sitepackage import HOSTILE_ENTERPRISE, HOSTILE_PROJECT
from springrain.demo import TECHS

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
INJECTED = "#sr-injected, #sr-injected-link, svg[onload], img[onerror], a[href^='javascript:']"
PAGE_TYPES = {
    "home": "index.html",
    "catalogue": "catalogue.html",
    "project": "projects/{project}.html",
    "enterprise": "enterprises/{enterprise}.html",
    "enterprises": "enterprises.html",
    "matching": "matching.html",
    "statistics": "statistics.html",
    "data": "data.html",
    "search": "search.html",
    "about": "about.html",
}


def _first(demo_site: Path, name: str) -> str:
    records = json.loads((demo_site / "data" / name).read_text(encoding="utf-8"))
    return next(r["id"] for r in records if not r["id"].endswith("9999"))


def _wait_catalogue(page) -> None:
    page.wait_for_selector("#sr-catalogue[data-ready=true]", timeout=5000)


def test_walk_home_catalogue_filter_project_enterprise(page, base_url: str, shot) -> None:
    page.goto(base_url)
    assert "示例数据，均为虚构" in page.inner_text("body")
    shot(page, "01-home")
    page.get_by_role("link", name="项目目录", exact=True).first.click()
    _wait_catalogue(page)
    shot(page, "02-catalogue")
    total = int(page.inner_text("[data-sr=count]").split()[1])
    page.select_option("select[name=province]", "GD")
    page.wait_for_function("location.search.includes('province=GD')")
    filtered = int(page.inner_text("[data-sr=count]").split()[1])
    assert 0 < filtered < total
    # The view lives in the URL: reloading it gives the same list.
    page.reload()
    _wait_catalogue(page)
    assert page.input_value("select[name=province]") == "GD"
    assert int(page.inner_text("[data-sr=count]").split()[1]) == filtered
    page.click("[data-sr=next] >> nth=0")
    page.wait_for_function("location.search.includes('page=2')")
    shot(page, "03-catalogue-filtered")
    page.locator(".sr-results tbody a").first.click()
    page.wait_for_selector("h1#title")
    assert "/projects/GD-" in page.url
    assert page.locator(".sr-timeline li").count() >= 1
    assert page.locator("#path").count() == 1
    shot(page, "04-project")
    suggestion = page.locator("#suggestions ~ ol a, .sr-fields a").first
    if page.locator("#suggestions ~ ol a").count():
        suggestion = page.locator("#suggestions ~ ol a").first
    else:
        page.goto(base_url + "enterprises.html")
        suggestion = page.locator("a[href^='enterprises/']").first
    suggestion.click()
    page.wait_for_selector("h1#title")
    assert "/enterprises/ENT-" in page.url
    shot(page, "05-enterprise")


def test_chinese_search(page, base_url: str, shot) -> None:
    pagefind_bytes = []

    def size(response) -> None:
        if "/pagefind/" in response.url:
            # The page may close first: then there is nothing left to count.
            with contextlib.suppress(Exception):
                pagefind_bytes.append(len(response.body()))

    page.on("response", size)
    page.goto(base_url + "search.html")
    page.fill(".pagefind-ui__search-input", TECHS[0])
    page.wait_for_selector(".pagefind-ui__result-link", timeout=10000)
    page.wait_for_load_state("networkidle")
    assert page.locator(".pagefind-ui__result").count() >= 1
    assert TECHS[0] in page.inner_text(".pagefind-ui__results")
    shot(page, "06-search")
    print(f"search transfer for one query: {sum(pagefind_bytes) / 1024:.0f} KB")


def test_every_download_opens(page, base_url: str, shot) -> None:
    page.goto(base_url + "data.html")
    links = page.eval_on_selector_all("a[download]", "els => els.map(e => e.href)")
    assert len(links) >= 5
    for link in links:
        assert page.request.get(link).status == 200, link
    schema = page.inner_text("script[type='application/ld+json']")
    assert json.loads(schema)["@type"] == "Dataset"
    shot(page, "07-data")


def test_hostile_text_stays_text(page, base_url: str, shot) -> None:
    visits = [
        f"projects/{HOSTILE_PROJECT}.html",
        f"enterprises/{HOSTILE_ENTERPRISE}.html",
        "index.html",
        "matching.html",
        "enterprises.html",
        "catalogue.html?q=" + quote("恶意"),
    ]
    for path in visits:
        page.goto(base_url + path)
        if "catalogue" in path:
            _wait_catalogue(page)
            assert page.locator(".sr-results tbody tr").count() >= 1
        page.wait_for_timeout(150)
        assert page.locator(INJECTED).count() == 0, path
        body = page.inner_text("body")
        assert '<script>alert("xss")</script>' in body, path
        assert "49" not in body.split("{{ 7*7 }}")[0][-5:], path
    page.goto(base_url + "search.html?q=" + quote("恶意"))
    page.wait_for_selector(".pagefind-ui__result-link", timeout=10000)
    assert page.locator(INJECTED).count() == 0
    assert '<script>alert("xss")</script>' in page.inner_text("#sr-search")
    page.goto(base_url + f"projects/{HOSTILE_PROJECT}.html")
    assert "{{ 7*7 }}" in page.inner_text("h1")
    shot(page, "08-hostile-project")


@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_axe_finds_no_serious_violation(page, base_url: str, demo_site: Path, kind: str) -> None:
    path = PAGE_TYPES[kind].format(
        project=_first(demo_site, "projects.json"), enterprise=_first(demo_site, "enterprises.json")
    )
    page.goto(base_url + path)
    if kind == "catalogue":
        _wait_catalogue(page)
    if kind == "search":
        page.fill(".pagefind-ui__search-input", TECHS[0])
        page.wait_for_selector(".pagefind-ui__result-link", timeout=10000)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, bad


@pytest.mark.parametrize("kind", ["catalogue", "project"])
def test_usable_at_375_px(browser, base_url: str, demo_site: Path, kind: str, shot) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
    page = context.new_page()
    path = PAGE_TYPES[kind].format(project=_first(demo_site, "projects.json"), enterprise="")
    page.goto(base_url + path)
    if kind == "catalogue":
        _wait_catalogue(page)
        page.select_option("select[name=status]", index=1)
        page.wait_for_function("location.search.includes('status=')")
        assert page.locator(".sr-results tbody a").first.is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    shot(page, f"09-mobile-{kind}")
    context.close()
    assert width <= 375, f"page is {width}px wide at a 375px viewport"
