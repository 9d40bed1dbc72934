"""The site bench_1 built (build/bench/site: 20,000 projects, 5,000 enterprises): what it
weighs on disk and what a visitor downloads, measured in Debian's Chromium.

- the whole site (target ≤ 300 MB; GitHub Pages refuses a site over 1 GB), by part, and the
  record pages' average HTML (target ≤ 8 KB); the largest matching page (≤ 300 KB);
- the site served gzip-compressed, as GitHub Pages serves it: the catalogue's first visit,
  and the search's transfer per query over 50 queries, cold (a new visitor) and warm (the
  next query of the same visitor) (target ≤ 300 KB);
- search recall on the same 50 queries of 2–4 Chinese characters (target ≥ 95 %): every
  record whose title, institution, text fields or labels (province, status, class …)
  contain the query, against what the search page's own query finds; and the same for an
  index built from the readable text with Pagefind 1.5's Chinese segmentation, the
  alternative the character pairs were measured against.

Figures are printed, never asserted. Run after bench_1 (`make bench`, or
`python bench/run.py 1_build 2_site`).
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote, urlsplit

from common import BENCH_DIR, show

from springrain.model.kinds import record_kinds
from springrain.site import search_index
from springrain.site.views import label

# Another built site (the demo's, say) with BENCH_SITE and BENCH_PACKAGE.
SITE = Path(os.environ.get("BENCH_SITE") or BENCH_DIR / "site")
PACKAGE = Path(os.environ.get("BENCH_PACKAGE") or BENCH_DIR / "package")
CHROMIUM = "/usr/bin/chromium"
MB = 2**20

# 50 queries of 2–4 Chinese characters a visitor might type: organs, techniques and devices
# (whole words and pieces of longer ones: 降解 of 可降解镁合金), a status and provinces.
QUERIES = [
    "心脏", "冠状动脉", "脑血管", "肺部", "膝关节", "脊柱", "眼底", "牙周", "气道", "膀胱",
    "乳腺", "甲状腺", "颈动脉", "盆底", "听觉", "可降解", "降解镁", "镁合金", "柔性电子", "光声",
    "人工智能", "射频", "消融", "等离子", "打印", "水凝胶", "弹性成像", "微流控", "导航", "荧光",
    "记忆合金", "石墨烯", "脉冲", "相干", "负压", "纳米", "可穿戴", "机器人", "电刀", "支架",
    "导管", "监护仪", "穿刺针", "内窥镜", "输注泵", "人工晶体", "对接中", "已签约", "广东", "上海",
]  # fmt: skip
# Not searched for: machinery, dates, and the status history (events, not the record's text).
NOT_TEXT = {"id", "schema_version", "demo", "submitted", "submitted_by", "history",
            "regulatory_channels", "cmde_reported", "registration_date", "credit_code"}  # fmt: skip


# ---------------------------------------------------------------- serving, as Pages does


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Text files gzip-compressed when the browser accepts it (GitHub Pages does the same);
    Pagefind's files, already compressed, as they are. Counts the bytes it sent per path."""

    TEXT = (".html", ".css", ".js", ".json", ".xml", ".txt", ".svg")
    cache: ClassVar[dict[str, bytes]] = {}

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (
            path.suffix in self.TEXT
            and "gzip" in self.headers.get("Accept-Encoding", "")
            and path.is_file()
        ):
            key = str(path)
            if key not in self.cache:
                self.cache[key] = gzip.compress(path.read_bytes(), 6)
            body = self.cache[key]
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    handler = functools.partial(GzipHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# ---------------------------------------------------------------- truth


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    return []


VOCABS = {
    "province": "provinces", "status": "statuses", "product_class": "classes",
    "project_type": "project_types", "stage": "stages", "category": "categories",
    "fields": "categories", "device_classes": "device_classes",
    "cooperation_modes": "cooperation_modes", "cooperation_modes_sought": "cooperation_modes",
    "regions": "provinces", "specialised": "specialised_levels",
}  # fmt: skip


def searchable(record: dict[str, Any]) -> str:
    """The text a query should find a record by: every written field (title, institution,
    the text fields, lists of names) and the labels of its coded fields."""
    parts = []
    for key, value in record.items():
        if key in NOT_TEXT:
            continue
        if key in VOCABS:
            values = value if isinstance(value, list) else [value]
            parts += [label(VOCABS[key], v) for v in values if v]
        else:
            parts += _strings(value)
    return "\n".join(parts)


def truth(package: Path) -> dict[str, set[str]]:
    """Query → the pages (projects/ID.html, enterprises/ID.html) that contain it."""
    texts = {}
    for kind in ("project", "enterprise"):
        plural = record_kinds()[kind].plural
        for record in json.loads((package / f"{plural}.json").read_text(encoding="utf-8")):
            texts[f"{plural}/{record['id']}.html"] = searchable(record)
    return {q: {page for page, text in texts.items() if q in text} for q in QUERIES}


# ---------------------------------------------------------------- the alternative index


def segmented_stub(kind: str, record: dict[str, Any]) -> str:
    """The record's readable text for Pagefind to segment itself (Chinese, not pairs)."""
    from markupsafe import escape

    title = str(record.get(search_index.TITLE_FIELD[kind]) or record["id"])
    return (
        f'<!doctype html><html lang="zh-cn"><head><meta charset="utf-8"><title>{escape(title)}'
        f"</title></head><body><h1>{escape(title)}</h1><div data-pagefind-body>"
        f"<p>{escape(searchable(record))}</p></div></body></html>"
    )


def build_segmented(package: Path, out: Path) -> float:
    import time

    stubs = out / "stubs"
    for kind in ("project", "enterprise"):
        plural = record_kinds()[kind].plural
        (stubs / plural).mkdir(parents=True, exist_ok=True)
        for record in json.loads((package / f"{plural}.json").read_text(encoding="utf-8")):
            (stubs / plural / f"{record['id']}.html").write_text(
                segmented_stub(kind, record), encoding="utf-8"
            )
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(stubs), "--output-path",
         str(out / "pagefind"), "--glob", "{projects,enterprises}/*.html", "--force-language", "zh",
         "--silent"],
        check=True,
    )  # fmt: skip
    (out / "probe.html").write_text(
        '<!doctype html><html lang="zh-cn"><head><meta charset="utf-8"></head><body></body></html>',
        encoding="utf-8",
    )
    return time.perf_counter() - started


# ---------------------------------------------------------------- measuring in Chromium

FIND_ALL = """async ([queries, cut]) => {
  if (window.srSearch) await window.srSearch.loadAll();
  const pf = window.srSearch ? window.srSearch.pagefind : window.pf;
  const out = {};
  for (const q of queries) {
    const results = cut ? await window.srSearch.everyWord(window.srSearch.terms(q), "")
                        : (await pf.search(q)).results;
    const urls = [];
    for (let i = 0; i < results.length; i += 200) {
      const part = await Promise.all(results.slice(i, i + 200).map(r => r.data()));
      part.forEach(d => urls.push(d.raw_url || d.url));
    }
    out[q] = urls;
  }
  return out;
}"""


def _page_of(url: str) -> str:
    path = urlsplit(url).path
    folder, _, name = path.rstrip("/").rpartition("/")
    return f"{folder.rsplit('/', 1)[-1]}/{name}"


def recall(found: dict[str, list[str]], expected: dict[str, set[str]]) -> dict[str, Any]:
    per_query, hit, wanted, returned, relevant = {}, 0, 0, 0, 0
    for q in QUERIES:
        got = {_page_of(u) for u in found.get(q, [])}
        want = expected[q]
        if want:
            per_query[q] = len(got & want) / len(want)
        hit += len(got & want)
        wanted += len(want)
        returned += len(got)
        relevant += len(got & want)
    return {
        "micro": hit / wanted if wanted else 0.0,
        "macro": statistics.mean(per_query.values()) if per_query else 0.0,
        "worst": sorted(per_query.items(), key=lambda kv: kv[1])[:3],
        "below": sum(1 for v in per_query.values() if v < 0.95),
        "precision": relevant / returned if returned else 0.0,
    }


def transferred(responses: list[Any], part: str = "") -> int:
    total = 0
    for response in responses:
        if part and part not in response.url:
            continue
        with contextlib.suppress(Exception):  # a response the page dropped
            total += response.request.sizes()["responseBodySize"]
    return total


def main() -> None:
    if not (SITE / "index.html").is_file():
        raise SystemExit(f"{SITE} is missing: run bench_1 first (python bench/run.py 1_build)")
    # ------------------------------------------------------------ on disk
    files = [p for p in SITE.rglob("*") if p.is_file()]
    total = sum(p.stat().st_size for p in files)
    show("site size", f"{total / MB:.0f} MB in {len(files):,} files", "target ≤ 300 MB")
    parts: dict[str, int] = {}
    for p in files:
        top = p.relative_to(SITE).parts[0] if len(p.relative_to(SITE).parts) > 1 else "(pages)"
        parts[top] = parts.get(top, 0) + p.stat().st_size
    show(
        "  by part",
        ", ".join(f"{k} {v / MB:.1f} MB" for k, v in sorted(parts.items(), key=lambda kv: -kv[1])),
    )
    sizes = {
        kind.plural: [p.stat().st_size for p in (SITE / kind.plural).glob("*.html")]
        for kind in record_kinds().values()
        if (SITE / kind.plural).is_dir()
    }
    every = [s for values in sizes.values() for s in values]
    show(
        "record pages: average HTML",
        f"{statistics.mean(every) / 1024:.2f} KB over {len(every):,} pages ("
        + ", ".join(f"{k} {statistics.mean(v) / 1024:.2f} KB" for k, v in sizes.items())
        + ")",
        "target ≤ 8 KB",
    )
    matching = [p.stat().st_size for p in (SITE / "matching").glob("*.html")]
    if matching:
        show(
            "largest matching page",
            f"{max(matching) / 1024:.0f} KB of {len(matching)} pages",
            "target ≤ 300 KB",
        )

    if not Path(CHROMIUM).exists():
        show("browser figures", "skipped: /usr/bin/chromium is missing")
        return
    from playwright.sync_api import sync_playwright

    expected = truth(PACKAGE)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-zh-", dir=BENCH_DIR) as work:
        seconds = build_segmented(PACKAGE, Path(work))
        zh_bundle = Path(work) / "pagefind"
        zh_size = sum(p.stat().st_size for p in zh_bundle.rglob("*") if p.is_file())
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            with serving(SITE) as base:
                # -------------------------------------------- the catalogue, first visit
                context = browser.new_context(locale="zh-CN")
                page = context.new_page()
                responses: list[Any] = []
                page.on("response", lambda r: responses.append(r))
                page.goto(base + "catalogue.html")
                page.wait_for_selector("#sr-catalogue[data-ready=true]", timeout=60000)
                ready = page.get_attribute("#sr-catalogue", "data-ready-ms")
                show(
                    "catalogue: first visit transfer",
                    f"{transferred(responses) / 1024:.0f} KB in all, of which the index "
                    f"{transferred(responses, '/catalogue/projects.json') / 1024:.0f} KB; "
                    f"usable after {ready} ms",
                )
                context.close()
                # -------------------------------------------- search transfer, cold and warm
                cold, warm = [], []
                for q in QUERIES:
                    context = browser.new_context(locale="zh-CN")
                    page = context.new_page()
                    responses = []
                    page.on("response", lambda r, into=responses: into.append(r))
                    page.goto(base + "search.html?q=" + quote(q))
                    page.wait_for_selector("#sr-search[data-ready=true]", timeout=60000)
                    page.wait_for_load_state("networkidle")
                    cold.append(transferred(responses, "/pagefind/"))
                    context.close()
                context = browser.new_context(locale="zh-CN")
                page = context.new_page()
                page.goto(base + "search.html")
                page.wait_for_selector("#sr-search[data-loaded=true]", timeout=60000)
                for q in QUERIES:
                    responses = []

                    def listen(response: Any, into: list[Any] = responses) -> None:
                        into.append(response)

                    page.on("response", listen)
                    page.fill("#sr-search input[name=q]", q)
                    page.wait_for_function(
                        "q => document.querySelector('#sr-search').dataset.ready === 'true'"
                        " && new URLSearchParams(location.search).get('q') === q",
                        arg=q,
                        timeout=60000,
                    )
                    page.wait_for_load_state("networkidle")
                    page.remove_listener("response", listen)
                    warm.append(transferred(responses, "/pagefind/"))
                show(
                    "search transfer per query, a new visitor (Pagefind's script, wasm, index and the first results)",
                    f"median {statistics.median(cold) / 1024:.0f} KB, max {max(cold) / 1024:.0f} KB",
                    "target ≤ 300 KB",
                )
                show(
                    "  the next query of the same visitor",
                    f"median {statistics.median(warm) / 1024:.0f} KB, max {max(warm) / 1024:.0f} KB",
                )
                # -------------------------------------------- recall: character pairs
                found = page.evaluate(FIND_ALL, [QUERIES, True])
                context.close()
                pairs = recall(found, expected)
            with serving(Path(work)) as base:
                context = browser.new_context(locale="zh-CN")
                page = context.new_page()
                page.goto(base + "probe.html")
                page.evaluate(
                    "async () => { window.pf = await import('./pagefind/pagefind.js');"
                    " await window.pf.init(); }"
                )
                segmented = recall(page.evaluate(FIND_ALL, [QUERIES, False]), expected)
                context.close()
            browser.close()
    index_size = sum(p.stat().st_size for p in (SITE / "pagefind").rglob("*") if p.is_file())
    for name, result, size in (
        ("character pairs (chosen)", pairs, index_size),
        ("Pagefind 1.5 Chinese segmentation", segmented, zh_size),
    ):
        show(
            f"search recall, {len(QUERIES)} queries, {name}",
            f"{result['micro']:.1%} of the records that contain them "
            f"(mean per query {result['macro']:.1%}; {result['below']} queries below 95 %; "
            f"precision {result['precision']:.1%}; index {size / MB:.0f} MB)",
            "target ≥ 95 %",
        )
        show("  lowest", ", ".join(f"{q} {r:.0%}" for q, r in result["worst"]))
    show("  (segmented index built in)", f"{seconds:.1f} s")


main()
