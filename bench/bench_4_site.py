"""The whole pipeline and the site at 20,000 projects and 5,000 enterprises.

Prints: full build time (validate, package, match, statistics, site with search index — each
step that exists as a command), site size, the catalogue page's compressed transfer and the
transfer of one Chinese search measured in Chromium. Targets: build ≤ 60 s, catalogue
≤ 300 KB compressed and usable within 1 s, one search ≤ 500 KB.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from common import BENCH_DIR, demo_dataset

from springrain.cli import cli
from springrain.demo import TECHS
from springrain.site.devpackage import write_package

PROJECTS = int(os.environ.get("BENCH_SITE_PROJECTS", "20000"))
ENTERPRISES = int(os.environ.get("BENCH_SITE_ENTERPRISES", "5000"))
CHROMIUM = "/usr/bin/chromium"

data = demo_dataset(PROJECTS, ENTERPRISES, PROJECTS // 10)
package = BENCH_DIR / f"site-package-{PROJECTS}"
site = BENCH_DIR / f"site-{PROJECTS}"
springrain = [sys.executable, "-m", "springrain"]


def step(label: str, *args: str) -> float:
    started = time.perf_counter()
    done = subprocess.run([*springrain, *args], capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    print(f"   {label}: {seconds:.2f} s (exit {done.returncode})", flush=True)
    if done.returncode not in (0, 1):
        print("   " + (done.stderr or done.stdout).strip().replace("\n", "\n   ")[-800:])
    return seconds


total = step("validate", "validate", "--data", str(data), "--demo")
if "package" in cli.commands:
    total += step("package", "package", "--data", str(data), "--out", str(package))
else:
    from springrain.demo import generate

    shutil.rmtree(package, ignore_errors=True)
    write_package(generate(PROJECTS, ENTERPRISES, PROJECTS // 10, 7), package)
    print("   package: (no springrain package yet; stand-in package, not timed)")
for name in ("match", "stats"):
    if name in cli.commands:
        total += step(name, name, "--package", str(package))
    else:
        print(f"   {name}: (command not available yet)")
total += step(
    "site + search index", "site", "--package", str(package), "--out", str(site), "--demo"
)
print(f"   full build: {total:.1f} s; target ≤ 60 s")

size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
files = sum(1 for p in site.rglob("*") if p.is_file())
print(f"   site size: {size / 2**20:.0f} MB in {files} files")

# The catalogue page and what it loads, gzip-compressed as a web server would send them.
html = (site / "catalogue.html").read_text(encoding="utf-8")
loaded = [site / "catalogue.html", site / "catalogue" / "index.json"]
loaded += [site / ref for ref in re.findall(r'(?:href|src)="([^"#?]+\.(?:css|js))"', html)]
compressed = {p.name: len(gzip.compress(p.read_bytes(), 6)) for p in loaded if p.is_file()}
print(
    f"   catalogue transfer: {sum(compressed.values()) / 1024:.0f} KB compressed "
    f"(index {compressed['index.json'] / 1024:.0f} KB); target ≤ 300 KB"
)

if Path(CHROMIUM).exists():
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        started = time.perf_counter()
        page.goto(base + "catalogue.html")
        page.wait_for_selector("#sr-catalogue[data-ready=true]")
        print(f"   catalogue usable after {time.perf_counter() - started:.2f} s in Chromium")
        sizes: list[int] = []
        page.on(
            "response", lambda r: sizes.append(len(r.body())) if "/pagefind/" in r.url else None
        )
        page.goto(base + "search.html")
        sizes.clear()  # count the query, not the search page's own script and stylesheet
        page.fill(".pagefind-ui__search-input", TECHS[1])
        page.wait_for_selector(".pagefind-ui__result")
        page.wait_for_load_state("networkidle")
        print(
            f"   one search ({TECHS[1]}): {sum(sizes) / 1024:.0f} KB over {len(sizes)} "
            "requests; target ≤ 500 KB"
        )
        browser.close()
    server.shutdown()
