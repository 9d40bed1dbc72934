"""A small demo site built once per session, served on 127.0.0.1 as `make serve` serves it
(under the path the published site has), and Debian's Chromium.

The package is built by the real pipeline; then a hostile project and enterprise are added
before the site is built, as if they had slipped past validation. GitHub is never reached:
a page that follows a link to the repository's forms gets a stub page instead, and the test
reads the address it asked for."""

from __future__ import annotations

import contextlib
import io
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sitepackage import add_hostile
from springrain.cli import main
from springrain.config import settings
from springrain.demo import generate, write
from springrain.site import search_index
from springrain.site.build import build_site
from springrain.site.serve import address, make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"
WIDTHS = {"desktop": (1366, 900), "mobile": (375, 740)}
GITHUB = "https://github.com/"
STUB = "<!doctype html><html lang='zh'><head><meta charset='utf-8'><title>GitHub 表单（测试替身）</title></head><body><h1>GitHub</h1></body></html>"


def _run(*args: str) -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(list(args))
    assert code == 0, out.getvalue()


@pytest.fixture(scope="session")
def demo_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    data, package = root / "data", root / "package"
    write(generate(projects=300, enterprises=60, cooperations=40, seed=11), data)
    _run("package", "--data", str(data), "--out", str(package), "--demo")
    add_hostile(package)
    return package


@pytest.fixture(scope="session")
def demo_site(demo_package: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built") / "site"
    # The projects' search index in two parts, as a large catalogue has it, so every search
    # test here also proves the parts are merged.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_index, "RECORDS_PER_BUNDLE", 200)
        build_site(demo_package, out, demo=True)
    assert (out / "pagefind" / "projects-2").is_dir()
    return out


@pytest.fixture(scope="session")
def base_url(demo_site: Path) -> Iterator[str]:
    prefix = settings().site_path
    server = make_server(demo_site, prefix, 18_000)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield address(server, prefix)
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _open(browser, base_url: str, width: int, height: int) -> tuple[object, object]:
    """A fresh context and page that record every request, answer GitHub with a stub, and
    fail the test on any dialog."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.requests = []  # type: ignore[attr-defined]
    page.github = []  # type: ignore[attr-defined]
    page.dialogs = []  # type: ignore[attr-defined]
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))

    def stub(route) -> None:
        page.github.append(route.request.url)
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=STUB)

    page.route(GITHUB + "**", stub)
    return context, page


def _close(context, page, base_url: str) -> None:
    external = [
        url for url in page.requests if not url.startswith(base_url) and url not in page.github
    ]
    dialogs = list(page.dialogs)
    context.close()
    assert not external, f"requests left the site: {external}"
    assert not dialogs, f"a dialog opened (injected script ran): {dialogs}"


@pytest.fixture
def page(browser, base_url: str) -> Iterator[object]:
    context, page = _open(browser, base_url, 1280, 900)
    yield page
    _close(context, page, base_url)


@pytest.fixture(params=sorted(WIDTHS), ids=sorted(WIDTHS))
def sized_page(request, browser, base_url: str) -> Iterator[object]:
    """A page at 1366 px (desktop) and at 375 px (mobile); ``page.width`` says which."""
    width, height = WIDTHS[request.param]
    context, page = _open(browser, base_url, width, height)
    page.width = width  # type: ignore[attr-defined]
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    yield page
    _close(context, page, base_url)


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=False)


@pytest.fixture
def shot() -> Callable[[object, str], None]:
    """Save a screenshot under tests/screenshots/ (gitignored) for a person to look at."""
    return _shot
