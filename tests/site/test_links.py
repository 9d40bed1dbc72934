"""Links into the repository: from the one configuration place, to the forms as
`springrain forms` names them, prefilled by the fields' own ids."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import yaml

from springrain.config import Settings
from springrain.intake import forms
from springrain.intake.forms import form_file
from springrain.site.links import Links

LINKS = Links.of(Settings("https://github.com/owner/repo", "main", "https://owner.github.io/repo/"))


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_cooperation_link_prefills_the_project_by_the_forms_field_id() -> None:
    url = LINKS.cooperation("GD-2025-0001")
    assert url.startswith("https://github.com/owner/repo/issues/new?")
    query = _query(url)
    assert query["template"] == [form_file("cooperation")]
    form = yaml.safe_load(forms.render("cooperation"))
    ids = {item.get("id") for item in form["body"]}
    prefilled = set(query) - {"template"}
    assert prefilled and prefilled <= ids
    assert query[prefilled.pop()] == ["GD-2025-0001"]


def test_correction_link_prefills_the_record_id() -> None:
    query = _query(LINKS.correction("ENT-0001"))
    assert query["template"] == ["4-correction.yml"]
    assert query[forms.CORRECTION_ID.id] == ["ENT-0001"]


def test_hostile_ids_cannot_break_out_of_the_query() -> None:
    url = LINKS.correction('x&template=evil.yml#"><script>')
    query = _query(url)
    assert query["template"] == ["4-correction.yml"]
    assert "<" not in url and '"' not in url and "#" not in url


def test_footer_forms_and_record_file() -> None:
    names = [f["name"] for f in LINKS.footer_forms()]
    assert names == [forms.FORM_META[f]["name"] for f in forms.FORMS]
    assert LINKS.choose == "https://github.com/owner/repo/issues/new/choose"
    url = LINKS.record_file("project", {"id": "GD-2025-0001", "province": "GD"})
    assert url == "https://github.com/owner/repo/blob/main/data/projects/GD/GD-2025-0001.json"
