"""The web form page (在线填表): the forms of the generated spec, the addresses their answers
may go to, and the programme offices that receive the annex files.

The form's elements, messages and cell plans come from the generated spec
(``site/static/webform/spec.json``, made by ``springrain.intake.webform`` from the schemas:
the same source as the GitHub issue forms); the repository's addresses from the one
configuration place (``Links``); the offices from the programmes table of the package.
Nothing here reads ``data/``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import orjson

from springrain.site.context import Site
from springrain.site.downloads import json_ld
from springrain.site.links import Links
from springrain.site.mkdocs_build import STATIC_DIR

FOLDER = "webform"
SPEC_FILE = STATIC_DIR / FOLDER / "spec.json"
ASSETS = "assets/springrain/" + FOLDER  # where the site build copies the folder


@cache
def _spec(path: Path = SPEC_FILE) -> dict[str, Any]:
    return orjson.loads(path.read_bytes())


def _http(url: str) -> str:
    return url if url.startswith(("https://", "http://")) else ""


def offices(site: Site) -> list[dict[str, str]]:
    """Each programme's office and platform (the table's ``office_zh``, ``platform_zh``)."""
    return [
        {
            "programme": row["id"],
            "name": row.get("name_zh") or row["id"],
            "province": row.get("province") or "",
            "office": row.get("office_zh") or "",
            "platform": row.get("platform_zh") or "",
            "url": _http(row.get("platform_url") or ""),
        }
        for row in site.package.programmes
        if row.get("office_zh") or row.get("platform_zh")
    ]


def templates(spec: dict[str, Any]) -> list[dict[str, str]]:
    """The blank annexes, for downloading (and for pages without JavaScript)."""
    return [
        {
            "annex": name,
            "href": f"{ASSETS}/{plan['file']}",
            "name": f"附件{plan['number']}-{plan['title']}.xlsx",
            "title": plan["title"],
            "number": str(plan["number"]),
            "document": plan["document"],
        }
        for name, plan in spec["annexes"].items()
    ]


def page_data(site: Site) -> dict[str, Any]:
    spec = _spec()
    links = Links.of(site.settings)
    browser = {
        "forms": {form["form"]: links.form(form["form"]) for form in spec["forms"]},
        "blank": f"{links.repository}/issues/new",
        "offices": offices(site),
        "templates": f"{ASSETS}/",
    }
    return {
        "forms": spec["forms"],
        "annexes": spec["annexes"],
        "templates": templates(spec),
        "template_of": {t["annex"]: t for t in templates(spec)},
        "issue_forms": [f for f in links.footer_forms() if f["form"] != "correction"],
        "choose": links.choose,
        "spec": json_ld(spec),
        "browser": json_ld(browser),
    }
