"""Steps the browser tests share: what every page must hold, and the directory's filters."""

from __future__ import annotations

LAYOUT = """() => {
  const width = window.innerWidth;
  const problems = [];
  if (document.documentElement.scrollWidth > width + 1) {
    problems.push('page is ' + document.documentElement.scrollWidth + 'px wide');
  }
  for (const table of document.querySelectorAll('table')) {
    const box = table.getBoundingClientRect();
    if (!table.offsetParent || box.width === 0) continue;  // hidden
    if (box.right > width + 1 || box.left < -1) {
      problems.push('table ' + (table.id || table.className || table.rows.length) + ' runs off the screen');
    }
    const holder = table.closest('.sr-wide, .md-typeset__scrollwrap, .md-typeset__table, .sr-results');
    if (holder && holder.scrollWidth > holder.clientWidth + 1) {
      problems.push('table ' + (table.id || table.className || table.rows.length) + ' is clipped: ' + holder.scrollWidth + ' > ' + holder.clientWidth);
    }
  }
  return problems;
}"""


def assert_layout(page) -> None:
    """No horizontal scroll on the page, and no table clipped or running off the screen."""
    problems = page.evaluate(LAYOUT)
    assert problems == [], f"{page.url} at {page.viewport_size['width']} px: {problems}"


def wait_directory(page) -> None:
    page.wait_for_selector("#sr-catalogue[data-ready=true]", timeout=10000)


def count(page) -> int:
    """The number of records the directory lists (共 N 个…)."""
    return int(page.inner_text("[data-sr=count]").split()[1])


def choose(page, key: str, value: str) -> None:
    """Tick ``value`` in the directory's filter ``key``, opening what is folded on a phone,
    and wait until the address says so."""
    facets = page.locator("details.sr-facets")
    if not facets.evaluate("d => d.open"):
        facets.locator("summary").first.click()
    group = page.locator(f"details.sr-facet[data-key='{key}']")
    if not group.evaluate("d => d.open"):
        group.locator("summary").click()
    box = group.locator(f"input[value='{value}']")
    if box.is_hidden():
        group.locator(".sr-more").click()
    box.check()
    page.wait_for_function(
        "([key, value]) => new URLSearchParams(location.search).getAll(key).includes(value)",
        arg=[key, value],
    )
    wait_directory(page)


def navigate(page, name: str) -> None:
    """Follow the site's navigation to the page called ``name``, as a visitor would: the tabs
    on a wide screen, the menu (the drawer, or the slim pages' link row) on a phone."""
    for where in (".md-tabs", ".sr-topnav"):
        link = page.locator(where).get_by_role("link", name=name, exact=True)
        if link.count() and link.first.is_visible():
            link.first.click()
            return
    page.locator("label.md-header__button[for=__drawer]").click()
    page.locator(".md-nav--primary").get_by_role("link", name=name, exact=True).first.click()
