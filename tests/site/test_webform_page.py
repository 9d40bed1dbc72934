"""The web form page's data and markup (``springrain.site.webform``, ``webform.html``): read
from the package and the generated spec only, every control labelled, nothing loaded from
outside the site, the addresses from the one configuration place."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from springrain.config import DATA_DIR, settings
from springrain.intake.forms import form_elements
from springrain.package import reader
from springrain.site import webform
from springrain.site.context import Site
from springrain.site.render import render
from springrain.validate import gate


@pytest.fixture(scope="module")
def page(package: Path) -> tuple[dict[str, Any], str]:
    site = Site(reader.read(package), package, settings(), demo=True)
    data = webform.page_data(site)
    return data, render("webform.html", **data)


class Markup(HTMLParser):
    """Every start tag with its attributes, and the text inside <noscript>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def parsed(html: str) -> Markup:
    markup = Markup()
    markup.feed(html)
    return markup


def test_the_page_reads_the_package_and_the_spec_never_data(
    package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    real = Path.open

    def watch(self: Path, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", watch)
    webform._spec.cache_clear()
    site = Site(reader.read(package), package, settings(), demo=True)
    webform.page_data(site)
    assert [p for p in opened if p.startswith(str(DATA_DIR))] == []
    assert str(webform.SPEC_FILE) in opened


def test_offices_come_from_the_programmes_table(page) -> None:
    data, _ = page
    browser = json.loads(str(data["browser"]))
    fujian = next(o for o in browser["offices"] if o["programme"] == "FJ-2025")
    assert fujian["office"] == "福建省药品监督管理局"
    assert fujian["platform"] == "福建省医疗器械临床研究成果转化平台"
    assert all(
        not o["url"] or o["url"].startswith(("https://", "http://")) for o in browser["offices"]
    )


def test_addresses_come_from_the_configuration(page) -> None:
    data, _ = page
    browser = json.loads(str(data["browser"]))
    repository = settings().repository
    assert browser["forms"]["project"] == repository + "/issues/new?template=1-project.yml"
    assert browser["blank"] == repository + "/issues/new"
    assert [f["form"] for f in data["issue_forms"]] == ["project", "enterprise", "cooperation"]


def test_every_control_is_labelled_and_named_by_its_element(page) -> None:
    _, html = page
    markup = parsed(html)
    ids = [attrs["id"] for _, attrs in markup.tags if "id" in attrs]
    assert len(ids) == len(set(ids)), "ids are unique"
    labelled = {attrs["for"] for tag, attrs in markup.tags if tag == "label" and "for" in attrs}
    controls = [
        attrs
        for tag, attrs in markup.tags
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("checkbox", "radio")
    ]
    assert controls and all(c["id"] in labelled for c in controls)
    for c in controls:
        described = c["aria-describedby"].split()
        assert all(d in ids for d in described), c["id"]
    fields: dict[str, list[str]] = {}
    current = ""
    for tag, attrs in markup.tags:
        if tag == "form":
            current = attrs["data-form"]
        elif "data-id" in attrs:
            fields.setdefault(current, []).append(attrs["data-id"])
    for form in ("project", "enterprise", "cooperation"):
        assert fields[form] == [el.id for el in form_elements(form)]


def test_nothing_is_loaded_from_outside_the_site(page) -> None:
    _, html = page
    markup = parsed(html)
    for tag, attrs in markup.tags:
        if tag in ("script", "link", "img", "iframe"):
            source = attrs.get("src") or attrs.get("href") or ""
            assert not source or source.startswith("assets/springrain/"), (tag, source)
    # Only links go to GitHub (the issue forms): never a script, a style or a form action.
    assert not [a for tag, a in markup.tags if tag == "form" and a.get("action")]


def test_the_spec_cannot_end_its_script_element(page) -> None:
    data, html = page
    for text in (str(data["spec"]), str(data["browser"])):
        assert "<" not in text and ">" not in text
    scripts = parsed(html).scripts
    assert json.loads(scripts[0])["version"] == 1


def test_without_javascript_the_page_offers_the_forms_and_templates(page) -> None:
    data, html = page
    noscript = html.split("<noscript>", 1)[1].split("</noscript>", 1)[0]
    for form in data["issue_forms"]:
        assert form["url"].replace("&", "&amp;") in noscript or form["url"] in noscript
    for template in data["templates"]:
        assert f'href="{template["href"]}"' in noscript
        assert (webform.SPEC_FILE.parent / Path(template["href"]).name).is_file()


def test_the_publish_gate_passes_the_page_and_its_files(page, tmp_path: Path) -> None:
    """Nothing in the page, the spec or the templates reads as contact data to the gate."""
    _, html = page
    (tmp_path / "form.html").write_text(html, encoding="utf-8")
    files = [str(tmp_path / "form.html")]
    files += [str(p) for p in sorted(webform.SPEC_FILE.parent.iterdir())]
    files += [
        str(webform.STATIC_DIR / name) for name in ("webform.js", "contacts.js", "annexfile.js")
    ]
    assert gate.scan_files(files) == []
