"""The built site in Debian's Chromium: a walk through it, search, downloads, no external
request, hostile text inert, axe-core clean, every page type usable at 1366 and 375 px, the
page opened from disk, the 404 page. Screenshots go to tests/screenshots/ for a person to look
at; the four journeys of the site's users are in test_journeys.py."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from urllib.parse import quote

import pytest
from steps import assert_layout, choose, count, wait_directory

from sitepackage import HOSTILE_CITY, HOSTILE_ENTERPRISE, HOSTILE_PROJECT
from springrain.site import search_index
from springrain.site.views import label

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
    "matching-list": "{matching}",
    "statistics": "statistics.html",
    "stalled": "{stalled}",
    "data": "data.html",
    "search": "search.html?q=" + quote("支架"),
    "submit": "submit.html",
    "about": "about.html",
    "missing": "no-such-page.html",
}


def _path(demo_site: Path, demo_package: Path, kind: str) -> str:
    projects = json.loads((demo_package / "projects.json").read_text(encoding="utf-8"))
    enterprises = json.loads((demo_package / "enterprises.json").read_text(encoding="utf-8"))
    listing = next(
        p.relative_to(demo_site).as_posix()
        for p in sorted((demo_site / "matching").glob("*-*.html"))
        if "推荐企业" in p.read_text(encoding="utf-8")
    )
    stalled = sorted((demo_site / "statistics").glob("stalled-*.html"))[0]
    return PAGE_TYPES[kind].format(
        project=next(p["id"] for p in projects if not p["id"].endswith("9999")),
        enterprise=next(e["id"] for e in enterprises if not e["id"].endswith("9999")),
        matching=listing,
        stalled=stalled.relative_to(demo_site).as_posix(),
    )


def _ready(page, kind: str) -> None:
    if kind in ("catalogue", "enterprises"):
        wait_directory(page)
    if kind == "search":
        page.wait_for_selector("#sr-search[data-ready=true] .sr-hit", timeout=10000)


def test_walk_home_catalogue_filter_project_enterprise(page, base_url: str, shot) -> None:
    page.goto(base_url)
    assert "示例数据，均为虚构" in page.inner_text("body")
    shot(page, "01-home")
    page.get_by_role("link", name="项目目录", exact=True).first.click()
    wait_directory(page)
    shot(page, "02-catalogue")
    total = count(page)
    choose(page, "province", "GD")
    filtered = count(page)
    assert 0 < filtered < total
    # The view lives in the URL: reloading it gives the same list.
    page.reload()
    wait_directory(page)
    assert page.locator("input[name=province][value=GD]").is_checked()
    assert count(page) == filtered
    if not page.locator("[data-sr=next]").is_disabled():
        page.click("[data-sr=next]")
        page.wait_for_function("location.search.includes('page=2')")
    shot(page, "03-catalogue-filtered")
    page.locator(".sr-results tbody a").first.click()
    page.wait_for_selector("h1#title")
    assert "/projects/GD-" in page.url
    assert page.locator(".sr-timeline li").count() >= 1
    assert page.locator("#path").count() == 1
    shot(page, "04-project")
    if page.locator(".sr-suggest a").count():
        page.locator(".sr-suggest a").first.click()
    else:
        page.goto(base_url + "enterprises.html")
        wait_directory(page)
        page.locator(".sr-results tbody a").first.click()
    page.wait_for_selector("h1#title")
    assert "/enterprises/ENT-" in page.url
    shot(page, "05-enterprise")


def test_chinese_search_groups_highlights_and_finds_labels(page, base_url: str, shot) -> None:
    page.goto(base_url + "search.html")
    page.wait_for_selector("#sr-search[data-loaded=true]")
    page.fill("#sr-search input[name=q]", "支架")
    page.wait_for_selector("#sr-search[data-ready=true] .sr-hit", timeout=10000)
    tabs = page.locator(".sr-tabs button")
    assert tabs.first.inner_text().startswith("项目")  # projects first for a project word
    first = page.locator(".sr-hit").first
    assert "项目" in first.locator(".sr-badges").inner_text()
    assert first.locator(".sr-excerpt mark").first.inner_text() in ("支架", "支", "架")
    shot(page, "06-search")
    # A province word finds that province's records.
    page.fill("#sr-search input[name=q]", "广东")
    page.wait_for_function(
        "document.querySelector('#sr-search').dataset.ready === 'true'"
        " && new URLSearchParams(location.search).get('q') === '广东'"
    )
    assert "广东省" in page.locator(".sr-hit").first.locator(".sr-badges").inner_text()


def test_a_longer_query_searches_fewer_pairs_and_is_marked_whole(page, base_url: str) -> None:
    page.goto(base_url + "search.html")
    page.wait_for_selector("#sr-search[data-loaded=true]")
    terms = page.evaluate(
        "qs => qs.map(q => window.srSearch.terms(q))",
        ["支架", "脑血管", "人工晶体", "可降解镁合", "PEEK 椎间融合器"],
    )
    # Runs of four or more characters: only the pairs that cover them (each a download
    # less); shorter runs: every pair, as the index holds them.
    assert terms == ["支架", "脑血 血管", "人工 晶体", "可降 解镁 镁合", "peek 椎间 融合 合器"]
    # The excerpt is still found by every pair of the query, in order, and marked whole.
    marked = page.evaluate(
        "q => window.srSearch.readable(window.srSearch.excerptTokens("
        "'标题 ¶ 本产 产品 品用 用于 于人 人工 工晶 晶体 体置 置换 · 人工 工智 智能', q))"
        ".filter(p => p[1]).map(p => p[0])",
        "人工晶体",
    )
    assert marked == ["人工晶体"]


def test_every_word_must_be_found_even_where_a_bundle_lacks_one(page, base_url: str) -> None:
    # Pagefind drops a query word that no page of a bundle holds: the enterprises' bundle has
    # no "gd" (an id prefix of Guangdong's projects), so it would answer "gd 医疗" with every
    # enterprise holding 医疗. Only pages holding both words may come back.
    page.goto(base_url + "search.html")
    page.wait_for_selector("#sr-search[data-loaded=true]")
    urls = page.evaluate(
        "async () => { await window.srSearch.loadAll();"
        " const plain = (await window.srSearch.pagefind.search('gd 医疗')).results;"
        " const hits = await window.srSearch.everyWord('gd 医疗', '');"
        " const data = await Promise.all(hits.map(r => r.data()));"
        " return [plain.length, data.map(d => d.url)]; }"
    )
    plain, found = urls
    assert found and all("/projects/GD-" in url for url in found), found
    assert plain > len(found)  # what Pagefind alone would have answered
    # A word repeated is one word: 支架支架支架 asks for 支架 once, and finds what 支架 finds.
    counts = page.evaluate(
        "async () => [(await window.srSearch.everyWord('支架 支架 支架', '')).length,"
        " (await window.srSearch.pagefind.search('支架')).results.length]"
    )
    assert counts[0] == counts[1] > 0


def _wide(text: str) -> str:
    """``text`` as a Chinese input method types it in full-width mode."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def _index_words(text: str) -> list[str]:
    """The words the index holds for ``text`` (search_terms, without the marks between
    runs), in lower case as Pagefind stores them."""
    terms = search_index.search_terms(text).split()
    return [w.lower() for w in terms if search_index.WORD_CHAR.match(w)]


def test_the_query_is_read_as_the_index_reads_the_text(page, base_url: str) -> None:
    """One rule on both sides (search_index.fold): each character as its NFKC form. The
    page's words for every character Python knows, and for text that mixes them, are the
    index's words for it."""
    page.goto(base_url + "search.html")
    page.wait_for_selector("#sr-search[data-loaded=true]")
    samples = [
        chr(point)
        for point in range(search_index.FOLDED_PLANES << 16)
        if not 0xD800 <= point < 0xE000 and unicodedata.category(chr(point)) != "Cn"
    ]
    samples += [
        "Ｓｉｅｍｅｎｓ",
        "ＳＨ－２０２６－００８７",
        "３Ｄ打印",
        "ⅢＡ期①号，５０㎏（\uf900）",
        "Ａ\u0301",
        "可降解镁合金支架，用于脑血管 PD-1 检测",
    ]
    got = page.evaluate("qs => qs.map(q => window.srSearch.pairs(q))", samples)
    differ = [
        (hex(ord(s)) if len(s) == 1 else s, words, _index_words(s))
        for s, words in zip(samples, got, strict=True)
        if words != _index_words(s)
    ]
    assert not differ, differ[:20]
    assert page.evaluate("q => window.srSearch.terms(q)", "３Ｄ打印") == "3d 打印"


def _search(page, query: str) -> tuple[list[str], list[str]]:
    """Type ``query`` into the search box: the results' links and the tabs shown."""
    page.fill("#sr-search input[name=q]", query)
    page.wait_for_function(
        "q => document.querySelector('#sr-search').dataset.ready === 'true'"
        " && new URLSearchParams(location.search).get('q') === q",
        arg=query,
    )
    links = page.locator(".sr-hit h3 a").evaluate_all("as => as.map(a => a.href)")
    tabs = page.locator(".sr-tabs:not([hidden]) button").all_inner_texts()
    return links, tabs


def test_full_width_queries_find_what_their_ascii_finds(
    page, base_url: str, demo_package: Path
) -> None:
    projects = json.loads((demo_package / "projects.json").read_text(encoding="utf-8"))
    record = next(p["id"] for p in projects if p["id"] != HOSTILE_PROJECT)
    page.goto(base_url + "search.html")
    page.wait_for_selector("#sr-search[data-loaded=true]")
    for narrow in (record, "GD 支架"):
        links, tabs = _search(page, _wide(narrow))
        assert links and (links, tabs) == _search(page, narrow), narrow
    assert any(record in link for link in _search(page, _wide(record))[0])


def test_a_refused_query_leaves_nothing_of_the_one_before(page, base_url: str) -> None:
    page.goto(base_url + "search.html")
    page.wait_for_selector("#sr-search[data-loaded=true]")
    links, tabs = _search(page, "支架")
    assert links and tabs
    # Nothing to search for: no word, once read as the index reads text.
    assert _search(page, "？！——") == ([], [])
    assert page.inner_text("[data-sr=status]") == "请输入中文词语、英文单词或数字。"
    assert page.locator(".sr-hit").count() == 0
    assert page.locator("[data-sr=more]").is_hidden()


# What the directories' keyword reads of a record besides its name and id: the words of
# some fields and the labels of its vocabulary codes, as the site's search finds it by them.
KEYWORD_READS = {
    "project": {
        "institution": None,
        "city": None,
        "province": "provinces",
        "status": "statuses",
        "product_class": "classes",
        "stage": "stages",
        "project_type": "project_types",
        "category": "categories",
        "cooperation_modes_sought": "cooperation_modes",
    },
    "enterprise": {
        "province": "provinces",
        "regions": "provinces",
        "fields": "categories",
        "device_classes": "device_classes",
        "cooperation_modes": "cooperation_modes",
        "specialised": "specialised_levels",
    },
}


def _keyword_holds(kind: str, record: dict, query: str) -> bool:
    """Whether the directory's keyword ``query`` finds ``record``: each of its words in the
    record's name, id or one of the texts and labels it reads, full-width forms as ASCII."""
    texts = [record.get("project_name" if kind == "project" else "name", ""), record["id"]]
    for name, vocab in KEYWORD_READS[kind].items():
        values = record.get(name)
        for value in values if isinstance(values, list) else [values]:
            if value:
                texts.append(label(vocab, value) if vocab else str(value))
    folded = [unicodedata.normalize("NFKC", text).lower() for text in texts]
    words = unicodedata.normalize("NFKC", query).lower().split()
    return all(any(word in text for text in folded) for word in words)


def _type_keyword(page, query: str) -> int:
    """Type ``query`` into the directory's keyword box: the number of records it lists."""
    page.fill("#sr-catalogue input[name=q]", query)
    page.wait_for_function(
        "q => new URLSearchParams(location.search).get('q') === q", arg=query, timeout=10000
    )
    wait_directory(page)
    return count(page)


def test_the_directory_keyword_reads_full_width_forms_as_ascii(
    page, base_url: str, demo_package: Path
) -> None:
    # Ids as a Chinese input method types them in full-width mode.
    for path, name in (
        ("catalogue.html", "projects.json"),
        ("enterprises.html", "enterprises.json"),
    ):
        records = json.loads((demo_package / name).read_text(encoding="utf-8"))
        page.goto(base_url + path)
        wait_directory(page)
        record = records[0]["id"]
        assert _type_keyword(page, _wide(record)) == 1, path
        assert page.locator(".sr-results tbody td").first.inner_text() == record


def test_the_directory_keyword_finds_provinces_and_statuses(
    page, base_url: str, demo_package: Path
) -> None:
    projects = json.loads((demo_package / "projects.json").read_text(encoding="utf-8"))
    page.goto(base_url + "catalogue.html")
    wait_directory(page)
    for query in ("北京", "福建省", "已签约", "入库", "对接中", "第二类", "广东 对接中", "入围"):
        wanted = sum(_keyword_holds("project", p, query) for p in projects)
        assert wanted and _type_keyword(page, query) == wanted, query
    enterprises = json.loads((demo_package / "enterprises.json").read_text(encoding="utf-8"))
    page.goto(base_url + "enterprises.html")
    wait_directory(page)
    for query in ("广东", "专精特新"):
        wanted = sum(_keyword_holds("enterprise", e, query) for e in enterprises)
        assert wanted and _type_keyword(page, query) == wanted, query


def test_a_keyword_that_finds_nothing_points_to_the_filters_and_search(page, base_url: str) -> None:
    query = "没有这样的词"
    for path, filters in (("catalogue.html", "“省份”“当前状态”"), ("enterprises.html", "“省份”")):
        page.goto(base_url + path + "?q=" + quote(query))
        wait_directory(page)
        assert count(page) == 0
        hint = page.locator("[data-sr=empty] [data-sr=hint]")
        assert f"筛选条件中的{filters}，或用搜索页查找“{query}”" in hint.inner_text(), path
        hint.get_by_role("link", name="搜索").click()
        page.wait_for_selector("#sr-search[data-ready=true]")
        assert page.locator("#sr-search input[name=q]").input_value() == query


def test_every_download_opens(page, base_url: str, shot) -> None:
    page.goto(base_url + "data.html")
    links = page.eval_on_selector_all("a[download]", "els => els.map(e => e.href)")
    assert len(links) >= 3
    for link in links:
        assert page.request.get(link).status == 200, link
    schema = page.inner_text("script[type='application/ld+json']")
    assert json.loads(schema)["@type"] == "Dataset"
    shot(page, "07-data")


def test_hostile_text_stays_text(page, base_url: str, demo_site: Path, shot) -> None:
    listing = next(
        p.relative_to(demo_site).as_posix()
        for p in sorted((demo_site / "matching").glob("*.html"))
        if f'id="{HOSTILE_PROJECT}"' in p.read_text(encoding="utf-8")
    )
    visits = [
        f"projects/{HOSTILE_PROJECT}.html",
        f"enterprises/{HOSTILE_ENTERPRISE}.html",
        "index.html",
        listing,
        "catalogue.html?q=" + quote("恶意"),
        "enterprises.html?q=" + quote("恶意"),
    ]
    for path in visits:
        page.goto(base_url + path)
        if "catalogue" in path or "enterprises.html" in path:
            wait_directory(page)
            assert page.locator(".sr-results tbody tr").count() >= 1
        page.wait_for_timeout(150)
        assert page.locator(INJECTED).count() == 0, path
        body = page.inner_text("body")
        assert '<script>alert("xss")</script>' in body, path
        assert "49" not in body.split("{{ 7*7 }}")[0][-5:], path
    page.goto(base_url + "search.html?q=" + quote("恶意"))
    page.wait_for_selector("#sr-search[data-ready=true] .sr-hit", timeout=10000)
    assert page.locator(INJECTED).count() == 0
    assert '<script>alert("xss")</script>' in page.inner_text("#sr-search")
    page.goto(base_url + f"projects/{HOSTILE_PROJECT}.html")
    assert "{{ 7*7 }}" in page.inner_text("h1")
    shot(page, "08-hostile-project")


def test_odd_values_in_a_link_still_show_the_directory_and_search(page, base_url: str) -> None:
    """A filter value is taken whole before it is taken as a list (a city may hold a
    comma); a sort or a type that is no own key of the page's tables is none."""
    page.goto(base_url + "catalogue.html?city=" + quote(HOSTILE_CITY))
    wait_directory(page)
    rows = page.locator(".sr-results tbody tr")
    assert rows.count() == 1 and HOSTILE_PROJECT in rows.first.inner_text()
    for sort in ("__proto__", "constructor", "toString"):
        page.goto(base_url + "catalogue.html?sort=" + sort)
        wait_directory(page)
        assert page.locator(".sr-results tbody tr").count() >= 1, sort
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base_url + "search.html?q=" + quote("恶意") + "&type=__proto__")
    page.wait_for_selector("#sr-search[data-ready=true] .sr-hit", timeout=10000)
    assert not errors


def test_a_long_unbroken_value_wraps_in_search_results(sized_page, base_url: str, shot) -> None:
    page = sized_page
    page.goto(base_url + "search.html?q=" + quote("恶意"))
    page.wait_for_selector("#sr-search[data-ready=true] .sr-hit", timeout=10000)
    shot(page, "11-search-long-value")
    assert_layout(page)


def test_a_long_unbroken_value_wraps_in_the_directory(sized_page, base_url: str, shot) -> None:
    """A city of 120 unbroken letters on the list's page: the table stays on the screen, at
    a desk as on a phone."""
    page = sized_page
    page.goto(base_url + "catalogue.html?city=" + quote(HOSTILE_CITY))
    wait_directory(page)
    shot(page, "11-catalogue-long-value")
    assert_layout(page)


@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_axe_finds_no_serious_violation(
    page, base_url: str, demo_site: Path, demo_package: Path, kind: str
) -> None:
    if not AXE.is_file():
        pytest.skip("axe-core is not installed (npm ci)")
    page.goto(base_url + _path(demo_site, demo_package, kind))
    _ready(page, kind)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, bad


@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_no_horizontal_scroll_nor_clipped_table(
    sized_page, base_url: str, demo_site: Path, demo_package: Path, kind: str, shot
) -> None:
    page = sized_page
    page.goto(base_url + _path(demo_site, demo_package, kind))
    _ready(page, kind)
    shot(page, f"10-{kind}")
    assert_layout(page)
    if kind == "catalogue" and page.width < 400:
        # On a phone each project is a card with every field reachable.
        card = page.locator(".sr-results tbody tr").first
        assert card.locator("td").count() == page.locator(".sr-results thead th").count()
        assert card.locator("a").is_visible()


def test_a_page_opened_from_disk_says_how_to_open_it(page, demo_site: Path, shot) -> None:
    page.goto((demo_site / "catalogue.html").as_uri())
    page.wait_for_selector(".sr-filenote")
    assert "make serve" in page.inner_text(".sr-filenote")
    assert "make serve" in page.inner_text("[data-sr=count]")
    page.goto((demo_site / "index.html").as_uri())
    page.wait_for_selector(".sr-filenote")
    shot(page, "11-file-url")
    page.requests.clear()  # file:// requests are not the site's


def test_missing_page_is_chinese_with_working_links(page, base_url: str, shot) -> None:
    response = page.goto(base_url + "projects/XX-0000-0000.html")
    assert response.status == 404
    assert "找不到该页面" in page.inner_text("h1")
    shot(page, "12-not-found")
    page.locator("article").get_by_role("link", name="项目目录", exact=True).click()
    wait_directory(page)
    assert page.url.startswith(base_url)
